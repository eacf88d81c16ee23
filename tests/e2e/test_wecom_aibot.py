"""WeCom mode 2, the AI bot's long connection, against a local stand-in that follows the documented protocol:
subscribe, a dealer binds and orders by text, replies and card buttons, a pressed card button, an encrypted photo,
a socket dropped by the server and re-opened, a re-sent message handled once, malformed frames ignored, a wrong
secret refused without a hot loop, and one connection per bot across two processes (the real PostgreSQL advisory
lock)."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from sqlalchemy.ext.asyncio import create_async_engine

from bot.wecom.aibot import AiBotConfig, AiBotConnection
from core.ports import AbstractLeaderLock
from tests.e2e.wecom_aibot_standin import AiBotStandIn

USER = "LiLaoBan"
PG_URL = os.environ.get("DMS_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/dms_test")


class FreeLock(AbstractLeaderLock):
    async def try_acquire(self) -> bool:
        return True

    async def still_held(self) -> bool:
        return True

    async def release(self) -> None:
        return None


@pytest_asyncio.fixture
async def standin() -> AsyncIterator[AiBotStandIn]:
    async with AiBotStandIn() as s:
        yield s


@pytest_asyncio.fixture
async def app(tmp_path: Path, standin: AiBotStandIn) -> AsyncIterator[Any]:
    from bot.bootstrap import bootstrap, migrate, warm_up
    from bot.settings import Settings

    await warm_up()
    settings = Settings(_env_file=None,  # type: ignore[call-arg]
                        database_url=f"sqlite+aiosqlite:///{tmp_path / 'dms.sqlite3'}", data_dir=tmp_path / "var",
                        demo_data_on_empty=False, secret_key="aibot-test-secret-key", wecom_bot_id=standin.bot_id,
                        wecom_bot_secret=standin.secret, wecom_bot_ws_url=standin.url, notify_in_run=False)
    await migrate(settings)
    built = bootstrap(settings)
    yield built
    await built.aclose()


async def _wait_reply(standin: AiBotStandIn, rid: str, at_least: int = 1) -> str:
    await standin.wait_for(lambda: len(standin.replies_to(rid)) >= at_least, 15, f"a reply to {rid}")
    await asyncio.sleep(0.2)           # a reply of several frames: let the rest arrive
    return standin.text_of(rid)


async def test_the_journey_over_the_long_connection(app: Any, standin: AiBotStandIn) -> None:
    from types import SimpleNamespace

    from tests.e2e.telegram_standin import add_dealer, invite, seed_catalogue

    world: Any = SimpleNamespace(app=app, uow=app.uow_factory)     # what the shared seeding helpers use
    connection: AiBotConnection = app.aibot()
    stop = asyncio.Event()
    task = asyncio.create_task(connection.run(stop))
    try:
        await asyncio.wait_for(connection.connected.wait(), 10)
        subscribe = standin.received[0]
        assert subscribe["cmd"] == "aibot_subscribe" and subscribe["body"] == {"bot_id": standin.bot_id,
                                                                               "secret": standin.secret}
        await seed_catalogue(world)
        await add_dealer(world, "D0301", "无锡梁溪电器")
        code = await invite(world, dealer="D0301")

        rid = await standin.say(USER, f"绑定 {code}")
        assert "绑定成功" in await _wait_reply(standin, rid)
        rid = await standin.say(USER, "AP300 来两台")
        shown = await _wait_reply(standin, rid, at_least=2)
        assert "AP300" in shown and any("确认下单" in label for label in standin.keys_of(rid))
        confirm = next(key for label, key in standin.keys_of(rid).items() if "确认下单" in label)

        await standin.garbage()                                      # malformed frames: logged, connection kept
        await standin.drop()                                         # the server drops the socket
        await standin.wait_for(lambda: standin.subscribes >= 2, 15, "a reconnect")
        await asyncio.wait_for(connection.connected.wait(), 10)
        assert connection.connections == 2

        pressed = await standin.press(USER, confirm)                 # the card's button, after the reconnect
        assert "已提交" in await _wait_reply(standin, pressed)
        async with app.uow_factory() as uow:
            assert await uow.orders.count() == 1

        asked = await standin.say(USER, "AP300 有货吗", msgid="m-stock-1")
        assert "AP300" in await _wait_reply(standin, asked)
        again = await standin.resend(asked)                           # WeCom re-sends the same msgid
        await asyncio.sleep(1.0)
        assert standin.replies_to(again) == []                        # handled once
        assert all(f.get("cmd") != "aibot_respond_msg" or f["headers"]["req_id"] in standin._callbacks
                   for f in standin.received)

        import random

        from tests.order_images import Product, order_picture

        picture = order_picture(random.Random(9), [Product("AP300", "空气净化器AP300", "台"),
                                                   Product("DH20", "除湿机DH20", "台")], lines=2, rotate=1)
        photo = await standin.image(USER, picture.png)               # an encrypted image, decrypted with its aeskey
        assert "已识别图片中的订货清单" in await _wait_reply(standin, photo, at_least=2)
    finally:
        stop.set()
        await asyncio.wait_for(task, 10)


async def test_a_wrong_secret_is_refused_and_retried_with_back_off(tmp_path: Path, standin: AiBotStandIn) -> None:
    from bot.files import FileStore

    class Nobody:
        async def handle(self, inbound: Any) -> list[Any]:
            raise AssertionError("no message may arrive")

    config = AiBotConfig(bot_id=standin.bot_id, secret="wrong", ws_url=standin.url, first_backoff=0.2, max_backoff=0.8)
    connection = AiBotConnection(config, Nobody(), FileStore(tmp_path), FreeLock())
    stop = asyncio.Event()
    task = asyncio.create_task(connection.run(stop))
    await asyncio.sleep(2.0)
    stop.set()
    await asyncio.wait_for(task, 5)
    assert 2 <= standin.refused <= 6            # retried, with growing pauses: no hot loop
    assert standin.subscribes == 0 and not connection.connected.is_set()


@pytest.mark.postgres
async def test_two_processes_one_connection_and_the_second_takes_over(tmp_path: Path, standin: AiBotStandIn) -> None:
    from bot.files import FileStore
    from storage.leader import PgAdvisoryLeaderLock

    class Quiet:
        async def handle(self, inbound: Any) -> list[Any]:
            return []

    engines = [create_async_engine(PG_URL), create_async_engine(PG_URL)]
    name = f"wecom-aibot-test-{os.getpid()}"
    config = AiBotConfig(bot_id=standin.bot_id, secret=standin.secret, ws_url=standin.url, leader_poll_seconds=0.2,
                         first_backoff=0.2)
    first = AiBotConnection(config, Quiet(), FileStore(tmp_path / "a"), PgAdvisoryLeaderLock(engines[0], name))
    second = AiBotConnection(config, Quiet(), FileStore(tmp_path / "b"), PgAdvisoryLeaderLock(engines[1], name))
    stops = [asyncio.Event(), asyncio.Event()]
    tasks = [asyncio.create_task(first.run(stops[0])), asyncio.create_task(second.run(stops[1]))]
    try:
        await standin.wait_for(lambda: standin.subscribes >= 1, 10, "a subscription")
        await asyncio.sleep(1.5)
        assert standin.subscribes == 1 and standin.live == 1          # the other process waits, it does not kick
        leader, other = (0, 1) if first.connected.is_set() else (1, 0)
        stops[leader].set()                                           # the leader stops: its lock goes with it
        await asyncio.wait_for(tasks[leader], 10)
        await standin.wait_for(lambda: standin.subscribes >= 2, 10, "the second process taking over")
        await asyncio.wait_for((first, second)[other].connected.wait(), 10)
    finally:
        for stop in stops:
            stop.set()
        await asyncio.gather(*tasks, return_exceptions=True)
        for engine in engines:
            await engine.dispose()
