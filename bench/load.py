"""Sustained load on PostgreSQL: chats on the Telegram webhook and clients of the REST API, then the books.

    .venv/bin/python bench/load.py [--seconds 300] [--chats 200] [--think 0.5] [--seed 7]
                                   [--web-processes 2] [--workers 1] [--pools auto|app|P+O]
                                   [--redis-url redis://127.0.0.1:6379/15]
                                   [--database-url postgresql+asyncpg://postgres@127.0.0.1:5432/dms_load]

Why not locust: locust runs its users on gevent, while every chat here has to wait for the bot's answer at
the Telegram stand-in (an aiohttp server of the end-to-end tests, ``tests/e2e/telegram_standin.py``);
monkey-patched gevent and the asyncio stand-in in one process do not mix. So this is a bounded asyncio
load generator: ``--chats`` chats run at once for ``--seconds``, each doing one thing at a time and
waiting (at most 30 s) for its answer, with a random pause of 0..``--think`` seconds between steps.

The database ``dms_load`` (name of ``--database-url``) is dropped and created afresh, migrated and seeded
here, in the bench process: one active dealer per chat (bound to the chat by invite), three products, one
warehouse with 10,000,000 of each, an API key (orders and sell-out scopes).

What runs, on 127.0.0.1 — the production shape (PostgreSQL + Redis, stateless web processes, outbox workers),
the default: this process keeps the load generator and the Bot API stand-in; ``--web-processes`` N (2) processes
``dms run`` (webhook mode, ``NOTIFY_IN_RUN=false``, ``DEMO_DATA_ON_EMPTY=false``, ``REDIS_URL`` = ``--redis-url``,
Telegram pointed at the stand-in; settings as environment, run from a folder without ``.env``) and
``--workers`` M (1) processes ``dms worker``. Before starting them the bench creates the admin that ``dms run``
would (``ensure_admin``): N processes find the schema current and an admin there, so their own migrate is a
no-op and none races to create the admin. ``dms run`` in webhook mode does not call setWebhook; the bench
registers the webhook with the stand-in. It waits for each web process's ``/healthz``, then sends one stock
query per process (each fits its intent classifier on its first message, seconds of CPU) before the clock
starts (``--web-processes 0`` does not: as before, its one fit happens during the load). At the end the processes get SIGTERM (the updates in flight finish), SIGKILL 30 s later; also on an
error, Ctrl+C or SIGTERM, and a SIGKILL of the bench takes them along (``PR_SET_PDEATHSIG``): no orphans.

The load balancer: Telegram posts to one URL; here the stand-in plays the balancer in front of the N
processes (``TelegramStandIn.balance_webhook``): each delivered update goes to the next process,
round-robin, so the two taps of a double press, sent at once, land on two different processes. The API
clients take turns the same way (one aiohttp client per process, the next one per request).

PostgreSQL connections: each process has its own pool, and storage/engine.py's 40 + 10 per process times
N + M processes exceeds a server's default ``max_connections`` (100; the first 200-chat run with 2 + 1
processes peaked at 99 connections and got 500s). ``--pools auto`` (default) sets ``DATABASE_POOL_SIZE`` /
``DATABASE_MAX_OVERFLOW`` of each process: workers 5 + 5, the web processes share what is left of ``max_connections`` after 30
(the bench's own engine, anyone else on the server), four fifths kept, the rest overflow (closed when given back). ``--pools app`` runs
``.venv/bin/dms`` untouched (40 + 10 each); ``--pools 15+15`` sets the web processes' pools by hand. Each process
also has up to 4 + 0 connections for order numbers (``storage.engine.COUNTER_POOL``), inside those 30.

``--web-processes 0``: the earlier shape, all in this process: the app built by ``bot.bootstrap`` served by
uvicorn, its Telegram task and one outbox worker (``outbox_worker_task``), next to the generator and the
stand-in; on this 2-core machine that caps everything at one core and measures the generator as much as the
app. ``tests/e2e/test_load_smoke.py`` runs this mode (processes take 15-40 s to start here).

The mix per step (weights): stock query in chat 35; order 20 (cart "AP300 来两台", then "确认下单"
pressed twice at the same time, then the order desk approves and allocates it through the API);
order status in chat ("我的订单") 15; API order list 10; API order detail 10; API sell-out POST 10.

Then the books, from the database:
- lost: a confirmed order missing or with a wrong total; an approve/allocate the API answered 200 that
  the database does not show; stock where on_hand moved or reserved differs from the allocated orders'
  quantities (a lost update of the shared stock rows); sell-out lines stored not equal to lines accepted.
- duplicates: orders beyond the ones confirmed (each double press must give one order), and
  (dealer, client_request_key) pairs with more than one order.
- errors: a webhook answered non-200, an API answer not 2xx, an answer that did not come in 30 s.

The second tap of a double press is answered with the order's number, or, when the two taps ran at once in
two processes and the loser met the unique (dealer, client_request_key), with the conflict message
("操作冲突") before the confirm handler answered that case with the winning order too (now it should be 0);
both are counted in the report; the books check there is one order either way.

The report also gives the updates each web process received, the peak of PostgreSQL connections to the
database, and the CPU seconds of the bench and of each process during the load phase (with the total the
cores offered: the rest went to PostgreSQL and anything else on the machine).

The last line is ``load seconds=S chats=C requests=N rps=R p95_ms=P p99_ms=Q errors=E lost=L
duplicates=D`` (requests = measured steps: chat updates answered plus API calls).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib.util
import itertools
import json
import logging
import os
import random
import re
import signal
import sys
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402
import httpx  # noqa: E402

from tests.e2e.telegram_standin import CATALOGUE, TelegramStandIn  # noqa: E402

WAIT_SECONDS = 30.0
DEFAULT_PG = "postgresql+asyncpg://postgres@127.0.0.1:5432/dms_load"
DEFAULT_REDIS = "redis://127.0.0.1:6379/15"
STOCK_ON_HAND = 10_000_000
PRICE = {sku: Decimal(price) for sku, _, _, _, _, price in CATALOGUE}
ORDER_QTY = 2
MIX = (("stock", 35), ("order", 20), ("status", 15), ("api_list", 10), ("api_detail", 10), ("sellout", 10))
NUMBER = re.compile(r"SO-\d{8}-\d{4}")
CONFLICT = "操作冲突"


class StepFailed(Exception):
    """A step got no answer in time, or an answer that is an error."""


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=dict)    # kind -> seconds
    errors: Counter[str] = field(default_factory=Counter)
    error_samples: list[str] = field(default_factory=list)
    confirmed: dict[str, int] = field(default_factory=dict)            # order number -> dealer chat
    allocated: set[str] = field(default_factory=set)                   # the API answered 200 to allocate
    sellout_accepted: int = 0
    double_press_numbers: list[tuple[str, str]] = field(default_factory=list)
    carts_pressed: Counter[str] = field(default_factory=Counter)       # dealer code -> double presses sent
    second_tap_conflicts: int = 0                                      # second tap answered "操作冲突"

    def record(self, kind: str, seconds: float) -> None:
        self.latencies.setdefault(kind, []).append(seconds)

    def fail(self, kind: str, why: str) -> None:
        self.errors[kind] += 1
        if len(self.error_samples) < 20:
            self.error_samples.append(f"{kind}: {why[:200]}")

    @property
    def requests(self) -> int:
        return sum(len(v) for v in self.latencies.values())

    def all_latencies(self) -> list[float]:
        return [x for v in self.latencies.values() for x in v]


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))] * 1000


# --- the app ------------------------------------------------------------------------------------------

@contextlib.asynccontextmanager
async def fresh_database(url: str) -> AsyncIterator[str]:
    """Drop and create the database named in ``url`` (ours alone: dms_load by default)."""
    from sqlalchemy import text
    from sqlalchemy.engine import make_url
    from sqlalchemy.ext.asyncio import create_async_engine

    target = make_url(url)
    name = target.database
    assert name and name.startswith("dms_load"), "bench/load.py only drops databases named dms_load*"
    server = create_async_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        async with server.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            await conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield target.render_as_string(hide_password=False)
    finally:
        await server.dispose()


@contextlib.asynccontextmanager
async def uvicorn_serving(asgi: Any) -> AsyncIterator[str]:
    """uvicorn on a free 127.0.0.1 port. Keep-alive longer than the clients' (httpx 5 s, aiohttp 15 s):
    with uvicorn's default 5 s both sides close an idle connection at the same moment and a request sent
    on it meets a reset: the client must be the one to close."""
    import uvicorn

    sock, port = _bench_webhook()._socket()
    server = uvicorn.Server(uvicorn.Config(asgi, log_config=None, lifespan="on", access_log=False,
                                           log_level="warning", timeout_keep_alive=75))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        for _ in range(1000):
            if server.started:
                break
            await asyncio.sleep(0.01)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        with contextlib.suppress(Exception):
            await asyncio.wait_for(task, 10)


@dataclass
class Running:
    app: Any                            # built here: seeds, clock, the books (its engine)
    urls: list[str]                     # the web processes (one in-process server in mode 0)
    api_key: str
    dealer_codes: dict[int, str]        # chat -> dealer code
    finish: Callable[[], Awaitable[None]]   # let the updates in flight finish (before the books)
    processes: list[Process] = field(default_factory=list)
    pools: str = ""
    tasks: list[asyncio.Task[Any]] = field(default_factory=list)   # in-process mode: Telegram task, outbox worker


@contextlib.asynccontextmanager
async def prepared(standin: TelegramStandIn, database_url: str, data_dir: Path,
                   redis_url: str | None) -> AsyncIterator[Any]:
    """Settings, migrations, the app built here: it seeds, answers the clock and reads the books."""
    from bot.bootstrap import bootstrap, migrate
    from bot.logging import configure_logging
    from bot.settings import Settings

    settings = Settings(_env_file=None, database_url=database_url, data_dir=data_dir,  # type: ignore[call-arg]
                        demo_data_on_empty=False, telegram_bot_token=standin.token,
                        telegram_api_base=standin.base_url, telegram_webhook_secret=_bench_webhook().SECRET,
                        telegram_mode="webhook", chat_flood_per_minute=100_000, log_level="ERROR",
                        redis_url=redis_url, notify_poll_seconds=0.5, notify_in_run=False)
    configure_logging(settings)
    await migrate(settings)
    app = bootstrap(settings)
    try:
        yield app
    finally:
        await app.aclose()


async def seed_and_key(app: Any, chats: list[int]) -> tuple[str, dict[int, str]]:
    """One dealer per chat (bench/webhook.py's seed) and an API key for the order desk."""
    from core.services.users import create_api_key
    from core.users import Actor

    await _bench_webhook().seed(app, chats)
    _, key = await create_api_key(app.uow_factory(), Actor.system(), "load",
                                  ["orders:read", "orders:write", "sellout:write", "sellout:read"], None,
                                  clock=app.clock)
    return key, {chat: f"B{n:04d}" for n, chat in enumerate(chats, start=1)}


@contextlib.asynccontextmanager
async def serving(standin: TelegramStandIn, database_url: str, data_dir: Path,
                  chats: list[int]) -> AsyncIterator[Running]:
    """``--web-processes 0``: the app, its Telegram task and one outbox worker in this process."""
    from bot.bootstrap import outbox_worker_task, telegram_task
    from bot.telegram.webhook import WEBHOOK_PATH, set_webhook

    async with prepared(standin, database_url, data_dir, None) as app:
        key, codes = await seed_and_key(app, chats)
        tasks = [asyncio.create_task(telegram_task(app)), asyncio.create_task(outbox_worker_task(app))]
        try:
            async with uvicorn_serving(app.web()) as url:
                assert await set_webhook(app.telegram().bot, url + WEBHOOK_PATH, _bench_webhook().SECRET)
                yield Running(app, [url], key, codes, app.telegram().updates.drain, tasks=tasks)
        finally:
            for task in tasks:
                task.cancel()
            for task in tasks:
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task


# --- the production shape: separate processes ------------------------------------------------------------


def _sibling(file: str) -> Any:
    """A module of bench/ loaded by its path (bench/ is not a package)."""
    name = "dms_bench_" + file.removesuffix(".py")
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name(file))
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


