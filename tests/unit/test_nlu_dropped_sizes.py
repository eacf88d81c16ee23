"""A size of the series said with an English word of taking out after it ("32 cancel掉", "XL remove") names that
line, which is removed: never a count for the line before."""

from __future__ import annotations

import pytest

from nlu.schema import CatalogueEntry
from tests.nlu_items import parsed_items

TROUSERS = [CatalogueEntry(sku=f"QF-{c}-{w}", name=f"轻风休闲裤 {colour} {w}腰", aliases=[f"轻风{colour}{w}"], unit="条")
            for colour, c in (("卡其", "KH"), ("灰", "GY")) for w in (29, 31, 33)]


@pytest.mark.parametrize(("text", "want"), [
    ("轻风卡其 29 x5 31 x3, 33 cancel掉", {"QF-KH-29": 5, "QF-KH-31": 3}),
    ("轻风灰 29 x2 33 x6, 31 drop", {"QF-GY-29": 2, "QF-GY-33": 6}),
])
async def test_a_size_said_with_an_english_word_of_taking_out_is_no_count(text: str, want: dict[str, int]) -> None:
    assert await parsed_items(text, TROUSERS) == want
