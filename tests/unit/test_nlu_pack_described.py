"""A pack described by what it holds, then its count: "10片装 12盒" is 12 boxes of the 10-sheet box, "5斤装 3袋"
3 bags of the 2.5 kg bag (the number of the pack is never the count: ``nlu.numbers`` and ``nlu.variants``)."""

from __future__ import annotations

from datetime import date

import pytest

from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry

SHOP = [
    CatalogueEntry(sku="FM-10", name="若水 补水面膜 10片装", aliases=["若水10片"], unit="盒"),
    CatalogueEntry(sku="FM-20", name="若水 补水面膜 20片装", aliases=["若水20片"], unit="盒"),
    CatalogueEntry(sku="FM-N", name="若水 晚安面膜 20片装", aliases=["晚安面膜"], unit="盒"),
    CatalogueEntry(sku="RC-1", name="禾乡 五常香米 1kg", unit="袋"),
    CatalogueEntry(sku="RC-5", name="禾乡 五常香米 5kg", unit="袋"),
    CatalogueEntry(sku="RB-1", name="禾乡 东北珍珠米 1kg", unit="袋"),
    CatalogueEntry(sku="RB-5", name="禾乡 东北珍珠米 5kg", unit="袋"),
]


async def _items(text: str) -> dict[str, int]:
    parsed = await OfflineParser().parse(text, catalogue=SHOP, today=date(2026, 12, 6))
    return {i.sku: i.qty for i in parsed.slots.items}


@pytest.mark.parametrize(("text", "want"), [
    ("补水面膜 10片装 12盒 20片装 6盒", {"FM-10": 12, "FM-20": 6}),
    ("香米1000g装 8袋", {"RC-1": 8}),
    ("香米 10斤装 3袋", {"RC-5": 3}),
    ("珍珠米2斤装 8袋 10斤装 3袋", {"RB-1": 8, "RB-5": 3}),
])
async def test_the_pack_number_is_no_count(text: str, want: dict[str, int]) -> None:
    assert await _items(text) == want


async def test_a_count_loaded_is_still_a_count() -> None:
    assert await _items("补水面膜20片装的 3盒") == {"FM-20": 3}
