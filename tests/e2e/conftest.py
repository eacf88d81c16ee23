"""End-to-end fixtures: the real FastAPI app over HTTP (httpx ASGITransport) on a real migrated database.

- ``web``: SQLite temp file (migrated once per module, emptied before each test).
- ``web_any``: the same, parametrized over SQLite and PostgreSQL (``DMS_TEST_POSTGRES_URL``,
  default ``postgresql+asyncpg://postgres@127.0.0.1:5432/dms_test``; the e2e suite uses its own
  database ``<name>_e2e``, created when missing, and one schema per test module, dropped afterwards).
  Deselect PostgreSQL with ``-m "not postgres"``.

Test data is built through the core use cases or the unit of work, never raw SQL.
"""

from __future__ import annotations

import asyncio
import os
import re
import secrets
import tempfile
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
import pytest_asyncio
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from admin.app import create_app
from admin.auth import hash_password
from bot.files import FileStore
from bot.settings import Settings
from core.clock import SHANGHAI, Clock
from core.dealers import DealerStatus
from core.inventory import StockLevel, Warehouse
from core.orders import Order, OrderEvent, OrderLine, OrderStatus
from core.ports import AbstractUnitOfWork
from core.products import Product
from core.services import dealers as dealer_cases
from core.services import users as user_cases
from core.uscc import make_uscc
from core.users import Actor, Role
from storage.encryption import configure_encryption, generate_key
from storage.engine import build_engine, build_session_factory
from storage.migrate import upgrade
from storage.orm import metadata
from storage.reports import SqlAlchemyReportStore
from storage.uow import SqlAlchemyUnitOfWork

_BASE_PG_URL = os.environ.get("DMS_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/dms_test")
PG_URL = str(make_url(_BASE_PG_URL).set(database=f"{make_url(_BASE_PG_URL).database}_e2e"))
ENCRYPTION_KEYS = [generate_key()]
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=SHANGHAI)
SYSTEM = Actor.system()
ADMIN_PASSWORD = "correct horse battery"
BASE_URL = "http://127.0.0.1:8000"


@dataclass(frozen=True)
class Database:
    kind: str
    url: str
    search_path: str | None = None


# --- databases (one per module) ---------------------------------------------------------------------

async def _ensure_pg_database(url: str) -> None:
    target = make_url(url)
    server = create_async_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        async with server.connect() as conn:
            exists = await conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": target.database})
            if not exists:
                try:
                    await conn.execute(text(f'CREATE DATABASE "{target.database}"'))
                except DBAPIError as exc:   # a parallel run created it meanwhile
                    if "already exists" not in str(exc):
                        raise
    finally:
        await server.dispose()


