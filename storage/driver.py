"""A few hot statements sent on the driver's own connection (PostgreSQL, asyncpg), past SQLAlchemy's execution.

Every chat update pays its delivery receipt and dialog read, and a stock query one stock read. Through an
AUTOCOMMIT session each cost about 0.3 ms of the event loop (session, connection, execution context, result,
ORM loading: ``bench/update_profile.py``); the same statement on the pooled connection's asyncpg handle costs
about 0.1 ms. The statement is still built with SQLAlchemy and compiled once for the engine's dialect; its
parameters and columns go through the same type processors as in a session (UTC datetimes, enums, JSON), so
the rows are what a session would give. Writes take this way outside a transaction (each its own commit, as on
an AUTOCOMMIT session), on a connection checked out of the engine's own pool (the pool's events run:
``storage.engine.ping_when_idle``) or on the one the unit's session holds already; reads, and the writes that
belong to a unit's transaction (a new order's rows), also on the connection that transaction runs on
(``storage.uow.SqlAlchemyUnitOfWork._driver``).

What changes: errors. A unique or foreign-key violation is raised as SQLAlchemy's ``IntegrityError`` (so
``storage.uow.conflict_from`` reads it as before); a connection that broke is invalidated in the pool and the
error raised as SQLAlchemy's ``DBAPIError`` with ``connection_invalidated`` set. Statements sent here are told
to ``WATCHERS`` (the statement budget of the tests counts them: ``tests/statements.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.sql.expression import Executable
from sqlalchemy.util.concurrency import greenlet_spawn

WATCHERS: list[Callable[[Any, str, bool], None]] = []
"""Called with (the engine's pool, the SQL, whether it runs in a transaction) before each statement sent here
(tests count statements so: a write outside a transaction is its own commit)."""

_INTEGRITY_STATES = ("23",)          # class 23: integrity constraint violation
_BROKEN_STATES = ("08", "57P")       # connection exception; the server shutting down or restarting


class DriverStatement:
    """One SQLAlchemy statement compiled for one dialect: its SQL, its parameters in order with their bind
    processors, its columns' result processors."""

    def __init__(self, statement: Executable, dialect: Dialect) -> None:
        compiled = statement.compile(dialect=dialect)
        self.sql = compiled.string
        names = tuple(compiled.positiontup or ())
        processors = compiled._bind_processors
        self._binds = tuple((name, processors.get(name)) for name in names)
        # values written into the statement (literal(1), a column compared with a constant) are bind parameters too
        self._values = {name: bind.effective_value for name in names
                        if (bind := compiled.binds.get(name)) is not None and not bind.required}
        self._dialect = dialect
        self._types = tuple(column.type for column in compiled._result_columns)
        self._results: tuple[Any, ...] | None = None if self._types else ()

    @property
    def typed(self) -> bool:
        return self._results is not None

    def type_columns(self, oids: Sequence[int]) -> None:
        """The columns' result processors, for the types the server says they have (a numeric's depends on it)."""
        self._results = tuple(t._cached_result_processor(self._dialect, oid)
                              for t, oid in zip(self._types, oids, strict=True))

    def arguments(self, params: Mapping[str, Any]) -> list[Any]:
        given = [params[name] if name in params else self._values[name] for name, _ in self._binds]
        return [value if process is None else process(value)
                for value, (_, process) in zip(given, self._binds, strict=True)]

    def row(self, record: Sequence[Any]) -> tuple[Any, ...]:
        if not self._results:           # a text() statement that names no columns: the driver's values
            return tuple(record)
        return tuple(value if process is None or value is None else process(value)
                     for value, process in zip(record, self._results, strict=True))


_COMPILED: dict[tuple[int, int], tuple[Executable, Dialect, DriverStatement]] = {}
_MAX_COMPILED = 2_000


def compiled(statement: Executable, dialect: Dialect) -> DriverStatement:
    """Compiled once per (statement, dialect) for the life of the process: the statements are built once
    (module-level, or kept per shape by the repositories), and kept here with their compilation so that an id
    is never reused for another one."""
    key = (id(statement), id(dialect))
    found = _COMPILED.get(key)
    if found is None or found[0] is not statement or found[1] is not dialect:
        if len(_COMPILED) >= _MAX_COMPILED:        # statements kept per shape are let go of now and then
            _COMPILED.clear()
        found = _COMPILED[key] = (statement, dialect, DriverStatement(statement, dialect))
    return found[2]


async def fetch(engine: AsyncEngine, statement: Executable, params: Mapping[str, Any], *,
                connection: Any = None) -> list[tuple[Any, ...]]:
    """The rows of ``statement`` on a connection of ``engine``'s pool (outside any transaction), or on
    ``connection`` (the driver's handle of the one a unit's session holds, in its transaction if it runs one: a
    unit of work must not wait for a second connection while it holds one; 50 chats at once would hold the whole
    pool, each waiting)."""
    return await _send(engine, statement, params, rows=True, connection=connection)


async def execute(engine: AsyncEngine, statement: Executable, params: Mapping[str, Any], *,
                  connection: Any = None) -> int:
    """``statement`` (an UPDATE or DELETE), as ``fetch``: the number of rows it touched."""
    return await _send(engine, statement, params, rows=False, connection=connection)


async def _send(engine: AsyncEngine, statement: Executable, params: Mapping[str, Any], *, rows: bool,
                connection: Any) -> Any:
    sync = engine.sync_engine
    prepared = compiled(statement, sync.dialect)
    if WATCHERS:
        in_transaction = connection is not None and connection.is_in_transaction()
        for watch in WATCHERS:
            watch(sync.pool, prepared.sql, in_transaction)
    # a connection the unit's session holds is used as it is (its pool learns of a break at its next use)
    raw: Any = None if connection is not None else await engine.raw_connection()
    handle = connection if raw is None else raw.driver_connection
    try:
        if rows and not prepared.typed:     # the first time: the server tells the columns' types
            statement_ = await handle.prepare(prepared.sql)
            prepared.type_columns([a.type.oid for a in statement_.get_attributes()])
            records = await statement_.fetch(*prepared.arguments(params))
        elif rows:
            records = await handle.fetch(prepared.sql, *prepared.arguments(params))
        else:
            status = await handle.execute(prepared.sql, *prepared.arguments(params))
    except Exception as exc:
        state = getattr(exc, "sqlstate", None)
        if isinstance(state, str) and state.startswith(_INTEGRITY_STATES):
            raise IntegrityError(prepared.sql, dict(params), exc) from exc
        if state is None or state.startswith(_BROKEN_STATES):     # the connection broke (a restart, a cut)
            if raw is not None:
                await greenlet_spawn(raw.invalidate, exc)           # closing it awaits the driver
            raise DBAPIError(prepared.sql, dict(params), exc, connection_invalidated=connection is None) from exc
        raise DBAPIError(prepared.sql, dict(params), exc) from exc
    finally:
        if raw is not None:
            # given back in a greenlet, as SQLAlchemy's own async engine does: the pool closes a connection it has
            # no room for (an overflow one), and closing awaits the driver (outside one: MissingGreenlet, logged
            # as "Exception closing connection", and the connection was left open)
            await greenlet_spawn(raw.close)
    if not rows:
        return int(status.rsplit(" ", 1)[-1]) if status and status[-1].isdigit() else 0     # "UPDATE 1"
    return [prepared.row(record) for record in records]
