"""Orders counted by the database (``uow.orders_by_status`` / ``uow.orders_moved``, behind
``core.services.order_counts``) on the real databases: the same counts and amounts as the orders read and counted
one by one (``AbstractUnitOfWork``'s composed defaults, which the fakes use), in one GROUP BY statement each, however
many orders there are (a count read up to 2000 orders with their lines and events before)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from core.orders import Order, OrderEvent, OrderLine, OrderStatus
from core.ports import AbstractUnitOfWork
from core.services.order_counts import WaitingStep, order_counts, waiting_orders
from core.users import Role
from storage.uow import SqlAlchemyUnitOfWork
from tests.factories import at, fixed_clock, make_dealer, staff
from tests.statements import count_statements

S = OrderStatus
#: (dealer index, placed at, status now, events after the submit: (status, at)), total = 100 * (n + 1)
ORDERS: list[tuple[int, str, OrderStatus, list[tuple[OrderStatus, str]]]] = [
    (0, "2026-11-25 09:00", S.SHIPPED, [(S.APPROVED, "2026-11-25 10:00"), (S.SHIPPED, "2026-11-26 11:00")]),
    (0, "2026-11-26 08:00", S.SUBMITTED, []),
    (0, "2026-11-26 09:30", S.APPROVED, [(S.APPROVED, "2026-11-26 09:40")]),
    (1, "2026-11-26 10:00", S.REJECTED, [(S.REJECTED, "2026-11-26 10:30")]),
    (1, "2026-11-26 23:59", S.CANCELLED, []),
    (1, "2026-11-27 00:00", S.ALLOCATED, [(S.APPROVED, "2026-11-27 08:00"), (S.ALLOCATED, "2026-11-27 09:00")]),
    (0, "2026-11-20 10:00", S.APPROVED, [(S.APPROVED, "2026-11-26 12:00"), (S.REJECTED, "2026-11-21 12:00")]),
    (1, "2026-11-26 12:00", S.APPROVED, [(S.APPROVED, "2026-11-26 12:05"), (S.APPROVED, "2026-11-26 12:10")]),
]


async def _seed(uow: SqlAlchemyUnitOfWork) -> list[int]:
    async with uow:
        dealers = [await uow.dealers.add(make_dealer()) for _ in range(2)]
        ids = [d.id for d in dealers if d.id is not None]
        for n, (dealer, placed, status, moves) in enumerate(ORDERS):
            events = [OrderEvent(status=S.SUBMITTED, actor="dealer:li", at=at(placed))]
            events += [OrderEvent(status=s, actor="desk", at=at(when)) for s, when in moves]
            await uow.add_order(Order(
                number=f"SO-20261126-{n:04d}", dealer_id=ids[dealer], status=status,
                lines=[OrderLine(sku="AP300", name="净化器", qty=1, unit_price=Decimal(100 * (n + 1)))],
                total=Decimal(100 * (n + 1)) + Decimal("0.35"), placed_by="dealer:li", created_at=at(placed),
                updated_at=max(e.at for e in events), events=events))
        await uow.commit()
    return ids


async def test_orders_are_counted_by_the_database_as_when_read_one_by_one(
        uow: SqlAlchemyUnitOfWork, engine: AsyncEngine) -> None:
    ids = await _seed(uow)
    day, next_day = at("2026-11-26 00:00"), at("2026-11-27 00:00")
    asked: list[dict[str, Any]] = [
        {}, {"dealer_ids": ids[:1]}, {"dealer_ids": []}, {"created_from": day, "created_until": next_day},
        {"dealer_ids": ids[1:], "created_from": day, "created_until": next_day},
        {"statuses": [S.APPROVED, S.ALLOCATED, S.IN_PRODUCTION]},
    ]
    moves = (S.SHIPPED, S.APPROVED, S.REJECTED)
    async with uow:
        for filters in asked:
            with count_statements(engine) as seen:
                counted = await uow.orders_by_status(**filters)
            assert counted == await AbstractUnitOfWork.orders_by_status(uow, **filters), filters
            assert seen.statements == 1 and "GROUP BY" in seen.sql[0], seen.report()
        for dealer_ids in (None, ids[:1], ids[1:]):
            with count_statements(engine) as seen:
                moved = await uow.orders_moved(moves, day, next_day, dealer_ids)
            assert moved == await AbstractUnitOfWork.orders_moved(uow, moves, day, next_day, dealer_ids)
            assert seen.statements == 1, seen.report()
        assert (await uow.orders_by_status(created_from=day, created_until=next_day))[S.APPROVED] == (
            2, Decimal("1100.70"))                                    # 300.35 + 800.35
        # approved twice in those days counts once; approved then, rejected before: approved
        assert await uow.orders_moved(moves, day, next_day) == {S.SHIPPED: 1, S.APPROVED: 3, S.REJECTED: 1}


async def test_the_counts_of_a_day_and_of_what_waits(uow: SqlAlchemyUnitOfWork) -> None:
    await _seed(uow)
    desk = staff(Role.ORDER_DESK, name="desk")
    counts = await order_counts(uow, desk, fixed_clock(), at().date())
    assert (counts.placed, counts.shipped, counts.approved, counts.rejected) == (5, 1, 3, 1)
    assert counts.by_status == {S.SUBMITTED: 1, S.APPROVED: 2, S.REJECTED: 1, S.CANCELLED: 1}
    assert counts.placed_amount == Decimal("1301.05")      # 200.35 + 300.35 + 800.35: not the rejected, cancelled
    shipment = await waiting_orders(uow, desk, WaitingStep.SHIPMENT)
    assert (shipment.total, shipment.amount) == (4, Decimal("2401.40"))     # 300.35 + 600.35 + 700.35 + 800.35
    assert list(shipment.by_status) == [S.APPROVED, S.ALLOCATED]            # in the lifecycle's order
