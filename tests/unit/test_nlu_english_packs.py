"""English pack words for a catalogue written in Chinese: "can(s)" is 听 / 罐, "bottle(s)" is 瓶 ("可乐330 can 20箱
bottle 10箱", "sold 330 cans 90, 500 bottles 40", "500 cans change to bottles"): they tell the packs of one drink
apart the way 听装 / 瓶装 do.

A catalogue of its own, so the rule is tested apart from any labelled set.
"""

from __future__ import annotations

import pytest

from nlu.schema import CatalogueEntry
from tests.nlu_items import parsed_items

SODA = [
    CatalogueEntry(sku="KL-330C", name="畅饮可乐 330ml 听装 24听/箱", aliases=["可乐330听", "可乐330罐"], unit="箱", category="汽水"),
    CatalogueEntry(sku="KL-330B", name="畅饮可乐 330ml 瓶装 24瓶/箱", aliases=["可乐330瓶"], unit="箱", category="汽水"),
    CatalogueEntry(sku="KL-500C", name="畅饮可乐 500ml 听装 12听/箱", aliases=["可乐500听", "可乐500罐"], unit="箱", category="汽水"),
    CatalogueEntry(sku="KL-500B", name="畅饮可乐 500ml 瓶装 12瓶/箱", aliases=["可乐500瓶"], unit="箱", category="汽水"),
]


@pytest.mark.parametrize(("text", "want"), [
    ("可乐330 can 20箱 bottle 10箱", {"KL-330C": 20, "KL-330B": 10}),
    ("可乐500 can 30 bottle 20 this week sold", {"KL-500C": 30, "KL-500B": 20}),
    ("可乐500听 change to bottles, 30 cs", {"KL-500B": 30}),           # the pack changed
])
async def test_cans_and_bottles_tell_the_packs_of_a_drink_apart(text: str, want: dict[str, int]) -> None:
    assert await parsed_items(text, SODA) == want
