"""A series word that only the aliases show: names "<maker><series><kind> <colour> <size>" ("极客冰川长款羽绒服 黑色 M")
with aliases "<series><colour><size>" ("冰川黑M"): "冰川" is the series' word (what is left of the alias's Chinese once
the product's own colour is taken off), so "冰川黑色 M3件 L5件 XL的也来2" is three lines of the black parka."""

from __future__ import annotations

import pytest

from nlu.schema import CatalogueEntry
from tests.nlu_items import parsed_items

_COLOURS = {"BK": "黑色", "GY": "灰色"}
COATS = [CatalogueEntry(sku=f"BC-{c}-{s}", name=f"极客冰川长款羽绒服 {_COLOURS[c]} {s}",
                        aliases=[f"冰川{_COLOURS[c][:1]}{s}"], unit="件")
         for c in ("BK", "GY") for s in ("M", "L", "XL")]
COATS += [CatalogueEntry(sku=f"QF-BK-{s}", name=f"极客晴风短款羽绒服 黑色 {s}", aliases=[f"晴风黑{s}"], unit="件")
          for s in ("M", "L")]


async def _items(text: str) -> dict[str, int]:
    return await parsed_items(text, COATS)


@pytest.mark.parametrize(("text", "want"), [
    ("冰川黑色 M3件 L5件 XL的也来2", {"BC-BK-M": 3, "BC-BK-L": 5, "BC-BK-XL": 2}),
    ("晴风 黑M 1 黑L 2 本周销量", {"QF-BK-M": 1, "QF-BK-L": 2}),
])
async def test_the_series_word_of_the_aliases_leads_its_variants(text: str, want: dict[str, int]) -> None:
    assert await _items(text) == want
