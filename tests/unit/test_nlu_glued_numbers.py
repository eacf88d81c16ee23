"""A number glued to the words of one product that the product's name, code and aliases do not have ("600白色毛巾架"
when the one 白色毛巾架 is the 800 one, "红茶250 4盒" when 红茶 is only sold in 500g) names no product: the dealer is
asked, with the products of that number as suggestions, never given the product of the other number. When exactly
one product of the kind has both the number and the words, it is that one."""

from __future__ import annotations

from datetime import date

import pytest

from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry
from tests.nlu_items import parsed_items

RAILS = [
    CatalogueEntry(sku="XH-600-W", name="星河铝毛巾架 600mm 白色", aliases=["星河600白"], unit="个", category="毛巾架"),
    CatalogueEntry(sku="XH-800-W", name="星河铝毛巾架 800mm 白色", aliases=["星河800白", "800白色毛巾架"], unit="个",
                   category="毛巾架"),
    CatalogueEntry(sku="XH-600-B", name="星河铝毛巾架 600mm 黑色", aliases=["星河600黑"], unit="个", category="毛巾架"),
]
TEAS = [
    CatalogueEntry(sku="MS-HC-500", name="茗山红茶 500g", aliases=["红茶"], unit="盒", category="茶叶"),
    CatalogueEntry(sku="MS-LC-250", name="茗山绿茶 250g", aliases=["绿茶"], unit="盒", category="茶叶"),
]
BASINS = [
    CatalogueEntry(sku="YP-60", name="悦盆陶瓷台盆 宽60", aliases=["60的洗手盆"], unit="个", category="台盆"),
    CatalogueEntry(sku="YP-SQ", name="悦盆方形台盆", aliases=["洗手盆"], unit="个", category="台盆"),
]


@pytest.mark.parametrize(("text", "catalogue", "want"), [
    ("600白色毛巾架 10个", RAILS, {}),
    ("800白色毛巾架 10个", RAILS, {"XH-800-W": 10}),
    ("红茶250 4盒", TEAS, {}),
    ("红茶 4盒", TEAS, {"MS-HC-500": 4}),
    ("60洗手盆 3个", BASINS, {"YP-60": 3}),
    ("洗手盆 3个", BASINS, {"YP-SQ": 3}),
])
async def test_a_glued_number_the_product_does_not_have_names_no_product(
        text: str, catalogue: list[CatalogueEntry], want: dict[str, int]) -> None:
    assert await parsed_items(text, catalogue) == want


async def test_the_products_of_that_number_are_suggested() -> None:
    parsed = await OfflineParser().parse("600白色毛巾架 10个", catalogue=RAILS, today=date(2026, 12, 6))
    assert [(u.word, u.qty, set(u.candidates)) for u in parsed.slots.unresolved] == \
        [("600白色毛巾架", 10, {"XH-600-W", "XH-600-B"})]
