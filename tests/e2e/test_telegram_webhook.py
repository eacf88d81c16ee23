"""Webhook mode over real HTTP: the stand-in POSTs updates to uvicorn serving the app built by ``bot.bootstrap``.

The secret header is checked (401 without it), garbage is answered 200 and logged (so Telegram does
not retry it forever), a retried delivery is handled once, and ``dms telegram set-webhook`` registers
the URL with the secret.
"""

from __future__ import annotations

import asyncio
import logging
import re
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
import pytest_asyncio
from typer.testing import CliRunner

from bot.cli import app as cli
from tests.e2e.telegram_standin import (
    DEFAULT_TOKEN,
    WEBHOOK_SECRET,
    BotWorld,
    TelegramStandIn,
    add_dealer,
    invite,
    orders_of,
    seed_catalogue,
    start_bot,
)

DEALER = 1001
ORDER_NO = re.compile(r"SO-\d{8}-\d{4}")


@pytest_asyncio.fixture
async def world(tmp_path: Path) -> AsyncIterator[BotWorld]:
    async with TelegramStandIn() as standin:
        w = await start_bot(tmp_path, standin, mode="webhook")
        try:
            await seed_catalogue(w)
            yield w
        finally:
            await w.stop()


async def bound_dealer(world: BotWorld) -> int:
    dealer_id = await add_dealer(world, "D0001", "杭州华信电器有限公司")
    replies = await world.say(DEALER, f"/start {await invite(world, dealer='D0001')}")
    assert "绑定成功" in replies[0].text
    return dealer_id


async def test_webhook_is_registered_with_the_secret_and_the_wanted_updates(world: BotWorld) -> None:
    hook = world.standin.webhook
    assert hook is not None
    assert hook["url"] == world.web_url + "/telegram/webhook"
    assert hook["secret_token"] == WEBHOOK_SECRET
    assert hook["allowed_updates"] == ["message", "callback_query"]


async def test_bind_and_order_through_the_webhook(world: BotWorld) -> None:
    dealer_id = await bound_dealer(world)
    if "order.confirm" not in world.app.conversation().router.buttons:
        pytest.xfail("chat flow not implemented yet: ordering")
    await world.say(DEALER, "AP300 来两台，F300 3箱")
    confirmed = await world.press(DEALER, "确认下单")
    number = ORDER_NO.search("\n".join(m.text for m in confirmed))
    assert number is not None
    [order] = await orders_of(world, dealer_id)
    assert order.number == number.group(0)
    assert all(status == 200 for _, status in world.standin.webhook_deliveries)


async def test_wrong_or_missing_secret_is_401_and_nothing_happens(world: BotWorld,
                                                                   caplog: pytest.LogCaptureFixture) -> None:
    s = world.standin
    caplog.set_level(logging.WARNING)
    update = {"update_id": 900, "message": {"message_id": 1, "date": 1, "chat": {"id": DEALER, "type": "private"},
                                            "from": s.user(DEALER), "text": "/help"}}
    assert await s.deliver(update, secret="not-the-secret") == 401
    assert await s.deliver(update, secret="") == 401                     # no header at all
    async with httpx.AsyncClient() as client:                            # a wrong header of another length
        response = await client.post(world.web_url + "/telegram/webhook", json=update,
                                     headers={"X-Telegram-Bot-Api-Secret-Token": "x"})
    assert response.status_code == 401
    await world.settle()
    assert s.count(DEALER) == 0
    async with world.uow() as uow:
        assert await uow.receipts.count() == 0
    assert sum("wrong or missing secret" in r.getMessage() for r in caplog.records) == 3
    # the right secret: handled
    assert await s.deliver(update) == 200
    await world.settle()
    assert "可用命令" in s.texts(DEALER)


async def test_garbage_is_answered_200_logged_and_the_bot_goes_on(world: BotWorld,
                                                                 caplog: pytest.LogCaptureFixture) -> None:
    s = world.standin
    caplog.set_level(logging.INFO)
    assert await s.deliver("this is not json") == 200
    assert await s.deliver('{"update_id": "not a number", "message": 5}') == 200
    assert await s.deliver("[1, 2, 3]") == 200
    assert await s.deliver({"update_id": 901, "edited_message": {
        "message_id": 3, "date": 1, "chat": {"id": DEALER, "type": "private"}, "from": s.user(DEALER),
        "text": "edited"}}) == 200
    assert await s.deliver({"update_id": 902, "some_future_update": {"x": 1}}) == 200
    await world.settle()
    assert s.count(DEALER) == 0
    messages = [r.getMessage() for r in caplog.records]
    assert sum("malformed update ignored" in m for m in messages) == 3
    assert sum("telegram update ignored" in m for m in messages) == 2
    replies = await world.say(DEALER, "/help")
    assert "可用命令" in replies[0].text


