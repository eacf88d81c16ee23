"""SQLite's writers of one process take turns in the event loop (storage.sqlite_gate), not in the busy handler.

The engine's busy timeout is set to 0 here, so a writer that finds the file's write lock taken fails at once
("database is locked") instead of sleeping: without the gate, concurrent writers fail; with it, they wait in turn.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from storage.engine import build_engine


def _no_busy_wait(dbapi_connection: Any, connection_record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout=0")
    cursor.close()


async def _engine(tmp_path: Path) -> AsyncEngine:
    engine = build_engine(f"sqlite+aiosqlite:///{tmp_path / 'gate.sqlite3'}")
    event.listen(engine.sync_engine, "connect", _no_busy_wait)
    async with engine.begin() as conn:
        await conn.execute(text("CREATE TABLE t (n INTEGER NOT NULL)"))
    return engine


async def _write_slowly(engine: AsyncEngine, n: int, *, fail: bool = False) -> None:
    async with AsyncSession(engine) as session:
        await session.execute(text("SELECT count(*) FROM t"))       # a read first: no lock yet
        await session.execute(text("INSERT INTO t (n) VALUES (:n)"), {"n": n})
        await asyncio.sleep(0.01)                                    # the write lock held across an await
        if fail:
            raise RuntimeError("use case failed")
        await session.commit()


async def test_concurrent_writers_take_turns_instead_of_failing(tmp_path: Path) -> None:
    engine = await _engine(tmp_path)
    try:
        await asyncio.gather(*(_write_slowly(engine, n) for n in range(12)))
        async with engine.connect() as conn:
            rows = sorted((await conn.execute(text("SELECT n FROM t"))).scalars())
    finally:
        await engine.dispose()
    assert rows == list(range(12))


async def test_a_failed_writer_gives_the_gate_back(tmp_path: Path) -> None:
    engine = await _engine(tmp_path)
    try:
        outcome = await asyncio.gather(*(_write_slowly(engine, n, fail=n % 3 == 0) for n in range(9)),
                                       return_exceptions=True)
        async with engine.connect() as conn:
            rows = sorted((await conn.execute(text("SELECT n FROM t"))).scalars())
    finally:
        await engine.dispose()
    assert [type(o).__name__ for o in outcome if o is not None] == ["RuntimeError"] * 3
    assert rows == [1, 2, 4, 5, 7, 8]


async def test_a_reader_does_not_wait_for_a_writer(tmp_path: Path) -> None:
    engine = await _engine(tmp_path)
    try:
        async with AsyncSession(engine) as writer:
            await writer.execute(text("INSERT INTO t (n) VALUES (1)"))
            async with engine.connect() as reader:                  # the gate is taken and not given back yet
                seen = await asyncio.wait_for(reader.execute(text("SELECT count(*) FROM t")), 5)
                assert seen.scalar_one() == 0                        # WAL: the committed state, at once
            await writer.commit()
    finally:
        await engine.dispose()


async def test_without_the_gate_the_same_writers_fail(tmp_path: Path) -> None:
    """The test above can fail: the same writers on an engine without the gate hit the locked file."""
    from sqlalchemy.ext.asyncio import create_async_engine

    engine = create_async_engine(f"sqlite+aiosqlite:///{tmp_path / 'plain.sqlite3'}")
    event.listen(engine.sync_engine, "connect", _no_busy_wait)
    async with engine.begin() as conn:
        await conn.execute(text("CREATE TABLE t (n INTEGER NOT NULL)"))
    try:
        outcome = await asyncio.gather(*(_write_slowly(engine, n) for n in range(12)), return_exceptions=True)
    finally:
        await engine.dispose()
    assert any("database is locked" in str(o) for o in outcome)


@pytest.mark.parametrize("statement", ["UPDATE t SET n = 2", "DELETE FROM t", "  insert into t (n) values (3)"])
async def test_every_kind_of_write_takes_the_gate(tmp_path: Path, statement: str) -> None:
    engine = await _engine(tmp_path)
    try:
        async with AsyncSession(engine) as first, AsyncSession(engine) as second:
            await first.execute(text(statement))
            waiting = asyncio.create_task(second.execute(text("INSERT INTO t (n) VALUES (9)")))
            await asyncio.sleep(0.05)
            assert not waiting.done()                                # queued behind the first writer
            await first.commit()
            await asyncio.wait_for(waiting, 5)
            await second.commit()
    finally:
        await engine.dispose()
