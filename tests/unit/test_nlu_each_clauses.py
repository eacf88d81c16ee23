"""A list with one count for each said as one clause among other lines ("6mm紫蓝各卖了10张 8mm粉的4张"): each of
the list gets the count, and the other lines are read as they are."""

from __future__ import annotations

import pytest

from nlu.schema import CatalogueEntry
from tests.nlu_items import parsed_items

_COLOURS = (("紫", "PU"), ("蓝", "BL"), ("粉", "PK"))
# yoga mats: one series, thicknesses by colours
MATS = [CatalogueEntry(sku=f"YR-{mm}{c}", name=f"悠然 瑜伽垫 {mm}mm {colour}",
                       aliases=[f"瑜伽垫{mm}mm{colour}", f"{mm}mm{colour}"], unit="张")
        for mm in (6, 8) for colour, c in _COLOURS]


@pytest.mark.parametrize(("text", "want"), [
    ("瑜伽垫 6mm紫蓝各卖了10张 8mm粉的4张", {"YR-6PU": 10, "YR-6BL": 10, "YR-8PK": 4}),
    ("瑜伽垫 8mm紫的 5张 蓝的5张 6mm紫粉各3张", {"YR-8PU": 5, "YR-8BL": 5, "YR-6PU": 3, "YR-6PK": 3}),
    ("6mm紫蓝各5 8mm紫粉各2", {"YR-6PU": 5, "YR-6BL": 5, "YR-8PU": 2, "YR-8PK": 2}),
])
async def test_a_list_said_of_each_among_other_lines(text: str, want: dict[str, int]) -> None:
    assert await parsed_items(text, MATS) == want
