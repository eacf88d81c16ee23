"""Fewer on a line ("5号减30", "AP300少要5台"): a SUBTRACT edit of that line, never a SET to the number; goods short
on delivery ("少发了", "少了") stay what they were."""

from __future__ import annotations

from datetime import date

import pytest

from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry, EditOp

CATALOGUE = [CatalogueEntry(sku=f"C{layers}-{n:02d}", name=f"远航{word}层纸箱 {n}号", aliases=[f"{word}层{n}号"], unit="个")
             for layers, word in ((3, "三"), (5, "五")) for n in (3, 5, 7)]
CATALOGUE += [CatalogueEntry(sku="AP300", name="空气净化器AP300", unit="台"),
              CatalogueEntry(sku="Z8-05", name="远航自封袋 8丝 5号", unit="包")]


async def _parse(text: str):  # type: ignore[no-untyped-def]
    return await OfflineParser().parse(text, catalogue=CATALOGUE, today=date(2026, 12, 6))


@pytest.mark.parametrize(("text", "sku", "qty"), [
    ("三层5号减30个", "C3-05", 30), ("三层5号少30个", "C3-05", 30), ("三层3号少来10个", "C3-03", 10),
    ("AP300少要5台", "AP300", 5), ("AP300 减 2台", "AP300", 2),
])
async def test_fewer_is_a_subtraction_of_that_line(text: str, sku: str, qty: int) -> None:
    parsed = await _parse(text)
    assert [(e.op, e.sku, e.qty) for e in parsed.slots.edits] == [(EditOp.SUBTRACT, sku, qty)]
    assert parsed.slots.items == []                  # of an empty order: nothing


async def test_a_size_alone_with_fewer_is_named_back_as_taking_off() -> None:
    parsed = await _parse("5号减30")
    [word] = parsed.slots.unresolved
    assert (word.qty, word.less, word.sets) == (30, True, False) and "C3-05" in word.candidates


@pytest.mark.parametrize("text", ["三层5号少发了20个", "AP300少了2台"])
async def test_goods_short_on_delivery_are_no_subtraction(text: str) -> None:
    assert all(e.op != EditOp.SUBTRACT for e in (await _parse(text)).slots.edits)
