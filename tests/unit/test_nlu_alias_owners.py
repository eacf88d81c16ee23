"""A word several lines share in their names, that the maker's aliases give to one line: "金穗 5kg" is the plain
金穗 rice when only its aliases begin with 金穗 (``nlu.alias_owners``)."""

from __future__ import annotations

from datetime import date

import pytest

from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry

RICE = [
    CatalogueEntry(sku="JS-5", name="禾乡 金穗长粒香米 5kg", aliases=["金穗5公斤", "金穗小袋"], unit="袋"),
    CatalogueEntry(sku="JS-10", name="禾乡 金穗长粒香米 10kg", aliases=["金穗大袋", "金穗20斤"], unit="袋"),
    CatalogueEntry(sku="JB-5", name="禾乡 金穗糙米 5kg", aliases=["糙米5公斤"], unit="袋"),
    CatalogueEntry(sku="JB-10", name="禾乡 金穗糙米 10kg", aliases=["糙米10公斤"], unit="袋"),
    # 安和: both lines' aliases begin with it, so it tells neither
    CatalogueEntry(sku="AH-5", name="禾乡 安和香米 5kg", aliases=["安和5公斤", "安和香米小袋"], unit="袋"),
    CatalogueEntry(sku="AH-10", name="禾乡 安和香米 10kg", aliases=["安和10公斤"], unit="袋"),
    CatalogueEntry(sku="AB-5", name="禾乡 安和糯米 5kg", aliases=["安和糯米5公斤"], unit="袋"),
]


async def _items(text: str) -> dict[str, int]:
    parsed = await OfflineParser().parse(text, catalogue=RICE, today=date(2026, 12, 6))
    return {i.sku: i.qty for i in parsed.slots.items}


@pytest.mark.parametrize(("text", "want"), [
    ("金穗 5kg 8袋", {"JS-5": 8}),
    ("金穗10kg 3袋", {"JS-10": 3}),
    ("金穗 5kg 8袋 10kg 3袋", {"JS-5": 8, "JS-10": 3}),
    ("金穗糙米 5kg 4袋", {"JB-5": 4}),             # the other line, named by its own word
])
async def test_the_word_the_aliases_give_one_line(text: str, want: dict[str, int]) -> None:
    assert await _items(text) == want


async def test_a_word_two_lines_aliases_begin_with_tells_neither() -> None:
    assert await _items("安和 5kg 8袋") == {}
