"""Words that tell products of one kind apart, said anywhere on the line; the maker's kind words; prices
written beside a count.

A catalogue of its own (paint and brushes, no demo, development or blind product), so these rules are tested
apart from any labelled set.
"""

from __future__ import annotations

from datetime import date

import pytest

from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry

CATALOGUE = [
    CatalogueEntry(sku="WP-W5", name="白色乳胶漆 5L", aliases=["白色乳胶漆5升"], unit="桶", category="乳胶漆"),
    CatalogueEntry(sku="WP-W18", name="白色乳胶漆 18L", aliases=["白色乳胶漆18升"], unit="桶", category="乳胶漆"),
    CatalogueEntry(sku="WP-G18", name="米黄乳胶漆 18L", aliases=["米黄18升"], unit="桶", category="乳胶漆"),
    CatalogueEntry(sku="EX-18", name="外墙乳胶漆 18L", aliases=["外墙漆"], unit="桶", category="乳胶漆"),
    CatalogueEntry(sku="BR-S", name="羊毛刷 S", aliases=["羊毛刷S"], unit="把", category="工具"),
    CatalogueEntry(sku="BR-M", name="羊毛刷 M", aliases=["羊毛刷M"], unit="把", category="工具"),
    CatalogueEntry(sku="BR-L", name="羊毛刷 L", aliases=["羊毛刷L"], unit="把", category="工具"),
    CatalogueEntry(sku="PR-5", name="墙固底漆 5kg", aliases=["墙固5公斤"], unit="桶", category="辅料"),
    CatalogueEntry(sku="PR-20", name="墙固底漆 20kg", aliases=["墙固20公斤"], unit="桶", category="辅料"),
]
PARSER = OfflineParser()


def parse(text: str):  # type: ignore[no-untyped-def]
    return PARSER.parse_sync(text, catalogue=CATALOGUE, today=date(2026, 12, 4))


def items(text: str) -> dict[str, int]:
    return {i.sku: i.qty for i in parse(text).slots.items}


@pytest.mark.parametrize(("text", "expected"), [
    ("羊毛刷要M号的，20把", {"BR-M": 20}),                          # the size after the word, the count after a comma
    ("乳胶漆要米黄的 6桶", {"WP-G18": 6}),                          # 米黄 begins a name: a telling word
    ("墙固的20公斤来5桶", {"PR-20": 5}),                             # 20公斤 is the size, 5桶 the count
    ("羊毛刷 S的M的各10把", {"BR-S": 10, "BR-M": 10}),               # one line per telling word with 各
    ("乳胶漆18L的 白色的来5桶 米黄的3桶", {"WP-W18": 5, "WP-G18": 3}),   # the size said once holds for both lines
    ("白色的乳胶漆 18升 4桶", {"WP-W18": 4}),                         # the telling word before the kind word
])
def test_words_that_tell_products_apart(text: str, expected: dict[str, int]) -> None:
    assert items(text) == expected


def test_the_makers_kind_word_names_every_product_of_the_kind() -> None:
    result = parse("乳胶漆来10桶")
    assert result.slots.items == []                              # several products: never one of them
    assert result.slots.unresolved[0].qty == 10
    assert set(result.slots.unresolved[0].candidates) == {"WP-W5", "WP-W18", "WP-G18", "EX-18"}


def test_one_character_inside_another_word_tells_nothing_apart() -> None:
    # 外 of 外包装 is no 外墙: the kind word stays several products, the message names none of them
    assert parse("收到的乳胶漆好多桶漏了 外包装都湿了").slots.product is None


@pytest.mark.parametrize(("text", "expected"), [
    ("墙固20kg 6桶 300一桶 含税", {"PR-20": 6}),                    # 300一桶 is a price, not one more line
    ("按45一把的价来20把羊毛刷M", {"BR-M": 20}),
    ("外墙漆 10桶 @260", {"EX-18": 10}),
])
def test_a_price_beside_a_count_is_no_count(text: str, expected: dict[str, int]) -> None:
    assert items(text) == expected
