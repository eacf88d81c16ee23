"""Lines that share one count (各, each): kinds listed then the words that tell them apart ("橙汁苹果汁 小瓶的 各6箱"),
a size listed before a product word that begins with a size ("40公分和50公分软管各50根"), sizes listed after a kind
word ("不锈钢角阀4分6分各50个", Chinese units glued to the next number).

A catalogue of its own, so these rules are tested apart from any labelled set.
"""

from __future__ import annotations

from datetime import date

import pytest

from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry

CATALOGUE = [
    CatalogueEntry(sku="OJ-S", name="橙汁300ml", aliases=["橙汁小瓶"], unit="箱", category="果汁"),
    CatalogueEntry(sku="OJ-L", name="橙汁1L", aliases=["橙汁大瓶"], unit="箱", category="果汁"),
    CatalogueEntry(sku="AJ-S", name="苹果汁300ml", aliases=["苹果汁小瓶"], unit="箱", category="果汁"),
    CatalogueEntry(sku="AJ-L", name="苹果汁1L", aliases=["苹果汁大瓶"], unit="箱", category="果汁"),
    CatalogueEntry(sku="H-40", name="编织软管40cm", aliases=["40公分软管"], unit="根", category="软管"),
    CatalogueEntry(sku="H-50", name="编织软管50cm", aliases=["50公分软管"], unit="根", category="软管"),
    CatalogueEntry(sku="V-15", name="不锈钢角阀DN15", aliases=["4分不锈钢角阀"], unit="个", category="角阀"),
    CatalogueEntry(sku="V-20", name="不锈钢角阀DN20", aliases=["6分不锈钢角阀"], unit="个", category="角阀"),
]
PARSER = OfflineParser()


def items(text: str) -> dict[str, int]:
    result = PARSER.parse_sync(text, catalogue=CATALOGUE, today=date(2026, 12, 4))
    return {i.sku: i.qty for i in result.slots.items}


@pytest.mark.parametrize(("text", "expected"), [
    ("橙汁苹果汁 小瓶的 各6箱", {"OJ-S": 6, "AJ-S": 6}),
    ("拿40公分和50公分软管各50根", {"H-40": 50, "H-50": 50}),
    ("不锈钢角阀4分6分各50个", {"V-15": 50, "V-20": 50}),
])
def test_each_line_of_a_shared_count_is_its_product(text: str, expected: dict[str, int]) -> None:
    assert items(text) == expected


def test_without_each_a_size_listed_before_is_not_taken_as_a_line() -> None:
    assert items("拿40公分和50公分软管50根") == {"H-50": 50}


MASKING_TAPE = [CatalogueEntry(sku=f"MT-{w}", name=f"晴川美纹纸 {w}mm", aliases=[f"美纹纸{w}", f"{w}美纹纸"], unit="卷",
                               category="美纹纸") for w in (18, 24, 30)]


@pytest.mark.parametrize(("text", "expected"), [
    ("美纹纸 18 24 30 48 各5卷", {"MT-18": 5, "MT-24": 5, "MT-30": 5}),      # no 48: not the 30's count
    ("美纹纸 18 24 48 各来两卷", {"MT-18": 2, "MT-24": 2}),
])
def test_a_bare_number_listed_before_each_is_a_size_not_a_count(text: str, expected: dict[str, int]) -> None:
    result = PARSER.parse_sync(text, catalogue=MASKING_TAPE, today=date(2026, 12, 4))
    assert {i.sku: i.qty for i in result.slots.items} == expected
