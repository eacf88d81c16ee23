"""Broadcast benchmark: N pushes to N distinct Telegram chats through the outbox, against a rate limit.

    .venv/bin/python bench/broadcast.py --n 1000 [--api-base URL] [--token TOKEN] [--postgres]
                                        [--database-url URL] [--workers 1] [--timeout SECONDS]

What runs, all on this machine: a fresh database (a temporary SQLite file; ``--postgres``: a new
PostgreSQL database on 127.0.0.1, dropped afterwards; ``--database-url``: an empty database you give),
migrated; N dealer users, each bound to its own Telegram chat; N outbox rows (one broadcast notice
each); then the real outbox worker(s) (``bot.notify_senders.build_worker``: SQLAlchemy outbox store,
recipient resolution, templates, the shared rate limiter, the aiogram sender) deliver them.

Telegram is played by a local Bot API stand-in that enforces 30 messages per second for the bot (at
most 30 accepted ``sendMessage`` in any one-second window) and answers 429 with
``{"parameters": {"retry_after": 1}}`` when exceeded, like Telegram. With ``--api-base`` the worker
sends to that Bot API server instead (``--token`` its bot token) and no stand-in is started.

Measured: seconds from the worker's start until the last message was accepted (own stand-in) or the
last row was recorded sent (``--api-base``); the theoretical minimum N / 30 s; 429 answers (counted by
the stand-in, or by the worker with ``--api-base``); lost = chats that got nothing (or rows never
sent); duplicated = messages beyond one per chat (or acknowledged sends beyond one per row).
The last line is::

    broadcast n=N seconds=S min_seconds=M ratio=R lost=L duplicated=D http_429=K
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import sys
import tempfile
import time
from collections import deque
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# the project first, and not this folder, so no script here can shadow a package of the project
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

from aiohttp import web  # noqa: E402

LIMIT_PER_SECOND = 30
BOT_TOKEN = "777000222:BENCH-broadcast-token"
FIRST_CHAT = 5_000_000


# --- the Bot API stand-in ----------------------------------------------------------------------------

class RateLimitedBotApi:
    """``sendMessage`` (and ``getMe``) on 127.0.0.1 with Telegram's 30 messages per second for one bot."""

    def __init__(self, token: str = BOT_TOKEN, per_second: int = LIMIT_PER_SECOND) -> None:
        self.token = token
        self.per_second = per_second
        self.accepted: deque[float] = deque()        # arrival times of accepted messages, last second
        self.received: dict[int, int] = {}           # chat id -> messages accepted
        self.http_429 = 0
        self.first_at = 0.0
        self.last_at = 0.0
        self._runner: web.AppRunner | None = None
        self.port = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> RateLimitedBotApi:
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._api)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _api(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response({"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401)
        method = request.match_info["method"].lower()
        params: dict[str, Any] = dict(await request.post()) if request.content_type != "application/json" else (
            await request.json())
        if method == "getme":
            return web.json_response({"ok": True, "result": {"id": 777000222, "is_bot": True, "first_name": "bench"}})
        if method != "sendmessage":
            return web.json_response({"ok": False, "error_code": 404, "description": "Not Found"}, status=404)
        now = time.monotonic()
        while self.accepted and self.accepted[0] <= now - 1.0:
            self.accepted.popleft()
        if len(self.accepted) >= self.per_second:
            self.http_429 += 1
            return web.json_response({"ok": False, "error_code": 429,
                                      "description": "Too Many Requests: retry after 1",
                                      "parameters": {"retry_after": 1}}, status=429)
        self.accepted.append(now)
        self.first_at = self.first_at or now
        self.last_at = now
        chat_id = int(params["chat_id"])
        self.received[chat_id] = self.received.get(chat_id, 0) + 1
        message_id = self.received[chat_id]
        return web.json_response({"ok": True, "result": {
            "message_id": message_id, "date": int(time.time()), "chat": {"id": chat_id, "type": "private"},
            "text": str(params.get("text") or "")}})


# --- databases --------------------------------------------------------------------------------------------

@contextlib.asynccontextmanager
async def fresh_postgres(server_url: str) -> AsyncIterator[str]:
    from sqlalchemy import text
    from sqlalchemy.engine import make_url
    from sqlalchemy.ext.asyncio import create_async_engine

    name = f"dms_bench_broadcast_{int(time.time())}"
    server = make_url(server_url)
    admin = create_async_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()


# --- the run ------------------------------------------------------------------------------------------------

async def seed(app: Any, n: int) -> None:
    """One dealer, n of its users each bound to its own Telegram chat, and n broadcast rows."""
    from sqlalchemy import insert

    from core.dealers import DealerStatus
    from core.outbox import Category, OutboxMessage
    from core.uscc import make_uscc
    from core.users import Role
    from storage.orm import chat_identities, dealers, users
    from storage.outbox_store import SqlAlchemyOutboxStore

    now = datetime.now(UTC)
    async with app.session_factory() as session:
        dealer_id = (await session.execute(insert(dealers).values(
            code="BC001", name="广播测试经销商", uscc=make_uscc("80000001"), province="浙江", city="杭州", region="华东",
            tier="B", business_scope="", status=DealerStatus.ACTIVE, credit_limit=0, created_at=now)
            .returning(dealers.c.id))).scalar_one()
        for start in range(0, n, 1000):
            chunk = range(start, min(start + 1000, n))
            ids = (await session.execute(insert(users).values([
                {"username": f"bc{i}", "display_name": f"广播用户{i}", "role": Role.DEALER_CLERK, "dealer_id": dealer_id,
                 "phone": None, "password_hash": None, "language": "zh-CN", "active": True, "created_at": now}
                for i in chunk]).returning(users.c.id, users.c.username))).all()
            by_name = {name: uid for uid, name in ids}
            await session.execute(insert(chat_identities).values([
                {"channel": "telegram", "external_id": str(FIRST_CHAT + i), "user_id": by_name[f"bc{i}"], "bound_at": now}
                for i in chunk]))
        await session.commit()
        user_ids = (await session.execute(users.select().with_only_columns(users.c.id)
                                          .where(users.c.dealer_id == dealer_id).order_by(users.c.id))).scalars().all()
    text = {"zh": "【通知】冬季换新活动今天开始，详情请在“活动”菜单查看。",
            "en": "[Notice] The winter trade-in campaign starts today; see the Campaigns menu."}
    rows = [OutboxMessage(dedup_key=f"bench:broadcast:u{uid}", kind="system.notice", category=Category.CAMPAIGN,
                          params={"text": text}, user_id=uid, created_at=now) for uid in user_ids]
    queued = await SqlAlchemyOutboxStore(app.session_factory).enqueue_many(rows)
    assert queued == n, f"queued {queued} of {n}"


async def run(args: argparse.Namespace) -> str:
    from bot.bootstrap import bootstrap, migrate
    from bot.notify_senders import build_worker
    from bot.settings import Settings
    from notifications.ratelimit import InProcessRateLimiter
    from storage.outbox_store import SqlAlchemyOutboxStore

    logging.basicConfig(level=logging.WARNING)
    standin = None if args.api_base else await RateLimitedBotApi().start()
    stack = contextlib.AsyncExitStack()
    tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="dms-bench-")))
    try:
        if args.postgres:
            database_url = await stack.enter_async_context(fresh_postgres(args.postgres))
        else:
            database_url = args.database_url or f"sqlite+aiosqlite:///{tmp / 'bench.sqlite3'}"
        settings = Settings(_env_file=None, database_url=database_url, data_dir=tmp,  # type: ignore[call-arg]
                            demo_data_on_empty=False, log_level="WARNING", notify_quiet_hours="",
                            telegram_bot_token=args.token if args.api_base else BOT_TOKEN,
                            telegram_api_base=args.api_base or (standin.base_url if standin else ""),
                            notify_batch_size=100)
        await migrate(settings)
        app = bootstrap(settings)
        try:
            started = time.monotonic()
            await seed(app, args.n)
            print(f"set up {args.n} bound recipients and queued {args.n} rows in "
                  f"{time.monotonic() - started:.1f} s", flush=True)
            limiter = InProcessRateLimiter()            # shared by the workers of this process
            workers = [build_worker(app, worker_id=f"bench-{k}", limiter=limiter) for k in range(args.workers)]
            store = SqlAlchemyOutboxStore(app.session_factory)
            t0 = time.monotonic()
            tasks = [asyncio.create_task(w.run()) for w in workers]
            done_at = t0
            deadline = t0 + args.timeout
            while time.monotonic() < deadline:
                counts = await store.counts()
                if sum(counts.get(s, 0) for s in ("sent", "dead", "muted")) >= args.n:
                    done_at = time.monotonic()
                    break
                await asyncio.sleep(0.05)
            else:
                done_at = time.monotonic()
            for w in workers:
                w.stop()
            await asyncio.gather(*tasks, return_exceptions=True)
            counts = await store.counts()
            rate_limited = sum(w.stats.rate_limited for w in workers)
            acknowledged = sum(w.stats.sent + w.stats.lost_claims for w in workers)
        finally:
            await app.aclose()
        if standin is not None:
            seconds = (standin.last_at or done_at) - t0
            lost = args.n - len(standin.received)
            duplicated = sum(standin.received.values()) - len(standin.received)
            http_429 = standin.http_429
        else:
            seconds = done_at - t0
            lost = args.n - counts.get("sent", 0)
            duplicated = max(acknowledged - counts.get("sent", 0), 0)
            http_429 = rate_limited
        print(f"rows: {counts}; worker flood waits: {rate_limited}", flush=True)
        if standin is not None and standin.first_at:
            span = standin.last_at - standin.first_at
            print(f"first message {standin.first_at - t0:.2f} s after the start; then one every "
                  f"{1000 * span / max(args.n - 1, 1):.1f} ms (the limit allows one every {1000 / LIMIT_PER_SECOND:.1f} ms)",
                  flush=True)
        minimum = args.n / LIMIT_PER_SECOND
        return (f"broadcast n={args.n} seconds={seconds:.2f} min_seconds={minimum:.2f} ratio={seconds / minimum:.3f} "
                f"lost={lost} duplicated={duplicated} http_429={http_429}")
    finally:
        await stack.aclose()
        if standin is not None:
            await standin.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, required=True, help="messages (and distinct chats)")
    parser.add_argument("--api-base", default=None, help="send to this Bot API server instead of the stand-in")
    parser.add_argument("--token", default=BOT_TOKEN, help="bot token for --api-base")
    parser.add_argument("--workers", type=int, default=1, help="outbox workers in this process")
    parser.add_argument("--database-url", default=None, help="an EMPTY database to use (default: temporary SQLite)")
    parser.add_argument("--postgres", nargs="?", const="postgresql+asyncpg://postgres@127.0.0.1:5432/postgres",
                        default=None, help="a fresh PostgreSQL database on this server (dropped afterwards)")
    parser.add_argument("--timeout", type=float, default=3600.0, help="give up after this many seconds")
    args = parser.parse_args()
    print(asyncio.run(run(args)), flush=True)


if __name__ == "__main__":
    main()