_processes = _sibling("load_processes.py")
ADMIN_PASSWORD, Process, Pools = _processes.ADMIN_PASSWORD, _processes.Process, _processes.Pools
plan_pools, dms_argv, process_env = _processes.plan_pools, _processes.dms_argv, _processes.process_env
start_process, wait_healthy, stop_processes = _processes.start_process, _processes.wait_healthy, _processes.stop_processes
_free_port, START_SECONDS, _bench_webhook = _processes._free_port, _processes.START_SECONDS, _processes._bench_webhook


@contextlib.asynccontextmanager
async def serving_processes(standin: TelegramStandIn, database_url: str, data_dir: Path, chats: list[int], *,
                            web_processes: int, workers: int, redis_url: str,
                            pools: str = "auto") -> AsyncIterator[Running]:
    """``--web-processes N --workers M``: N ``dms run`` and M ``dms worker`` processes on this database;
    the stand-in spreads the webhook over the N (``balance_webhook``), the API clients take turns."""
    from bot.bootstrap import ensure_admin
    from bot.telegram.webhook import WEBHOOK_PATH, set_webhook

    logs = data_dir / "logs"
    logs.mkdir(parents=True)
    processes: list[Process] = []
    async with prepared(standin, database_url, data_dir, redis_url) as app:
        # what `dms run` does before serving (migrate, an admin) is done here once: N processes that find the
        # schema current and an admin there neither migrate nor race to create the admin
        await ensure_admin(app, ADMIN_PASSWORD)
        plan = await plan_pools(app, pools, web_processes, workers)
        try:
            for n in range(web_processes):      # they import while the dealers are seeded below
                port = _free_port()
                argv, extra = dms_argv(plan.web, "run")
                process = await start_process("web", f"web{n + 1}", argv, process_env(app, port=port) | extra, logs)
                process.url = f"http://127.0.0.1:{port}"
                processes.append(process)
            for n in range(workers):
                argv, extra = dms_argv(plan.worker, "worker", "--id", f"load-worker-{n + 1}")
                processes.append(await start_process("worker", f"worker{n + 1}", argv, process_env(app) | extra, logs))
            print("processes " + " ".join(f"{p.name}={p.proc.pid}" for p in processes) + f"; {plan.describe()}",
                  flush=True)
            key, codes = await seed_and_key(app, chats)
            webs = [p for p in processes if p.role == "web"]
            async with httpx.AsyncClient() as client:
                await asyncio.gather(*(wait_healthy(p, client) for p in webs))
            # `dms run` in webhook mode never calls setWebhook (`dms telegram set-webhook` does, by hand)
            assert await set_webhook(app.telegram().bot, webs[0].url + WEBHOOK_PATH, _bench_webhook().SECRET)
            standin.balance_webhook([p.url + WEBHOOK_PATH for p in webs])

            async def finish() -> None:
                await stop_processes(processes)
                for p in processes:
                    if p.proc.returncode not in (0, -signal.SIGTERM):
                        print(f"{p.name} exited with {p.proc.returncode}:\n{p.tail()}", flush=True)

            yield Running(app, [p.url for p in webs], key, codes, finish, processes, plan.describe())
        finally:
            await stop_processes(processes)


