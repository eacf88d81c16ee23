"""Document numbers and stock reservations under concurrent transactions."""

from __future__ import annotations

import asyncio
from datetime import date

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from core.inventory import StockLevel
from core.orders import Order
from storage.engine import build_counter_engine, build_engine, build_session_factory
from storage.uow import SqlAlchemyUnitOfWork
from tests.factories import make_dealer, make_warehouse
from tests.integration.conftest import Database

DAY = date(2026, 11, 26)


async def test_next_number_is_sequential_per_prefix_and_day(uow: SqlAlchemyUnitOfWork) -> None:
    async with uow:
        numbers = [await uow.next_number("SO", DAY) for _ in range(3)]
        other_prefix = await uow.next_number("AS", DAY)
        next_day = await uow.next_number("SO", date(2026, 11, 27))
        await uow.commit()
    async with uow:
        after_commit = await uow.next_number("SO", DAY)
        # not committed: the number is given back
    async with uow:
        reused = await uow.next_number("SO", DAY)
        await uow.commit()
    assert numbers == ["SO-20261126-0001", "SO-20261126-0002", "SO-20261126-0003"]
    assert other_prefix == "AS-20261126-0001"
    assert next_day == "SO-20261127-0001"
    assert after_commit == reused == "SO-20261126-0004"


async def _numbered_order(session_factory: async_sessionmaker[AsyncSession], dealer_id: int) -> str:
    uow = SqlAlchemyUnitOfWork(session_factory)
    async with uow:
        number = await uow.next_number("SO", DAY)
        await asyncio.sleep(0.005)             # keep the transaction open while others queue up
        await uow.orders.add(Order(number=number, dealer_id=dealer_id))   # unique: a duplicate would fail
        await uow.commit()
    return number


@pytest.mark.postgres
async def test_next_number_unique_under_20_concurrent_transactions_postgres(
        pg_session_factory: async_sessionmaker[AsyncSession]) -> None:
    await _assert_20_concurrent_numbers(pg_session_factory)


async def test_next_number_unique_under_20_concurrent_transactions(
        session_factory: async_sessionmaker[AsyncSession]) -> None:
    await _assert_20_concurrent_numbers(session_factory)


async def _assert_20_concurrent_numbers(session_factory: async_sessionmaker[AsyncSession]) -> None:
    uow = SqlAlchemyUnitOfWork(session_factory)
    async with uow:
        dealer = await uow.dealers.add(make_dealer())
        await uow.commit()
    assert dealer.id is not None
    numbers = await asyncio.gather(*(_numbered_order(session_factory, dealer.id) for _ in range(20)))
    assert sorted(numbers) == [f"SO-20261126-{n:04d}" for n in range(1, 21)]
    async with uow:
        assert await uow.orders.count() == 20


# --- SELECT ... FOR UPDATE ------------------------------------------------------------------------------


async def _stock(session_factory: async_sessionmaker[AsyncSession], on_hand: int) -> int:
    uow = SqlAlchemyUnitOfWork(session_factory)
    async with uow:
        warehouse = await uow.warehouses.add(make_warehouse())
        assert warehouse.id is not None
        level = await uow.stock.add(StockLevel(warehouse_id=warehouse.id, sku="KJ-500", on_hand=on_hand))
        await uow.commit()
    assert level.id is not None
    return level.id


async def _reserve(session_factory: async_sessionmaker[AsyncSession], stock_id: int, qty: int,
                   *, lock: bool) -> bool:
    """Read the stock, think a little (other reservations arrive meanwhile), reserve if enough is left."""
    uow = SqlAlchemyUnitOfWork(session_factory)
    async with uow:
        level = await uow.stock.get(stock_id, for_update=lock)
        assert level is not None
        await asyncio.sleep(0.2)
        if level.available < qty:
            return False
        level.reserved += qty
        await uow.commit()
        return True


async def _race(session_factory: async_sessionmaker[AsyncSession], *, lock: bool) -> tuple[list[bool], int]:
    stock_id = await _stock(session_factory, on_hand=10)
    results = await asyncio.gather(*(_reserve(session_factory, stock_id, 6, lock=lock) for _ in range(2)))
    uow = SqlAlchemyUnitOfWork(session_factory)
    async with uow:
        level = await uow.stock.get(stock_id)
    assert level is not None
    return sorted(results), level.reserved


@pytest.mark.postgres
async def test_for_update_serializes_stock_reservations_postgres(
        pg_session_factory: async_sessionmaker[AsyncSession]) -> None:
    results, reserved = await _race(pg_session_factory, lock=True)
    assert results == [False, True]          # only one of two 6-unit reservations fits into 10
    assert reserved == 6


