"""A size letter with its range in brackets at the end of a name ("减震鞋垫 S(35-38)") is a size letter of the
catalogue: "S 5 M 12 L 7" is three counts, each of a size, never "12 L" (twelve litres) read as a size the product
does not have.

A catalogue of its own, so the rule is tested apart from any labelled set.
"""

from __future__ import annotations

import pytest

from nlu.schema import CatalogueEntry
from tests.nlu_items import parsed_items

INSOLES = [
    CatalogueEntry(sku=f"XD-{size}", name=f"稳家减震鞋垫 {size}({fits})", aliases=[f"减震鞋垫{size}", f"shock insole {size}"],
                   unit="双", category="鞋垫")
    for size, fits in (("S", "35-38"), ("M", "39-42"), ("L", "43-46"))
]


@pytest.mark.parametrize(("text", "want"), [
    ("report: shock insoles S 5 M 12 L 7", {"XD-S": 5, "XD-M": 12, "XD-L": 7}),
    ("shock insole M 10 L 5", {"XD-M": 10, "XD-L": 5}),
])
async def test_a_count_before_a_bracketed_size_letter_is_no_litres(text: str, want: dict[str, int]) -> None:
    assert await parsed_items(text, INSOLES) == want
