"""A product's own variant words said right after it ("松风53度500礼盒3件", "雪岭42 gift box 10箱") are its words, never
counts: the degree and the volume of a spirit were read as a count and added to the line's own ("56", "52")."""

from __future__ import annotations

import pytest

from nlu.schema import CatalogueEntry
from tests.nlu_items import parsed_items


def _spirit(series: str, code: str, degrees: int, ml: int, box: str) -> CatalogueEntry:
    kind = "礼盒" if box == "G" else "光瓶"
    english = "gift box" if box == "G" else "plain"
    return CatalogueEntry(sku=f"{code}{degrees}-{ml}{box}", name=f"松岭{series} {degrees}度 {ml}ml {kind}",
                          aliases=[f"{series}{ml}{kind}", f"{series} {degrees} {english}"], unit="瓶")


SPIRITS = [_spirit("松风", "SF", 53, 500, "G"), _spirit("松风", "SF", 53, 500, "P"), _spirit("松风", "SF", 53, 250, "P"),
           _spirit("雪岭", "XL", 42, 500, "G"), _spirit("雪岭", "XL", 42, 250, "P"), _spirit("雪岭", "XL", 52, 500, "P")]


@pytest.mark.parametrize(("text", "want"), [
    ("松风53度500礼盒3件", {"SF53-500G": 3}),
    ("松风53度 500 礼盒 10箱", {"SF53-500G": 10}),
    ("松风53度500礼盒 半打", {"SF53-500G": 6}),
])
async def test_the_products_own_sizes_after_it_are_no_count(text: str, want: dict[str, int]) -> None:
    assert await parsed_items(text, SPIRITS) == want


async def test_a_count_equal_to_a_size_is_still_the_count() -> None:
    assert await parsed_items("松风53度250光瓶 250", SPIRITS) == {"SF53-250P": 250}


def _wire(size: str, colour: str, code: str) -> CatalogueEntry:
    return CatalogueEntry(sku=f"QS-R{size.replace('.', '')}{code}", name=f"青松 RV{size}平方 多股软线 {colour} 100米/卷",
                          aliases=[f"RV{size}{colour}", f"{size}软线{colour}"], unit="卷")


WIRES = [_wire(size, colour, code) for size in ("1.5", "2.5") for colour, code in (("红", "R"), ("蓝", "B"), ("双色", "YG"))]


async def test_a_size_of_the_products_name_said_before_it_is_no_count() -> None:
    assert await parsed_items("1.5软线 红 蓝 双色 各5卷", WIRES) == {"QS-R15R": 5, "QS-R15B": 5, "QS-R15YG": 5}


def _laojiao(degrees: int, ml: int, kind: str, jin: str) -> CatalogueEntry:
    code = "G" if kind == "礼盒" else "P"
    return CatalogueEntry(sku=f"LJ{degrees}-{ml}{code}", name=f"松岭老窖 {degrees}度 {ml}ml {kind}",
                          aliases=[f"老窖{degrees}度{ml}{kind}", f"老窖{degrees}{jin}{kind}"], unit="瓶")


LAOJIAO = [_laojiao(52, 500, "礼盒", "一斤"), _laojiao(52, 500, "光瓶", "一斤"), _laojiao(42, 500, "礼盒", "一斤"),
           _laojiao(52, 250, "光瓶", "半斤")]


async def test_a_size_with_its_zhuang_then_the_products_word_is_one_line() -> None:
    # "一斤装 礼盒": the 礼盒 is the line's own word again, not a second line of the gift box
    assert await parsed_items("老窖52度一斤装 礼盒光瓶各8箱", LAOJIAO) == {"LJ52-500G": 8, "LJ52-500P": 8}
