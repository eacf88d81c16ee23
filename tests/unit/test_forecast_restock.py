"""The dealer low-stock alert (notifications.checks) suggests at least the forecast sell-out over the lead
time when a report store is wired in; without one it refills to the threshold as before."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from core.inventory import DealerStock, StockThreshold, ThresholdScope
from core.reports import add_months
from core.sellout import SellOutLine
from tests.chat import buttons
from tests.fakes import FakeReportStore
from tests.unit.test_checks import DEALER, scene


async def test_low_stock_suggestion_covers_the_forecast_sell_out() -> None:
    s = await scene()
    s.checks.reports = FakeReportStore(s.w.uow)          # forecaster None: seasonal naive
    await s.w.uow.thresholds.add(StockThreshold(ThresholdScope.DEALER, s.dealer_id, "F300", low=5, high=20))
    await s.w.uow.dealer_stock.add(DealerStock(s.dealer_id, "F300", 2))
    first = add_months(date(2026, 11, 1), -24)
    for i in range(24):                                   # 30 boxes a month for two years
        await s.w.uow.sellout.add(SellOutLine(dealer_id=s.dealer_id, sold_on=add_months(first, i).replace(day=9),
                                              sku="F300", qty=30, amount=Decimal("8970.00"), province="上海",
                                              city="上海"))
    await s.w.uow.commit()
    assert await s.twice("stock_levels") == 2             # owner and clerk
    low = [r for r in await s.w.pushed(DEALER) if "补货提醒" in r.text][0]
    # 30 a month over 15 + 30 days = 45, two in stock: 43 (refilling to the high mark alone would be 18)
    assert "建议补货 43 箱" in low.text
    assert buttons([low]) == {"🛒 一键补货": "1|order.prefill|F300|43"}


async def test_without_history_the_threshold_rule_stands() -> None:
    s = await scene()
    s.checks.reports = FakeReportStore(s.w.uow)
    await s.w.uow.thresholds.add(StockThreshold(ThresholdScope.DEALER, s.dealer_id, "F300", low=5, high=20))
    await s.w.uow.dealer_stock.add(DealerStock(s.dealer_id, "F300", 2))
    await s.w.uow.commit()
    assert await s.twice("stock_levels") == 2
    low = [r for r in await s.w.pushed(DEALER) if "补货提醒" in r.text][0]
    assert "建议补货 18 箱" in low.text
