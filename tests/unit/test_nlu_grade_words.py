"""A grade or class word of the names ("AC3", "AC5", "E0", "F4") said before a word several products share picks the
products of that grade: "AC3白橡 5箱" is the AC3 floor in 白橡, not a question between the two 白橡 floors. A
catalogue of its own (floors and boards of an invented maker, no demo, development or blind product).
"""

from __future__ import annotations

from datetime import date

import pytest

from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry

CATALOGUE = [
    CatalogueEntry(sku="YS-BL-WO", name="云杉柏林强化地板 8mm AC3 白橡", aliases=["柏林白橡"],
                   unit="箱", category="地板"),
    CatalogueEntry(sku="YS-BL-WN", name="云杉柏林强化地板 8mm AC3 胡桃", aliases=["柏林胡桃"],
                   unit="箱", category="地板"),
    CatalogueEntry(sku="YS-HX-WO", name="云杉海星耐磨地板 12mm AC5 白橡", aliases=["海星白橡"],
                   unit="箱", category="地板"),
    CatalogueEntry(sku="YS-HX-GR", name="云杉海星耐磨地板 12mm AC5 灰色", aliases=["海星灰"],
                   unit="箱", category="地板"),
]
PARSER = OfflineParser()


def items(text: str) -> dict[str, int]:
    return {i.sku: i.qty for i in PARSER.parse_sync(text, catalogue=CATALOGUE, today=date(2026, 12, 4)).slots.items}


@pytest.mark.parametrize(("text", "expected"), [
    ("AC3白橡 5箱", {"YS-BL-WO": 5}),
    ("AC5 白橡 2箱", {"YS-HX-WO": 2}),
])
def test_a_grade_word_picks_among_the_products_of_a_shared_word(text: str, expected: dict[str, int]) -> None:
    assert items(text) == expected


def test_without_the_grade_the_shared_word_names_no_one_product() -> None:
    assert items("白橡 7箱") == {}
