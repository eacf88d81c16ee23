"""Generic words of one line that together name one product ("500的杯子要白色 48个"): each word alone names
several products, the products they share (narrowed by a size said before them or between them) are one.

A catalogue of its own (storage boxes and umbrellas, no demo, development or blind product).
"""

from __future__ import annotations

from datetime import date

import pytest

from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry

CATALOGUE = [
    CatalogueEntry(sku="BX30-BL", name="30L收纳箱 蓝色", aliases=["storage box 30 blue"], unit="个", category="收纳箱"),
    CatalogueEntry(sku="BX30-GY", name="30L收纳箱 灰色", aliases=["storage box 30 grey"], unit="个", category="收纳箱"),
    CatalogueEntry(sku="BX50-BL", name="50L收纳箱 蓝色", aliases=["storage box 50 blue"], unit="个", category="收纳箱"),
    CatalogueEntry(sku="BX50-GY", name="50L收纳箱 灰色", aliases=["storage box 50 grey"], unit="个", category="收纳箱"),
    CatalogueEntry(sku="UM-LG-BL", name="长柄雨伞 蓝色", aliases=[], unit="把", category="雨伞"),
    CatalogueEntry(sku="UM-FD-BL", name="折叠雨伞 蓝色", aliases=[], unit="把", category="雨伞"),
    CatalogueEntry(sku="UM-FD-RD", name="折叠雨伞 红色", aliases=[], unit="把", category="雨伞"),
]
PARSER = OfflineParser()


def parse(text: str):  # type: ignore[no-untyped-def]
    return PARSER.parse_sync(text, catalogue=CATALOGUE, today=date(2026, 12, 4))


def items(text: str) -> dict[str, int]:
    return {i.sku: i.qty for i in parse(text).slots.items}


@pytest.mark.parametrize(("text", "expected"), [
    ("50的收纳箱要灰色 12个", {"BX50-GY": 12}),      # 收纳箱 of 50, 灰色 of several kinds: the grey 50 one
    ("storage box 30 蓝色 6个", {"BX30-BL": 6}),     # the size between the two words narrows too
    ("雨伞要红色的 3把", {"UM-FD-RD": 3}),            # the only red umbrella
    ("50的收纳箱要灰色 12个, 雨伞要红色的 3把", {"BX50-GY": 12, "UM-FD-RD": 3}),     # one line each
])
def test_generic_words_of_one_line_name_the_product_they_share(text: str, expected: dict[str, int]) -> None:
    assert items(text) == expected


@pytest.mark.parametrize("text", [
    "收纳箱要蓝色 10个",             # two blue boxes (30 and 50): still a question, never a guess
    "need 50 storage boxes",          # 50 is the count, not the size
    "雨伞要蓝色的 4把",               # long and folding are both blue
])
def test_what_stays_several_products_is_asked_back(text: str) -> None:
    result = parse(text)
    assert result.slots.items == []
    assert result.slots.unresolved and len(result.slots.unresolved[-1].candidates) >= 2


@pytest.mark.parametrize(("text", "expected"), [
    ("三十升的收纳箱要蓝色 5个", {"BX30-BL": 5}),           # a size in Chinese numerals is the size of the names
    ("灰色收纳箱五十升嘅要两个", {"BX50-GY": 2}),
    ("蓝色收纳箱30L5个 50L3个", {"BX30-BL": 5, "BX50-BL": 3}),   # a size glued to its count
])
def test_sizes_in_chinese_numerals_and_glued_to_the_count(text: str, expected: dict[str, int]) -> None:
    assert items(text) == expected


@pytest.mark.parametrize(("text", "normal"), [
    ("成犬粮十公斤嘅", "成犬粮10公斤嘅"), ("二十四寸的", "24寸的"), ("一点五升", "1.5升"), ("两公斤", "2公斤"),
    ("豆腐砂10L10包", "豆腐砂10l 10包"), ("1.5公斤20包", "1.5公斤 20包"),
    ("三四升", "三四升"), ("一百二十升", "一百二十升"),    # a guess between two numbers, a number past 99: as written
])
def test_normal_form_of_sizes(text: str, normal: str) -> None:
    from nlu.normalize import normalize

    assert normalize(text) == normal


def test_two_kinds_with_the_same_size_and_colour_are_asked_back() -> None:
    catalogue = [
        CatalogueEntry(sku="PY66-G", name="抛釉砖 600x600 灰", aliases=["600灰抛釉"], unit="箱", category="抛釉砖"),
        CatalogueEntry(sku="PY66-W", name="抛釉砖 600x600 白", aliases=["600白抛釉"], unit="箱", category="抛釉砖"),
        CatalogueEntry(sku="DZ66-G", name="仿古地砖 600x600 灰", aliases=["仿古砖灰"], unit="箱", category="地砖"),
    ]
    result = PARSER.parse_sync("600x600灰的给我来30箱", catalogue=catalogue, today=date(2026, 12, 4))
    assert result.slots.items == []           # the glazed one or the rustic one: never a guess
    assert set(result.slots.unresolved[-1].candidates) == {"PY66-G", "DZ66-G"}


DEHUMIDIFIERS = [
    CatalogueEntry(sku="DH12", name="除湿机 DH12 家用12升", aliases=["除湿机12"], unit="台", category="除湿机"),
    CatalogueEntry(sku="DH20", name="除湿机 DH20 20升", aliases=["除湿机20"], unit="台", category="除湿机"),
    CatalogueEntry(sku="DH50", name="商用除湿机 DH50 50升", aliases=["除湿机50"], unit="台", category="除湿机"),
]


@pytest.mark.parametrize("text", ["客户家的除湿机不出水了", "客户家里除湿机坏了", "他家的除湿机响得厉害"])
def test_whose_home_tells_no_product(text: str) -> None:
    """"客户家的除湿机" is a customer's home, not the 家用 (home) model: the three dehumidifiers are offered (was:
    DH12 taken in silence, the ticket filed on the wrong product)"""
    result = PARSER.parse_sync(text, catalogue=DEHUMIDIFIERS, today=date(2026, 12, 4))
    assert result.slots.product is None
    assert [sorted(u.candidates) for u in result.slots.unresolved] == [["DH12", "DH20", "DH50"]]

