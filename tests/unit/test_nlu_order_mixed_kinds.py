"""Order lines of kinds seen failing in testing (session 28): a near-miss code glued to a product word, sell-out
reports that give a count or a product only, English word order, corrections in the middle of a list, and a size
word said alone in a series line. A catalogue of its own (water purifiers, storage boxes, mats, cameras).
"""

from __future__ import annotations

from datetime import date

import pytest

from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry, ParseResult

CATALOGUE = [
    CatalogueEntry(sku="WP450", name="净水器 WP450", aliases=[], unit="台", category="净水器"),
    CatalogueEntry(sku="WP600", name="净水器 WP600", aliases=[], unit="台", category="净水器"),
    CatalogueEntry(sku="WP450-F", name="WP450滤芯", aliases=[], unit="个", category="滤芯"),
    CatalogueEntry(sku="WP600-F", name="WP600滤芯", aliases=[], unit="个", category="滤芯"),
    CatalogueEntry(sku="F-BOX", name="通用滤芯 箱装", aliases=["滤芯"], unit="箱", category="滤芯"),
    CatalogueEntry(sku="SB-L", name="晨曦系列 收纳箱 大号", aliases=[], unit="个", category="收纳箱"),
    CatalogueEntry(sku="SB-S", name="晨曦系列 收纳箱 小号", aliases=[], unit="个", category="收纳箱"),
    CatalogueEntry(sku="SBT-L", name="云朵加厚 收纳箱 大号", aliases=[], unit="个", category="收纳箱"),
    CatalogueEntry(sku="SBT-M", name="云朵加厚 收纳箱 中号", aliases=[], unit="个", category="收纳箱"),
    CatalogueEntry(sku="MT-L", name="Kona mat L", aliases=[], unit="pcs", category="mat"),
    CatalogueEntry(sku="MT-S", name="Kona mat S", aliases=[], unit="pcs", category="mat"),
    CatalogueEntry(sku="NVR-8", name="NVR 8ch recorder", aliases=["nvr 8ch"], unit="pcs", category="nvr"),
    CatalogueEntry(sku="NVR-16", name="NVR 16ch recorder", aliases=["nvr 16ch"], unit="pcs", category="nvr"),
    CatalogueEntry(sku="SW-8", name="PoE switch 8 port", aliases=[], unit="pcs", category="switch"),
    CatalogueEntry(sku="SW-16", name="PoE switch 16 port", aliases=[], unit="pcs", category="switch"),
    CatalogueEntry(sku="MON-22", name="22 inch monitor", aliases=[], unit="pcs", category="monitor"),
    CatalogueEntry(sku="MON-27", name="27 inch monitor", aliases=[], unit="pcs", category="monitor"),
    CatalogueEntry(sku="BR-L", name="wall mount bracket large", aliases=[], unit="pcs", category="bracket"),
    CatalogueEntry(sku="BR-S", name="wall mount bracket small", aliases=[], unit="pcs", category="bracket"),
    CatalogueEntry(sku="HS-20", name="heavy duty hose 20m", aliases=[], unit="pcs", category="hose"),
    CatalogueEntry(sku="HS-10", name="heavy duty hose 10m", aliases=[], unit="pcs", category="hose"),
    CatalogueEntry(sku="SG-5U", name="云雀喷枪 G-5 上壶", aliases=["G5上壶"], unit="把", category="喷枪"),
    CatalogueEntry(sku="SG-5D", name="云雀喷枪 G-5 下壶", aliases=["G5下壶"], unit="把", category="喷枪"),
    CatalogueEntry(sku="SG-9U", name="云雀喷枪 G-9 上壶", aliases=["G-9", "G9"], unit="把", category="喷枪"),
    CatalogueEntry(sku="CA", name="A款水杯", aliases=["A款"], unit="个", category="水杯"),
    CatalogueEntry(sku="CB", name="B款水杯", aliases=["B款"], unit="个", category="水杯"),
    CatalogueEntry(sku="CC", name="C款水杯", aliases=["C款"], unit="个", category="水杯"),
]
PARSER = OfflineParser()


def parse(text: str) -> ParseResult:
    return PARSER.parse_sync(text, catalogue=CATALOGUE, today=date(2026, 12, 4))


def items(text: str) -> dict[str, int]:
    return {i.sku: i.qty for i in parse(text).slots.items}


@pytest.mark.parametrize("text", ["WP4500滤芯 5个", "订WP4500滤芯5个", "要5个WP4500滤芯", "WP4500的滤芯 5个",
                                  "WP45滤芯 5个"])
