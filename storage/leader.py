"""Leader election for the scheduler (implements ``core.ports.AbstractLeaderLock``).

PostgreSQL: ``pg_try_advisory_lock(key)`` on a dedicated connection held for the life of the process.
The lock belongs to that database session, so when the process dies (even SIGKILL) the server drops
the connection and the lock with it, and a waiting instance's next ``try_acquire`` wins. ``still_held``
pings the connection: a leader whose connection broke must stop scheduling (another may lead now).

SQLite (one machine): an exclusive ``flock`` on a file next to the database; the kernel releases it
when the process dies.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from core.ports import AbstractLeaderLock


def lock_key(name: str) -> int:
    """A stable signed 64-bit advisory lock key for ``name``."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


class PgAdvisoryLeaderLock(AbstractLeaderLock):
    def __init__(self, engine: AsyncEngine, name: str = "dms-scheduler") -> None:
        self.engine = engine
        self.name = name
        self.key = lock_key(name)
        self._conn: AsyncConnection | None = None
        self._held = False

    async def _connection(self) -> AsyncConnection:
        if self._conn is None or self._conn.closed:
            conn = await self.engine.connect()
            self._conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
        return self._conn

    async def try_acquire(self) -> bool:
        if self._held and await self.still_held():
            return True
        try:
            conn = await self._connection()
            got = bool((await conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": self.key})).scalar())
        except Exception:
            await self._drop()
            raise
        self._held = got
        return got

    async def still_held(self) -> bool:
        if not self._held or self._conn is None:
            return False
        try:
            await self._conn.execute(text("SELECT 1"))
        except Exception:
            await self._drop()
            return False
        return True

    async def release(self) -> None:
        if self._conn is not None and self._held:
            with contextlib.suppress(Exception):
                await self._conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": self.key})
        await self._drop()

    async def _drop(self) -> None:
        self._held = False
        if self._conn is not None:
            with contextlib.suppress(Exception):
                await self._conn.close()
        self._conn = None


class FileLeaderLock(AbstractLeaderLock):
    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    async def try_acquire(self) -> bool:
        if self._fd is not None:
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._fd = fd
        return True

    async def still_held(self) -> bool:
        return self._fd is not None

    async def release(self) -> None:
        if self._fd is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


def build_leader_lock(engine: AsyncEngine, database_url: str, name: str, data_dir: Path) -> AbstractLeaderLock:
    """The advisory lock on PostgreSQL; a lock file (in ``data_dir``) otherwise."""
    backend: Any = make_url(database_url).get_backend_name()
    if backend == "postgresql":
        return PgAdvisoryLeaderLock(engine, name)
    return FileLeaderLock(data_dir / f"{name}.lock")
