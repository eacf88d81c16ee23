"""A word of several products said once, then its sizes listed, each size a word of several kinds ("3号" of an
bag and of a box): every size of the list is that word's, wherever the list says it again ("… 各10包 7号不要",
"… 5号改成30 3号15"), and a count written after a change word, then a size with its own count, are two lines, not
the one size changed for the other.

A catalogue of its own, so these rules are tested apart from any labelled set.
"""

from __future__ import annotations

from datetime import date

from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry

CATALOGUE = [
    CatalogueEntry(sku=f"BAG{mic}-{n:02d}", name=f"青山{word}背心袋 {mic}丝 {n}号", aliases=[f"{mic}丝{n}号", f"{n}号{word}背心袋", f"{n}号{word}袋"],
                   unit="包", category="背心袋")
    for mic, word in ((6, ""), (10, "加厚")) for n in (3, 5, 7)
] + [
    CatalogueEntry(sku=f"BOX-{n:02d}", name=f"青山五层纸箱 {n}号", aliases=[f"五层{n}号", f"{n}号箱"], unit="个", category="纸箱")
    for n in (3, 5, 7)
]
PARSER = OfflineParser()


def items(text: str) -> dict[str, int]:
    result = PARSER.parse_sync(text, catalogue=CATALOGUE, today=date(2026, 12, 4))
    return {i.sku: i.qty for i in result.slots.items}


def test_a_size_taken_out_after_the_list_is_of_the_same_word() -> None:
    assert items("6丝袋子 3号 5号 7号 各10包 7号不要") == {"BAG6-03": 10, "BAG6-05": 10}


def test_counts_given_after_the_list_size_by_size() -> None:
    assert items("10丝袋子 3号 5号 5号改成30 3号15") == {"BAG10-05": 30, "BAG10-03": 15}


def test_a_change_to_another_product_is_still_a_change() -> None:
    assert items("五层3号换成五层5号 20个") == {"BOX-05": 20}
