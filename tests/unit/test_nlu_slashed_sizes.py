"""Sizes listed with slashes ("S/M/L/XL 4 each", "41/42/43 3 pairs each") are a list of sizes, as with spaces; two
sizes joined ("42/43", one product's size) and numbers that do not go up ("12/10/26", a date) stay as written.

A catalogue of its own, so the rule is tested apart from any labelled set.
"""

from __future__ import annotations

import pytest

from nlu.normalize import normalize
from nlu.schema import CatalogueEntry
from tests.nlu_items import parsed_items

HOODIES = [
    CatalogueEntry(sku=f"WY-GY-{size}", name=f"稳家连帽卫衣 灰色 {size}", aliases=[f"卫衣灰{size}", f"hoodie grey {size}"],
                   unit="件", category="卫衣")
    for size in ("S", "M", "L", "XL")
]
SHOES = [
    CatalogueEntry(sku=f"PX-BW{size}", name=f"稳家跑鞋 黑白 {size}码", aliases=[f"跑鞋黑白{size}", f"PX BW {size}"],
                   unit="双", category="跑鞋")
    for size in (41, 42, 43)
]


@pytest.mark.parametrize(("catalogue", "text", "want"), [
    (HOODIES, "hoodie grey S/M/L/XL 4 each", {f"WY-GY-{s}": 4 for s in ("S", "M", "L", "XL")}),
    (SHOES, "order: PX BW 41/42/43 3 pairs each", {f"PX-BW{s}": 3 for s in (41, 42, 43)}),
])
async def test_sizes_listed_with_slashes_are_each_a_line(catalogue: list[CatalogueEntry], text: str,
                                                         want: dict[str, int]) -> None:
    assert await parsed_items(text, catalogue) == want


def test_two_sizes_joined_and_dates_stay() -> None:
    assert normalize("slides 42/43 x5") == "slides 42/43 x5"
    assert normalize("deliver 12/10/26") == "deliver 12/10/26"
