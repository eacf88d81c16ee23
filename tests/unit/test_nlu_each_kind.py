"""每样 / 每种 after a list of variants gives every one of them the count, like 各: "纯粮一斤装 38 42 52 每样10箱" (the last
variant, right before 每样, was read as the count of the one before it: "42" x 52)."""

from __future__ import annotations

import pytest

from nlu.schema import CatalogueEntry
from tests.nlu_items import parsed_items

GRAIN = [CatalogueEntry(sku=f"CL{d}-{ml}", name=f"松岭纯粮 {d}度 {ml}ml 光瓶", aliases=[f"纯粮{d}度{ml}"], unit="瓶")
         for d in (38, 42, 52) for ml in (500, 1000)]


@pytest.mark.parametrize("each", ["每样", "每种", "各"])
async def test_each_kind_word_after_a_list_of_variants(each: str) -> None:
    assert await parsed_items(f"纯粮一斤装 38 42 52 {each}10箱", GRAIN) == {"CL38-500": 10, "CL42-500": 10, "CL52-500": 10}