async def peak_connections(app: Any, peak: list[int], stop: asyncio.Event) -> None:
    """Sample the server's connections to this database once a second (max_connections is shared)."""
    from sqlalchemy import text

    name = app.engine.url.database
    while not stop.is_set():
        with contextlib.suppress(Exception):
            async with app.engine.connect() as conn:
                count = (await conn.execute(text("SELECT count(*) FROM pg_stat_activity WHERE datname = :d"),
                                            {"d": name})).scalar_one()
                peak[0] = max(peak[0], int(count))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), 1.0)


async def warm_up(standin: TelegramStandIn, chat: int, times: int) -> None:
    """One stock query per web process, one after the other (round-robin: each process gets one), before the
    clock starts: a process fits the offline intent classifier on its first message (seconds, blocking)."""
    def answered(before: int) -> Callable[[], bool]:
        return lambda: any("厂家库存" in m.text for m in standin.sent(chat)[before:])

    for _ in range(times):
        before = standin.count(chat)
        await standin.send_text(chat, "AP300 有货吗")
        await standin.wait_for(answered(before), START_SECONDS, "the warm-up answer")


def cpu_seconds(pids: dict[str, int]) -> dict[str, float]:
    """User + system CPU seconds so far of each process (Linux /proc; empty elsewhere)."""
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    seconds: dict[str, float] = {}
    for name, pid in pids.items():
        with contextlib.suppress(OSError, IndexError, ValueError):
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            seconds[name] = (int(fields[11]) + int(fields[12])) / tick     # utime, stime
    return seconds


