"""都 / 全部 right before a count, after a list of sizes, is one count for each of them ("3号 4号 5号 全部20包",
"3号 4号 都来十包", "两个都要6包"), as 各 is; "一共都20包" stays a total.

A catalogue of its own, so the rule is tested apart from any labelled set.
"""

from __future__ import annotations

from datetime import date

import pytest

from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry

HOOKS = [CatalogueEntry(sku=f"GD-{n}", name=f"青岚 鱼钩 {n}号", aliases=[f"青岚{n}号"], unit="包") for n in (3, 4, 5)] + [
    CatalogueEntry(sku="PB", name="青岚 铅坠", aliases=["铅坠"], unit="包")]
PARSER = OfflineParser()


def items(text: str) -> dict[str, int]:
    result = PARSER.parse_sync(text, catalogue=HOOKS, today=date(2026, 12, 4))
    return {i.sku: i.qty for i in result.slots.items}


@pytest.mark.parametrize(("text", "expected"), [
    ("青岚 3号 4号 5号 全部20包", {"GD-3": 20, "GD-4": 20, "GD-5": 20}),
    ("青岚鱼钩 3号 4号 都来十包", {"GD-3": 10, "GD-4": 10}),
    # "两个" says how many lines, never a count of the 4号 ones
    ("青岚 3号 4号 两个都要6包", {"GD-3": 6, "GD-4": 6}),
])
def test_dou_before_a_count_gives_each_listed_size_that_count(text: str, expected: dict[str, int]) -> None:
    assert items(text) == expected


def test_a_line_with_its_own_count_keeps_it() -> None:
    assert items("青岚3号 10包 铅坠 都是5包") == {"GD-3": 10, "PB": 5}


def test_yigong_dou_is_a_total_not_one_count_each() -> None:
    assert items("青岚3号 4号 一共都20包") != {"GD-3": 20, "GD-4": 20}
