"""Rate limits as the channels set them, shared by every worker process.

Telegram allows a bot about 30 messages per second overall, 1 per second in one chat and 20 per
minute in one group; WeCom limits each app (calls per minute) and what one member may receive per
minute. Each rule is a sliding window (at most ``limit`` sends in any ``window`` seconds) on a key
(``telegram:bot``, ``telegram:chat:1001``, ``wecom:user:zhangsan``); a send takes one slot of every
rule that applies to its chat, all or nothing. Windows are ``margin`` longer than the channel's own so
network jitter does not push a burst over the channel's limit on arrival.

Two implementations of ``RateLimiter``:

- ``InProcessRateLimiter``: one process (``dms run`` without Redis, tests);
- ``RedisRateLimiter``: every process shares the windows through Redis (``REDIS_URL``): one Lua script
  checks and takes the slots atomically, with Redis' own clock, in sorted sets per key.

A channel's "too many requests" answer (Telegram 429 ``retry_after``) pauses its bot-wide key for
every worker: ``pause(key, seconds)``.
"""

from __future__ import annotations

import abc
import asyncio
import secrets
import time
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Limit:
    key: str
    limit: int
    window: float          # seconds


@dataclass(frozen=True)
class RateLimits:
    """The rules per channel (settings ``NOTIFY_*``); ``for_chat`` lists those of one chat."""

    telegram_per_second: int = 30
    telegram_chat_per_second: int = 1
    telegram_group_per_minute: int = 20
    wecom_per_minute: int = 10_000          # one app, all members together
    wecom_member_per_minute: int = 30       # what one member may receive
    margin: float = 0.02

    def bot_key(self, channel: str) -> str:
        """The key a flood wait pauses: everything this channel sends."""
        return f"{channel}:bot"

    def for_chat(self, channel: str, chat_id: str) -> list[Limit]:
        stretch = 1.0 + self.margin
        if channel == "telegram":
            rules = [Limit(self.bot_key(channel), self.telegram_per_second, stretch),
                     Limit(f"telegram:chat:{chat_id}", self.telegram_chat_per_second, stretch)]
            if chat_id.startswith("-"):           # groups and channels have negative ids
                rules.append(Limit(f"telegram:group:{chat_id}", self.telegram_group_per_minute, 60 * stretch))
            return rules
        if channel == "wecom":
            return [Limit(self.bot_key(channel), self.wecom_per_minute, 60 * stretch),
                    Limit(f"wecom:user:{chat_id}", self.wecom_member_per_minute, 60 * stretch)]
        return []                                  # local chats (console, web): no limits


class RateLimiter(abc.ABC):
    def __init__(self, *, sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep) -> None:
        self._sleep = sleep

    @abc.abstractmethod
    async def try_acquire(self, limits: Sequence[Limit]) -> float:
        """Take one slot of every limit and return 0, or take none and return the seconds to wait."""

    @abc.abstractmethod
    async def pause(self, key: str, seconds: float) -> None:
        """No slot of ``key`` for ``seconds`` (a longer pause already running is kept)."""

    async def acquire(self, limits: Sequence[Limit]) -> None:
        """Wait until every limit has room, then take one slot of each."""
        if not limits:
            return
        while True:
            wait = await self.try_acquire(limits)
            if wait <= 0:
                return
            await self._sleep(wait)

    async def aclose(self) -> None:
        return None


