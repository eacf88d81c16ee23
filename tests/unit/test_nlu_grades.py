"""Viscosity grades as variants: a catalogue that names its oils "<series> 5W-30 4L" tells them apart by the grade
as much as by the container, so "凯途 5w30 4L 6, 5w40 4L 6" is two lines, and a size said again after another grade
("凯途5w30 4升来10桶 5w40 4升6桶") is that grade's, not the first product's again."""

from __future__ import annotations

import pytest

from nlu.schema import CatalogueEntry
from tests.nlu_items import parsed_items


def _oil(series: str, code: str, grade: str, litres: int) -> CatalogueEntry:
    short = grade.lower().replace("-", "")
    aliases = [f"{series}{grade} {litres}L", f"{series}{short} {litres}升"] + ([f"{grade} {litres}L"] if litres == 1 else [])
    return CatalogueEntry(sku=f"{code}{grade.replace('W-', '')}-{litres}", name=f"{series}{code}机油 {grade} SP {litres}L",
                          aliases=aliases, unit="瓶" if litres < 4 else "桶")


OILS = [_oil("凯途", "KT", grade, litres) for grade in ("5W-30", "5W-40", "0W-20") for litres in (1, 4)]
OILS += [_oil("宏驰", "HC", grade, litres) for grade in ("5W-30", "5W-40") for litres in (4, 18)]


async def _items(text: str) -> dict[str, int]:
    return await parsed_items(text, OILS)


@pytest.mark.parametrize(("text", "want"), [
    ("凯途 系列: 5w30 4L 6, 5w40 4L 6, 0w20 4L 3", {"KT530-4": 6, "KT540-4": 6, "KT020-4": 3}),
    ("凯途 5-30 4L x5 5-40 1L x8", {"KT530-4": 5, "KT540-1": 8}),
    ("凯途 4升 5w30 10桶 0W-20 6桶", {"KT530-4": 10, "KT020-4": 6}),
])
async def test_grades_after_a_series_are_its_variants(text: str, want: dict[str, int]) -> None:
    assert await _items(text) == want


@pytest.mark.parametrize(("text", "want"), [
    ("凯途5w30 4升来10桶 5w40 4升6桶", {"KT530-4": 10, "KT540-4": 6}),
    ("凯途5w30 4升 8桶 还有5w40 4升 8桶", {"KT530-4": 8, "KT540-4": 8}),
])
async def test_a_size_said_after_another_grade_is_of_that_grade(text: str, want: dict[str, int]) -> None:
    assert await _items(text) == want
