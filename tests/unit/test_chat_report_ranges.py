"""Sales over days said from one to the other (both ends inclusive), and 环比 of a month not over compared like
with like (QA s28 #3)."""

from __future__ import annotations

from datetime import date

import pytest

from core.reports import ReportFilter, period_label, period_range
from core.users import Role
from nlu.normalize import normalize
from nlu.report_periods import read_report_period
from tests.chat import ChatWorld, texts
from tests.factories import seed_report_data

TODAY = date(2026, 11, 26)       # the ChatWorld's clock


async def world() -> ChatWorld:
    """Orders of 2026-11-01 (¥1,000), 11-03, 11-10, 11-20 and 10-15 (``seed_report_data``)."""
    w = ChatWorld()
    await seed_report_data(w.uow)
    await w.user("mgr", Role.MANAGEMENT)
    return w


@pytest.mark.parametrize("said", ["11月1号到11月7号卖了多少", "11月1日至7日的销量", "sales from 1 Nov to 7 Nov",
                                  "Nov 1 - Nov 7 sales", "11.1-11.7卖了多少"])
def test_days_from_one_to_the_other_are_read_as_that_range(said: str) -> None:
    """(was: 20261101, the first day alone, or no period at all)"""
    assert read_report_period(normalize(said), TODAY).period == "20261101-20261107"


def test_a_day_range_code_covers_both_ends_and_reads_as_such() -> None:
    assert period_range("20261101-20261107", TODAY) == (date(2026, 11, 1), date(2026, 11, 7))
    assert period_label("20261101-20261107") == "2026年11月1日至11月7日"
    assert period_label("20261101-20261107", "en") == "2026-11-01 to 2026-11-07"


@pytest.mark.parametrize("said", ["11月3号到11月10号卖了多少", "sales from 3 Nov to 10 Nov"])
async def test_sales_in_a_date_range_are_answered_for_that_range_both_ends_included(said: str) -> None:
    w = await world()
    shown = texts(await w.say("mgr", said))
    assert "2026年11月3日至11月10日" in shown or "2026-11-03 to 2026-11-10" in shown, shown
    assert "· 2 单" in shown or "· 2 orders" in shown, shown       # SO-20261103-0001 and SO-20261110-0001


def test_month_on_month_of_a_month_not_over_compares_the_same_first_days() -> None:
    """(was: 1–26 November against 6–31 October, the 26 days just before)"""
    assert ReportFilter(date(2026, 12, 1), date(2026, 12, 7)).previous() == ReportFilter(date(2026, 11, 1),
                                                                                           date(2026, 11, 7))
    assert ReportFilter(date(2026, 3, 1), date(2026, 3, 31)).previous() == ReportFilter(date(2026, 2, 1),
                                                                                          date(2026, 2, 28))
    assert ReportFilter(date(2026, 3, 1), date(2026, 3, 30)).previous() == ReportFilter(date(2026, 2, 1),
                                                                                          date(2026, 2, 28))
    assert ReportFilter(date(2026, 10, 1), date(2026, 11, 26)).previous() == ReportFilter(date(2026, 7, 1),
                                                                                            date(2026, 8, 26))
    assert ReportFilter(date(2026, 11, 23), date(2026, 11, 26)).previous() == ReportFilter(date(2026, 11, 19),
                                                                                             date(2026, 11, 22))


async def test_month_on_month_in_chat_says_which_days_it_compares() -> None:
    w = await world()
    shown = texts(await w.say("mgr", "这个月订货环比怎么样"))
    assert "📊 订单概况（本月）" in shown
    assert "（11-01~11-26 vs 10-01~10-26）" in shown, shown
