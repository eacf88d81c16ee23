"""A size said once with 的 for the kinds listed after it: "28的炒锅 汤锅 各两口", "都要28的 炒锅3口 汤锅2口"
(``nlu.shared_sizes``)."""

from __future__ import annotations

from datetime import date

import pytest

from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry

POTS = [CatalogueEntry(sku=f"WK{n}", name=f"厨宝 不粘炒锅 {n}", aliases=[f"{n}炒锅", f"炒锅{n}cm"], unit="口")
        for n in (28, 32)]
POTS += [CatalogueEntry(sku=f"SP{n}", name=f"厨宝 不锈钢汤锅 {n}", aliases=[f"{n}汤锅", f"汤锅{n}cm"], unit="口")
         for n in (24, 28)]
POTS += [CatalogueEntry(sku=f"FP{n}", name=f"厨宝 平底煎锅 {n}", aliases=[f"{n}煎锅"], unit="口") for n in (24, 28)]


async def _items(text: str) -> dict[str, int]:
    parsed = await OfflineParser().parse(text, catalogue=POTS, today=date(2026, 12, 6))
    return {i.sku: i.qty for i in parsed.slots.items}


@pytest.mark.parametrize(("text", "want"), [
    ("28的炒锅 汤锅 煎锅 各两口", {"WK28": 2, "SP28": 2, "FP28": 2}),
    ("炒锅汤锅都要 28的 炒锅3口 汤锅2口", {"WK28": 3, "SP28": 2}),
])
async def test_the_size_said_once_is_every_listed_kinds(text: str, want: dict[str, int]) -> None:
    assert await _items(text) == want


async def test_a_size_with_its_own_count_stays_its_lines() -> None:
    assert await _items("炒锅 28的 3口 汤锅 24的 2口") == {"WK28": 3, "SP24": 2}


async def test_a_size_no_kind_comes_in_names_nothing() -> None:
    assert await _items("36的炒锅 汤锅 各两口") == {}