def test_a_near_code_glued_to_a_product_word_is_named_back_not_read_as_the_word(text: str) -> None:
    slots = parse(text).slots
    assert slots.items == []
    assert [u.qty for u in slots.unresolved] == [5]
    assert "F-BOX" not in (slots.product or "")


def test_the_glued_near_code_offers_the_product_of_the_near_code_with_that_word() -> None:
    (u,) = parse("订WP4500滤芯5个").slots.unresolved
    assert u.candidates == ["WP450-F"]


def test_a_glued_near_code_names_back_only_its_own_line() -> None:
    slots = parse("WP6000滤芯 3个 WP450 2台").slots
    assert {i.sku: i.qty for i in slots.items} == {"WP450": 2}
    assert [(u.candidates, u.qty) for u in slots.unresolved] == [(["WP600-F"], 3)]


def test_a_code_with_a_word_of_its_kind_it_lacks_is_named_back_not_the_other_product() -> None:
    slots = parse("G-9下壶 2把").slots
    assert slots.items == []
    assert [(sorted(u.candidates), u.qty) for u in slots.unresolved] == [(["SG-5D", "SG-9U"], 2)]
    assert items("G-9上壶 2把") == {"SG-9U": 2}
    assert items("G5下壶 2把") == {"SG-5D": 2}


@pytest.mark.parametrize(("text", "expected"), [
    ("WP450滤芯 5个", {"WP450-F": 5}),
    ("订WP600滤芯5个", {"WP600-F": 5}),
    ("滤芯3箱", {"F-BOX": 3}),
])
def test_a_code_the_catalogue_has_glued_to_its_word_is_still_that_product(text: str, expected: dict[str, int]) -> None:
    assert items(text) == expected


def test_a_sell_out_count_with_no_product_invents_no_line() -> None:
    result = parse("卖了5台")
    assert result.intent.value == "report_sales"
    assert result.slots.items == [] and result.slots.product is None


def test_a_sell_out_product_with_no_count_is_not_taken_as_one() -> None:
    result = parse("这周WP450卖了")
    assert result.slots.items == []
    assert result.slots.product == "WP450"


def test_a_sell_out_of_several_lines_keeps_each_count() -> None:
    assert items("这周卖了3台WP450 2台WP600") == {"WP450": 3, "WP600": 2}


@pytest.mark.parametrize(("text", "expected"), [
    ("nvr 8ch x2", {"NVR-8": 2}),
    ("poe switch 8 port 3 pcs", {"SW-8": 3}),
    ("need 3 of the 22 inch monitor", {"MON-22": 3}),
    ("2 wall mount bracket large", {"BR-L": 2}),
    ("5 x heavy duty hose 20m", {"HS-20": 5}),
])
def test_english_counts_before_or_after_the_product_words(text: str, expected: dict[str, int]) -> None:
    assert items(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("WP450 10台 WP600 5台 不对WP600要8台 滤芯3箱", {"WP450": 10, "WP600": 8, "F-BOX": 3}),
    ("A款3 B款5 哦B款改4 C款2", {"CA": 3, "CB": 4, "CC": 2}),
    ("A款 8个, make that 10", {"CA": 10}),
    ("A款 8个 B款 3个, make that 10", {"CA": 8, "CB": 10}),
])
def test_a_correction_in_the_middle_of_a_list_changes_only_its_line(text: str, expected: dict[str, int]) -> None:
    assert items(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("晨曦系列 大号3 小号2", {"SB-L": 3, "SB-S": 2}),
    ("晨曦系列 大的3个 小的2个", {"SB-L": 3, "SB-S": 2}),
    ("晨曦系列 大3 小2", {"SB-L": 3, "SB-S": 2}),
    ("晨曦系列 large 3 small 2", {"SB-L": 3, "SB-S": 2}),
    ("sold 8 晨曦系列 large, 3 small", {"SB-L": 8, "SB-S": 3}),
    ("Kona mat 大号3 小号2", {"MT-L": 3, "MT-S": 2}),
    ("Kona large 3 small 2", {"MT-L": 3, "MT-S": 2}),
    # the kind word of two series, then counts said before the sizes: the series that has them
    ("收纳箱 来3个小号 再来2个大号", {"SB-S": 3, "SB-L": 2}),
])
def test_a_size_word_alone_in_a_series_line_is_that_series_size(text: str, expected: dict[str, int]) -> None:
    assert items(text) == expected
