"""Confirm pressed twice at once, the two presses on two processes (PostgreSQL): the second waits for the dealer's
lock while the first submits, then answers with the first's order. It looks the request key up under the lock:
before, it had looked before the lock, found nothing, and priced the cart again, took an order number (lost: the
day's numbers had a gap) and failed on the unique (dealer, key) after the whole submit."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from core.services.orders import SubmitOrder, submit_order_once
from storage.engine import build_counter_engine, build_session_factory
from storage.uow import SqlAlchemyUnitOfWork
from tests.factories import dealer_user, fixed_clock
from tests.hot_paths import hot_scene
from tests.integration.conftest import Database

pytestmark = pytest.mark.postgres


async def _waiting_behind(engine: AsyncEngine, blocker: int, n: int) -> None:
    """Until ``n`` backends wait, directly or behind another waiter, for a lock ``blocker`` holds (at most 20 s)."""
    behind: set[int] = set()
    for _ in range(400):
        async with engine.connect() as conn:
            rows = (await conn.execute(text("SELECT pid, pg_blocking_pids(pid) FROM pg_stat_activity"))).all()
        behind, grew = set(), True
        while grew:
            more = {pid for pid, by in rows if pid not in behind and set(by or ()) & (behind | {blocker})}
            behind, grew = behind | more, bool(more)
        if len(behind) == n:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"{len(behind)} backends wait behind the blocker, not {n}")


async def test_the_second_press_answers_with_the_first_order_and_takes_no_number(
        pg_db: Database, pg_engine: AsyncEngine, pg_session_factory: async_sessionmaker[AsyncSession]) -> None:
    counter = build_counter_engine(pg_db.url, search_path=pg_db.search_path)
    assert counter is not None
    try:
        clock = fixed_clock()
        await hot_scene(pg_engine, pg_session_factory, clock, counter)
        autocommit = build_session_factory(pg_engine, autocommit=True)
        counter_factory = build_session_factory(counter, autocommit=True)

        def uow() -> SqlAlchemyUnitOfWork:
            return SqlAlchemyUnitOfWork(pg_session_factory, autocommit, counter_factory)

        async with pg_engine.connect() as conn:
            dealer_id = (await conn.execute(text("SELECT id FROM dealers WHERE code = 'SB1'"))).scalar_one()
        actor = dealer_user(dealer_id)
        press = SubmitOrder(dealer_id=dealer_id, items=[("AP300", 2)], client_request_key="tg:7001:42")
        # staff hold the dealer's row (say, a credit change) while both presses arrive: both get past anything
        # they read before the lock, and wait there
        async with pg_engine.connect() as blocker:
            await blocker.execute(text("SELECT id FROM dealers WHERE id = :id FOR UPDATE"), {"id": dealer_id})
            pid = (await blocker.execute(text("SELECT pg_backend_pid()"))).scalar_one()
            presses = [asyncio.create_task(submit_order_once(uow(), actor, press, clock)) for _ in range(2)]
            await _waiting_behind(pg_engine, pid, 2)
            await blocker.rollback()
        first, second = sorted(await asyncio.wait_for(asyncio.gather(*presses), 30), key=lambda s: not s.new)
        assert (first.new, second.new) == (True, False)
        assert second.order.number == first.order.number
        async with pg_engine.connect() as conn:
            orders = (await conn.execute(text("SELECT count(*) FROM orders WHERE dealer_id = :id"),
                                         {"id": dealer_id})).scalar_one()
        assert orders == 1
        # the next order gets the next number: the second press took none
        async with uow() as u:
            following = await u.take_number("SO", clock.today())
        assert int(following.rsplit("-", 1)[1]) == int(first.order.number.rsplit("-", 1)[1]) + 1
    finally:
        await counter.dispose()
