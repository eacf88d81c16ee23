"""Size letters said between counts ("vest M 5 L 5", "S 50 M 100 L 50") list the M and the L of the product before,
not 5 litres or 50 metres; where the product has no such size, "4 l 10" stays the 4 L can."""

from __future__ import annotations

import pytest

from nlu.schema import CatalogueEntry
from tests.nlu_items import parsed_items

# safety vests named by 小号 / 中号 / 大号 / 加大号, called by their size letters in the aliases
_SIZES = (("S", "小号"), ("M", "中号"), ("L", "大号"), ("XL", "加大号"))
VESTS = [CatalogueEntry(sku=f"AW-VY-{s}", name=f"安卫 反光背心 {word}", aliases=[f"反光背心{s}", f"safety vest {s}"],
                        unit="件", category="背心") for s, word in _SIZES]
CLEANER = [CatalogueEntry(sku=f"AW-CL{v}", name=f"安卫 地面清洁剂 {v}L", aliases=[f"floor cleaner {v}L"], unit="桶",
                          category="清洁剂") for v in (4, 20)]


@pytest.mark.parametrize(("text", "want"), [
    ("safety vest M 5 L 5", {"AW-VY-M": 5, "AW-VY-L": 5}),
    ("safety vests S 50 M 100 L 50", {"AW-VY-S": 50, "AW-VY-M": 100, "AW-VY-L": 50}),
    ("反光背心 s4 m4 l2 xl1", {"AW-VY-S": 4, "AW-VY-M": 4, "AW-VY-L": 2, "AW-VY-XL": 1}),      # glued: letters
    ("反光背心 S 10\nM 30\nL 30\nXL 5", {"AW-VY-S": 10, "AW-VY-M": 30, "AW-VY-L": 30, "AW-VY-XL": 5}),
])
async def test_size_letters_between_counts_are_sizes(text: str, want: dict[str, int]) -> None:
    assert await parsed_items(text, VESTS + CLEANER) == want


async def test_a_litre_after_a_number_stays_a_litre_where_no_size_letter_is_sold() -> None:
    assert await parsed_items("floor cleaner 4 l 10", VESTS + CLEANER) == {"AW-CL4": 10}
