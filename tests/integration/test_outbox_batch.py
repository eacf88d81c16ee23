"""The worker chooses a claimed batch's chats in one unit of work and mutes the rows nobody is to get in one
transaction: under load most pushes go to the same few staff, and each muted row was a unit of work of its own
(users, preferences, identities: three reads) plus an outcome transaction (session 19: 1,939 a minute)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from core.clock import SHANGHAI, Clock
from core.outbox import Category, NotificationPreference, OutboxMessage, OutboxStatus
from core.users import ChatIdentity, Role, User
from notifications.ratelimit import InProcessRateLimiter
from notifications.templates import Rendered
from notifications.worker import OutboxWorker, WorkerSettings
from storage.outbox_store import SqlAlchemyOutboxStore
from storage.uow import SqlAlchemyUnitOfWork
from tests.statements import count_statements

NOW = datetime(2026, 12, 6, 2, 0, tzinfo=UTC)


class Recording:
    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    async def send(self, chat_id: str, message: Rendered) -> None:
        self.sent.append((chat_id, message.text))


def push(n: int, user_id: int | None, category: Category = Category.SYSTEM) -> OutboxMessage:
    return OutboxMessage(dedup_key=f"batch:{n}", kind="system.notice", category=category, user_id=user_id,
                         params={"text": {"zh": f"第{n}条", "en": f"No. {n}"}}, created_at=NOW)


async def people(uow: SqlAlchemyUnitOfWork) -> dict[str, int]:
    ids: dict[str, int] = {}
    async with uow:
        for name, role in (("desk1", Role.ORDER_DESK), ("desk2", Role.ORDER_DESK), ("boss", Role.MANAGEMENT),
                           ("dealer", Role.DEALER_CLERK), ("quiet", Role.DEALER_CLERK)):
            user = await uow.users.add(User(username=f"b-{name}", display_name=name, role=role))
            assert user.id is not None
            ids[name] = user.id
        await uow.identities.add(ChatIdentity(channel="telegram", external_id="555", user_id=ids["dealer"]))
        await uow.identities.add(ChatIdentity(channel="telegram", external_id="556", user_id=ids["quiet"]))
        await uow.preferences.add(NotificationPreference(user_id=ids["quiet"], muted=[Category.DIGEST.value]))
        await uow.commit()
    return ids


async def test_a_batch_for_staff_without_a_chat_is_muted_in_one_transaction(
        engine: AsyncEngine, session_factory: async_sessionmaker[AsyncSession]) -> None:
    ids = await people(SqlAlchemyUnitOfWork(session_factory))
    store = SqlAlchemyOutboxStore(session_factory)
    rows = [push(n, ids[("desk1", "desk2", "boss")[n % 3]]) for n in range(30)]
    rows += [push(100 + n, ids["dealer"]) for n in range(3)]
    rows += [push(200, ids["quiet"], Category.DIGEST), push(201, ids["quiet"])]
    assert await store.enqueue_many(rows) == 35
    sender = Recording()
    worker = OutboxWorker(lambda: SqlAlchemyUnitOfWork(session_factory), store, {"telegram": sender},
                          InProcessRateLimiter(), Clock(SHANGHAI, lambda: NOW),
                          WorkerSettings(quiet_start=None, batch_size=50), worker_id="w1")
    with count_statements(engine) as seen:
        assert await worker.run_once() == 35
    assert sorted(sender.sent) == [("555", "第100条"), ("555", "第101条"), ("555", "第102条"), ("556", "第201条")]
    assert worker.stats.as_dict() == {"sent": 4, "failed": 0, "dead": 0, "muted": 31, "rate_limited": 0,
                                           "lost_claims": 0}
    assert await store.counts() == {"muted": 31, "sent": 4}
    async with SqlAlchemyUnitOfWork(session_factory) as uow:
        muted = await uow.outbox.list(status=OutboxStatus.MUTED)
    reasons = {m.dedup_key: m.last_error for m in muted}
    assert reasons["batch:0"] == "no chat on a channel the worker can push to"
    assert reasons["batch:200"] == "muted by the recipient"
    # Each row on its own: a unit of work of 3+ reads and an outcome transaction, 4 x 31 + 4 x 4 statements and
    # more. The batch: the claim, each of the 5 users read once (user, preference, identities, and the dialog
    # for the chat's language), the muted rows in one transaction (one UPDATE per reason), one UPDATE per send.
    writes = [s for s in seen.sql if s.lstrip().upper().startswith("UPDATE")]
    assert len(writes) == 1 + 2 + 4, seen.report()            # claim, muted x 2 reasons, sent x 4
    assert seen.statements <= 30, seen.report()


async def test_muting_many_changes_only_rows_still_claimed_by_the_worker(
        session_factory: async_sessionmaker[AsyncSession]) -> None:
    store = SqlAlchemyOutboxStore(session_factory)
    await store.enqueue_many([push_to_chat(n) for n in range(3)])
    first = await store.claim_due(2, "w1", NOW)
    third = await store.claim_due(1, "w2", NOW)
    ids = [m.id for m in first + third]
    assert all(i is not None for i in ids)
    changed = await store.mark_muted_many({i: "no chat" for i in ids if i is not None}, "w1")
    assert changed == 2                                         # the third is w2's
    assert await store.counts() == {"muted": 2, "sending": 1}
    assert await store.mark_muted_many({}, "w1") == 0


def push_to_chat(n: int) -> OutboxMessage:
    return OutboxMessage(dedup_key=f"chat:{n}", kind="system.notice", category=Category.SYSTEM, channel="telegram",
                         chat_id=str(700 + n), params={"text": {"zh": "好", "en": "ok"}}, created_at=NOW)
