"""Corrections after a list of lines, naming a line by a word of its product (``nlu.line_corrections``): "520 黑4 青2
黑的改成6", "210X 黑6 青3 红3 黄3 红的不要了", "雪峰黑 M5 L5 不对L改成8"."""

from __future__ import annotations

from datetime import date

import pytest

from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry


def _paint(code: str, colour: str, letter: str, english: str) -> CatalogueEntry:
    return CatalogueEntry(sku=f"HC-{code}-{letter}", name=f"虹彩 {code} {colour}色面漆",
                          aliases=[f"{code}{colour}", f"{code[1:]}{colour}", f"{code}{letter}", f"{code[1:]}{letter}",
                                   f"Rainbow {code[1:]} {english}"],
                          category="面漆", unit="桶")


PAINT = [
    *(_paint("R30", c, letter, e) for c, letter, e in (("白", "W", "white"), ("米黄", "B", "beige"), ("灰", "G", "grey"))),
    *(_paint("R50", c, letter, e) for c, letter, e in (("白", "W", "white"), ("米黄", "B", "beige"))),
    *(CatalogueEntry(sku=f"XF-BK-{s}", name=f"暖途雪峰羽绒服 黑色 {s}", aliases=[f"雪峰黑{s}", f"XF黑{s}"],
                     category="羽绒服", unit="件") for s in ("M", "L", "XL")),
]


async def _items(text: str) -> dict[str, int]:
    parsed = await OfflineParser().parse(text, catalogue=PAINT, today=date(2026, 12, 6))
    return {i.sku: i.qty for i in parsed.slots.items}


@pytest.mark.parametrize(("text", "want"), [
    ("30 白4 米黄2 白的改成6", {"HC-R30-W": 6, "HC-R30-B": 2}),
    ("30 白4 米黄2 灰1 米黄改成3", {"HC-R30-W": 4, "HC-R30-B": 3, "HC-R30-G": 1}),
    ("30 白4 米黄2，白改成5", {"HC-R30-W": 5, "HC-R30-B": 2}),
    ("上报 30 白4 米黄2 刚才米黄写错了 是3", {"HC-R30-W": 4, "HC-R30-B": 3}),
    ("雪峰黑 M5 L5 不对L改成8", {"XF-BK-M": 5, "XF-BK-L": 8}),
    ("30 white 4 beige 2, make white 6", {"HC-R30-W": 6, "HC-R30-B": 2}),
])
async def test_a_count_set_again_on_the_line_its_word_names(text: str, want: dict[str, int]) -> None:
    assert await _items(text) == want


@pytest.mark.parametrize(("text", "want"), [
    ("30 白4 米黄2 灰1 灰的不要了", {"HC-R30-W": 4, "HC-R30-B": 2}),
    ("30 白4 米黄2 灰1 米黄的删掉", {"HC-R30-W": 4, "HC-R30-G": 1}),
    ("30 white 4 beige 2 grey 1, drop the grey", {"HC-R30-W": 4, "HC-R30-B": 2}),
])
async def test_the_line_its_word_names_taken_out(text: str, want: dict[str, int]) -> None:
    assert await _items(text) == want


async def test_the_line_its_word_names_scaled() -> None:
    assert await _items("30 白4 米黄2 米黄的翻倍") == {"HC-R30-W": 4, "HC-R30-B": 4}


async def test_a_word_that_names_no_one_line_read_corrects_nothing() -> None:
    # "30" is said of every line: which one is meant is not known, so no line is changed by this reading
    assert await _items("30 白4 米黄2 30的改成6") != {"HC-R30-W": 6, "HC-R30-B": 2}
    assert await _items("30 白4 米黄2 30的改成6") != {"HC-R30-W": 4, "HC-R30-B": 6}


async def test_a_correction_reading_that_loses_a_line_is_not_taken(monkeypatch: pytest.MonkeyPatch) -> None:
    """A line the plain reading has and no correction takes out stays: the corrected reading is used only when it
    keeps every line of the plain one (a blind set lost a line to it, found by counts only)."""
    import nlu.analysis
    from nlu.items import ItemResult

    def short(text: str, read: object, entries: object, table: object) -> ItemResult:
        return ItemResult(items={"HC-R30-W": 6})          # as if the list's reading had lost 米黄 and 灰

    monkeypatch.setattr(nlu.analysis, "corrected_lines", short)
    assert await _items("30 白4 米黄2 灰1") == {"HC-R30-W": 4, "HC-R30-B": 2, "HC-R30-G": 1}
