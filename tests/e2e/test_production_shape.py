"""The production shape of deploy/compose.yaml, started from that file's own commands and environment as plain
processes (no containers): PostgreSQL and Redis of this machine, ``dms migrate``, the admin created as the README's
Deploy section says, then two ``dms run`` web processes, one ``dms worker`` and one ``dms scheduler`` at once.

Checked: both web processes answer /healthz with the database ok; ``dms telegram set-webhook`` registers the
webhook with the Telegram stand-in (tests/e2e/telegram_standin.py) and a webhook update sent to each web process
(the stand-in balances them round-robin, as Caddy does) is answered; a push queued in the outbox is delivered to
its chat by the worker; the scheduler holds the leader lock; ``dms backup`` (the backup service's command) writes
a PostgreSQL dump. Ports are chosen free, every wait is generous, and every process is killed in ``finally``.

``docker compose config`` validates the compose file where docker with the compose plugin is installed.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from sqlalchemy import insert, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from core.outbox import Category, OutboxStatus
from core.users import Role
from storage.encryption import configure_encryption, generate_key
from storage.engine import build_engine
from storage.orm import chat_identities, outbox_messages, users
from tests.e2e.telegram_standin import TelegramStandIn

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
COMPOSE = DEPLOY / "compose.yaml"
BIN = Path(sys.executable).parent                      # the venv's `dms`, as the image's PATH has /opt/dms/bin
SERVER = os.environ.get("DMS_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/dms_test")
REDIS_URL = os.environ.get("DMS_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
START_SECONDS = 120.0                                  # imports + the classifier fit, 4 processes on 2 busy cores
CLI_SECONDS = 90.0
SHAPE = ("web1", "web2", "worker", "scheduler")
PUSH_CHAT = 8_100_001
VISITOR_CHATS = (8_100_002, 8_100_003)


def compose() -> dict[str, Any]:
    loaded = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))   # anchors and << merge keys resolved
    assert isinstance(loaded, dict)
    return loaded


def service_command(service: str) -> list[str]:
    command = compose()["services"][service]["command"]
    assert isinstance(command, list) and command[0] == "dms", (service, command)
    return [str(BIN / "dms"), *map(str, command[1:])]


def service_environment(service: str) -> dict[str, str]:
    return {k: str(v) for k, v in compose()["services"][service].get("environment", {}).items()}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.asynccontextmanager
async def fresh_database() -> AsyncIterator[str]:
    name = f"dms_test_prod_shape_{os.getpid()}_{secrets.token_hex(3)}"
    url = make_url(SERVER)
    server = create_async_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        async with server.connect() as conn:
            await conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        async with server.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await server.dispose()


class Shape:
    """The processes, their logs, and how to stop them."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.processes: dict[str, asyncio.subprocess.Process] = {}

    def log(self, name: str) -> Path:
        return self.folder / f"{name}.log"

    def tail(self, name: str, lines: int = 25) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.log(name).read_text(errors="replace").splitlines()[-lines:])
        return ""

    async def start(self, name: str, argv: list[str], env: dict[str, str]) -> None:
        with self.log(name).open("wb") as out:
            # cwd: a folder without .env, so the settings come from the environment alone, as in the container
            self.processes[name] = await asyncio.create_subprocess_exec(
                *argv, cwd=self.folder, env=env, stdin=asyncio.subprocess.DEVNULL, stdout=out,
                stderr=asyncio.subprocess.STDOUT, start_new_session=True)

    async def run(self, name: str, argv: list[str], env: dict[str, str]) -> str:
        """A one-shot command (migrate, create-admin, set-webhook, backup): its output; it must succeed."""
        await self.start(name, argv, env)
        process = self.processes[name]
        try:
            code = await asyncio.wait_for(process.wait(), CLI_SECONDS)
        except TimeoutError:
            raise AssertionError(f"{name} did not finish in {CLI_SECONDS:.0f} s:\n{self.tail(name)}") from None
        assert code == 0, f"{' '.join(argv[1:])} exited with {code}:\n{self.tail(name)}"
        return self.log(name).read_text(errors="replace")

    def alive(self, name: str) -> None:
        code = self.processes[name].returncode
        assert code is None, f"{name} exited with {code}:\n{self.tail(name)}"

    async def stop(self) -> None:
        running = [p for p in self.processes.values() if p.returncode is None]
        for process in running:
            with contextlib.suppress(ProcessLookupError):
                process.terminate()
        for process in running:
            try:
                await asyncio.wait_for(process.wait(), 15)
            except TimeoutError:
                with contextlib.suppress(ProcessLookupError):
                    process.kill()
                await process.wait()


