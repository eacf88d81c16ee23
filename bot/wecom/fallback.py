"""Redis down, WeCom still up: the token cache and the replay guard fall back to this process.

With ``REDIS_URL`` set, the access token and the callback nonces are shared through Redis. When Redis does not
answer, a callback must still be taken (and a replay still refused) and replies must still go out: both wrappers
use their in-process twin on a Redis error, log it once, and try Redis again ``retry_after`` seconds later.
During the outage each process fetches its own token (WeCom allows several valid tokens) and a replay is caught
only by the process that saw the first request: the worst case of an outage, not a stopped channel.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from bot.wecom.client import InProcessTokenCache, TokenCache
from bot.wecom.replay import InProcessNonceGuard, NonceGuard

log = logging.getLogger(__name__)

R = TypeVar("R")


class _Fallback:
    def __init__(self, what: str, errors: tuple[type[BaseException], ...], retry_after: float,
                 now: Callable[[], float]) -> None:
        self.what, self.errors, self.retry_after, self._now = what, errors, retry_after, now
        self._down_until: float | None = None

    @property
    def degraded(self) -> bool:
        return self._down_until is not None

    async def call(self, primary: Callable[[], Awaitable[R]], fallback: Callable[[], Awaitable[R]]) -> R:
        if self._down_until is None or self._now() >= self._down_until:
            try:
                result = await primary()
            except self.errors as exc:
                if self._down_until is None:
                    log.warning(f"wecom {self.what}: Redis unavailable, kept in this process only",
                                extra={"error": f"{type(exc).__name__}: {exc}"[:200]})
                self._down_until = self._now() + self.retry_after
            else:
                if self._down_until is not None:
                    log.warning(f"wecom {self.what}: Redis is back, shared again")
                    self._down_until = None
                return result
        return await fallback()


class FallbackTokenCache:
    def __init__(self, primary: TokenCache, fallback: InProcessTokenCache | None = None, *,
                 errors: tuple[type[BaseException], ...] = (OSError, ConnectionError), retry_after: float = 5.0,
                 now: Callable[[], float] = time.monotonic) -> None:
        self.primary, self.fallback = primary, fallback or InProcessTokenCache()
        self._switch = _Fallback("token cache", errors, retry_after, now)

    @property
    def degraded(self) -> bool:
        return self._switch.degraded

    async def get(self, key: str) -> str | None:
        return await self._switch.call(lambda: self.primary.get(key), lambda: self.fallback.get(key))

    async def set(self, key: str, token: str, ttl: float) -> None:
        await self.fallback.set(key, token, ttl)      # kept here too: the next outage starts with a token
        await self._switch.call(lambda: self.primary.set(key, token, ttl), _nothing)

    async def forget(self, key: str, token: str) -> None:
        await self.fallback.forget(key, token)
        await self._switch.call(lambda: self.primary.forget(key, token), _nothing)


class FallbackNonceGuard:
    def __init__(self, primary: NonceGuard, fallback: InProcessNonceGuard | None = None, *,
                 errors: tuple[type[BaseException], ...] = (OSError, ConnectionError), retry_after: float = 5.0,
                 now: Callable[[], float] = time.monotonic) -> None:
        self.primary, self.fallback = primary, fallback or InProcessNonceGuard()
        self._switch = _Fallback("replay guard", errors, retry_after, now)

    @property
    def degraded(self) -> bool:
        return self._switch.degraded

    async def first_use(self, timestamp: str, nonce: str) -> bool:
        # this process always remembers the pair too, so a replay to it is refused while Redis is away
        here = await self.fallback.first_use(timestamp, nonce)
        shared = await self._switch.call(lambda: self.primary.first_use(timestamp, nonce), lambda: _value(here))
        return here and shared


async def _nothing() -> None:
    return None


async def _value(value: Any) -> Any:
    return value
