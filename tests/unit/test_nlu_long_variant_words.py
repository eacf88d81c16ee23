"""A variant word longer than variant words are read ("红白双色" among "红", "蓝") at the place of a family's names
where its siblings say theirs: the product is of their series, said by the word's last two characters ("双色")."""

from __future__ import annotations

from datetime import date

from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry
from nlu.variants import VariantTable

ROPES = [
    CatalogueEntry(sku="NR6R", name="力拓 尼龙绳6mm 编织绳 红 50米/卷", aliases=["尼龙绳6mm红"], unit="卷"),
    CatalogueEntry(sku="NR6B", name="力拓 尼龙绳6mm 编织绳 蓝 50米/卷", aliases=["尼龙绳6mm蓝"], unit="卷"),
    CatalogueEntry(sku="NR6RW", name="力拓 尼龙绳6mm 编织绳 红白双色 50米/卷", aliases=["尼龙绳6mm红白"], unit="卷"),
    CatalogueEntry(sku="PP8W", name="力拓 丙纶绳8mm 捆扎绳 黑白相间色 100米/卷", aliases=["丙纶绳8mm"], unit="卷"),
]


async def _items(text: str) -> dict[str, int]:
    parsed = await OfflineParser().parse(text, catalogue=ROPES, today=date(2026, 12, 6))
    return {i.sku: i.qty for i in parsed.slots.items}


async def test_the_long_word_is_a_variant_of_its_siblings_series() -> None:
    assert await _items("尼龙绳6mm 红 3卷 双色 2卷") == {"NR6R": 3, "NR6RW": 2}
    assert await _items("尼龙绳6mm 蓝 双色 各4卷") == {"NR6B": 4, "NR6RW": 4}


async def test_a_colour_the_family_lacks_is_not_read_into_the_long_word() -> None:
    assert await _items("尼龙绳6mm 红 3卷 黄 2卷") == {"NR6R": 3}


def test_a_long_word_of_a_product_without_siblings_makes_no_series() -> None:
    table = VariantTable(ROPES)
    assert table.series["NR6RW"] == table.series["NR6R"]
    assert "PP8W" not in table.series or table.series["PP8W"] not in table.members