async def test_retried_delivery_creates_one_order(world: BotWorld) -> None:
    dealer_id = await bound_dealer(world)
    if "order.confirm" not in world.app.conversation().router.buttons:
        pytest.xfail("chat flow not implemented yet: ordering")
    s = world.standin
    await world.say(DEALER, "AP300 来两台")
    message = s.with_button(DEALER, "确认下单")
    update = await s.press(DEALER, message, message.button("确认下单"))
    await world.settle()
    seen = s.count(DEALER)
    assert await s.deliver(update) == 200          # Telegram did not see our answer and sends it again
    await world.settle()
    assert s.count(DEALER) == seen
    assert len(await orders_of(world, dealer_id)) == 1


async def test_without_a_configured_secret_every_post_is_refused(tmp_path: Path) -> None:
    async with TelegramStandIn() as standin:
        world = await start_bot(tmp_path, standin, mode="webhook", secret=None)
        try:
            update = {"update_id": 5, "message": {"message_id": 1, "date": 1, "chat": {"id": DEALER, "type": "private"},
                                                  "from": standin.user(DEALER), "text": "/help"}}
            assert standin.webhook is not None and not standin.webhook.get("secret_token")
            assert await standin.deliver(update) == 401
            assert await standin.deliver(update, secret="anything") == 401
            await world.settle()
            assert standin.count(DEALER) == 0
        finally:
            await world.stop()


# --- dms telegram set-webhook / delete-webhook ---------------------------------------------------------

@contextmanager
def standin_in_thread() -> Iterator[TelegramStandIn]:
    """The stand-in on its own event loop (the CLI runs ``asyncio.run`` itself)."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    standin = asyncio.run_coroutine_threadsafe(TelegramStandIn().start(), loop).result(10)
    try:
        yield standin
    finally:
        asyncio.run_coroutine_threadsafe(standin.stop(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)
        loop.close()


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TelegramStandIn]:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.sqlite3'}")
    with standin_in_thread() as standin:
        monkeypatch.setenv("TELEGRAM_BOT_TOKEN", DEFAULT_TOKEN)
        monkeypatch.setenv("TELEGRAM_API_BASE", standin.base_url)
        monkeypatch.setenv("TELEGRAM_WEBHOOK_SECRET", "cli-secret-abc")
        yield standin


def test_cli_sets_and_deletes_the_webhook(cli_env: TelegramStandIn) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["telegram", "set-webhook", "https://dms.example.com/telegram/webhook"])
    assert result.exit_code == 0, result.output
    assert "已设置 webhook" in result.output
    assert cli_env.webhook == {"url": "https://dms.example.com/telegram/webhook", "secret_token": "cli-secret-abc",
                               "allowed_updates": ["message", "callback_query"]}
    result = runner.invoke(cli, ["telegram", "delete-webhook"])
    assert result.exit_code == 0, result.output
    assert cli_env.webhook is None


def test_cli_refuses_a_webhook_without_secret_or_token(cli_env: TelegramStandIn,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    runner = CliRunner()
    monkeypatch.delenv("TELEGRAM_WEBHOOK_SECRET")
    result = runner.invoke(cli, ["telegram", "set-webhook", "https://dms.example.com/telegram/webhook"])
    assert result.exit_code == 2
    assert "TELEGRAM_WEBHOOK_SECRET" in result.output
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN")
    result = runner.invoke(cli, ["telegram", "delete-webhook"])
    assert result.exit_code == 2
    assert "TELEGRAM_BOT_TOKEN" in result.output
    assert not cli_env.calls_of("setWebhook")


def test_cli_reports_what_telegram_refused(cli_env: TelegramStandIn) -> None:
    cli_env.fail_next(1, status=500, methods=("setWebhook",))
    result = CliRunner().invoke(cli, ["telegram", "set-webhook", "https://dms.example.com/telegram/webhook"])
    assert result.exit_code == 1
    assert "Telegram" in result.output and "Internal Server Error" in result.output
