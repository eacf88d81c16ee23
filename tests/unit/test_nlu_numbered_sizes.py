"""Packaging dealers' ways of naming sizes: carton numbers that look like days ("三层箱 3号50 7号也来20": 7号 is a
carton, not the 7th, unless a delivery word follows), thickness in 丝 ("机用膜 2.3丝 10卷 3丝 6卷"), widths said
"1米2" (1.2 m), two sizes of one product said together ("50公分2丝"), and a count said before the next series word
("五层 3号卖了80 三层 3号卖了120": 80 is the count, not a size of 三层).

A catalogue of its own, so these rules are tested apart from any labelled set.
"""

from __future__ import annotations

from datetime import date

import pytest

from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry

CATALOGUE = [CatalogueEntry(sku=f"C3-{n:02d}", name=f"远航三层纸箱 {n}号", aliases=[f"三层{n}号", f"3ply No.{n}"], unit="个",
                           category="纸箱")
             for n in range(1, 9)]
CATALOGUE += [CatalogueEntry(sku=f"C5-{n:02d}", name=f"远航五层纸箱 {n}号", aliases=[f"五层{n}号", f"5ply No.{n}"], unit="个",
                            category="纸箱")
              for n in range(1, 5)]
CATALOGUE += [
    CatalogueEntry(sku="F-5020", name="远航手用缠绕膜 50cm 2丝", aliases=["手用膜2丝"], unit="卷", category="缠绕膜"),
    CatalogueEntry(sku="F-5025", name="远航手用缠绕膜 50cm 2.5丝", aliases=["手用膜2.5丝"], unit="卷", category="缠绕膜"),
    CatalogueEntry(sku="F-4520", name="远航手用缠绕膜 45cm 2丝", aliases=[], unit="卷", category="缠绕膜"),
    CatalogueEntry(sku="M-23", name="远航机用缠绕膜 50cm 2.3丝", aliases=["机用膜2.3丝"], unit="卷", category="缠绕膜"),
    CatalogueEntry(sku="M-30", name="远航机用缠绕膜 50cm 3丝", aliases=["机用膜3丝"], unit="卷", category="缠绕膜"),
    CatalogueEntry(sku="B-100", name="远航双层气泡膜 1米", aliases=["双层1米"], unit="卷", category="气泡膜"),
    CatalogueEntry(sku="B-120", name="远航双层气泡膜 1.2米", aliases=["双层1.2米"], unit="卷", category="气泡膜"),
    CatalogueEntry(sku="B-150", name="远航双层气泡膜 1.5米", aliases=[], unit="卷", category="气泡膜"),
]
CATALOGUE += [CatalogueEntry(sku=f"Z8-{n:02d}", name=f"远航自封袋 8丝 {n}号", aliases=[], unit="包", category="自封袋")
              for n in (5, 7, 8, 10)]
CATALOGUE += [CatalogueEntry(sku=f"Z12-{n:02d}", name=f"远航加厚自封袋 12丝 {n}号", aliases=[], unit="包", category="自封袋")
              for n in (7, 8, 10, 12)]
PARSER = OfflineParser()


def parsed(text: str) -> tuple[dict[str, int], list[str], date | None]:
    result = PARSER.parse_sync(text, catalogue=CATALOGUE, today=date(2026, 12, 4))
    return {i.sku: i.qty for i in result.slots.items}, [u.word for u in result.slots.unresolved], result.slots.delivery_date


@pytest.mark.parametrize(("text", "expected"), [
    ("三层箱 3号50 5号30 7号也来20", {"C3-03": 50, "C3-05": 30, "C3-07": 20}),
    ("三层 7号 8号 各300", {"C3-07": 300, "C3-08": 300}),
    ("五层 3号卖了80 三层 3号卖了120", {"C5-03": 80, "C3-03": 120}),
    ("机用膜 2.3丝 10卷 3丝 6卷", {"M-23": 10, "M-30": 6}),
    ("手用缠绕膜 50公分2丝的 10卷 2.5丝的6卷", {"F-5020": 10, "F-5025": 6}),
    ("双层气泡膜 1米的8卷 1米2的 6卷 1米5的来3卷", {"B-100": 8, "B-120": 6, "B-150": 3}),
])
def test_numbered_and_measured_sizes_of_a_series(text: str, expected: dict[str, int]) -> None:
    assert parsed(text) == (expected, [], None)


@pytest.mark.parametrize(("text", "expected"), [
    # a word of two series (8丝 and 加厚 12丝): the series whose variants follow it
    ("自封袋8丝 5号20包 7号30包 8号 20包", {"Z8-05": 20, "Z8-07": 30, "Z8-08": 20}),
    # numbers as English and shop floors write them
    ("3 ply #4 50, #5 30", {"C3-04": 50, "C3-05": 30}),
    ("need 3-ply No.3 x50, No.4 x50", {"C3-03": 50, "C3-04": 50}),
    ("五层 1#10个 2#15个", {"C5-01": 10, "C5-02": 15}),
    ("阿拉要五层三号箱三十只", {"C5-03": 30}),
    ("三层箱 3号 先来50个 算了翻个倍", {"C3-03": 100}),        # the series word led the size said apart from it
])
def test_series_said_in_words_of_several_and_numbers_written_every_way(text: str, expected: dict[str, int]) -> None:
    assert parsed(text)[:2] == (expected, [])


def test_a_day_said_with_a_delivery_word_is_still_the_day() -> None:
    assert parsed("三层5号 100个 7号前到") == ({"C3-05": 100}, [], date(2026, 12, 7))
    assert parsed("三层5号 100个 下周一到")[2] == date(2026, 12, 7)


def test_one_metre_and_two_rolls_is_not_one_point_two_metres() -> None:
    assert parsed("双层1米2卷")[0] == {"B-100": 2}


@pytest.mark.parametrize(("text", "expected"), [
    ("三层7号 8号 各一百 7号改成150", {"C3-07": 150, "C3-08": 100}),          # a size's count set by the size alone
    ("三层箱卖了 4号 6号 8号 各300个 8号实际是250", {"C3-04": 300, "C3-06": 300, "C3-08": 250}),
    ("五层1号 10 2号 10 3号 10 4号不要了", {"C5-01": 10, "C5-02": 10, "C5-03": 10}),   # a size taken out
])
def test_a_size_said_alone_corrects_or_removes_its_line(text: str, expected: dict[str, int]) -> None:
    assert parsed(text)[:2] == (expected, [])
