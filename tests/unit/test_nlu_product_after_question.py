"""A question, its mark, then the product it asks about ("有货吗？简影黑色双开双控"): one request about that product,
not a question about nothing followed by a second request. A catalogue of its own."""

from __future__ import annotations

from datetime import date

import pytest

from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry, Intent

CATALOGUE = [
    CatalogueEntry(sku="QS-2W", name="青松 系列 双开双控 白", aliases=["青松白双开"], unit="个"),
    CatalogueEntry(sku="QS-2K", name="青松 系列 双开双控 黑", aliases=["青松黑双开"], unit="个"),
    CatalogueEntry(sku="QS-5K", name="青松 系列 五孔插座 黑", aliases=["青松黑五孔"], unit="个"),
]
PARSER = OfflineParser()


@pytest.mark.parametrize(("text", "intent", "product"), [
    ("有货吗？青松黑色双开双控", Intent.QUERY_STOCK, "QS-2K"),
    ("还有没有？青松黑五孔", Intent.QUERY_STOCK, "QS-5K"),
    ("多少钱？青松白双开", Intent.PRICE_QUERY, "QS-2W"),
])
def test_the_product_said_after_the_question_is_what_it_asks_about(text: str, intent: Intent, product: str) -> None:
    result = PARSER.parse_sync(text, catalogue=CATALOGUE, today=date(2026, 12, 4))
    assert (result.intent, result.slots.product, result.also) == (intent, product, None)


def test_a_second_request_with_a_count_after_the_question_still_rides_along() -> None:
    result = PARSER.parse_sync("有货吗？青松黑五孔来20个", catalogue=CATALOGUE, today=date(2026, 12, 4))
    assert result.intent == Intent.QUERY_STOCK
    assert result.also is not None and result.also.intent == Intent.PLACE_ORDER
    assert {i.sku: i.qty for i in result.also.slots.items} == {"QS-5K": 20}
