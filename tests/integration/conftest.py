"""Integration fixtures: a migrated database per test module, on SQLite and on PostgreSQL.

``db`` is parametrized: every test that uses it runs on a temporary SQLite file and on PostgreSQL
(``DMS_TEST_POSTGRES_URL``, default ``postgresql+asyncpg://postgres@127.0.0.1:5432/dms_test``; the
database is created when missing). ``pg_db`` is PostgreSQL only. Deselect PostgreSQL with
``-m "not postgres"``.

On PostgreSQL each test module gets its own schema (``search_path``), created and migrated when the
module starts and dropped when it ends, so parallel runs of the suite never share tables. Every test
starts from empty tables (truncated before the test).
"""

from __future__ import annotations

import asyncio
import os
import re
import secrets
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import pytest_asyncio
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from storage.encryption import configure_encryption, generate_key
from storage.engine import build_engine, build_session_factory
from storage.migrate import upgrade
from storage.orm import metadata
from storage.uow import SqlAlchemyUnitOfWork

PG_URL = os.environ.get("DMS_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/dms_test")

#: the personal-data keys every integration test runs with (tests of rotation swap them and put them back)
TEST_KEYS = [generate_key()]


@dataclass(frozen=True)
class Database:
    kind: str                       # "sqlite" | "postgres"
    url: str
    search_path: str | None = None  # PostgreSQL schema of this module

    def engine(self) -> AsyncEngine:
        return build_engine(self.url, search_path=self.search_path)


@pytest.fixture(scope="session", autouse=True)
def _encryption() -> None:
    configure_encryption(TEST_KEYS)


# --- databases ------------------------------------------------------------------------------------------


async def _ensure_pg_database(url: str) -> None:
    target = make_url(url)
    admin = create_async_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as conn:
            exists = await conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"),
                                       {"name": target.database})
            if not exists:
                try:
                    await conn.execute(text(f'CREATE DATABASE "{target.database}"'))
                except DBAPIError as exc:  # another run created it meanwhile
                    if "already exists" not in str(exc):
                        raise
    finally:
        await admin.dispose()


async def _pg_schema(url: str, schema: str, *, drop: bool) -> None:
    engine = create_async_engine(url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            await conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            if not drop:
                await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    finally:
        await engine.dispose()


def _schema_name(module: str) -> str:
    stem = re.sub(r"[^a-z0-9_]", "_", module.rsplit(".", 1)[-1].lower())
    return f"it_{os.getpid()}_{secrets.token_hex(3)}_{stem}"[:63]


def _prepare_sqlite(tmp_dir: Path) -> Database:
    database = Database("sqlite", f"sqlite+aiosqlite:///{tmp_dir / 'dms.sqlite3'}")
    asyncio.run(upgrade(database.url))
    return database


def _prepare_postgres(module: str) -> Iterator[Database]:
    schema = _schema_name(module)
    asyncio.run(_ensure_pg_database(PG_URL))
    asyncio.run(_pg_schema(PG_URL, schema, drop=False))
    try:
        database = Database("postgres", PG_URL, schema)
        asyncio.run(upgrade(database.url, search_path=schema))
        yield database
    finally:
        asyncio.run(_pg_schema(PG_URL, schema, drop=True))


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """A migrated, empty database of each kind (one per test module)."""
    if request.param == "sqlite":
        yield _prepare_sqlite(tmp_path_factory.mktemp("sqlite"))
    else:
        yield from _prepare_postgres(request.module.__name__)


@pytest.fixture(scope="module")
def pg_db(request: pytest.FixtureRequest) -> Iterator[Database]:
    """PostgreSQL only (row locks, concurrent transactions). Mark the test ``@pytest.mark.postgres``."""
    yield from _prepare_postgres(request.module.__name__ + "_pg")


# --- per test -------------------------------------------------------------------------------------------


async def truncate_all(engine: AsyncEngine) -> None:
    """Empty every table, children first. DELETE, not TRUNCATE: on tables this small it is far faster on
    PostgreSQL. Ids are not reset; tests use the ids they get back, never literal ones."""
    async with engine.begin() as conn:
        for table in reversed(metadata.sorted_tables):
            await conn.execute(table.delete())


async def _engine_for(database: Database) -> AsyncIterator[AsyncEngine]:
    engine = database.engine()
    await truncate_all(engine)
    try:
        yield engine
    finally:
        await engine.dispose()


@pytest_asyncio.fixture
async def engine(db: Database) -> AsyncIterator[AsyncEngine]:
    """An engine on ``db`` whose tables are empty."""
    async for e in _engine_for(db):
        yield e


@pytest_asyncio.fixture
async def pg_engine(pg_db: Database) -> AsyncIterator[AsyncEngine]:
    async for e in _engine_for(pg_db):
        yield e


@pytest.fixture
def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return build_session_factory(engine)


@pytest.fixture
def pg_session_factory(pg_engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return build_session_factory(pg_engine)


@pytest.fixture
def uow(session_factory: async_sessionmaker[AsyncSession]) -> SqlAlchemyUnitOfWork:
    """A unit of work on the empty database; enter it with ``async with uow:`` (again for each step)."""
    return SqlAlchemyUnitOfWork(session_factory)
