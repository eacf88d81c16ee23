""""每个3件", "每个来两套" after a list of variants: every one of them gets that count, as with 各."""

from __future__ import annotations

import pytest

from nlu.schema import CatalogueEntry
from tests.nlu_items import parsed_items

SUITS = [CatalogueEntry(sku=f"XM-{h}", name=f"小蜜蜂儿童睡衣 {h}", aliases=[f"小蜜蜂睡衣{h}"], unit="套")
         for h in (100, 110, 120, 130)]


@pytest.mark.parametrize(("text", "want"), [
    ("小蜜蜂睡衣 100 110 120 每个3套", {"XM-100": 3, "XM-110": 3, "XM-120": 3}),
    ("小蜜蜂睡衣110 120 130 每个来两套", {"XM-110": 2, "XM-120": 2, "XM-130": 2}),
])
async def test_each_one_gives_every_listed_variant_the_count(text: str, want: dict[str, int]) -> None:
    assert await parsed_items(text, SUITS) == want
