"""The seeder's shared state (clock, seed, counts, the dealers made so far)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from bot.demo.world import CATALOGUE, DemoDealer, UowFactory
from core.clock import Clock


class SeederBase:
    """State shared by the three phases: the clock, the random seed, what was made so far."""

    def __init__(self, uow_factory: UowFactory, session_factory: Any, clock: Clock, scale: int, seed: int,
                 progress: Callable[[str], None]) -> None:
        self.uow_factory = uow_factory
        self.session_factory = session_factory
        self.clock = clock
        self.scale = scale
        self.seed = seed
        self.progress = progress
        self.today = clock.today()
        self.now = clock.now()
        self.counts: dict[str, int] = {}
        self.months = 12                                    # of trading history
        self.products = {p.sku: p for p in CATALOGUE}
        self.dealers: list[DemoDealer] = []
        self.warehouse_ids: dict[str, int] = {}
        self.reserved: dict[tuple[str, str], int] = {}       # (warehouse code, sku) -> reserved units
        self.order_numbers: dict[date, int] = {}            # SO numbers used per day
        self.needs_approval: set[datetime] = set()          # showcase order placed beyond the dealer's funds
        self.recent_orders: list[tuple[str, int, str]] = []  # (number, dealer id, sku) for tickets

    def count(self, name: str, n: int = 1) -> None:
        self.counts[name] = self.counts.get(name, 0) + n
