"""Reading the audit log (操作日志), for holders of AUDIT_READ only.

The log is append-only: entries are written by ``core.auditing.record`` inside the use case that makes
the change, and this module deliberately offers no way to edit or delete them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from core import authz
from core.audit import AuditEntry
from core.errors import ValidationFailed
from core.ports import AbstractUnitOfWork
from core.users import Actor, Permission

MAX_LIMIT = 500


async def list_audit(
    uow: AbstractUnitOfWork,
    actor: Actor,
    *,
    entity: str | None = None,
    entity_id: str | int | None = None,
    since: datetime | None = None,
    by: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[AuditEntry]:
    """Entries newest first, filtered by entity ("order"), entity id ("SO-20261126-0007"), time from
    ``since`` (aware, included) and actor label ``by`` ("staff:zhang")."""
    authz.require(actor, Permission.AUDIT_READ)
    if not 1 <= limit <= MAX_LIMIT or offset < 0:
        raise ValidationFailed(zh=f"每页条数须在 1 到 {MAX_LIMIT} 之间，偏移不能为负",
                               en=f"limit must be 1 to {MAX_LIMIT} and offset not negative", reason="paging")
    filters = _filters(entity, entity_id, since, by)
    async with uow:
        return await uow.audit.list(order_by="at", desc=True, limit=limit, offset=offset, **filters)


async def count_audit(
    uow: AbstractUnitOfWork,
    actor: Actor,
    *,
    entity: str | None = None,
    entity_id: str | int | None = None,
    since: datetime | None = None,
    by: str | None = None,
) -> int:
    """How many entries ``list_audit`` would page through with the same filters."""
    authz.require(actor, Permission.AUDIT_READ)
    filters = _filters(entity, entity_id, since, by)
    async with uow:
        return await uow.audit.count(**filters)


def _filters(entity: str | None, entity_id: str | int | None, since: datetime | None,
             by: str | None) -> dict[str, Any]:
    if since is not None and since.tzinfo is None:
        raise ValidationFailed(zh="起始时间须带时区", en="since must be timezone-aware", reason="since")
    filters: dict[str, Any] = {}
    if entity:
        filters["entity"] = entity
    if entity_id is not None and str(entity_id) != "":
        filters["entity_id"] = str(entity_id)
    if since is not None:
        filters["at__gte"] = since
    if by:
        filters["actor"] = by
    return filters
