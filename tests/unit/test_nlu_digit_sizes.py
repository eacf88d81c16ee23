"""A size said digit by digit in Chinese numerals, the count glued after it before its unit: "星辰一五零二盒" is two
boxes of the 150 (no dealer counts 1502 boxes digit by digit)."""

from __future__ import annotations

from datetime import date

from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry

BULBS = [CatalogueEntry(sku=f"XC-{n}", name=f"星辰灯泡 {n}", aliases=[f"星辰{n}"], unit="盒")
         for n in ("120", "150", "180")]


async def _items(text: str) -> dict[str, int]:
    parsed = await OfflineParser().parse(text, catalogue=BULBS, today=date(2026, 12, 6))
    return {i.sku: i.qty for i in parsed.slots.items}


async def test_the_last_numeral_before_the_unit_is_the_count() -> None:
    assert await _items("星辰一五零二盒") == {"XC-150": 2}


async def test_two_lines_of_sizes_read_digit_by_digit() -> None:
    assert await _items("要星辰的一二零五盒 还有一八零三盒") == {"XC-120": 5, "XC-180": 3}
