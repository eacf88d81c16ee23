"""A series said once on the first line ("澄光白五孔120个"), then lines of bare kind words ("单控80 双开双控40") that
several products share, some of them equally like the first line's product (单控 of 一开单控 and of 双开单控): the
product whose own words are the leading words of a line before and the kind word ("澄光白单控") is that line's.

A catalogue of its own, so the rule is tested apart from any labelled set.
"""

from __future__ import annotations

import pytest

from nlu.schema import CatalogueEntry
from tests.nlu_items import parsed_items

SWITCHES = [
    CatalogueEntry(sku="CG-5W", name="澄光系列 五孔插座 白", aliases=["澄光白五孔"], unit="个", category="插座"),
    CatalogueEntry(sku="CG-11W", name="澄光系列 一开单控 白", aliases=["澄光白单控", "澄光白一开单控"], unit="个", category="开关"),
    CatalogueEntry(sku="CG-21W", name="澄光系列 双开单控 白", aliases=["澄光白双开单控"], unit="个", category="开关"),
    CatalogueEntry(sku="CG-22W", name="澄光系列 双开双控 白", aliases=["澄光白双开双控"], unit="个", category="开关"),
    CatalogueEntry(sku="CG-5H", name="澄光系列 五孔插座 灰", aliases=["澄光灰五孔"], unit="个", category="插座"),
    CatalogueEntry(sku="CG-11H", name="澄光系列 一开单控 灰", aliases=["澄光灰单控"], unit="个", category="开关"),
    CatalogueEntry(sku="SY-11K", name="素影系列 一开单控 黑", aliases=["素影黑单控"], unit="个", category="开关"),
    CatalogueEntry(sku="SY-22K", name="素影系列 双开双控 黑", aliases=["素影黑双开双控"], unit="个", category="开关"),
]


@pytest.mark.parametrize(("text", "want"), [
    ("澄光白五孔120个 单控80 双开双控40", {"CG-5W": 120, "CG-11W": 80, "CG-22W": 40}),
    ("澄光灰五孔 20个 单控 10个", {"CG-5H": 20, "CG-11H": 10}),
])
async def test_a_kind_word_after_a_series_line_is_the_product_of_the_series_words_and_it(
        text: str, want: dict[str, int]) -> None:
    assert await parsed_items(text, SWITCHES) == want
