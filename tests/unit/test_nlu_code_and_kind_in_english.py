"""An alias that is a code and the Chinese word of its kind ("16A插座") is said in English with the kind's English
word ("16A socket"): that product, not another of its kind. A bare number before the kind stays a count ("18
wipers", tested in test_nlu_english_sizes).

A catalogue of its own, so the rule is tested apart from any labelled set.
"""

from __future__ import annotations

from datetime import date

import pytest

from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry

SOCKETS = [
    CatalogueEntry(sku="CZ-5K", name="稳家 简雅系列 五孔插座 白", aliases=["简雅白五孔", "J86 white socket"], unit="个",
                   category="开关插座"),
    CatalogueEntry(sku="CZ-5KU", name="稳家 简雅系列 USB五孔插座 白", aliases=["USB插座", "J86 USB socket"], unit="个",
                   category="开关插座"),
    CatalogueEntry(sku="CZ-16A", name="稳家 悦系列 16A三孔插座 白", aliases=["16A三孔", "16A插座", "Y86 16A"], unit="个",
                   category="开关插座"),
]


@pytest.mark.parametrize(("text", "sku"), [
    ("is the 16A socket available", "CZ-16A"),
    ("16A socket 多少钱", "CZ-16A"),
])
async def test_a_code_with_its_kind_in_english_names_the_product(text: str, sku: str) -> None:
    result = await OfflineParser().parse(text, catalogue=list(SOCKETS), today=date(2026, 12, 6))
    assert result.slots.product == sku
