"""Lines of products and counts with a day the goods are wanted by ("今天到", "周五前送", "12号之前发") are an order,
however unsure the classifier is between an order and a sell-out report (the masked words "P Q D 到" are seen in
both); a range of days ("12月1号到3号") or words of selling keep a report a report."""

from __future__ import annotations

from datetime import date

import pytest

from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry, Intent

TILES = [
    CatalogueEntry(sku="QT600", name="抛釉砖 QT600 600x600", aliases=["QT600", "600抛釉"], category="瓷砖", unit="箱"),
    CatalogueEntry(sku="QT800", name="抛釉砖 QT800 800x800", aliases=["QT800", "800抛釉"], category="瓷砖", unit="箱"),
]


@pytest.mark.parametrize(("text", "intent"), [
    ("QT600 20箱 今天到", Intent.PLACE_ORDER),
    ("QT600 20箱 明天到", Intent.PLACE_ORDER),
    ("QT800 8箱 周五前送", Intent.PLACE_ORDER),
    ("QT600 12箱，12月10号之前发", Intent.PLACE_ORDER),
    ("12月1号到3号 QT600 5箱 QT800 3箱", Intent.REPORT_SALES),
    ("QT600 今天卖了5箱", Intent.REPORT_SALES),
])
async def test_a_day_wanted_by_is_an_order(text: str, intent: Intent) -> None:
    parsed = await OfflineParser().parse(text, catalogue=TILES, today=date(2026, 12, 4))
    assert parsed.intent == intent, (text, parsed.intent, parsed.confidence)
    if intent == Intent.PLACE_ORDER:
        assert parsed.confidence >= 0.8 and parsed.slots.items
