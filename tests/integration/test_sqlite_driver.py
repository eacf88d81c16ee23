"""storage.sqlite_driver: SQLAlchemy's aiosqlite adapter with one hop to the database thread per write and none per
read. Same results and transactions as the stock adapter, fewer calls, a read never waits behind another
connection's transaction, and a failed write never leaves a lock behind."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import aiosqlite.core
import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from storage.engine import build_engine
from storage.sqlite_driver import OneHopConnection


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Calls into the connections' threads, by function name."""
    counted: Counter[str] = Counter()
    original = aiosqlite.core.Connection._execute

    async def _execute(self: aiosqlite.core.Connection, fn, *args, **kwargs):  # type: ignore[no-untyped-def]
        counted[getattr(fn, "__name__", "?")] += 1
        return await original(self, fn, *args, **kwargs)
    monkeypatch.setattr(aiosqlite.core.Connection, "_execute", _execute)
    return counted


async def _table(url: str) -> None:
    engine = build_engine(url)
    async with engine.begin() as conn:
        await conn.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL)"))
    await engine.dispose()


async def test_a_write_is_one_call_a_read_none_and_reads_need_no_commit_or_rollback(tmp_path: Path,
                                                                          calls: Counter[str]) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/one.sqlite3"
    await _table(url)
    engine = build_engine(url)
    try:
        async with engine.connect() as conn:             # warm: the connection and its pragmas
            await conn.execute(text("SELECT 1"))
        calls.clear()
        async with engine.connect() as conn:
            rows = (await conn.execute(text("SELECT name FROM t"))).all()
        assert rows == [] and calls == Counter()           # stock adapter: cursor, execute, fetchall, close,
        calls.clear()                                       # then a rollback: five calls; here the read is inline
        async with engine.begin() as conn:
            inserted = await conn.execute(text("INSERT INTO t (name) VALUES ('a'), ('b')"))
            assert inserted.rowcount == 2
            many = await conn.execute(text("INSERT INTO t (name) VALUES (:n)"), [{"n": "c"}, {"n": "d"}])
            assert many.rowcount == 2
        assert calls == Counter({"_run": 2, "_finish": 1})          # the commit happens: a write was made
        async with engine.connect() as conn:
            rows = (await conn.execute(text("SELECT name FROM t ORDER BY id"))).all()
            changed = await conn.execute(text("UPDATE t SET name = name || '!' WHERE name IN ('a', 'c')"))
            assert changed.rowcount == 2
            await conn.rollback()                                   # the update is taken back
            again = (await conn.execute(text("SELECT name FROM t ORDER BY id"))).scalars().all()
        assert [r[0] for r in rows] == ["a", "b", "c", "d"] and again == ["a", "b", "c", "d"]
        async with engine.connect() as conn:
            raw = await conn.get_raw_connection()
            assert isinstance(raw.dbapi_connection, OneHopConnection)
    finally:
        await engine.dispose()


async def test_a_failed_write_leaves_no_lock_for_the_next_writer(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/lock.sqlite3"
    await _table(url)
    engine = build_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.execute(text("INSERT INTO t (name) VALUES ('taken')"))
        async with engine.connect() as first:
            await first.execute(text("SELECT 1"))                 # a read: no transaction open yet
            with pytest.raises(IntegrityError):                   # pysqlite began a transaction for it
                await first.execute(text("INSERT INTO t (name) VALUES ('taken')"))
            await first.rollback()
            async with engine.connect() as second:                # another pooled connection writes at once
                await second.execute(text("PRAGMA busy_timeout = 200"))
                await second.execute(text("INSERT INTO t (name) VALUES ('next')"))
                await second.commit()
        async with engine.connect() as conn:
            names = (await conn.execute(text("SELECT name FROM t ORDER BY id"))).scalars().all()
        assert names == ["taken", "next"]
    finally:
        await engine.dispose()


async def test_a_read_on_the_loop_does_not_wait_for_another_connections_write(tmp_path: Path,
                                                                             calls: Counter[str]) -> None:
    """WAL: while one connection holds the write lock with its insert not yet committed, another reads at once
    (the snapshot before the insert), on the loop's thread; then sees the row once it is committed."""
    url = f"sqlite+aiosqlite:///{tmp_path}/wal.sqlite3"
    await _table(url)
    engine = build_engine(url)
    try:
        async with engine.connect() as writer, engine.connect() as reader:
            await writer.execute(text("INSERT INTO t (name) VALUES ('pending')"))      # holds the write lock
            calls.clear()
            before = (await reader.execute(text("SELECT name FROM t"))).scalars().all()
            assert before == [] and calls == Counter()
            await writer.commit()
            await reader.rollback()
            after = (await reader.execute(text("SELECT name FROM t"))).scalars().all()
        assert after == ["pending"]
    finally:
        await engine.dispose()
