"""A line asked one size up or down ("换成大一号的", "a size bigger") is no delivery date and no product guessed."""

from __future__ import annotations

from datetime import date

import pytest

from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry, Intent

CATALOGUE = [
    CatalogueEntry(sku="DH20", name="除湿机 DH20 20升", unit="台", category="除湿机"),
    CatalogueEntry(sku="DH50", name="商用除湿机 DH50 50升", unit="台", category="除湿机"),
]
PARSER = OfflineParser()


@pytest.mark.parametrize(("text", "topic"), [
    ("换成大一号的", "size_up"),
    ("换个小一号吧", "size_down"),
    ("DH20要大一号的", "size_up"),
    ("a size bigger please", "size_up"),
    ("swap it for the smaller one", "size_down"),
])
def test_a_size_step_is_asked_never_a_date(text: str, topic: str) -> None:
    result = PARSER.parse_sync(text, catalogue=CATALOGUE, today=date(2026, 12, 7))
    assert result.intent == Intent.PLACE_ORDER
    assert result.slots.topic == topic
    assert result.slots.delivery_date is None and not result.slots.items


def test_the_first_of_the_month_is_still_a_date() -> None:
    result = PARSER.parse_sync("DH20 2台 1号到", catalogue=CATALOGUE, today=date(2026, 12, 7))
    assert result.slots.delivery_date == date(2027, 1, 1)
    assert result.slots.topic is None
