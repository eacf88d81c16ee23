"""A container word said as a line of a series ("小桶20 大桶3", "铁桶1"): the product before's grade or colour in the
container the catalogue's aliases call so ("宏驰5w30大桶" is the 18 L, not the 200 L drum), else the smallest or the
biggest of those sold by it; the count after the word is its count."""

from __future__ import annotations

import pytest

from nlu.schema import CatalogueEntry
from tests.nlu_items import parsed_items


def _oil(grade: str, litres: int, *called: str) -> CatalogueEntry:
    short = grade.lower().replace("-", "")
    return CatalogueEntry(sku=f"HC{short}-{litres}", name=f"宏驰半合成机油 {grade} SN {litres}L",
                          aliases=[f"宏驰{grade} {litres}L", *(f"宏驰{short}{c}" for c in called)],
                          unit="瓶" if litres < 4 else "桶")


OILS = [_oil(grade, 1) for grade in ("5W-30", "10W-40")] + [_oil(grade, 4) for grade in ("5W-30", "10W-40")]
OILS += [_oil(grade, 18, "大桶") for grade in ("5W-30", "10W-40")] + [_oil("10W-40", 200, "铁桶")]


async def _items(text: str) -> dict[str, int]:
    return await parsed_items(text, OILS)


@pytest.mark.parametrize(("text", "want"), [
    ("宏驰10w40小桶 20 大桶 3", {"HC10w40-4": 20, "HC10w40-18": 3}),
    ("宏驰10w40 大桶 6 铁桶 1", {"HC10w40-18": 6, "HC10w40-200": 1}),
    ("宏驰5w30 1升卖了两箱 小桶卖了十桶", {"HC5w30-1": 2, "HC5w30-4": 10}),
])
async def test_a_container_word_after_a_product_is_a_line_of_its_grade(text: str, want: dict[str, int]) -> None:
    assert await _items(text) == want
