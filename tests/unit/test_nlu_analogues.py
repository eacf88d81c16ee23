"""A series said once with its size, then the other sizes alone with their counts, the way plumbing, tyre and paint
dealers list them: "热水管20 40根，25 20根", "弯头 20的 200个 25的 100", "PE管 20的2盘 25的3盘". The size said alone
names the product of the same words in that size (the dealer's own wording is the pattern, whatever the
catalogue's names look like); a size the catalogue lacks is named back, its count not given to the line before.
Aliases written size-first are read either way round ("20弯头" / "弯头20").

A catalogue of its own, so these rules are tested apart from any labelled set.
"""

from __future__ import annotations

from datetime import date

import pytest

from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry

CATALOGUE = [
    CatalogueEntry(sku="PR20", name="安澜PPR冷水管 20mm", aliases=["冷水管20", "20冷水管", "4分冷水管"], unit="根", category="PPR管"),
    CatalogueEntry(sku="PR25", name="安澜PPR冷水管 25mm", aliases=["冷水管25", "25冷水管", "6分冷水管"], unit="根", category="PPR管"),
    CatalogueEntry(sku="PH20", name="安澜PPR热水管 20mm", aliases=["热水管20", "20热水管"], unit="根", category="PPR管"),
    CatalogueEntry(sku="PH25", name="安澜PPR热水管 25mm", aliases=["热水管25", "25热水管"], unit="根", category="PPR管"),
    CatalogueEntry(sku="EL20", name="安澜PPR 90°弯头 20", aliases=["20弯头", "4分弯头"], unit="个", category="PPR管件"),
    CatalogueEntry(sku="EL25", name="安澜PPR 90°弯头 25", aliases=["25弯头", "6分弯头"], unit="个", category="PPR管件"),
    CatalogueEntry(sku="E45-20", name="安澜PPR 45°弯头 20", aliases=["45度弯头20"], unit="个", category="PPR管件"),
    CatalogueEntry(sku="RD2520", name="安澜PPR 异径直接 25x20", aliases=["25转20"], unit="个", category="PPR管件"),
    CatalogueEntry(sku="PE20", name="安澜PE给水管 20mm 100米盘", aliases=["PE管20", "20PE管"], unit="盘", category="PE管"),
    CatalogueEntry(sku="PE25", name="安澜PE给水管 25mm 100米盘", aliases=["PE管25", "25PE管"], unit="盘", category="PE管"),
    CatalogueEntry(sku="TE20", name="安澜PPR 等径三通 20", aliases=["20三通", "4分三通"], unit="个", category="PPR管件"),
    CatalogueEntry(sku="TE25", name="安澜PPR 等径三通 25", aliases=["25三通", "6分三通"], unit="个", category="PPR管件"),
    CatalogueEntry(sku="TE32", name="安澜PPR 等径三通 32", aliases=["32三通", "1寸三通"], unit="个", category="PPR管件"),
]
PARSER = OfflineParser()


def parsed(text: str) -> tuple[dict[str, int], list[str]]:
    result = PARSER.parse_sync(text, catalogue=CATALOGUE, today=date(2026, 12, 4))
    return {i.sku: i.qty for i in result.slots.items}, [u.word for u in result.slots.unresolved]


@pytest.mark.parametrize(("text", "expected"), [
    ("热水管20 40根，25 20根", {"PH20": 40, "PH25": 20}),            # "25 20" is no code 25x20 here
    ("热水管20 40根 25 20根", {"PH20": 40, "PH25": 20}),
    ("弯头 20的 200个 25的 100", {"EL20": 200, "EL25": 100}),
    ("PE管 20的2盘 25的3盘", {"PE20": 2, "PE25": 3}),
    ("冷水管20 贰拾根 25 拾伍根", {"PR20": 20, "PR25": 15}),          # financial numerals as counts
    ("冷水管20嘅要50條 25嘅30條", {"PR20": 50, "PR25": 30}),          # Cantonese
    ("冷水管20 30根 20的改成40", {"PR20": 40}),                      # the same size again: that line, set
    ("热水管20 40根 25转20 10个", {"PH20": 40, "RD2520": 10}),       # a product's own words stay what they are
    ("三通 4分300 6分200 1寸50个", {"TE20": 300, "TE25": 200, "TE32": 50}),   # trade sizes of the aliases ("6分三通")
    ("三通 20的 100个 25的 50个", {"TE20": 100, "TE25": 50}),
])
def test_a_size_said_alone_after_a_sized_product_is_that_product_in_the_size(text: str, expected: dict[str, int]) -> None:
    assert parsed(text) == (expected, [])


@pytest.mark.parametrize(("text", "expected"), [("弯头20 200个", {"EL20": 200}), ("弯头25 两包", {"EL25": 2}),
                                                ("要弯头4分 30个", {"EL20": 30})])
def test_an_alias_written_size_first_is_read_the_other_way_round(text: str, expected: dict[str, int]) -> None:
    assert parsed(text)[0] == expected


def test_a_size_the_catalogue_lacks_is_named_back_and_its_count_not_given_to_the_line_before() -> None:
    assert parsed("热水管20 40根 63 5根") == ({"PH20": 40}, ["热水管63"])