@dataclass
class Answer:
    status_code: int
    text: str

    def json(self) -> Any:
        return json.loads(self.text)


class ApiClient:
    """One web process's REST client: aiohttp, as the stand-in (httpx's pool looked at every kept connection, a
    socket check each, on every request: 40% of this bench's own CPU with 200 chats, CPU the processes measured
    did not get)."""

    def __init__(self, base_url: str, api_key: str, connections: int, keepalive: float) -> None:
        self.session = aiohttp.ClientSession(
            base_url=base_url, headers={"Authorization": f"Bearer {api_key}"},
            timeout=aiohttp.ClientTimeout(total=WAIT_SECONDS),
            connector=aiohttp.TCPConnector(limit=connections, keepalive_timeout=keepalive))

    async def request(self, method: str, path: str, **kw: Any) -> Answer:
        async with self.session.request(method, path, **kw) as response:
            return Answer(response.status, await response.text())

    async def aclose(self) -> None:
        await self.session.close()


class RoundRobinApi:
    """The REST API clients' side of the load balancer: each request to the next web process."""

    def __init__(self, clients: list[ApiClient]) -> None:
        self.clients = clients
        self._turn = itertools.count()

    async def request(self, method: str, path: str, **kw: Any) -> Answer:
        return await self.clients[next(self._turn) % len(self.clients)].request(method, path, **kw)


