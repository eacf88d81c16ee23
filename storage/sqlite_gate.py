"""One writer at a time on a SQLite file, queued in the event loop instead of in SQLite's busy handler.

SQLite lets one connection write at a time. A second connection that wants to write while the first holds the
lock gets SQLITE_BUSY, and the busy handler retries after sleeps that grow to 100 ms (1, 2, 5, 10, 15, 20, 25 ...).
Under fifty chats at once each chat update is a write (its delivery receipt), so the pool's connections took
turns by sleeping: a py-spy recording of ``bench/webhook.py`` showed the aiosqlite threads two thirds of the
time inside a statement while the event loop sat idle a third of the run.

The gate is an ``asyncio.Lock`` per event loop, taken by a connection just before its first INSERT, UPDATE,
DELETE or DDL (the statement that makes pysqlite begin the transaction and SQLite take its write lock) and given
back when the connection returns to the pool, which is after its COMMIT or ROLLBACK. Writers then wait in order,
woken the moment the lock is free. Reads never wait for it (WAL: readers do not block the writer).

The wait happens inside SQLAlchemy's greenlet (``await_``), where every statement of an async engine runs. A
connection that waits longer than the busy timeout goes on without the gate, so SQLite's own timeout and error
stay what they were (a unit of work that opens a second one inside itself and writes on both waits for itself).
Only for a SQLite file: an in-memory database has one shared connection.
"""

from __future__ import annotations

import asyncio
import weakref
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.util.concurrency import await_, in_greenlet

_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER")


class SqliteWriteGate:
    """The write lock of one SQLite file, per event loop, and the connection holding it."""

    def __init__(self, timeout_s: float) -> None:
        self.timeout_s = timeout_s
        self._locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = \
            weakref.WeakKeyDictionary()
        self._holders: dict[int, asyncio.Lock] = {}      # id(DBAPI connection) -> the lock it holds
        self.waits = 0                                   # writers that found the gate taken (bench figures)

    def install(self, engine: Engine) -> None:
        event.listen(engine, "before_cursor_execute", self._before_execute)
        event.listen(engine.pool, "checkin", self._release)
        event.listen(engine.pool, "invalidate", self._release)

    def _before_execute(self, conn: Any, cursor: Any, statement: str, parameters: Any, context: Any,
                        executemany: bool) -> None:
        key = id(conn.connection.dbapi_connection)
        if key in self._holders or not statement.lstrip()[:7].upper().startswith(_WRITES) or not in_greenlet():
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        lock = self._locks.get(loop)
        if lock is None:
            lock = self._locks[loop] = asyncio.Lock()
        if lock.locked():
            self.waits += 1
        try:
            await_(asyncio.wait_for(lock.acquire(), self.timeout_s))
        except TimeoutError:
            return          # SQLite's busy handler decides, as without the gate
        self._holders[key] = lock

    def _release(self, dbapi_connection: Any, *args: Any) -> None:
        lock = self._holders.pop(id(dbapi_connection), None)
        if lock is not None and lock.locked():
            lock.release()
