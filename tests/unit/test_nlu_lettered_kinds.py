"""A kind word written with a letter ("白P" of "白P 170", the white polos): an alias "<word> <size>" whose word ends in
a Latin letter names every product that has it, so the sizes after it are lines of its series."""

from __future__ import annotations

from datetime import date

from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry


def _polo(colour: str, code: str, height: int, letter: str) -> CatalogueEntry:
    return CatalogueEntry(sku=f"PL-{code}-{height}", name=f"棉语纯棉Polo衫 {colour}色 {height}/{letter}",
                          aliases=[f"{colour}P {height}", f"polo {code.lower()} {letter}"], unit="件")


POLOS = [_polo(c, code, h, letter) for c, code in (("白", "WH"), ("蓝", "BL"))
         for h, letter in ((165, "S"), (170, "M"), (175, "L"))]


async def test_sizes_after_a_lettered_kind_word_are_its_lines() -> None:
    parsed = await OfflineParser().parse("白P卖了 170 12件 175 15件", catalogue=POLOS, today=date(2026, 12, 6))
    assert {i.sku: i.qty for i in parsed.slots.items} == {"PL-WH-170": 12, "PL-WH-175": 15}
