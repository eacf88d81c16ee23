"""Wire sections said the short way ("6方硬线", "4平软线", "六方") are 平方 when the catalogue names its products by
平方; in a catalogue that does not, 方 and 平 stay what they are."""

from __future__ import annotations

import pytest

from nlu.schema import CatalogueEntry
from tests.nlu_items import parsed_items


def _wire(kind: str, code: str, size: int, colour: str, c: str) -> CatalogueEntry:
    return CatalogueEntry(sku=f"QS-{code}{size}{c}", name=f"青松 {code}{size}平方 {kind} {colour} 100米/卷",
                          aliases=[f"{code}{size}{colour}", f"{size}平方{kind}{colour}"], unit="卷")


WIRES = [_wire(kind, code, size, colour, c) for kind, code in (("硬线", "BV"), ("软线", "BVR")) for size in (4, 6)
         for colour, c in (("红", "R"), ("蓝", "B"))]


@pytest.mark.parametrize(("text", "want"), [
    ("6方硬线 红4 蓝4", {"QS-BV6R": 4, "QS-BV6B": 4}),
    ("卖了六方软线红的三卷", {"QS-BVR6R": 3}),
])
async def test_a_section_said_short_is_square_millimetres(text: str, want: dict[str, int]) -> None:
    assert await parsed_items(text, WIRES) == want


async def test_fang_stays_a_word_where_nothing_is_sold_by_section() -> None:
    ark = [CatalogueEntry(sku="FZ-5", name="方舟 收纳箱 5号", aliases=["方舟5号"], unit="个")]
    assert await parsed_items("方舟5号 3个", ark) == {"FZ-5": 3}
