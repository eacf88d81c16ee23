"""Webhook benchmark: dms (SQLite and PostgreSQL) next to a bare aiogram echo bot, on this machine.

    .venv/bin/python bench/webhook.py [--chats 50] [--rounds 20] [--confirm-rounds 20] [--timeout 1800]
                                      [--skip-sqlite] [--skip-postgres] [--loop auto|uvloop|asyncio]
                                      [--database-url postgresql+asyncpg://...]

The last line is ``ratio stock=<pct> confirm=<pct>``: dms on PostgreSQL as a percentage of the echo bot's
updates per second (``n/a`` when PostgreSQL was skipped).

Everything runs on 127.0.0.1 in one process: the Telegram Bot API stand-in of the end-to-end tests
(``tests/e2e/telegram_standin.py``) plays Telegram and the users; the app built by ``bot.bootstrap``
is served by uvicorn and receives updates on ``POST /telegram/webhook`` exactly as from Telegram
(secret header, JSON body). The whole run is on one event loop, the echo bot's and dms's alike: asyncio's own
by default, as in the runs before session 19, so ratios compare; ``--loop auto`` takes uvloop, as ``dms run``
does. On this machine uvloop served dms's updates at the same rate and the echo bot's about 10% slower, so
its ratios come out higher without dms being any faster: compare ratios on one loop. ``--chats`` chats talk at the same time, each waiting for its answer before
sending the next update, like people do.

Scenarios (latency: from the stand-in POSTing the update until the bot's last message for it
arrives at the stand-in; throughput: updates handled per second of the phase):

- stock query:   a dealer types "AP300 有货吗"; the bot looks the product up and answers.
- confirm order: a dealer taps "确认下单" on a cart (the cart itself is made before, unmeasured);
                 the bot submits the order (one unit of work, audit, ledger) and tells staff.

The echo bot is aiogram alone (Dispatcher + one message and one callback handler that echo) behind the
same webhook shape (FastAPI route, secret check, parse, handle in the background, 200), so the ratio
shows what the database, the dialog state and the business rules cost per update.

PostgreSQL: a fresh database ``dms_bench_<time>`` is created on the server of ``--database-url``
(default ``$DATABASE_URL`` if it is PostgreSQL, else ``postgresql+asyncpg://postgres@127.0.0.1:5432/dms_bench``)
and dropped afterwards; no existing database is touched. Bounded: ``chats x rounds`` updates per
scenario (1,000 by default, enough for a p99), every wait at most 30 s, the whole run at most ``--timeout`` seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hmac
import logging
import os
import socket
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from fastapi import FastAPI, Request, Response  # noqa: E402  (route annotations must resolve at module level)

from tests.e2e.telegram_standin import CATALOGUE, TelegramStandIn  # noqa: E402

SECRET = "bench-webhook-secret-0123456789"
STOCK_TEXT = "AP300 有货吗"
CART_TEXT = "AP300 来两台"
WAIT_SECONDS = 30.0
WARM_UP_SECONDS = 300.0
DEFAULT_PG = "postgresql+asyncpg://postgres@127.0.0.1:5432/dms_bench"


@dataclass
class Result:
    scenario: str
    target: str
    latencies: list[float] = field(default_factory=list)   # seconds
    seconds: float = 0.0
    errors: int = 0

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def pct(self, q: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))] * 1000


# --- servers -----------------------------------------------------------------------------------------

def _socket() -> tuple[socket.socket, int]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock, sock.getsockname()[1]


@contextlib.asynccontextmanager
async def uvicorn_serving(asgi: Any) -> AsyncIterator[str]:
    import uvicorn

    sock, port = _socket()
    server = uvicorn.Server(uvicorn.Config(asgi, log_config=None, lifespan="on", access_log=False,
                                           log_level="warning"))
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


# --- the dms app ---------------------------------------------------------------------------------------

async def seed(app: Any, chats: list[int]) -> None:
    """One dealer per chat (so orders do not queue on one dealer's row), bound by invite; a catalogue."""
    from decimal import Decimal

    from core.dealers import DealerStatus
    from core.inventory import StockLevel, Warehouse
    from core.products import Product
    from core.services import dealers as dealer_cases
    from core.services.users import create_invite, redeem_invite
    from core.uscc import make_uscc
    from core.users import Actor, InviteKind
    from tests.factories import make_valid_documents

    system = Actor.system()
    async with app.uow_factory() as uow:
        warehouse = await uow.warehouses.add(Warehouse(code="WH-B", name="基准仓", region="华东"))
        await uow.flush()
        for sku, name, aliases, category, unit, price in CATALOGUE:
            await uow.products.add(Product(sku=sku, name=name, aliases=list(aliases), category=category, unit=unit,
                                           list_price=Decimal(price)))
            await uow.stock.add(StockLevel(warehouse_id=warehouse.id, sku=sku, on_hand=10_000_000))
        await uow.commit()
    for n, chat in enumerate(chats, start=1):
        code = f"B{n:04d}"
        dealer = await dealer_cases.create_dealer(app.uow_factory(), system, dealer_cases.CreateDealer(
            code=code, name=f"基准测试经销商{n}", uscc=make_uscc(f"{n + 70_000_000:08d}"), province="浙江",
            city="杭州", region="华东", tier="B"), app.clock)
        async with app.uow_factory() as uow:
            stored = await uow.dealers.get(dealer.id)
            stored.status = DealerStatus.ACTIVE
            stored.credit_limit = Decimal("100000000.00")
            for document in make_valid_documents(dealer.id):
                await uow.qualifications.add(document)
            await uow.commit()
        invite = await create_invite(app.uow_factory(), system, InviteKind.DEALER, code, app.clock)
        await redeem_invite(app.uow_factory(), invite.code, "telegram", str(chat), f"用户{chat}", app.clock)


@contextlib.asynccontextmanager
async def dms_bot(standin: TelegramStandIn, database_url: str, data_dir: Path,
                  chats: list[int]) -> AsyncIterator[Any]:
    from bot.bootstrap import bootstrap, migrate, telegram_task, warm_up
    from bot.logging import configure_logging
    from bot.settings import Settings
    from bot.telegram.webhook import WEBHOOK_PATH, set_webhook

    settings = Settings(_env_file=None, database_url=database_url, data_dir=data_dir,  # type: ignore[call-arg]
                        demo_data_on_empty=False, telegram_bot_token=standin.token,
                        telegram_api_base=standin.base_url, telegram_webhook_secret=SECRET,
                        telegram_mode="webhook", chat_flood_per_minute=100_000, log_level="ERROR")
    configure_logging(settings)
    await migrate(settings)
    app = bootstrap(settings)
    try:
        await seed(app, chats)
        await warm_up()                   # as `dms run` does before serving (bot.bootstrap.prepare)
        background = asyncio.create_task(telegram_task(app))
        async with uvicorn_serving(app.web()) as url:
            assert await set_webhook(app.telegram().bot, url + WEBHOOK_PATH, SECRET)
            try:
                yield app
            finally:
                background.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await background
    finally:
        await app.aclose()


# --- the echo bot ----------------------------------------------------------------------------------------

@contextlib.asynccontextmanager
async def echo_bot(standin: TelegramStandIn) -> AsyncIterator[None]:
    """aiogram alone: the same webhook shape, handlers that only echo."""
    import json

    from aiogram import Dispatcher, F, Router
    from aiogram.types import CallbackQuery, Message, Update

    from bot.telegram.channel import create_bot
    from bot.telegram.webhook import WEBHOOK_PATH

    bot = create_bot(standin.token, standin.base_url)
    router = Router(name="echo")

    @router.message(F.text)
    async def echo(message: Message) -> None:
        await message.answer(message.text or "")

    @router.callback_query()
    async def echo_button(query: CallbackQuery) -> None:
        await query.answer()
        if query.message is not None:
            await bot.send_message(query.message.chat.id, f"✅ {query.data}")

    dp = Dispatcher()
    dp.include_router(router)
    web = FastAPI()
    tasks: set[asyncio.Task[Any]] = set()

    @web.post(WEBHOOK_PATH)
    async def webhook(request: Request) -> Response:
        given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
        if not hmac.compare_digest(given.encode(), SECRET.encode()):
            return Response(status_code=401)
        try:
            update = Update.model_validate(json.loads(await request.body()), context={"bot": bot})
        except ValueError:
            return Response(status_code=200)
        task = asyncio.create_task(dp.feed_update(bot, update))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
        return Response(status_code=200)

    try:
        async with uvicorn_serving(web) as url:
            await bot.set_webhook(url + WEBHOOK_PATH, secret_token=SECRET)
            yield
    finally:
        await bot.session.close()


# --- load ------------------------------------------------------------------------------------------------

async def until(standin: TelegramStandIn, check: Callable[[], bool]) -> None:
    await standin.wait_for(check, WAIT_SECONDS, "the bot's answer")


async def run_phase(result: Result, chats: list[int], rounds: int,
                    one: Callable[[int], Awaitable[float]]) -> Result:
    async def chat_loop(chat: int) -> None:
        for _ in range(rounds):
            try:
                result.latencies.append(await one(chat))
            except AssertionError:
                result.errors += 1

    started = time.monotonic()
    await asyncio.gather(*(chat_loop(c) for c in chats))
    result.seconds = time.monotonic() - started
    return result


def stock_query(standin: TelegramStandIn, messages_per_answer: int) -> Callable[[int], Awaitable[float]]:
    async def one(chat: int) -> float:
        before = standin.count(chat)
        started = time.monotonic()
        await standin.send_text(chat, STOCK_TEXT)
        await until(standin, lambda: standin.count(chat) >= before + messages_per_answer)
        return standin.sent(chat)[before + messages_per_answer - 1].at - started
    return one


def confirm_order(standin: TelegramStandIn, button: str, done_word: str) -> Callable[[int], Awaitable[float]]:
    async def one(chat: int) -> float:
        before = standin.count(chat)                       # a fresh cart, not measured
        await standin.send_text(chat, CART_TEXT)
        await until(standin, lambda: any(button in label for m in standin.sent(chat)[before:] for label in m.labels))
        message = next(m for m in reversed(standin.sent(chat)) if any(button in label for label in m.labels))
        before = standin.count(chat)
        started = time.monotonic()
        await standin.press(chat, message, message.button(button))
        await until(standin, lambda: any(done_word in m.text for m in standin.sent(chat)[before:]))
        done = next(m for m in standin.sent(chat)[before:] if done_word in m.text)
        return done.at - started
    return one


async def bench_dms(target: str, database_url: str, chats: list[int], args: argparse.Namespace) -> list[Result]:
    with tempfile.TemporaryDirectory(prefix="dms-bench-") as tmp:
        async with TelegramStandIn() as standin, dms_bot(standin, database_url, Path(tmp), chats):
            # warm-up, and how many messages answer a stock query
            probe = chats[0]
            await standin.send_text(probe, STOCK_TEXT)
            # the first parse trains the classifier (tens of seconds on a busy machine): not a bot that hangs
            await standin.wait_for(lambda: standin.count(probe) >= 1, WARM_UP_SECONDS, "the bot's first answer")
            await asyncio.sleep(0.5)
            per_answer = standin.count(probe)
            stock = await run_phase(Result("stock query", target), chats, args.rounds,
                                    stock_query(standin, per_answer))
            confirm = await run_phase(Result("confirm order", target), chats, args.confirm_rounds,
                                      confirm_order(standin, "确认下单", "订单已提交"))
            return [stock, confirm]


async def bench_echo(chats: list[int], args: argparse.Namespace) -> list[Result]:
    async with TelegramStandIn() as standin, echo_bot(standin):
        stock = await run_phase(Result("stock query", "aiogram echo"), chats, args.rounds, stock_query(standin, 1))

        async def confirm(chat: int) -> float:       # the echo bot has no cart: tap a button on its last echo
            before = standin.count(chat)               # a message to tap on, not measured
            await standin.send_text(chat, "确认下单")
            await until(standin, lambda: standin.count(chat) > before)
            first = standin.sent(chat)[before]
            before = standin.count(chat)
            started = time.monotonic()
            await standin.press(chat, first, "1|order.confirm|bench")
            await until(standin, lambda: standin.count(chat) > before)
            return standin.sent(chat)[before].at - started

        confirm_result = await run_phase(Result("confirm order", "aiogram echo"), chats, args.confirm_rounds, confirm)
        return [stock, confirm_result]


# --- PostgreSQL: a throw-away database ---------------------------------------------------------------------

@contextlib.asynccontextmanager
async def fresh_postgres(url: str) -> AsyncIterator[str]:
    from sqlalchemy import text
    from sqlalchemy.engine import make_url
    from sqlalchemy.ext.asyncio import create_async_engine

    base = make_url(url)
    name = f"dms_bench_{int(time.time())}_{os.getpid()}"
    server = create_async_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        async with server.connect() as conn:
            await conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield base.set(database=name).render_as_string(hide_password=False)
        finally:
            async with server.connect() as conn:
                await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        await server.dispose()


# --- report -----------------------------------------------------------------------------------------------

def table(results: list[Result]) -> str:
    head = f"{'scenario':<15}{'target':<22}{'updates':>8}{'errors':>8}{'upd/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
    lines = [head, "-" * len(head)]
    for r in results:
        lines.append(f"{r.scenario:<15}{r.target:<22}{len(r.latencies):>8}{r.errors:>8}{r.rate:>9.1f}"
                     f"{r.pct(50):>9.1f}{r.pct(95):>9.1f}{r.pct(99):>9.1f}")
    lines.append("")
    echo = {r.scenario: r for r in results if r.target == "aiogram echo"}
    for r in results:
        base = echo.get(r.scenario)
        if r.target == "aiogram echo" or base is None or not r.rate or not base.rate:
            continue
        lines.append(f"{r.scenario:<15}{r.target:<22} throughput {r.rate / base.rate:6.1%} of the echo bot, "
                     f"p50 {r.pct(50) / base.pct(50):5.1f}x, p95 {r.pct(95) / base.pct(95):5.1f}x its latency")
    return "\n".join(lines)


def ratio_line(results: list[Result]) -> str:
    """``ratio stock=12.9% confirm=4.8%``: dms on PostgreSQL against the echo bot, updates per second."""
    def pct(scenario: str) -> str:
        echo = next((r for r in results if r.scenario == scenario and r.target == "aiogram echo"), None)
        dms = next((r for r in results if r.scenario == scenario and r.target == "dms + PostgreSQL"), None)
        if echo is None or dms is None or not echo.rate:
            return "n/a"
        return f"{dms.rate / echo.rate:.1%}"
    return f"ratio stock={pct('stock query')} confirm={pct('confirm order')}"


async def main(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.ERROR)
    for name in ("aiogram", "uvicorn", "bot", "handlers", "sqlalchemy"):
        logging.getLogger(name).setLevel(logging.ERROR)
    chats = [10_000 + n for n in range(args.chats)]
    results: list[Result] = []
    async with asyncio.timeout(args.timeout):
        print(f"aiogram echo bot, {args.chats} chats ...", flush=True)
        results += await bench_echo(chats, args)
        if not args.skip_sqlite:
            with tempfile.TemporaryDirectory(prefix="dms-bench-sqlite-") as tmp:
                print("dms on SQLite ...", flush=True)
                results += await bench_dms("dms + SQLite", f"sqlite+aiosqlite:///{tmp}/bench.sqlite3", chats, args)
        if not args.skip_postgres:
            print("dms on PostgreSQL ...", flush=True)
            try:
                async with fresh_postgres(args.database_url) as url:
                    results += await bench_dms("dms + PostgreSQL", url, chats, args)
            except (OSError, ConnectionError) as exc:
                print(f"PostgreSQL skipped: {exc}", flush=True)
    print()
    loop = type(asyncio.get_running_loop()).__module__.split(".")[0]
    print(f"{args.chats} concurrent chats; stock query x{args.rounds}, confirm order x{args.confirm_rounds} "
          f"per chat; everything on 127.0.0.1 in one process (python {sys.version.split()[0]}, {loop} loop)")
    print(table(sorted(results, key=lambda r: (r.scenario != "stock query", r.target))))
    print(ratio_line(results))
    return 0 if all(r.errors == 0 for r in results) else 1


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    env_url = os.environ.get("DATABASE_URL", "")
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chats", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=20, help="stock queries per chat")
    parser.add_argument("--confirm-rounds", type=int, default=20, help="orders confirmed per chat")
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds for the whole run")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--loop", choices=("auto", "uvloop", "asyncio"), default="asyncio",
                        help="the event loop of the whole run, echo bot and dms alike (auto: uvloop, as `dms run`)")
    parser.add_argument("--database-url", default=env_url if env_url.startswith("postgresql") else DEFAULT_PG)
    args = parser.parse_args(argv)
    if not 1 <= args.chats <= 500 or not 1 <= args.rounds <= 100 or not 1 <= args.confirm_rounds <= 50:
        parser.error("keep it bounded: 1-500 chats, 1-100 rounds, 1-50 confirm rounds")
    return args


if __name__ == "__main__":
    from bot.cli._runtime import loop_factory

    arguments = parse_args()
    with asyncio.Runner(loop_factory=loop_factory(arguments.loop)) as runner:
        sys.exit(runner.run(main(arguments)))
