"""An English word that only a few products' aliases have ("lamp" of "round ceiling lamp" and "standing floor lamp") in a catalogue
that says its other products of the same kind in Chinese only (台灯 黑色): the word with a colour ("desk lamp black")
names no product rather than the one black product aliased in English, which the dealer may not mean. A catalogue of
its own (lamps of an invented maker, no demo, development or blind product).
"""

from __future__ import annotations

from datetime import date

import pytest

from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry

CATALOGUE = [
    CatalogueEntry(sku="XM-XD-BK", name="星明吸顶灯 黑色", aliases=["吸顶灯黑", "XD-BK", "round ceiling lamp"],
                   unit="个", category="灯具"),
    CatalogueEntry(sku="XM-LD-WH", name="星明落地灯 白色", aliases=["落地灯白", "LD-WH", "standing floor lamp"],
                   unit="个", category="灯具"),
    CatalogueEntry(sku="XM-TD-BK", name="星明台灯 黑色", aliases=["台灯黑", "TD-BK"],
                   unit="个", category="灯具"),
    CatalogueEntry(sku="XM-TD-WH", name="星明台灯 白色", aliases=["台灯白", "TD-WH"],
                   unit="个", category="灯具"),
    CatalogueEntry(sku="XM-BD-GD", name="星明壁灯 金色", aliases=["壁灯金", "BD-GD"],
                   unit="个", category="灯具"),
]
PARSER = OfflineParser()


def parse(text: str):  # type: ignore[no-untyped-def]
    return PARSER.parse_sync(text, catalogue=CATALOGUE, today=date(2026, 12, 4)).slots


@pytest.mark.parametrize("text", ["desk lamp black x4", "lamp black 4 pcs", "bedside lamp blk x5"])
def test_a_colour_after_a_word_of_the_english_aliases_only_names_no_product(text: str) -> None:
    slots = parse(text)
    assert not slots.items
    assert slots.unresolved or slots.unknown_words


@pytest.mark.parametrize(("text", "expected"), [
    ("round ceiling lamp 2", {"XM-XD-BK": 2}),
    ("台灯黑 3个 落地灯白 1个", {"XM-TD-BK": 3, "XM-LD-WH": 1}),
])
def test_the_products_own_words_still_name_them(text: str, expected: dict[str, int]) -> None:
    assert {i.sku: i.qty for i in parse(text).items} == expected
