"""Time: always timezone-aware. Business dates are in the configured zone (Asia/Shanghai by default)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


class Clock:
    """Injectable clock; tests pass ``fixed``."""

    def __init__(self, tz: ZoneInfo = SHANGHAI, now: Callable[[], datetime] | None = None) -> None:
        self.tz = tz
        self._now = now or (lambda: datetime.now(UTC))

    def now(self) -> datetime:
        return self._now().astimezone(self.tz)

    def today(self) -> date:
        return self.now().date()

    @classmethod
    def fixed(cls, at: datetime, tz: ZoneInfo = SHANGHAI) -> Clock:
        if at.tzinfo is None:
            at = at.replace(tzinfo=tz)
        return cls(tz, lambda: at)
