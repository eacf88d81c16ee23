"""A series' own word (what is left of an alias once the product's colour or size is taken off, "云帆" of "云帆灰L")
typed with a homophone that shares a character ("云凡灰L") is that series word, like a product word typed so."""

from __future__ import annotations

from nlu.schema import CatalogueEntry
from tests.nlu_items import parsed_items

COATS = [CatalogueEntry(sku=f"YF-{c}-{s}", name=f"北岭云帆棉服 {colour} {s}", aliases=[f"云帆{colour}{s}"], unit="件")
         for colour, c in (("灰", "GY"), ("绿", "GN")) for s in ("M", "L")]


async def test_a_series_word_typed_with_a_homophone_is_read() -> None:
    assert await parsed_items("云凡灰L 卖了4件", COATS) == {"YF-GY-L": 4}
