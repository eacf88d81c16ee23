""""50kg" of a knit sold by the 公斤 is 50 of it; "5匹" (bolts) of a cloth sold by weight or length is 5 of it; the
匹 of an air conditioner (horsepower) stays its size."""

from __future__ import annotations

import pytest

from nlu.schema import CatalogueEntry
from tests.nlu_items import parsed_items

GOODS = [
    CatalogueEntry(sku="WF-RD", name="华锦 摇粒绒 红色", aliases=["摇粒绒红", "fleece red"], unit="公斤"),
    CatalogueEntry(sku="WF-GN", name="华锦 摇粒绒 墨绿", aliases=["摇粒绒墨绿", "fleece green"], unit="公斤"),
    CatalogueEntry(sku="WF-TW", name="华锦 斜纹布 卡其", aliases=["斜纹卡其", "twill khaki"], unit="米"),
]
AIR = [CatalogueEntry(sku="AC-15", name="凉风 挂机空调 1.5匹", aliases=["凉风1.5匹"], unit="台"),
       CatalogueEntry(sku="AC-20", name="凉风 挂机空调 2匹", aliases=["凉风2匹"], unit="台")]


@pytest.mark.parametrize(("text", "want"), [
    ("fleece red 40kg, fleece green 25kg", {"WF-RD": 40, "WF-GN": 25}),
    ("摇粒绒红 6匹 摇粒绒墨绿 3匹", {"WF-RD": 6, "WF-GN": 3}),
    ("斜纹卡其 两匹", {"WF-TW": 2}),
])
async def test_a_measure_of_a_cloth_sold_by_weight_or_length_is_its_count(text: str, want: dict[str, int]) -> None:
    assert await parsed_items(text, GOODS) == want


async def test_the_horsepower_of_an_air_conditioner_stays_its_size() -> None:
    assert await parsed_items("凉风2匹 3台", AIR) == {"AC-20": 3}
