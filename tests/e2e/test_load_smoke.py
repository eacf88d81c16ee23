"""bench/load.py, short: 20 chats for 6 s on PostgreSQL, then its books must balance.

The full run (``--seconds 300 --chats 200``) is in the README; this keeps the script working and its
checks honest: no errors, no lost update, no duplicate order, and real traffic of every kind. It runs the
in-process mode (``--web-processes 0``): starting ``dms run`` processes costs 15-40 s on this machine. The
pieces of the production shape are tested apart, fast: the stand-in's round-robin webhook (two taps at once
land on two processes) and the bench's children (stopped, and gone when the bench is killed).
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import os
import re
import signal
import sys
import time
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from tests.e2e.conftest import _BASE_PG_URL
from tests.e2e.telegram_standin import Sent, TelegramStandIn

ROOT = Path(__file__).resolve().parents[2]
LAST_LINE = re.compile(r"^load seconds=(\d+) chats=(\d+) requests=(\d+) rps=([\d.]+) p95_ms=(\d+) p99_ms=(\d+) "
                       r"errors=(\d+) lost=(\d+) duplicates=(\d+)$")


async def _drop(url: str) -> None:
    target = make_url(url)
    server = create_async_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        async with server.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
    finally:
        await server.dispose()


@pytest.mark.postgres
async def test_load_smoke_balances_its_books() -> None:
    url = str(make_url(_BASE_PG_URL).set(database=f"dms_load_smoke_{os.getpid()}"))
    try:
        process = await asyncio.create_subprocess_exec(
            sys.executable, str(ROOT / "bench" / "load.py"), "--seconds", "6", "--chats", "20",
            "--web-processes", "0", "--database-url", url, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT, cwd=ROOT)
        try:     # generous: on a 2-core machine shared with other work the start alone (imports, the classifier's
            # training) took over a minute; a hang still fails, and the bench is never left running
            out, _ = await asyncio.wait_for(process.communicate(), 240)
        except TimeoutError:
            process.kill()
            await process.wait()
            raise
    finally:
        await _drop(url)
    lines = out.decode().strip().splitlines()
    m = LAST_LINE.match(lines[-1]) if lines else None
    assert m, "\n".join(lines[-30:])
    seconds, chats, requests, rps, p95, p99, errors, lost, duplicates = (float(g) for g in m.groups())
    assert (errors, lost, duplicates) == (0, 0, 0), "\n".join(lines[-30:])
    assert process.returncode == 0
    assert chats == 20 and 6 <= seconds < 16
    assert requests >= 60 and rps >= 5             # it did work: 20 chats for 6 s
    table = "\n".join(lines)
    for kind in ("chat stock", "chat confirm", "api allocate", "api sellout", "api list"):
        count = re.search(rf"^{kind}\s+(\d+)", table, re.M)
        assert count and int(count.group(1)) > 0, f"no {kind} in\n{table}"
    confirmed = re.search(r"orders confirmed (\d+), allocated (\d+)", table)
    assert confirmed and int(confirmed.group(1)) == int(confirmed.group(2)) > 0
    assert p95 <= p99
    assert re.search(r"^second taps answered with the order number \d+, with the conflict message \d+$", table, re.M)


# --- the production shape's pieces -------------------------------------------------------------------------

def _bench_load() -> Any:
    """bench/load.py as a module (bench/ is not a package)."""
    name = "dms_bench_load"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "bench" / "load.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


async def _receiver(name: str, got: list[tuple[str, dict[str, Any], str]]) -> tuple[web.AppRunner, str]:
    """A stand-in web process: records (its name, the update, the secret header) and answers 200."""
    async def webhook(request: web.Request) -> web.Response:
        got.append((name, json.loads(await request.read()), request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")))
        return web.Response(status=200)

    app = web.Application()
    app.router.add_post("/telegram/webhook", webhook)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    return runner, f"http://127.0.0.1:{runner.addresses[0][1]}/telegram/webhook"


async def test_standin_spreads_the_webhook_round_robin_and_a_double_tap_over_two_processes() -> None:
    got: list[tuple[str, dict[str, Any], str]] = []
    (runner_a, url_a), (runner_b, url_b) = await _receiver("a", got), await _receiver("b", got)
    try:
        async with TelegramStandIn() as standin, aiohttp.ClientSession() as client:
            async with client.post(f"{standin.base_url}/bot{standin.token}/setWebhook",
                                   json={"url": url_a, "secret_token": "s3cret"}) as response:
                assert response.status == 200
            await standin.send_text(1, "one")              # registered URL only: a, a
            await standin.send_text(1, "two")
            standin.balance_webhook([url_a, url_b])
            for text in ("three", "four", "five"):
                await standin.send_text(1, text)
            cart = Sent(1, 100, "text", "cart", {"inline_keyboard": [[{"text": "确认下单", "callback_data": "c:1"}]]})
            await asyncio.gather(standin.press(1, cart, "c:1"), standin.press(1, cart, "c:1"))
            standin.balance_webhook([])                    # back to the registered URL
            await standin.send_text(1, "six")
    finally:
        await runner_a.cleanup()
        await runner_b.cleanup()
    texts = [(who, update["message"]["text"]) for who, update, _ in got if "message" in update]
    assert texts == [("a", "one"), ("a", "two"), ("a", "three"), ("b", "four"), ("a", "five"), ("a", "six")]
    taps = sorted(who for who, update, _ in got if "callback_query" in update)
    assert taps == ["a", "b"]                              # the two taps at once: one on each process
    assert {secret for _, _, secret in got} == {"s3cret"}
    assert standin.webhook_targets == {url_a: 6, url_b: 2}
    assert all(status == 200 for _, status in standin.webhook_deliveries) and len(standin.webhook_deliveries) == 8


CHILD = """
import asyncio, sys
sys.path.insert(0, {root!r})
import importlib.util
spec = importlib.util.spec_from_file_location("load", {load!r})
load = sys.modules["load"] = importlib.util.module_from_spec(spec); spec.loader.exec_module(load)
from pathlib import Path

