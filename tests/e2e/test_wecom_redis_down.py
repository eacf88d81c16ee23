"""Redis down (``REDIS_URL`` set, nothing listening): WeCom keeps working on this process's token cache and replay
guard, says so once in the log, and goes back to Redis when it answers again."""

from __future__ import annotations

import logging
import secrets
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError

from bot.wecom.client import RedisTokenCache, WeComClient
from bot.wecom.fallback import FallbackNonceGuard, FallbackTokenCache
from bot.wecom.replay import RedisNonceGuard
from tests.e2e.wecom_standin import AGENT_ID, CORP_ID, SECRET, WeComStandIn

DEAD_REDIS = "redis://127.0.0.1:1/0"        # nothing listens on port 1
ERRORS = (RedisError, OSError)


@pytest_asyncio.fixture
async def standin() -> AsyncIterator[WeComStandIn]:
    async with WeComStandIn() as s:
        yield s


@pytest_asyncio.fixture
async def dead_redis() -> AsyncIterator[Any]:
    from redis.asyncio import Redis

    client = Redis.from_url(DEAD_REDIS, socket_connect_timeout=0.5)
    yield client
    await client.aclose()


async def test_messages_go_out_on_a_token_kept_in_this_process(standin: WeComStandIn, dead_redis: Any,
                                                                caplog: pytest.LogCaptureFixture) -> None:
    cache = FallbackTokenCache(RedisTokenCache(dead_redis), errors=ERRORS)
    client = WeComClient(CORP_ID, SECRET, AGENT_ID, standin.base_url, cache=cache)
    try:
        with caplog.at_level(logging.WARNING, logger="bot.wecom.fallback"):
            await client.send_text("li", "一")
            await client.send_text("li", "二")
            standin.expire_tokens(40014)
            await client.send_text("li", "三")          # refused, replaced (in this process), repeated
        assert [m.text for m in standin.received("li")] == ["一", "二", "三"]
        assert len(standin.calls_of("gettoken")) == 2 and cache.degraded
        assert sum("Redis unavailable" in r.getMessage() for r in caplog.records) == 1
    finally:
        await client.aclose()


async def test_replays_are_still_refused_while_redis_is_down(dead_redis: Any) -> None:
    guard = FallbackNonceGuard(RedisNonceGuard(dead_redis, 300), errors=ERRORS)
    assert await guard.first_use("1764122400", "42") is True
    assert await guard.first_use("1764122400", "42") is False
    assert await guard.first_use("1764122400", "43") is True
    assert guard.degraded


class FlakyRedis:
    """A primary that fails while ``down`` and works (with its own memory) otherwise."""

    def __init__(self) -> None:
        self.down = True
        self.values: dict[str, str] = {}
        self.nonces: set[str] = set()

    def _check(self) -> None:
        if self.down:
            raise RedisConnectionError("Connection refused")

    async def get(self, key: str) -> str | None:
        self._check()
        return self.values.get(key)

    async def set(self, key: str, token: str, ttl: float) -> None:
        self._check()
        self.values[key] = token

    async def forget(self, key: str, token: str) -> None:
        self._check()
        if self.values.get(key) == token:
            del self.values[key]

    async def first_use(self, timestamp: str, nonce: str) -> bool:
        self._check()
        key = f"{timestamp}:{nonce}"
        if key in self.nonces:
            return False
        self.nonces.add(key)
        return True


class Ticker:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def test_redis_is_tried_again_after_a_pause_and_used_when_back(caplog: pytest.LogCaptureFixture) -> None:
    primary, ticker = FlakyRedis(), Ticker()
    cache = FallbackTokenCache(primary, errors=ERRORS, retry_after=5, now=ticker)
    await cache.set("k", "local-token", 60)
    assert await cache.get("k") == "local-token" and cache.degraded
    primary.down = False
    primary.values["k"] = "shared-token"
    ticker.now = 4.9
    assert await cache.get("k") == "local-token"            # not retried yet
    ticker.now = 5.1
    with caplog.at_level(logging.WARNING, logger="bot.wecom.fallback"):
        assert await cache.get("k") == "shared-token"       # back: the shared token wins
    assert not cache.degraded and any("Redis is back" in r.getMessage() for r in caplog.records)

    guard_primary = FlakyRedis()
    guard = FallbackNonceGuard(guard_primary, errors=ERRORS, retry_after=5, now=ticker)
    nonce = secrets.token_hex(4)
    assert await guard.first_use("1", nonce) is True         # Redis down: remembered here
    guard_primary.down = False
    ticker.now += 10
    assert await guard.first_use("1", nonce) is False        # a replay to this process is still refused
    guard_primary.nonces.add("1:seen-elsewhere")
    assert await guard.first_use("1", "seen-elsewhere") is False   # another process saw it: Redis says so
