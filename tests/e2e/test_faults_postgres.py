"""PostgreSQL restarted under load: a private server (initdb/pg_ctl in a temp dir, a free port), never the
machine's shared one. While it is down the product degrades politely and by itself recovers when it is back:

- ``/healthz`` answers 503 with the reason; the REST API answers 503 (``service_unavailable``), not a 500.
- The webhook still answers Telegram 200 (the update is taken in the background) and the chat user gets
  "系统出了点问题，请稍后再试": the conversation's delivery receipt is released, so a re-sent message
  is handled, not dropped as a duplicate. No redelivery by Telegram is needed or relied on.
- After the restart the pooled connections are stale: the first use of one fails (the user is told, the receipt
  released), SQLAlchemy invalidates the pool, idle ones are pinged when taken (``ping_when_idle``), and the same app
  (no restart) answers chats and API again; the order confirmed before the outage is still there, once.
"""

from __future__ import annotations

import asyncio
import importlib.util
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio

from tests.e2e.telegram_standin import TelegramStandIn

ROOT = Path(__file__).resolve().parents[2]
PG_BIN = next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)), None) \
    if Path("/usr/lib/postgresql").exists() else None
CHATS = [31_001, 31_002, 31_003, 31_004]


def _load_bench() -> Any:
    name = "dms_bench_load"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "bench" / "load.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PrivatePostgres:
    """A throw-away cluster; run as the postgres user when we are root (initdb refuses root)."""

    def __init__(self, bin_dir: Path, root: Path) -> None:
        self.bin_dir, self.root, self.port = bin_dir, root, _free_port()
        self.data = root / "data"

    def _run(self, *args: str) -> None:
        command = [str(self.bin_dir / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=60)

    def init(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres")
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync")

    def start(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "log"), "-w", "-t", "30", "-o",
                  f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off", "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "-t", "30", "stop")

    @property
    def url(self) -> str:
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/postgres"


@pytest.fixture
def private_pg() -> Iterator[PrivatePostgres]:
    if PG_BIN is None or not (PG_BIN / "initdb").exists() or (os.geteuid() == 0 and not shutil.which("runuser")):
        pytest.skip("no PostgreSQL server binaries (initdb/pg_ctl) to start a private server")
    root = Path(tempfile.mkdtemp(prefix="dms-pg-fault-"))
    server = PrivatePostgres(PG_BIN, root)
    try:
        server.init()
        server.start()
        yield server
    finally:
        subprocess.run(["runuser", "-u", "postgres", "--", str(PG_BIN / "pg_ctl"), "-D", str(server.data),
                        "-m", "immediate", "stop"] if os.geteuid() == 0 else
                       [str(PG_BIN / "pg_ctl"), "-D", str(server.data), "-m", "immediate", "stop"],
                       capture_output=True, timeout=30)
        shutil.rmtree(root, ignore_errors=True)


@pytest_asyncio.fixture
async def running(private_pg: PrivatePostgres, tmp_path: Path) -> AsyncIterator[tuple[Any, TelegramStandIn]]:
    bench = _load_bench()
    async with TelegramStandIn() as standin, bench.serving(standin, private_pg.url, tmp_path, CHATS) as run:
        yield run, standin


async def _say(standin: TelegramStandIn, chat: int, text: str, expect: str, seconds: float = 15) -> str:
    before = standin.count(chat)
    await standin.send_text(chat, text)
    await standin.wait_for(lambda: any(expect in m.text for m in standin.sent(chat)[before:]), seconds, expect)
    return next(m.text for m in standin.sent(chat)[before:] if expect in m.text)


async def _order(standin: TelegramStandIn, chat: int) -> str:
    import re

    await _say(standin, chat, "AP300 来两台", "订单确认")
    cart = standin.with_button(chat, "确认下单")
    before = standin.count(chat)
    await standin.press(chat, cart, cart.button("确认下单"))
    await standin.wait_for(lambda: any("订单已提交" in m.text for m in standin.sent(chat)[before:]), 15, "order")
    text = next(m.text for m in standin.sent(chat)[before:] if "订单已提交" in m.text)
    found = re.search(r"SO-\d{8}-\d{4}", text)
    assert found, text
    return found.group(0)


async def test_postgres_restart_under_load_degrades_politely_and_recovers_by_itself(
        running: tuple[Any, TelegramStandIn], private_pg: PrivatePostgres) -> None:
    run, standin = running
    api = httpx.AsyncClient(base_url=run.urls[0], timeout=15, headers={"Authorization": f"Bearer {run.api_key}"})
    async with api:
        first = await _order(standin, CHATS[0])
        assert (await api.get("/healthz")).status_code == 200

        stop = asyncio.Event()
        answers: dict[str, int] = {"normal": 0, "polite": 0}

        async def chatter(chat: int) -> None:          # load that keeps going through the outage
            while not stop.is_set():
                before = standin.count(chat)
                await standin.send_text(chat, "AP300 有货吗")
                await standin.wait_for(lambda b=before: standin.count(chat) > b, 20, "any answer")  # type: ignore[misc]
                text = standin.sent(chat)[before].text
                kind = "normal" if "厂家库存" in text else "polite" if "请稍后再试" in text else text
                answers[kind] = answers.get(kind, 0) + 1
                await asyncio.sleep(0.1)

        load = [asyncio.create_task(chatter(c)) for c in CHATS[1:]]
        await asyncio.sleep(1)
        await asyncio.to_thread(private_pg.stop)
        try:
            health = await api.get("/healthz")
            assert health.status_code == 503 and "database unavailable" in health.json()["reason"]
            listing = await api.get("/api/v1/orders")
            assert listing.status_code == 503, listing.text
            assert listing.json()["error"] == "service_unavailable"
            polite = await _say(standin, CHATS[0], "AP300 有货吗", "请稍后再试")
            assert "没有丢失" in polite
            await asyncio.sleep(1)
        finally:
            await asyncio.to_thread(private_pg.start)
        started = time.monotonic()
        while (await api.get("/healthz")).status_code != 200:
            assert time.monotonic() - started < 20, "the app did not reconnect by itself"
            await asyncio.sleep(0.2)
        await asyncio.sleep(1)
        stop.set()
        await asyncio.wait_for(asyncio.gather(*load), 30)

        assert answers["normal"] > 0 and answers["polite"] > 0, answers
        assert set(answers) == {"normal", "polite"}, answers      # nothing but stock answers and apologies
        assert "厂家库存" in await _say(standin, CHATS[0], "AP300 有货吗", "厂家库存")
        second = await _order(standin, CHATS[0])
        assert second != first
        listing = await api.get("/api/v1/orders", params={"dealer": run.dealer_codes[CHATS[0]]})
        assert listing.status_code == 200
        numbers = [o["number"] for o in listing.json()["items"]]
        assert sorted(numbers) == sorted([first, second])
        assert all(not task.done() for task in run.tasks), "a background task died in the outage"


def test_the_postgres_pool_holds_the_webhooks_concurrency() -> None:
    from bot.telegram.processor import MAX_BACKGROUND
    from storage.engine import build_engine

    engine = build_engine("postgresql+asyncpg://postgres@127.0.0.1:1/none")   # nothing connects until used
    pool: Any = engine.sync_engine.pool
    assert pool.size() + pool._max_overflow >= MAX_BACKGROUND - 14      # room for the API and the worker too
    # a connection idle for a while is pinged when taken (storage.engine.ping_when_idle), not every one
    assert engine.sync_engine.pool._pre_ping is False
    assert len(engine.sync_engine.pool.dispatch.checkout) == 1
