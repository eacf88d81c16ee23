"""An English kind word (the glossary's) and a weight or volume glued to its unit, for a catalogue written in Chinese:
"bread flour 1kg x20 and 5kg x8", "sugar 1kg 40 bags 25kg 2 bags" (``nlu.english_sizes``), and a size written with
an English unit before the kind ("16 port switch x3": ``nlu.english_units`` and the keys of "16口交换机").

A catalogue of its own, so the rules are tested apart from any labelled set.
"""

from __future__ import annotations

import pytest

from nlu.schema import CatalogueEntry
from tests.nlu_items import parsed_items

GOODS = [
    CatalogueEntry(sku="MF-1", name="麦丰 高筋面包粉 1kg", aliases=["高筋粉1kg", "MF1"], unit="袋", category="面粉"),
    CatalogueEntry(sku="MF-10", name="麦丰 高筋面包粉 10kg", aliases=["高筋粉10kg", "MF10"], unit="袋", category="面粉"),
    CatalogueEntry(sku="MQ-1", name="麦丰 全麦面包粉 1kg", aliases=["全麦粉1kg", "MQ1"], unit="袋", category="面粉"),
    CatalogueEntry(sku="TG-1", name="麦丰 细砂糖 1kg", aliases=["细砂糖1kg", "TG1"], unit="袋", category="糖"),
    CatalogueEntry(sku="TG-50", name="麦丰 细砂糖 50kg", aliases=["细砂糖50kg", "TG50"], unit="袋", category="糖"),
    CatalogueEntry(sku="JH-5", name="联讯5口交换机", aliases=["5口交换机"], unit="台", category="交换机"),
    CatalogueEntry(sku="JH-16", name="联讯16口交换机", aliases=["16口交换机"], unit="台", category="交换机"),
]


@pytest.mark.parametrize(("text", "want"), [
    ("bread flour 1kg x20 and 10kg x8", {"MF-1": 20, "MF-10": 8}),
    ("sold this week: bread flour 1kg 32, 10kg 11", {"MF-1": 32, "MF-10": 11}),
    ("bread flour 1kg *16", {"MF-1": 16}),
    ("sugar 1kg 40 bags 50kg 2 bags", {"TG-1": 40, "TG-50": 2}),
    ("whole wheat 1kg 10", {"MQ-1": 10}),
])
async def test_an_english_kind_and_its_weight_name_one_product(text: str, want: dict[str, int]) -> None:
    assert await parsed_items(text, GOODS) == want


@pytest.mark.parametrize("text", ["bread flour 5kg x3", "sugar 2kg 10 bags"])
async def test_a_weight_the_kind_lacks_names_nothing(text: str) -> None:
    assert await parsed_items(text, GOODS) == {}


@pytest.mark.parametrize(("text", "want"), [
    ("16 port switch x3", {"JH-16": 3}),
    ("sold 3 of the 5 port switch", {"JH-5": 3}),
])
async def test_a_size_in_english_units_before_the_kind(text: str, want: dict[str, int]) -> None:
    assert await parsed_items(text, GOODS) == want
