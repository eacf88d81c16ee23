"""English attributes written with a number ("21 speed", "2 seat") as the aliases write them hyphenated
("red 21-speed"): a run of them names the products that have them all, told apart by the words of the line said
before it (``nlu.numbered_words``)."""

from __future__ import annotations

from datetime import date

import pytest

from nlu.numbered_words import numbered_words_of
from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry

BIKES = [
    CatalogueEntry(sku="FX-R7", name="风行 山地车 7速 红", aliases=["风行红7速", "Fengxing red 7-speed"], unit="台"),
    CatalogueEntry(sku="FX-R21", name="风行 山地车 21速 红", aliases=["风行红21速", "Fengxing red 21-speed"], unit="台"),
    CatalogueEntry(sku="FX-B21", name="风行 山地车 21速 蓝", aliases=["风行蓝21速", "Fengxing blue 21-speed"], unit="台"),
    CatalogueEntry(sku="TL-B21", name="踏浪 公路车 21速 蓝", aliases=["踏浪蓝21速", "Talang blue 21-speed 1-seat"],
                   unit="台"),
    CatalogueEntry(sku="TL-B21D", name="踏浪 双人车 21速 蓝", aliases=["踏浪双人蓝", "Talang blue 21-speed 2-seat"],
                   unit="台"),
    CatalogueEntry(sku="BT-6", name="畅饮 运动水壶 6只装", aliases=["水壶6只装", "sport bottle 6-pack"], unit="盒"),
]


async def _items(text: str) -> dict[str, int]:
    parsed = await OfflineParser().parse(text, catalogue=BIKES, today=date(2026, 12, 6))
    return {i.sku: i.qty for i in parsed.slots.items}


@pytest.mark.parametrize(("text", "want"), [
    ("风行红 7 speed 5台 21 speed 3台", {"FX-R7": 5, "FX-R21": 3}),
    ("Talang blue 21 speed 2 seat x4", {"TL-B21D": 4}),
    ("fengxing blue 21 speed x2, 7 speed red x1", {"FX-B21": 2, "FX-R7": 1}),
])
async def test_a_run_of_numbered_words_names_the_product_of_its_line(text: str, want: dict[str, int]) -> None:
    assert await _items(text) == want


async def test_words_every_candidate_shares_tell_nothing() -> None:
    assert await _items("blue 21 speed x2") == {}


def test_a_count_and_its_unit_are_no_numbered_word() -> None:
    assert numbered_words_of(BIKES).words == {"speed", "seat"}      # "6-pack" is six of something
