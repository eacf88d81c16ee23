"""A count written "×6" glued after a size letter ("黑l×6"): the letter is the variant, the ×6 its count."""

from __future__ import annotations

from datetime import date

from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry

JACKETS = [CatalogueEntry(sku=f"SL-{c}-{s}", name=f"山岚冲锋衣 {colour} {s}", aliases=[f"山岚{colour[0]}{s}"], unit="件")
           for colour, c in (("黑色", "BK"), ("灰色", "GY")) for s in ("M", "L", "XL")]


async def test_a_count_glued_after_a_size_letter_is_its_count() -> None:
    parsed = await OfflineParser().parse("山岚黑m×4 黑l×6 灰xl×2", catalogue=JACKETS, today=date(2026, 12, 6))
    assert {i.sku: i.qty for i in parsed.slots.items} == {"SL-BK-M": 4, "SL-BK-L": 6, "SL-GY-XL": 2}
