"""The outbox worker over real HTTP to the Telegram Bot API stand-in: buttons, 429 with retry_after,
server errors retried, refusals final."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest_asyncio

from core.outbox import Category, OutboxMessage, OutboxStatus
from core.users import ChatIdentity, Role, User
from tests.e2e.telegram_standin import TelegramStandIn

CHATS = (4001, 4002, 4003)


@pytest_asyncio.fixture
async def standin() -> AsyncIterator[TelegramStandIn]:
    async with TelegramStandIn() as s:
        yield s


@pytest_asyncio.fixture
async def app(tmp_path: Path, standin: TelegramStandIn) -> AsyncIterator[Any]:
    from bot.bootstrap import bootstrap, migrate
    from bot.settings import Settings

    settings = Settings(_env_file=None, database_url=f"sqlite+aiosqlite:///{tmp_path / 'dms.sqlite3'}",  # type: ignore[call-arg]
                        data_dir=tmp_path / "var", demo_data_on_empty=False, telegram_bot_token=standin.token,
                        telegram_api_base=standin.base_url, notify_quiet_hours="", notify_poll_seconds=0.1,
                        notify_backoff_seconds=0.3, notify_in_run=False)
    await migrate(settings)
    application = bootstrap(settings)
    try:
        yield application
    finally:
        await application.aclose()


async def users(app: Any) -> dict[int, int]:
    """A staff user bound to each chat: chat -> user id."""
    ids = {}
    async with app.uow_factory() as uow:
        for chat in CHATS:
            user = await uow.users.add(User(username=f"desk{chat}", display_name=f"用户{chat}", role=Role.ORDER_DESK))
            await uow.identities.add(ChatIdentity(channel="telegram", external_id=str(chat), user_id=user.id))
            ids[chat] = user.id
        await uow.commit()
    return ids


async def queue(app: Any, *rows: OutboxMessage) -> None:
    from storage.outbox_store import SqlAlchemyOutboxStore

    assert await SqlAlchemyOutboxStore(app.session_factory).enqueue_many(list(rows)) == len(rows)


def approved(key: str, user_id: int, number: str = "SO-20261126-0001") -> OutboxMessage:
    return OutboxMessage(dedup_key=key, kind="order.approved", category=Category.ORDER,
                         params={"number": number, "total": "¥3,998.00"}, user_id=user_id, urgent=True)


@contextlib.asynccontextmanager
async def worker(app: Any) -> AsyncIterator[Any]:
    from bot.notify_senders import build_worker

    built = build_worker(app, worker_id="e2e-worker")
    task = asyncio.create_task(built.run())
    try:
        yield built
    finally:
        built.stop()
        await asyncio.wait_for(task, 10)


async def row(app: Any, key: str) -> OutboxMessage:
    async with app.uow_factory() as uow:
        found = await uow.outbox.get_by(dedup_key=key)
    assert found is not None
    return found


async def test_a_pushed_prompt_carries_the_flows_buttons(app: Any, standin: TelegramStandIn) -> None:
    ids = await users(app)
    await queue(app, OutboxMessage(
        dedup_key="order.submitted:SO-20261126-0009:e1:u1", kind="order.submitted", category=Category.ORDER,
        params={"number": "SO-20261126-0009", "dealer": "D0001 杭州华信电器有限公司", "items": "AP300×2",
                "total": "¥3,998.00", "date": "", "reasons": ["credit_exceeded"], "behalf": ""},
        user_id=ids[4001], urgent=True))
    async with worker(app):
        await standin.wait_for(lambda: standin.count(4001) == 1, 10, "the approval prompt")
    message = standin.last(4001)
    assert "新订单待审核：SO-20261126-0009" in message.text and "杭州华信电器有限公司" in message.text
    assert message.button("通过") == "1|staff.order.approve|SO-20261126-0009"
    assert message.button("详情") == "1|staff.order.detail|SO-20261126-0009"
    stored = await row(app, "order.submitted:SO-20261126-0009:e1:u1")
    assert stored.status == OutboxStatus.SENT and stored.delivered_to == "telegram:4001"


async def test_a_429_from_the_bot_api_is_honoured(app: Any, standin: TelegramStandIn) -> None:
    ids = await users(app)
    standin.fail_next(1, status=429, retry_after=1, methods=("sendMessage",))
    await queue(app, *(approved(f"k{chat}", ids[chat]) for chat in CHATS))
    async with worker(app) as built:
        await standin.wait_for(lambda: all(standin.count(c) >= 1 for c in CHATS), 15, "every chat served")
        await asyncio.sleep(0.3)
    calls = standin.calls_of("sendMessage")
    refused = [c for c in calls if c.status == 429]
    assert len(refused) == 1
    after = [c for c in calls if c.at > refused[0].at]
    # sends already on their way when Telegram answered 429 may land just after it; nothing new starts for retry_after
    assert all(c.at - refused[0].at < 0.1 for c in after if c.at - refused[0].at < 0.95)
    retried = [c for c in after if c.params["chat_id"] == refused[0].params["chat_id"]]
    assert retried and retried[0].at - refused[0].at >= 0.95                    # the refused message waited
    assert [standin.count(c) for c in CHATS] == [1, 1, 1]                       # delivered once each
    for chat in CHATS:
        stored = await row(app, f"k{chat}")
        assert (stored.status, stored.attempts) == (OutboxStatus.SENT, 0)       # a flood wait is no attempt
    assert built.stats.rate_limited == 1 and built.stats.sent == 3


async def test_server_errors_are_retried_and_a_refusal_is_final(app: Any, standin: TelegramStandIn) -> None:
    ids = await users(app)
    standin.fail_next(1, status=500, methods=("sendMessage",))
    await queue(app, approved("flaky", ids[4001]))
    async with worker(app):
        await standin.wait_for(lambda: standin.count(4001) == 1, 15, "the retried message")
        for _ in range(100):    # the worker marks the row sent just after Telegram answered: wait for that too
            if (flaky := await row(app, "flaky")).status == OutboxStatus.SENT:
                break
            await asyncio.sleep(0.05)
        standin.fail_next(1, status=400, methods=("sendMessage",))
        await queue(app, approved("refused", ids[4002], "SO-20261126-0002"))
        for _ in range(100):
            if (await row(app, "refused")).status == OutboxStatus.DEAD:
                break
            await asyncio.sleep(0.05)
    assert (flaky.status, flaky.attempts) == (OutboxStatus.SENT, 1)
    refused = await row(app, "refused")
    assert refused.status == OutboxStatus.DEAD and refused.attempts == 1 and refused.last_error
    assert standin.count(4002) == 0
