"""A variant word said alone in a list of one series, that only another series has: named back, never read as
that other series' product ("云川 白8张 灰5张 红3张" when only the edge band comes in red). Said with its own kind
("红色封边条") it names its product as before. A catalogue of its own
(an invented maker of doors and trims, no demo, development or blind product).
"""

from __future__ import annotations

from datetime import date

import pytest

from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry

CATALOGUE = [
    CatalogueEntry(sku="YC-W", name="云川免漆门板 白", aliases=["云川白"], unit="张", category="门板"),
    CatalogueEntry(sku="YC-G", name="云川免漆门板 灰", aliases=["云川灰"], unit="张", category="门板"),
    CatalogueEntry(sku="YC-Y", name="云川免漆门板 米黄", aliases=["云川米黄"], unit="张", category="门板"),
    CatalogueEntry(sku="FB-W", name="云川封边条 白", aliases=["白封边"], unit="卷", category="封边条"),
    CatalogueEntry(sku="FB-R", name="云川封边条 红", aliases=["红色封边条"], unit="卷", category="封边条"),
    CatalogueEntry(sku="JB-1", name="云川胶板 1mm", aliases=["胶板1mm"], unit="张", category="胶板"),
    CatalogueEntry(sku="JB-2", name="云川胶板 2mm", aliases=["胶板2mm"], unit="张", category="胶板"),
]
PARSER = OfflineParser()


def parse(text: str):  # type: ignore[no-untyped-def]
    return PARSER.parse_sync(text, catalogue=CATALOGUE, today=date(2026, 12, 4))


@pytest.mark.parametrize(("text", "kept", "word"), [
    ("云川免漆门板 白8张 灰5张 红3张", {"YC-W": 8, "YC-G": 5}, "红"),
    ("云川免漆门板 米黄 6张 红色 2张 灰 4张", {"YC-Y": 6, "YC-G": 4}, "红色"),
])
def test_a_colour_the_series_lacks_is_named_back(text: str, kept: dict[str, int], word: str) -> None:
    result = parse(text)
    assert {i.sku: i.qty for i in result.slots.items} == kept
    assert word in result.slots.unknown_words


@pytest.mark.parametrize(("text", "expected"), [
    ("云川免漆门板 白8张 红色封边条 3卷", {"YC-W": 8, "FB-R": 3}),
    ("胶板1mm 10张 红色封边 3卷", {"JB-1": 10, "FB-R": 3}),
])
def test_a_word_of_its_own_kind_still_names_its_product(text: str, expected: dict[str, int]) -> None:
    assert {i.sku: i.qty for i in parse(text).slots.items} == expected
