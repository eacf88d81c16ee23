"""A count with its unit glued before a word that is no product ("再要10条皮带", "再来6个围巾") is that word's count,
reported as unresolved, never more of the line before; a count followed by a word of the request ("再来3件吧",
"再拿8件过来") still adds to it."""

from __future__ import annotations

import pytest

from nlu.schema import CatalogueEntry
from tests.nlu_items import parsed_items

COATS = [CatalogueEntry(sku=f"YF-{c}-{s}", name=f"云帆棉服 {colour} {s}", aliases=[f"云帆{colour}{s}"], unit="件")
         for colour, c in (("灰", "GY"), ("绿", "GN")) for s in ("M", "L")]


@pytest.mark.parametrize(("text", "want"), [
    ("要4件云帆灰L 再要10条皮带", {"YF-GY-L": 4}),
    ("云帆绿M 6件 再来6个围巾", {"YF-GN-M": 6}),
    ("云帆绿M 6件 再来3件吧", {"YF-GN-M": 9}),
    ("云帆灰M 2件 再拿8件过来", {"YF-GY-M": 10}),
])
async def test_a_count_glued_to_a_word_of_its_own_is_not_the_line_befores(text: str, want: dict[str, int]) -> None:
    assert await parsed_items(text, COATS) == want


PIPES = [CatalogueEntry(sku=f"PE{s}", name=f"润通PE给水管 {s}mm 100米盘", aliases=[f"PE管{s}", f"{s}PE管"], unit="盘")
         for s in (20, 25, 32)]


@pytest.mark.parametrize(("text", "want"), [
    ("PE管 20 25 32 各一盘", {"PE20": 1, "PE25": 1, "PE32": 1}),     # coils counted in 盘, in Chinese numerals
    ("PE管25 两盘", {"PE25": 2}),
    ("给我要3盘PE管32", {"PE32": 3}),
])
async def test_coils_are_counted_in_pan(text: str, want: dict[str, int]) -> None:
    assert await parsed_items(text, PIPES) == want
