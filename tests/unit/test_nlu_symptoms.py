"""A product, a count and what is wrong with it is a fault to report, not an order ("老板椅扶手断了一个": the count
names the broken unit). The commonest confusion of session 11's development sets on arrival (23 of them); a
catalogue of its own here (small kitchen appliances, no demo, development or blind product)."""

from __future__ import annotations

from datetime import date

import pytest

from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry, Intent

CATALOGUE = [
    CatalogueEntry(sku="PB-800", name="静享破壁机 PB800", aliases=["破壁机", "PB800"], unit="台", category="厨房小电"),
    CatalogueEntry(sku="BC-30", name="双面电饼铛 30cm", aliases=["电饼铛", "饼铛"], unit="个", category="厨房小电"),
    CatalogueEntry(sku="KT-17", name="不锈钢电热水壶 1.7L", aliases=["热水壶", "电水壶"], unit="个", category="厨房小电"),
]
PARSER = OfflineParser()


def intent(text: str) -> Intent:
    return PARSER.parse_sync(text, catalogue=CATALOGUE, today=date(2026, 12, 4)).intent


@pytest.mark.parametrize("text", [
    "电饼铛一个 插上电不亮",
    "PB800 一台刀头断了",
    "热水壶有一个壶盖关不上",
    "one PB800 cracked at the jar",
])
def test_one_unit_and_its_fault_is_after_sales(text: str) -> None:
    assert intent(text) == Intent.AFTER_SALES


@pytest.mark.parametrize("text", [
    "这批热水壶到货就有三个漏水",
    "送来的电饼铛一箱箱都变形了",
])
def test_several_units_or_the_delivery_is_quality_feedback(text: str) -> None:
    assert intent(text) == Intent.QUALITY_FEEDBACK


@pytest.mark.parametrize("text", ["破壁机来两台", "电饼铛 要10个 坏了的那个下次一起退", "PB800 x3 pls"])
def test_an_order_that_mentions_a_fault_stays_an_order(text: str) -> None:
    assert intent(text) == Intent.PLACE_ORDER
