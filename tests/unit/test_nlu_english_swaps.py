"""English replacements inside one message (``nlu.english_swaps``): "swap the red for black, 10 pcs", "swap the 26
red for 3 black", "qifeng 26 swap red for black, 5 pcs", and lines said count first after a product taken out
("scrap the red tyres, 6 of black instead", "remove the 26 red tyres, add 4 black instead", "make it 6 black
instead"). The new product is the sibling of the old one its word names; nothing is left unresolved.

A catalogue of its own (bicycle tyres), so the rule is tested apart from any labelled set.
"""

from __future__ import annotations

from datetime import date

import pytest

from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry, EditOp

CATALOGUE = [
    CatalogueEntry(sku="QF-26-BK", name="骑风山地车胎 26寸 黑色", aliases=["26寸黑胎", "qifeng 26 black"], unit="条",
                   category="车胎"),
    CatalogueEntry(sku="QF-26-RD", name="骑风山地车胎 26寸 红色", aliases=["26寸红胎", "qifeng 26 red"], unit="条",
                   category="车胎"),
    CatalogueEntry(sku="QF-27-BK", name="骑风山地车胎 27.5寸 黑色", aliases=["27.5寸黑胎", "qifeng 27.5 black"], unit="条",
                   category="车胎"),
    CatalogueEntry(sku="QF-27-GR", name="骑风山地车胎 27.5寸 灰色", aliases=["27.5寸灰胎", "qifeng 27.5 grey"], unit="条",
                   category="车胎"),
    CatalogueEntry(sku="TU-26", name="骑风内胎 26寸", aliases=["26寸内胎", "qifeng tube 26"], unit="条", category="内胎"),
]
PARSER = OfflineParser()


def parsed(text: str) -> tuple[dict[str, int], list[str], list[EditOp]]:
    result = PARSER.parse_sync(text, catalogue=CATALOGUE, today=date(2026, 12, 4))
    return ({i.sku: i.qty for i in result.slots.items}, [u.word for u in result.slots.unresolved],
            [e.op for e in result.slots.edits])


@pytest.mark.parametrize(("text", "qty"), [
    ("swap the red for black, 10 pcs", 10),
    ("swap the 26 red for 3 black", 3),
    ("qifeng 26 swap red for black, 5 pcs", 5),
])
def test_a_swap_replaces_the_old_product_by_its_sibling(text: str, qty: int) -> None:
    items, unresolved, ops = parsed(text)
    assert items == {"QF-26-BK": qty}
    assert unresolved == []
    assert ops == [EditOp.REPLACE]


@pytest.mark.parametrize(("text", "qty"), [
    ("scrap the red tyres, 6 of black instead", 6),
    ("remove the 26 red tyres, add 4 black instead", 4),
    ("scrap the red tyres, make it 6 black instead", 6),
    ("drop the qifeng 26 red, 4 of black instead", 4),
])
def test_a_line_said_count_first_after_a_removal_is_the_sibling_it_names(text: str, qty: int) -> None:
    items, unresolved, ops = parsed(text)
    assert items == {"QF-26-BK": qty}
    assert unresolved == []
    assert ops == [EditOp.REMOVE, EditOp.ADD]


def test_a_plain_quantity_change_is_no_swap() -> None:
    items, _, ops = parsed("change the red to 5")
    assert EditOp.REPLACE not in ops
    assert items == {}