async def wait_healthy(shape: Shape, name: str, url: str, client: httpx.AsyncClient) -> dict[str, Any]:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        shape.alive(name)
        with contextlib.suppress(httpx.HTTPError):
            response = await client.get(url + "/healthz", timeout=3)
            if response.status_code == 200:
                return dict(response.json())
        await asyncio.sleep(0.25)
    raise AssertionError(f"{name}: no /healthz in {START_SECONDS:.0f} s:\n{shape.tail(name)}")


async def wait_for_log(shape: Shape, name: str, words: str) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if words in shape.log(name).read_text(errors="replace"):
            return
        shape.alive(name)
        await asyncio.sleep(0.25)
    raise AssertionError(f"{name}: no {words!r} in {START_SECONDS:.0f} s:\n{shape.tail(name)}")


async def queue_a_push(database: str, keys: list[str]) -> None:
    """An order-desk user bound to PUSH_CHAT and one pending push for them (what a use case leaves in the
    outbox); the worker process must deliver it."""
    configure_encryption(keys)
    engine = build_engine(database)
    now = datetime.now(UTC)
    try:
        async with engine.begin() as conn:
            uid = (await conn.execute(insert(users).values(
                username="desk-shape", display_name="订单专员", role=Role.ORDER_DESK, dealer_id=None, phone=None,
                password_hash=None, language="zh-CN", active=True, created_at=now).returning(users.c.id))).scalar_one()
            await conn.execute(insert(chat_identities).values(
                channel="telegram", external_id=str(PUSH_CHAT), user_id=uid, bound_at=now))
            await conn.execute(insert(outbox_messages).values(
                dedup_key="shape:push", kind="system.notice", category=Category.SYSTEM, urgent=True,
                params={"text": {"zh": "生产环境检查：推送已送达", "en": "Production check: push delivered"}},
                user_id=uid, status=OutboxStatus.PENDING, attempts=0, created_at=now))
    finally:
        await engine.dispose()


def answered(standin: TelegramStandIn, chat: int) -> Callable[[], bool]:
    return lambda: standin.count(chat) > 0


