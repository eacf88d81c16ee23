"""Bulk loading of sell-out lines and orders (benchmarks and demo data)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.orders import OrderStatus
from core.sellout import CustomerType
from storage.bulk import insert_orders_bulk, insert_sellout_lines
from storage.orm import order_lines, sellout_lines
from storage.uow import SqlAlchemyUnitOfWork
from tests.factories import at, make_dealer

N = 20_000


async def _dealer_ids(uow: SqlAlchemyUnitOfWork, n: int = 3) -> list[int]:
    async with uow:
        dealers = [await uow.dealers.add(make_dealer()) for _ in range(n)]
        await uow.commit()
    return [d.id for d in dealers if d.id is not None]


async def test_insert_20000_sellout_lines(uow: SqlAlchemyUnitOfWork,
                                          session_factory: async_sessionmaker[AsyncSession]) -> None:
    dealers = await _dealer_ids(uow)
    rows = [{"dealer_id": dealers[i % 3], "sold_on": date(2026, 1, 1) + timedelta(days=i % 300),
             "sku": f"KJ-{i % 50:03d}", "qty": 1 + i % 4, "amount": Decimal(i % 1000) + Decimal("0.01"),
             "province": "江苏", "city": "南京",
             **({"customer_type": CustomerType.ONLINE} if i % 10 == 0 else {}),
             **({"reported_at": at("2026-11-26 10:00")} if i == 0 else {})}
            for i in range(N)]
    expected_total = sum((r["amount"] for r in rows), Decimal("0.00"))

    inserted = await insert_sellout_lines(session_factory, iter(rows), batch=7_000)   # uneven last batch

    assert inserted == N
    async with uow:
        count, total = (await uow.session.execute(
            select(func.count(), func.sum(sellout_lines.c.amount)))).one()
        online = await uow.sellout.count(customer_type=CustomerType.ONLINE)
        first = (await uow.sellout.list(limit=1))[0]                      # row 0
    assert count == N
    assert total == expected_total and type(total) is Decimal          # exact to the cent
    assert online == N // 10
    assert (first.dealer_id, first.sold_on, first.sku) == (dealers[0], date(2026, 1, 1), "KJ-000")
    assert first.amount == Decimal("0.01") and first.customer_type == CustomerType.ONLINE
    assert first.reported_at == at("2026-11-26 10:00")


async def test_insert_orders_bulk(uow: SqlAlchemyUnitOfWork,
                                  session_factory: async_sessionmaker[AsyncSession]) -> None:
    dealers = await _dealer_ids(uow)
    rows = [{"number": f"SO-20261126-{i + 1:04d}", "dealer_id": dealers[i % 3], "total": Decimal("3000.50"),
             "status": OrderStatus.SHIPPED if i % 2 else "approved", "created_at": at("2026-11-26 10:00"),
             "lines": [{"sku": "KJ-500", "name": "空气净化器", "qty": 1, "unit_price": Decimal("1000.50")},
                       {"sku": "KJ-700", "name": "加湿器", "qty": 2, "unit_price": Decimal("1000.00"),
                        "discount": Decimal("0.00")}],
             "events": [{"status": OrderStatus.SUBMITTED, "actor": "system", "at": at("2026-11-26 09:00")}]}
            for i in range(1_000)]

    assert await insert_orders_bulk(session_factory, rows, batch=300) == 1_000

    async with uow:
        order = await uow.orders.get_by(number="SO-20261126-0778")
        line_count = (await uow.session.execute(select(func.count()).select_from(order_lines))).scalar_one()
        shipped = await uow.orders.count(status=OrderStatus.SHIPPED)
    assert order is not None
    assert order.dealer_id == dealers[777 % 3] and order.status == OrderStatus.SHIPPED
    assert [(line.sku, line.qty, line.unit_price) for line in order.lines] == [
        ("KJ-500", 1, Decimal("1000.50")), ("KJ-700", 2, Decimal("1000.00"))]
    assert [e.status for e in order.events] == [OrderStatus.SUBMITTED]
    assert order.version == 1 and order.approval_reasons == [] and order.on_behalf is False
    assert line_count == 2_000 and shipped == 500


async def test_bulk_rows_are_checked(session_factory: async_sessionmaker[AsyncSession]) -> None:
    with pytest.raises(KeyError, match="missing columns"):
        await insert_sellout_lines(session_factory, [{"dealer_id": 1, "sku": "x"}])
    with pytest.raises(KeyError, match="unknown columns"):
        await insert_orders_bulk(session_factory, [{"number": "SO-1", "dealer_id": 1, "colour": "red"}])