async def main():
    p = await load.start_process("web", "sleeper", [sys.executable, "-c", "import time; time.sleep(60)"],
                                 {{}}, Path({logs!r}))
    print(p.proc.pid, flush=True)
    await asyncio.sleep(60)

asyncio.run(main())
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as stat:             # a zombie is dead, only not yet reaped
        return stat.read().rsplit(")", 1)[1].split()[0] != "Z"


@pytest.mark.skipif(sys.platform != "linux", reason="PR_SET_PDEATHSIG is Linux")
async def test_bench_children_die_with_the_bench_even_on_sigkill(tmp_path: Path) -> None:
    bench = await asyncio.create_subprocess_exec(
        sys.executable, "-c", CHILD.format(root=str(ROOT), load=str(ROOT / "bench" / "load.py"), logs=str(tmp_path)),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    try:
        line = await asyncio.wait_for(bench.stdout.readline(), 30)   # type: ignore[union-attr]
        assert line.strip().isdigit(), (line, await bench.stderr.read())   # type: ignore[union-attr]
        child = int(line)
        assert _alive(child)
    finally:
        bench.kill()
        await bench.wait()
    for _ in range(100):                                   # at most 5 s
        if not _alive(child):
            break
        await asyncio.sleep(0.05)
    assert not _alive(child), "the bench's child outlived it (an orphan)"


async def test_bench_stops_its_children_sigkill_after_the_grace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    load = _bench_load()
    monkeypatch.setattr(load._processes, "STOP_SECONDS", 0.5)     # bench/load_processes.py, loaded by load.py
    polite = await load.start_process("web", "polite", [sys.executable, "-c", "import time; time.sleep(60)"],
                                      {}, tmp_path)
    stubborn = await load.start_process(
        "worker", "stubborn", [sys.executable, "-c", "import signal, time\n"
                               "signal.signal(signal.SIGTERM, signal.SIG_IGN)\nprint('ready', flush=True)\n"
                               "time.sleep(60)"], {}, tmp_path)
    for _ in range(200):                                   # SIGTERM must find the handler installed
        if "ready" in stubborn.log.read_text():
            break
        await asyncio.sleep(0.02)
    started = time.monotonic()
    await load.stop_processes([polite, stubborn])
    assert polite.proc.returncode == -signal.SIGTERM
    assert stubborn.proc.returncode == -signal.SIGKILL
    assert time.monotonic() - started < 5
