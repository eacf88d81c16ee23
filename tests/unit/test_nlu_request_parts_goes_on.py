"""A clause begun by "但是 / 不过 / but" goes on with the one before it: "SO-… 收到了，但是少了一台" is one message about
that delivery, never an order of one more after a status question. A catalogue of its own."""

from __future__ import annotations

from datetime import date

import pytest

from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry, Intent

CATALOGUE = [CatalogueEntry(sku="MT-15", name="梦眠 床垫 1.5米", aliases=["梦眠1.5"], unit="张")]
PARSER = OfflineParser()


@pytest.mark.parametrize("text", [
    "SO-20261201-0003 收到了，但是少了一台",
    "SO-20261201-0003 到了，不过少了两张",
])
def test_a_clause_going_on_is_no_second_request(text: str) -> None:
    result = PARSER.parse_sync(text, catalogue=CATALOGUE, today=date(2026, 12, 4))
    assert result.also is None


def test_a_question_then_an_order_of_a_count_is_still_two() -> None:
    result = PARSER.parse_sync("梦眠1.5有货吗，来10张", catalogue=CATALOGUE, today=date(2026, 12, 4))
    assert result.intent == Intent.QUERY_STOCK
    assert result.also is not None and result.also.intent == Intent.PLACE_ORDER
