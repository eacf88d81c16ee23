"""The shorthands and trade units of English order sheets are counts' units: "10 prs", "1 pr", "30 tubs",
"10 kegs", "5 reels", "20 pkts" ("10 prs SS black 43" is ten pairs, not a lost line).

A catalogue of its own, so the rule is tested apart from any labelled set.
"""

from __future__ import annotations

import pytest

from nlu.schema import CatalogueEntry
from tests.nlu_items import parsed_items

GOODS = [
    CatalogueEntry(sku="SS-BK43", name="稳家德比鞋 黑 43码", aliases=["SS black 43"], unit="双", category="皮鞋"),
    CatalogueEntry(sku="SS-BR41", name="稳家德比鞋 棕 41码", aliases=["SS brown 41"], unit="双", category="皮鞋"),
    CatalogueEntry(sku="JM-18", name="稳家界面剂 18kg", aliases=["界面剂", "interface agent"], unit="桶", category="辅料"),
    CatalogueEntry(sku="YJ-1L", name="稳家原浆 1L 桶", aliases=["原浆1L", "fresh draft 1L"], unit="桶", category="啤酒"),
]


@pytest.mark.parametrize(("text", "want"), [
    ("10 prs SS black 43 pls", {"SS-BK43": 10}),
    ("sold 2 prs SS brown 41 and 1 pr SS black 43", {"SS-BR41": 2, "SS-BK43": 1}),
    ("pls send 30 tubs interface agent", {"JM-18": 30}),
    ("add 10 kegs draft 1L", {"YJ-1L": 10}),
])
async def test_english_trade_units_count_the_line(text: str, want: dict[str, int]) -> None:
    assert await parsed_items(text, GOODS) == want
