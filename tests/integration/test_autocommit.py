"""Units of work in AUTOCOMMIT (``uow.autocommit()``, issue 18): the delivery receipt, the dialog write-back and the
hot paths' reads run without BEGIN / COMMIT / ROLLBACK around them; what they write is committed by the statement
itself, a duplicate receipt is still refused, and a unit of work without the mode is itself. PostgreSQL and SQLite.
And the pool's idle ping (``storage.engine.ping_when_idle``): a connection closed by the server while it waited
in the pool is replaced before use, with no error for the user."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from core.dialogs import InboundReceipt
from core.errors import Conflict
from storage.engine import build_engine, build_session_factory, ping_when_idle
from storage.uow import SqlAlchemyUnitOfWork
from tests.statements import count_statements

AT = datetime(2026, 12, 5, 8, 0, tzinfo=UTC)


async def test_a_receipt_taken_in_autocommit_is_committed_by_its_insert_and_a_second_is_refused(
        engine: AsyncEngine, session_factory: async_sessionmaker[AsyncSession]) -> None:
    uow = SqlAlchemyUnitOfWork(session_factory, build_session_factory(engine, autocommit=True)).autocommit()
    with count_statements(engine) as seen:
        async with uow:
            await uow.receipts.add(InboundReceipt(channel="telegram", key="u-0", received_at=AT))
    assert (seen.statements, seen.commits, seen.implicit_commits, seen.rollbacks, seen.round_trips) == \
        (1, 1, 1, 0, 1), seen.report()
    async with uow:
        await uow.receipts.add(InboundReceipt(channel="telegram", key="u-1", received_at=AT))
        # visible to another connection before this unit of work ends: the INSERT was its own transaction
        async with engine.connect() as other:
            assert (await other.execute(text("SELECT count(*) FROM inbound_receipts"))).scalar_one() == 2
    with pytest.raises(Conflict):
        async with uow:
            await uow.receipts.add(InboundReceipt(channel="telegram", key="u-1", received_at=AT))
    async with engine.connect() as other:
        assert (await other.execute(text("SELECT count(*) FROM inbound_receipts"))).scalar_one() == 2


async def test_a_read_in_autocommit_sends_no_transaction_end(
        engine: AsyncEngine, session_factory: async_sessionmaker[AsyncSession]) -> None:
    plain = SqlAlchemyUnitOfWork(session_factory, build_session_factory(engine, autocommit=True))
    with count_statements(engine) as in_transaction:
        async with plain:
            await plain.products.list()
    with count_statements(engine) as alone:
        async with plain.autocommit() as uow:
            await uow.products.list()
    assert (in_transaction.statements, in_transaction.rollbacks) == (1, 1), in_transaction.report()
    assert (alone.statements, alone.rollbacks, alone.round_trips) == (1, 0, 1), alone.report()


def test_a_unit_of_work_without_the_mode_is_itself(session_factory: async_sessionmaker[AsyncSession]) -> None:
    uow = SqlAlchemyUnitOfWork(session_factory)
    assert uow.autocommit() is uow


@pytest.mark.postgres
async def test_a_pooled_connection_closed_while_idle_is_replaced_before_use(pg_engine: AsyncEngine) -> None:
    url = pg_engine.url.render_as_string(hide_password=False)
    engine = build_engine(url, pool_size=1, max_overflow=0)
    ping_when_idle(engine, idle_seconds=0.0)          # every checkout after a checkin pings (as after 10 s idle)
    try:
        async with engine.connect() as conn:
            pid = (await conn.execute(text("SELECT pg_backend_pid()"))).scalar_one()
        async with pg_engine.connect() as admin:       # the server closes it, as a restart would
            await admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            await admin.commit()
        async with engine.connect() as conn:           # no error: the ping found it dead, the pool connected anew
            assert (await conn.execute(text("SELECT pg_backend_pid()"))).scalar_one() != pid
    finally:
        await engine.dispose()


@pytest.mark.postgres
async def test_a_connection_in_steady_use_is_not_pinged(pg_engine: AsyncEngine,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    url = pg_engine.url.render_as_string(hide_password=False)
    engine = build_engine(url, pool_size=1, max_overflow=0)      # the default: 10 s idle before a ping
    pings = 0
    try:
        async with engine.connect() as conn:
            adapted = type((await conn.get_raw_connection()).dbapi_connection)
        original = adapted.ping

        def counted(self: object) -> None:
            nonlocal pings
            pings += 1
            original(self)
        monkeypatch.setattr(adapted, "ping", counted)
        for _ in range(5):
            async with engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        assert pings == 0
        ping_when_idle(engine, idle_seconds=0.0)       # the same pool, pinging after any idle time: it is counted
        async with engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
        assert pings == 1
    finally:
        await engine.dispose()
