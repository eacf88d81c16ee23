"""Human codes <-> database ids for the API (dealers and warehouses are addressed by code)."""

from __future__ import annotations

from collections.abc import Iterable

from core.dealers import Dealer
from core.inventory import Warehouse
from core.ports import AbstractUnitOfWork


async def dealer_codes(uow: AbstractUnitOfWork, ids: Iterable[int | None]) -> dict[int, str]:
    wanted = sorted({i for i in ids if i is not None})
    if not wanted:
        return {}
    return {d.id: d.code for d in await uow.dealers.list(id__in=wanted) if d.id is not None}


async def dealer_by_code(uow: AbstractUnitOfWork, code: str) -> Dealer | None:
    return await uow.dealers.get_by(code=code.strip())


async def warehouse_codes(uow: AbstractUnitOfWork, ids: Iterable[int | None]) -> dict[int, str]:
    wanted = sorted({i for i in ids if i is not None})
    if not wanted:
        return {}
    return {w.id: w.code for w in await uow.warehouses.list(id__in=wanted) if w.id is not None}


async def warehouse_by_code(uow: AbstractUnitOfWork, code: str) -> Warehouse | None:
    return await uow.warehouses.get_by(code=code.strip())
