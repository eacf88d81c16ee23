"""Replay protection for the callback: a (timestamp, nonce) pair is accepted once.

A captured request replayed later fails the freshness check (``timestamp`` older than the window);
replayed within the window it fails here. Pairs are remembered for twice the window (the timestamp
may be ahead of our clock by as much as it may be behind). ``RedisNonceGuard`` shares them between
processes (``REDIS_URL``); ``InProcessNonceGuard`` serves one process.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, Protocol


class NonceGuard(Protocol):
    async def first_use(self, timestamp: str, nonce: str) -> bool:
        """Remember the pair; False when it was seen before (a replay)."""


class InProcessNonceGuard:
    SWEEP_EVERY = 1000

    def __init__(self, window: float = 300.0, *, now: Callable[[], float] = time.monotonic) -> None:
        self.keep = 2 * window
        self._now = now
        self._seen: dict[str, float] = {}
        self._calls = 0

    async def first_use(self, timestamp: str, nonce: str) -> bool:
        now = self._now()
        self._calls += 1
        if self._calls % self.SWEEP_EVERY == 0:
            self._seen = {k: t for k, t in self._seen.items() if t > now}
        key = f"{timestamp}:{nonce}"
        until = self._seen.get(key)
        if until is not None and until > now:
            return False
        self._seen[key] = now + self.keep
        return True


class RedisNonceGuard:
    def __init__(self, client: Any, window: float = 300.0, *, prefix: str = "dms:wecom:nonce:") -> None:
        self.client = client                      # redis.asyncio.Redis
        self.keep_ms = int(2 * window * 1000)
        self.prefix = prefix

    async def first_use(self, timestamp: str, nonce: str) -> bool:
        return bool(await self.client.set(f"{self.prefix}{timestamp}:{nonce}", "1", nx=True, px=self.keep_ms))
