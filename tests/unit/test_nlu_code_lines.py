"""A code said once, then its products line by line by the ends of their aliases (``nlu.code_lines``): names that
do not split into series and variants (the colour glued inside a word), aliases that say the code and the colour."""

from __future__ import annotations

from datetime import date

import pytest

from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry


def _paint(code: str, colour: str, letter: str, english: str, size: str) -> CatalogueEntry:
    return CatalogueEntry(sku=f"HC-{code}-{letter}", name=f"虹彩 {code} {colour}色面漆 {size}",
                          aliases=[f"{code}{colour}", f"{code[1:]}{colour}", f"{code}{letter}", f"{code[1:]}{letter}",
                                   f"{code}-{letter}", f"Rainbow {code[1:]} {english}"],
                          category="面漆", unit="桶")


PAINT = [
    *(_paint("R30", c, letter, e, "标准装") for c, letter, e in (("白", "W", "white"), ("米黄", "B", "beige"), ("灰", "G", "grey"))),
    *(_paint("R50", c, letter, e, "标准装") for c, letter, e in (("白", "W", "white"), ("米黄", "B", "beige"))),
    *(_paint("R30X", c, letter, e, "大桶") for c, letter, e in (("白", "W", "white"), ("红", "R", "red"), ("灰", "G", "grey"))),
    CatalogueEntry(sku="HC-ROLL", name="虹彩 滚筒刷", aliases=["滚筒"], category="工具", unit="把"),
]


async def _items(text: str) -> dict[str, int]:
    parsed = await OfflineParser().parse(text, catalogue=PAINT, today=date(2026, 12, 6))
    return {i.sku: i.qty for i in parsed.slots.items}


@pytest.mark.parametrize(("text", "want"), [
    ("30 白4 米黄2 灰1", {"HC-R30-W": 4, "HC-R30-B": 2, "HC-R30-G": 1}),
    ("50 白3 米黄1", {"HC-R50-W": 3, "HC-R50-B": 1}),
    ("30X W 3 R 1", {"HC-R30X-W": 3, "HC-R30X-R": 1}),
    ("r30x W 3 R 1", {"HC-R30X-W": 3, "HC-R30X-R": 1}),
    ("need 30 white x5, grey x2", {"HC-R30-W": 5, "HC-R30-G": 2}),
    ("30 W*2 B*2 G*2", {"HC-R30-W": 2, "HC-R30-B": 2, "HC-R30-G": 2}),
])
async def test_a_code_then_the_ends_of_its_aliases_name_one_product_each(text: str, want: dict[str, int]) -> None:
    assert await _items(text) == want


async def test_the_code_of_a_bigger_series_is_not_read_into_the_shorter_one() -> None:
    # "30" + "白" is the standard can; the big one is "30X白": never read from "30 白"
    assert await _items("30 白4 灰2") == {"HC-R30-W": 4, "HC-R30-G": 2}


async def test_a_line_its_code_has_no_product_for_spoils_the_reading() -> None:
    # all or nothing: "蓝" is no colour of R30, so no line is guessed from this reading
    assert await _items("30 白4 米黄2 蓝1") == {}


@pytest.mark.parametrize(("text", "want"), [
    ("30 白 米黄 各6桶", {"HC-R30-W": 6, "HC-R30-B": 6}),
    ("30 white beige 12 each", {"HC-R30-W": 12, "HC-R30-B": 12}),
    ("30X 白4 红 灰各2", {"HC-R30X-W": 4, "HC-R30X-R": 2, "HC-R30X-G": 2}),
])
async def test_one_count_said_of_each_of_a_lines_products(text: str, want: dict[str, int]) -> None:
    assert await _items(text) == want


async def test_the_kind_said_in_english_after_the_code_is_no_line() -> None:
    assert await _items("30 paint tins white 5 grey 3") == {"HC-R30-W": 5, "HC-R30-G": 3}
