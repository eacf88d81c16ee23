"""A word typed with a homophone is respelled as the product word it sounds like ("进化器" for 净化器), but never
across a word the catalogue has as written: "度礼盒" of "青岭42度礼盒" sounds like "多丽干" (of 霞多丽干白), and
respelling it broke the alias the dealer typed exactly."""

from __future__ import annotations

import pytest

from nlu.schema import CatalogueEntry
from tests.nlu_items import parsed_items

WINES = [
    CatalogueEntry(sku="QL42-G", name="云鹤青岭 42度 500ml 礼盒", aliases=["青岭42度礼盒"], unit="瓶"),
    CatalogueEntry(sku="QL52-G", name="云鹤青岭 52度 500ml 礼盒", aliases=["青岭52度礼盒"], unit="瓶"),
    CatalogueEntry(sku="ZY-CH", name="云鹤庄园 霞多丽干白 750ml", aliases=["霞多丽干白"], unit="瓶"),
]


@pytest.mark.parametrize(("text", "want"), [
    ("青岭42度礼盒5箱", {"QL42-G": 5}),
    ("清岭42度礼盒卖了8箱", {"QL42-G": 8}),
    ("霞多丽干白6瓶", {"ZY-CH": 6}),
])
async def test_a_homophone_never_cuts_a_word_written_as_the_catalogue_has_it(text: str, want: dict[str, int]) -> None:
    assert await parsed_items(text, WINES) == want
