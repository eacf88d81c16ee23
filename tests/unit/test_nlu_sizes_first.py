"""A count with its unit written before the size that names the line ("晨辉 4托360 2托410"): read like the size
written first ("晨辉 360 4托 410 2托"). A lone series word never becomes a line, and a size the series lacks is not
given to another size.

A catalogue of its own, so the rule is tested apart from any labelled set.
"""

from __future__ import annotations

from datetime import date

from nlu.moved_counts import sizes_put_first
from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry

CATALOGUE = [
    CatalogueEntry(sku="CH360", name="晨辉 单晶组件 360W", aliases=["CH360", "晨辉360", "360W", "360瓦"], unit="块",
                   category="组件"),
    CatalogueEntry(sku="CH410", name="晨辉 单晶组件 410W", aliases=["CH410", "晨辉410", "410W", "410瓦"], unit="块",
                   category="组件"),
    CatalogueEntry(sku="CH450", name="晨辉 单晶组件 450W", aliases=["CH450", "晨辉450", "450W", "450瓦"], unit="块",
                   category="组件"),
]
PARSER = OfflineParser()


def items(text: str) -> dict[str, int]:
    result = PARSER.parse_sync(text, catalogue=CATALOGUE, today=date(2026, 12, 4))
    return {i.sku: i.qty for i in result.slots.items}


def test_counts_before_sizes_after_a_series() -> None:
    assert items("晨辉 4托360 2托410 1托450") == {"CH360": 4, "CH410": 2, "CH450": 1}


def test_sizes_first_still_read() -> None:
    assert items("晨辉 360 4托 410 2托") == {"CH360": 4, "CH410": 2}


def test_series_alone_not_an_item() -> None:
    assert items("晨辉 4托") == {}


def test_nothing_to_move() -> None:
    assert sizes_put_first("晨辉 360 4托", []) is None
