"""A count said after a word of its own that names no product ("暖阳酒红 5条 藏青 3条" with no navy scarf, "内胎26 K 3
C 2") is named back with that word: it used to be set on the line before, which then had the wrong count and the
line the dealer meant was dropped without a word. A count said again in words of changing ("改成", "算了", a sound
of speech) still sets the line before."""

from __future__ import annotations

from datetime import date

import pytest

from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry

SCARVES = [CatalogueEntry(sku=f"WJ-{c}", name=f"暖阳围巾 {colour}", aliases=[f"暖阳{colour}"], unit="条")
           for colour, c in (("酒红", "RD"), ("烟灰", "GY"))]
TUBES = [CatalogueEntry(sku=f"NT-{s}", name=f"行者内胎 {s}寸", aliases=[f"内胎{s}"], unit="条") for s in (20, 24, 26)]
TYRES = [CatalogueEntry(sku="RT-225", name="越野A3 225/65R17 102H", aliases=["A3 225/65R17"], unit="条"),
         CatalogueEntry(sku="PK-12", name="金枪鱼罐头 12pk", aliases=["tuna 12pk"], unit="箱")]


async def _read(text: str, catalogue: list[CatalogueEntry]) -> tuple[dict[str, int], list[tuple[str, int | None]]]:
    parsed = await OfflineParser().parse(text, catalogue=catalogue, today=date(2026, 12, 6))
    return {i.sku: i.qty for i in parsed.slots.items}, [(u.word, u.qty) for u in parsed.slots.unresolved]


@pytest.mark.parametrize(("text", "catalogue", "items", "named_back"), [
    ("暖阳酒红 5条 藏青 3条", SCARVES, {"WJ-RD": 5}, [("藏青", 3)]),
    ("暖阳酒红5 藏青3", SCARVES, {"WJ-RD": 5}, [("藏青", 3)]),
    ("暖阳烟灰 x4 米白 x2", SCARVES, {"WJ-GY": 4}, [("米白", 2)]),
    ("内胎26 K 3 C 2", TUBES, {"NT-26": 3}, [("C", 2)]),
])
async def test_a_count_after_a_word_naming_no_product_is_named_back(
        text: str, catalogue: list[CatalogueEntry], items: dict[str, int], named_back: list[tuple[str, int]]) -> None:
    assert await _read(text, catalogue) == (items, named_back)


@pytest.mark.parametrize(("text", "catalogue", "items"), [
    ("暖阳酒红 5条 改成6条", SCARVES, {"WJ-RD": 6}),
    ("暖阳酒红 5条 算了 6条", SCARVES, {"WJ-RD": 6}),
    ("暖阳酒红 5条 哦 6条", SCARVES, {"WJ-RD": 6}),
    ("暖阳酒红 10条 少两条 8条就行", SCARVES, {"WJ-RD": 8}),
])
async def test_a_count_said_again_in_words_of_changing_still_sets_the_line(
        text: str, catalogue: list[CatalogueEntry], items: dict[str, int]) -> None:
    assert await _read(text, catalogue) == (items, [])


async def test_letters_of_the_number_before_are_no_word_of_their_own() -> None:
    """"102H", "12pk": the load index and the pack of the line before, never a word to name back."""
    items, named_back = await _read("tuna 12pk 6", TYRES)
    assert items == {"PK-12": 6} and named_back == []
