""""每个色5箱" shares its count as 各 does, and digits with Chinese units between them ("1百2十根", "1千5百个") are one
number. A catalogue of its own (tiles of an invented maker, no demo, development or blind product).
"""

from __future__ import annotations

from datetime import date

import pytest

from nlu.numbers import QUANTITY, parse_int
from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry

CATALOGUE = [
    CatalogueEntry(sku="MS-W", name="明石釉面砖 600x600 白", aliases=["明石白"], unit="箱", category="瓷砖"),
    CatalogueEntry(sku="MS-G", name="明石釉面砖 600x600 灰", aliases=["明石灰"], unit="箱", category="瓷砖"),
    CatalogueEntry(sku="MS-Y", name="明石釉面砖 600x600 米黄", aliases=["明石米黄"], unit="箱", category="瓷砖"),
    CatalogueEntry(sku="MF-1", name="明石美缝剂 1kg", aliases=["美缝剂"], unit="支", category="辅料"),
]
PARSER = OfflineParser()


def items(text: str) -> dict[str, int]:
    return {i.sku: i.qty for i in PARSER.parse_sync(text, catalogue=CATALOGUE, today=date(2026, 12, 4)).slots.items}


def test_each_colour_shares_the_count() -> None:
    assert items("明石釉面砖 白 灰 米黄 每个色8箱") == {"MS-W": 8, "MS-G": 8, "MS-Y": 8}


@pytest.mark.parametrize(("said", "value"), [("1百2十", 120), ("1千5百", 1500)])
def test_digits_with_chinese_units_are_one_number(said: str, value: int) -> None:
    found = QUANTITY.search(said + "支")
    assert found is not None and found.group(0) == said + "支" and parse_int(said) == value


def test_a_count_in_digits_and_units() -> None:
    assert items("美缝剂 1百2十支") == {"MF-1": 120}
