"""A cross spec said alone that is one product's whole spec and the head of another's ("3*6" of the RVV3x6 sheathed
cable and of the YJV 3x6+1x4 power cable) names both when nothing said tells which: the dealer is asked, the count
is given to neither. The letters of a series, the family word, or a line of the same kind just before still
tell it.

A catalogue of its own, so the rule is tested apart from any labelled set.
"""

from __future__ import annotations

import pytest

from nlu.schema import CatalogueEntry
from tests.nlu_items import parsed_items

CABLES = [
    CatalogueEntry(sku="RVV3X4", name="远航 RVV3x4 护套线 100米/卷", aliases=["3*4护套线"], unit="卷", category="护套线"),
    CatalogueEntry(sku="RVV3X6", name="远航 RVV3x6 护套线 100米/卷", aliases=["3*6护套线"], unit="卷", category="护套线"),
    CatalogueEntry(sku="YJV3X6", name="远航 YJV 3x6+1x4 电力电缆", aliases=["YJV3*6+1*4"], unit="米", category="电缆"),
    CatalogueEntry(sku="YJV3X10", name="远航 YJV 3x10+1x6 电力电缆", aliases=["YJV3*10+1*6"], unit="米", category="电缆"),
]


@pytest.mark.parametrize("text", ["3*6 来2卷", "报个数 3x6 两卷"])
async def test_a_spec_that_heads_a_longer_one_is_not_read_as_either_alone(text: str) -> None:
    assert await parsed_items(text, CABLES) == {}


@pytest.mark.parametrize(("text", "want"), [
    ("护套线 3*6 来2卷", {"RVV3X6": 2}),
    ("rvv 3*6 来2卷", {"RVV3X6": 2}),
    ("yjv 3*6+1*4 200米", {"YJV3X6": 200}),
    ("RVV3x4 5卷 3x6 2卷", {"RVV3X4": 5, "RVV3X6": 2}),      # the line before is of its kind
])
async def test_words_that_tell_still_name_the_one(text: str, want: dict[str, int]) -> None:
    assert await parsed_items(text, CABLES) == want
