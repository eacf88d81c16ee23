"""Pushes staged in a unit of work (``core.outbox.enqueue_all`` -> ``uow.add_new_outbox``) on the real databases:
one INSERT that skips the keys already taken, ids on the staged rows, and two transactions staging the same key
at once both commit (the later one skips it) instead of one failing at commit."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from core.outbox import Category, OutboxMessage, enqueue_all
from core.users import Role, User
from storage.uow import SqlAlchemyUnitOfWork
from tests.factories import fixed_clock
from tests.statements import count_statements


def _message(key: str, user_id: int, text: str = "") -> OutboxMessage:
    return OutboxMessage(dedup_key=key, kind="order.submitted", category=Category.ORDER,
                         params={"number": "SO-1", "备注": text}, user_id=user_id, created_at=fixed_clock().now())


async def _user(uow: SqlAlchemyUnitOfWork, name: str) -> int:
    user = await uow.users.add(User(username=name, display_name="下单员", role=Role.ORDER_DESK))
    assert user.id is not None
    return user.id


async def test_staging_skips_taken_keys_in_one_statement(
        engine: AsyncEngine, session_factory: async_sessionmaker[AsyncSession]) -> None:
    async with SqlAlchemyUnitOfWork(session_factory) as uow:
        desk = await _user(uow, "desk-a")
        await enqueue_all(uow, [_message("k1", desk, "早")])
        await uow.commit()
    async with SqlAlchemyUnitOfWork(session_factory) as uow:
        other = await _user(uow, "desk-b")          # pending in the session: written before the pushes
        with count_statements(engine) as seen:
            staged = await enqueue_all(uow, [_message("k1", desk, "again"), _message("k2", desk, "新"),
                                             _message("k2", desk, "twice"), _message("k3", other, "新人")])
        await uow.commit()
    assert [(m.dedup_key, m.params["备注"]) for m in staged] == [("k2", "新"), ("k3", "新人")]
    assert all(m.id is not None for m in staged)
    assert not any(s.lstrip().upper().startswith("SELECT") for s in seen.sql), seen.report()   # no look-up
    async with SqlAlchemyUnitOfWork(session_factory) as uow:
        rows = {m.dedup_key: m for m in await uow.outbox.list()}
    assert sorted(rows) == ["k1", "k2", "k3"]
    assert rows["k1"].params["备注"] == "早" and rows["k3"].user_id == other      # the first row kept as it was
    assert rows["k2"].id == next(m.id for m in staged if m.dedup_key == "k2")


@pytest.mark.postgres
async def test_two_transactions_staging_one_key_both_commit(
        pg_engine: AsyncEngine, pg_session_factory: async_sessionmaker[AsyncSession]) -> None:
    async with SqlAlchemyUnitOfWork(pg_session_factory) as uow:
        desk = await _user(uow, "desk-c")
        await uow.commit()
    first, second = SqlAlchemyUnitOfWork(pg_session_factory), SqlAlchemyUnitOfWork(pg_session_factory)
    async with first, second:
        assert [m.dedup_key for m in await enqueue_all(first, [_message("same", desk, "1")])] == ["same"]
        later = asyncio.create_task(enqueue_all(second, [_message("same", desk, "2")]))   # waits on the key
        await asyncio.sleep(0.2)
        assert not later.done()
        await first.commit()
        assert await asyncio.wait_for(later, 10) == []          # skipped, not a failed commit
        await second.commit()
    async with SqlAlchemyUnitOfWork(pg_session_factory) as uow:
        rows = await uow.outbox.list(dedup_key="same")
    assert [r.params["备注"] for r in rows] == ["1"]
