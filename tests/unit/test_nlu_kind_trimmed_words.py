"""An alias said without the kind's own last word: "纯生" of the alias "纯生啤酒" in the kind "瓶装啤酒" names that
product, unless another product has the word too."""

from __future__ import annotations

from datetime import date

from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry

DRINKS = [
    CatalogueEntry(sku="BR-CS", name="海岸纯生啤酒 500ml", aliases=["纯生啤酒"], category="瓶装啤酒", unit="箱"),
    CatalogueEntry(sku="BR-YJ", name="海岸原浆啤酒 1L", aliases=["原浆啤酒"], category="瓶装啤酒", unit="箱"),
    CatalogueEntry(sku="BR-QS", name="海岸清爽啤酒 330ml", aliases=["清爽啤酒"], category="瓶装啤酒", unit="箱"),
    CatalogueEntry(sku="TE-QS", name="海岸清爽柠檬茶 500ml", aliases=["清爽柠檬茶"], category="茶饮料", unit="箱"),
]


async def _items(text: str) -> dict[str, int]:
    parsed = await OfflineParser().parse(text, catalogue=DRINKS, today=date(2026, 12, 6))
    return {i.sku: i.qty for i in parsed.slots.items}


async def test_the_alias_without_the_kinds_word_names_the_product() -> None:
    assert await _items("要纯生30箱 原浆10箱") == {"BR-CS": 30, "BR-YJ": 10}


async def test_a_word_two_products_have_names_neither() -> None:
    assert await _items("清爽 5箱") == {}
