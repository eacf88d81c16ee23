"""A word of several products, then one line per variant: bare counts ("原味4 番茄4"), a descriptor word that
other products share ("原味" of chips and of seeds), and a later line that changes one word of the first line's
product ("烧烤小包15箱 大包10箱": the big pack of that flavour).

A catalogue of its own (snacks), so these rules are tested apart from any labelled set.
"""

from __future__ import annotations

from datetime import date

import pytest

from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry

CATALOGUE = [
    CatalogueEntry(sku="CH-P-S", name="香脆薯片原味小包", aliases=["原味小包"], unit="箱", category="薯片"),
    CatalogueEntry(sku="CH-P-L", name="香脆薯片原味大包", aliases=["原味大包"], unit="箱", category="薯片"),
    CatalogueEntry(sku="CH-T-S", name="香脆薯片番茄小包", aliases=["番茄小包"], unit="箱", category="薯片"),
    CatalogueEntry(sku="CH-T-L", name="香脆薯片番茄大包", aliases=["番茄大包"], unit="箱", category="薯片"),
    CatalogueEntry(sku="CH-B-S", name="香脆薯片烧烤小包", aliases=["烧烤小包"], unit="箱", category="薯片"),
    CatalogueEntry(sku="CH-B-L", name="香脆薯片烧烤大包", aliases=["烧烤大包"], unit="箱", category="薯片"),
    CatalogueEntry(sku="SD-P", name="原味瓜子", aliases=["原味葵花籽"], unit="袋", category="炒货"),
    CatalogueEntry(sku="SD-C", name="焦糖瓜子", aliases=[], unit="袋", category="炒货"),
    CatalogueEntry(sku="EW-L", name="柠檬电解质水", aliases=["lemon electrolyte water"], unit="箱", category="饮料"),
    CatalogueEntry(sku="EW-G", name="西柚电解质水", aliases=["grapefruit electrolyte water"], unit="箱",
                   category="饮料"),
]
PARSER = OfflineParser()


def items(text: str) -> dict[str, int]:
    result = PARSER.parse_sync(text, catalogue=CATALOGUE, today=date(2026, 12, 4))
    return {i.sku: i.qty for i in result.slots.items}


@pytest.mark.parametrize(("text", "expected"), [
    ("小包薯片：原味4 番茄4 烧烤6", {"CH-P-S": 4, "CH-T-S": 4, "CH-B-S": 6}),
    ("大包薯片 原味10 番茄5", {"CH-P-L": 10, "CH-T-L": 5}),
    ("烧烤小包来15箱 大包要10箱", {"CH-B-S": 15, "CH-B-L": 10}),
])
def test_each_line_of_a_variant_list_is_its_own_product(text: str, expected: dict[str, int]) -> None:
    assert items(text) == expected


def test_a_line_of_another_product_is_not_read_as_the_first_one_again() -> None:
    assert items("lemon electrolyte water 25 and grapefruit electrolyte water 25") == {"EW-L": 25, "EW-G": 25}


def test_bare_counts_are_taken_only_when_every_line_names_one_product() -> None:
    # "5 8" after 薯片 names no variant: nothing is guessed for the kind word
    assert items("薯片 5 8") == {}


WIRES_AND_SOCKETS = [
    CatalogueEntry(sku="W-25R", name="BV电线2.5平方 红色", aliases=["2.5红线"], unit="卷", category="电线"),
    CatalogueEntry(sku="W-25B", name="BV电线2.5平方 蓝色", aliases=["2.5蓝线"], unit="卷", category="电线"),
    CatalogueEntry(sku="W-25Y", name="BV电线2.5平方 黄绿双色", aliases=["2.5地线"], unit="卷", category="电线"),
    CatalogueEntry(sku="W-4R", name="BV电线4平方 红色", aliases=["4红线"], unit="卷", category="电线"),
    CatalogueEntry(sku="W-4Y", name="BV电线4平方 黄绿双色", aliases=["4地线"], unit="卷", category="电线"),
    CatalogueEntry(sku="S-GY", name="五孔插座 灰色", aliases=[], unit="个", category="插座"),
    CatalogueEntry(sku="S-W", name="五孔插座 白色", aliases=[], unit="个", category="插座"),
    CatalogueEntry(sku="SU-GY", name="五孔USB插座 灰色", aliases=[], unit="个", category="插座"),
    CatalogueEntry(sku="SK-GY", name="带开关五孔插座 灰色", aliases=[], unit="个", category="插座"),
]


def items_of(text: str, catalogue: list[CatalogueEntry]) -> dict[str, int]:
    result = PARSER.parse_sync(text, catalogue=catalogue, today=date(2026, 12, 4))
    return {i.sku: i.qty for i in result.slots.items}


def test_the_size_of_the_first_line_holds_for_the_colour_lines_after_it() -> None:
    assert items_of("2.5红10卷 蓝10卷 双色5卷", WIRES_AND_SOCKETS) == {"W-25R": 10, "W-25B": 10, "W-25Y": 5}


def test_a_word_of_a_plain_product_and_its_extended_versions_is_the_plain_one() -> None:
    assert items_of("五孔 灰的 来40个", WIRES_AND_SOCKETS) == {"S-GY": 40}
    # two plain ones (grey and white) left: nothing is guessed
    assert items_of("五孔 来40个", WIRES_AND_SOCKETS) == {}


@pytest.mark.parametrize(("text", "expected"), [
    ("小包薯片今天：原味4 番茄4 烧烤6", {"CH-P-S": 4, "CH-T-S": 4, "CH-B-S": 6}),
    ("烧烤小包畀我15箱 大包嘅要10箱", {"CH-B-S": 15, "CH-B-L": 10}),
    ("原味小包来5箱 番茄小包5箱 嗯对就这两个", {"CH-P-S": 5, "CH-T-S": 5}),
])
def test_words_before_the_kind_hold_for_its_lines_and_a_closing_count_is_no_count(text: str,
                                                                                  expected: dict[str, int]) -> None:
    assert items(text) == expected
