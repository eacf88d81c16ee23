"""Mentions that cannot both be right (``nlu.overlaps``): a weaker word inside a product's own words, and two numbers
read as a code when the second is a size with its unit ("红3 6米": the count 3, then 6 m)."""

from __future__ import annotations

from nlu.overlaps import without_overlaps
from nlu.product_words import Mention, Strength


def test_a_weaker_word_inside_a_products_words_is_dropped() -> None:
    text = "松木方4米红2"
    whole = Mention(0, 6, ("PINE-4-RD",), Strength.NAME, "松木方4米红")
    inner = Mention(3, 6, ("FIR-4-RD",), Strength.CATEGORY, "4米红")
    assert without_overlaps(text, [whole, inner]) == [whole]


def test_an_equal_or_stronger_word_inside_stays() -> None:
    text = "松木方4米红2"
    whole = Mention(0, 6, ("PINE-4-RD",), Strength.NAME, "松木方4米红")
    inner = Mention(3, 6, ("FIR-4-RD",), Strength.EXACT, "4米红")
    assert without_overlaps(text, [whole, inner]) == [whole, inner]


def test_spaced_numbers_before_a_size_unit_are_no_code() -> None:
    code = Mention(5, 8, ("BEAM-3X6",), Strength.NAME, "3 6")
    assert without_overlaps("尼龙绳 红3 6米 红3", [code]) == []
    assert without_overlaps("方木 3 6 4根", [Mention(3, 6, ("BEAM-3X6",), Strength.NAME, "3 6")]) != []