# --- one chat ---------------------------------------------------------------------------------------------

class Chat:
    def __init__(self, chat: int, code: str, standin: TelegramStandIn, api: RoundRobinApi, stats: Stats,
                 rng: random.Random, today: str) -> None:
        self.chat, self.code, self.standin, self.api, self.stats, self.rng = chat, code, standin, api, stats, rng
        self.today = today
        self.orders: list[str] = []

    async def _answer(self, before: int, matches: Any, what: str) -> Any:
        def found() -> Any:     # this chat's messages since ``before``, not a copy of its whole history
            return next((m for m in self.standin.messages.get(self.chat, [])[before:] if matches(m)), None)
        try:
            await self.standin.wait_for(lambda: found() is not None, WAIT_SECONDS, what, chat_id=self.chat)
        except AssertionError as exc:
            seen = " | ".join(m.text[:60].replace("\n", " ") for m in self.standin.sent(self.chat)[before:][-3:])
            raise StepFailed(f"chat {self.chat}: no {what} in {WAIT_SECONDS:.0f} s (got: {seen or '-'})") from exc
        return found()

    async def _text(self, kind: str, text: str, matches: Any) -> Any:
        before = self.standin.count(self.chat)
        started = time.monotonic()
        try:
            await self.standin.send_text(self.chat, text)
        except (OSError, aiohttp.ClientError) as exc:     # the webhook did not answer at all
            raise StepFailed(f"chat {self.chat}: webhook {type(exc).__name__}") from exc
        message = await self._answer(before, matches, kind)
        self.stats.record(kind, message.at - started)
        return message

    async def stock(self) -> None:
        await self._text("chat stock", "AP300 有货吗", lambda m: "厂家库存" in m.text)

    async def status(self) -> None:
        if not self.orders:
            return await self.stock()
        await self._text("chat status", "我的订单", lambda m: "最近的一笔订单" in m.text or "订单列表" in m.text
                         or "最近的订单" in m.text          # the menu's 📦 我的订单 typed: the list of them
                         or "从新到旧" in m.text            # more than a screen of them: the first page
                         or ("订单" in m.text and any("订单" in label for label in m.labels)
                             and not m.text.startswith("您的订单")))   # a push about an order is no answer

    async def order(self) -> None:
        cart = await self._text("chat cart", "AP300 来两台", lambda m: any("确认下单" in lb for lb in m.labels))
        data = cart.button("确认下单")
        before = self.standin.count(self.chat)
        started = time.monotonic()
        # the dealer taps twice at once (two callback queries, one cart): one order, never two
        self.stats.carts_pressed[self.code] += 1
        try:
            await asyncio.gather(self.standin.press(self.chat, cart, data), self.standin.press(self.chat, cart, data))
        except (OSError, aiohttp.ClientError) as exc:
            raise StepFailed(f"chat {self.chat}: webhook {type(exc).__name__}") from exc
        done = await self._answer(before, lambda m: "订单已提交" in m.text and NUMBER.search(m.text), "order confirmed")
        self.stats.record("chat confirm", done.at - started)
        # the second tap: the order's number again, or (when the two taps ran at once in two processes and the
        # loser met the unique client_request_key) the conflict message; the books check there is one order
        # a late answer about one of this chat's earlier orders (its second press timed out, counted as an error
        # then) is not this press's answer
        def answers_this_press(m: Any) -> bool:
            found = NUMBER.search(m.text)
            return m is not done and ((found is not None and "已提交" in m.text and found.group(0) not in self.orders)
                                      or CONFLICT in m.text)

        second = await self._answer(before, answers_this_press, "second press answer")
        number = NUMBER.search(done.text).group(0)       # type: ignore[union-attr]
        if CONFLICT in second.text:
            self.stats.second_tap_conflicts += 1
        else:
            other = NUMBER.search(second.text).group(0)  # type: ignore[union-attr]
            self.stats.double_press_numbers.append((number, other))
        self.stats.confirmed[number] = self.chat
        self.orders.append(number)
        for action in ("approve", "allocate"):
            await self._api("api " + action, "POST", f"/api/v1/orders/{number}/status", json={"action": action})
        self.stats.allocated.add(number)

    async def _api(self, kind: str, method: str, path: str, **kw: Any) -> Answer:
        started = time.monotonic()
        try:
            response = await self.api.request(method, path, **kw)
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise StepFailed(f"{method} {path}: {type(exc).__name__}") from exc
        if not 200 <= response.status_code < 300:
            raise StepFailed(f"{method} {path}: {response.status_code} {response.text[:150]}")
        self.stats.record(kind, time.monotonic() - started)
        return response

    async def api_list(self) -> None:
        await self._api("api list", "GET", "/api/v1/orders", params={"dealer": self.code})

    async def api_detail(self) -> None:
        if not self.orders:
            return await self.api_list()
        number = self.rng.choice(self.orders)
        body = (await self._api("api detail", "GET", f"/api/v1/orders/{number}")).json()
        if Decimal(str(body["total"])) != PRICE["AP300"] * ORDER_QTY:
            raise StepFailed(f"{number}: total {body['total']}")

    async def sellout(self) -> None:
        rows = [{"dealer": self.code, "date": self.today, "sku": sku, "qty": 1, "amount": str(PRICE[sku])}
                for sku in ("AP300", "F300")]
        response = await self._api("api sellout", "POST", "/api/v1/sellout", json=rows)
        body = response.json()
        if response.status_code != 200 or body.get("accepted") != len(rows):
            raise StepFailed(f"sell-out: {response.status_code} {body}")
        self.stats.sellout_accepted += body["accepted"]

    async def run(self, deadline: float, think: float) -> None:
        kinds = [k for k, _ in MIX]
        weights = [w for _, w in MIX]
        await asyncio.sleep(self.rng.uniform(0, max(think, 0.2)))     # do not all start in the same tick
        while time.monotonic() < deadline:
            kind = self.rng.choices(kinds, weights)[0]
            try:
                await getattr(self, kind)()
            except StepFailed as exc:
                self.stats.fail(kind, str(exc))
            if think:
                await asyncio.sleep(self.rng.uniform(0, think))


