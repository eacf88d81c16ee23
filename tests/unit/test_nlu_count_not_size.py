"""A bare number with a count's unit right after it is a count, never one of the series' sizes: "云梦 暖白18 20张
灰 15张" is 15 sheets of the grey 18 mm board, though the series also comes 15 mm thick ("330罐" of a beer is still
the 330 ml can). A catalogue of its own (boards of an invented maker, no demo, development or blind product).
"""

from __future__ import annotations

from datetime import date

from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry

CATALOGUE = [
    CatalogueEntry(sku="YM-18W", name="云梦生态板 18mm 暖白", aliases=["云梦暖白18"], unit="张", category="生态板"),
    CatalogueEntry(sku="YM-18G", name="云梦生态板 18mm 灰", aliases=["云梦灰18"], unit="张", category="生态板"),
    CatalogueEntry(sku="YM-15W", name="云梦生态板 15mm 暖白", aliases=["云梦暖白15"], unit="张", category="生态板"),
]
PARSER = OfflineParser()


def test_a_count_after_a_colour_is_no_size() -> None:
    result = PARSER.parse_sync("云梦生态板 暖白18 20张 灰 15张", catalogue=CATALOGUE, today=date(2026, 12, 4))
    assert {i.sku: i.qty for i in result.slots.items} == {"YM-18W": 20, "YM-18G": 15}
