"""Products told apart by a cross spec ("20x40", "40*40", "3x6+1x4") said after a family word, a series' letters or
another spec, with a length that only some of them come in (``nlu.cross_specs``)."""

from __future__ import annotations

from datetime import date

import pytest

from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry

STEEL = [
    CatalogueEntry(sku="SQ2040", name="钢联 FG20x40 方管 黑 6米/根", aliases=["20*40方管"], category="方管", unit="根"),
    CatalogueEntry(sku="SQ4040", name="钢联 FG40x40 方管 黑 6米/根", aliases=["40*40方管 6米"], category="方管", unit="根"),
    CatalogueEntry(sku="SQ4040S", name="钢联 FG40x40 方管 黑 3米/根", aliases=["40*40方管 3米"], category="方管", unit="根"),
    CatalogueEntry(sku="AN404", name="钢联 JG40x4 角钢 6米/根", aliases=["40*4角钢"], category="角钢", unit="根"),
    CatalogueEntry(sku="AN505", name="钢联 JG50x5 角钢 6米/根", aliases=["50*5角钢"], category="角钢", unit="根"),
    CatalogueEntry(sku="FB40", name="钢联 扁铁 40 6米/根", aliases=["40扁铁"], category="扁铁", unit="根"),
]


async def _items(text: str) -> dict[str, int]:
    parsed = await OfflineParser().parse(text, catalogue=STEEL, today=date(2026, 12, 6))
    return {i.sku: i.qty for i in parsed.slots.items}


@pytest.mark.parametrize(("text", "want"), [
    ("方管 20x40 5根 40x40 6米的 3根", {"SQ2040": 5, "SQ4040": 3}),
    ("fg20*40 两根 40*40 3米的 一根", {"SQ2040": 2, "SQ4040S": 1}),
    ("角钢 40x4 10根 50x5 8根", {"AN404": 10, "AN505": 8}),
    ("FG 40x40 6米的2根 3米的4根", {"SQ4040": 2, "SQ4040S": 4}),
    ("3米一根的40x40方管 6根", {"SQ4040S": 6}),
])
async def test_a_spec_after_its_family_names_one_product(text: str, want: dict[str, int]) -> None:
    assert await _items(text) == want


async def test_a_spaced_cross_is_a_count_and_an_unknown_spec_names_nothing() -> None:
    assert await _items("40扁铁 x 10") == {"FB40": 10}
    assert await _items("方管 30x30 5根") == {}


async def test_a_spec_of_several_lengths_with_none_said_stays_unresolved() -> None:
    parsed = await OfflineParser().parse("40x40 5根", catalogue=STEEL, today=date(2026, 12, 6))
    assert parsed.slots.items == []
