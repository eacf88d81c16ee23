"""Run the Alembic migrations from code (``dms migrate``, the bootstrap, tests).

:func:`upgrade` is a coroutine: it opens an async connection and runs Alembic's synchronous command
inside ``AsyncConnection.run_sync`` (Alembic receives the sync connection through
``config.attributes["connection"]``), so it works inside an already running event loop without threads
or a nested ``asyncio.run``. :func:`upgrade_sync` is the entry point for synchronous callers (the CLI)
and must not be called while an event loop is running.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Connection

from storage.engine import build_engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str | None = None) -> Config:
    """An Alembic config that needs no alembic.ini (works from any directory and when installed)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if url is not None:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    cfg.attributes["skip_logging_config"] = True
    return cfg


def _run(connection: Connection, action: str, revision: str) -> None:
    cfg = alembic_config()
    cfg.attributes["connection"] = connection
    runner: Any = command.upgrade if action == "upgrade" else command.downgrade
    runner(cfg, revision)


async def _migrate(url: str, action: str, revision: str, search_path: str | None) -> None:
    engine = build_engine(url, search_path=search_path)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(_run, action, revision)
    finally:
        await engine.dispose()


async def upgrade(url: str, revision: str = "heads", *, search_path: str | None = None) -> None:
    """Bring the database at ``url`` to ``revision`` (default: the newest)."""
    await _migrate(url, "upgrade", revision, search_path)


async def downgrade(url: str, revision: str, *, search_path: str | None = None) -> None:
    """Step back to ``revision`` (``"base"``: drop everything). For development and tests."""
    await _migrate(url, "downgrade", revision, search_path)


def upgrade_sync(url: str, revision: str = "heads", *, search_path: str | None = None) -> None:
    """Synchronous :func:`upgrade` for the CLI. Refuses to run inside a running event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(upgrade(url, revision, search_path=search_path))
        return
    raise RuntimeError("upgrade_sync() called inside a running event loop: await storage.migrate.upgrade()")
