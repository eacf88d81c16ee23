"""Sizes written in Chinese numerals before their mark ("四十一码", "三十二腰") are the sizes in digits."""

from __future__ import annotations

from datetime import date

import pytest

from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry

SHOES = [CatalogueEntry(sku=f"TY-WH-{n}", name=f"踏云跑鞋 白色 {n}码", aliases=[f"踏云白{n}"], unit="双") for n in (40, 41, 42)]
JEANS = [CatalogueEntry(sku=f"QS-BK-{n}", name=f"青石直筒牛仔裤 黑色 {n}腰", aliases=[f"青石黑{n}"], unit="条") for n in (30, 32)]


@pytest.mark.parametrize(("text", "want"), [
    ("踏云白 四十一码两双 四十二码三双", {"TY-WH-41": 2, "TY-WH-42": 3}),
    ("青石黑三十腰六条 三十二腰四条", {"QS-BK-30": 6, "QS-BK-32": 4}),
])
async def test_a_size_in_chinese_numerals_before_its_mark(text: str, want: dict[str, int]) -> None:
    parsed = await OfflineParser().parse(text, catalogue=SHOES + JEANS, today=date(2026, 12, 6))
    assert {i.sku: i.qty for i in parsed.slots.items} == want
