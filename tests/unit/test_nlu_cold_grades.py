"""Temperatures below zero as variants: "冷卫防冻液 -30℃ 蓝色 4L" tells its antifreezes apart by how cold they stand,
so "-40 4L 5桶 -30 4L 2桶" and "零下30度" name them (a name's "-30℃" is no count and no dash)."""

from __future__ import annotations

import pytest

from nlu.schema import CatalogueEntry
from tests.nlu_items import parsed_items


def _coolant(degrees: int, colour: str, litres: int) -> CatalogueEntry:
    return CatalogueEntry(sku=f"LW{degrees}-{litres}", name=f"冷卫长效防冻液 -{degrees}℃ {colour} {litres}L",
                          aliases=[f"冷卫{colour}{litres}L"], unit="桶")


COOLANTS = [_coolant(d, c, litres) for d, c in ((30, "蓝色"), (40, "紫色")) for litres in (4, 18)]


async def _items(text: str) -> dict[str, int]:
    return await parsed_items(text, COOLANTS)


@pytest.mark.parametrize(("text", "want"), [
    ("冷卫防冻液 -40 4L 5桶 -30 4L 2桶", {"LW40-4": 5, "LW30-4": 2}),
    ("冷卫防冻液 零下30度 18L 2桶", {"LW30-18": 2}),
])
async def test_a_temperature_below_zero_is_a_variant(text: str, want: dict[str, int]) -> None:
    assert await _items(text) == want
