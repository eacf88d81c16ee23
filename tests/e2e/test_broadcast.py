"""bench/broadcast.py end to end (small N): its own 30 msg/s stand-in, and ``--api-base`` to another Bot API
server; the last line is the report the issue fixes."""

from __future__ import annotations

import asyncio
import os
import re
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest_asyncio

from tests.e2e.telegram_standin import TelegramStandIn

ROOT = Path(__file__).resolve().parents[2]
LAST_LINE = re.compile(r"^broadcast n=(\d+) seconds=([\d.]+) min_seconds=([\d.]+) ratio=([\d.]+) "
                       r"lost=(\d+) duplicated=(\d+) http_429=(\d+)$")


@pytest_asyncio.fixture
async def standin() -> AsyncIterator[TelegramStandIn]:
    async with TelegramStandIn() as s:
        yield s


async def bench(*args: str) -> tuple[list[str], re.Match[str]]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = await asyncio.create_subprocess_exec(sys.executable, str(ROOT / "bench" / "broadcast.py"), *args,
                                                   cwd=ROOT, env=env, stdout=asyncio.subprocess.PIPE,
                                                   stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(process.communicate(), 120)
    lines = out.decode().strip().splitlines()
    assert process.returncode == 0, err.decode()[-2000:]
    match = LAST_LINE.match(lines[-1])
    assert match, lines[-1]
    return lines, match


async def test_a_broadcast_through_the_rate_limited_stand_in_loses_nothing() -> None:
    lines, m = await bench("--n", "60")
    n, seconds, minimum, ratio, lost, duplicated, http_429 = m.groups()
    assert (n, minimum, lost, duplicated) == ("60", "2.00", "0", "0")
    assert int(http_429) == 0
    assert 0.5 < float(ratio) < 1.3 and abs(float(seconds) / float(minimum) - float(ratio)) < 0.01
    assert any("set up 60 bound recipients" in line for line in lines)


async def test_api_base_sends_to_another_bot_api_server(standin: TelegramStandIn) -> None:
    _, m = await bench("--n", "30", "--api-base", standin.base_url, "--token", standin.token)
    assert m.group(5, 6, 7) == ("0", "0", "0")
    assert len(standin.messages) == 30 and all(len(sent) == 1 for sent in standin.messages.values())
    assert all("冬季换新活动" in sent[0].text for sent in standin.messages.values())