# --- the books ---------------------------------------------------------------------------------------------

@dataclass
class Books:
    lost: int
    duplicates: int
    notes: list[str]


async def check_books(app: Any, stats: Stats) -> Books:
    from sqlalchemy import text

    notes: list[str] = []
    lost = duplicates = 0
    async with app.engine.connect() as conn:
        rows = (await conn.execute(text("SELECT number, status, total FROM orders"))).all()
        by_number = {r[0]: r for r in rows}
        for number in stats.confirmed:
            row = by_number.get(number)
            if row is None:
                lost += 1
                notes.append(f"confirmed order {number} missing")
            elif Decimal(str(row[2])) != PRICE["AP300"] * ORDER_QTY:
                lost += 1
                notes.append(f"{number}: total {row[2]}")
        for number in stats.allocated:
            row = by_number.get(number)
            if row is not None and str(row[1]).rsplit(".", 1)[-1].lower() != "allocated":
                lost += 1
                notes.append(f"{number}: allocated by the API, {row[1]} in the database")
        # an order whose answer came too late (an error above) is not a duplicate: per dealer, at most
        # one order per cart pressed (each cart's two presses must make one order)
        per_dealer = dict((await conn.execute(text(
            "SELECT d.code, count(*) FROM orders o JOIN dealers d ON d.id = o.dealer_id GROUP BY d.code"))).all())
        for code, count in per_dealer.items():
            extra = int(count) - stats.carts_pressed.get(code, 0)
            if extra > 0:
                duplicates += extra
                notes.append(f"dealer {code}: {count} orders from {stats.carts_pressed.get(code, 0)} carts")
        late = len(rows) - len(stats.confirmed)
        if late > 0:
            notes.append(f"{late} orders stored whose confirmation came after the {WAIT_SECONDS:.0f} s wait")
        mismatched = [pair for pair in stats.double_press_numbers if pair[0] != pair[1]]
        if mismatched:
            duplicates += len(mismatched)
            notes.append(f"double presses answered with two numbers: {mismatched[:3]}")
        same_key = (await conn.execute(text(
            "SELECT count(*) FROM (SELECT dealer_id, client_request_key FROM orders "
            "WHERE client_request_key IS NOT NULL GROUP BY 1, 2 HAVING count(*) > 1) AS d"))).scalar_one()
        duplicates += int(same_key)
        reserved_by_sku = dict((await conn.execute(text(
            "SELECT l.sku, coalesce(sum(l.qty), 0) FROM order_lines l JOIN orders o ON o.id = l.order_id "
            "WHERE lower(o.status::text) LIKE '%allocated' GROUP BY l.sku"))).all())
        for sku, on_hand, reserved in (await conn.execute(text(
                "SELECT sku, on_hand, reserved FROM stock_levels"))).all():
            want = int(reserved_by_sku.get(sku, 0))
            if on_hand != STOCK_ON_HAND or reserved != want:
                lost += 1
                notes.append(f"stock {sku}: on_hand {on_hand} reserved {reserved}, allocated orders hold {want}")
        stored = (await conn.execute(text("SELECT count(*) FROM sellout_lines"))).scalar_one()
        if stored != stats.sellout_accepted:
            lost += abs(int(stored) - stats.sellout_accepted)
            notes.append(f"sell-out lines stored {stored}, accepted {stats.sellout_accepted}")
    return Books(lost, duplicates, notes)


