"""Trade units of a count: "两托" (pallets of tiles or panels), "二十罗" (gross of buttons or snaps); not the 托 of
托运 or the 罗 of 罗纹 / 罗马."""

from __future__ import annotations

import pytest

from nlu.schema import CatalogueEntry
from tests.nlu_items import parsed_items

GOODS = [
    CatalogueEntry(sku="TL-W600", name="石峰 抛光砖 600x600 白", aliases=["石峰600白", "SF600W"], unit="片"),
    CatalogueEntry(sku="TL-W800", name="石峰 抛光砖 800x800 白", aliases=["石峰800白", "SF800W"], unit="片"),
    CatalogueEntry(sku="KN-S15", name="金扣 按扣 15mm", aliases=["金扣15", "按扣15"], unit="个"),
    CatalogueEntry(sku="KN-S18", name="金扣 按扣 18mm", aliases=["金扣18", "按扣18"], unit="个"),
    CatalogueEntry(sku="KN-RW", name="罗马 罗纹领 白", aliases=["罗纹领白"], unit="条"),
]


@pytest.mark.parametrize(("text", "want"), [
    ("石峰600白 两托", {"TL-W600": 2}),
    ("SF600W 一托 SF800W 三托", {"TL-W600": 1, "TL-W800": 3}),
    ("金扣15 二十罗", {"KN-S15": 20}),
    ("按扣18 12罗 罗纹领白 30条", {"KN-S18": 12, "KN-RW": 30}),
])
async def test_pallets_and_gross_are_counts(text: str, want: dict[str, int]) -> None:
    assert await parsed_items(text, GOODS) == want


async def test_toyun_is_no_unit() -> None:
    assert await parsed_items("石峰600白 50片 走托运", GOODS) == {"TL-W600": 50}


@pytest.mark.parametrize(("text", "want"), [
    ("sold 20 gross 金扣15 and 12 gross 金扣18", {"KN-S15": 20, "KN-S18": 12}),
    ("SF600W 2 pallets", {"TL-W600": 2}),
])
async def test_english_gross_and_pallets_are_counts(text: str, want: dict[str, int]) -> None:
    assert await parsed_items(text, GOODS) == want
