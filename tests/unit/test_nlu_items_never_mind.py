""""算了" (never mind) right before a line said again: its count replaces the one said before ("3000 两台 4000 一台
算了4000也来两台": two of the 4000, not three), as "不对" does.

A catalogue of its own, so the rule is tested apart from any labelled set.
"""

from __future__ import annotations

from datetime import date

from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry

PUMPS = [CatalogueEntry(sku=f"BP-{n}", name=f"蓝泉 水泵 {n}型", aliases=[f"蓝泉{n}", f"水泵{n}"], unit="台")
         for n in (1500, 2500, 3500)]


def _items(text: str) -> dict[str, int]:
    parsed = OfflineParser().parse_sync(text, catalogue=PUMPS, today=date(2026, 12, 4))
    return {i.sku: i.qty for i in parsed.slots.items}


def test_suanle_before_a_line_said_again_sets_its_count() -> None:
    assert _items("蓝泉1500 两台 2500 一台 算了2500也来两台") == {"BP-1500": 2, "BP-2500": 2}


def test_zai_lai_without_suanle_still_adds() -> None:
    assert _items("蓝泉1500 两台 2500 一台 2500再来两台") == {"BP-1500": 2, "BP-2500": 3}
