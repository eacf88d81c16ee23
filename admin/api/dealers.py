"""/api/v1/dealers: dealer master data for ERP/CRM, without any personal data (no contacts, no phones)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from admin.api.deps import DealersRead, Paging, StockRead, UowDep
from admin.api.products import search
from admin.api.references import dealer_codes
from admin.api.schemas import DealerPublic, DealerStockPublic, ErrorBody, Page
from core import authz
from core.dealers import Dealer, DealerStatus
from core.errors import NotFound
from core.ports import AbstractUnitOfWork
from core.users import Actor

router = APIRouter(prefix="/dealers", tags=["dealers"])

CodePath = Annotated[str, Path(min_length=1, max_length=32, description="dealer code", examples=["D0001"])]


def dealer_public(d: Dealer, parent_code: str | None = None) -> DealerPublic:
    return DealerPublic(code=d.code, name=d.name, tier=d.tier, region=d.region, province=d.province,
                        city=d.city, status=d.status.value, parent=parent_code)


async def visible_dealer(uow: AbstractUnitOfWork, actor: Actor, code: str,
                         record: authz.DealerRecord | None = None) -> Dealer:
    """The dealer with ``code`` if the key may see it (or, given ``record``, read that kind of its records: a
    parent dealer's key reads its sub-dealers' stock); NotFound otherwise (also for other dealers)."""
    dealer = await uow.dealers.get_by(code=code)
    if dealer is None or dealer.id is None:
        raise NotFound(what=code)
    if record is None:
        authz.require_dealer_access(actor, dealer.id, code)
    elif not await authz.may_read_dealer(uow, actor, dealer.id, record):
        raise NotFound(what=code)
    return dealer


@router.get("", response_model=Page[DealerPublic], summary="List dealers")
async def list_dealers(
    actor: DealersRead,
    uow: UowDep,
    paging: Paging,
    region: Annotated[str | None, Query(description="e.g. 华东")] = None,
    tier: Annotated[str | None, Query(description="A / B / C")] = None,
    status: Annotated[DealerStatus | None, Query()] = None,
    q: Annotated[str | None, Query(min_length=1, description="text in the code or the name")] = None,
) -> Page[DealerPublic]:
    filters: dict[str, Any] = {}
    scope = authz.dealer_scope(actor)
    if scope is not None:
        filters["id"] = scope
    if region is not None:
        filters["region"] = region
    if tier is not None:
        filters["tier"] = tier
    if status is not None:
        filters["status"] = status
    async with uow:
        if q:
            rows, total = await search(uow.dealers, q, ("code", "name"), "code", paging.limit, paging.offset,
                                       **filters)
        else:
            rows = await uow.dealers.list(order_by="code", limit=paging.limit, offset=paging.offset, **filters)
            total = await uow.dealers.count(**filters)
        parents = await dealer_codes(uow, (d.parent_id for d in rows))
    items = [dealer_public(d, parents.get(d.parent_id) if d.parent_id else None) for d in rows]
    return Page[DealerPublic](items=items, total=total, limit=paging.limit, offset=paging.offset)


@router.get("/{code}", response_model=DealerPublic, summary="One dealer", responses={404: {"model": ErrorBody}})
async def get_dealer(code: CodePath, actor: DealersRead, uow: UowDep) -> DealerPublic:
    async with uow:
        dealer = await visible_dealer(uow, actor, code)
        parents = await dealer_codes(uow, [dealer.parent_id])
    return dealer_public(dealer, parents.get(dealer.parent_id) if dealer.parent_id else None)


@router.get("/{code}/stock", response_model=Page[DealerStockPublic], summary="Stock a dealer reported",
            responses={404: {"model": ErrorBody}})
async def dealer_stock(code: CodePath, actor: StockRead, uow: UowDep, paging: Paging,
                       sku: Annotated[str | None, Query()] = None) -> Page[DealerStockPublic]:
    """The dealer's own stock (its last stocktake per SKU). A dealer-bound key sees only its dealer and, for a
    parent dealer (一级经销商), its sub-dealers."""
    async with uow:
        dealer = await visible_dealer(uow, actor, code, authz.DealerRecord.STOCK)
        filters: dict[str, Any] = {"dealer_id": dealer.id}
        if sku:
            filters["sku"] = sku
        rows = await uow.dealer_stock.list(order_by="sku", limit=paging.limit, offset=paging.offset, **filters)
        total = await uow.dealer_stock.count(**filters)
    items = [DealerStockPublic(dealer=dealer.code, sku=r.sku, qty=r.qty, reported_at=r.reported_at) for r in rows]
    return Page[DealerStockPublic](items=items, total=total, limit=paging.limit, offset=paging.offset)