class InProcessRateLimiter(RateLimiter):
    """Sliding windows in memory: correct for the tasks of one process."""

    SWEEP_EVERY = 5000

    def __init__(self, *, now: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep) -> None:
        super().__init__(sleep=sleep)
        self._now = now
        self._sent: dict[str, deque[float]] = {}
        self._paused: dict[str, float] = {}
        self._lock = asyncio.Lock()
        self._calls = 0

    async def try_acquire(self, limits: Sequence[Limit]) -> float:
        async with self._lock:
            now = self._now()
            self._calls += 1
            if self._calls % self.SWEEP_EVERY == 0:
                self._sweep(now, max(lim.window for lim in limits))
            wait = max((self._paused.get(lim.key, 0.0) - now for lim in limits), default=0.0)
            if wait > 0:
                return wait
            for lim in limits:
                window = self._sent.setdefault(lim.key, deque())
                while window and window[0] <= now - lim.window:
                    window.popleft()
                if len(window) >= lim.limit:
                    wait = max(wait, window[len(window) - lim.limit] + lim.window - now)
            if wait > 0:
                return wait
            for lim in limits:
                self._sent[lim.key].append(now)
            return 0.0

    async def pause(self, key: str, seconds: float) -> None:
        async with self._lock:
            until = self._now() + seconds
            self._paused[key] = max(self._paused.get(key, 0.0), until)

    def _sweep(self, now: float, horizon: float) -> None:
        """Forget chats that have been quiet for a while (a broadcast touches thousands of keys)."""
        for key in [k for k, w in self._sent.items() if not w or w[-1] <= now - max(horizon, 60.0)]:
            del self._sent[key]


# KEYS: n window keys, then n pause keys. ARGV: limit_1, window_us_1, ..., limit_n, window_us_n, member.
# Returns 0 when a slot of every window was taken, else the microseconds to wait.
_ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local n = #KEYS / 2
local wait = 0
for i = 1, n do
  local ttl = redis.call('PTTL', KEYS[n + i])
  if ttl > 0 and ttl * 1000 > wait then wait = ttl * 1000 end
end
if wait > 0 then return wait end
for i = 1, n do
  local limit = tonumber(ARGV[2 * i - 1])
  local window = tonumber(ARGV[2 * i])
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now - window)
  local count = redis.call('ZCARD', KEYS[i])
  if count >= limit then
    local edge = redis.call('ZRANGE', KEYS[i], count - limit, count - limit, 'WITHSCORES')
    local w = tonumber(edge[2]) + window - now
    if w > wait then wait = w end
  end
end
if wait > 0 then return wait end
local member = ARGV[#ARGV]
for i = 1, n do
  redis.call('ZADD', KEYS[i], now, member)
  redis.call('PEXPIRE', KEYS[i], math.ceil(tonumber(ARGV[2 * i]) / 1000) + 1000)
end
return 0
"""

_PAUSE = """
local ttl = redis.call('PTTL', KEYS[1])
if ttl < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], '1', 'PX', ARGV[1]) end
return 1
"""


class RedisRateLimiter(RateLimiter):
    """Sliding windows in Redis, shared by every process using the same ``prefix``."""

    def __init__(self, client: Any, *, prefix: str = "dms:rl:",
                 sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep) -> None:
        super().__init__(sleep=sleep)
        self.client = client                      # redis.asyncio.Redis
        self.prefix = prefix
        self._acquire = client.register_script(_ACQUIRE)
        self._pause = client.register_script(_PAUSE)
        self._token = secrets.token_hex(4)
        self._n = 0

    @classmethod
    def from_url(cls, url: str, **kwargs: Any) -> RedisRateLimiter:
        from redis.asyncio import Redis

        return cls(Redis.from_url(url), **kwargs)

    async def try_acquire(self, limits: Sequence[Limit]) -> float:
        self._n += 1
        keys = [self.prefix + "w:" + lim.key for lim in limits] + [self.prefix + "p:" + lim.key for lim in limits]
        args: list[Any] = []
        for lim in limits:
            args += [lim.limit, int(lim.window * 1_000_000)]
        args.append(f"{self._token}:{self._n}")
        wait_us = int(await self._acquire(keys=keys, args=args))
        return wait_us / 1_000_000

    async def pause(self, key: str, seconds: float) -> None:
        await self._pause(keys=[self.prefix + "p:" + key], args=[max(int(seconds * 1000), 1)])

    async def aclose(self) -> None:
        await self.client.aclose()
