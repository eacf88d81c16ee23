"""The outbox worker with fakes: choosing the chat, language, preferences, quiet hours, flood waits,
retries with backoff, dead rows, lost claims."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pytest

from core.clock import SHANGHAI, Clock
from core.dialogs import DialogState
from core.outbox import Category, NotificationPreference, OutboxMessage, OutboxStatus
from core.users import ChatIdentity, Role, User
from notifications.errors import ChannelError, ChannelRateLimited
from notifications.ratelimit import InProcessRateLimiter
from notifications.templates import Rendered
from notifications.worker import OutboxWorker, WorkerSettings
from tests.fakes import FakeOutboxStore, FakeUnitOfWork


class MovableClock(Clock):
    def __init__(self, text: str = "2026-11-26 10:00") -> None:
        self.moment = datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)
        super().__init__(SHANGHAI, lambda: self.moment)

    def advance(self, **kw: float) -> None:
        self.moment += timedelta(**kw)


@dataclass
class RecordingSender:
    sent: list[tuple[str, Rendered]] = field(default_factory=list)
    fail_with: list[Exception] = field(default_factory=list)

    async def send(self, chat_id: str, message: Rendered) -> None:
        if self.fail_with:
            raise self.fail_with.pop(0)
        self.sent.append((chat_id, message))


@dataclass
class World:
    uow: FakeUnitOfWork
    store: FakeOutboxStore
    clock: MovableClock
    telegram: RecordingSender
    wecom: RecordingSender
    limiter: InProcessRateLimiter
    worker: OutboxWorker
    slept: list[float]

    async def user(self, name: str, *chats: tuple[str, str], language: str = "zh-CN", role: Role = Role.ORDER_DESK,
                   active: bool = True) -> int:
        user = await self.uow.users.add(User(username=name, display_name=name, role=role, language=language,
                                             active=active))
        assert user.id is not None
        for channel, chat in chats:
            await self.uow.identities.add(ChatIdentity(channel=channel, external_id=chat, user_id=user.id))
        await self.uow.commit()
        return user.id

    async def queue(self, *messages: OutboxMessage) -> None:
        await self.store.enqueue_many(list(messages))

    async def row(self, key: str) -> OutboxMessage:
        found = await self.uow.outbox.get_by(dedup_key=key)
        assert found is not None
        return found


def world(**settings: object) -> World:
    uow = FakeUnitOfWork()
    store = FakeOutboxStore(uow)
    clock = MovableClock()
    telegram, wecom = RecordingSender(), RecordingSender()
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)
        clock.advance(seconds=seconds)

    limiter = InProcessRateLimiter(now=lambda: clock.moment.timestamp(), sleep=sleep)
    worker = OutboxWorker(lambda: uow, store, {"telegram": telegram, "wecom": wecom}, limiter, clock,
                          WorkerSettings(**settings), worker_id="w1")  # type: ignore[arg-type]
    return World(uow, store, clock, telegram, wecom, limiter, worker, slept)


def notice(key: str, user_id: int | None = None, *, kind: str = "order.approved", urgent: bool = False,
           category: Category = Category.ORDER, **kw: object) -> OutboxMessage:
    params = {"number": "SO-20261126-0001", "total": "¥1,999.00"}
    return OutboxMessage(dedup_key=key, kind=kind, category=category, params=params, user_id=user_id,
                         urgent=urgent, **kw)  # type: ignore[arg-type]


async def test_a_row_is_rendered_in_the_chats_language_sent_and_recorded() -> None:
    w = world()
    zh = await w.user("wang", ("telegram", "1001"))
    en = await w.user("smith", ("telegram", "1002"), language="en")
    await w.uow.dialogs.add(DialogState(channel="telegram", chat_id="1001", language="en"))   # chose English
    await w.uow.commit()
    await w.queue(notice("a", zh), notice("b", en), notice("c", channel="telegram", chat_id="1003"))
    assert await w.worker.drain() == 3
    sent = {chat: m.text for chat, m in w.telegram.sent}
    assert sent == {"1001": "Your order SO-20261126-0001 has been approved (¥1,999.00).",
                    "1002": "Your order SO-20261126-0001 has been approved (¥1,999.00).",
                    "1003": "您的订单 SO-20261126-0001 已审核通过，金额 ¥1,999.00。"}
    row = await w.row("a")
    assert (row.status, row.delivered_to, row.attempts) == (OutboxStatus.SENT, "telegram:1001", 0)
    assert row.sent_at is not None and row.sent_at <= w.clock.now()
    assert [b.payload for b in w.telegram.sent[0][1].buttons[0]] == ["1|orders.detail|SO-20261126-0001"]
    assert await w.worker.drain() == 0                         # nothing is sent twice


async def test_the_chosen_channel_wins_else_the_one_used_last() -> None:
    w = world()
    both = await w.user("li", ("telegram", "1001"), ("wecom", "lisi"))
    await w.uow.dialogs.add(DialogState(channel="wecom", chat_id="lisi", updated_at=w.clock.now()))
    await w.uow.dialogs.add(DialogState(channel="telegram", chat_id="1001",
                                        updated_at=w.clock.now() - timedelta(days=1)))
    await w.uow.commit()
    await w.queue(notice("last-used", both))
    await w.worker.drain()
    assert [c for c, _ in w.wecom.sent] == ["lisi"] and w.telegram.sent == []
    await w.uow.preferences.add(NotificationPreference(user_id=both, channel="telegram"))
    await w.uow.commit()
    await w.queue(notice("chosen", both))
    await w.worker.drain()
    assert [c for c, _ in w.telegram.sent] == ["1001"]


async def test_muted_categories_are_not_sent_but_system_notices_are() -> None:
    w = world()
    user = await w.user("li", ("telegram", "1001"))
    await w.uow.preferences.add(NotificationPreference(user_id=user, muted=["order", "system"]))
    await w.uow.commit()
    await w.queue(notice("order", user),
                  notice("system", user, kind="dealer.suspended", category=Category.SYSTEM))
    await w.worker.drain()
    assert (await w.row("order")).status == OutboxStatus.MUTED
    assert (await w.row("system")).status == OutboxStatus.SENT           # cannot be muted
    assert len(w.telegram.sent) == 1


async def test_no_chat_to_push_to_is_recorded_not_retried() -> None:
    """Nobody to push to (user gone, never bound): muted. A chat only on a channel no sender serves (web chat,
    terminal, a channel since removed): dead at once with the reason, after one claim, never retried."""
    w = world()
    local_only = await w.user("li", ("web", "web:li"))                  # no sender for the web chat
    removed = await w.user("zhao", ("dingtalk", "zhao"))                # a channel since removed
    gone = await w.user("old", ("telegram", "1009"), active=False)
    await w.queue(notice("local", local_only), notice("gone", gone), notice("removed", removed),
                  notice("console", channel="console", chat_id="console:wu"))  # a staff answer to the terminal
    assert await w.worker.drain() == 4
    assert await w.worker.drain() == 0                                   # nothing left to claim: not retried
    gone_row = await w.row("gone")
    assert gone_row.status == OutboxStatus.MUTED and gone_row.last_error == "the user is gone or inactive"
    for key, channel in (("local", "web"), ("removed", "dingtalk"), ("console", "console")):
        row = await w.row(key)
        assert row.status == OutboxStatus.DEAD and row.attempts == 1
        assert row.last_error is not None and row.last_error.startswith("undeliverable") and channel in row.last_error
    assert w.telegram.sent == []


async def test_quiet_hours_hold_back_all_but_urgent_rows_until_morning() -> None:
    w = world()
    w.clock.moment = datetime(2026, 11, 26, 23, 30, tzinfo=SHANGHAI)
    user = await w.user("li", ("telegram", "1001"))
    await w.queue(notice("digest", user), notice("urgent", user, urgent=True))
    await w.worker.drain()
    assert [m.text[:6] for _, m in w.telegram.sent] == ["您的订单 S"]
    assert (await w.row("urgent")).status == OutboxStatus.SENT
    assert (await w.row("digest")).status == OutboxStatus.PENDING
    w.clock.moment = datetime(2026, 11, 27, 7, 59, tzinfo=SHANGHAI)
    assert await w.worker.drain() == 0
    w.clock.moment = datetime(2026, 11, 27, 8, 0, tzinfo=SHANGHAI)
    assert await w.worker.drain() == 1
    assert (await w.row("digest")).status == OutboxStatus.SENT


def test_quiet_hours_may_cross_midnight_or_be_switched_off() -> None:
    night = WorkerSettings()
    assert [night.quiet(datetime(2026, 1, 1, h, 0)) for h in (21, 22, 3, 7, 8, 12)] == [
        False, True, True, True, False, False]
    lunch = WorkerSettings(quiet_start=datetime(2026, 1, 1, 12).time(), quiet_end=datetime(2026, 1, 1, 14).time())
    assert [lunch.quiet(datetime(2026, 1, 1, h, 0)) for h in (11, 12, 13, 14)] == [False, True, True, False]
    assert not WorkerSettings(quiet_start=None, quiet_end=None).quiet(datetime(2026, 1, 1, 23, 0))


async def test_a_flood_wait_pauses_the_channel_and_is_not_an_attempt() -> None:
    w = world()
    users = [await w.user(f"u{n}", ("telegram", str(1000 + n))) for n in range(3)]
    w.telegram.fail_with.append(ChannelRateLimited(7))
    await w.queue(*(notice(f"k{n}", u) for n, u in enumerate(users)))
    await w.worker.run_once()
    first = await w.row("k0")
    assert first.status == OutboxStatus.PENDING and first.attempts == 0
    assert first.next_attempt_at == w.clock.now() - timedelta(seconds=sum(w.slept)) + timedelta(seconds=7)
    assert sum(w.slept) >= 7               # the other sends waited for the pause of the bot-wide key
    assert w.worker.stats.rate_limited == 1
    await w.worker.drain()
    assert sorted(c for c, _ in w.telegram.sent) == ["1000", "1001", "1002"]


async def test_transient_errors_back_off_then_the_row_dies_after_max_attempts() -> None:
    w = world(max_attempts=3, backoff_base=10.0)
    user = await w.user("li", ("telegram", "1001"))
    w.telegram.fail_with += [ChannelError("timeout"), ChannelError("502"), ChannelError("reset")]
    await w.queue(notice("k", user))
    await w.worker.drain()
    row = await w.row("k")
    assert (row.status, row.attempts, row.last_error) == (OutboxStatus.FAILED, 1, "timeout")
    assert row.next_attempt_at is not None
    assert timedelta(seconds=9) <= row.next_attempt_at - w.clock.now() <= timedelta(seconds=11)
    w.clock.advance(seconds=11)
    await w.worker.drain()
    row = await w.row("k")
    assert row.attempts == 2 and row.next_attempt_at is not None
    assert timedelta(seconds=18) <= row.next_attempt_at - w.clock.now() <= timedelta(seconds=22)     # doubled
    w.clock.advance(seconds=25)
    await w.worker.drain()
    row = await w.row("k")
    assert (row.status, row.attempts, row.last_error) == (OutboxStatus.DEAD, 3, "reset")
    w.clock.advance(hours=2)
    assert await w.worker.drain() == 0 and w.telegram.sent == []


async def test_permanent_errors_and_unknown_templates_die_at_once() -> None:
    w = world()
    user = await w.user("li", ("telegram", "1001"))
    w.telegram.fail_with.append(ChannelError("Forbidden: bot was blocked by the user", permanent=True))
    await w.queue(notice("blocked", user), notice("typo", user, kind="order.no_such_template"))
    await w.worker.drain()
    assert (await w.row("blocked")).status == OutboxStatus.DEAD
    typo = await w.row("typo")
    assert typo.status == OutboxStatus.DEAD and "order.no_such_template" in (typo.last_error or "")


async def test_a_worker_restarted_with_its_id_takes_back_its_claims_and_a_lost_claim_changes_nothing() -> None:
    w = world()
    user = await w.user("li", ("telegram", "1001"))
    await w.queue(notice("mine", user), notice("theirs", user))
    [mine] = await w.store.claim_due(1, "w1", w.clock.now())           # claimed, then the process died
    [theirs] = await w.store.claim_due(1, "w2", w.clock.now())
    w.worker.stop()
    await w.worker.run()                                                  # startup: own rows back to pending
    assert (await w.row("mine")).status == OutboxStatus.PENDING
    assert (await w.row("theirs")).status == OutboxStatus.SENDING        # w2 may still be alive
    await w.store.requeue_stale(w.clock.now() + timedelta(seconds=1))      # ... until it is stale
    assert theirs.id is not None and not await w.store.mark_sent(theirs.id, "w2", w.clock.now(), "telegram:1")
    assert await w.worker.drain() == 2 and len(w.telegram.sent) == 2
    assert mine.id is not None


@pytest.mark.parametrize("attempts, expected", [(1, 30.0), (2, 60.0), (5, 480.0), (20, 3600.0)])
def test_backoff_doubles_and_is_capped(attempts: int, expected: float) -> None:
    delay = world().worker.backoff(attempts)
    assert expected * 0.9 <= delay <= expected * 1.1
