"""Sizes listed without a count right before a size with one: that count is each one's, the way dealers write one
count for several sizes without 各 ("鬃毛刷 1寸 2寸 十把 3寸五把"). Only sizes said alone, each one product; a count
after a change word ("2寸改成8") is that line's change, not a count for the sizes before it. And a code that no
product has, written before a size several products come in, is named back with it, never read as the line before's
sibling ("12 of the bg2 2寸 and 3 zz9 3寸").

A catalogue of its own, so these rules are tested apart from any labelled set.
"""

from __future__ import annotations

from datetime import date

from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry

CATALOGUE = [
    CatalogueEntry(sku=f"BR-{n}", name=f"青禾 鬃毛刷 {n}寸", aliases=[f"鬃毛刷{n}寸", f"BG{n}"], unit="把", category="刷子")
    for n in (1, 2, 3)
] + [
    CatalogueEntry(sku=f"RL-{n}", name=f"青禾 滚筒刷 {n}寸", aliases=[f"滚筒刷{n}寸", f"GT{n}"], unit="把", category="刷子")
    for n in (2, 3)
]
PARSER = OfflineParser()


def parsed(text: str) -> tuple[dict[str, int], list[str]]:
    result = PARSER.parse_sync(text, catalogue=CATALOGUE, today=date(2026, 12, 4))
    return {i.sku: i.qty for i in result.slots.items}, [u.word for u in result.slots.unresolved]


def test_sizes_listed_before_a_counted_size_take_its_count() -> None:
    assert parsed("鬃毛刷 1寸 2寸 十把 3寸五把")[0] == {"BR-1": 10, "BR-2": 10, "BR-3": 5}


def test_a_changed_count_is_not_shared() -> None:
    items, _ = parsed("鬃毛刷 1寸 6把 2寸 3寸 3寸改成8")
    assert items.get("BR-2") != 8
