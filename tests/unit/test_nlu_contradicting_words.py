"""A word the dealer says that contradicts a product's own word is never overruled by a piece of that product's
name: "家用冷柜 来5台" is not the "用冷柜" of "商用冷柜" (the key began inside its word 商用), and the "用" of 家用 does
not pick the 商用 one either; with no home model in the catalogue the word names every freezer and is asked back."""

from __future__ import annotations

from datetime import date

import pytest

from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry

FREEZERS = [
    CatalogueEntry(sku="FZ150", name="冷柜 FZ150 家用150升", aliases=["冷柜150", "150升冷柜"], category="冷柜", unit="台"),
    CatalogueEntry(sku="FZ300", name="冷柜 FZ300 300升", aliases=["冷柜300", "300升冷柜"], category="冷柜", unit="台"),
    CatalogueEntry(sku="FZ600", name="商用冷柜 FZ600 600升", aliases=["冷柜600", "商用冷柜"], category="冷柜", unit="台"),
]


async def _parse(text: str, catalogue: list[CatalogueEntry]) -> tuple[dict[str, int], list[str]]:
    parsed = await OfflineParser().parse(text, catalogue=catalogue, today=date(2026, 12, 6))
    return {i.sku: i.qty for i in parsed.slots.items}, [u.word for u in parsed.slots.unresolved]


@pytest.mark.parametrize(("text", "want"), [
    ("家用冷柜 来5台", {"FZ150": 5}),
    ("来家用冷柜5台", {"FZ150": 5}),
    ("家用的冷柜 5台", {"FZ150": 5}),
    ("商用冷柜 来5台", {"FZ600": 5}),
    ("要商用冷柜5台", {"FZ600": 5}),
])
async def test_home_and_commercial_words_name_their_own_product(text: str, want: dict[str, int]) -> None:
    items, _ = await _parse(text, FREEZERS)
    assert items == want


@pytest.mark.parametrize("text", ["家用冷柜 来5台", "家用的冷柜 5台"])
async def test_a_home_word_with_no_home_model_is_asked_not_the_commercial_one(text: str) -> None:
    items, unresolved = await _parse(text, FREEZERS[1:])
    assert "FZ600" not in items
    assert items == {}
    assert unresolved
