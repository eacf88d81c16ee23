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
- ``FallbackRateLimiter``: Redis while it answers, the in-process windows while it does not (a log
  line each way); Redis is tried again every ``retry_after`` seconds, so the worker never stops on Redis.

A slot is taken when a send starts (``acquire``) and moved to the moment the send is over
(``settle``): the channel counts a message when it arrives, which is somewhere in between, so a window
reckoned from the later moment can never be fuller at the channel than here, however unevenly the
requests of a busy process leave it.

A channel's "too many requests" answer (Telegram 429 ``retry_after``) pauses its bot-wide key for
every worker: ``pause(key, seconds)``.
"""

from __future__ import annotations

import abc
import asyncio
import logging
import secrets
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from notifications.fallback import FallbackSwitch


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


@dataclass(frozen=True)
class Slot:
    """The slots one send took (``acquire``); hand it back to ``settle`` when the send is over."""

    limits: tuple[Limit, ...]
    token: str


class RateLimiter(abc.ABC):
    def __init__(self, *, sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep) -> None:
        self._sleep = sleep
        self._prefix = secrets.token_hex(4)
        self._n = 0

    def _token(self) -> str:
        self._n += 1
        return f"{self._prefix}:{self._n}"

    @abc.abstractmethod
    async def try_acquire(self, limits: Sequence[Limit], token: str | None = None) -> float:
        """Take one slot of every limit (named ``token``) and return 0, or take none and return the
        seconds to wait."""

    @abc.abstractmethod
    async def settle(self, slot: Slot) -> None:
        """The send is over: count its slots from now on (they were counted from ``acquire``)."""

    @abc.abstractmethod
    async def pause(self, key: str, seconds: float) -> None:
        """No slot of ``key`` for ``seconds`` (a longer pause already running is kept)."""

    async def acquire(self, limits: Sequence[Limit]) -> Slot:
        """Wait until every limit has room, then take one slot of each."""
        slot = Slot(tuple(limits), self._token())
        if not limits:
            return slot
        while True:
            wait = await self.try_acquire(limits, slot.token)
            if wait <= 0:
                return slot
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
        self._sent: dict[str, dict[str, float]] = {}      # key -> slot token -> when it counts from
        self._paused: dict[str, float] = {}
        self._lock = asyncio.Lock()
        self._calls = 0

    async def try_acquire(self, limits: Sequence[Limit], token: str | None = None) -> float:
        token = token or self._token()
        async with self._lock:
            now = self._now()
            self._calls += 1
            if self._calls % self.SWEEP_EVERY == 0:
                self._sweep(now)
            wait = max((self._paused.get(lim.key, 0.0) - now for lim in limits), default=0.0)
            if wait > 0:
                return wait
            for lim in limits:
                window = self._sent.setdefault(lim.key, {})
                for old in [t for t, at in window.items() if at <= now - lim.window]:
                    del window[old]
                if len(window) >= lim.limit:
                    times = sorted(window.values())
                    wait = max(wait, times[len(times) - lim.limit] + lim.window - now)
            if wait > 0:
                return wait
            for lim in limits:
                self._sent[lim.key][token] = now
            return 0.0

    async def settle(self, slot: Slot) -> None:
        async with self._lock:
            now = self._now()
            for lim in slot.limits:
                window = self._sent.get(lim.key)
                if window is not None and slot.token in window:
                    window[slot.token] = max(window[slot.token], now)

    async def pause(self, key: str, seconds: float) -> None:
        async with self._lock:
            until = self._now() + seconds
            self._paused[key] = max(self._paused.get(key, 0.0), until)

    def _sweep(self, now: float) -> None:
        """Forget chats that have been quiet for a while (a broadcast touches thousands of keys)."""
        for key in [k for k, w in self._sent.items() if not w or max(w.values()) <= now - 120.0]:
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

# KEYS: the window keys of a slot; ARGV[1]: its member. Moves the member's score to now (when it exists).
_SETTLE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
for i = 1, #KEYS do
  redis.call('ZADD', KEYS[i], 'XX', now, ARGV[1])
end
return 1
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
        self._settle = client.register_script(_SETTLE)
        self._pause = client.register_script(_PAUSE)

    @classmethod
    def from_url(cls, url: str, **kwargs: Any) -> RedisRateLimiter:
        from redis.asyncio import Redis

        return cls(Redis.from_url(url), **kwargs)

    async def try_acquire(self, limits: Sequence[Limit], token: str | None = None) -> float:
        keys = [self.prefix + "w:" + lim.key for lim in limits] + [self.prefix + "p:" + lim.key for lim in limits]
        args: list[Any] = []
        for lim in limits:
            args += [lim.limit, int(lim.window * 1_000_000)]
        args.append(token or self._token())
        wait_us = int(await self._acquire(keys=keys, args=args))
        return wait_us / 1_000_000

    async def settle(self, slot: Slot) -> None:
        if slot.limits:
            await self._settle(keys=[self.prefix + "w:" + lim.key for lim in slot.limits], args=[slot.token])

    async def pause(self, key: str, seconds: float) -> None:
        await self._pause(keys=[self.prefix + "p:" + key], args=[max(int(seconds * 1000), 1)])

    async def aclose(self) -> None:
        await self.client.aclose()


class FallbackRateLimiter(RateLimiter):
    """``primary`` (Redis) while it works; on one of ``errors`` the in-process ``fallback`` takes over
    (limits then hold per process only, which is the worst case of a Redis outage, not a stopped worker),
    and ``primary`` is tried again after ``retry_after`` seconds."""

    def __init__(self, primary: RateLimiter, fallback: RateLimiter, *,
                 errors: tuple[type[BaseException], ...] = (OSError, ConnectionError),
                 retry_after: float = 5.0, now: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self.primary, self.fallback = primary, fallback
        self._switch = FallbackSwitch(_log, "rate limiter: Redis unavailable, limiting in this process only",
                                      "rate limiter: Redis is back, limits shared again",
                                      errors=errors, retry_after=retry_after, now=now)

    @property
    def degraded(self) -> bool:
        return self._switch.degraded

    async def _call(self, method: str, *args: Any) -> Any:
        return await self._switch.call(lambda: getattr(self.primary, method)(*args),
                                       lambda: getattr(self.fallback, method)(*args))

    async def try_acquire(self, limits: Sequence[Limit], token: str | None = None) -> float:
        return float(await self._call("try_acquire", limits, token))

    async def settle(self, slot: Slot) -> None:
        await self._call("settle", slot)

    async def pause(self, key: str, seconds: float) -> None:
        await self.fallback.pause(key, seconds)      # both know the pause: it must hold whichever answers
        await self._call("pause", key, seconds)

    async def aclose(self) -> None:
        await self.primary.aclose()
        await self.fallback.aclose()


_log = logging.getLogger(__name__)
