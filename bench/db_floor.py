"""The cost of one statement on this machine, below any dms code: what a chat update's database work cannot go under.

    .venv/bin/python bench/db_floor.py [--statements 3000] [--database-url postgresql://postgres@127.0.0.1:5432/postgres]

Prints CPU and wall milliseconds per statement for a trivial ``select $1`` three ways: asyncpg alone (prepared),
SQLAlchemy 2's async session (what dms's storage uses), and a commit + statement through the session (a
transaction's end and the next one's first statement). A stock query is three statements and one commit in its
own process, next to the webhook's HTTP work and the parser; the last line adds that floor up:
``floor stock_db_cpu_ms=…``. No dms code runs here.
"""

from __future__ import annotations

import argparse
import asyncio
import time

import asyncpg
from sqlalchemy import literal, select
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine


async def main() -> None:
    args = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    args.add_argument("--statements", type=int, default=3000)
    args.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    opts = args.parse_args()
    n, url = opts.statements, opts.database_url
    conn = await asyncpg.connect(url)
    prepared = await conn.prepare("select $1::int")
    for i in range(200):
        await prepared.fetchval(i)
    cpu, wall = time.process_time(), time.perf_counter()
    for i in range(n):
        await prepared.fetchval(i)
    raw = (time.process_time() - cpu) / n * 1000
    print(f"asyncpg prepared statement: {raw:.3f} ms CPU, {(time.perf_counter() - wall) / n * 1000:.3f} ms wall")
    await conn.close()
    engine = create_async_engine(url.replace("postgresql://", "postgresql+asyncpg://", 1), pool_size=1)
    try:
        async with async_sessionmaker(engine, expire_on_commit=False)() as session:
            stmt = select(literal(1))
            for _ in range(200):
                await session.execute(stmt)
            cpu, wall = time.process_time(), time.perf_counter()
            for _ in range(n):
                (await session.execute(stmt)).scalar()
            orm = (time.process_time() - cpu) / n * 1000
            print(f"SQLAlchemy async session statement: {orm:.3f} ms CPU, "
                  f"{(time.perf_counter() - wall) / n * 1000:.3f} ms wall")
            rounds = max(1, n // 3)
            cpu = time.process_time()
            for _ in range(rounds):
                await session.commit()
                await session.execute(stmt)
            commit = (time.process_time() - cpu) / rounds * 1000 - orm
            print(f"SQLAlchemy async commit (and the next BEGIN): {commit:.3f} ms CPU")
    finally:
        await engine.dispose()
    print(f"floor stock_db_cpu_ms={3 * orm + commit:.2f} statement_ms={orm:.3f} commit_ms={commit:.3f} "
          f"asyncpg_ms={raw:.3f}")


if __name__ == "__main__":
    asyncio.run(main())
