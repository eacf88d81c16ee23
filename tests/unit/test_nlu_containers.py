"""Containers said as 大X / 小X, where X is a unit the catalogue sells by: "洁诺薰衣草小桶8" is the smallest of the
series' products sold by the 桶 (4 L), not its 1 L bottle; a series said once holds for the words of several series
after it ("洁诺薰衣草小桶8 薰衣草大桶2": both 洁诺)."""

from __future__ import annotations

import pytest

from nlu.schema import CatalogueEntry
from tests.nlu_items import parsed_items


def _product(series: str, code: str, scent: str, litres: int) -> CatalogueEntry:
    return CatalogueEntry(sku=f"{code}-{scent[:1]}{litres}", name=f"{series}洗衣液 {scent} {litres}L",
                          aliases=[f"{series}{scent} {litres}升", f"{scent} {litres}L"], unit="瓶" if litres < 4 else "桶")


SOAP = [_product("洁诺", "JN", scent, litres) for scent in ("薰衣草", "柠檬") for litres in (1, 4, 10, 20)]
SOAP += [_product("净雅", "JY", scent, litres) for scent in ("薰衣草", "柠檬") for litres in (4, 10)]


async def _items(text: str) -> dict[str, int]:
    return await parsed_items(text, SOAP)


@pytest.mark.parametrize(("text", "want"), [
    ("洁诺薰衣草小桶8桶", {"JN-薰4": 8}),
    ("洁诺薰衣草小瓶12瓶", {"JN-薰1": 12}),
    ("洁诺薰衣草大桶2桶", {"JN-薰20": 2}),
])
async def test_big_or_small_with_a_unit_chooses_among_the_products_sold_by_it(text: str, want: dict[str, int]) -> None:
    assert await _items(text) == want


@pytest.mark.parametrize(("text", "want"), [
    ("补货 净雅薰衣草小桶8 柠檬大桶2", {"JY-薰4": 8, "JY-柠10": 2}),
    ("补货 净雅薰衣草小桶8 薰衣草大桶2", {"JY-薰4": 8, "JY-薰10": 2}),
])
async def test_the_series_said_once_holds_for_the_containers_after_it(text: str, want: dict[str, int]) -> None:
    assert await _items(text) == want
