"""A size in ounces, kilowatts or watts said alone after a counted line of the same series ("海燕 8oz 200米 10oz 150米",
"锐能 3kw 2台 5kw 1台") is that series' product with that size, with its own count."""

from __future__ import annotations

import pytest

from nlu.schema import CatalogueEntry
from tests.nlu_items import parsed_items

GOODS = [
    CatalogueEntry(sku="HY-8", name="海燕 帆布 8oz", aliases=["海燕8oz", "8oz"], unit="米"),
    CatalogueEntry(sku="HY-10", name="海燕 帆布 10oz", aliases=["海燕10oz"], unit="米"),
    CatalogueEntry(sku="RN-3", name="锐能 变频器 3kW", aliases=["锐能3kw", "RN3"], unit="台"),
    CatalogueEntry(sku="RN-5", name="锐能 变频器 5kW", aliases=["锐能5kw", "RN5"], unit="台"),
]


@pytest.mark.parametrize(("text", "want"), [
    ("海燕 8oz 200米 10oz 150米", {"HY-8": 200, "HY-10": 150}),
    ("锐能 3kw 2台 5kw 1台", {"RN-3": 2, "RN-5": 1}),
])
async def test_a_unit_size_after_a_counted_line_is_its_sibling(text: str, want: dict[str, int]) -> None:
    assert await parsed_items(text, GOODS) == want