# --- the run -----------------------------------------------------------------------------------------------

@dataclass
class Outcome:
    seconds: float
    chats: int
    stats: Stats
    books: Books
    webhook_errors: int
    shape: str = ""                     # what served the load, for the report

    @property
    def errors(self) -> int:
        return sum(self.stats.errors.values()) + self.webhook_errors

    def report(self) -> str:
        head = f"{'kind':<14}{'count':>8}{'per s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}"
        lines = [head, "-" * len(head)]
        kinds = sorted(set(self.stats.latencies) | set(self.stats.errors))
        for kind in kinds:
            values = self.stats.latencies.get(kind, [])
            lines.append(f"{kind:<14}{len(values):>8}{len(values) / self.seconds:>8.1f}{pct(values, 50):>9.0f}"
                         f"{pct(values, 95):>9.0f}{pct(values, 99):>9.0f}{self.stats.errors.get(kind, 0):>8}")
        lines.append(f"orders confirmed {len(self.stats.confirmed)}, allocated {len(self.stats.allocated)}, "
                     f"sell-out lines {self.stats.sellout_accepted}, webhook non-200 {self.webhook_errors}")
        lines.append(f"second taps answered with the order number {len(self.stats.double_press_numbers)}, "
                     f"with the conflict message {self.stats.second_tap_conflicts}")
        if self.shape:
            lines.append(self.shape)
        lines += [f"  error: {e}" for e in self.stats.error_samples]
        lines += [f"  books: {n}" for n in self.books.notes[:20]]
        every = self.stats.all_latencies()
        lines.append(f"load seconds={self.seconds:.0f} chats={self.chats} requests={self.stats.requests} "
                     f"rps={self.stats.requests / self.seconds:.1f} p95_ms={pct(every, 95):.0f} "
                     f"p99_ms={pct(every, 99):.0f} errors={self.errors} lost={self.books.lost} "
                     f"duplicates={self.books.duplicates}")
        return "\n".join(lines)


async def run_load(database_url: str, *, seconds: float, chats: int, think: float = 0.5, seed: int = 7,
                   fresh: bool = True, web_processes: int = 2, workers: int = 1,
                   redis_url: str = DEFAULT_REDIS, pools: str = "auto") -> Outcome:
    """Seed, load for ``seconds`` with ``chats`` chats, let the work in flight finish, check the books.

    ``web_processes`` 0: everything in this process; else that many ``dms run`` processes and ``workers``
    ``dms worker`` processes, stopped (no orphans) before this returns or raises."""
    chat_ids = [20_000 + n for n in range(chats)]
    stats = Stats()
    rng = random.Random(seed)
    database = fresh_database(database_url) if fresh else contextlib.nullcontext(database_url)
    # a client closes an idle connection before uvicorn's 5 s keep-alive of `dms run` does: else both close at
    # once and a request sent on it meets a reset (the in-process server keeps them 75 s)
    keepalive = 3.0
    begun = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="dms-load-") as tmp:
        async with contextlib.AsyncExitStack() as stack:
            url = await stack.enter_async_context(database)
            standin = await stack.enter_async_context(TelegramStandIn(keepalive_seconds=keepalive))
            if web_processes:
                running = await stack.enter_async_context(serving_processes(
                    standin, url, Path(tmp), chat_ids, web_processes=web_processes, workers=workers,
                    redis_url=redis_url, pools=pools))
                shape = f"{web_processes} web processes, {workers} outbox worker processes, {running.pools}"
            else:
                running = await stack.enter_async_context(serving(standin, url, Path(tmp), chat_ids))
                shape = "in this process (app, outbox worker, stand-in, load)"
            if running.processes:
                await warm_up(standin, chat_ids[0], len(running.urls))
            else:                       # in this process: the one classifier fit before the clock, not in it
                from nlu.classifier import default_classifier

                await asyncio.to_thread(default_classifier)
            print(f"seeded, started and warmed up in {time.monotonic() - begun:.1f} s", flush=True)
            today = running.app.clock.now().date().isoformat()
            peak = [0]
            sampled = asyncio.Event()
            sampler = asyncio.create_task(peak_connections(running.app, peak, sampled))
            clients = [ApiClient(u, running.api_key, chats, keepalive) for u in running.urls]
            try:
                api = RoundRobinApi(clients)
                users = [Chat(c, running.dealer_codes[c], standin, api, stats, random.Random(rng.random()), today)
                         for c in chat_ids]
                pids = {"bench": os.getpid()} | {p.name: p.proc.pid for p in running.processes}
                cpu_before = cpu_seconds(pids)
                started = time.monotonic()
                await asyncio.gather(*(u.run(started + seconds, think) for u in users))
                elapsed = time.monotonic() - started
                cpu = {name: spent - cpu_before.get(name, 0.0) for name, spent in cpu_seconds(pids).items()}
            finally:
                for client in clients:
                    await client.aclose()
                sampled.set()
                await sampler
            await running.finish()
            books = await check_books(running.app, stats)
            webhook_errors = sum(1 for _, status in standin.webhook_deliveries if status != 200)
            if running.processes:
                spread = ", ".join(f"{p.name} {standin.webhook_targets[p.url + '/telegram/webhook']}"
                                   for p in running.processes if p.role == "web")
                shape += f"; updates per web process: {spread}"
            shape += f"; peak PostgreSQL connections to {running.app.engine.url.database}: {peak[0]}"
            if cpu:
                cores = os.cpu_count() or 1
                shape += (f"\nCPU seconds in the load phase (of {elapsed * cores:.0f} on {cores} cores): "
                          + ", ".join(f"{name} {spent:.0f}" for name, spent in cpu.items()))
    return Outcome(elapsed, chats, stats, books, webhook_errors, shape)


