"""Spools ("十轴" of fishing line or thread) are a unit of count, and "走了" (sold) said between a series word and the
size that makes it one product stays visible to the intent classifier (a sell-out report's word, like "卖了").

The made-up catalogue of ``test_nlu_spoken_sizes``.
"""

from __future__ import annotations

from datetime import date

from nlu.analysis import masked
from nlu.offline import OfflineParser
from nlu.products import ProductIndex
from tests.unit.test_nlu_spoken_sizes import SHOP


async def test_spools_are_a_unit() -> None:
    parsed = await OfflineParser().parse("鹊线1.5 十轴", catalogue=SHOP, today=date(2026, 12, 6))
    assert {i.sku: i.qty for i in parsed.slots.items} == {"CORD-15": 10}


def test_zou_le_inside_a_series_and_its_size_stays_visible() -> None:
    # "走了" (sold) between a series word and the size that makes it one product: a sell-out report's word
    assert "走了" in masked("鹊线 这周走了 0.5 15轴 1.5 20轴", ProductIndex(SHOP))
