"""A measure word before a product word ("再加个滤网") is a measure word, not the first character of another word
that sounds the same ("合滤网" of "复合滤网"): the dealer is asked about what they wrote."""

from __future__ import annotations

from datetime import date

from nlu.offline import OfflineParser
from nlu.products import ProductIndex
from nlu.schema import CatalogueEntry

CATALOGUE = [
    CatalogueEntry(sku="F-1", name="一号机 复合滤网", aliases=["一号滤网"], unit="箱", category="配件"),
    CatalogueEntry(sku="F-2", name="二号机 复合滤网", aliases=["二号滤网"], unit="箱", category="配件"),
    CatalogueEntry(sku="M-1", name="一号机", aliases=[], unit="台", category="整机"),
]


def test_the_measure_word_is_not_read_into_a_product_word_that_sounds_like_it() -> None:
    found = ProductIndex(CATALOGUE).find("再加个滤网两箱")
    assert [(m.word, m.start) for m in found if m.skus] == [("滤网", 3)]


def test_the_question_quotes_what_the_dealer_wrote() -> None:
    slots = OfflineParser().parse_sync("再加个滤网两箱", catalogue=CATALOGUE, today=date(2026, 12, 4)).slots
    assert [(u.word, u.qty, sorted(u.candidates)) for u in slots.unresolved] == [("滤网", 2, ["F-1", "F-2"])]
