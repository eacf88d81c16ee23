"""A product said again with a size the catalogue lacks, after a counted line of the same product: "钢丝管16 30根，
钢丝管40 10根" when there is no 40. The second line is named back ("钢丝管40"), never read as the nearest size of the
family, and its count is not given to the line before.

A catalogue of its own, so the rule is tested apart from any labelled set.
"""

from __future__ import annotations

from datetime import date

import pytest

from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry

CATALOGUE = [
    CatalogueEntry(sku="HG16", name="易达钢丝软管 16mm", aliases=["钢丝管16", "16钢丝管"], unit="卷", category="软管"),
    CatalogueEntry(sku="HG20", name="易达钢丝软管 20mm", aliases=["钢丝管20", "20钢丝管"], unit="卷", category="软管"),
    CatalogueEntry(sku="HG25", name="易达钢丝软管 25mm", aliases=["钢丝管25", "25钢丝管"], unit="卷", category="软管"),
    CatalogueEntry(sku="PV16", name="易达透明软管 16mm", aliases=["透明管16", "16透明管"], unit="卷", category="软管"),
    CatalogueEntry(sku="PV20", name="易达透明软管 20mm", aliases=["透明管20", "20透明管"], unit="卷", category="软管"),
    CatalogueEntry(sku="PV32", name="易达透明软管 32mm", aliases=["透明管32", "32透明管"], unit="卷", category="软管"),
]
PARSER = OfflineParser()


def parsed(text: str) -> tuple[dict[str, int], list[str]]:
    result = PARSER.parse_sync(text, catalogue=CATALOGUE, today=date(2026, 12, 4))
    return {i.sku: i.qty for i in result.slots.items}, [u.word for u in result.slots.unresolved]


@pytest.mark.parametrize(("text", "expected", "back"), [
    ("钢丝管16 30卷，钢丝管40 10卷", {"HG16": 30}, "钢丝管40"),
    ("上报 透明管20 40卷 透明管50 8卷", {"PV20": 40}, "透明管50"),
    ("钢丝管25 6卷 钢丝管32 2卷", {"HG25": 6}, "钢丝管32"),          # 32 is a size of the other series only
])
def test_a_size_the_product_lacks_is_named_back_not_read_as_the_nearest(text: str, expected: dict[str, int],
                                                                        back: str) -> None:
    items, unresolved = parsed(text)
    assert items == expected
    assert back in unresolved


@pytest.mark.parametrize(("text", "expected"), [
    ("钢丝管16 30卷，钢丝管20 10卷", {"HG16": 30, "HG20": 10}),      # sizes it has: each its line
    ("钢丝管16 30卷 20 10卷", {"HG16": 30, "HG20": 10}),
])
def test_sizes_the_product_has_are_still_its_lines(text: str, expected: dict[str, int]) -> None:
    assert parsed(text)[0] == expected
