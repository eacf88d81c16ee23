"""Engine factories: SQLite pragmas and directories, in-memory databases, readable JSON."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from core.products import Product
from storage.engine import build_engine, build_session_factory
from storage.orm import metadata
from storage.uow import SqlAlchemyUnitOfWork
from tests.factories import make_product


async def test_sqlite_file_engine(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "dms.sqlite3"
    engine = build_engine(f"sqlite+aiosqlite:///{target}")
    try:
        async with engine.connect() as conn:
            pragmas = {name: (await conn.execute(text(f"PRAGMA {name}"))).scalar_one()
                       for name in ("journal_mode", "foreign_keys", "busy_timeout")}
    finally:
        await engine.dispose()
    assert target.parent.is_dir()
    assert pragmas == {"journal_mode": "wal", "foreign_keys": 1, "busy_timeout": 30000}


async def test_in_memory_sqlite_is_one_database_across_units_of_work() -> None:
    engine = build_engine("sqlite+aiosqlite:///:memory:")
    try:
        async with engine.begin() as conn:
            await conn.run_sync(metadata.create_all)
        uow = SqlAlchemyUnitOfWork(build_session_factory(engine))
        async with uow:
            await uow.products.add(make_product(sku="MEM-1", aliases=["内存"]))
            await uow.commit()
        async with uow:
            found = await uow.products.get_by(sku="MEM-1")
            raw = (await uow.session.execute(text("SELECT aliases FROM products"))).scalar_one()
    finally:
        await engine.dispose()
    assert isinstance(found, Product) and found.aliases == ["内存"]
    assert raw == '["内存"]'          # JSON keeps Chinese readable (and searchable)


def test_postgres_pool_size_comes_from_the_caller_or_the_default() -> None:
    from storage.engine import PG_MAX_OVERFLOW, PG_POOL_SIZE, build_engine

    url = "postgresql+asyncpg://postgres@127.0.0.1:5432/dms_test"    # no connection is made
    default = build_engine(url)
    sized = build_engine(url, pool_size=7, max_overflow=3)
    assert (default.pool.size(), default.pool._max_overflow) == (PG_POOL_SIZE, PG_MAX_OVERFLOW)  # type: ignore[attr-defined]
    assert (sized.pool.size(), sized.pool._max_overflow) == (7, 3)  # type: ignore[attr-defined]


def test_the_app_takes_its_pool_from_the_settings(tmp_path: Path) -> None:
    from bot.bootstrap import bootstrap
    from bot.settings import Settings

    settings = Settings(_env_file=None, database_url="postgresql+asyncpg://postgres@127.0.0.1:5432/dms_test",  # type: ignore[call-arg]
                        data_dir=tmp_path, database_pool_size=4, database_max_overflow=2)
    app = bootstrap(settings)
    assert (app.engine.pool.size(), app.engine.pool._max_overflow) == (4, 2)  # type: ignore[attr-defined]
