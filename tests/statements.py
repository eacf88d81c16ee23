"""A statement budget for tests, like Django's ``assertNumQueries``: count what the database is asked.

    with count_statements(engine) as seen:
        await world.say(...)
    assert seen.statements <= 9, seen.report()

Counted on the engine's synchronous core (``before_cursor_execute``, ``commit``, ``rollback``), so it works for
every dialect and for ORM and Core statements alike. ``round_trips`` is what reaches the server: statements
plus transaction ends (a BEGIN is sent with the first statement on both drivers we use). On a connection in
AUTOCOMMIT (``uow.autocommit()``) nothing begins or ends: a write there is its own commit (counted in
``commits``, no round trip of its own) and SQLAlchemy's commit/rollback events send nothing (not counted).
"""

from __future__ import annotations

import os
import re
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from storage import driver


@dataclass
class Seen:
    sql: list[str] = field(default_factory=list)
    commits: int = 0
    rollbacks: int = 0
    implicit_commits: int = 0       # writes on AUTOCOMMIT connections (in ``commits`` too)
    sites: list[str] = field(default_factory=list)

    @property
    def statements(self) -> int:
        return len(self.sql)

    @property
    def round_trips(self) -> int:
        return self.statements + self.commits - self.implicit_commits + self.rollbacks

    @property
    def writes(self) -> int:
        return sum(1 for s in self.sql if is_write(s))

    def report(self) -> str:
        lines = [f"{self.statements} statements ({self.writes} writes), {self.commits} commits, "
                 f"{self.rollbacks} rollbacks, {self.round_trips} round trips:"]
        lines += [f"  {n:2}. {' '.join(s.split())[:160]}" + (f"\n        <- {self.sites[n - 1]}" if self.sites else "")
                  for n, s in enumerate(self.sql, 1)]
        return "\n".join(lines)


#: ``DMS_STATEMENT_SITES=1``: the report names, under each statement, the project frames that sent it
_TRACE = bool(os.environ.get("DMS_STATEMENT_SITES"))
_OURS = ("/handlers/", "/core/", "/storage/", "/nlu/", "/bot/", "/notifications/")


def _call_site() -> str:
    import greenlet  # SQLAlchemy runs the driver in a child greenlet: the caller's frames are in its parent

    parent = greenlet.getcurrent().parent
    stack = traceback.extract_stack(parent.gr_frame) if parent is not None and parent.gr_frame else []
    frames = [f for f in stack + traceback.extract_stack()[:-2] if any(p in f.filename for p in _OURS)]
    return " < ".join(f"{f.filename.rsplit('/', 2)[-2]}/{f.filename.rsplit('/', 1)[-1]}:{f.lineno} {f.name}"
                      for f in reversed(frames[-5:]))


_WRITE_IN_CTE = re.compile(r"\bAS\s*\(\s*(?:INSERT|UPDATE|DELETE)\b", re.IGNORECASE)


def is_write(statement: str) -> bool:
    """INSERT / UPDATE / DELETE, also as a CTE of a SELECT (``WITH taken AS (INSERT ...) SELECT ...``)."""
    first = statement.split(None, 1)[0].upper()
    return first in {"INSERT", "UPDATE", "DELETE"} or (first == "WITH" and bool(_WRITE_IN_CTE.search(statement)))


@contextmanager
def count_statements(engine: AsyncEngine, *more: AsyncEngine) -> Iterator[Seen]:
    """Count every statement, commit and rollback on ``engine`` (and on ``more``: the counter pool of order
    numbers, say) inside the block."""
    seen = Seen()
    syncs = [e.sync_engine for e in (engine, *more)]

    def autocommit(conn: Any) -> bool:
        return conn.get_execution_options().get("isolation_level") == "AUTOCOMMIT"

    def on_execute(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.sql.append(statement)
        if _TRACE:
            seen.sites.append(_call_site())
        if autocommit(conn) and is_write(statement):
            seen.commits += 1
            seen.implicit_commits += 1

    def on_commit(conn: Any) -> None:
        if not autocommit(conn):
            seen.commits += 1

    def on_rollback(conn: Any) -> None:
        if not autocommit(conn):
            seen.rollbacks += 1

    pools = [sync.pool for sync in syncs]

    def on_driver(pool: Any, statement: str, in_transaction: bool) -> None:     # storage.driver
        if any(pool is p for p in pools):
            seen.sql.append(statement)
            if _TRACE:
                seen.sites.append(_call_site())
            if is_write(statement) and not in_transaction:        # outside a transaction: as AUTOCOMMIT
                seen.commits += 1
                seen.implicit_commits += 1

    listeners = (("before_cursor_execute", on_execute), ("commit", on_commit), ("rollback", on_rollback))
    for sync in syncs:
        for name, fn in listeners:
            event.listen(sync, name, fn)
    driver.WATCHERS.append(on_driver)
    try:
        yield seen
    finally:
        driver.WATCHERS.remove(on_driver)
        for sync in syncs:
            for name, fn in listeners:
                event.remove(sync, name, fn)
