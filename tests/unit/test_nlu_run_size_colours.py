"""A run of one series' lines after a size said once before them ("丝带25的 红色5卷 黑色3卷"): a colour that the series
has only in another size (black ribbon is 10mm only) is named back with its count, never read silently as the 10mm
black one. A catalogue of its own (ribbons of an invented maker, no demo, development or blind product).
"""

from __future__ import annotations

from datetime import date

import pytest

from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry

CATALOGUE = [
    CatalogueEntry(sku="HY-SD-10-RD", name="虹羽丝带 10mm 红色 50m", aliases=["10红丝带"],
                   unit="卷", category="丝带"),
    CatalogueEntry(sku="HY-SD-10-WH", name="虹羽丝带 10mm 白色 50m", aliases=["10白丝带"],
                   unit="卷", category="丝带"),
    CatalogueEntry(sku="HY-SD-10-BK", name="虹羽丝带 10mm 黑色 50m", aliases=["10黑丝带"],
                   unit="卷", category="丝带"),
    CatalogueEntry(sku="HY-SD-25-RD", name="虹羽丝带 25mm 红色 25m", aliases=["25红丝带"],
                   unit="卷", category="丝带"),
    CatalogueEntry(sku="HY-SD-25-WH", name="虹羽丝带 25mm 白色 25m", aliases=["25白丝带"],
                   unit="卷", category="丝带"),
]
PARSER = OfflineParser()


def parse(text: str):  # type: ignore[no-untyped-def]
    return PARSER.parse_sync(text, catalogue=CATALOGUE, today=date(2026, 12, 4)).slots


@pytest.mark.parametrize(("text", "expected"), [
    ("丝带25的 红色5卷 黑色3卷", {"HY-SD-25-RD": 5}),
    ("虹羽丝带25的 白色 4卷 红色 2卷 黑色 6卷", {"HY-SD-25-WH": 4, "HY-SD-25-RD": 2}),
])
def test_a_colour_of_another_size_only_is_named_back(text: str, expected: dict[str, int]) -> None:
    slots = parse(text)
    assert {i.sku: i.qty for i in slots.items} == expected
    assert "黑色" in " ".join(u.word for u in slots.unresolved)


@pytest.mark.parametrize(("text", "expected"), [
    ("丝带10的 红色5卷 黑色3卷", {"HY-SD-10-RD": 5, "HY-SD-10-BK": 3}),
    ("丝带25的 红色5卷 10的黑色3卷", {"HY-SD-25-RD": 5, "HY-SD-10-BK": 3}),
])
def test_a_colour_the_size_has_or_said_with_its_size_is_read(text: str, expected: dict[str, int]) -> None:
    assert {i.sku: i.qty for i in parse(text).items} == expected
