"""A spoken order run on without punctuation (voice input), lines joined by 的 / 然后, with a pack size said in
Chinese numerals right after a grade: "复合肥15-15-15二十公斤的来十袋然后20-10-10四十公斤的也来五袋". The size's
digits are kept apart from the grade's (not "15-15-1520公斤"), so each line names its product.

A catalogue of its own (fertiliser), so the rule is tested apart from any labelled set.
"""

from __future__ import annotations

from datetime import date

import pytest

from nlu.normalize import normalize
from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry

CATALOGUE = [
    CatalogueEntry(sku="FH-15-20", name="丰禾复合肥 15-15-15 20kg", aliases=["15-15-15 20kg"], unit="袋", category="化肥"),
    CatalogueEntry(sku="FH-15-40", name="丰禾复合肥 15-15-15 40kg", aliases=["15-15-15 40kg"], unit="袋", category="化肥"),
    CatalogueEntry(sku="FH-20-20", name="丰禾复合肥 20-10-10 20kg", aliases=["20-10-10 20kg"], unit="袋", category="化肥"),
    CatalogueEntry(sku="FH-20-40", name="丰禾复合肥 20-10-10 40kg", aliases=["20-10-10 40kg"], unit="袋", category="化肥"),
]
PARSER = OfflineParser()


def items(text: str) -> dict[str, int]:
    result = PARSER.parse_sync(text, catalogue=CATALOGUE, today=date(2026, 12, 4))
    return {i.sku: i.qty for i in result.slots.items}


def test_a_chinese_numeral_size_after_a_grade_keeps_its_own_digits() -> None:
    assert "15-15-15 20公斤" in normalize("复合肥15-15-15二十公斤的")
    assert "四升" not in normalize("10w40四升") and "10w404" not in normalize("10w40四升")


@pytest.mark.parametrize(("text", "expected"), [
    ("嗯那个复合肥15-15-15二十公斤的来十袋然后20-10-10四十公斤的也来五袋", {"FH-15-20": 10, "FH-20-40": 5}),
    ("复合肥20-10-10二十公斤的给我来八袋还有15-15-15四十公斤的三袋", {"FH-20-20": 8, "FH-15-40": 3}),
])
def test_each_line_of_a_run_on_names_its_product(text: str, expected: dict[str, int]) -> None:
    assert items(text) == expected