def test_compose_file_runs_the_roles_the_test_starts() -> None:
    """What the process test below relies on, read from the file: each role's command and environment."""
    services = compose()["services"]
    assert {"postgres", "redis", "migrate", "web1", "web2", "worker", "scheduler", "backup", "caddy"} <= set(services)
    assert [service_command(s)[1:] for s in ("migrate", *SHAPE)] == [
        ["migrate"], ["run"], ["run"], ["worker"], ["scheduler"]]
    web = service_environment("web1")
    assert web["TELEGRAM_MODE"] == "webhook" and web["NOTIFY_IN_RUN"] == "false" and web["DEMO_DATA_ON_EMPTY"] == "false"
    assert web["DATABASE_URL"].startswith("postgresql+asyncpg://") and web["REDIS_URL"].startswith("redis://")
    for name in ("web1", "web2"):
        assert services[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
    assert "dms backup" in " ".join(services["backup"]["command"])
    caddyfile = (DEPLOY / "Caddyfile").read_text(encoding="utf-8")
    assert "reverse_proxy web1:8000 web2:8000" in caddyfile and "{$DMS_DOMAIN}" in caddyfile
    dockerfile = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    assert "USER dms" in dockerfile and "HEALTHCHECK" in dockerfile and "/healthz" in dockerfile
    for unit in ("dms-web@.service", "dms-worker.service", "dms-scheduler.service", "dms-migrate.service",
                 "dms-backup.service", "dms-backup.timer"):
        assert (DEPLOY / "systemd" / unit).is_file(), unit
    assert "proxy_pass http://dms_web" in (DEPLOY / "nginx" / "dms.conf").read_text(encoding="utf-8")


def test_docker_compose_config_validates_the_file(tmp_path: Path) -> None:
    docker = shutil.which("docker")
    if docker is None:
        pytest.skip("docker is not installed here: `docker compose config` not run (the file is checked above)")
    probe = subprocess.run([docker, "compose", "version"], capture_output=True, text=True, timeout=60)
    if probe.returncode != 0:
        pytest.skip(f"docker has no compose plugin here ({probe.stderr.strip() or probe.stdout.strip()}): "
                    "`docker compose config` not run")
    env_file = tmp_path / ".env"
    env_file.write_text((DEPLOY / "production.env.example").read_text(encoding="utf-8"), encoding="utf-8")
    checked = subprocess.run([docker, "compose", "-f", str(COMPOSE), "--env-file", str(env_file),
                              "--project-directory", str(DEPLOY), "config", "--quiet"],
                             capture_output=True, text=True, timeout=120)
    assert checked.returncode == 0, checked.stderr


@pytest.mark.postgres
async def test_the_production_shape_serves_answers_pushes_and_backs_up(tmp_path: Path) -> None:
    started = time.monotonic()
    keys = [generate_key()]
    shape = Shape(tmp_path)
    async with fresh_database() as database, TelegramStandIn() as standin:
        secret = "shape-" + secrets.token_hex(8)

        def env(service: str, **extra: str) -> dict[str, str]:
            # the service's environment from compose.yaml; what names a host of the compose network is this
            # machine's here, and the secrets of deploy/.env are made up
            return {**os.environ, **service_environment(service),
                    "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1",
                    "DATABASE_URL": database, "REDIS_URL": REDIS_URL, "DATA_DIR": str(tmp_path / "var"),
                    "WEB_HOST": "127.0.0.1", "SECRET_KEY": secrets.token_urlsafe(32),
                    "DATA_ENCRYPTION_KEYS": keys[0], "NOTIFY_REDIS_PREFIX": f"dms:shape:{os.getpid()}:",
                    "TELEGRAM_BOT_TOKEN": standin.token, "TELEGRAM_API_BASE": standin.base_url,
                    "TELEGRAM_WEBHOOK_SECRET": secret, "NOTIFY_POLL_SECONDS": "0.2", "NOTIFY_QUIET_HOURS": "",
                    "LOG_LEVEL": "INFO", "LOG_JSON": "false", **extra}

        try:
            # README Deploy: migrate, then the first admin, then the services
            out = await shape.run("migrate", service_command("migrate"), env("migrate"))
            assert "database is up to date" in out
            await shape.run("create-admin", [str(BIN / "dms"), "user", "create-admin", "--password",
                                             "shape-admin-password-0123"], env("migrate"))
            ports = {name: _free_port() for name in ("web1", "web2")}
            for name in SHAPE:
                extra = {"WEB_PORT": str(ports[name])} if name in ports else {}
                await shape.start(name, service_command(name), env(name, **extra))
            await queue_a_push(database, keys)
            urls = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}

            # while the services start: register the webhook (README's command) and run the backup service's
            # command once; then wait for both web processes
            backup = tmp_path / "backups" / "dms.dump"
            backup.parent.mkdir()
            async with httpx.AsyncClient() as client:
                *health, _, _ = await asyncio.gather(
                    *(wait_healthy(shape, n, u, client) for n, u in urls.items()),
                    shape.run("set-webhook", [str(BIN / "dms"), "telegram", "set-webhook",
                                              urls["web1"] + "/telegram/webhook"], env("web1")),
                    shape.run("backup", [str(BIN / "dms"), "backup", str(backup)], env("backup")))
            assert health == [{"status": "ok", "database": "ok"}] * 2
            assert backup.stat().st_size > 10_000
            assert standin.webhook is not None and standin.webhook["secret_token"] == secret

            # the push: queued before the worker started, delivered by it
            await standin.wait_for(lambda: standin.count(PUSH_CHAT) > 0, START_SECONDS, "the push")
            assert "推送已送达" in standin.texts(PUSH_CHAT)

            # the webhook: one update to each web process (balanced round-robin, as Caddy does)
            standin.balance_webhook([u + "/telegram/webhook" for u in urls.values()])
            for chat in VISITOR_CHATS:
                await standin.send_text(chat, "/start")
            for chat in VISITOR_CHATS:
                await standin.wait_for(answered(standin, chat), START_SECONDS, f"an answer in chat {chat}")
            assert sorted(standin.webhook_targets) == sorted(u + "/telegram/webhook" for u in urls.values())
            assert all(status == 200 for _, status in standin.webhook_deliveries), standin.webhook_deliveries

            await wait_for_log(shape, "scheduler", "scheduler: leader")
            for name in SHAPE:
                shape.alive(name)
        finally:
            await shape.stop()
    seconds = time.monotonic() - started
    print(f"production shape: up, answered, pushed and backed up in {seconds:.1f} s")
    assert seconds < 120, "the production shape took too long to come up"
