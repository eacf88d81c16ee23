"""Alembic: the migrations build the schema from nothing, match the metadata exactly, and go back down."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

from storage.migrate import downgrade, upgrade, upgrade_sync
from storage.orm import metadata
from tests.integration.conftest import PG_URL, Database, _ensure_pg_database, _pg_schema, _schema_name

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def empty_db(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    """A database with no tables at all."""
    if request.param == "sqlite":
        yield Database("sqlite", f"sqlite+aiosqlite:///{tmp_path / 'sub' / 'fresh.sqlite3'}")
        return
    schema = _schema_name("migrations")
    await _ensure_pg_database(PG_URL)
    await _pg_schema(PG_URL, schema, drop=False)
    try:
        yield Database("postgres", PG_URL, schema)
    finally:
        await _pg_schema(PG_URL, schema, drop=True)


def _diff(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(connection, opts={"compare_type": True, "target_metadata": metadata})
    return list(compare_metadata(context, metadata))


def _tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


async def test_upgrade_from_empty_matches_the_metadata(empty_db: Database) -> None:
    await upgrade(empty_db.url, search_path=empty_db.search_path)
    engine = empty_db.engine()
    try:
        async with engine.connect() as conn:
            tables = await conn.run_sync(_tables)
            diff = await conn.run_sync(_diff)
            versions = set((await conn.execute(text("SELECT version_num FROM alembic_version"))).scalars())
    finally:
        await engine.dispose()
    assert tables == set(metadata.tables) | {"alembic_version"}
    assert diff == [], "storage/migrations is out of step with storage.orm: write a new revision"
    # every head of the revision graph is applied (parallel revisions branch from 0001)
    from alembic.script import ScriptDirectory

    from storage.migrate import alembic_config

    assert versions == set(ScriptDirectory.from_config(alembic_config()).get_heads())
    assert "0019_question_about_order" in versions       # the last one of the branch 0002_nlu began


async def test_downgrade_to_base_and_up_again(empty_db: Database) -> None:
    await upgrade(empty_db.url, search_path=empty_db.search_path)
    await downgrade(empty_db.url, "base", search_path=empty_db.search_path)
    engine = empty_db.engine()
    try:
        async with engine.connect() as conn:
            assert await conn.run_sync(_tables) == {"alembic_version"}
        await upgrade(empty_db.url, search_path=empty_db.search_path)
        await upgrade(empty_db.url, search_path=empty_db.search_path)        # idempotent at head
        async with engine.connect() as conn:
            assert await conn.run_sync(_diff) == []
    finally:
        await engine.dispose()


async def test_upgrade_sync_refuses_a_running_loop(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="running event loop"):
        upgrade_sync(f"sqlite+aiosqlite:///{tmp_path / 'x.sqlite3'}")


def test_upgrade_sync_and_sqlite_file_creation(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "er" / "dms.sqlite3"      # parent directories are created
    upgrade_sync(f"sqlite+aiosqlite:///{target}")
    assert target.exists()

    async def tables() -> set[str]:
        from storage.engine import build_engine
        engine = build_engine(f"sqlite+aiosqlite:///{target}")
        try:
            async with engine.connect() as conn:
                return await conn.run_sync(_tables)
        finally:
            await engine.dispose()

    assert "orders" in asyncio.run(tables())


def test_alembic_command_line_with_database_url(tmp_path: Path) -> None:
    """``alembic upgrade head`` and ``alembic check`` from the repository root, URL from DATABASE_URL."""
    env = {**os.environ, "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'cli.sqlite3'}"}
    alembic = [sys.executable, "-m", "alembic", "-c", str(ROOT / "alembic.ini")]
    up = subprocess.run([*alembic, "upgrade", "heads"], cwd=ROOT, env=env, capture_output=True, text=True,
                        timeout=120)
    assert up.returncode == 0, up.stderr
    check = subprocess.run([*alembic, "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "No new upgrade operations detected" in check.stdout + check.stderr
    assert (tmp_path / "cli.sqlite3").exists()


async def test_0009_adds_max_line_qty_to_existing_products_and_goes_back(empty_db: Database) -> None:
    """Existing products get NULL (the default limit); downgrade drops the column and keeps the rows."""
    url, path = empty_db.url, empty_db.search_path
    await upgrade(url, "0001", search_path=path)
    engine = empty_db.engine()

    def columns(connection: Connection) -> set[str]:
        return {c["name"] for c in inspect(connection).get_columns("products")}

    try:
        async with engine.begin() as conn:
            await conn.execute(text(
                "INSERT INTO products (sku, name, category, unit, list_price, aliases, pack_size, moq, active) "
                "VALUES ('AP300', '空气净化器 AP300', '净化器', '台', 1999, '[]', 1, 1, true)"))
        await upgrade(url, "0009_product_max_line_qty", search_path=path)
        async with engine.begin() as conn:
            assert (await conn.execute(text("SELECT sku, max_line_qty FROM products"))).all() == [("AP300", None)]
            await conn.execute(text("UPDATE products SET max_line_qty = 50"))
        await downgrade(url, "0001", search_path=path)
        async with engine.connect() as conn:
            assert "max_line_qty" not in await conn.run_sync(columns)
            assert (await conn.execute(text("SELECT sku, name FROM products"))).all() == [("AP300", "空气净化器 AP300")]
        await upgrade(url, search_path=path)
        async with engine.connect() as conn:
            assert "max_line_qty" in await conn.run_sync(columns)
            assert await conn.run_sync(_diff) == []
    finally:
        await engine.dispose()


async def test_0013_keys_existing_rebate_settlements_by_target_and_goes_back(empty_db: Database) -> None:
    """A settlement made before targets had keys gets the key of the first target of its period in its contract
    and accrued_amount = amount; dealers get no temporary credit; downgrade drops the columns, keeps the rows."""
    url, path = empty_db.url, empty_db.search_path
    await upgrade(url, "0005_contracts", search_path=path)
    engine = empty_db.engine()
    cents = 1 if empty_db.kind == "postgres" else 100        # Money: NUMERIC on PostgreSQL, cents on SQLite
    targets = ('[{"period": "2026-Q3", "metric": "quantity", "value": "500", "product_group": "除湿机"},'
               ' {"period": "2026-Q4", "metric": "amount", "value": "100000.00", "product_group": null},'
               ' {"period": "2026-Q4", "metric": "amount", "value": "20000.00", "product_group": "空调"}]')

    def columns(connection: Connection, table: str) -> set[str]:
        return {c["name"] for c in inspect(connection).get_columns(table)}

    try:
        async with engine.begin() as conn:
            await conn.execute(text(
                "INSERT INTO dealers (code, name, uscc, province, city, region, tier, business_scope, status, "
                "credit_limit) VALUES ('D0001', '杭州绿源电器有限公司', '91330100MA2H000001', '浙江', '杭州', '华东', "
                "'B', '', 'active', :limit)"), {"limit": 100000 * cents})
            await conn.execute(text(
                "INSERT INTO contracts (number, dealer_id, starts_on, ends_on, targets, rebate_tiers, "
                "marketing_duties, status, version, body) VALUES ('HT-2026-0001', 1, '2026-01-01', '2026-12-31', "
                ":targets, '[]', '[]', 'active', 1, '')"), {"targets": targets})
            for period, amount in (("2026-Q3", 1500), ("2026-Q4", 839)):
                await conn.execute(text(
                    "INSERT INTO rebate_settlements (contract_id, contract_number, dealer_id, period, period_end, "
                    "achieved_amount, achievement, rate, amount, status, proposed_by, note) VALUES (1, "
                    "'HT-2026-0001', 1, :period, '2026-12-31', 0, 0, 0, :amount, 'approved', 'system', '')"),
                    {"period": period, "amount": amount * cents})
        await upgrade(url, "0013_rebates_credit", search_path=path)
        async with engine.begin() as conn:
            rows = (await conn.execute(text("SELECT period, target_key, product_group, metric, "
                                            "accrued_amount = amount FROM rebate_settlements ORDER BY id"))).all()
            assert [tuple(r[:4]) + (bool(r[4]),) for r in rows] == [
                ("2026-Q3", "2026-Q3|quantity|除湿机", "除湿机", "quantity", True),
                ("2026-Q4", "2026-Q4|amount|*", None, "amount", True)]
            dealer = (await conn.execute(text("SELECT temporary_credit, temporary_credit_until FROM dealers"))).one()
            assert (int(dealer[0]), dealer[1]) == (0, None)
        await downgrade(url, "0005_contracts", search_path=path)
        async with engine.connect() as conn:
            assert "target_key" not in await conn.run_sync(columns, "rebate_settlements")
            assert "temporary_credit" not in await conn.run_sync(columns, "dealers")
            assert "credit_changes" not in await conn.run_sync(_tables)
            assert len((await conn.execute(text("SELECT id FROM rebate_settlements"))).all()) == 2
        await upgrade(url, search_path=path)
        async with engine.connect() as conn:
            assert await conn.run_sync(_diff) == []
    finally:
        await engine.dispose()
