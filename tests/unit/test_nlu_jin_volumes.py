"""斤 of a catalogue sold by volume: "一斤装" is 500 ml and "半斤装" 250 ml, as the liquor trade says them (read as
500 g / 250 g they named nothing), and the 装 of a package ("桶装") is no word of a kind: "一斤装 42度" is not the
42° 1.5 L 桶装 of another series."""

from __future__ import annotations

import pytest

from nlu.schema import CatalogueEntry
from tests.nlu_items import parsed_items


def _e(sku: str, name: str, *aliases: str) -> CatalogueEntry:
    return CatalogueEntry(sku=sku, name=name, aliases=list(aliases), unit="瓶")


LIQUOR = [
    _e("LJ42-500P", "松岭老窖 42度 500ml 光瓶", "老窖42度500光瓶"),
    _e("LJ52-500P", "松岭老窖 52度 500ml 光瓶", "老窖52度500光瓶"),
    _e("LJ42-250P", "松岭老窖 42度 250ml 光瓶", "老窖42度250"),
    _e("LJ52-250P", "松岭老窖 52度 250ml 光瓶", "老窖52度250"),
    _e("LJ52-500G", "松岭老窖 52度 500ml 礼盒", "老窖52度500礼盒"),
    _e("CL42-15L", "松岭纯粮 42度 1.5L 桶装", "纯粮42大桶"),
    _e("CL52-15L", "松岭纯粮 52度 1.5L 桶装", "纯粮52大桶"),
]


@pytest.mark.parametrize(("text", "want"), [
    ("老窖光瓶一斤装 42度20箱 52度25箱", {"LJ42-500P": 20, "LJ52-500P": 25}),
    ("老窖半斤装 52的14箱 42的9箱", {"LJ52-250P": 14, "LJ42-250P": 9}),
    ("老窖42度光瓶 一斤9箱 半斤15箱", {"LJ42-500P": 9, "LJ42-250P": 15}),
])
async def test_jin_of_a_series_sold_by_volume(text: str, want: dict[str, int]) -> None:
    assert await parsed_items(text, LIQUOR) == want
