"""Two ``dms scheduler`` processes on PostgreSQL: one leads, the other waits; SIGKILL the leader and the
other takes over within seconds."""

from __future__ import annotations

import asyncio
import os
import secrets
import signal
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from storage.migrate import upgrade
from tests.integration.conftest import PG_URL, TEST_KEYS

pytestmark = pytest.mark.postgres

DMS = str(Path(sys.executable).parent / "dms")
ROOT = Path(__file__).resolve().parents[2]      # on PYTHONPATH: packages newer than the editable install
POLL = 0.5


@pytest.fixture
def database() -> Iterator[str]:
    name = f"dms_test_leader_{os.getpid()}_{secrets.token_hex(3)}"
    url = make_url(PG_URL)

    async def admin(sql: str) -> None:
        engine = create_async_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
        try:
            async with engine.connect() as conn:
                await conn.execute(text(sql))
        finally:
            await engine.dispose()

    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    target = url.set(database=name).render_as_string(hide_password=False)
    asyncio.run(upgrade(target))
    try:
        yield target
    finally:
        asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def scheduler(database: str, tmp_path: Path, lock: str) -> asyncio.subprocess.Process:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DATABASE_URL": database, "DATA_DIR": str(tmp_path / "var"),
           "DATA_ENCRYPTION_KEYS": TEST_KEYS[0], "NOTIFY_LEADER_LOCK": lock,
           "NOTIFY_LEADER_POLL_SECONDS": str(POLL), "LOG_LEVEL": "WARNING"}
    return await asyncio.create_subprocess_exec(DMS, "scheduler", cwd=tmp_path, env=env,
                                                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)


async def line_with(process: asyncio.subprocess.Process, words: str, seconds: float) -> str:
    assert process.stdout is not None
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        try:
            line = (await asyncio.wait_for(process.stdout.readline(), left)).decode(errors="replace")
        except TimeoutError:
            break
        if not line:
            break
        if words in line:
            return line
    raise AssertionError(f"no line with {words!r} within {seconds} s")


async def test_the_second_scheduler_takes_over_within_seconds_when_the_leader_is_killed(
        database: str, tmp_path: Path) -> None:
    lock = f"test-scheduler-{secrets.token_hex(4)}"
    first = await scheduler(database, tmp_path, lock)
    second = None
    try:
        await line_with(first, "scheduler: leader", 30)
        second = await scheduler(database, tmp_path, lock)
        await line_with(second, "waiting for the leader lock", 30)
        with pytest.raises(AssertionError):                   # it must not lead while the first one lives
            await line_with(second, "scheduler: leader", 3 * POLL + 1)
        first.kill()                                          # SIGKILL
        killed_at = time.monotonic()
        await first.wait()
        await line_with(second, "scheduler: leader", 10)
        takeover = time.monotonic() - killed_at
        print(f"\ntakeover {takeover:.2f} s after SIGKILL (poll {POLL} s)")
        assert takeover < 5.0
        second.send_signal(signal.SIGTERM)
        await line_with(second, "scheduler: stopped", 15)
    finally:
        for process in (first, second):
            if process is not None and process.returncode is None:
                process.kill()
                await process.wait()
