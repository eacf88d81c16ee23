"""English words of the baking trade for a catalogue written in Chinese ("cake flour 1kg 10", "piping bags M 50":
``nlu.glossary``)."""

from __future__ import annotations

from datetime import date

import pytest

from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry

BAKERY = [
    CatalogueEntry(sku="CF-1", name="麦香园 特制蛋糕粉 1kg", unit="袋"),
    CatalogueEntry(sku="CF-5", name="麦香园 特制蛋糕粉 5kg", unit="袋"),
    CatalogueEntry(sku="BF-1", name="麦香园 高筋面包粉 1kg", unit="袋"),
    CatalogueEntry(sku="PB-M", name="麦香园 裱花袋 中号", unit="卷"),
    CatalogueEntry(sku="PB-L", name="麦香园 裱花袋 大号", unit="卷"),
    CatalogueEntry(sku="DC-1", name="可可屋 黑巧克力 1kg", unit="袋"),
    CatalogueEntry(sku="CP-1", name="可可屋 可可粉 1kg", unit="袋"),
]


async def _items(text: str) -> dict[str, int]:
    parsed = await OfflineParser().parse(text, catalogue=BAKERY, today=date(2026, 12, 6))
    return {i.sku: i.qty for i in parsed.slots.items}


@pytest.mark.parametrize(("text", "want"), [
    ("cake flour 1kg 10 bags, 5kg 4 bags", {"CF-1": 10, "CF-5": 4}),
    ("bread flour 1kg x20", {"BF-1": 20}),
    ("need 5 dark chocolate and cocoa powder 3", {"DC-1": 5, "CP-1": 3}),
])
async def test_baking_words_in_english(text: str, want: dict[str, int]) -> None:
    assert await _items(text) == want
