"""Write audit entries from use cases, in the same unit of work as the change."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from core.audit import AuditEntry
from core.clock import Clock
from core.ports import AbstractUnitOfWork
from core.users import Actor


def snapshot(obj: Any, fields: tuple[str, ...] | None = None) -> dict[str, Any]:
    """JSON-safe dict of a dataclass' scalar fields (lists of value objects included, as dicts)."""
    if obj is None:
        return {}
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        if fields is None:
            data = dataclasses.asdict(obj)
        else:       # only the fields named: an order's asdict copied every line and event to keep its status
            data = {f.name: _plain(getattr(obj, f.name)) for f in dataclasses.fields(obj) if f.name in fields}
    else:
        data = dict(obj)
        if fields is not None:
            data = {k: v for k, v in data.items() if k in fields}
    return {k: _jsonable(v) for k, v in data.items()}


def _plain(v: Any) -> Any:
    """A field's value as ``dataclasses.asdict`` gives it, up to what ``_jsonable`` makes of it anyway."""
    if dataclasses.is_dataclass(v) and not isinstance(v, type):
        return dataclasses.asdict(v)
    if isinstance(v, list | tuple):
        return [_plain(x) for x in v]
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    return v


def _jsonable(v: Any) -> Any:
    if isinstance(v, Decimal):
        return str(v)
    if isinstance(v, datetime | date):
        return v.isoformat()
    if isinstance(v, Enum):
        return v.value
    if isinstance(v, dict):
        return {str(k): _jsonable(x) for k, x in v.items()}
    if isinstance(v, list | tuple | set | frozenset):
        return [_jsonable(x) for x in v]
    return v


async def record(
    uow: AbstractUnitOfWork,
    actor: Actor,
    action: str,
    entity: str,
    entity_id: str | int | None,
    clock: Clock,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    entry = AuditEntry(
        actor=actor.label,
        action=action,
        entity=entity,
        entity_id=str(entity_id) if entity_id is not None else "",
        at=clock.now(),
        before=before or {},
        after=after or {},
    )
    await uow.append_audit(entry)
    return entry
