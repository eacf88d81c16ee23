"""A size said in Chinese numerals before a unit letter ("三K", "十K的") names the catalogue's 3K / 10K product as
the digits do, and the line keeps its own count; where the catalogue writes no such size, the letters stay."""

from __future__ import annotations

import pytest

from nlu.numeral_codes import numeral_codes_spelled
from nlu.products import ProductIndex
from nlu.schema import CatalogueEntry
from tests.nlu_items import parsed_items

# online UPS units: a series and its ratings, written "3K" as the trade does
UPS = [CatalogueEntry(sku=f"RD-{k}K", name=f"瑞盾 在线式UPS {k}K", aliases=[f"瑞盾{k}K", f"RD{k}K"], unit="台")
       for k in (1, 3, 6, 10, 20)]


@pytest.mark.parametrize(("text", "want"), [
    ("瑞盾 三K 2台 十K 1台", {"RD-3K": 2, "RD-10K": 1}),
    ("瑞盾二十K的来两台", {"RD-20K": 2}),
    ("卖了瑞盾 六k 5台 一k 3台", {"RD-6K": 5, "RD-1K": 3}),
])
async def test_a_numeral_size_with_its_letter_is_the_catalogue_size(text: str, want: dict[str, int]) -> None:
    assert await parsed_items(text, UPS) == want


def test_letters_no_size_of_the_catalogue_has_stay_as_said() -> None:
    # nothing is sold as 5W here: "五w" is no size (it may be 5万); "三k" is
    assert numeral_codes_spelled("瑞盾 三k 五w 3台", ProductIndex(UPS)) == "瑞盾 3k 五w 3台"
