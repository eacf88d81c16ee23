"""Messages typed in pinyin are read as the Chinese they spell; English is never taken for pinyin."""

from __future__ import annotations

from datetime import date

import pytest

from nlu.offline import OfflineParser
from nlu.pinyin_text import looks_like_pinyin, respell_pinyin
from nlu.schema import CatalogueEntry, Intent

CATALOGUE = [
    CatalogueEntry(sku="HT-20", name="暖风机 HT20", aliases=["暖风机20"], unit="台", category="取暖"),
    CatalogueEntry(sku="KT-1", name="电热水壶 1.7L", aliases=["水壶"], unit="个", category="厨电"),
]
PARSER = OfflineParser()


@pytest.mark.parametrize(("typed", "spelled"), [
    ("dingdan dao na le", "订单到哪了"),
    ("bao zheng jin hai you duo shao", "保证金还有多少"),
    ("qu xiao ding dan", "取消订单"),
    ("fa piao zen me kai", "发票怎么开"),
    ("ji qi huai le", "机器坏了"),
])
def test_pinyin_is_read_as_the_chinese_it_spells(typed: str, spelled: str) -> None:
    assert respell_pinyin(typed) == spelled


@pytest.mark.parametrize("english", ["rebate balance?", "what can you do", "any ht20 left?", "need 2 more", "ok",
                                     "machine broke", "same as last time"])
def test_english_is_never_respelled(english: str) -> None:
    assert respell_pinyin(english) == english


def test_one_syllable_alone_is_no_pinyin_message() -> None:
    assert not looks_like_pinyin("hi") and not looks_like_pinyin("ok 20")


@pytest.mark.parametrize(("text", "intent"), [
    ("dingdan dao na le", Intent.ORDER_STATUS),
    ("qu xiao ding dan", Intent.CANCEL_ORDER),
    ("bao zheng jin hai you duo shao", Intent.CONTRACT_QUERY),
    ("ht20 hai you huo ma", Intent.QUERY_STOCK),
])
def test_a_pinyin_message_gets_the_intent_of_its_chinese(text: str, intent: Intent) -> None:
    assert PARSER.parse_sync(text, catalogue=CATALOGUE, today=date(2026, 12, 4)).intent == intent


def test_a_product_code_in_a_pinyin_order_keeps_its_count() -> None:
    result = PARSER.parse_sync("ht20 lai 5 tai", catalogue=CATALOGUE, today=date(2026, 12, 4))
    assert result.intent == Intent.PLACE_ORDER
    assert [(i.sku, i.qty) for i in result.slots.items] == [("HT-20", 5)]


# a series whose name is a plain Chinese word, with colours after it ("松涛" of a tile maker)
TILES = [
    CatalogueEntry(sku=f"ST-{code}", name=f"云岭松涛釉面砖 600x600 {colour}", aliases=[f"松涛{colour}"], unit="箱",
                   category="瓷砖")
    for code, colour in (("BG", "米黄"), ("GY", "浅灰"), ("WH", "象牙白"))
] + [CatalogueEntry(sku=f"LY-{code}", name=f"云岭流云釉面砖 800x800 {colour}", aliases=[f"流云{colour}"],
                    unit="箱", category="瓷砖")
     for code, colour in (("BG", "米黄"), ("GY", "浅灰"))]


@pytest.mark.parametrize("text", ["songtao 米黄 6箱 浅灰 4箱", "Song Tao: 米黄 6箱 浅灰 4箱", "sōngtāo 米黄6箱 浅灰4箱",
                                  "song1tao1 米黄 6箱 浅灰 4箱"])
def test_a_series_typed_in_pinyin_is_read_as_its_chinese_word(text: str) -> None:
    result = PARSER.parse_sync(text, catalogue=TILES, today=date(2026, 12, 4))
    assert {i.sku: i.qty for i in result.slots.items} == {"ST-BG": 6, "ST-GY": 4}


def test_pinyin_of_a_common_word_names_no_series() -> None:
    # "dingdan" is 订单 to every dealer, whatever a catalogue calls a series
    catalogue = [CatalogueEntry(sku=f"DD-{c}", name=f"丁丹釉面砖 {colour}", aliases=[f"丁丹{colour}"], unit="箱")
                 for c, colour in (("BG", "米黄"), ("GY", "浅灰"))] + TILES
    result = PARSER.parse_sync("dingdan 米黄 6箱", catalogue=catalogue, today=date(2026, 12, 4))
    assert "DD-BG" not in {i.sku for i in result.slots.items}
