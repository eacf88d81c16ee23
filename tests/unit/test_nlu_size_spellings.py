"""Clothing sizes as catalogues write them: "2XL" is XXL (and "2xl", "xxl" in a message), "170/M" is both the height
and the letter, "30腰" is the 30 waist with its mark: each tells the products of a series apart, after it."""

from __future__ import annotations

import pytest

from nlu.schema import CatalogueEntry
from tests.nlu_items import parsed_items

SHELL = [CatalogueEntry(sku=f"CF-{s}", name=f"山行冲锋衣 红色 {s}", aliases=[f"冲锋衣红{s}"], unit="件")
         for s in ("L", "XL", "2XL")]
POLO = [CatalogueEntry(sku=f"PL-{h}", name=f"山行速干POLO衫 白色 {h}/{s}", aliases=[f"速干白{h}"], unit="件")
        for h, s in ((165, "S"), (170, "M"), (175, "L"), (180, "XL"), (185, "2XL"))]
PANTS = [CatalogueEntry(sku=f"GZ-{c}-{w}", name=f"山行工装裤 {word} {w}腰", aliases=[f"工装{word}{w}"], unit="条")
         for c, word in (("KH", "卡其"), ("GN", "军绿")) for w in (30, 32, 34)]
CATALOGUE = SHELL + POLO + PANTS


async def _items(text: str) -> dict[str, int]:
    return await parsed_items(text, CATALOGUE)


@pytest.mark.parametrize(("text", "want"), [
    ("冲锋衣红 L 2 XL 2 XXL 2", {"CF-L": 2, "CF-XL": 2, "CF-2XL": 2}),
    ("冲锋衣红 XL3件 2XL1件", {"CF-XL": 3, "CF-2XL": 1}),
])
async def test_2xl_is_xxl(text: str, want: dict[str, int]) -> None:
    assert await _items(text) == want


@pytest.mark.parametrize(("text", "want"), [
    ("速干白 S 5 M 8 L 10", {"PL-165": 5, "PL-170": 8, "PL-175": 10}),
    ("速干白 L 20 XL 20 XXL 10", {"PL-175": 20, "PL-180": 20, "PL-185": 10}),
])
async def test_a_height_and_its_letter_both_name_the_size(text: str, want: dict[str, int]) -> None:
    assert await _items(text) == want


async def test_a_waist_said_with_its_mark_keeps_its_count() -> None:
    assert await _items("工装卡其 30腰2条 32腰5条 34腰1") == {"GZ-KH-30": 2, "GZ-KH-32": 5, "GZ-KH-34": 1}
