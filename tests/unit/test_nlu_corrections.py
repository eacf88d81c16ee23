"""A line corrected inside the message: the size or the count said again after a correction word, in Chinese
("算了改6升的", "不对 要350的", "不对5W要30") and in English ("sorry I meant 60L", "oops the 400g").

A catalogue of its own, so these rules are tested apart from any labelled set.
"""

from __future__ import annotations

from datetime import date

import pytest

from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry

CATALOGUE = [
    CatalogueEntry(sku="PC5", name="压力锅5升", aliases=[], unit="台", category="压力锅"),
    CatalogueEntry(sku="PC6", name="压力锅6升", aliases=[], unit="台", category="压力锅"),
    CatalogueEntry(sku="CUP5-BK", name="保温杯500ml 黑色", aliases=["保温杯500黑"], unit="个", category="保温杯"),
    CatalogueEntry(sku="CUP3-BK", name="保温杯350ml 黑色", aliases=["保温杯350黑"], unit="个", category="保温杯"),
    CatalogueEntry(sku="CUP3-WH", name="保温杯350ml 白色", aliases=["保温杯350白"], unit="个", category="保温杯"),
    CatalogueEntry(sku="B5-W", name="LED球泡 5W 白光", aliases=["5W白光"], unit="只", category="球泡"),
    CatalogueEntry(sku="B5-WM", name="LED球泡 5W 暖光", aliases=["5W暖光"], unit="只", category="球泡"),
    CatalogueEntry(sku="B9-WM", name="LED球泡 9W 暖光", aliases=["9W暖光"], unit="只", category="球泡"),
    CatalogueEntry(sku="WH-50", name="电热水器50L", aliases=["electric water heater 50L"], unit="台", category="热水器"),
    CatalogueEntry(sku="WH-60", name="电热水器60L", aliases=["electric water heater 60L"], unit="台", category="热水器"),
    CatalogueEntry(sku="BS-200", name="消化饼干200g", aliases=["digestive biscuits 200g"], unit="盒", category="饼干"),
    CatalogueEntry(sku="BS-400", name="消化饼干400g", aliases=["digestive biscuits 400g"], unit="盒", category="饼干"),
]
PARSER = OfflineParser()


def items(text: str) -> dict[str, int]:
    result = PARSER.parse_sync(text, catalogue=CATALOGUE, today=date(2026, 12, 4))
    return {i.sku: i.qty for i in result.slots.items}


@pytest.mark.parametrize(("text", "expected"), [
    ("压力锅5升2台 算了改6升的", {"PC6": 2}),
    ("黑色保温杯500的48个 不对 要350的", {"CUP3-BK": 48}),
    ("9W暖光50 5W暖光20 不对5W要30", {"B9-WM": 50, "B5-WM": 30}),
    ("2 x 50L electric water heater, sorry I meant 60L", {"WH-60": 2}),
    ("digestive biscuits 200g 24 boxes, oops the 400g", {"BS-400": 24}),
])
def test_the_corrected_line_is_the_one_ordered(text: str, expected: dict[str, int]) -> None:
    assert items(text) == expected


def test_forget_it_alone_corrects_nothing() -> None:
    # "算了" without 改/换/要 ends the message's own line, it names no other product
    assert items("压力锅5升2台 算了") == {"PC5": 2}


LIGHTS = [
    CatalogueEntry(sku="DL3-W", name="LED筒灯 3寸 白光", aliases=["3寸白光筒灯"], unit="个", category="照明-筒灯"),
    CatalogueEntry(sku="DL3-WM", name="LED筒灯 3寸 暖光", aliases=["3寸暖光筒灯"], unit="个", category="照明-筒灯"),
    CatalogueEntry(sku="DL4-W", name="LED筒灯 4寸 白光", aliases=["4寸白光筒灯"], unit="个", category="照明-筒灯"),
    CatalogueEntry(sku="DL4-WM", name="LED筒灯 4寸 暖光", aliases=["4寸暖光筒灯"], unit="个", category="照明-筒灯"),
    CatalogueEntry(sku="SW1-GD", name="单开开关 金色", aliases=["单开金"], unit="个", category="开关"),
    CatalogueEntry(sku="SW3-GD", name="三开开关 金色", aliases=["三开单控金"], unit="个", category="开关"),
]


@pytest.mark.parametrize(("text", "expected"), [
    ("downlight 4 inch cool white 50 pcs", {"DL4-W": 50}),
    ("change 3in downlight white to warm, 30 pcs", {"DL3-WM": 30}),
    ("single gang switch gold *40", {"SW1-GD": 40}),
])
def test_english_for_a_catalogue_in_chinese(text: str, expected: dict[str, int]) -> None:
    result = PARSER.parse_sync(text, catalogue=LIGHTS, today=date(2026, 12, 4))
    assert {i.sku: i.qty for i in result.slots.items} == expected


DRINKS = [
    CatalogueEntry(sku="CF-LT", name="咖啡饮料拿铁280ml", aliases=[], unit="箱", category="咖啡饮料"),
    CatalogueEntry(sku="CF-AM", name="咖啡饮料美式280ml", aliases=[], unit="箱", category="咖啡饮料"),
    CatalogueEntry(sku="TE-OL", name="乌龙茶500ml", aliases=[], unit="箱", category="茶饮料"),
    CatalogueEntry(sku="TE-JS", name="茉莉蜜茶500ml", aliases=[], unit="箱", category="茶饮料"),
    CatalogueEntry(sku="JU-O3", name="橙汁300ml", aliases=["orange juice 300ml"], unit="箱", category="果汁"),
    CatalogueEntry(sku="JU-O1", name="橙汁1L", aliases=["orange juice 1L"], unit="箱", category="果汁"),
    CatalogueEntry(sku="CH-O", name="原味薯片", aliases=[], unit="箱", category="薯片"),
    CatalogueEntry(sku="SD-O", name="原味瓜子", aliases=[], unit="袋", category="炒货"),
]


@pytest.mark.parametrize(("text", "expected"), [
    ("orange juice, 12 cases, the 300ml ones", {"JU-O3": 12}),
    ("orange juice, 12 cases, the 1L ones", {"JU-O1": 12}),
])
def test_a_size_said_after_the_count_in_english(text: str, expected: dict[str, int]) -> None:
    result = PARSER.parse_sync(text, catalogue=DRINKS, today=date(2026, 12, 4))
    assert {i.sku: i.qty for i in result.slots.items} == expected