async def main(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.ERROR)
    for name in ("aiogram", "uvicorn", "bot", "handlers", "sqlalchemy", "notifications"):
        logging.getLogger(name).setLevel(logging.ERROR)
    # SIGTERM (and Ctrl+C, which asyncio.run turns into a cancel) unwinds through the finally blocks: the
    # processes started here are stopped, the database is dropped by the next run only
    current = asyncio.current_task()
    assert current is not None
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, current.cancel)
    shape = (f"{args.web_processes} web + {args.workers} worker processes" if args.web_processes
             else "one process")
    print(f"dms on PostgreSQL, {args.chats} chats for {args.seconds:.0f} s (think 0..{args.think} s), {shape} ...",
          flush=True)
    async with asyncio.timeout(args.seconds + 600):
        outcome = await run_load(args.database_url, seconds=args.seconds, chats=args.chats, think=args.think,
                                 seed=args.seed, web_processes=args.web_processes, workers=args.workers,
                                 redis_url=args.redis_url, pools=args.pools)
    print(outcome.report())
    return 0 if outcome.errors == 0 and outcome.books.lost == 0 and outcome.books.duplicates == 0 else 1


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    env_url = os.environ.get("DMS_LOAD_DATABASE_URL", "")
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=300.0)
    parser.add_argument("--chats", type=int, default=200)
    parser.add_argument("--think", type=float, default=0.5, help="pause between steps: uniform 0..THINK s")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--database-url", default=env_url or DEFAULT_PG)
    parser.add_argument("--web-processes", type=int, default=2,
                        help="`dms run` processes behind the webhook and the API; 0: all in this process")
    parser.add_argument("--workers", type=int, default=1, help="`dms worker` processes (with --web-processes)")
    parser.add_argument("--redis-url", default=DEFAULT_REDIS, help="shared by the processes (rate limits)")
    parser.add_argument("--pools", default="auto",
                        help="PostgreSQL pool per web process: auto (fit max_connections), app (40+10 each), or P+O")
    args = parser.parse_args(argv)
    if not re.fullmatch(r"auto|app|\d+\+\d+", args.pools):
        parser.error("--pools: auto, app or SIZE+OVERFLOW (e.g. 15+15)")
    if not 1 <= args.chats <= 500 or not 1 <= args.seconds <= 3600:
        parser.error("keep it bounded: 1-500 chats, 1-3600 seconds")
    if not 0 <= args.web_processes <= 8 or not 0 <= args.workers <= 8:
        parser.error("keep it bounded: 0-8 web processes, 0-8 workers")
    return args


if __name__ == "__main__":
    from bot.cli._runtime import loop_factory

    try:      # the generator and the stand-in on the loop the `dms` processes take (uvloop where installed)
        with asyncio.Runner(loop_factory=loop_factory()) as runner:
            sys.exit(runner.run(main(parse_args())))
    except (KeyboardInterrupt, asyncio.CancelledError):     # the processes started here are stopped by now
        print("load: stopped before the end", file=sys.stderr)
        sys.exit(130)
