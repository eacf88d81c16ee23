"""Restore drills: demo data, ``dms backup``, damage (changes, deletions, lost files), ``dms restore``,
and everything is back exactly: every table's row count and content, an encrypted phone that decrypts,
the uploaded files. On SQLite (online backup API) and PostgreSQL (pg_dump / pg_restore, skipped when the
client programs are missing)."""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Text, select, text, type_coerce
from typer.testing import CliRunner

from bot.bootstrap import App, bootstrap
from bot.cli import app
from bot.demo import seed_demo_data
from bot.settings import Settings
from core.clock import SHANGHAI, Clock
from storage.backup import files_archive_path, libpq_url
from storage.orm import metadata
from tests.integration.conftest import PG_URL, TEST_KEYS

NOW = datetime(2026, 11, 26, 15, 30, tzinfo=SHANGHAI)


async def _pg_database(name: str, *, drop: bool) -> str:
    from sqlalchemy.engine import make_url
    from sqlalchemy.ext.asyncio import create_async_engine

    server = make_url(PG_URL)
    engine = create_async_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            if not drop:
                await conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        await engine.dispose()
    return server.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    name = ""
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'var' / 'dms.sqlite3'}"
    else:
        if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
            pytest.skip("pg_dump / pg_restore not installed: the PostgreSQL drill needs the client programs")
        name = f"dms_backup_{os.getpid()}_{secrets.token_hex(3)}"
        url = asyncio.run(_pg_database(name, drop=False))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("DATA_ENCRYPTION_KEYS", TEST_KEYS[0])
    monkeypatch.setenv("DEMO_DATA_ON_EMPTY", "false")
    try:
        yield url
    finally:
        if name:
            asyncio.run(_pg_database(name, drop=True))


def invoke(*args: str, code: int = 0) -> Any:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == code, (result.stdout, result.stderr, result.exception)
    assert "Traceback" not in result.output
    return result


def with_app(body: Any) -> Any:
    async def run() -> Any:
        application = bootstrap(Settings())
        try:
            return await body(application)
        finally:
            await application.aclose()

    return asyncio.run(run())


async def _snapshot(application: App) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, sorted (encrypted columns compared as stored tokens)."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    async with application.session_factory() as session:
        for table in metadata.sorted_tables:
            cols = [type_coerce(c, Text) if c.type.__class__.__name__ == "EncryptedString" else c
                    for c in table.columns]
            rows = (await session.execute(select(*cols))).all()
            out[table.name] = sorted((tuple(r) for r in rows), key=repr)
    return out


async def _seed(application: App) -> None:
    await seed_demo_data(application.uow_factory, application.session_factory, Clock.fixed(NOW), months=1)


async def _damage(application: App) -> str:
    """Change and delete things the way a bad day would: an order's status, a contact, all sell-out."""
    async with application.uow_factory() as uow:
        dealer = (await uow.dealers.list(limit=1))[0]
        phone = dealer.contacts[0].phone
        dealer.contacts.clear()
        order = (await uow.orders.list(limit=1))[0]
        order.note = "damaged"
        await uow.commit()
    async with application.session_factory() as session:
        await session.execute(text("DELETE FROM sellout_lines"))
        await session.commit()
    return phone


async def _first_contact_phone(application: App) -> tuple[str, str]:
    async with application.uow_factory() as uow:
        dealer = (await uow.dealers.list(limit=1))[0]
        return dealer.code, dealer.contacts[0].phone


async def _contact_by_phone(application: App, phone: str) -> str | None:
    async with application.uow_factory() as uow:
        found = await uow.find_contact_by_phone(phone)
        return None if found is None else found.phone


def test_restore_drill_brings_everything_back(database: str, tmp_path: Path) -> None:
    invoke("migrate")
    with_app(_seed)
    files = tmp_path / "var" / "files"
    (files / "ab").mkdir(parents=True, exist_ok=True)
    (files / "ab" / "photo.jpg").write_bytes(b"\xff\xd8 a photo")
    before = with_app(_snapshot)
    code, phone = with_app(_first_contact_phone)
    assert sum(len(rows) for rows in before.values()) > 500 and before["sellout_lines"]

    target = tmp_path / "backups" / "dms.backup"
    out = invoke("backup", str(target)).stdout
    assert str(target) in out and target.stat().st_size > 10_000
    assert files_archive_path(target).is_file()
    assert phone.encode() not in target.read_bytes()          # personal data stays encrypted in the backup

    assert with_app(_damage) == phone
    shutil.rmtree(files)
    damaged = with_app(_snapshot)
    assert damaged != before and not damaged["sellout_lines"]

    invoke("restore", str(target), "--yes")
    after = with_app(_snapshot)
    assert {t: len(r) for t, r in after.items()} == {t: len(r) for t, r in before.items()}
    assert after == before
    assert with_app(_first_contact_phone) == (code, phone)    # decrypts with the same key
    assert (files / "ab" / "photo.jpg").read_bytes() == b"\xff\xd8 a photo"


def test_restore_refuses_a_file_that_is_not_a_backup(database: str, tmp_path: Path) -> None:
    if not database.startswith("sqlite"):
        pytest.skip("the format check is SQLite's; pg_restore refuses with its own message (covered below)")
    invoke("migrate")
    bogus = tmp_path / "bogus.backup"
    bogus.write_text("hello")
    result = invoke("restore", str(bogus), "--yes", code=1)
    assert "不是 SQLite 备份文件" in result.stderr and "not a SQLite backup file" in result.stderr


def test_libpq_url_keeps_the_password_off_the_command_line() -> None:
    dsn, env = libpq_url("postgresql+asyncpg://dms:s3cret@db.example:5433/dms")
    assert dsn == "postgresql://dms@db.example:5433/dms"
    assert env == {"PGPASSWORD": "s3cret"}


def test_keys_rotate_reencrypts_so_the_old_key_can_go(database: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from storage.encryption import configure_encryption, generate_key

    if not database.startswith("sqlite"):
        pytest.skip("rotation itself is tested on both backends in test_storage_encryption; this is the command")
    invoke("migrate")
    with_app(_seed)
    code, phone = with_app(_first_contact_phone)
    new_key = generate_key()
    try:
        monkeypatch.setenv("DATA_ENCRYPTION_KEYS", f"{new_key},{TEST_KEYS[0]}")
        out = invoke("keys", "rotate").stdout
        assert "re-encrypted" in out and int(out.split(":")[-1].split()[0]) > 30
        monkeypatch.setenv("DATA_ENCRYPTION_KEYS", new_key)     # the old key is gone: still readable
        assert with_app(_first_contact_phone) == (code, phone)
        assert with_app(lambda a: _contact_by_phone(a, phone)) is None   # index key came from the old key
        assert "re-indexed" in invoke("keys", "reindex").stdout
        assert with_app(lambda a: _contact_by_phone(a, phone)) == phone
    finally:
        configure_encryption(TEST_KEYS)