async def _pg_schema(schema: str, *, drop: bool) -> None:
    engine = create_async_engine(PG_URL, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            await conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            if not drop:
                await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    finally:
        await engine.dispose()


def _sqlite(tmp: Path) -> Database:
    database = Database("sqlite", f"sqlite+aiosqlite:///{tmp / 'e2e.sqlite3'}")
    asyncio.run(upgrade(database.url))
    return database


def _postgres(module: str) -> Iterator[Database]:
    stem = re.sub(r"[^a-z0-9_]", "_", module.rsplit(".", 1)[-1].lower())
    schema = f"e2e_{os.getpid()}_{secrets.token_hex(3)}_{stem}"[:63]
    asyncio.run(_ensure_pg_database(PG_URL))
    asyncio.run(_pg_schema(schema, drop=False))
    try:
        database = Database("postgres", PG_URL, schema)
        asyncio.run(upgrade(database.url, search_path=schema))
        yield database
    finally:
        asyncio.run(_pg_schema(schema, drop=True))


@pytest.fixture(scope="module")
def sqlite_db(tmp_path_factory: pytest.TempPathFactory) -> Database:
    return _sqlite(tmp_path_factory.mktemp("e2e"))


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    if request.param == "sqlite":
        yield _sqlite(tmp_path_factory.mktemp("e2e"))
    else:
        yield from _postgres(request.module.__name__)


# --- the app -------------------------------------------------------------------------------------------

@dataclass
class Web:
    """The app under test, an HTTP client for it, and direct access to the database for setup/asserts."""

    kind: str
    client: httpx.AsyncClient
    engine: AsyncEngine
    uow_factory: Callable[[], AbstractUnitOfWork]
    clock: Clock
    files: FileStore | None = None          # the app's file store (receipt scans, photos)

    def uow(self) -> AbstractUnitOfWork:
        return self.uow_factory()


async def _empty(engine: AsyncEngine) -> None:
    tables = [t.name for t in reversed(metadata.sorted_tables)]
    async with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            await conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for name in tables:
                await conn.execute(text(f"DELETE FROM {name}"))


async def _web(database: Database) -> AsyncIterator[Web]:
    configure_encryption(ENCRYPTION_KEYS)
    engine = build_engine(database.url, search_path=database.search_path)
    await _empty(engine)
    session_factory = build_session_factory(engine)
    autocommit_factory = build_session_factory(engine, autocommit=True)

    def uow_factory() -> AbstractUnitOfWork:       # as bot/bootstrap.py builds them (reads may go AUTOCOMMIT)
        return SqlAlchemyUnitOfWork(session_factory, autocommit_factory)

    clock = Clock.fixed(NOW)
    settings = Settings(secret_key="e2e-secret-key-for-signing-sessions", web_host="127.0.0.1", _env_file=None)
    files = FileStore(Path(tempfile.mkdtemp(prefix="dms-e2e-files-")))    # receipts, scans, photos
    app = create_app(settings, uow_factory, engine=engine, clock=clock, files=files,
                     reports=SqlAlchemyReportStore(engine, clock.tz))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as client:
        yield Web(database.kind, client, engine, uow_factory, clock, files)
    await engine.dispose()


@pytest_asyncio.fixture
async def web(sqlite_db: Database) -> AsyncIterator[Web]:
    """The app on an empty migrated SQLite database."""
    async for w in _web(sqlite_db):
        yield w


@pytest_asyncio.fixture
async def web_any(any_db: Database) -> AsyncIterator[Web]:
    """The app on an empty migrated database, SQLite and PostgreSQL."""
    async for w in _web(any_db):
        yield w


# --- builders (through use cases and the unit of work) -----------------------------------------------

_seq = iter(range(1, 10_000))


async def add_dealer(web: Web, code: str, name: str, *, region: str = "华东", province: str = "浙江",
                     city: str = "杭州", tier: str = "B", status: DealerStatus = DealerStatus.ACTIVE) -> int:
    dealer = await dealer_cases.create_dealer(web.uow(), SYSTEM, dealer_cases.CreateDealer(
        code=code, name=name, uscc=make_uscc(f"{next(_seq):08d}"), province=province, city=city, region=region,
        tier=tier), web.clock)
    assert dealer.id is not None
    if status != dealer.status:
        async with web.uow() as uow:
            stored = await uow.dealers.get(dealer.id)
            assert stored is not None
            stored.status = status
            await uow.commit()
    return dealer.id


async def add_product(web: Web, sku: str, name: str, price: str, *, category: str = "净化器",
                      active: bool = True) -> None:
    async with web.uow() as uow:
        await uow.products.add(Product(sku=sku, name=name, category=category, unit="台",
                                       list_price=Decimal(price), active=active))
        await uow.commit()


async def add_warehouse(web: Web, code: str, stock: dict[str, int] | None = None) -> int:
    async with web.uow() as uow:
        warehouse = await uow.warehouses.add(Warehouse(code=code, name=f"{code} 仓", region="华东",
                                                       province="上海", city="上海"))
        await uow.flush()
        assert warehouse.id is not None
        for sku, qty in (stock or {}).items():
            await uow.stock.add(StockLevel(warehouse_id=warehouse.id, sku=sku, on_hand=qty, updated_at=NOW))
        await uow.commit()
        return warehouse.id


async def add_order(web: Web, number: str, dealer_id: int, lines: list[tuple[str, int, str]], *,
                    status: OrderStatus = OrderStatus.SUBMITTED, created_at: datetime = NOW,
                    requested_delivery: date | None = None) -> None:
    """An order as submit_order leaves it (prices fixed, nothing charged), stored through the unit of work."""
    order_lines = [OrderLine(sku=sku, name=sku, qty=qty, unit_price=Decimal(price)) for sku, qty, price in lines]
    total = sum((ln.amount for ln in order_lines), Decimal("0.00"))
    async with web.uow() as uow:
        await uow.orders.add(Order(
            number=number, dealer_id=dealer_id, lines=order_lines, status=status, total=total,
            requested_delivery=requested_delivery, placed_by="system", created_at=created_at,
            updated_at=created_at, events=[OrderEvent(status=status, actor="system", at=created_at)]))
        await uow.commit()


async def api_key(web: Web, *scopes: str, dealer_id: int | None = None, name: str | None = None) -> str:
    """A new API key's plaintext, made by the users use case."""
    _, plaintext = await user_cases.create_api_key(web.uow(), SYSTEM, name or f"key{next(_seq)}", list(scopes),
                                                   dealer_id, clock=web.clock)
    return plaintext


def bearer(key: str, **headers: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}", **headers}


async def add_staff(web: Web, username: str, role: Role, password: str | None = ADMIN_PASSWORD) -> int:
    user = await user_cases.create_staff_user(web.uow(), SYSTEM, user_cases.CreateStaffUser(
        username=username, display_name=username, role=role,
        password_hash=hash_password(password) if password else None), web.clock)
    assert user.id is not None
    return user.id


@pytest.fixture(scope="session", autouse=True)
def _intent_classifier_trained() -> None:
    """Train the offline intent classifier once per test process before the first end-to-end test, as the app does at start-up
    (bot.bootstrap warms it): the first parse would otherwise train it inside a test that waits ten seconds for a
    chat reply, which a loaded CI machine does not always give (7,100 training messages)."""
    from nlu.classifier import default_classifier

    default_classifier()
