"""/api/v1/stock: maker warehouse stock (exact figures) for ERP, a dealer's reported stock (``?dealer=``);
set a counted quantity."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from admin.api.dealers import dealer_stock
from admin.api.deps import ClockDep, Paging, StockRead, StockWrite, UowDep, UowFactoryDep
from admin.api.errors import ApiError, conflict_response
from admin.api.references import warehouse_by_code, warehouse_codes
from admin.api.schemas import DealerStockPublic, ErrorBody, Page, StockPublic, StockSet
from core.errors import NotFound, StockBelowReserved
from core.inventory import StockLevel
from core.services.inventory import SetStock, set_stock
from core.users import Actor

router = APIRouter(prefix="/stock", tags=["stock"])


def stock_public(row: StockLevel, warehouse_code: str) -> StockPublic:
    return StockPublic(warehouse=warehouse_code, sku=row.sku, on_hand=row.on_hand, reserved=row.reserved,
                       available=row.available, updated_at=row.updated_at)


def _maker_stock_key(actor: Actor) -> None:
    """Exact maker stock is the maker's business: a dealer-bound key reads its own dealer's stock instead."""
    if actor.dealer_id is not None:
        raise ApiError(403, "permission_denied",
                       "绑定经销商的密钥不能查看或修改厂家仓库库存；本经销商库存见 /api/v1/dealers/{code}/stock",
                       "A key bound to a dealer cannot read or change maker stock; "
                       "its own stock is at /api/v1/dealers/{code}/stock")


@router.get("", response_model=Page[StockPublic] | Page[DealerStockPublic],
            summary="Maker warehouse stock, or a dealer's reported stock (?dealer=CODE)",
            responses={403: {"model": ErrorBody}, 404: {"model": ErrorBody}})
async def list_stock(
    actor: StockRead,
    uow: UowDep,
    paging: Paging,
    warehouse: Annotated[str | None, Query(description="warehouse code")] = None,
    sku: Annotated[str | None, Query()] = None,
    dealer: Annotated[str | None, Query(min_length=1, max_length=32, description="dealer code: that dealer's "
                                        "reported stock (its last stocktake per SKU) instead of maker stock")] = None,
) -> Page[StockPublic] | Page[DealerStockPublic]:
    """Without ``dealer``: exact maker stock per warehouse (keys not bound to a dealer). With ``dealer``: what
    that dealer last reported, as ``/api/v1/dealers/{code}/stock``: a dealer-bound key only its own (another
    code answers 404, as an unknown one does)."""
    if dealer is not None:
        return await dealer_stock(code=dealer, actor=actor, uow=uow, paging=paging, sku=sku)
    _maker_stock_key(actor)
    filters: dict[str, Any] = {}
    if sku:
        filters["sku"] = sku
    async with uow:
        if warehouse:
            found = await warehouse_by_code(uow, warehouse)
            if found is None:
                return Page[StockPublic](items=[], total=0, limit=paging.limit, offset=paging.offset)
            filters["warehouse_id"] = found.id
        rows = await uow.stock.list(order_by="sku", limit=paging.limit, offset=paging.offset, **filters)
        total = await uow.stock.count(**filters)
        codes = await warehouse_codes(uow, (r.warehouse_id for r in rows))
    return Page[StockPublic](items=[stock_public(r, codes.get(r.warehouse_id, "")) for r in rows], total=total,
                             limit=paging.limit, offset=paging.offset)


@router.put("/{warehouse_code}/{sku}", response_model=StockPublic, summary="Set the counted quantity on hand",
            responses={403: {"model": ErrorBody}, 404: {"model": ErrorBody},
                       409: conflict_response("the count is below what orders have reserved of this SKU here "
                                              "(rule `stock_below_reserved`: on hand >= reserved); ship or "
                                              "release those orders first",
                                              StockBelowReserved(sku="AP300", on_hand=3, reserved=5)),
                       422: {"model": ErrorBody, "description": "a body the schema does not allow"}})
async def put_stock(
    warehouse_code: Annotated[str, Path(min_length=1, max_length=32, examples=["WH-SH"])],
    sku: Annotated[str, Path(min_length=1, max_length=64, examples=["AP300"])],
    body: StockSet,
    actor: StockWrite,
    uow_factory: UowFactoryDep,
    clock: ClockDep,
) -> StockPublic:
    """Replaces on_hand (an ERP sync or a stock count). It may not drop below what orders have reserved:
    that is a conflict with the stock's state (409 ``stock_below_reserved``), not bad input."""
    _maker_stock_key(actor)
    async with uow_factory() as uow:
        warehouse = await warehouse_by_code(uow, warehouse_code)
    if warehouse is None or warehouse.id is None:
        raise NotFound(what=warehouse_code)
    row = await set_stock(uow_factory(), actor, SetStock(warehouse_id=warehouse.id, sku=sku, on_hand=body.on_hand),
                          clock)
    return stock_public(row, warehouse.code)
