"""Corrections after a list that name a sibling never listed, a line by its size with its unit, no line at all, or
a line said again as it stands ("底漆还是4桶", "keep blue at 4").

A catalogue of its own (garden and pool supplies, no demo or labelled set's product).
"""

from __future__ import annotations

from datetime import date

import pytest

from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry

CATALOGUE = [
    CatalogueEntry(sku="HS-G", name="绿野 花园水管 绿色 20米", aliases=["绿野绿", "Verde hose green"],
                   unit="卷", category="水管"),
    CatalogueEntry(sku="HS-B", name="绿野 花园水管 蓝色 20米", aliases=["绿野蓝", "Verde hose blue"],
                   unit="卷", category="水管"),
    CatalogueEntry(sku="HS-O", name="绿野 花园水管 橙色 20米", aliases=["绿野橙", "Verde hose orange"],
                   unit="卷", category="水管"),
    CatalogueEntry(sku="HS-R", name="绿野 花园水管 红色 20米", aliases=["绿野红", "Verde hose red"],
                   unit="卷", category="水管"),
    CatalogueEntry(sku="SL-2K5", name="碧波 泳池氯片 2.5kg", aliases=["氯片2.5公斤", "氯片5斤"], unit="桶",
                   category="泳池药剂"),
    CatalogueEntry(sku="SL-5K", name="碧波 泳池氯片 5kg", aliases=["氯片5公斤", "氯片10斤"], unit="桶",
                   category="泳池药剂"),
    CatalogueEntry(sku="FD-A", name="沃土 缓释肥 通用型 10kg", aliases=["缓释肥通用"], unit="袋", category="肥料"),
    CatalogueEntry(sku="FD-B", name="沃土 缓释肥 开花型 10kg", aliases=["缓释肥开花"], unit="袋", category="肥料"),
]
PARSER = OfflineParser()


def parsed(text: str) -> tuple[dict[str, int], list[str]]:
    result = PARSER.parse_sync(text, catalogue=CATALOGUE, today=date(2026, 12, 4))
    return {i.sku: i.qty for i in result.slots.items}, list(result.slots.removed)


@pytest.mark.parametrize(("text", "expected", "removed"), [
    # the sibling taken out was never listed: the lines stay, the sibling is named as removed
    ("绿野 绿5 蓝3 橙2，红的去掉", {"HS-G": 5, "HS-B": 3, "HS-O": 2}, ["HS-R"]),
    ("Verde hose green 5 blue 3, drop the red", {"HS-G": 5, "HS-B": 3}, ["HS-R"]),
    ("绿野 绿5 蓝3 橙的先不要", {"HS-G": 5, "HS-B": 3}, ["HS-O"]),
])
def test_a_sibling_never_listed_is_taken_out(text: str, expected: dict[str, int], removed: list[str]) -> None:
    assert parsed(text) == (expected, removed)


def test_a_line_named_by_its_size_with_unit_is_not_a_longer_size() -> None:
    # "5kg" names the 5kg tub, not the 2.5kg one whose alias says "5斤"
    assert parsed("氯片2.5kg 6桶 5kg 4桶 5kg那个减半") == ({"SL-2K5": 6, "SL-5K": 2}, [])


def test_a_sibling_said_again_as_it_stands_is_a_line() -> None:
    assert parsed("缓释肥通用 10袋 不对 改成12袋 开花型不变还是4袋") == ({"FD-A": 12, "FD-B": 4}, [])


@pytest.mark.parametrize("text", [
    "绿野绿 25直接不要了",           # a number glued to the next word is no count of the list
])
def test_a_number_glued_to_a_word_ends_no_list(text: str) -> None:
    items, _ = parsed(text)
    assert "HS-R" not in items


def unknown(text: str) -> list[str]:
    return list(PARSER.parse_sync(text, catalogue=CATALOGUE, today=date(2026, 12, 4)).slots.unknown_words)


@pytest.mark.parametrize(("text", "expected", "removed"), [
    # the product taken out, then its sibling by the word that sets it apart
    ("绿野红删掉 蓝加到30卷", {"HS-B": 30}, ["HS-R"]),
    ("drop the Verde hose red, keep blue at 4", {"HS-B": 4}, ["HS-R"]),
    ("绿野红不要了 橙来6卷", {"HS-O": 6}, ["HS-R"]),
    # replaced: the count said after the replacement, or before the product
    ("缓释肥通用换成开花型 12袋", {"FD-B": 12}, ["FD-A"]),
    ("4袋缓释肥通用换成开花的", {"FD-B": 4}, ["FD-A"]),
    # replaced and the count kept: of an empty order, no line
    ("缓释肥通用换开花型 数量一样", {}, ["FD-A"]),
])
def test_a_product_taken_out_then_its_sibling(text: str, expected: dict[str, int], removed: list[str]) -> None:
    assert parsed(text) == (expected, removed)


def test_a_replacement_no_product_has_is_named_back() -> None:
    # the line is kept until a replacement is picked (was: taken out, the word said nowhere in the chat)
    assert parsed("氯片5kg换8kg 数量一样") == ({}, [])
    assert "8kg" in unknown("氯片5kg换8kg 数量一样")
    said = PARSER.parse_sync("氯片5kg换8kg 数量一样", catalogue=CATALOGUE, today=date(2026, 12, 4)).slots
    assert [(u.word, u.replaces) for u in said.unresolved] == [("8kg", "SL-5K")]


@pytest.mark.parametrize(("text", "expected"), [
    ("绿野红 改成8卷", {"HS-R": 8}),            # a new count, not a replacement
    ("绿野红那个换货 什么时候到", {}),          # an exchange, not a replacement
])
def test_what_is_no_replacement(text: str, expected: dict[str, int]) -> None:
    assert parsed(text)[0] == expected


@pytest.mark.parametrize(("text", "expected", "removed"), [
    # a listed line replaced by its sibling, named by their own words
    ("绿野 绿5 蓝3，蓝的换成橙的 4卷", {"HS-G": 5, "HS-O": 4}, ["HS-B"]),
    ("绿野 绿5 蓝3 蓝的换成红的 数量一样", {"HS-G": 5, "HS-R": 3}, ["HS-B"]),
])
def test_a_listed_line_replaced_by_its_sibling(text: str, expected: dict[str, int], removed: list[str]) -> None:
    assert parsed(text) == (expected, removed)
