"""A word of several products said again with more or a new count ("龙井再加2盒", "龙井改成5盒") after other lines,
when exactly one of its products is a line of the message: that line ("龙井明前250g 2盒 碧螺春250g 3盒 龙井再加2盒").

A catalogue of its own, so the rule is tested apart from any labelled set.
"""

from __future__ import annotations

import pytest

from nlu.schema import CatalogueEntry
from tests.nlu_items import parsed_items

TEA = [
    CatalogueEntry(sku="LJ-MQ250", name="西湖龙井 明前 250g", aliases=["龙井明前250g"], unit="盒", category="绿茶"),
    CatalogueEntry(sku="LJ-MQ500", name="西湖龙井 明前 500g", aliases=["龙井明前500g"], unit="盒", category="绿茶"),
    CatalogueEntry(sku="LJ-YQ250", name="西湖龙井 雨前 250g", aliases=["龙井雨前250g"], unit="盒", category="绿茶"),
    CatalogueEntry(sku="BLC-250", name="洞庭碧螺春 250g", aliases=["碧螺春250g"], unit="盒", category="绿茶"),
]


@pytest.mark.parametrize(("text", "want"), [
    ("龙井明前250g 2盒 碧螺春250g 3盒 龙井再加2盒", {"LJ-MQ250": 4, "BLC-250": 3}),
    ("龙井明前250g 2盒 碧螺春250g 3盒 龙井改成5盒", {"LJ-MQ250": 5, "BLC-250": 3}),
])
async def test_a_word_of_several_said_again_is_the_one_line_it_names(text: str, want: dict[str, int]) -> None:
    assert await parsed_items(text, TEA) == want
