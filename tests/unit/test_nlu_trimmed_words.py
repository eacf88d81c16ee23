"""Words said without the kind's last character: "乌龙6" for 乌龙茶, "2.5红10卷" for the alias 2.5红线 — taken only
when no other product has the word, and never matched by sound ("黑的" is not the "黑地" of 黑地漏).

A catalogue of its own, so these rules are tested apart from any labelled set.
"""

from __future__ import annotations

from datetime import date

import pytest

from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry

CATALOGUE = [
    CatalogueEntry(sku="T-OL", name="山泉乌龙茶500ml", aliases=[], unit="箱", category="茶饮料"),
    CatalogueEntry(sku="T-JS", name="山泉茉莉花茶500ml", aliases=["茉莉花茶"], unit="箱", category="茶饮料"),
    CatalogueEntry(sku="W-25R", name="BV电线2.5平方 红色", aliases=["2.5红线"], unit="卷", category="电线"),
    CatalogueEntry(sku="W-25B", name="BV电线2.5平方 蓝色", aliases=["2.5蓝线"], unit="卷", category="电线"),
    CatalogueEntry(sku="W-4R", name="BV电线4平方 红色", aliases=["4红线"], unit="卷", category="电线"),
    CatalogueEntry(sku="D-BK", name="黑色防臭地漏", aliases=["黑地漏"], unit="个", category="地漏"),
    CatalogueEntry(sku="S-W", name="马桶盖 白色", aliases=["白色马桶盖"], unit="个", category="马桶盖"),
    CatalogueEntry(sku="S-BK", name="马桶盖 黑色", aliases=["黑色马桶盖"], unit="个", category="马桶盖"),
    CatalogueEntry(sku="M-350", name="天然矿泉水350ml", aliases=["小瓶水"], unit="箱", category="矿泉水"),
    CatalogueEntry(sku="J-300", name="苹果汁300ml", aliases=["苹果汁小瓶"], unit="箱", category="果汁"),
]
PARSER = OfflineParser()


def items(text: str) -> dict[str, int]:
    result = PARSER.parse_sync(text, catalogue=CATALOGUE, today=date(2026, 12, 4))
    return {i.sku: i.qty for i in result.slots.items}


@pytest.mark.parametrize(("text", "expected"), [
    ("乌龙6 茉莉花茶6", {"T-OL": 6, "T-JS": 6}),
    ("2.5红10卷 2.5蓝8卷", {"W-25R": 10, "W-25B": 8}),
])
def test_a_product_word_without_its_kind_character_names_the_product(text: str, expected: dict[str, int]) -> None:
    assert items(text) == expected


def test_a_trimmed_word_other_products_also_have_names_none_of_them() -> None:
    # "小瓶" of 小瓶水 is also the small bottle of apple juice
    assert items("苹果汁小瓶的拿8箱") == {"J-300": 8}


def test_a_trimmed_word_is_not_matched_by_sound() -> None:
    assert items("马桶盖白的4个 黑的5个") == {"S-W": 4, "S-BK": 5}


DRINKS_AND_POTS = [
    CatalogueEntry(sku="MW-550", name="天然矿泉水550ml", aliases=[], unit="箱", category="矿泉水"),
    CatalogueEntry(sku="MW-1500", name="天然矿泉水1.5L", aliases=[], unit="箱", category="矿泉水"),
    CatalogueEntry(sku="RT-500", name="冰红茶500ml", aliases=["冰红茶500"], unit="箱", category="茶饮料"),
    CatalogueEntry(sku="RT-1L", name="冰红茶1L", aliases=[], unit="箱", category="茶饮料"),
    CatalogueEntry(sku="WK32", name="不粘炒锅32cm", aliases=[], unit="口", category="炒锅"),
    CatalogueEntry(sku="WK34", name="不粘炒锅34cm", aliases=[], unit="口", category="炒锅"),
    CatalogueEntry(sku="DB-12", name="配电箱12回路", aliases=[], unit="个", category="配电箱"),
]


@pytest.mark.parametrize(("text", "expected"), [
    ("550水40箱", {"MW-550": 40}),
    ("水550二十箱", {"MW-550": 20}),
    ("锅 32的 20口", {"WK32": 20}),
    ("冰红茶500的10箱 冰红茶改成15", {"RT-500": 15}),
])
def test_a_size_with_the_last_character_of_the_kind_names_the_product(text: str, expected: dict[str, int]) -> None:
    result = PARSER.parse_sync(text, catalogue=DRINKS_AND_POTS, today=date(2026, 12, 4))
    assert {i.sku: i.qty for i in result.slots.items} == expected


def test_a_count_with_a_unit_is_never_read_as_a_kind() -> None:
    # 箱 ends 配电箱 but is a unit: "12箱" is a count, not the 12-way box
    result = PARSER.parse_sync("冰红茶500 12箱", catalogue=DRINKS_AND_POTS, today=date(2026, 12, 4))
    assert {i.sku: i.qty for i in result.slots.items} == {"RT-500": 12}
