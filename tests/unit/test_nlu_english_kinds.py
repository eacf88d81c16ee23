"""English words a dealer writes for a catalogue whose English is only in its aliases: a word several products'
aliases share names that kind ("kettle", "air fryer"), and the words beside it (a size, a colour, a material in
English or Chinese) tell which one.

A catalogue of its own (small appliances and pans), so these rules are tested apart from any labelled set.
"""

from __future__ import annotations

from datetime import date

import pytest

from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry

CATALOGUE = [
    CatalogueEntry(sku="KE-15W", name="1.5L电热水壶 白色", aliases=["kettle 1.5 white"], unit="台", category="水壶"),
    CatalogueEntry(sku="KE-15B", name="1.5L电热水壶 黑色", aliases=["kettle 1.5 black"], unit="台", category="水壶"),
    CatalogueEntry(sku="KE-18W", name="1.8L电热水壶 白色", aliases=["kettle 1.8 white"], unit="台", category="水壶"),
    CatalogueEntry(sku="FR-35", name="3.5L空气炸锅", aliases=["air fryer 3.5L"], unit="台", category="炸锅"),
    CatalogueEntry(sku="FR-55", name="5.5L空气炸锅", aliases=["air fryer 5.5L"], unit="台", category="炸锅"),
    CatalogueEntry(sku="MX-Q", name="静音料理机", aliases=["quiet mixer"], unit="台", category="料理机"),
    CatalogueEntry(sku="MX-H", name="加热料理机", aliases=["heating mixer"], unit="台", category="料理机"),
    CatalogueEntry(sku="PN-26S", name="26cm不锈钢平底锅", aliases=["pan 26 steel"], unit="口", category="平底锅"),
    CatalogueEntry(sku="PN-26C", name="26cm铸铁平底锅", aliases=["pan 26 cast iron"], unit="口", category="平底锅"),
    CatalogueEntry(sku="PN-28S", name="28cm不锈钢平底锅", aliases=["pan 28 steel"], unit="口", category="平底锅"),
    CatalogueEntry(sku="SP-24E", name="24cm铸铁珐琅汤锅", aliases=["珐琅锅24"], unit="口", category="汤锅"),
    CatalogueEntry(sku="SP-24S", name="24cm不锈钢汤锅", aliases=["钢汤锅24"], unit="口", category="汤锅"),
]
PARSER = OfflineParser()


def items(text: str) -> dict[str, int]:
    result = PARSER.parse_sync(text, catalogue=CATALOGUE, today=date(2026, 12, 4))
    return {i.sku: i.qty for i in result.slots.items}


@pytest.mark.parametrize(("text", "expected"), [
    ("要10台 air fryer 5.5的", {"FR-55": 10}),
    ("mixer, the quiet one, 3 units", {"MX-Q": 3}),
    ("kettle 1.5 黑色 6台", {"KE-15B": 6}),
    ("平底锅 26 stainless 6口", {"PN-26S": 6}),
])
def test_an_english_word_of_several_products_and_the_words_that_tell_them_apart(text: str,
                                                                                 expected: dict[str, int]) -> None:
    assert items(text) == expected


def test_an_english_word_of_several_products_alone_names_none_of_them() -> None:
    assert items("kettle 6台") == {}


@pytest.mark.parametrize("text", ["平底锅26不锈钢还有货吗", "平底锅26不锈钢什么价"])
def test_a_size_written_before_the_word_that_tells_the_variant_is_no_count(text: str) -> None:
    result = PARSER.parse_sync(text, catalogue=CATALOGUE, today=date(2026, 12, 4))
    assert result.slots.product == "PN-26S"


def test_one_character_after_an_ordering_verb_tells_the_variant() -> None:
    assert items("电热水壶要黑的 1.5那款 6台") == {"KE-15B": 6}


def test_the_word_of_an_alias_written_with_a_bare_size_names_its_product() -> None:
    assert items("24的珐琅锅2口") == {"SP-24E": 2}


@pytest.mark.parametrize(("text", "expected", "removed"), [
    ("26cm不锈钢平底锅换成铸铁的 6口", {"PN-26C": 6}, ["PN-26S"]),
    ("1.5L电热水壶 白色 换黑的 4台", {"KE-15B": 4}, ["KE-15W"]),
    ("pan 26 steel change to cast iron, 6 pcs", {"PN-26C": 6}, ["PN-26S"]),
])
def test_one_product_changed_for_another_of_its_kind_named_by_what_tells_them_apart(
        text: str, expected: dict[str, int], removed: list[str]) -> None:
    result = PARSER.parse_sync(text, catalogue=CATALOGUE, today=date(2026, 12, 4))
    assert {i.sku: i.qty for i in result.slots.items} == expected
    assert result.slots.removed == removed


@pytest.mark.parametrize(("text", "expected", "removed"), [
    ("1.5L电热水壶 白色 6台，哦不对，是黑色的那个，6台", {"KE-15B": 6}, ["KE-15W"]),
    ("PN-26S 4口 不对 PN-28S 5口", {"PN-28S": 5}, ["PN-26S"]),
])
def test_a_correction_naming_another_product_with_its_own_count_replaces_the_line(
        text: str, expected: dict[str, int], removed: list[str]) -> None:
    result = PARSER.parse_sync(text, catalogue=CATALOGUE, today=date(2026, 12, 4))
    assert {i.sku: i.qty for i in result.slots.items} == expected
    assert result.slots.removed == removed
