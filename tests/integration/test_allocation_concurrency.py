"""Concurrent allocations through the use case, on SQLite and the real PostgreSQL: the stock rows are locked
late (each by its conditional UPDATE, just before commit) to keep the hot spot short; an allocation that finds its stock taken meanwhile runs
again with the rows locked from the start. Never more reserved than on hand, no lost update, no deadlock."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from core.inventory import StockLevel
from core.orders import Order, OrderLine, OrderStatus
from core.services.orders import AllocateOrder, allocate_order
from core.users import Role
from storage.uow import SqlAlchemyUnitOfWork
from tests.factories import fixed_clock, make_dealer, make_warehouse, staff
from tests.statements import count_statements

DESK = staff(Role.ORDER_DESK, name="desk")


async def _seed(session_factory: async_sessionmaker[AsyncSession], stock: dict[str, int],
                orders: list[list[tuple[str, int]]], prefix: str) -> tuple[int, list[str]]:
    uow = SqlAlchemyUnitOfWork(session_factory)
    async with uow:
        dealer = await uow.dealers.add(make_dealer(code=f"{prefix}D"))
        warehouse = await uow.warehouses.add(make_warehouse(f"{prefix}WH"))
        assert dealer.id is not None and warehouse.id is not None
        for sku, on_hand in stock.items():
            await uow.stock.add(StockLevel(warehouse_id=warehouse.id, sku=sku, on_hand=on_hand))
        numbers = []
        for n, lines in enumerate(orders, start=1):
            number = f"SO-2026{prefix}-{n:04d}"
            await uow.orders.add(Order(number=number, dealer_id=dealer.id, status=OrderStatus.APPROVED,
                                       total=Decimal("1.00"), created_at=fixed_clock().now(),
                                       lines=[OrderLine(sku=sku, name=sku, qty=qty, unit_price=Decimal("1.00"))
                                              for sku, qty in lines]))
            numbers.append(number)
        await uow.commit()
    return warehouse.id, numbers


async def _allocate_all(session_factory: async_sessionmaker[AsyncSession], numbers: list[str]) -> list[Order]:
    return await asyncio.wait_for(asyncio.gather(*(
        allocate_order(SqlAlchemyUnitOfWork(session_factory), DESK, AllocateOrder(number=n), fixed_clock())
        for n in numbers)), 60)


async def _reserved(session_factory: async_sessionmaker[AsyncSession], warehouse_id: int) -> dict[str, int]:
    uow = SqlAlchemyUnitOfWork(session_factory)
    async with uow:
        return {s.sku: s.reserved for s in await uow.stock.list(warehouse_id=warehouse_id)}


async def test_five_orders_for_ten_units_reserve_nine_and_two_go_to_production(
        session_factory: async_sessionmaker[AsyncSession]) -> None:
    warehouse_id, numbers = await _seed(session_factory, {"KJ-500": 10}, [[("KJ-500", 3)]] * 5, "A")
    done = await _allocate_all(session_factory, numbers)
    statuses = sorted(o.status.value for o in done)
    assert statuses.count(OrderStatus.ALLOCATED.value) == 3
    assert statuses.count(OrderStatus.IN_PRODUCTION.value) == 2
    assert await _reserved(session_factory, warehouse_id) == {"KJ-500": 9}
    uow = SqlAlchemyUnitOfWork(session_factory)
    async with uow:
        audit = await uow.audit.list(entity="order", entity_id__in=numbers)
    # one audit entry per order: the attempt that found its stock taken left nothing behind
    assert sorted(a.entity_id for a in audit) == sorted(numbers)


async def test_orders_locking_two_products_in_opposite_orders_do_not_deadlock(
        session_factory: async_sessionmaker[AsyncSession]) -> None:
    orders = [[("KJ-500", 1), ("FL-200", 1)], [("FL-200", 1), ("KJ-500", 1)]] * 4
    warehouse_id, numbers = await _seed(session_factory, {"KJ-500": 100, "FL-200": 100}, orders, "B")
    done = await _allocate_all(session_factory, numbers)
    assert {o.status for o in done} == {OrderStatus.ALLOCATED}
    assert await _reserved(session_factory, warehouse_id) == {"KJ-500": 8, "FL-200": 8}


async def test_the_rows_are_locked_by_their_conditional_update_just_before_the_commit(
        engine: AsyncEngine, session_factory: async_sessionmaker[AsyncSession]) -> None:
    """No SELECT ... FOR UPDATE of stock: each row is reserved by one UPDATE that checks what is available, after
    the unit's other writes (the order, its event, the audit entry), and the commit comes straight after."""
    _, numbers = await _seed(session_factory, {"KJ-500": 10, "FL-200": 10}, [[("KJ-500", 2), ("FL-200", 1)]], "C")
    with count_statements(engine) as seen:
        done = await allocate_order(SqlAlchemyUnitOfWork(session_factory), DESK, AllocateOrder(number=numbers[0]),
                                    fixed_clock())
    assert done.status == OrderStatus.ALLOCATED
    stock = [n for n, sql in enumerate(seen.sql) if "stock_levels" in sql]
    assert not any("FOR UPDATE" in seen.sql[n] for n in stock), seen.report()
    updates = [n for n in stock if seen.sql[n].lstrip().upper().startswith("UPDATE")]
    assert len(updates) == 2 and updates[-1] == len(seen.sql) - 1, seen.report()     # the last two, then commit
    assert seen.commits == 1


@pytest.mark.postgres
async def test_a_row_short_at_the_reservation_leaves_no_other_row_reserved(
        pg_session_factory: async_sessionmaker[AsyncSession]) -> None:
    """The first row reserved, the second short by then (stock taken meanwhile, by another transaction: on
    PostgreSQL, SQLite has one writer): the whole unit rolls back and the allocation runs again with the rows
    locked; the order goes to production, nothing stays reserved."""
    session_factory = pg_session_factory
    warehouse_id, numbers = await _seed(session_factory, {"KJ-500": 10, "FL-200": 1},
                                        [[("FL-200", 1), ("KJ-500", 2)]], "D")
    original = SqlAlchemyUnitOfWork.reserve_stock

    async def taken_meanwhile(self: SqlAlchemyUnitOfWork, warehouse: int, need: dict[str, int], at: Any) -> bool:
        other = SqlAlchemyUnitOfWork(session_factory)
        async with other:
            row = await other.stock.get_by(warehouse_id=warehouse, sku="FL-200", for_update=True)
            assert row is not None
            row.reserved = 1
            await other.commit()
        return await original(self, warehouse, need, at)

    SqlAlchemyUnitOfWork.reserve_stock = taken_meanwhile  # type: ignore[method-assign]
    try:
        done = await allocate_order(SqlAlchemyUnitOfWork(session_factory), DESK,
                                    AllocateOrder(number=numbers[0]), fixed_clock())
    finally:
        SqlAlchemyUnitOfWork.reserve_stock = original  # type: ignore[method-assign]
    assert done.status == OrderStatus.IN_PRODUCTION
    assert await _reserved(session_factory, warehouse_id) == {"KJ-500": 0, "FL-200": 1}
