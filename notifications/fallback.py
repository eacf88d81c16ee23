"""Redis when it answers, this process when it does not: the switch behind every shared-state fallback (the
outbox rate limits, WeCom's token cache and replay guard).

``FallbackSwitch.call(primary, fallback)`` runs ``primary``; on one of ``errors`` it logs once, runs ``fallback``
and keeps using it for ``retry_after`` seconds, then tries ``primary`` again and logs when it is back.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

R = TypeVar("R")


class FallbackSwitch:
    def __init__(self, log: logging.Logger, down_message: str, back_message: str, *,
                 errors: tuple[type[BaseException], ...] = (OSError, ConnectionError), retry_after: float = 5.0,
                 now: Callable[[], float] = time.monotonic) -> None:
        self.log, self.down_message, self.back_message = log, down_message, back_message
        self.errors, self.retry_after, self._now = errors, retry_after, now
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
                    self.log.warning(self.down_message, extra={"error": f"{type(exc).__name__}: {exc}"[:200]})
                self._down_until = self._now() + self.retry_after
            else:
                if self._down_until is not None:
                    self.log.warning(self.back_message)
                    self._down_until = None
                return result
        return await fallback()
