"""What every back-office page group holds: a unit of work per request, the clock, the page frame and escaping."""

from __future__ import annotations

from collections.abc import Callable

from starlette.responses import Response

from core.clock import Clock
from core.ports import AbstractUnitOfWork


class BackofficePages:
    def __init__(self, uow_factory: Callable[[], AbstractUnitOfWork], clock: Clock,
                 page: Callable[[str, str], Response], escape: Callable[[object], str]) -> None:
        self.uow_factory = uow_factory
        self.clock = clock
        self._page = page
        self._e = escape
