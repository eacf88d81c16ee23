"""A length said after a cable sold by the metre is its count ("YJV 3x6+1x4 100m": 100 米), not the 100 m coils of
the wires whose names hold "100米"; the cores joined by + are one product's words."""

from __future__ import annotations

import pytest

from nlu.schema import CatalogueEntry
from tests.nlu_items import parsed_items

CABLES = [
    CatalogueEntry(sku="QS-YJV3X6", name="青松 YJV 3x6+1x4 电力电缆", aliases=["YJV3*6+1*4", "3*6+1*4"], unit="米"),
    CatalogueEntry(sku="QS-YJV3X10", name="青松 YJV 3x10+1x6 电力电缆", aliases=["YJV3*10+1*6", "3*10+1*6"], unit="米"),
    CatalogueEntry(sku="QS-BV4R", name="青松 BV4平方 硬线 红 100米/卷", aliases=["BV4红"], unit="卷"),
    CatalogueEntry(sku="QS-BV4B", name="青松 BV4平方 硬线 蓝 100米/卷", aliases=["BV4蓝"], unit="卷"),
]


@pytest.mark.parametrize(("text", "want"), [
    ("yjv 3x6+1x4 100m 急用", {"QS-YJV3X6": 100}),
    ("YJV 3x6+1x4 要一百米 3x10+1x6 要五十米", {"QS-YJV3X6": 100, "QS-YJV3X10": 50}),
])
async def test_a_length_after_a_cable_sold_by_the_metre_is_its_count(text: str, want: dict[str, int]) -> None:
    assert await parsed_items(text, CABLES) == want


async def test_a_coil_length_of_wires_sold_by_the_roll_is_no_count() -> None:
    assert await parsed_items("BV4红 100米的 5卷", CABLES) == {"QS-BV4R": 5}
