"""What the offline parser reads as order items from one message, against a test's own catalogue."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry


async def parsed_items(text: str, catalogue: Sequence[CatalogueEntry], today: date = date(2026, 12, 6)) -> dict[str, int]:
    """{sku: qty} of the items the offline parser reads in ``text``."""
    parsed = await OfflineParser().parse(text, catalogue=list(catalogue), today=today)
    return {i.sku: i.qty for i in parsed.slots.items}
