"""Reports in chat for the periods said in words, year-over-year figures, splits by quarter or month, and
follow-up questions that keep the period and measure of the report shown just before (QA s25 #5)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from core.errors import ValidationFailed
from core.orders import Order, OrderLine, OrderStatus
from core.reports import period_label, period_range
from core.users import Role
from handlers.router import payload
from nlu.normalize import normalize
from nlu.report_periods import read_report_period
from tests.chat import ChatWorld, texts
from tests.factories import at, seed_report_data

TODAY = date(2026, 11, 26)       # the ChatWorld's clock


async def world() -> ChatWorld:
    """The report data of November 2026 (orders: ¥3,600 in October, ¥19,600 in November in Shanghai time) plus
    one order of a year before (D1, 2025-11-05, ¥10,000) and one of 2026 Q2 (D2, 2026-05-10, ¥5,000)."""
    w = ChatWorld()
    ids = await seed_report_data(w.uow)
    async with w.uow as u:
        for number, dealer_id, when, price in (("SO-20251105-0001", ids["d1"], "2025-11-05 10:00", "10000.00"),
                                               ("SO-20260510-0001", ids["d2"], "2026-05-10 10:00", "5000.00")):
            lines = [OrderLine(sku="AP300", name="AP300", qty=1, unit_price=Decimal(price), discount=Decimal("0.00"))]
            await u.orders.add(Order(number=number, dealer_id=dealer_id, lines=lines, status=OrderStatus.CLOSED,
                                     total=Decimal(price), placed_by="test", created_at=at(when), updated_at=at(when)))
        await u.commit()
    await w.user("mgr", Role.MANAGEMENT)
    return w


@pytest.mark.parametrize(("said", "head", "figures"), [
    ("去年全年订货多少", "📊 订单概况（去年）", "金额 ¥10,000.00 · 1 单"),
    ("Q3的数据", "📊 订单概况（2026年第3季度）", "这段时间还没有数据。"),
    ("二季度订货多少", "📊 订单概况（2026年第2季度）", "金额 ¥5,000.00 · 1 单"),
    ("上季度订货多少", "📊 订单概况（上季度）", "这段时间还没有数据。"),
    ("10月订货多少", "📊 订单概况（2026年10月）", "金额 ¥3,600.00 · 1 单"),
    ("去年11月订货多少", "📊 订单概况（2025年11月）", "金额 ¥10,000.00 · 1 单"),
    ("今年订货多少", "📊 订单概况（今年）", "金额 ¥28,200.00 · 6 单"),
    ("近12个月订货多少", "📊 订单概况（近12个月）", "金额 ¥28,200.00 · 6 单"),
])
async def test_the_period_said_is_the_period_reported(said: str, head: str, figures: str) -> None:
    """(was: every one of them answered with this month's figures, labelled 本月)"""
    w = await world()
    shown = texts(await w.say("mgr", said))
    assert head in shown and figures in shown, shown
    assert "本月 ✓" not in shown


async def test_a_period_not_understood_is_said_not_replaced_by_this_month() -> None:
    w = await world()
    shown = texts(await w.say("mgr", "Q5的数据"))
    assert "没有听懂时间段“q5”" in shown and "订单概况" not in shown, shown
    later = texts(await w.say("mgr", "下个月订货多少"))
    assert "还没有到" in later and "订单概况" not in later, later


async def test_a_period_code_on_a_button() -> None:
    w = await world()
    shown = texts(await w.press("mgr", payload("rpt", "os", "2025")))
    assert "📊 订单概况（2025年）" in shown and "金额 ¥10,000.00 · 1 单" in shown


async def test_year_over_year_beside_month_over_month() -> None:
    """(was: "今年和去年同比增长多少" answered with the year's total alone)"""
    w = await world()
    shown = texts(await w.say("mgr", "本月和去年同比增长多少"))
    assert "📊 订单概况（本月）" in shown
    assert "环比 +444.4%" in shown
    assert "同比 +96.0%（去年同期 ¥10,000.00 · 1 单）" in shown, shown


async def test_this_year_against_last_year_is_this_years_report() -> None:
    w = await world()
    shown = texts(await w.say("mgr", "今年和去年同比增长多少"))
    assert "📊 订单概况（今年）" in shown and "同比 +182.0%（去年同期 ¥10,000.00 · 1 单）" in shown, shown


async def test_a_split_by_quarter_and_by_month() -> None:
    """(was: "今年各季度订货额" answered with the year's total, no quarter)"""
    w = await world()
    shown = texts(await w.say("mgr", "今年各季度订货额"))
    assert "📊 订单概况（今年）" in shown and "按季度：" in shown
    for row in ("• 2026年第1季度 ¥0.00 · 0 单", "• 2026年第2季度 ¥5,000.00 · 1 单", "• 2026年第3季度 ¥0.00 · 0 单",
                "• 2026年第4季度 ¥23,200.00 · 5 单"):
        assert row in shown, shown
    monthly = texts(await w.say("mgr", "今年每个月的订货额"))
    assert "按月：" in monthly and "• 2026年10月 ¥3,600.00 · 1 单" in monthly and "• 2026年11月 ¥19,600.00 · 4 单" \
        in monthly, monthly


async def test_a_follow_up_keeps_the_period_and_measure_and_groups_by_the_dealers_region() -> None:
    """(was: "按大区看看" after "今年卖了多少" answered sell-out of this month by province)"""
    w = await world()
    assert "📊 订单概况（今年）" in texts(await w.say("mgr", "今年卖了多少"))
    regions = texts(await w.say("mgr", "按大区看看"))
    assert "📊 分地区订货（今年）" in regions, regions
    assert "• 华东 ¥16,900.00" in regions and "• 华北 ¥11,300.00" in regions
    again = texts(await w.say("mgr", "跟去年比呢"))
    assert "📊 订单概况（今年）" in again and "同比 +182.0%" in again, again


async def test_sell_out_by_the_dealers_region_when_asked_by_region() -> None:
    w = await world()
    shown = texts(await w.say("mgr", "本月各大区动销"))
    assert "📊 分地区动销（本月）" in shown
    assert "• 华东 ¥7,596.00" in shown and "• 华北 ¥3,998.00" in shown and "上海" not in shown, shown
    follow = texts(await w.say("mgr", "上个月呢"))
    assert "📊 分地区动销（上月）" in follow and "• 华北 ¥9,995.00" in follow, follow


@pytest.mark.parametrize(("said", "period", "compare", "split"), [
    ("去年全年订货多少", "last_year", None, None),
    ("Q3的数据", "2026Q3", None, None),
    ("2025年Q2", "2025Q2", None, None),
    ("第三季度订货", "2026Q3", None, None),
    ("11月卖了多少", "202611", None, None),
    ("12月卖了多少", "202512", None, None),          # December has not come yet: last year's
    ("近3个月", "202609-202611", None, None),
    ("上半年", "202601-202606", None, None),
    ("上上个月", "202609", None, None),
    ("昨天订了多少", "yesterday", None, None),
    ("上周订货", "last_week", None, None),
    ("今年和去年同比增长多少", "this_year", "yoy", None),
    ("跟去年比呢", None, "yoy", None),
    ("今年11月和去年同期比", "202611", "yoy", None),
    ("今年各季度订货额", "this_year", None, "quarter"),
    ("今年每个月订货额", "this_year", None, "month"),
    ("按大区看看", None, None, "region"),
])
def test_the_parser_reads_the_period(said: str, period: str | None, compare: str | None, split: str | None) -> None:
    found = read_report_period(normalize(said), TODAY)
    assert (found.period, found.compare, found.split) == (period, compare, split)


def test_periods_as_codes_carry_their_dates() -> None:
    assert period_range("2026Q3", TODAY) == (date(2026, 7, 1), date(2026, 9, 30))
    assert period_range("2026Q4", TODAY) == (date(2026, 10, 1), TODAY)           # still running: up to today
    assert period_range("2025", TODAY) == (date(2025, 1, 1), date(2025, 12, 31))
    assert period_range("202602", TODAY) == (date(2026, 2, 1), date(2026, 2, 28))
    assert period_range("202609-202611", TODAY) == (date(2026, 9, 1), TODAY)
    assert period_range("last_quarter", TODAY) == (date(2026, 7, 1), date(2026, 9, 30))
    assert period_range("last_week", TODAY) == (date(2026, 11, 16), date(2026, 11, 22))
    assert period_label("2026Q3") == "2026年第3季度" and period_label("2026Q3", "en") == "Q3 2026"
    for bad in ("2027", "2026Q5", "202613", "soon"):
        with pytest.raises(ValidationFailed):
            period_range(bad, TODAY)
