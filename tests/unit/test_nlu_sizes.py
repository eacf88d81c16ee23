"""Numbers that are sizes, not counts or codes: a size many products share is no product's code even where one
product's SKU ends with it; a size said after the count; a size glued to "*18".

A catalogue of its own (drinks), so these rules are tested apart from any labelled set.
"""

from __future__ import annotations

from datetime import date

import pytest

from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry

CATALOGUE = [
    CatalogueEntry(sku="RT-500", name="冰柠红茶500ml", aliases=["柠檬红茶500ml"], unit="箱", category="茶饮"),
    CatalogueEntry(sku="RT-1L", name="冰柠红茶1L", aliases=["柠檬红茶1L"], unit="箱", category="茶饮"),
    CatalogueEntry(sku="GT-500", name="茉香绿茶500ml", aliases=["绿茶500ml"], unit="箱", category="茶饮"),
    CatalogueEntry(sku="GT-1L", name="茉香绿茶1L", aliases=["绿茶1L"], unit="箱", category="茶饮"),
    CatalogueEntry(sku="PW-500", name="动力能量饮料500ml", aliases=["能量饮料大瓶"], unit="箱", category="功能饮料"),
    CatalogueEntry(sku="BS-200", name="全麦饼干200g", aliases=["全麦饼干小盒"], unit="盒", category="饼干"),
    CatalogueEntry(sku="BS-400", name="全麦饼干400g", aliases=["全麦饼干大盒"], unit="盒", category="饼干"),
    CatalogueEntry(sku="HO-40", name="编织软管40cm", aliases=["40公分软管"], unit="根", category="软管"),
    CatalogueEntry(sku="HO-50", name="编织软管50cm", aliases=["50公分软管"], unit="根", category="软管"),
    CatalogueEntry(sku="BV-15", name="铜球阀DN15", aliases=["4分铜球阀"], unit="个", category="阀门"),
    CatalogueEntry(sku="BV-20", name="铜球阀DN20", aliases=["6分铜球阀"], unit="个", category="阀门"),
]
PARSER = OfflineParser()


def items(text: str) -> dict[str, int]:
    result = PARSER.parse_sync(text, catalogue=CATALOGUE, today=date(2026, 12, 4))
    return {i.sku: i.qty for i in result.slots.items}


@pytest.mark.parametrize(("text", "expected"), [
    ("冰柠红茶来20箱 500的", {"RT-500": 20}),
    ("全麦饼干12盒 400的", {"BS-400": 12}),
    ("绿茶500*18", {"GT-500": 18}),
    ("绿茶1L x6", {"GT-1L": 6}),
])
def test_a_size_many_products_share_tells_the_variant_and_is_never_a_count(text: str,
                                                                           expected: dict[str, int]) -> None:
    assert items(text) == expected


def test_a_size_that_ends_one_products_code_does_not_name_that_product() -> None:
    assert items("500的来10箱") == {}


@pytest.mark.parametrize(("text", "expected"), [
    ("冰柠红茶来20箱 1的", {}),                 # 1 is no size of theirs: nothing is guessed
    ("绿茶来100箱 500的", {"GT-500": 100}),
    ("全麦饼干今天走了60盒 200的", {"BS-200": 60}),
    ("软管来100根 50的", {"HO-50": 100}),
    ("软管今天走了60根 40的", {"HO-40": 60}),
])
def test_a_number_said_with_de_after_a_count_is_the_size_not_a_second_count(text: str,
                                                                            expected: dict[str, int]) -> None:
    assert items(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("铜球阀4分 30个", {"BV-15": 30}),
    ("铜球阀30个 6分的", {"BV-20": 30}),
    ("铜球阀6分的整三十个", {"BV-20": 30}),
])
def test_a_pipe_size_in_fen_tells_the_variant_and_is_no_count(text: str, expected: dict[str, int]) -> None:
    assert items(text) == expected
