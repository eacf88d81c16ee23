"""Demo data: a believable home-appliance maker (空气净化器 / 除湿机 / 净水器 / 滤网耗材) and its dealers.

``seed_demo_data(uow_factory, session_factory, clock, scale=1, seed=42)`` fills an EMPTY database
and does nothing (``DemoSummary.skipped``) when there is any dealer or product already.

What it makes, relative to ``clock.today()`` so the data always looks recent:

- 12 products in 4 categories with aliases (AP300 / 净化器300), tier price lists A/B/C, promotions;
- 30 dealers x ``scale`` across 7 regions (华东 华北 华南 西南 华中 东北 西北) with valid USCCs, contacts
  (phones encrypted by storage), addresses, a few sub-dealers, one under review, one prospect, one
  suspended; qualifications (three authorizations expiring within 30 days, one expired);
- staff users for every role (``zhang.orderdesk`` ...), an owner and a clerk for a few dealers;
- contracts with yearly targets and tiered rebates; 3 warehouses with stock and thresholds;
- 12 months of orders (SO-YYYYMMDD-NNNN, mostly closed, recent ones in every state) with ledger
  entries (payments, order charges and refunds, credit repayments, quarterly rebate accruals);
- sell-out with seasonality (dehumidifiers peak in the rainy season 5-7月, purifiers in winter);
- after-sales tickets, quality feedback, a running campaign with participants, marketing materials.

Deterministic for a seed: every dealer draws from its own ``random.Random`` seeded from (seed, code),
so the same seed gives the same rows whatever the chunking. Orders and sell-out go through
``storage.bulk`` (Core executemany), ledger entries through the ORM, 50 dealers per chunk;
``--scale 120`` makes about a million sell-out lines.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from bot.demo.operations import Operations
from bot.demo.photos import PHOTO_COLOURS, FilePut, demo_photo
from bot.demo.reference import ReferenceData
from bot.demo.trading import TradingHistory
from bot.demo.world import DemoSummary, UowFactory
from core.clock import Clock


async def seed_demo_data(uow_factory: UowFactory, session_factory: Any, clock: Clock, *, scale: int = 1,
                         seed: int = 42, progress: Callable[[str], None] | None = None,
                         months: int = 12, files: FilePut | None = None) -> DemoSummary:
    """Fill an empty database with demo data; do nothing when it holds any dealer or product.

    ``months`` of trading history (orders, ledger, sell-out) end this month; forecasting and its
    backtest want more than a year (``bench/reports.py`` seeds 36).
    """
    started = time.perf_counter()
    async with uow_factory() as uow:
        if await uow.dealers.count() or await uow.products.count():
            return DemoSummary(skipped=True)
    seeder = _Seeder(uow_factory, session_factory, clock, max(1, scale), seed, progress or (lambda _: None))
    seeder.months = max(1, months)
    await seeder.run()
    if files is not None:       # the photos the records name (``demo_photo``), stored once each
        for kind in PHOTO_COLOURS:
            await files.put(demo_photo(kind)[1], f"{kind}.jpg")
    return DemoSummary(counts=seeder.counts, seconds=time.perf_counter() - started)



class _Seeder(ReferenceData, TradingHistory, Operations):
    async def run(self) -> None:
        await self.reference_data()
        self.progress(f"dealers: {len(self.dealers)}")
        await self.trading_history()
        await self.operations()
        await self.knowledge_base()

    async def knowledge_base(self) -> None:
        """The FAQ knowledge base (nlu/data/faq_demo.md): payment, invoices, delivery, warranty, returns ..."""
        from nlu.kb_import import seed_demo_knowledge_base

        summary = await seed_demo_knowledge_base(self.uow_factory(), self.clock)
        self.count("faq_entries", len(summary.created))
