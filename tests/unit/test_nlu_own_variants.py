"""A product's own variant words said right after it ("松风53度500礼盒3件", "雪岭42 gift box 10箱") are its words, never
counts: the degree and the volume of a spirit were read as a count and added to the line's own ("56", "52")."""

from __future__ import annotations

import pytest

from nlu.schema import CatalogueEntry
from tests.nlu_items import parsed_items


def _spirit(series: str, code: str, degrees: int, ml: int, box: str) -> CatalogueEntry:
    kind = "礼盒" if box == "G" else "光瓶"
    english = "gift box" if box == "G" else "plain"
    return CatalogueEntry(sku=f"{code}{degrees}-{ml}{box}", name=f"松岭{series} {degrees}度 {ml}ml {kind}",
                          aliases=[f"{series}{ml}{kind}", f"{series} {degrees} {english}"], unit="瓶")


SPIRITS = [_spirit("松风", "SF", 53, 500, "G"), _spirit("松风", "SF", 53, 500, "P"), _spirit("松风", "SF", 53, 250, "P"),
           _spirit("雪岭", "XL", 42, 500, "G"), _spirit("雪岭", "XL", 42, 250, "P"), _spirit("雪岭", "XL", 52, 500, "P")]


@pytest.mark.parametrize(("text", "want"), [
    ("松风53度500礼盒3件", {"SF53-500G": 3}),
    ("松风53度 500 礼盒 10箱", {"SF53-500G": 10}),
    ("松风53度500礼盒 半打", {"SF53-500G": 6}),
])
async def test_the_products_own_sizes_after_it_are_no_count(text: str, want: dict[str, int]) -> None:
    assert await parsed_items(text, SPIRITS) == want


async def test_a_count_equal_to_a_size_is_still_the_count() -> None:
    assert await parsed_items("松风53度250光瓶 250", SPIRITS) == {"SF53-250P": 250}
