"""Shared through Redis (``REDIS_URL``, the local server at 127.0.0.1:6379): the WeCom access token
(two processes, one ``gettoken``; a token revoked for one is replaced for both) and the callback's
nonces (a replay sent to another process is still a replay). Against the WeCom stand-in over HTTP."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio

from bot.wecom.client import RedisTokenCache, WeComClient
from bot.wecom.replay import RedisNonceGuard
from tests.e2e.wecom_standin import AGENT_ID, CORP_ID, SECRET, WeComStandIn

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest_asyncio.fixture
async def redis() -> AsyncIterator[Any]:
    from redis.asyncio import Redis

    client = Redis.from_url(REDIS_URL)
    try:
        await client.ping()
    except Exception as exc:  # noqa: BLE001 - no server, no test
        await client.aclose()
        pytest.skip(f"no Redis at {REDIS_URL}: {exc!r}")
    yield client
    await client.aclose()


@pytest_asyncio.fixture
async def standin() -> AsyncIterator[WeComStandIn]:
    async with WeComStandIn() as s:
        yield s


def process(standin: WeComStandIn, redis: Any, prefix: str) -> WeComClient:
    """One dms process's client: its own HTTP pool, the token in Redis."""
    return WeComClient(CORP_ID, SECRET, AGENT_ID, standin.base_url, cache=RedisTokenCache(redis, prefix=prefix))


async def test_two_processes_share_one_token_and_its_replacement(standin: WeComStandIn, redis: Any) -> None:
    prefix = f"test:wecom:{secrets.token_hex(4)}:"
    first, second = process(standin, redis, prefix), process(standin, redis, prefix)
    try:
        await first.send_text("li", "一")
        await second.send_text("li", "二")
        assert len(standin.calls_of("gettoken")) == 1
        ttl = await redis.pttl(f"{prefix}{CORP_ID}:{AGENT_ID}")
        assert 6_800_000 < ttl <= 6_900_000                  # 7200 s less the 5-minute margin
        standin.expire_tokens(40014)
        await first.send_text("li", "三")                     # refused, replaced, repeated
        await second.send_text("li", "四")                    # finds the new token in Redis
        assert len(standin.calls_of("gettoken")) == 2
        assert [m.text for m in standin.received("li")] == ["一", "二", "三", "四"]
        assert first.token_fetches + second.token_fetches == 2
    finally:
        await first.aclose()
        await second.aclose()
        await redis.delete(f"{prefix}{CORP_ID}:{AGENT_ID}")


async def test_a_stale_token_is_not_forgotten_over_a_newer_one(standin: WeComStandIn, redis: Any) -> None:
    prefix = f"test:wecom:{secrets.token_hex(4)}:"
    cache = RedisTokenCache(redis, prefix=prefix)
    await cache.set("k", "new-token", 60)
    await cache.forget("k", "old-token")                     # another process already replaced it
    assert await cache.get("k") == "new-token"
    await cache.forget("k", "new-token")
    assert await cache.get("k") is None


async def test_a_nonce_seen_by_one_process_is_a_replay_for_another(redis: Any) -> None:
    prefix = f"test:wecom:nonce:{secrets.token_hex(4)}:"
    one, two = RedisNonceGuard(redis, 300, prefix=prefix), RedisNonceGuard(redis, 300, prefix=prefix)
    assert await one.first_use("1764122400", "42") is True
    assert await two.first_use("1764122400", "42") is False
    assert await two.first_use("1764122400", "43") is True
    assert 590_000 < await redis.pttl(f"{prefix}1764122400:42") <= 600_000
