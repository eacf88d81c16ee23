"""The rate limits shared through the real Redis (127.0.0.1:6379, or DMS_TEST_REDIS_URL): two limiter
instances stand for two worker processes."""

from __future__ import annotations

import asyncio
import os
import secrets
import time
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from redis.asyncio import Redis

from notifications.ratelimit import Limit, RedisRateLimiter

REDIS_URL = os.environ.get("DMS_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest_asyncio.fixture
async def prefix() -> AsyncIterator[str]:
    client = Redis.from_url(REDIS_URL)
    try:
        await client.ping()
    except OSError:
        pytest.skip("Redis is not running")
    name = f"dms-test:{secrets.token_hex(4)}:"
    try:
        yield name
    finally:
        keys = [k async for k in client.scan_iter(match=name + "*")]
        if keys:
            await client.delete(*keys)
        await client.aclose()


async def test_two_processes_share_one_window(prefix: str) -> None:
    a = RedisRateLimiter.from_url(REDIS_URL, prefix=prefix)
    b = RedisRateLimiter.from_url(REDIS_URL, prefix=prefix)
    rule = [Limit("telegram:bot", 10, 0.5)]
    times: list[float] = []

    async def send(limiter: RedisRateLimiter, n: int) -> None:
        for _ in range(n):
            await limiter.acquire(rule)
            times.append(time.monotonic())

    start = time.monotonic()
    try:
        await asyncio.gather(send(a, 20), send(b, 20))
    finally:
        await a.aclose()
        await b.aclose()
    elapsed = time.monotonic() - start
    # 40 sends at 10 per half second: the last window opens 1.5 s after the first
    assert 1.45 <= elapsed < 3.0
    times.sort()
    assert max(sum(1 for t in times if s <= t < s + 0.48) for s in times) <= 10


async def test_a_pause_in_one_process_holds_the_other(prefix: str) -> None:
    a = RedisRateLimiter.from_url(REDIS_URL, prefix=prefix)
    b = RedisRateLimiter.from_url(REDIS_URL, prefix=prefix)
    try:
        await a.pause("telegram:bot", 0.4)
        wait = await b.try_acquire([Limit("telegram:bot", 30, 1.0)])
        assert 0.2 < wait <= 0.4
        await b.pause("telegram:bot", 0.05)                   # shorter: the longer pause stays
        assert await a.try_acquire([Limit("telegram:bot", 30, 1.0)]) > 0.2
        await asyncio.sleep(wait + 0.05)
        assert await b.try_acquire([Limit("telegram:bot", 30, 1.0)]) == 0
    finally:
        await a.aclose()
        await b.aclose()


async def test_slots_are_taken_all_or_nothing(prefix: str) -> None:
    rl = RedisRateLimiter.from_url(REDIS_URL, prefix=prefix)
    chat = Limit("telegram:chat:1001", 1, 1.0)
    bot = Limit("telegram:bot", 3, 1.0)
    try:
        assert await rl.try_acquire([bot, chat]) == 0
        assert await rl.try_acquire([bot, chat]) > 0.5           # the chat is full: nothing taken
        assert [await rl.try_acquire([bot]) for _ in range(3)][:2] == [0, 0]
        assert await rl.try_acquire([bot]) > 0                   # 1 + 2 = 3 slots: the bot is full now
    finally:
        await rl.aclose()


async def test_settling_a_slot_counts_it_from_the_end_of_the_send(prefix: str) -> None:
    rl = RedisRateLimiter.from_url(REDIS_URL, prefix=prefix)
    rule = [Limit("telegram:bot", 2, 0.5)]
    try:
        slots = [await rl.acquire(rule) for _ in range(2)]
        await asyncio.sleep(0.2)
        for slot in slots:
            await rl.settle(slot)
        wait = await rl.try_acquire(rule)
        assert 0.4 < wait <= 0.5                 # from the settle, not 0.3 from the acquire
    finally:
        await rl.aclose()
