"""The forecast backtest on demo data (36 months, scale 1) through the SQL store, on SQLite.

What is true of this data and asserted: per SKU (orders, 12 smooth seasonal series) Holt-Winters beats the
seasonal-naive baseline on pooled sMAPE and MASE. Per dealer x SKU (sell-out, a handful of units a month) the
series are mostly noise: both methods are scored and reported, and no winner is asserted there (at scale 120
Holt-Winters had the lower pooled MASE and sMAPE but won on fewer than half of the series: bench/reports.py).
"""

from __future__ import annotations

import math
from datetime import datetime

import pytest

from analytics.forecast import HoltWinters
from bot.bootstrap import bootstrap, migrate
from bot.demo import seed_demo_data
from bot.settings import Settings
from core.clock import Clock
from core.services.reports import forecast_accuracy, production_plan, replenishment
from core.users import Actor, ActorKind, Role
from storage.reports import SqlAlchemyReportStore

MANAGER = Actor(kind=ActorKind.STAFF, user_id=0, name="mgr", role=Role.MANAGEMENT)
# the demo data ends "today": a fixed day keeps the backtest the same whatever day the suite runs (a real
# clock made it depend on how much of the current month had passed)
CLOCK = Clock.fixed(datetime(2026, 11, 26, 10, 0))


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory: pytest.TempPathFactory) -> object:
    import asyncio

    path = tmp_path_factory.mktemp("forecast") / "demo.sqlite3"
    settings = Settings(_env_file=None, database_url=f"sqlite+aiosqlite:///{path}")  # type: ignore[call-arg]

    async def build() -> None:
        await migrate(settings)
        app = bootstrap(settings)
        try:
            await seed_demo_data(app.uow_factory, app.session_factory, CLOCK, scale=1, months=36)
        finally:
            await app.aclose()

    asyncio.run(build())
    return settings


async def test_backtest_on_demo_data(demo_app: Settings) -> None:
    app = bootstrap(demo_app)
    app.clock = CLOCK
    try:
        store = SqlAlchemyReportStore(app.engine, app.clock.tz)
        sku = await forecast_accuracy(store, MANAGER, app.clock, HoltWinters(), level="sku", max_series=12)
        assert len(sku.series) == 12 and all(r.origins == 12 for r in sku.series)
        for value in (sku.model_smape, sku.baseline_smape, sku.model_mase, sku.baseline_mase):
            assert value is not None and math.isfinite(value)
        assert sku.model_smape < sku.baseline_smape and sku.model_mase is not None and sku.baseline_mase is not None
        assert sku.model_mase < sku.baseline_mase and sku.model_wins

        dealer = await forecast_accuracy(store, MANAGER, app.clock, HoltWinters(), level="dealer_sku", max_series=10)
        assert len(dealer.series) == 10
        assert all(math.isfinite(r.model.smape) and math.isfinite(r.baseline.smape) for r in dealer.series)

        plan = await production_plan(app.uow_factory(), store, MANAGER, app.clock, forecaster=HoltWinters())
        assert len(plan) == 12 and all(len(r.demand) == 3 and r.total > 0 for r in plan)
        async with app.uow_factory() as uow:
            dealer_ids = [d.id for d in await uow.dealers.list(order_by="id") if d.id is not None]
        advice = await replenishment(app.uow_factory(), store, MANAGER, dealer_ids[0], app.clock,
                                     forecaster=HoltWinters())
        assert advice and all(a.suggested == max(0, a.demand - a.stock) for a in advice)
    finally:
        await app.aclose()
