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
    CatalogueEntry(sku="CB-16R", name="电缆 16A 红色", aliases=["16A红缆"], unit="卷", category="电缆"),
    CatalogueEntry(sku="CB-16B", name="电缆 16A 蓝色", aliases=["16A蓝缆"], unit="卷", category="电缆"),
    CatalogueEntry(sku="CB-32R", name="电缆 32A 红色", aliases=["32A红缆"], unit="卷", category="电缆"),
    CatalogueEntry(sku="TR-9", name="涂料托盘 9寸", aliases=["paint tray 9 inch"], unit="个", category="工具"),
    CatalogueEntry(sku="TR-12", name="涂料托盘 12寸", aliases=["paint tray 12 inch"], unit="个", category="工具"),
    CatalogueEntry(sku="RL-S", name="滚筒 短毛型", aliases=[], unit="个", category="工具"),
    CatalogueEntry(sku="RL-L", name="滚筒 长毛型", aliases=[], unit="个", category="工具"),
    CatalogueEntry(sku="PB-S", name="排笔 短毛型", aliases=[], unit="支", category="工具"),
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


@pytest.mark.parametrize(("text", "expected"), [
    ("滚筒长毛的5个，短毛的3个", {"RL-L": 5, "RL-S": 3}),      # 短毛 of the kind of the line before: 滚筒, not 排笔
    ("排笔短毛型10支 长毛的滚筒4个", {"PB-S": 10, "RL-L": 4}),
])
def test_a_word_of_several_products_on_the_next_line_is_of_the_kind_before(text: str, expected: dict[str, int]) -> None:
    assert items(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("外墙漆8桶 翻倍", {"EX-18": 16}),                            # the line of this message, scaled in it
    ("墙固20kg来30桶 算了减半吧", {"PR-20": 15}),
    ("外墙漆 10桶 墙固5kg 4桶 墙固翻倍", {"EX-18": 10, "PR-5": 8}),  # only the product named with the word
    ("half a dozen 外墙漆", {"EX-18": 6}),                        # half of "half a dozen" scales nothing
])
def test_a_scale_word_after_lines_of_the_message_scales_those_lines(text: str, expected: dict[str, int]) -> None:
    result = parse(text)
    assert {i.sku: i.qty for i in result.slots.items} == expected
    assert all(e.op != "scale" for e in result.slots.edits)          # never the cart again on top


def test_a_scale_word_alone_scales_the_cart() -> None:
    result = parse("数量翻倍")
    assert result.slots.items == [] and [e.op for e in result.slots.edits] == ["scale"]


@pytest.mark.parametrize(("text", "expected"), [
    ("电缆 16A 红色 25卷", {"CB-16R": 25}),                 # 16A is a rating, not 16 of something
    ("16A的缆红色10卷", {"CB-16R": 10}),                    # two words of several products read together
    ("要蓝色的电缆 十五卷 别搞错了", {"CB-16B": 15}),          # 别搞错 takes nothing out
])
def test_ratings_joined_words_and_a_warning_that_is_no_removal(text: str, expected: dict[str, int]) -> None:
    result = parse(text)
    assert {i.sku: i.qty for i in result.slots.items} == expected and result.slots.removed == []


@pytest.mark.parametrize(("text", "expected", "removed"), [
    ("外墙漆3桶 不对 是米黄的", {"WP-G18": 3}, ["EX-18"]),            # 米黄 of the paints, the count kept
    ("羊毛刷M 20把 哦不 L的", {"BR-L": 20}, ["BR-M"]),
    ("墙固20kg 6桶 搞错了 是5kg的", {"PR-5": 6}, ["PR-20"]),
    ("电缆16A红色10卷 写错了 是蓝色", {"CB-16B": 10}, ["CB-16R"]),     # the other colour of the same rating
])
def test_a_correction_with_words_of_another_product_replaces_the_line(text: str, expected: dict[str, int],
                                                                      removed: list[str]) -> None:
    result = parse(text)
    assert {i.sku: i.qty for i in result.slots.items} == expected and result.slots.removed == removed


@pytest.mark.parametrize("text", ["外墙漆颜色不对 好几桶都发黄", "电缆16A红色10卷 不对 16A红色要20卷"])
def test_a_correction_that_names_no_other_product_changes_no_product(text: str) -> None:
    result = parse(text)
    assert result.slots.removed == []


