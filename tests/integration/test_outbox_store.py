"""The outbox on real databases: dedup keys, claims, outcomes, stale rows; SKIP LOCKED on PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.errors import Conflict
from core.outbox import Category, OutboxMessage, OutboxStatus, enqueue
from core.users import Role, User
from storage.outbox_store import SqlAlchemyOutboxStore
from storage.uow import SqlAlchemyUnitOfWork

NOW = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)


def row(n: int, **kw: object) -> OutboxMessage:
    values: dict[str, object] = {"dedup_key": f"test:{n}", "kind": "system.notice", "category": Category.SYSTEM,
                                 "params": {"text": {"zh": f"第{n}条", "en": f"No. {n}"}}, "channel": "telegram",
                                 "chat_id": str(1000 + n), "created_at": NOW}
    values.update(kw)
    return OutboxMessage(**values)  # type: ignore[arg-type]


async def test_enqueue_many_skips_existing_dedup_keys(session_factory: async_sessionmaker[AsyncSession]) -> None:
    store = SqlAlchemyOutboxStore(session_factory)
    assert await store.enqueue_many([row(n) for n in range(3)]) == 3
    assert await store.enqueue_many([row(n) for n in range(5)]) == 2          # 0..2 were there
    assert await store.counts() == {"pending": 5}


async def test_rows_round_trip_and_enqueue_in_a_unit_of_work_skips_a_known_key(
        uow: SqlAlchemyUnitOfWork) -> None:
    async with uow:
        user = await uow.users.add(User(username="li", display_name="李", role=Role.DEALER_CLERK))
        staged = await enqueue(uow, row(1, user_id=user.id, channel=None, chat_id=None, urgent=True,
                                        params={"number": "SO-1", "reasons": ["credit"]}))
        assert staged is not None
        await uow.commit()
    async with uow:
        assert await enqueue(uow, row(1)) is None
        stored = await uow.outbox.get_by(dedup_key="test:1")
        assert stored is not None
        assert (stored.user_id, stored.category, stored.urgent, stored.params) == (
            user.id, Category.SYSTEM, True, {"number": "SO-1", "reasons": ["credit"]})
        assert stored.status == OutboxStatus.PENDING and stored.attempts == 0
    # the unique constraint settles two writers that both saw the key missing
    async with uow:
        await uow.outbox.add(row(2))
        await uow.commit()
    with pytest.raises(Conflict):
        async with uow:
            await uow.outbox.add(row(2))
            await uow.commit()


async def test_claim_takes_due_rows_once_and_outcomes_need_the_claim(
        session_factory: async_sessionmaker[AsyncSession]) -> None:
    store = SqlAlchemyOutboxStore(session_factory)
    await store.enqueue_many([row(1), row(2, urgent=True), row(3, next_attempt_at=NOW + timedelta(minutes=5)),
                              row(4, status=OutboxStatus.FAILED, next_attempt_at=NOW - timedelta(seconds=1))])
    assert [m.dedup_key for m in await store.claim_due(10, "w1", NOW, urgent_only=True)] == ["test:2"]
    first = await store.claim_due(10, "w1", NOW)
    assert [m.dedup_key for m in first] == ["test:1", "test:4"]          # test:3 is not due yet
    assert all(m.status == OutboxStatus.SENDING and m.claimed_by == "w1" for m in first)
    assert await store.claim_due(10, "w2", NOW) == []
    one, four = first
    assert one.id is not None and four.id is not None
    assert not await store.mark_sent(one.id, "w2", NOW, "telegram:1001")       # not w2's row
    assert await store.mark_sent(one.id, "w1", NOW, "telegram:1001")
    assert not await store.mark_sent(one.id, "w1", NOW, "telegram:1001")       # no longer sending
    assert await store.mark_failed(four.id, "w1", "boom", NOW + timedelta(minutes=1))
    later = await store.claim_due(10, "w2", NOW + timedelta(minutes=10))
    assert [m.dedup_key for m in later] == ["test:3", "test:4"]
    assert later[1].attempts == 1 and later[1].last_error == "boom"
    three, four = later
    assert three.id is not None and four.id is not None
    assert await store.mark_failed(four.id, "w2", "still broken", None)          # dead
    assert await store.release(three.id, "w2", NOW + timedelta(hours=1), "flood wait")
    assert await store.counts() == {"sent": 1, "dead": 1, "pending": 1, "sending": 1}


async def test_stale_rows_of_a_dead_worker_are_requeued(session_factory: async_sessionmaker[AsyncSession]) -> None:
    store = SqlAlchemyOutboxStore(session_factory)
    await store.enqueue_many([row(n) for n in range(4)])
    await store.claim_due(2, "dead-worker", NOW)
    await store.claim_due(1, "live-worker", NOW + timedelta(minutes=9))
    assert await store.requeue_stale(NOW + timedelta(minutes=5)) == 2              # only the old claims
    assert await store.counts() == {"pending": 3, "sending": 1}
    assert await store.requeue_stale(NOW, claimed_by="live-worker") == 1           # restarted with its id
    assert await store.counts() == {"pending": 4}


@pytest.mark.postgres
async def test_concurrent_claims_on_postgresql_never_share_a_row(
        pg_session_factory: async_sessionmaker[AsyncSession]) -> None:
    store = SqlAlchemyOutboxStore(pg_session_factory)
    await store.enqueue_many([row(n) for n in range(300)])

    async def claimer(name: str) -> list[int]:
        got: list[int] = []
        while batch := await store.claim_due(7, name, NOW):
            got += [m.id for m in batch if m.id is not None]
            await asyncio.sleep(0)
        return got

    results = await asyncio.gather(*(claimer(f"w{i}") for i in range(6)))
    every = [i for ids in results for i in ids]
    assert len(every) == 300 and len(set(every)) == 300
    assert sum(1 for ids in results if ids) >= 2                 # the work was actually shared


def test_dms_run_starts_the_scheduler_and_a_worker_unless_switched_off(tmp_path: object) -> None:
    from bot.bootstrap import bootstrap, outbox_worker_task, scheduler_task
    from bot.settings import Settings

    def tasks(**overrides: object) -> list[object]:
        settings = Settings(_env_file=None, database_url="sqlite+aiosqlite:///:memory:", **overrides)  # type: ignore[call-arg]
        app = bootstrap(settings)
        try:
            return list(app.background)
        finally:
            asyncio.run(app.engine.dispose())

    assert {outbox_worker_task, scheduler_task} <= set(tasks())
    assert not {outbox_worker_task, scheduler_task} & set(tasks(notify_in_run=False))
