""""med" is what dealers write for medium: "steel clamp small 6 med 4" names the small and the medium clamps, as
"钢卡箍 小号6 中号4" does."""

from __future__ import annotations

from datetime import date

from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry

CLAMPS = [CatalogueEntry(sku=f"CL-{s}", name=f"钢制卡箍 {word}", aliases=[f"steel clamp {s}"], unit="个")
          for s, word in (("S", "小号"), ("M", "中号"), ("L", "大号"))]


async def _items(text: str) -> dict[str, int]:
    parsed = await OfflineParser().parse(text, catalogue=CLAMPS, today=date(2026, 12, 6))
    return {i.sku: i.qty for i in parsed.slots.items}


async def test_med_is_medium() -> None:
    assert await _items("steel clamp med 4") == {"CL-M": 4}


async def test_med_as_the_second_line_of_a_list() -> None:
    assert await _items("steel clamps small 6 med 4") == {"CL-S": 6, "CL-M": 4}
