"""A code no product has but one edit away from one ("AP3000", "WP60") is named back with that product offered
("没有找到“AP3000”… 您是不是要 AP300"), never read as that product (QA session 27, P14), as a code no product
has at all ("DH25") already was."""

from __future__ import annotations

from datetime import date

import pytest

from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry

TODAY = date(2026, 12, 7)
CATALOGUE = [
    CatalogueEntry(sku="KT200", name="电热水壶 KT200", aliases=["水壶200"], unit="台"),
    CatalogueEntry(sku="KT350", name="电热水壶 KT350 大容量", aliases=[], unit="台"),
    CatalogueEntry(sku="RC80", name="电饭煲 RC80", aliases=[], unit="台"),
]
PARSER = OfflineParser()


def parse(text: str):  # type: ignore[no-untyped-def]
    return PARSER.parse_sync(text, catalogue=CATALOGUE, today=TODAY)


@pytest.mark.parametrize(("text", "word", "qty", "near"), [
    ("KT2000 要5台", "KT2000", 5, "KT200"),      # a digit more
    ("KT20 来6台", "KT20", 6, "KT200"),           # a digit less
    ("RC800 3台", "RC800", 3, "RC80"),
    ("kt3500 两台", "KT3500", 2, "KT350"),        # said back as codes are written
])
def test_a_near_miss_of_a_code_is_named_back_not_ordered(text: str, word: str, qty: int, near: str) -> None:
    slots = parse(text).slots
    assert slots.items == [] and slots.product is None
    assert [(u.word, u.qty, u.candidates) for u in slots.unresolved] == [(word, qty, [near])]
    assert slots.unknown_words == [word]


def test_the_other_lines_of_the_message_stay_read() -> None:
    slots = parse("KT200 3台 RC800 2台").slots
    assert [(i.sku, i.qty) for i in slots.items] == [("KT200", 3)]
    assert [(u.word, u.candidates) for u in slots.unresolved] == [("RC800", ["RC80"])]


@pytest.mark.parametrize("text", ["KT2000有货吗", "KT2000多少钱"])
def test_a_near_miss_asked_about_is_a_word_to_look_up_not_the_product(text: str) -> None:
    slots = parse(text).slots
    assert slots.product is None and slots.unknown_words == ["KT2000"]


@pytest.mark.parametrize(("text", "sku"), [("KT2OO 4台", "KT200"), ("kt-200 4台", "KT200"), ("KT200 4台", "KT200")])
def test_the_same_code_typed_another_way_is_still_that_product(text: str, sku: str) -> None:
    assert [(i.sku, i.qty) for i in parse(text).slots.items] == [(sku, 4)]
