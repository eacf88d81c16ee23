"""A weight said with a product sold by that measure ("棉麻布米白 30公斤" of a cloth sold by the 公斤) is how much of
it, not a size the product lacks; a weight with a product sold by the piece still is a size it lacks."""

from __future__ import annotations

import pytest

from nlu.schema import CatalogueEntry
from tests.nlu_items import parsed_items

GOODS = [
    CatalogueEntry(sku="ML-OW", name="棉麻布 180g 米白", aliases=["棉麻布米白", "棉麻米白"], unit="公斤"),
    CatalogueEntry(sku="ML-NV", name="棉麻布 180g 藏青", aliases=["棉麻布藏青", "棉麻藏青"], unit="公斤"),
    CatalogueEntry(sku="FZ-1L", name="丰泽 草铵膦 1L", aliases=["丰泽草铵膦"], unit="瓶"),
]


@pytest.mark.parametrize(("text", "want"), [
    ("棉麻布米白 30公斤", {"ML-OW": 30}),
    ("棉麻布米白 30公斤 棉麻布藏青 25公斤", {"ML-OW": 30, "ML-NV": 25}),
    ("今天卖了棉麻藏青120公斤", {"ML-NV": 120}),
])
async def test_a_weight_of_a_product_sold_by_weight_is_its_count(text: str, want: dict[str, int]) -> None:
    assert await parsed_items(text, GOODS) == want


async def test_a_weight_of_a_product_sold_by_the_bottle_is_a_size() -> None:
    assert await parsed_items("丰泽草铵膦 5公斤 10瓶", GOODS) == {}
