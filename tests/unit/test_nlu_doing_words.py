"""A word that says what is done ("sold", "卖了") inside the span of a product said on both sides of it ("yuanjiang
sold 330 cans 90": the series, then its pack) stays visible to the intent classifier: the message is a sell-out
report, not an order of the product it masks.

A catalogue of its own, so the rule is tested apart from any labelled set.
"""

from __future__ import annotations

from datetime import date

import pytest

from nlu.analysis import masked
from nlu.offline import OfflineParser
from nlu.products import ProductIndex
from nlu.schema import CatalogueEntry, Intent

BEER = [
    CatalogueEntry(sku="YJ-330C", name="稳家原浆 330ml 听装 24听/箱", aliases=["原浆330听", "Yuanjiang 330 can"],
                   unit="箱", category="啤酒"),
    CatalogueEntry(sku="YJ-330B", name="稳家原浆 330ml 瓶装 24瓶/箱", aliases=["原浆330瓶", "Yuanjiang 330 bottle"],
                   unit="箱", category="啤酒"),
    CatalogueEntry(sku="YJ-500B", name="稳家原浆 500ml 瓶装 12瓶/箱", aliases=["原浆500瓶", "Yuanjiang 500 bottle"],
                   unit="箱", category="啤酒"),
]


def test_the_word_of_doing_is_not_masked_with_the_product() -> None:
    text = masked("yuanjiang sold 330 cans 90, 500 bottles 40", ProductIndex(BEER))
    assert "sold" in text


@pytest.mark.parametrize("text", ["yuanjiang sold 330 cans 90, 500 bottles 40", "yuanjiang sold 330 bottles 25"])
async def test_a_sell_out_report_said_inside_the_product_words_is_one(text: str) -> None:
    result = await OfflineParser().parse(text, catalogue=list(BEER), today=date(2026, 12, 6))
    assert result.intent == Intent.REPORT_SALES
