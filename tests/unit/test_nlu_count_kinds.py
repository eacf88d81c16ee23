"""Counts read where sizes and counts are glued, a size said with 的 before a word of several products, a count said
before a change word, and a removal naming a product of its own that a listed line's alias holds."""

from __future__ import annotations

from datetime import date

from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry

DRIVES = [CatalogueEntry(sku=f"YC-{n}T", name=f"云存移动硬盘{n}T", aliases=[f"{n}T移动硬盘"], unit="块") for n in (1, 2, 4)]
ROUTERS = [CatalogueEntry(sku=f"FY-R{n}", name=f"飞鱼{n}口千兆路由器", aliases=[f"飞鱼{n}口", f"{n}口千兆"], unit="台")
           for n in (5, 8, 16)]
SWITCHES = [CatalogueEntry(sku=f"FY-S{n}", name=f"飞鱼{n}口PoE交换机", aliases=[f"飞鱼{n}口", f"{n}口POE"], unit="台")
            for n in (4, 8, 16)]
CAMERAS = [CatalogueEntry(sku=f"LM-{n}", name=f"灵眸{n}00万摄像机", aliases=[f"灵眸{n}00万"], unit="台") for n in (2, 4)]
WATER = [CatalogueEntry(sku="SQ-CJ", name="清泉纯净水", aliases=["纯净水"], unit="箱"),
         CatalogueEntry(sku="SQ-KQ", name="清泉矿泉水", aliases=["矿泉水"], unit="箱"),
         CatalogueEntry(sku="SQ-SQ", name="清泉山泉水", aliases=["山泉水", "天然矿泉水"], unit="箱")]


def _items(text: str, catalogue: list[CatalogueEntry]) -> dict[str, int]:
    parsed = OfflineParser().parse_sync(text, catalogue=catalogue, today=date(2026, 12, 7))
    return {i.sku: i.qty for i in parsed.slots.items}


def test_a_capacity_glued_to_its_count_keeps_every_line() -> None:
    assert _items("移动硬盘 1T3块 2T5块 4T两块", DRIVES) == {"YC-1T": 3, "YC-2T": 5, "YC-4T": 2}


def test_ports_glued_to_their_count_are_the_size() -> None:
    assert _items("路由器 飞鱼5口 2台 8口1台 16口2台", ROUTERS) == {"FY-R5": 2, "FY-R8": 1, "FY-R16": 2}


def test_a_resolution_glued_to_its_count_is_the_size() -> None:
    assert _items("灵眸 200万6台 400万3台", CAMERAS) == {"LM-2": 6, "LM-4": 3}


def test_a_cable_section_in_square_millimetres_is_no_glued_count() -> None:
    cables = [CatalogueEntry(sku="BV25-R", name="BV2.5平方 红", aliases=["BV2.5红", "BV2.5mm² 红"], unit="卷"),
              CatalogueEntry(sku="BV25-YG", name="BV2.5平方 黄绿双色", aliases=["BV2.5双色"], unit="卷")]
    assert _items("bv 2.5mm² 双色10卷", cables) == {"BV25-YG": 10}


def test_a_size_said_with_de_before_the_word_is_no_count() -> None:
    assert _items("16口的交换机2台 8口的3台", SWITCHES) == {"FY-S16": 2, "FY-S8": 3}


def test_the_count_before_a_change_word_is_the_old_lines() -> None:
    assert _items("飞鱼5口 10台 换成8口的 6台", ROUTERS) == {"FY-R8": 6}


def test_the_old_lines_count_goes_to_the_new_product_when_it_has_none() -> None:
    assert _items("飞鱼5口 10台 换成飞鱼8口", ROUTERS) == {"FY-R8": 10}


def test_a_removal_naming_a_product_of_its_own_keeps_the_line_whose_alias_holds_the_word() -> None:
    assert _items("纯净水3箱 山泉水2箱 矿泉水不要了", WATER) == {"SQ-CJ": 3, "SQ-SQ": 2}


def test_a_number_alone_after_another_line_word_is_named_back_not_counted() -> None:
    parsed = OfflineParser().parse_sync("灵眸200万 6台 400万 3台 还有800", catalogue=CAMERAS, today=date(2026, 12, 7))
    assert {i.sku: i.qty for i in parsed.slots.items} == {"LM-2": 6, "LM-4": 3}


KIDS = [CatalogueEntry(sku=f"TZ-{n}", name=f"小熊童装{n}", aliases=[f"童装{n}"], unit="件") for n in (110, 120, 130)]
PIPES = [CatalogueEntry(sku=f"SG-{n}", name=f"银管{n}", aliases=[f"银色水管{n}"], unit="根") for n in (20, 25)]


def test_a_size_the_series_lacks_with_a_verb_before_its_count_is_named_back() -> None:
    parsed = OfflineParser().parse_sync("童装 110 120 各10件 童装150也要5件", catalogue=KIDS, today=date(2026, 12, 7))
    assert {i.sku: i.qty for i in parsed.slots.items} == {"TZ-110": 10, "TZ-120": 10}
    assert "童装150" in parsed.slots.unknown_words


def test_a_size_the_series_lacks_after_an_x_count_is_named_back() -> None:
    parsed = OfflineParser().parse_sync("银管 20 x 10, 银管 40 x 5", catalogue=PIPES, today=date(2026, 12, 7))
    assert {i.sku: i.qty for i in parsed.slots.items} == {"SG-20": 10}


def test_qty_between_a_code_and_its_count_is_no_word() -> None:
    batteries = [CatalogueEntry(sku="PS-W5", name="磐石壁挂电池5度", aliases=["W5"], unit="台"),
                 CatalogueEntry(sku="PS-R5", name="磐石机架电池5度", aliases=["R5"], unit="台")]
    assert _items("W5 qty 6 R5 qty 2", batteries) == {"PS-W5": 6, "PS-R5": 2}


ZOOMS = [CatalogueEntry(sku=f"YW-{n}X", name=f"远望400万{n}倍球机", aliases=[f"远望{n}倍", f"{n}倍球机"], unit="台")
         for n in (20, 36)] + [CatalogueEntry(sku="YW-M", name="远望200万迷你球机", aliases=["远望迷你球", "迷你球机"], unit="台")]
HANDLES = [CatalogueEntry(sku=f"LS-{n}", name=f"流沙拉手 {n}mm 白色", aliases=[f"流沙{n}白"], unit="个") for n in (96, 128)]


def test_a_number_glued_before_the_words_it_names_is_no_count() -> None:
    assert _items("远望球机 20倍 2 36倍 1 迷你球 3", ZOOMS) == {"YW-20X": 2, "YW-36X": 1, "YW-M": 3}


def test_a_number_glued_before_a_word_of_a_product_that_lacks_it_is_named_back() -> None:
    parsed = OfflineParser().parse_sync("流沙拉手 96白 20 128白 20 还有160白的10个", catalogue=HANDLES,
                                        today=date(2026, 12, 7))
    assert {i.sku: i.qty for i in parsed.slots.items} == {"LS-96": 20, "LS-128": 20}
    assert "160白" in parsed.slots.unknown_words


def test_a_total_said_after_the_lines_is_no_count_of_the_last() -> None:
    assert _items("童装110 30件 120 20件 130 10件 共60件", KIDS) == {"TZ-110": 30, "TZ-120": 20, "TZ-130": 10}
