"""Pushes the worker could not deliver (the person is bound only on the web chat or the terminal) are shown in
that chat the next time the person uses it, after the reply, with their buttons, once; then they are sent to that
chat. A row that cannot be rendered stays dead with its reason, for the admin."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest_asyncio

from core.outbox import Category, OutboxMessage, OutboxStatus
from core.users import ChatIdentity, Role, User
from notifications.ratelimit import InProcessRateLimiter
from notifications.worker import OutboxWorker, WorkerSettings
from storage.outbox_store import SqlAlchemyOutboxStore

CHAT = "web:li.cm"


@pytest_asyncio.fixture
async def app(tmp_path: Path) -> AsyncIterator[Any]:
    from bot.bootstrap import bootstrap, migrate
    from bot.settings import Settings

    settings = Settings(_env_file=None, database_url=f"sqlite+aiosqlite:///{tmp_path / 'dms.sqlite3'}",  # type: ignore[call-arg]
                        data_dir=tmp_path / "var", demo_data_on_empty=False, notify_in_run=False)
    await migrate(settings)
    application = bootstrap(settings)
    try:
        yield application
    finally:
        await application.aclose()


async def test_undeliverable_pushes_wait_in_the_web_chat_and_are_shown_once(app: Any) -> None:
    async with app.uow_factory() as uow:
        user = await uow.users.add(User(username="li.cm", display_name="李渠道", role=Role.CHANNEL_MANAGER))
        await uow.identities.add(ChatIdentity(channel="web", external_id=CHAT, user_id=user.id))
        await uow.commit()
    store = SqlAlchemyOutboxStore(app.session_factory)
    renewals = {"of": "contract.renewal_due", "n": 2, "items": [
        {"number": "HT-2026-0001", "dealer": "D0001 华信", "date": "2026-12-31", "days": 26, "id": 1},
        {"number": "HT-2026-0002", "dealer": "D0002 金鼎", "date": "2026-12-31", "days": 26, "id": 2}]}
    await store.enqueue_many([
        OutboxMessage(dedup_key="digest.list:renewals:u1", kind="digest.list", category=Category.CONTRACT,
                      params=renewals, user_id=user.id, created_at=app.clock.now()),
        OutboxMessage(dedup_key="broken:u1", kind="no.such.template", category=Category.SYSTEM, user_id=user.id,
                      created_at=app.clock.now()),
        OutboxMessage(dedup_key="faq.answer:7:web", kind="faq.answer", category=Category.FAQ, channel="web",
                      chat_id=CHAT, params={"question": "返利什么时候到账？", "answer": "每季度结算后 5 个工作日内。"},
                      created_at=app.clock.now())])
    worker = OutboxWorker(app.uow_factory, store, {}, InProcessRateLimiter(), app.clock,
                          WorkerSettings(quiet_start=None, quiet_end=None), worker_id="w1")
    assert await worker.drain() == 3
    async with app.uow_factory() as uow:
        rows = {r.dedup_key: r for r in await uow.outbox.list(user_id=user.id)}
    assert rows["digest.list:renewals:u1"].status == OutboxStatus.DEAD
    assert (rows["digest.list:renewals:u1"].last_error or "").startswith("undeliverable")

    chat = app.local_chat("web")
    replies = await chat.say(CHAT, "/menu")
    texts = [r.text for r in replies]
    head = texts.index("📬 以下通知未能推送到您的 Telegram / 企业微信，在此补发：")
    assert head > 0                                                    # after the menu it answers with
    offer = replies[head + 1]
    assert offer.text.startswith("📝 2 份合同可以起草续签")
    assert [b.payload for row in offer.buttons for b in row][:2] == ["1|ctr.renew|1", "1|ctr.renew|2"]
    assert replies[head + 2].text.startswith("💬 客服回复了您的问题")      # addressed to this very chat
    assert len(replies) == head + 3                                    # the broken row is not shown

    async with app.uow_factory() as uow:
        rows = {r.dedup_key: r for r in await uow.outbox.list(user_id=user.id)}
    shown = rows["digest.list:renewals:u1"]
    assert (shown.status, shown.delivered_to) == (OutboxStatus.SENT, f"web:{CHAT}")
    assert rows["broken:u1"].status == OutboxStatus.DEAD                 # cannot be rendered: left to the admin
    again = await chat.say(CHAT, "/menu")
    assert not [r for r in again if r.text.startswith("📬")]          # shown once
