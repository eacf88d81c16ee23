"""bench/load.py, short: 20 chats for 10 s on PostgreSQL, then its books must balance.

The full run (``--seconds 300 --chats 200``) is in the README; this keeps the script working and its
checks honest: no errors, no lost update, no duplicate order, and real traffic of every kind.
"""

from __future__ import annotations

import asyncio
import os
import re
import sys
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from tests.e2e.conftest import _BASE_PG_URL

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parents[2]
LAST_LINE = re.compile(r"^load seconds=(\d+) chats=(\d+) requests=(\d+) rps=([\d.]+) p95_ms=(\d+) p99_ms=(\d+) "
                       r"errors=(\d+) lost=(\d+) duplicates=(\d+)$")


async def _drop(url: str) -> None:
    target = make_url(url)
    server = create_async_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        async with server.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
    finally:
        await server.dispose()


async def test_load_smoke_balances_its_books() -> None:
    url = str(make_url(_BASE_PG_URL).set(database=f"dms_load_smoke_{os.getpid()}"))
    try:
        process = await asyncio.create_subprocess_exec(
            sys.executable, str(ROOT / "bench" / "load.py"), "--seconds", "10", "--chats", "20",
            "--database-url", url, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT, cwd=ROOT)
        out, _ = await asyncio.wait_for(process.communicate(), 90)
    finally:
        await _drop(url)
    lines = out.decode().strip().splitlines()
    m = LAST_LINE.match(lines[-1]) if lines else None
    assert m, "\n".join(lines[-30:])
    seconds, chats, requests, rps, p95, p99, errors, lost, duplicates = (float(g) for g in m.groups())
    assert (errors, lost, duplicates) == (0, 0, 0), "\n".join(lines[-30:])
    assert process.returncode == 0
    assert chats == 20 and 10 <= seconds < 20
    assert requests >= 100 and rps >= 5            # it did work: 20 chats for 10 s
    table = "\n".join(lines)
    for kind in ("chat stock", "chat confirm", "api allocate", "api sellout", "api list"):
        count = re.search(rf"^{kind}\s+(\d+)", table, re.M)
        assert count and int(count.group(1)) > 0, f"no {kind} in\n{table}"
    confirmed = re.search(r"orders confirmed (\d+), allocated (\d+)", table)
    assert confirmed and int(confirmed.group(1)) == int(confirmed.group(2)) > 0
    assert p95 <= p99
