"""A grade written with its minus sign starts a product ("-35小桶"): a count written before it ("x20 -35小桶") is the
line before's count, never the start of a range "20 -35"."""

from __future__ import annotations

import pytest

from nlu.schema import CatalogueEntry
from tests.nlu_items import parsed_items

COOLANTS = [CatalogueEntry(sku=f"BD-AF{grade}-{litres}", name=f"冰盾防冻液 -{grade}℃ {litres}L",
                           aliases=[f"防冻液-{grade}{called}", f"-{grade}{called}"], unit="桶")
            for grade in ("35", "40") for litres, called in ((2, "小桶"), (10, "大桶"))]


@pytest.mark.parametrize(("text", "want"), [
    ("防冻液-40小桶 x20 -35小桶 12x", {"BD-AF40-2": 20, "BD-AF35-2": 12}),
    ("卖了防冻液-40大桶8 -35大桶5", {"BD-AF40-10": 8, "BD-AF35-10": 5}),
])
async def test_a_count_before_a_dash_grade_is_the_line_befores(text: str, want: dict[str, int]) -> None:
    assert await parsed_items(text, COOLANTS) == want
