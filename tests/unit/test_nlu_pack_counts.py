"""How many a pack holds, said to tell packs of one product apart: "20包的那个湿巾 6提", "湿巾 10包的5提 20包的也来3提"
(``nlu.pack_counts``)."""

from __future__ import annotations

from datetime import date

import pytest

from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry

WIPES = [
    CatalogueEntry(sku="WW-10", name="心柔湿巾 80抽×10包", aliases=["湿巾", "心柔湿巾"], unit="提"),
    CatalogueEntry(sku="WW-20", name="心柔湿巾 80抽×20包 家庭装", aliases=["湿巾家庭装", "20包湿巾"], unit="提"),
    CatalogueEntry(sku="TS-10", name="心柔抽纸 3层×10包", aliases=["抽纸"], unit="提"),
]


async def _items(text: str) -> dict[str, int]:
    parsed = await OfflineParser().parse(text, catalogue=WIPES, today=date(2026, 12, 6))
    return {i.sku: i.qty for i in parsed.slots.items}


@pytest.mark.parametrize(("text", "want"), [
    ("20包的那个湿巾 6提", {"WW-20": 6}),
    ("湿巾 10包的5提 20包的也来3提", {"WW-10": 5, "WW-20": 3}),
])
async def test_the_pack_said_names_the_sibling_in_it(text: str, want: dict[str, int]) -> None:
    assert await _items(text) == want


async def test_a_count_of_packs_stays_a_count() -> None:
    assert await _items("湿巾 20包") == {"WW-10": 20}
    assert await _items("20包的那个抽纸 6提") == {"TS-10": 6}
