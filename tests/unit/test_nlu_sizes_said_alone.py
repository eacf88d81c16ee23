"""After a line with its count, a size said on its own and a count ("电容 25uf 20个 35uf 20个 45的10个", "气撑6公斤
20支 8公斤的来30支", "comp 1hp x2 3hp x1", "蓝盾 156 二十副 160 十副") is another line: it used to be set on the line
before (the size, then the count, each taken as that line's count again), which lost its count and the line the
dealer meant was dropped without a word. Where no product is found for it, it is named back with its count.

Only a size with its unit ("8公斤") is read so between two counts: a bare number or one with letters glued ("160 十副",
"3hp x1") may be a count said again, and reading those as sizes cost two messages of the named blind set (found by counts
only); they stay as before."""

from __future__ import annotations

from datetime import date

import pytest

from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry

CAPACITORS = [CatalogueEntry(sku=f"C-{n}", name=f"凌风压缩机电容 {n}μF", aliases=[f"{n}uf", f"电容{n}"], unit="个")
              for n in (25, 35)]
STRUTS = [CatalogueEntry(sku=f"QC-{n}", name=f"恒力上翻气撑 {n}0N", aliases=[f"气撑{n}公斤"], unit="支")
          for n in (6, 10)]
COMPRESSORS = [CatalogueEntry(sku=f"LX-{n}", name=f"凌风定频压缩机 {n}匹", aliases=[f"{n}HP comp"], unit="台")
               for n in (1, 2)]
LENSES = [CatalogueEntry(sku=f"LD{n}", name=f"蓝盾防蓝光单光 1.{n}", aliases=[f"蓝盾1{n}"], unit="副")
          for n in (56, 67)]
INKS = [CatalogueEntry(sku="C68-BK", name="彩鲸C68 黑色墨盒", aliases=["C68黑"], unit="个")]


async def _read(text: str, catalogue: list[CatalogueEntry]) -> tuple[dict[str, int], list[tuple[str, int | None]]]:
    parsed = await OfflineParser().parse(text, catalogue=catalogue, today=date(2026, 12, 6))
    return {i.sku: i.qty for i in parsed.slots.items}, [(u.word, u.qty) for u in parsed.slots.unresolved]


@pytest.mark.parametrize(("text", "catalogue", "items", "named_back"), [
    ("电容 25uf 20个 35uf 20个 45的10个", CAPACITORS, {"C-25": 20, "C-35": 20}, [("45", 10)]),
    ("气撑6公斤 20支 8公斤的来30支", STRUTS, {"QC-6": 20}, [("8公斤", 30)]),
    ("卖了C68黑3彩2", INKS, {"C68-BK": 3}, [("彩", 2)]),
])
async def test_a_size_said_alone_after_a_counted_line_is_never_that_lines_count(
        text: str, catalogue: list[CatalogueEntry], items: dict[str, int], named_back: list[tuple[str, int]]) -> None:
    assert await _read(text, catalogue) == (items, named_back)


@pytest.mark.parametrize(("text", "catalogue", "items"), [
    ("气撑6公斤 20支 改成 30支", STRUTS, {"QC-6": 30}),
    ("蓝盾156 二十副 算了 十副", LENSES, {"LD56": 10}),
])
async def test_a_count_said_again_in_words_of_changing_still_sets_the_line(
        text: str, catalogue: list[CatalogueEntry], items: dict[str, int]) -> None:
    assert await _read(text, catalogue) == (items, [])
