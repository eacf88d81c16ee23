"""A new order written in one INSERT per table (``uow.add_order`` -> ``insert_new``, behind ``submit_order``) on the
real databases: the rows as the ORM's flush wrote them (ids in the lines' order, the events, the JSON list, the
version), the objects attached as if loaded (a later change in the same unit is an UPDATE with the version check,
an in-place JSON change is written), part of the unit's transaction (a rollback takes the rows away), and on
PostgreSQL sent on the connection the transaction runs on."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from core.orders import Order, OrderEvent, OrderLine, OrderStatus
from storage import driver
from storage.orm import order_lines, orders
from storage.uow import SqlAlchemyUnitOfWork
from tests.factories import at, make_dealer


def _order(dealer_id: int, number: str) -> Order:
    lines = [OrderLine(sku=sku, name=f"净化器 {sku}", qty=qty, unit_price=Decimal(price))
             for sku, qty, price in (("AP500", 5, "1999.00"), ("AP300", 20, "1299.50"), ("FLT-1", 3, "89.90"))]
    return Order(number=number, dealer_id=dealer_id, lines=lines, total=Decimal("35969.70"), status=OrderStatus.SUBMITTED,
                 approval_reasons=["超出信用额度"], placed_by="dealer:li", note="下周三前到",
                 created_at=at(), updated_at=at(),
                 events=[OrderEvent(status=OrderStatus.SUBMITTED, actor="dealer:li", at=at())])


async def test_a_new_order_is_one_insert_per_table_and_reads_back_as_written(
        engine: AsyncEngine, session_factory: async_sessionmaker[AsyncSession]) -> None:
    sent: list[tuple[str, bool]] = []

    def watch(pool: object, sql: str, in_transaction: bool) -> None:
        sent.append((sql, in_transaction))

    async with SqlAlchemyUnitOfWork(session_factory) as uow:
        dealer = await uow.dealers.add(make_dealer(code="INS1"))
        assert dealer.id is not None
        order = _order(dealer.id, "SO-20261126-0001")
        driver.WATCHERS.append(watch)
        try:
            await uow.add_order(order)
        finally:
            driver.WATCHERS.remove(watch)
        session = uow.session
        assert order.id is not None and all(sa_inspect(o).persistent for o in (order, *order.lines, *order.events))
        assert not (session.new or session.dirty or session.deleted)            # nothing left for a flush
        ids = [line.id for line in order.lines]
        assert ids == sorted(ids) and len(set(ids)) == 3 and {ln.order_id for ln in order.lines} == {order.id}
        # a later change in the same unit: an UPDATE that checks and bumps the version; the JSON list changed in place
        order.status = OrderStatus.APPROVED
        order.approval_reasons.append("首单")
        await uow.flush()
        await uow.commit()
    if engine.dialect.name == "postgresql":     # on the transaction's own connection, inside the transaction
        assert [s.split(" (")[0] for s, _ in sent] == ["INSERT INTO orders", "INSERT INTO order_lines",
                                                       "INSERT INTO order_events"]
        assert all(inside for _, inside in sent)
    async with SqlAlchemyUnitOfWork(session_factory) as uow:
        back = await uow.orders.get_by(number="SO-20261126-0001")
    assert back is not None and back.id == order.id and back.version == 2 and back.status == OrderStatus.APPROVED
    assert [(ln.id, ln.sku, ln.qty, ln.unit_price) for ln in back.lines] == \
        [(ln.id, ln.sku, ln.qty, ln.unit_price) for ln in order.lines]             # the lines' order and ids kept
    assert back.approval_reasons == ["超出信用额度", "首单"] and back.note == "下周三前到"
    assert [(e.status, e.actor, e.at) for e in back.events] == [(OrderStatus.SUBMITTED, "dealer:li", at())]
    assert back.total == Decimal("35969.70") and back.created_at == at()


async def test_a_new_order_rolled_back_leaves_no_row(session_factory: async_sessionmaker[AsyncSession]) -> None:
    async with SqlAlchemyUnitOfWork(session_factory) as uow:
        dealer = await uow.dealers.add(make_dealer(code="INS2"))
        await uow.commit()
    assert dealer.id is not None
    async with SqlAlchemyUnitOfWork(session_factory) as uow:
        await uow.dealers.get(dealer.id, for_update=True)                       # the transaction runs
        await uow.add_order(_order(dealer.id, "SO-20261126-0002"))
        await uow.rollback()
    async with SqlAlchemyUnitOfWork(session_factory) as uow:
        assert (await uow.session.execute(select(orders.c.id))).all() == []
        assert (await uow.session.execute(select(order_lines.c.id))).all() == []
