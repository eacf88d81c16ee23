"""Per-chat flood limit, in memory (one process): a sliding window of one minute.

The first message over the limit in a window is answered with a polite "slow down"
(``handlers.i18n`` key ``error.flood``); the rest are dropped silently until the window has room
again, so a flooding chat cannot make the bot flood Telegram in turn.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from enum import StrEnum


class FloodVerdict(StrEnum):
    ALLOW = "allow"
    WARN = "warn"          # over the limit: tell the sender once, drop the update
    DROP = "drop"          # over the limit and already told: drop silently


class FloodLimiter:
    SWEEP_EVERY = 1000

    def __init__(self, per_minute: int, *, window_seconds: float = 60.0,
                 now: Callable[[], float] = time.monotonic) -> None:
        self.per_minute = per_minute
        self.window = window_seconds
        self._now = now
        self._seen: dict[str, deque[float]] = {}
        self._warned: dict[str, float] = {}
        self._checks = 0

    def check(self, chat: str) -> FloodVerdict:
        now = self._now()
        self._checks += 1
        if self._checks % self.SWEEP_EVERY == 0:
            self._sweep(now)
        window = self._seen.setdefault(chat, deque())
        while window and now - window[0] >= self.window:
            window.popleft()
        if len(window) < self.per_minute:
            window.append(now)
            self._warned.pop(chat, None)
            return FloodVerdict.ALLOW
        warned_at = self._warned.get(chat)
        if warned_at is not None and now - warned_at < self.window:
            return FloodVerdict.DROP
        self._warned[chat] = now
        return FloodVerdict.WARN

    def _sweep(self, now: float) -> None:
        """Forget chats quiet for a whole window (the dict would otherwise grow with every chat ever seen)."""
        for chat in [c for c, w in self._seen.items() if not w or now - w[-1] >= self.window]:
            del self._seen[chat]
            self._warned.pop(chat, None)
