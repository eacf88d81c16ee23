"""The one product a question or a problem names with words that each name several (``nlu.asked_product``): a
series and its variants said around it without a count, or a kind word and a size that only one product of that
kind has."""

from __future__ import annotations

from datetime import date

import pytest

from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry

WASHER_AND_PUMPS = [
    CatalogueEntry(sku=f"BC-W{t}-{v}L", name=f"冰川车用玻璃水 -{t}℃ {colour} {v}L",
                   aliases=[f"玻璃水-{t} {v}L", f"-{t}度玻璃水{v}升"], unit="桶")
    for t, colour in (("15", "蓝色"), ("40", "粉色")) for v in ("2", "4")] + [
    CatalogueEntry(sku=f"SB-{w}", name=f"水泵 220V {w}W 1寸", aliases=[f"{w}瓦水泵", f"{w}W水泵"], unit="台")
    for w in ("370", "750", "1100")] + [
    CatalogueEntry(sku=f"KZ-{w}", name=f"控制器 220V {w}W 数显", aliases=[f"{w}瓦控制器", f"{w}控制器"], unit="个")
    for w in ("370", "750")]


def _product(text: str) -> str | None:
    return OfflineParser().parse_sync(text, catalogue=WASHER_AND_PUMPS, today=date(2026, 12, 4)).slots.product


@pytest.mark.parametrize(("text", "sku"), [
    ("玻璃水-40小桶库存多少", "BC-W40-2L"),              # the series, then its grade and container
    ("玻璃水-15大桶啥价", "BC-W15-4L"),
    ("控制器坏了 客户没法用 370瓦的", "KZ-370"),         # the controllers, and the 370 W products of any kind
])
def test_words_naming_several_agree_on_one(text: str, sku: str) -> None:
    assert _product(text) == sku


@pytest.mark.parametrize("text", [
    "水泵啥价",                      # the kind alone: several products
    "750瓦的啥价",                   # the size alone: a pump and a controller
    "玻璃水-40 多少钱",              # two containers
    "玻璃水-40小桶和大桶什么价",      # two products of the series
])
def test_words_left_naming_several_name_none(text: str) -> None:
    assert _product(text) is None


RODS = [CatalogueEntry(sku=f"YY-XF{m.replace('.', '')}", name=f"远洋溪风手竿 {m}m", aliases=[f"溪风{m}"], unit="支")
        for m in ("3.6", "4.5", "5.4")]


@pytest.mark.parametrize(("text", "sku"), [
    ("溪风4.5 发来的有两支是弯的", "YY-XF45"),       # 4.5 then 发: no 5 April after the series
    ("溪风5.4 到货的竿梢断了", "YY-XF54"),
])
def test_a_decimal_size_read_as_a_day(text: str, sku: str) -> None:
    assert OfflineParser().parse_sync(text, catalogue=RODS, today=date(2026, 12, 4)).slots.product == sku


HOODS = [CatalogueEntry(sku="YC-S5", name="云厨侧吸烟机 S5 大吸力", aliases=["S5烟机"], unit="台"),
         CatalogueEntry(sku="YC-T3", name="云厨侧吸烟机 T3", aliases=["T3烟机"], unit="台"),
         CatalogueEntry(sku="YC-R2", name="云厨热水器 R2 上出水", aliases=["R2热水器"], unit="台")]


@pytest.mark.parametrize(("text", "sku"), [
    ("T3烟机 吸力很小 客户要修", "YC-T3"),       # 吸力: a piece of 大吸力, what is wrong, not the S5
    ("客户那台R2热水器 出水忽冷忽热", "YC-R2"),
])
def test_a_piece_of_another_name_is_the_problem(text: str, sku: str) -> None:
    assert OfflineParser().parse_sync(text, catalogue=HOODS, today=date(2026, 12, 4)).slots.product == sku


def test_two_products_named_by_their_own_words_name_none() -> None:
    assert OfflineParser().parse_sync("T3烟机和S5烟机都还有吗", catalogue=HOODS,
                                      today=date(2026, 12, 4)).slots.product is None


JACKETS = [CatalogueEntry(sku=f"BF-{c}-{s.upper()}", name=f"北风冲锋衣 {cn}色 {s.upper()}",
                          aliases=[f"北风{cn}{s.upper()}"], unit="件")
           for c, cn in (("BK", "黑"), ("RD", "红")) for s in ("m", "l", "xl")]


@pytest.mark.parametrize("text", [
    "北风黑L 还有吗 没有的话 黑XL也行",      # a second variant said as the other choice
    "北风黑L和XL什么价",
])
def test_a_second_variant_said_names_none(text: str) -> None:
    assert OfflineParser().parse_sync(text, catalogue=JACKETS, today=date(2026, 12, 4)).slots.product is None


def test_a_variant_said_as_the_problem_keeps_the_product() -> None:
    # what came is not what was asked: the product is still the one named
    assert OfflineParser().parse_sync("北风黑L 颜色不对 偏红", catalogue=JACKETS,
                                      today=date(2026, 12, 4)).slots.product == "BF-BK-L"