@pytest.mark.parametrize(("text", "expected"), [
    ("电缆16 红色 10卷", {"CB-16R": 10}),         # 16 alone is the rating some names have, 10卷 the count
    ("墙固 20的 6桶", {"PR-20": 6}),
    ("墙固 20桶", {}),                            # a count with its unit is a count: 墙固 names two products
])
def test_a_bare_number_of_some_names_before_the_count_is_a_size(text: str, expected: dict[str, int]) -> None:
    assert items(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("tray paint 12 inch x20", {"TR-12": 20}),               # the words of an English alias in any order
    ("need the 9 inch paint trays, 30 pcs", {"TR-9": 30}),   # plural, a count in the next clause
    ("twenty four paint trays 12 inch", {"TR-12": 24}),       # twenty four is one number
    ("托盘9/12各10个", {"TR-9": 10, "TR-12": 10}),             # a list of sizes before 各: one line each
])
def test_english_aliases_in_any_order_and_lists_of_sizes(text: str, expected: dict[str, int]) -> None:
    assert items(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("电缆 16.5 红色 3卷", {}),                       # a decimal no name has: no size of these, never a count
    ("托盘 9 12个", {}),                               # one digit alone is no size: 托盘 names two products
    ("涂料托盘9寸 一打半", {"TR-9": 18}),               # a dozen and a half
])
def test_decimals_single_digits_and_a_dozen_and_a_half(text: str, expected: dict[str, int]) -> None:
    assert items(text) == expected


@pytest.mark.parametrize(("text", "expected", "unknown"), [
    ("CB-50R 5卷", {}, ["CB-50R"]),                                # a code no product has keeps its own count
    ("CB-16R 10卷 CB-16R-X 20卷", {"CB-16R": 10}, ["CB-16R-X"]),    # never given to the product before it
    ("TR-9 x6 and TR-8 x4", {"TR-9": 6}, ["TR-8"]),                 # one digit for another is another model
    ("RL-S-XL 两个", {}, ["RL-S-XL"]),
])
def test_codes_no_product_has_keep_their_counts(text: str, expected: dict[str, int], unknown: list[str]) -> None:
    result = parse(text)
    assert {i.sku: i.qty for i in result.slots.items} == expected
    assert [u.word for u in result.slots.unresolved] == unknown and all(u.qty for u in result.slots.unresolved)


@pytest.mark.parametrize(("text", "expected"), [
    ("墙固来8桶 要20kg的", {"PR-20": 8}),                 # the telling words after the count
    ("羊毛刷20把，M的", {"BR-M": 20}),
    ("墙固来8桶 羊毛刷M 5把", {"BR-M": 5}),              # another line after the count tells nothing about 墙固
])
def test_telling_words_right_after_the_count(text: str, expected: dict[str, int]) -> None:
    assert items(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("6 rolls 16mm red cable", {"CB-16R": 6}),            # a size written in another unit: its number (16 of 16A)
    ("cable 16 blue, 15 rolls", {"CB-16B": 15}),          # English colour words stand for the Chinese ones
    ("paint tray 9 inch 8", {"TR-9": 8}),
])
def test_english_words_tell_chinese_named_products_apart(text: str, expected: dict[str, int]) -> None:
    assert items(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("十六A的红色电缆 六卷", {"CB-16R": 6}),              # a rating in Chinese numerals
    ("墙固二十公斤的 来三桶", {"PR-20": 3}),
    ("托盘十二寸的 来八个", {"TR-12": 8}),
])
def test_sizes_in_chinese_numerals(text: str, expected: dict[str, int]) -> None:
    assert items(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("外墙漆5桶 墙固20kg 3桶 前面那个改成8桶", {"EX-18": 8, "PR-20": 3}),     # the first line, by its place
    ("外墙漆5桶 墙固20kg 3桶 后面那个改6桶", {"EX-18": 5, "PR-20": 6}),
    ("外墙漆5桶 墙固20kg 3桶 改成6桶", {"EX-18": 5, "PR-20": 6}),            # no place said: the line talked about
])
def test_a_line_named_by_its_place(text: str, expected: dict[str, int]) -> None:
    assert items(text) == expected
