"""``dms run`` pieces (prepare, default admin, banner, web app, background tasks) and ``dms demo-data``."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr
from typer.testing import CliRunner

from admin.auth import verify_password
from bot.bootstrap import App, banner, bootstrap, build_server, prepare, serve
from bot.cli import app as cli
from bot.settings import Settings
from core.users import Role
from tests.integration.conftest import TEST_KEYS


def settings_for(tmp_path: Path, **overrides: object) -> Settings:
    return Settings(_env_file=None, database_url=f"sqlite+aiosqlite:///{tmp_path / 'run.sqlite3'}",  # type: ignore[call-arg]
                    data_encryption_keys=SecretStr(TEST_KEYS[0]), **overrides)


async def _admins(application: App) -> list[object]:
    async with application.uow_factory() as uow:
        return list(await uow.users.list(role=Role.ADMIN))


async def test_first_start_seeds_demo_data_and_prints_a_generated_admin_password_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DMS_ADMIN_PASSWORD", raising=False)
    monkeypatch.delenv("ADMIN_PASSWORD", raising=False)
    application = bootstrap(settings_for(tmp_path))
    try:
        first = await prepare(application)
        second = await prepare(application)
        async with application.uow_factory() as uow:
            dealers = await uow.dealers.count()
            admin = await uow.users.get_by(username="admin")
    finally:
        await application.aclose()

    assert dealers == 30
    assert first.created and first.username == "admin" and first.password
    assert admin is not None and admin.role == Role.ADMIN
    assert verify_password(admin.password_hash or "", first.password)
    text = banner(application, first)
    assert first.password in text and "只显示这一次" in text and "ONCE" in text
    assert "http://127.0.0.1:8000/admin" in text and "http://127.0.0.1:8000/docs" in text
    assert "run.sqlite3" in text
    assert second.created is False and second.password is None
    assert "ONCE" not in banner(application, second)


async def test_admin_password_from_the_environment_is_used_and_not_printed(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DMS_ADMIN_PASSWORD", "from-env-123")
    application = bootstrap(settings_for(tmp_path, demo_data_on_empty=False))
    try:
        login = await prepare(application)
        async with application.uow_factory() as uow:
            admin = await uow.users.get_by(username="admin")
            dealers = await uow.dealers.count()
    finally:
        await application.aclose()

    assert dealers == 0
    assert login.created and login.password is None
    assert admin is not None and verify_password(admin.password_hash or "", "from-env-123")
    assert "from-env-123" not in banner(application, login)


async def test_web_app_answers_health_and_docs(tmp_path: Path) -> None:
    application = bootstrap(settings_for(tmp_path, demo_data_on_empty=False))
    try:
        await prepare(application)
        transport = httpx.ASGITransport(app=application.web())
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8000") as client:
            health = await client.get("/healthz")
            docs = await client.get("/docs")
    finally:
        await application.aclose()

    assert health.status_code == 200 and health.json() == {"status": "ok", "database": "ok"}
    assert docs.status_code == 200 and "swagger" in docs.text.lower()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_serve_runs_background_tasks_next_to_uvicorn_and_cancels_them(tmp_path: Path) -> None:
    port = _free_port()
    application = bootstrap(settings_for(tmp_path, demo_data_on_empty=False, web_port=port))
    started = asyncio.Event()
    cancelled = asyncio.Event()

    async def worker(app: App) -> None:
        started.set()
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            cancelled.set()
            raise

    application.background.append(worker)
    try:
        await prepare(application)
        server = build_server(application)
        running = asyncio.create_task(serve(application, server))
        await asyncio.wait_for(started.wait(), 5)
        for _ in range(100):
            if server.started:
                break
            await asyncio.sleep(0.05)
        async with httpx.AsyncClient() as client:
            health = await client.get(f"http://127.0.0.1:{port}/healthz")
        server.should_exit = True
        await asyncio.wait_for(running, 10)
    finally:
        await application.aclose()

    assert health.status_code == 200
    assert cancelled.is_set()


def test_cli_demo_data_then_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.sqlite3'}")
    monkeypatch.setenv("DATA_ENCRYPTION_KEYS", TEST_KEYS[0])
    runner = CliRunner()

    first = runner.invoke(cli, ["demo-data"])
    second = runner.invoke(cli, ["demo-data"])

    assert first.exit_code == 0, first.output
    assert "dealers: 30" in first.stdout and "演示数据已导入" in first.stdout and "sell-out lines in" in first.stdout
    assert second.exit_code == 0 and "未导入演示数据" in second.stdout
