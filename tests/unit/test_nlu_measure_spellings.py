"""A weight or volume of an alias counted in another unit ("香米10斤" said "香米5kg", "洗洁精1升" said
"洗洁精1000ml": ``nlu.alias_forms.measure_spellings``)."""

from __future__ import annotations

from datetime import date

import pytest

from nlu.alias_forms import measure_spellings
from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry

GROCERY = [
    # "豆浆粉" is a word of both series; the maker's aliases give it to the plain one, counted in 斤
    CatalogueEntry(sku="SM-1", name="晨光 原味豆浆粉 1kg", aliases=["原味1公斤", "豆浆粉2斤"], unit="袋"),
    CatalogueEntry(sku="SM-2", name="晨光 原味豆浆粉 2.5kg", aliases=["原味2.5公斤", "豆浆粉5斤"], unit="袋"),
    CatalogueEntry(sku="SB-1", name="晨光 黑豆豆浆粉 1kg", aliases=["黑豆2斤"], unit="袋"),
    CatalogueEntry(sku="SB-2", name="晨光 黑豆豆浆粉 2.5kg", aliases=["黑豆5斤"], unit="袋"),
]


async def _items(text: str) -> dict[str, int]:
    parsed = await OfflineParser().parse(text, catalogue=GROCERY, today=date(2026, 12, 6))
    return {i.sku: i.qty for i in parsed.slots.items}


def test_the_other_units_of_an_alias_measure() -> None:
    assert measure_spellings("香米10斤") == ["香米5公斤", "香米5千克", "香米5kg", "香米5000克", "香米5000g"]
    assert measure_spellings("洗洁精1升") == ["洗洁精1000毫升", "洗洁精1000ml"]
    assert measure_spellings("10斤") == []                 # a measure alone names nothing
    assert measure_spellings("精选1毫升") == []             # 1 ml is no whole number of litres


@pytest.mark.parametrize(("text", "want"), [
    ("豆浆粉5斤装 12袋", {"SM-2": 12}),            # "5斤装" is read as 2500 g
    ("豆浆粉2斤的 12袋", {"SM-1": 12}),
    ("黑豆5斤装 3袋 豆浆粉5斤装 12袋", {"SB-2": 3, "SM-2": 12}),
])
async def test_an_alias_size_counted_in_another_unit_names_its_product(text: str, want: dict[str, int]) -> None:
    assert await _items(text) == want
