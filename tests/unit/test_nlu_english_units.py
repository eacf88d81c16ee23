"""Sizes written with English units ("8ch", "16 port", "22 inch", '32"', "4mp", "2tb") name the products whose Chinese
names glue the same size with the Chinese unit (8路, 16口, 22寸, 400万, 2T), and the trade's English words for
cameras, recorders, disks and screens name the products of their Chinese words.

A catalogue of its own, so the rules are tested apart from any labelled set.
"""

from __future__ import annotations

import pytest

from nlu.english_units import units_in_chinese
from nlu.normalize import normalize
from nlu.schema import CatalogueEntry
from tests.nlu_items import parsed_items

GOODS = [
    CatalogueEntry(sku="LK-R8", name="岭科哨兵8路录像机", aliases=["哨兵8路"], unit="台", category="录像机"),
    CatalogueEntry(sku="LK-R16", name="岭科哨兵16路录像机", aliases=["哨兵16路"], unit="台", category="录像机"),
    CatalogueEntry(sku="LK-S5", name="岭科5口交换机", aliases=["5口交换机"], unit="台", category="交换机"),
    CatalogueEntry(sku="LK-S16", name="岭科16口交换机", aliases=["16口交换机"], unit="台", category="交换机"),
    CatalogueEntry(sku="LK-M19", name="岭科19寸监视器", aliases=["19寸监视器"], unit="台", category="监视器"),
    CatalogueEntry(sku="LK-M27", name="岭科27寸监视器", aliases=["27寸监视器"], unit="台", category="监视器"),
    CatalogueEntry(sku="LK-D1", name="岭科监控硬盘1T", aliases=["1T硬盘"], unit="块", category="硬盘"),
    CatalogueEntry(sku="LK-D3", name="岭科监控硬盘3T", aliases=["3T硬盘"], unit="块", category="硬盘"),
    CatalogueEntry(sku="LK-Q3", name="岭科鹰眼300万枪机", aliases=["鹰眼300万枪机"], unit="台", category="摄像机"),
    CatalogueEntry(sku="LK-Q5", name="岭科鹰眼500万枪机", aliases=["鹰眼500万枪机"], unit="台", category="摄像机"),
    CatalogueEntry(sku="LK-H5", name="岭科鹰眼500万半球", aliases=["鹰眼500万半球"], unit="台", category="摄像机"),
    CatalogueEntry(sku="LK-QJ", name="岭科球机壁装支架", aliases=["壁装支架"], unit="个", category="支架"),
    CatalogueEntry(sku="LK-S8P", name="岭科8口PoE交换机", aliases=["8口POE"], unit="台", category="交换机"),
    CatalogueEntry(sku="LK-QZ", name="岭科枪机支架", aliases=["枪机支架"], unit="个", category="支架"),
    CatalogueEntry(sku="LK-P20", name="岭科巡天20倍球机", aliases=["巡天20倍"], unit="台", category="球机"),
    CatalogueEntry(sku="LK-PM", name="岭科巡天迷你球机", aliases=["巡天迷你球"], unit="台", category="球机"),
]


@pytest.mark.parametrize(("said", "written"), [
    ("nvr 8ch x2", "nvr 8路 x2"), ("16 channel nvr", "16路 nvr"), ("8-channel", "8路"),
    ("16 port switch", "16口 switch"), ("5port", "5口"), ("24-ports", "24口"),
    ("27 inch monitor", "27寸 monitor"), ("19-inch", "19寸"), ('27" monitor', "27寸 monitor"),
    ("5mp bullet", "500万 bullet"), ("3 mp", "300万"), ("3tb drives", "3t drives"),
])
def test_english_units_are_written_as_the_chinese_ones(said: str, written: str) -> None:
    assert units_in_chinese(said) == written


@pytest.mark.parametrize("said", [
    "4 in wood", "6in 10", "ch 8", "1p16a x24", "sold 5 pcs", "is 1608 in stock", '"ok" 5', "10 x 20mp3", "cap 8",
])
def test_numbers_without_such_a_unit_stay(said: str) -> None:
    assert units_in_chinese(said) == said


def test_a_catalogue_written_in_english_still_matches_itself() -> None:
    assert normalize("8 Port Switch") == normalize("8port switch") == "8口 switch"


@pytest.mark.parametrize(("text", "want"), [
    ("nvr 16ch x2", {"LK-R16": 2}),
    ("sold 3 of the 16 port switch", {"LK-S16": 3}),
    ("27 inch monitor x2", {"LK-M27": 2}),
    ('19" monitor one', {"LK-M19": 1}),
    ("drop the 1tb drives, keep 3tb x5", {"LK-D3": 5}),
    ("鹰眼 5mp bullet 4台", {"LK-Q5": 4}),
    ("鹰眼 5MP dome x3", {"LK-H5": 3}),
])
async def test_english_units_and_kind_words_name_the_product(text: str, want: dict[str, int]) -> None:
    assert await parsed_items(text, GOODS) == want


@pytest.mark.parametrize("text", ["monitor x2", "nvr x2", "drives 5", "鹰眼 bullet x3"])
async def test_a_kind_word_of_several_products_alone_is_no_item(text: str) -> None:
    assert await parsed_items(text, GOODS) == {}


async def test_a_bracket_after_a_line_stays_a_word_of_every_bracket() -> None:
    """"球机" said in English ("ptz") holds every name with 球机 in it, the ptz bracket too: that is no kind the
    catalogue says, so a bare 支架 after a 球机's line is not read as that bracket."""
    assert await parsed_items("巡天迷你球 五台 支架五个", GOODS) == {"LK-PM": 5}


@pytest.mark.parametrize(("text", "want"), [
    ("8口 poe x4", {"LK-S8P": 4}),
    ("sold 10 of the 8 port poe switch", {"LK-S8P": 10}),
])
async def test_chinese_and_letters_glued_in_an_alias_are_typed_with_a_space(text: str, want: dict[str, int]) -> None:
    assert await parsed_items(text, GOODS) == want
