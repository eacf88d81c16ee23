"""Lines of near products told apart by a code or a grade written right before their size: "R600 5kg 3瓶 R404 5kg
2瓶", "远帆 28调 3.6 x1 and 46调 5.4 x2", "R134 5kg 4瓶". The size is the product of that code or grade (written in
its name or aliases, whether or not the dealer's wording is one of them), never the line before's carried on, and
not a word of several products left for the dealer to pick.

A catalogue of its own, so these rules are tested apart from any labelled set.
"""

from __future__ import annotations

from datetime import date

from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry

CATALOGUE = [
    CatalogueEntry(sku=f"GAS-{gas}-{kg}", name=f"冰川R{gas}制冷剂 {kg}kg", aliases=[f"R{gas} {kg}kg", f"R{gas[:3]} {kg}公斤"],
                   unit="瓶", category="制冷剂")
    for gas in ("404A", "134A", "600") for kg in ("5", "12")
] + [
    CatalogueEntry(sku=f"ROD-{series}{n}", name=f"远帆 {kind} {grade}调 {length}m",
                   aliases=[f"远帆{grade}调{length}", f"YF{grade}-{length.replace('.', '')}"], unit="支", category="鱼竿")
    for series, kind, grade in (("A", "溪流竿", "28"), ("B", "手竿", "46")) for n, length in enumerate(("3.6", "4.5", "5.4"))
]
PARSER = OfflineParser()


def items(text: str) -> dict[str, int]:
    result = PARSER.parse_sync(text, catalogue=CATALOGUE, today=date(2026, 12, 4))
    return {i.sku: i.qty for i in result.slots.items}


def test_a_code_before_the_size_names_the_later_line() -> None:
    assert items("R600 5kg 3瓶 R404 5kg 2瓶") == {"GAS-600-5": 3, "GAS-404A-5": 2}


def test_a_grade_before_the_size_names_the_later_line() -> None:
    assert items("远帆 28调 3.6 x1 and 46调 5.4 x2") == {"ROD-A0": 1, "ROD-B2": 2}


def test_a_code_before_the_first_size_names_its_product() -> None:
    assert items("R134 5kg 4瓶 R600 12kg 1瓶") == {"GAS-134A-5": 4, "GAS-600-12": 1}


def test_the_line_before_carries_on_when_no_code_is_written() -> None:
    assert items("R404 12kg 2瓶 5kg 3瓶") == {"GAS-404A-12": 2, "GAS-404A-5": 3}



def test_a_code_no_product_has_is_named_back_with_its_size() -> None:
    result = PARSER.parse_sync("sold 12 R404 12kg and 3 Q7 5kg", catalogue=CATALOGUE, today=date(2026, 12, 4))
    assert {i.sku: i.qty for i in result.slots.items} == {"GAS-404A-12": 12}
    assert [(u.word, u.qty) for u in result.slots.unresolved] == [("q7 5kg", 3)]
