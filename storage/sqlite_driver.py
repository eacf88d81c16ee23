"""SQLAlchemy's aiosqlite adapter with one hop to the database thread per statement (was three or four).

aiosqlite runs each call on the connection's own thread and hands the result back to the event loop (a queue put,
a thread switch, a wake-up of the loop through its self-pipe). SQLAlchemy's adapter makes a statement four such
calls: a cursor, its execute, fetchall (or nothing), close; and it commits or rolls back when no transaction is
open (pysqlite opens one only for a write), which is a call for nothing: a chat update's stock query was 21 hops.
Here a statement is one call that does all four in the thread, and a commit or rollback with no transaction open is
skipped (what pysqlite would do there: nothing). Same SQL, same transactions, same results; a stock query is 8 hops.

A read (a SELECT) makes no hop at all: it runs on the event loop's thread, under the same per-connection lock. The
hop cost more than the read: the loop hands the GIL to the database thread and waits to get it back, which under
50 chats at once was a third of the loop's time (``bench/update_profile.py``: ``SimpleQueue.put_nowait`` on top).
In WAL mode a reader neither waits for a writer nor makes one wait, so a read on the loop cannot stall it behind
another connection's transaction (``tests/integration/test_sqlite_driver.py``); a long read (a big report) does
hold the loop while SQLite works, which a small install on SQLite accepts. Writes, commits and rollbacks keep their
one hop: a writer may wait for SQLite's write lock, and that wait must not be the loop's.

Used by ``storage.engine.build_engine`` for ``sqlite+aiosqlite`` URLs (``module=``); server-side cursors (streamed
results) stay SQLAlchemy's own.
"""

from __future__ import annotations

import collections
import sqlite3
from typing import Any

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)
from sqlalchemy.util.concurrency import await_

_Outcome = tuple[Any, list[Any] | None, int, int | None, bool]
"""What one statement gave, read in the database thread: description, rows, rowcount, lastrowid, in a transaction."""


_KEEP = object()
"""No isolation level to set before the call."""


def _run(conn: sqlite3.Connection, isolation: Any, operation: str, parameters: Any, many: bool) -> _Outcome:
    """In the connection's thread: the statement, its rows, and whether a transaction is open after it."""
    if isolation is not _KEEP:
        conn.isolation_level = isolation
    cursor = conn.cursor()
    try:
        if many:
            cursor.executemany(operation, parameters)
        elif parameters is None:
            cursor.execute(operation)
        else:
            cursor.execute(operation, parameters)
        description = cursor.description
        rows = cursor.fetchall() if description else None
        return description, rows, cursor.rowcount, cursor.lastrowid, conn.in_transaction
    finally:
        cursor.close()


def _finish(conn: sqlite3.Connection, isolation: Any, commit: bool) -> bool:
    if isolation is not _KEEP:
        conn.isolation_level = isolation
    (conn.commit if commit else conn.rollback)()
    return conn.in_transaction


def _reads(operation: str) -> bool:
    """A plain SELECT (SQLAlchemy starts every read with it; a CTE feeding a write starts with WITH and takes the
    thread)."""
    return operation[:6].upper() == "SELECT"


class OneHopCursor(AsyncAdapt_aiosqlite_cursor):
    """A cursor that is only its results: created without a call, executed in one, closed without one."""

    __slots__ = ("_description", "_rowcount", "_lastrowid")

    def __init__(self, adapt_connection: OneHopConnection) -> None:     # no aiosqlite cursor: nothing to await
        self._adapt_connection = adapt_connection
        self._connection = adapt_connection._connection
        self._soft_closed_memoized = {}
        self._rows = collections.deque()
        self._description: Any = None
        self._rowcount = -1
        self._lastrowid: int | None = None

    @property
    def description(self) -> Any:
        return self._description

    @property
    def rowcount(self) -> int:
        return self._rowcount

    @property
    def lastrowid(self) -> int:
        return self._lastrowid  # type: ignore[return-value]

    async def _async_soft_close(self) -> None:
        return None                                         # the rows are read already; nothing stays open

    def close(self) -> None:
        self._rows.clear()

    async def _execute_async(self, operation: Any, parameters: Any) -> Any:
        return await self._go(operation, parameters, many=False)

    async def _executemany_async(self, operation: Any, seq_of_parameters: Any) -> Any:
        return await self._go(operation, seq_of_parameters, many=True)

    async def _go(self, operation: Any, parameters: Any, *, many: bool) -> None:
        connection = self._adapt_connection
        async with connection._execute_mutex:
            try:
                if not many and _reads(operation):
                    outcome = _run(self._connection._conn, connection.isolation(), operation, parameters, many)
                else:
                    outcome = await self._connection._execute(_run, self._connection._conn, connection.isolation(),
                                                              operation, parameters, many)
            except BaseException:
                connection.open = True      # a failed write may leave pysqlite's transaction open: end it as asked
                raise
        self._description, rows, self._rowcount, self._lastrowid, connection.open = outcome
        if rows is not None:
            self._rows = collections.deque(rows)


class OneHopConnection(AsyncAdapt_aiosqlite_connection):
    """Commit and rollback only when pysqlite holds a transaction open (it opens one for a write); an isolation
    level (SQLAlchemy's AUTOCOMMIT and back, around each unit that reads or writes in autocommit) is set in the
    thread with the next call instead of by a call of its own: the calls run in order, so the effect is the same."""

    __slots__ = ("open", "_isolation")
    _cursor_cls = OneHopCursor

    def __init__(self, dbapi: Any, connection: aiosqlite.Connection) -> None:
        super().__init__(dbapi, connection)
        self.open = True                    # unknown until the first statement: finish as the adapter would
        self._isolation: Any = _KEEP

    @property
    def isolation_level(self) -> str | None:
        return self._connection.isolation_level if self._isolation is _KEEP else self._isolation

    @isolation_level.setter
    def isolation_level(self, value: str | None) -> None:
        self._isolation = value
        if value is None:
            self.open = True                # pysqlite commits an open transaction when set to None: let it

    def isolation(self) -> Any:
        """The level to set before the next call (taken: set once)."""
        value, self._isolation = self._isolation, _KEEP
        return value

    def rollback(self) -> None:
        self._finish(commit=False)

    def commit(self) -> None:
        self._finish(commit=True)

    def _finish(self, *, commit: bool) -> None:
        if not self._connection._connection or (not self.open and self._isolation is _KEEP):
            return
        try:
            self.open = await_(self._connection._execute(_finish, self._connection._conn, self.isolation(), commit))
        except Exception as error:
            self.open = True
            self._handle_exception(error)


class OneHopDBAPI(AsyncAdapt_aiosqlite_dbapi):
    def connect(self, *arg: Any, **kw: Any) -> OneHopConnection:
        adapted = super().connect(*arg, **kw)
        return OneHopConnection(self, adapted._connection)


def one_hop_dbapi() -> OneHopDBAPI:
    """The DB-API module for ``create_async_engine(..., module=...)`` on a ``sqlite+aiosqlite`` URL."""
    return OneHopDBAPI(aiosqlite, sqlite3)
