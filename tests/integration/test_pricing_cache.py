"""What pricing reads is kept per process under the ``pricing`` version (``SqlAlchemyUnitOfWork.price_inputs``):
a second quote of the same things reads only the version, and any change to a product, a tier or dealer price,
an allowed SKU or a promotion, made through the ORM in any process, is seen by the next quote (the version is
bumped in the changing transaction: ``storage.orm``). On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from core.products import Promotion, PromotionKind, TierPrice
from storage.uow import SqlAlchemyUnitOfWork
from tests.factories import make_product
from tests.statements import count_statements

TODAY = date(2026, 12, 6)


async def test_kept_until_a_price_product_or_promotion_changes(
        engine: AsyncEngine, session_factory: async_sessionmaker[AsyncSession]) -> None:
    setup = SqlAlchemyUnitOfWork(session_factory)
    async with setup:
        await setup.products.add(make_product("PC-1", name="净化器甲", list_price=Decimal("100.00")))
        await setup.tier_prices.add(TierPrice(tier="A", sku="PC-1", price=Decimal("90.00")))
        await setup.commit()

    async def read() -> tuple[str, Decimal | None, list[str], int]:
        uow = SqlAlchemyUnitOfWork(session_factory)
        async with uow:
            with count_statements(engine) as seen:
                got = await uow.price_inputs("A", 1, ["PC-1", "NOPE"], TODAY)
        return got.products["PC-1"].name, got.lists.tier.get("PC-1"), [p.code for p in got.promotions], seen.statements

    first = await read()
    assert first[:3] == ("净化器甲", Decimal("90.00"), []) and "NOPE" not in first
    again = await read()
    assert again == (*first[:3], 1)                       # only the version: products, prices, promotions kept

    writer = SqlAlchemyUnitOfWork(session_factory)       # another process's change, committed
    async with writer:
        price = await writer.tier_prices.get_by(tier="A", sku="PC-1")
        assert price is not None
        price.price = Decimal("80.00")
        await writer.commit()
    assert (await read())[1] == Decimal("80.00")

    async with writer:
        product = await writer.products.get_by(sku="PC-1")
        assert product is not None
        product.name = "净化器乙"
        await writer.promotions.add(Promotion(code="P-1", name="双十二", kind=PromotionKind.PERCENT_OFF,
                                              starts_on=date(2026, 12, 1), ends_on=date(2026, 12, 12), skus=["PC-1"],
                                              percent=Decimal("5")))
        await writer.commit()
    name, tier, promotions, _ = await read()
    assert (name, tier, promotions) == ("净化器乙", Decimal("80.00"), ["P-1"])
    assert (await read())[3] == 1
