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
from collections.abc import Callable
from typing import Any

from bot.wecom.client import InProcessTokenCache, TokenCache
from bot.wecom.replay import InProcessNonceGuard, NonceGuard
from notifications.fallback import FallbackSwitch

log = logging.getLogger(__name__)


class FallbackTokenCache:
    def __init__(self, primary: TokenCache, fallback: InProcessTokenCache | None = None, *,
                 errors: tuple[type[BaseException], ...] = (OSError, ConnectionError), retry_after: float = 5.0,
                 now: Callable[[], float] = time.monotonic) -> None:
        self.primary, self.fallback = primary, fallback or InProcessTokenCache()
        self._switch = FallbackSwitch(log, "wecom token cache: Redis unavailable, kept in this process only",
                                      "wecom token cache: Redis is back, shared again",
                                      errors=errors, retry_after=retry_after, now=now)

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
        self._switch = FallbackSwitch(log, "wecom replay guard: Redis unavailable, kept in this process only",
                                      "wecom replay guard: Redis is back, shared again",
                                      errors=errors, retry_after=retry_after, now=now)

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
