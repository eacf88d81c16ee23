"""A board's thickness as the trade says it, and sizes sharing one unit or one count.

"十二厘", "18个厚", "15厘厚" are millimetres ("厘米" stays centimetres): "云杉十二厘 20张" is the 12 mm board of the
series; "9、12、18厘各10张" and "15和18mm" write the unit once for the whole list; "9厘 12厘 都来8张" gives each size
the count as 各 does; "9厘6 12厘的4张": the 6 is the 9 mm line's count, not a size listed before 12 mm; an alias that
leaves the unit off ("金丝颗粒18") is still the product when the unit is written; "厚度不够 说是15厘" names no product
("度" of 厚度 is no word of 密度板). A catalogue of its own (boards of an invented maker, no demo, development or
blind product).
"""

from __future__ import annotations

from datetime import date

import pytest

from nlu.normalize import normalize
from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry

CATALOGUE = [
    CatalogueEntry(sku="YS-09", name="青川云杉多层板 9mm E1", aliases=["云杉9厘"], unit="张", category="多层板"),
    CatalogueEntry(sku="YS-12", name="青川云杉多层板 12mm E1", aliases=["云杉12厘"], unit="张", category="多层板"),
    CatalogueEntry(sku="YS-18", name="青川云杉多层板 18mm E1", aliases=["云杉18厘"], unit="张", category="多层板"),
    CatalogueEntry(sku="JS-15", name="青川金丝颗粒板 15mm E0", aliases=["金丝颗粒15"], unit="张", category="颗粒板"),
    CatalogueEntry(sku="JS-18", name="青川金丝颗粒板 18mm E0", aliases=["金丝颗粒18"], unit="张", category="颗粒板"),
    CatalogueEntry(sku="BM-15", name="青川白马密度板 15mm E1", aliases=["白马15厘"], unit="张", category="密度板"),
]
PARSER = OfflineParser()


def parse(text: str):  # type: ignore[no-untyped-def]
    return PARSER.parse_sync(text, catalogue=CATALOGUE, today=date(2026, 12, 4))


def items(text: str) -> dict[str, int]:
    return {i.sku: i.qty for i in parse(text).slots.items}


@pytest.mark.parametrize(("text", "normal"), [
    ("十二厘", "12mm"),
    ("18个厚", "18mm"),
    ("15厘厚的", "15mm的"),
    ("18厘E1", "18mm e1"),
    ("5厘米", "5厘米"),
    ("9、12、18厘", "9mm 12mm 18mm"),
    ("15和18mm", "15mm 18mm"),
])
def test_thickness_is_written_in_millimetres(text: str, normal: str) -> None:
    assert normalize(text) == normal


@pytest.mark.parametrize(("text", "expected"), [
    ("云杉十二厘 20张", {"YS-12": 20}),
    ("云杉18个厚 来5张", {"YS-18": 5}),
    ("云杉 9、12、18厘各10张", {"YS-09": 10, "YS-12": 10, "YS-18": 10}),
    ("云杉 9厘 12厘 18厘 都来8张", {"YS-09": 8, "YS-12": 8, "YS-18": 8}),
    ("云杉多层 9厘6张 12厘4 18厘的也来3张", {"YS-09": 6, "YS-12": 4, "YS-18": 3}),
    ("金丝颗粒18mm 30张", {"JS-18": 30}),
])
def test_board_lines_by_thickness(text: str, expected: dict[str, int]) -> None:
    assert items(text) == expected


def test_a_measure_word_names_no_board() -> None:
    assert parse("这批板厚度不够 说是15厘").slots.product is None
