"""A size or word said alone after a counted line names a sibling of that line (``nlu.sibling_lines``): a product of
its series, else of its category, whose name or aliases say every part of the word ("410细瓶" after "R32细瓶十支": the
refrigerant of another series but the same category, aliased "R410细瓶"). Naming none, or several,
the count is named back with its word."""

from __future__ import annotations

from datetime import date

import pytest

from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry

GAS = [CatalogueEntry(sku=f"R{gas}-{kg}", name=f"凌风R{gas}冷媒 {kg}kg", aliases=[f"R{gas} {kg}kg", f"R{gas}{size}瓶"], unit="瓶",
                      category="冷媒") for gas in (32, 410) for kg, size in ((3, "细"), (10, "大"))]
BEDS = [CatalogueEntry(sku=f"NW-{s}", name=f"暖窝宠物窝 {s}", aliases=[f"nuanwo {s}"], unit="个") for s in ("S", "XL")]


async def _read(text: str, catalogue: list[CatalogueEntry]) -> tuple[dict[str, int], list[tuple[str, int | None]]]:
    parsed = await OfflineParser().parse(text, catalogue=catalogue, today=date(2026, 12, 6))
    return {i.sku: i.qty for i in parsed.slots.items}, [(u.word, u.qty) for u in parsed.slots.unresolved]


@pytest.mark.parametrize(("text", "catalogue", "items"), [
    ("唔该俾我R32细瓶十支 仲有410细瓶五支", GAS, {"R32-3": 10, "R410-3": 5}),
])
async def test_a_size_said_alone_names_the_sibling_of_the_line_before(
        text: str, catalogue: list[CatalogueEntry], items: dict[str, int]) -> None:
    assert await _read(text, catalogue) == (items, [])


async def test_a_word_no_sibling_has_is_named_back_whole() -> None:
    """"XXS" is no S: the x taken out as the x of a count leaves no other word."""
    assert await _read("nuanwo XL 3 and nuanwo XXS 2", BEDS) == ({"NW-XL": 3}, [("nuanwo", None), ("XXS", 2)])
