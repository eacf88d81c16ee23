"""Human codes <-> database ids for the API (dealers and warehouses are addressed by code)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from core.authz import DealerRecord, readable_dealers
from core.dealers import Dealer
from core.inventory import Warehouse
from core.ports import AbstractUnitOfWork
from core.users import Actor, Permission


async def dealer_codes(uow: AbstractUnitOfWork, ids: Iterable[int | None]) -> dict[int, str]:
    wanted = sorted({i for i in ids if i is not None})
    if not wanted:
        return {}
    return await uow.dealer_codes(wanted)


async def dealer_by_code(uow: AbstractUnitOfWork, code: str) -> Dealer | None:
    return await uow.dealers.get_by(code=code.strip())


async def warehouse_codes(uow: AbstractUnitOfWork, ids: Iterable[int | None]) -> dict[int, str]:
    wanted = sorted({i for i in ids if i is not None})
    if not wanted:
        return {}
    return {w.id: w.code for w in await uow.warehouses.list(id__in=wanted) if w.id is not None}


async def warehouse_by_code(uow: AbstractUnitOfWork, code: str) -> Warehouse | None:
    return await uow.warehouses.get_by(code=code.strip())


async def dealer_filter(uow: AbstractUnitOfWork, actor: Actor, record: DealerRecord, code: str | None,
                        all_permission: Permission) -> dict[str, Any] | None:
    """The dealer filter of a list route (``?dealer=CODE`` or none) under ``core.authz.readable_dealer_ids``:
    a key bound to a dealer lists its own rows and, for a parent dealer, its sub-dealers'. None: nothing to
    list (an unknown code, or a dealer the key may not read; the same answer)."""
    scope = await readable_dealers(uow, actor, record, all_permission=all_permission)
    if code:
        found = await dealer_by_code(uow, code)
        if found is None or found.id is None or (scope is not None and found.id not in scope):
            return None
        return {"dealer_id": found.id}
    return {} if scope is None else {"dealer_id__in": sorted(scope)}
