"""/api/v1/products: the catalogue (read for every key with products:read, upsert with products:write)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from admin.api.deps import ClockDep, Paging, ProductsRead, ProductsWrite, UowDep
from admin.api.schemas import ErrorBody, Page, ProductPublic, ProductUpsert
from core.errors import NotFound
from core.ports import AbstractRepository
from core.products import Product, line_limit
from core.services.catalogue import UpsertProduct, upsert_product

router = APIRouter(prefix="/products", tags=["products"])

SkuPath = Annotated[str, Path(min_length=1, max_length=64, description="product SKU", examples=["AP300"])]


def product_public(p: Product) -> ProductPublic:
    return ProductPublic(sku=p.sku, name=p.name, category=p.category, unit=p.unit, list_price=p.list_price,
                         aliases=list(p.aliases), pack_size=p.pack_size, moq=p.moq, active=p.active,
                         max_line_qty=p.max_line_qty, line_limit=line_limit(p))


async def search(repo: AbstractRepository[Any], q: str, fields: tuple[str, ...], order_by: str,
                 limit: int, offset: int, **filters: Any) -> tuple[list[Any], int]:
    """Substring search over several text fields (the repository filters only AND), merged in memory.

    Used for catalogue-sized tables (products, dealers), where the matches of one query are few.
    """
    found: dict[int, Any] = {}
    for name in fields:
        criteria: dict[str, Any] = {**filters, f"{name}__contains": q}
        for row in await repo.list(order_by=order_by, **criteria):
            found[row.id] = row
    rows = sorted(found.values(), key=lambda r: getattr(r, order_by))
    return rows[offset:offset + limit], len(rows)


@router.get("", response_model=Page[ProductPublic], summary="List products")
async def list_products(
    actor: ProductsRead,
    uow: UowDep,
    paging: Paging,
    category: Annotated[str | None, Query(description="exact category")] = None,
    active: Annotated[bool | None, Query(description="only active (true) or inactive (false) products")] = None,
    q: Annotated[str | None, Query(min_length=1, description="text in the SKU or the name")] = None,
) -> Page[ProductPublic]:
    filters: dict[str, Any] = {}
    if category is not None:
        filters["category"] = category
    if active is not None:
        filters["active"] = active
    async with uow:
        if q:
            rows, total = await search(uow.products, q, ("sku", "name"), "sku", paging.limit, paging.offset,
                                       **filters)
        else:
            rows = await uow.products.list(order_by="sku", limit=paging.limit, offset=paging.offset, **filters)
            total = await uow.products.count(**filters)
    return Page[ProductPublic](items=[product_public(p) for p in rows], total=total,
                               limit=paging.limit, offset=paging.offset)


@router.get("/{sku}", response_model=ProductPublic, summary="One product",
            responses={404: {"model": ErrorBody}})
async def get_product(sku: SkuPath, actor: ProductsRead, uow: UowDep) -> ProductPublic:
    async with uow:
        product = await uow.products.get_by(sku=sku)
    if product is None:
        raise NotFound(what=sku)
    return product_public(product)


@router.put("/{sku}", response_model=ProductPublic, summary="Create or replace a product",
            responses={403: {"model": ErrorBody}, 422: {"model": ErrorBody}})
async def put_product(sku: SkuPath, body: ProductUpsert, actor: ProductsWrite, uow: UowDep,
                      clock: ClockDep) -> ProductPublic:
    """Upsert by SKU. Sending the same data again changes nothing (and writes no audit entry).
    A key bound to a dealer may not change the catalogue (403)."""
    cmd = UpsertProduct(sku=sku, name=body.name, category=body.category, unit=body.unit,
                        list_price=body.list_price, aliases=tuple(body.aliases), pack_size=body.pack_size,
                        moq=body.moq, active=body.active, max_line_qty=body.max_line_qty)
    product = await upsert_product(uow, actor, cmd, clock)
    return product_public(product)
