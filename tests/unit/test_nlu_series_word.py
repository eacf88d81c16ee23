"""The word 系列 after a series' name ("晨曦系列 300 两箱 360 一箱") is in no product's name: the sizes said after
it are that series' products, each with its own count."""

from __future__ import annotations

import pytest

from nlu.schema import CatalogueEntry
from tests.nlu_items import parsed_items

LAMPS = [
    CatalogueEntry(sku="CX-300", name="晨曦 LED 投光灯 300W", aliases=["晨曦300", "CX300"], unit="个"),
    CatalogueEntry(sku="CX-360", name="晨曦 LED 投光灯 360W", aliases=["晨曦360", "CX360"], unit="个"),
    CatalogueEntry(sku="CX-400", name="晨曦 LED 投光灯 400W", aliases=["晨曦400", "CX400"], unit="个"),
]


@pytest.mark.parametrize(("text", "want"), [
    ("晨曦系列 300 两箱 360 一箱", {"CX-300": 2, "CX-360": 1}),
    ("晨曦系列 300 x20 400 x10", {"CX-300": 20, "CX-400": 10}),
])
async def test_the_sizes_after_a_series_word_are_its_products(text: str, want: dict[str, int]) -> None:
    assert await parsed_items(text, LAMPS) == want
