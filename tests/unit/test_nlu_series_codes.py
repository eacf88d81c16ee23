"""A series named by its code letter once ("E series"), then its models by the sizes after the letter ("50l 3 units
80l 2") is the E50L and E80L, not the F50L or F80L that the size alone might also be."""

from __future__ import annotations

import pytest

from nlu.schema import CatalogueEntry
from tests.nlu_items import parsed_items

# water heaters: two series that share their sizes, each model called by its letter and size
HEATERS = [CatalogueEntry(sku=f"WH-{s}{v}L", name=f"暖泉 {kind}热水器 {v}L", aliases=[f"{s}{v}L", f"WH-{s}{v}L"],
                          unit="台")
           for s, kind in (("E", "电"), ("F", "速热")) for v in (50, 60, 80)]


@pytest.mark.parametrize(("text", "want"), [
    ("sales report E series 50l 3 units 80l 2 units", {"WH-E50L": 3, "WH-E80L": 2}),
    ("instant F series: 60l 4 units, 80l 1", {"WH-F60L": 4, "WH-F80L": 1}),
    ("E series 50l 3 60l 2 change 60l to 5", {"WH-E50L": 3, "WH-E60L": 5}),
])
async def test_sizes_after_a_series_letter_are_its_models(text: str, want: dict[str, int]) -> None:
    assert await parsed_items(text, HEATERS) == want
