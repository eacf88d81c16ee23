"""Where one chat update's milliseconds go: the hot paths in one process, without HTTP, profiled.

    .venv/bin/python bench/update_profile.py [--updates 300] [--postgres] [--top 12]

The scene of the statement budget (``tests/hot_paths.py``: a dealer, two products in stock, a channel manager)
on a fresh SQLite file, or with ``--postgres`` on a fresh database ``dms_profile_<time>`` on 127.0.0.1 (dropped
afterwards). Updates go one after another straight into ``ConversationService.handle``, so what is measured is
the update's own work: Python in dms, SQLAlchemy, the driver, the event loop; no network, no web server, and no
statement counting (the budget's listeners were 9% of a stock query's CPU before session 27).

Printed per scenario (stock query; add to cart + confirm):
- CPU ms per update (``time.process_time``, profiler off) and wall ms;
- the same updates under cProfile, timed by the thread's CPU clock (the event loop waiting on epoll is no cost), self
  time grouped by area (dms packages, SQLAlchemy, the database driver, asyncio, pydantic, the rest), as a share
  of the total;
- the dms functions with the most cumulative time.
The last line: ``profile stock_cpu_ms=… confirm_cpu_ms=… sqlalchemy_share=…``.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import logging
import pstats
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402
from sqlalchemy.ext.asyncio import create_async_engine  # noqa: E402

from handlers.messages import InboundKind  # noqa: E402
from storage.encryption import configure_encryption, generate_key  # noqa: E402
from storage.engine import build_counter_engine, build_engine, build_session_factory  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from tests.chat import buttons  # noqa: E402
from tests.factories import fixed_clock  # noqa: E402
from tests.hot_paths import DEALER, Chat, hot_scene  # noqa: E402

PG_SERVER = "postgresql+asyncpg://postgres@127.0.0.1:5432"

#: (area, path fragments) in order: the first match names a function's area
AREAS = [
    ("dms.nlu", ("/nlu/",)), ("dms.handlers", ("/handlers/",)), ("dms.core", ("/core/",)),
    ("dms.storage", ("/storage/",)), ("sqlalchemy", ("/sqlalchemy/",)),
    ("driver", ("/aiosqlite/", "/asyncpg/", "sqlite3", "/greenlet/")), ("asyncio", ("/asyncio/",)),
    ("pydantic", ("/pydantic",)), ("crypto", ("/cryptography/",)),
]


def area(filename: str, function: str = "") -> str:
    for name, parts in AREAS:
        if any(p in filename for p in parts):
            return name
    if filename.startswith("~") or filename.startswith("<"):      # C functions: named by what they belong to
        if any(d in function for d in ("sqlite3", "asyncpg", "greenlet")):
            return "driver"
        if "select" in function or "epoll" in function or "_asyncio" in function:
            return "asyncio"
        return "builtins"
    return "other"


async def _stock(chat: Chat, n: int) -> None:
    await chat.send(f"s{n}", DEALER, InboundKind.TEXT, text="AP300 有货吗")


async def _cart_confirm(chat: Chat, n: int) -> None:
    cart = await chat.send(f"c{n}", DEALER, InboundKind.TEXT, text="AP300 来两台")
    confirm = next(p for p in buttons(cart).values() if "order.confirm" in p)
    await chat.send(f"k{n}", DEALER, InboundKind.BUTTON, payload=confirm)


async def _run(step: Callable[[Chat, int], Awaitable[None]], chat: Chat, count: int,
               profile: cProfile.Profile | None) -> tuple[float, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    if profile is not None:
        profile.enable()
    for n in range(count):
        await step(chat, n)
    if profile is not None:
        profile.disable()
    return time.process_time() - cpu, time.perf_counter() - wall


def _report(name: str, profile: cProfile.Profile, top: int) -> dict[str, float]:
    stats = pstats.Stats(profile)
    raw = stats.stats  # type: ignore[attr-defined]
    by_area: dict[str, float] = {}
    total = 0.0
    heaviest: list[tuple[float, str]] = []
    for (filename, line, function), (_, _, self_time, _, _) in raw.items():
        where = area(filename, function)
        by_area[where] = by_area.get(where, 0.0) + self_time
        total += self_time
        heaviest.append((self_time, f"[{where}] {Path(filename).name}:{line} {function}"))
    shares = {k: v / total for k, v in by_area.items()} if total else {}
    print(f"  self time by area ({name}): " + ", ".join(
        f"{k} {v:.0%}" for k, v in sorted(shares.items(), key=lambda kv: -kv[1])))
    print(f"  most self time ({name}, % of the run):")
    for self_time, label in sorted(heaviest, reverse=True)[:top]:
        print(f"    {self_time / total:6.1%}  {label[:110]}")
    ours = [(cum, f"{Path(f).parent.name}/{Path(f).name}:{line} {func}")
            for (f, line, func), (_, _, _, cum, _) in raw.items()
            if any(p in f for p in ("/handlers/", "/core/", "/nlu/", "/storage/"))]
    # a coroutine is counted again each time it resumes: read these as relative, not as parts of 100 %
    print(f"  dms functions by cumulative time ({name}, % of the run, coroutines counted per resume):")
    for cum, label in sorted(ours, reverse=True)[:top]:
        print(f"    {cum / total:6.1%}  {label}")
    return shares


async def _scenario(name: str, step: Callable[[Chat, int], Awaitable[None]], chat: Chat, count: int,
                    per_step: int, top: int) -> tuple[float, dict[str, float]]:
    await step(chat, 10_000)                    # warm: dialog row, catalogue cache, classifier
    cpu, wall = await _run(step, chat, count, None)
    updates = count * per_step
    print(f"{name}: {updates} updates, {1000 * cpu / updates:.2f} ms CPU and {1000 * wall / updates:.2f} ms wall "
          f"per update (profiler off)")
    profile = cProfile.Profile(time.thread_time)      # CPU of the event loop's thread: waiting is not work
    await _run(step, chat, count, profile)
    return 1000 * cpu / updates, _report(name, profile, top)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--updates", type=int, default=300, help="stock queries; carts confirmed: a third")
    parser.add_argument("--postgres", action="store_true", help="a fresh database on 127.0.0.1:5432")
    parser.add_argument("--top", type=int, default=12)
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    configure_encryption([generate_key()])
    with tempfile.TemporaryDirectory() as tmp:
        if args.postgres:
            name = f"dms_profile_{int(time.time())}"
            admin = create_async_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")
            async with admin.connect() as conn:
                await conn.execute(text(f'CREATE DATABASE "{name}"'))
            url = f"{PG_SERVER}/{name}"
        else:
            url = f"sqlite+aiosqlite:///{tmp}/profile.sqlite3"
        try:
            await upgrade(url)
            engine = build_engine(url)
            counter = build_counter_engine(url)              # as bot/bootstrap.py: PostgreSQL only
            chat = await hot_scene(engine, build_session_factory(engine), fixed_clock(), counter)
            chat.counting = False           # what an update costs, not what counting its statements costs
            print(f"database: {'PostgreSQL' if args.postgres else 'SQLite'}")
            stock_ms, stock_areas = await _scenario("stock query", _stock, chat, args.updates, 1, args.top)
            confirm_ms, _ = await _scenario("add to cart + confirm", _cart_confirm, chat, max(args.updates // 3, 1),
                                            2, args.top)
            await engine.dispose()
            if counter is not None:
                await counter.dispose()
        finally:
            if args.postgres:
                async with admin.connect() as conn:
                    await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                await admin.dispose()
    print(f"profile stock_cpu_ms={stock_ms:.2f} confirm_cpu_ms={confirm_ms:.2f} "
          f"sqlalchemy_share={stock_areas.get('sqlalchemy', 0.0):.0%}")


if __name__ == "__main__":
    asyncio.run(main())
