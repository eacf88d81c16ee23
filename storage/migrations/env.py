"""Alembic environment for dms (async engines, SQLite and PostgreSQL).

Two ways in:
- ``storage.migrate.upgrade(url)`` (``dms migrate``, tests) opens an async connection itself and runs
  Alembic through ``AsyncConnection.run_sync``, handing the sync connection over in
  ``config.attributes["connection"]``: no nested event loop, works inside a running one.
- the ``alembic`` command line: this file builds the engine and runs ``asyncio.run``. The URL is
  ``sqlalchemy.url`` when the caller set it, else ``$DATABASE_URL``, else the development SQLite file.

Revisions are rendered in batch mode on every database (``render_as_batch``): SQLite cannot ALTER most
things and needs batch mode; on PostgreSQL batch operations are plain ALTERs, so one revision serves both.
"""

from __future__ import annotations

import asyncio
import os
from logging.config import fileConfig
from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy.engine import Connection
from sqlalchemy.types import TypeDecorator

from storage import types as storage_types
from storage.engine import build_engine
from storage.orm import metadata

DEFAULT_URL = "sqlite+aiosqlite:///./var/dms.sqlite3"

config = context.config
if config.config_file_name is not None and not config.attributes.get("skip_logging_config"):
    fileConfig(config.config_file_name, disable_existing_loggers=False)


def database_url() -> str:
    return config.get_main_option("sqlalchemy.url") or os.environ.get("DATABASE_URL") or DEFAULT_URL


def render_item(type_: str, obj: Any, autogen_context: AutogenContext) -> str | Literal[False]:
    """Render our column types as ``storage.types.X(...)`` (their storage differs per database)."""
    if type_ != "type" or not isinstance(obj, TypeDecorator) or type(obj).__module__ != storage_types.__name__:
        return False
    autogen_context.imports.add("import storage.types")
    if isinstance(obj, storage_types.Money):
        return "storage.types.Money()"
    if isinstance(obj, storage_types.ExactDecimal):
        return f"storage.types.ExactDecimal(precision={obj.precision}, scale={obj.scale})"
    if isinstance(obj, storage_types.StrEnumType):
        return f"storage.types.StrEnumType(length={obj.length})"
    return f"storage.types.{type(obj).__name__}()"


def configure(connection: Connection | None = None, **kwargs: Any) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=True,
        compare_type=True,
        render_item=render_item,
        **kwargs,
    )


def run_migrations_offline() -> None:
    configure(url=database_url(), literal_binds=True, dialect_opts={"paramstyle": "named"})
    with context.begin_transaction():
        context.run_migrations()


def do_run_migrations(connection: Connection) -> None:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        # batch migrations copy and drop tables; foreign keys would block that. Only effective outside a
        # transaction, which is where pysqlite is until the first write.
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
    configure(connection)
    with context.begin_transaction():
        context.run_migrations()
    if sqlite:
        connection.exec_driver_sql("PRAGMA foreign_keys=ON")


async def run_async_migrations() -> None:
    engine = build_engine(database_url())
    try:
        async with engine.connect() as connection:
            await connection.run_sync(do_run_migrations)
            await connection.commit()
    finally:
        await engine.dispose()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        do_run_migrations(connection)
    else:
        asyncio.run(run_async_migrations())


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