@pytest.mark.postgres
async def test_without_lock_both_reservations_succeed_postgres(
        pg_session_factory: async_sessionmaker[AsyncSession]) -> None:
    """The race the lock prevents: both read 10 available, both reserve, 12 promised out of 10."""
    results, reserved = await _race(pg_session_factory, lock=False)
    assert results == [True, True]
    assert reserved == 6                     # and one reservation was silently lost


async def test_for_update_serializes_stock_reservations(session_factory: async_sessionmaker[AsyncSession]) -> None:
    """Same guarantee on SQLite (database write lock) and PostgreSQL (row lock)."""
    results, reserved = await _race(session_factory, lock=True)
    assert results == [False, True]
    assert reserved == 6


async def test_for_update_rereads_a_row_the_session_already_holds(
        session_factory: async_sessionmaker[AsyncSession]) -> None:
    stock_id = await _stock(session_factory, on_hand=10)
    mine, theirs = SqlAlchemyUnitOfWork(session_factory), SqlAlchemyUnitOfWork(session_factory)
    async with mine:
        stale = await mine.stock.get(stock_id)
        assert stale is not None and stale.reserved == 0
        async with theirs:
            level = await theirs.stock.get(stock_id, for_update=True)
            assert level is not None
            level.reserved = 4
            await theirs.commit()
        fresh = await mine.stock.get(stock_id, for_update=True)
        assert fresh is not None and fresh.reserved == 4
        cached = await mine.stock.get(stock_id)
        assert cached is fresh


# --- sales order numbers: taken without holding the day's counter -----------------------------------------


@pytest.mark.postgres
async def test_a_taken_number_does_not_hold_the_counter_until_commit_postgres(pg_db: Database,
                                                                               pg_engine: AsyncEngine) -> None:
    """A submit holding its order number uncommitted does not make the next submit wait for it (the counter
    row stayed locked until commit: under load every submit of the day queued behind the one before); a unit
    that rolls back leaves its number unused, never given twice."""
    counter = build_counter_engine(pg_db.url, search_path=pg_db.search_path)
    assert counter is not None
    try:
        factory, counters = build_session_factory(pg_engine), build_session_factory(counter, autocommit=True)
        first, second = SqlAlchemyUnitOfWork(factory, None, counters), SqlAlchemyUnitOfWork(factory, None, counters)
        async with first:
            held = await first.take_number("SO", DAY)
            async with second:
                following = await asyncio.wait_for(second.take_number("SO", DAY), 5)
                await second.commit()
            # first rolls back: its number stays unused
        async with first:
            after = await first.take_number("SO", DAY)
            in_transaction = await first.next_number("AS", DAY)
            await first.commit()
    finally:
        await counter.dispose()
    assert (held, following, after) == ("SO-20261126-0001", "SO-20261126-0002", "SO-20261126-0003")
    assert in_transaction == "AS-20261126-0001"


@pytest.mark.postgres
async def test_submits_holding_every_connection_still_get_their_numbers_postgres(pg_db: Database) -> None:
    """Numbers come from a pool of their own: transactions holding every connection of the main pool each take a
    number without waiting for a connection that none of them gives back (a main pool of 2 here)."""
    engine = build_engine(pg_db.url, search_path=pg_db.search_path, pool_size=1, max_overflow=1)
    counter = build_counter_engine(pg_db.url, search_path=pg_db.search_path)
    assert counter is not None
    factory, counters = build_session_factory(engine), build_session_factory(counter, autocommit=True)
    held = asyncio.Event()

    async def submit() -> str:
        uow = SqlAlchemyUnitOfWork(factory, None, counters)
        async with uow:
            await uow.orders.count()            # this unit's connection, held to its end
            held.set()
            await asyncio.sleep(0.05)           # the other one takes its connection meanwhile
            return await uow.take_number("FY", DAY)
    try:
        numbers = await asyncio.wait_for(asyncio.gather(submit(), submit()), 10)
    finally:
        await engine.dispose()
        await counter.dispose()
    assert sorted(numbers) == ["FY-20261126-0001", "FY-20261126-0002"]


async def test_without_a_counter_pool_the_number_is_given_back_with_its_transaction(engine: AsyncEngine) -> None:
    """SQLite (one writer at a time; no counter pool): the number is taken in the unit's transaction, as
    next_number, and a rollback gives it back."""
    uow = SqlAlchemyUnitOfWork(build_session_factory(engine), build_session_factory(engine, autocommit=True))
    async with uow:
        assert await uow.take_number("SO", DAY) == "SO-20261126-0001"
    async with uow:
        again = await uow.take_number("SO", DAY)
        await uow.commit()
    assert again == "SO-20261126-0001"
