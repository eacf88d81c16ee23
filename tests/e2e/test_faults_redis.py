"""Redis down: the outbox's rate limiter falls back to this process and comes back to Redis by itself.

A private ``redis-server`` on a free port (never the shared one on 6379) is killed and restarted. The
WeCom token cache and its expiry mid-run are covered in ``test_wecom_journeys.py``
(``test_a_token_revoked_mid_run_is_replaced_and_the_reply_still_arrives``) and ``test_wecom_redis.py``;
Bot API 5xx and 429 in ``test_worker_telegram.py`` (retried with backoff, ``retry_after`` honoured).
"""

from __future__ import annotations

import asyncio
import logging
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator

import pytest

from notifications.ratelimit import FallbackRateLimiter, InProcessRateLimiter, Limit, RedisRateLimiter

REDIS_SERVER = shutil.which("redis-server")


class PrivateRedis:
    def __init__(self) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = int(sock.getsockname()[1])
        self.dir = tempfile.mkdtemp(prefix="dms-redis-fault-")
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        assert REDIS_SERVER
        self.process = subprocess.Popen([REDIS_SERVER, "--bind", "127.0.0.1", "--port", str(self.port), "--save", "",
                                         "--appendonly", "no", "--dir", self.dir],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(100):
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            subprocess.run(["sleep", "0.05"])
        raise AssertionError("redis-server did not start")

    def kill(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(10)
            self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"


@pytest.fixture
def private_redis() -> Iterator[PrivateRedis]:
    if REDIS_SERVER is None:
        pytest.skip("no redis-server binary to start a private Redis")
    server = PrivateRedis()
    server.start()
    try:
        yield server
    finally:
        server.kill()
        shutil.rmtree(server.dir, ignore_errors=True)


async def test_redis_down_limits_in_process_with_a_log_line_and_recovers(
        private_redis: PrivateRedis, caplog: pytest.LogCaptureFixture) -> None:
    from redis.asyncio import Redis
    from redis.exceptions import RedisError

    client = Redis.from_url(private_redis.url, socket_connect_timeout=1, socket_timeout=1)
    limiter = FallbackRateLimiter(RedisRateLimiter(client, prefix="fault:"), InProcessRateLimiter(),
                                  errors=(RedisError, OSError), retry_after=0.3)
    one_per_minute = [Limit("chat:1", 1, 60.0)]
    try:
        assert await limiter.try_acquire(one_per_minute) == 0
        assert await limiter.try_acquire(one_per_minute) > 0          # Redis holds the window
        assert await client.exists("fault:w:chat:1") == 1

        private_redis.kill()
        caplog.set_level(logging.WARNING, logger="notifications.ratelimit")
        assert await limiter.try_acquire([Limit("chat:2", 1, 60.0)]) == 0   # still answers, from this process
        assert limiter.degraded
        assert await limiter.try_acquire([Limit("chat:2", 1, 60.0)]) > 0    # and still limits
        assert any("Redis unavailable" in r.getMessage() for r in caplog.records)
        slot = await asyncio.wait_for(limiter.acquire([Limit("chat:3", 5, 1.0)]), 5)  # the worker's call
        await limiter.settle(slot)

        private_redis.start()
        await asyncio.sleep(0.4)
        assert await limiter.try_acquire([Limit("chat:4", 1, 60.0)]) == 0
        assert not limiter.degraded
        assert await client.exists("fault:w:chat:4") == 1                 # shared through Redis again
        assert any("Redis is back" in r.getMessage() for r in caplog.records)
    finally:
        await limiter.aclose()


def test_the_worker_builds_the_fallback_limiter_when_redis_is_configured() -> None:
    from bot.notify_senders import build_limiter
    from bot.settings import Settings

    with_redis = build_limiter(Settings(_env_file=None, redis_url="redis://127.0.0.1:1/0"))  # type: ignore[call-arg]
    assert isinstance(with_redis, FallbackRateLimiter)
    assert isinstance(with_redis.primary, RedisRateLimiter)
    assert isinstance(build_limiter(Settings(_env_file=None, redis_url=None)),  # type: ignore[call-arg]
                      InProcessRateLimiter)
