"""A count written before a series word whose size comes after it ("卖了6台远航 4路"): read like the count written
last ("远航 4路 6台"). A size the series lacks is still named back, never guessed, and a lone series word with a
count stays unresolved.

A catalogue of its own, so the rule is tested apart from any labelled set.
"""

from __future__ import annotations

from datetime import date

from nlu.moved_counts import better_lines, counts_put_after
from nlu.offline import OfflineParser
from nlu.product_words import Mention, Strength
from nlu.schema import CatalogueEntry

CATALOGUE = [
    CatalogueEntry(sku="YH04", name="启明远航4路主机", aliases=["远航4路主机", "YH04", "远航4路"], unit="台", category="主机"),
    CatalogueEntry(sku="YH08", name="启明远航8路主机", aliases=["远航8路主机", "YH08", "远航8路"], unit="台", category="主机"),
    CatalogueEntry(sku="YH16", name="启明远航16路主机", aliases=["远航16路主机", "YH16", "16路主机", "远航16路"], unit="台",
                   category="主机"),
    CatalogueEntry(sku="YH04P", name="启明远航P 4路供电主机", aliases=["远航P 4路", "YH04P", "4路供电主机"], unit="台",
                   category="主机"),
    CatalogueEntry(sku="YH08P", name="启明远航P 8路供电主机", aliases=["远航P 8路", "YH08P", "8路供电主机"], unit="台",
                   category="主机"),
]
PARSER = OfflineParser()


def items(text: str) -> dict[str, int]:
    result = PARSER.parse_sync(text, catalogue=CATALOGUE, today=date(2026, 12, 4))
    return {i.sku: i.qty for i in result.slots.items}


def test_count_before_series_then_size_after() -> None:
    assert items("卖了6台远航 4路") == {"YH04": 6}
    assert items("要7台远航 8路") == {"YH08": 7}


def test_count_after_still_read() -> None:
    assert items("远航 4路 6台") == {"YH04": 6}


def test_series_alone_not_an_item() -> None:
    assert items("卖了6台远航") == {}


def test_missing_size_not_guessed() -> None:
    assert items("卖了6台远航 6路") == {}


def test_nothing_moved_without_a_series_word() -> None:
    assert counts_put_after("卖了6台", []) is None


def test_better_lines_keeps_plain_lines() -> None:
    assert better_lines({"A": 1}, {"A": 1, "B": 2})
    assert not better_lines({"A": 1}, {"A": 2, "B": 2})
    assert not better_lines({"A": 1}, {"A": 1})



def test_count_after_a_word_is_not_moved() -> None:
    # "远航p 4路 3台 远航 8路": the 3台 is the count of the words before it, not of the series word after it
    text = "远航p 4路 3台 远航 8路"
    series = Mention(start=text.rindex("远航"), end=text.rindex("远航") + 2, skus=("YH04", "YH08"),
                     strength=Strength.CATEGORY, word="远航")
    assert counts_put_after(text, [series]) is None
    assert counts_put_after("卖了3台远航 8路", [Mention(start=4, end=6, skus=("YH04", "YH08"), strength=Strength.CATEGORY,
                                                       word="远航")]) == "卖了远航 8路 3台 "
