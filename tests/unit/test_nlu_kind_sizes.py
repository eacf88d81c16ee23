"""A kind word and its size said apart, the count after them: "膨胀螺丝六 三盒", "8 膨胀螺丝 5盒"
(``nlu.kind_sizes``)."""

from __future__ import annotations

from datetime import date

import pytest

from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry

BOLTS = [CatalogueEntry(sku=f"EX{n}", name=f"坚固 膨胀螺丝 M{n}", aliases=[f"膨胀螺丝{n}", f"{n}膨胀螺丝"],
                        category="膨胀螺丝", unit="盒") for n in (6, 8, 10)]
BOLTS += [CatalogueEntry(sku=f"SC{n}", name=f"坚固 自攻螺丝 {n}mm", aliases=[f"自攻钉{n}"], category="自攻螺丝", unit="盒")
          for n in (25, 32)]


async def _items(text: str) -> dict[str, int]:
    parsed = await OfflineParser().parse(text, catalogue=BOLTS, today=date(2026, 12, 6))
    return {i.sku: i.qty for i in parsed.slots.items}


@pytest.mark.parametrize(("text", "want"), [
    ("膨胀螺丝六 三盒 膨胀螺丝八 两盒", {"EX6": 3, "EX8": 2}),
    ("要 8 膨胀螺丝 5盒", {"EX8": 5}),
])
async def test_the_kind_and_its_size_said_apart_name_one_product(text: str, want: dict[str, int]) -> None:
    assert await _items(text) == want


async def test_a_size_the_kind_lacks_or_no_size_names_nothing() -> None:
    assert await _items("膨胀螺丝十二 三盒") == {}
    assert await _items("膨胀螺丝 三盒") == {}
