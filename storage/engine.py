"""Engine and session factories. Nothing is built at import time: the bootstrap calls these with Settings.

SQLite (development, small installs): the database file's directory is created, WAL journal (readers
do not block the writer), foreign keys enforced, and a 30 s busy timeout so concurrent writers wait
for the write lock instead of failing. PostgreSQL (production): pre-ping pooled connections.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy import exc as exc_module
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.pool import StaticPool

from storage.encryption import configure_encryption
from storage.orm import DomainSession, start_mappers
from storage.sqlite_driver import one_hop_dbapi

SQLITE_BUSY_TIMEOUT_MS = 30_000
PG_POOL_SIZE = 40
"""Kept connections per process. SQLAlchemy's default (5 + 10 overflow) ran dry under 200 chats
(bench/load.py: "QueuePool limit of size 5 overflow 10 reached"): the webhook alone handles up to 64
updates at once (``bot.telegram.processor.MAX_BACKGROUND``), the API and the outbox worker come on top.
Most of them kept (40 + 10, was 20 + 30, the same 50 at most): the pool closes an overflow connection when it is
given back, so 50 chats at once on 20 kept connections connected afresh all the time (a connect is a server
process, and SQLAlchemy's codec set-up on it: 5% of a stock query's CPU in ``bench/webhook.py``)."""
PG_MAX_OVERFLOW = 10
PG_PREPARED_STATEMENTS = 1000
"""Prepared statements kept per connection (SQLAlchemy's asyncpg default: 100)."""


def _json_dumps(value: Any) -> str:
    # Chinese stays readable in the database (and searchable with __contains)
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


def build_engine(
    url: str,
    *,
    echo: bool = False,
    encryption_keys: list[str] | None = None,
    search_path: str | None = None,
    pool_size: int | None = None,
    max_overflow: int | None = None,
) -> AsyncEngine:
    """An async engine for ``sqlite+aiosqlite:///path`` or ``postgresql+asyncpg://user@host/db``.

    ``encryption_keys`` (optional) installs the personal-data keys (``configure_encryption``).
    ``search_path`` (PostgreSQL only) puts every table in that schema; tests use it to isolate runs.
    ``pool_size`` / ``max_overflow`` (PostgreSQL only): connections kept / extra per process (default 40 + 10);
    several processes together must stay under the server's ``max_connections``.
    """
    if encryption_keys is not None:
        configure_encryption(encryption_keys)
    parsed = make_url(url)
    kwargs: dict[str, Any] = {"echo": echo, "json_serializer": _json_dumps}
    if parsed.get_backend_name() == "sqlite":
        if parsed.get_driver_name() == "aiosqlite":
            kwargs["module"] = one_hop_dbapi()      # one hop to the database thread per statement
        database = parsed.database or ""
        in_memory = database in ("", ":memory:") or database.startswith("file::memory:")
        if in_memory:
            # one shared connection, otherwise every connection sees its own empty database
            kwargs.update(poolclass=StaticPool, connect_args={"check_same_thread": False})
        else:
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
            # reads run on the loop's thread (storage.sqlite_driver), never at the same time as the connection's own
            kwargs["connect_args"] = {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, "check_same_thread": False}
        engine = create_async_engine(parsed, **kwargs)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    if "prepared_statement_cache_size" not in parsed.query:
        # SQLAlchemy's asyncpg dialect keeps 100 prepared statements per connection; the chat, the API and the
        # workers send more distinct ones than that (an IN of n values is its own statement), and a statement
        # evicted is prepared again: a round trip and a type introspection (11% of a confirm's CPU in a profile)
        parsed = parsed.update_query_dict({"prepared_statement_cache_size": str(PG_PREPARED_STATEMENTS)})
    kwargs.update(pool_size=PG_POOL_SIZE if pool_size is None else pool_size,
                  max_overflow=PG_MAX_OVERFLOW if max_overflow is None else max_overflow)
    if search_path:
        kwargs["connect_args"] = {"server_settings": {"search_path": search_path}}
    engine = create_async_engine(parsed, **kwargs)
    ping_when_idle(engine)
    return engine


COUNTER_POOL = (4, 0)
"""Connections kept / extra per process for document numbers taken outside the unit's transaction: all kept (an
extra connection is closed when given back, and under a burst of orders they were opened and closed all the time:
3% of a confirm's CPU in connecting); each is held for one statement, so a fifth order at once waits that long."""


def build_counter_engine(url: str, *, search_path: str | None = None) -> AsyncEngine | None:
    """PostgreSQL only (None for SQLite): a small pool of its own (sessions on it: ``build_session_factory(...,
    autocommit=True)``) for document numbers taken outside
    the unit's transaction (``SqlAlchemyUnitOfWork.take_number``). Its own pool, not the main one: a submit
    holds a connection of the main pool while it takes its number, and with every connection of the main pool
    held by a submit waiting for one more, all would wait until the pool's timeout (seen: 50 chats confirming
    at once against a pool of 20 + 30). A counter connection waits for nothing but the counter row, for one
    statement, so the two pools cannot wait on each other."""
    if make_url(url).get_backend_name() != "postgresql":
        return None
    return build_engine(url, search_path=search_path, pool_size=COUNTER_POOL[0], max_overflow=COUNTER_POOL[1])


IDLE_PING_SECONDS = 10.0
"""A pooled connection unused this long is pinged when taken (``ping_when_idle``)."""


def ping_when_idle(engine: AsyncEngine, idle_seconds: float = IDLE_PING_SECONDS) -> None:
    """Test a pooled connection on checkout only when it sat unused for ``idle_seconds``: a connection a restart
    or a firewall closed while it waited is replaced before use (``DisconnectionError`` makes the pool take a
    fresh one, SQLAlchemy's recipe for pessimistic disconnect handling), and one in steady use is not pinged.

    ``pool_pre_ping`` pinged on every checkout, and SQLAlchemy's asyncpg ping is three round trips (BEGIN, a
    statement, ROLLBACK: kept for pgbouncer's transaction mode): two thirds of a stock query's round trips
    (9 -> 3). A connection that dies while in use (PostgreSQL restarted under load) fails that one statement,
    SQLAlchemy invalidates the pool's connections of before, and the next checkout connects afresh
    (``tests/e2e/test_faults_postgres.py``)."""

    @event.listens_for(engine.sync_engine.pool, "checkin")
    def _returned(dbapi_connection: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine.sync_engine.pool, "checkout")
    def _taken(dbapi_connection: Any, record: Any, proxy: Any) -> None:
        since = record.info.get("idle_since")
        if since is None or time.monotonic() - since < idle_seconds:
            return
        try:
            dbapi_connection.ping()
        except Exception as exc:        # the adapted driver's errors: the connection is gone
            raise exc_module.DisconnectionError(str(exc)) from exc


def build_session_factory(engine: AsyncEngine, *, autocommit: bool = False) -> async_sessionmaker[AsyncSession]:
    """Sessions that keep loaded values after commit (``expire_on_commit=False``): use cases return the
    domain objects they changed, and async code must not lazy-load expired attributes. ``autocommit``: on the
    same pool, connections in AUTOCOMMIT (no BEGIN and no ROLLBACK around a read: ``uow.autocommit()``)."""
    start_mappers()
    bind = engine.execution_options(isolation_level="AUTOCOMMIT") if autocommit else engine
    return async_sessionmaker(bind, expire_on_commit=False, sync_session_class=DomainSession)
