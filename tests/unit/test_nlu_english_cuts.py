"""A word of an English alias cut to its first letters ("cab" for cabernet, "chard" for chardonnay), said with the
other words of that alias, names the product; a cut two words of the catalogue share names nothing."""

from __future__ import annotations

from datetime import date

from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry

WINES = [
    CatalogueEntry(sku="HS-MR", name="山岭 梅洛干红 750ml", aliases=["Hillside Merlot 750"], unit="瓶"),
    CatalogueEntry(sku="HS-MB", name="山岭 马尔贝克干红 750ml", aliases=["Hillside Malbec 750"], unit="瓶"),
    CatalogueEntry(sku="HS-RS", name="山岭 雷司令干白 750ml", aliases=["Hillside Riesling 750"], unit="瓶"),
    CatalogueEntry(sku="HS-RV", name="山岭 里瓦纳干白 750ml", aliases=["Hillside Rieslaner 750"], unit="瓶"),
]


async def _items(text: str) -> dict[str, int]:
    parsed = await OfflineParser().parse(text, catalogue=WINES, today=date(2026, 12, 6))
    return {i.sku: i.qty for i in parsed.slots.items}


async def test_a_cut_word_with_the_rest_of_its_alias_names_the_product() -> None:
    assert await _items("hillside mer 750 x6, hillside mal 750 x4") == {"HS-MR": 6, "HS-MB": 4}


async def test_a_cut_two_words_share_names_nothing() -> None:
    assert "HS-RS" not in await _items("hillside ries 750 x6") and "HS-RV" not in await _items("hillside ries 750 x6")
