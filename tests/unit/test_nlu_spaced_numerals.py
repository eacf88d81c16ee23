"""A count in one Chinese numeral with a space after it is a count, whatever word comes next: "黑色中性笔 十
红色中性笔 五" (it was read as a word, like the 一 of "说一下")."""

from __future__ import annotations

from datetime import date

from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry

PENS = [CatalogueEntry(sku=f"GP-{c}", name=f"晨光 中性笔 {word}", aliases=[f"{word}色中性笔"], unit="盒")
        for c, word in (("BK", "黑"), ("RD", "红"), ("BL", "蓝"))]


async def _items(text: str) -> dict[str, int]:
    parsed = await OfflineParser().parse(text, catalogue=PENS, today=date(2026, 12, 6))
    return {i.sku: i.qty for i in parsed.slots.items}


async def test_a_spaced_numeral_before_the_next_product_is_its_count() -> None:
    assert await _items("黑色中性笔 十 红色中性笔 五") == {"GP-BK": 10, "GP-RD": 5}


async def test_a_numeral_glued_to_a_word_is_still_no_count() -> None:
    assert await _items("黑色中性笔 十盒 我说一下 蓝色中性笔 三盒") == {"GP-BK": 10, "GP-BL": 3}
