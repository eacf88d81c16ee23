"""Counts said before their products ("20个晨曦300 10个360"): the size after the second count is the series' sibling
of the product said first, not a count of it."""

from __future__ import annotations

from nlu.schema import CatalogueEntry
from tests.nlu_items import parsed_items

LAMPS = [
    CatalogueEntry(sku="CX-300", name="晨曦 LED 投光灯 300W", aliases=["晨曦300", "CX300"], unit="个"),
    CatalogueEntry(sku="CX-360", name="晨曦 LED 投光灯 360W", aliases=["晨曦360", "CX360"], unit="个"),
]


async def test_a_size_after_its_own_count_is_the_sibling() -> None:
    assert await parsed_items("20个晨曦300 10个360", LAMPS) == {"CX-300": 20, "CX-360": 10}
