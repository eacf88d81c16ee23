"""The product catalogue as the parser sees it, read from the database (never from code)."""

from __future__ import annotations

from core.ports import AbstractUnitOfWork
from nlu.schema import CatalogueEntry


async def catalogue_entries(uow: AbstractUnitOfWork) -> list[CatalogueEntry]:
    products = await uow.products.list(active=True, order_by="sku")
    return [CatalogueEntry(sku=p.sku, name=p.name, aliases=list(p.aliases), unit=p.unit) for p in products]
