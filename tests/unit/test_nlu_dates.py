"""Delivery dates in chat text, resolved against a fixed business day (Thursday 2026-11-26)."""

from __future__ import annotations

from datetime import date

import pytest

from nlu.dates import find_date, parse_date
from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry, Intent

TODAY = date(2026, 11, 26)   # a Thursday


@pytest.mark.parametrize(("text", "expected"), [
    ("今天", date(2026, 11, 26)),
    ("明天到", date(2026, 11, 27)),
    ("后天送", date(2026, 11, 28)),
    ("大后天", date(2026, 11, 29)),
    ("3天后", date(2026, 11, 29)),
    ("下周三到", date(2026, 12, 2)),
    ("下星期一", date(2026, 11, 30)),
    ("下礼拜天", date(2026, 12, 6)),
    ("下下周一", date(2026, 12, 7)),
    ("这周六", date(2026, 11, 28)),
    ("周三", date(2026, 12, 2)),          # already past this week: the next one
    ("周五", date(2026, 11, 27)),
    ("周四", date(2026, 12, 3)),          # today is Thursday: never today
    ("下周", date(2026, 11, 30)),
    ("12月5号", date(2026, 12, 5)),
    ("十二月五日", date(2026, 12, 5)),
    ("1月3号", date(2027, 1, 3)),         # January has passed this year: next year
    ("30号", date(2026, 11, 30)),
    ("5号", date(2026, 12, 5)),           # the 5th has passed this month: next month
    ("2026-12-05", date(2026, 12, 5)),
    ("2027/1/2", date(2027, 1, 2)),
    ("2026年12月24日", date(2026, 12, 24)),
    ("tomorrow please", date(2026, 11, 27)),
    ("next Monday", date(2026, 11, 30)),
    ("by friday", date(2026, 11, 27)),
])
def test_dates_resolve_against_today(text: str, expected: date) -> None:
    assert parse_date(text, TODAY) == expected


@pytest.mark.parametrize("text", ["AP300 20台", "F300 5箱", "SO-20261126-0001", "2月30号", "2026-13-01",
                                  "你好", "AP300 来二十台", "每日坚果7日装来20盒", "30日份的药盒 10个", "15日用量"])
def test_no_date_where_none_is_written(text: str) -> None:
    assert parse_date(text, TODAY) is None


def test_match_reports_where_the_date_was_written() -> None:
    text = "AP300 来二十台，下周三到"
    found = find_date(text, TODAY)
    assert found is not None
    assert text[found.start:found.end] == "下周三"
    assert found.value == date(2026, 12, 2)


def test_year_end_rolls_over() -> None:
    assert parse_date("3号", date(2026, 12, 20)) == date(2027, 1, 3)
    assert parse_date("明天", date(2026, 12, 31)) == date(2027, 1, 1)


# --- the parser fills the delivery date slot -------------------------------------------------

CATALOGUE = [CatalogueEntry(sku="AP300", name="空气净化器AP300", aliases=["净化器300"], unit="台"),
             CatalogueEntry(sku="F300", name="AP300 滤网", aliases=["滤网"], unit="箱")]


async def test_parser_reads_items_and_delivery_date() -> None:
    result = await OfflineParser().parse("AP300 来二十台，下周三到", catalogue=CATALOGUE, today=TODAY)
    assert result.intent == Intent.PLACE_ORDER
    assert [(i.sku, i.qty) for i in result.slots.items] == [("AP300", 20)]
    assert result.slots.delivery_date == date(2026, 12, 2)


async def test_date_digits_are_not_read_as_quantities() -> None:
    result = await OfflineParser().parse("F300 5箱 12月3号到", catalogue=CATALOGUE, today=TODAY)
    assert [(i.sku, i.qty) for i in result.slots.items] == [("F300", 5)]
    assert result.slots.delivery_date == date(2026, 12, 3)


async def test_same_as_last_time_is_an_order_intent_without_items() -> None:
    for text in ("再来一单", "和上次一样", "same as last time"):
        result = await OfflineParser().parse(text, catalogue=CATALOGUE, today=TODAY)
        assert result.intent == Intent.PLACE_ORDER, text
        assert result.slots.items == []
