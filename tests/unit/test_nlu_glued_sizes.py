"""Sizes glued inside product names as the variants of their series (nlu.glued_sizes): catalogues that write a
mixer's channels, a drive's capacity or a binocular's zoom and lens into the name with no space ("声浪调音台8路",
"极存移动硬盘2T"). Each case failed before session 26: the series had no variants, so "8路"/"2T" after the series
word was read as a count and the line was lost."""

from __future__ import annotations

from datetime import date

import pytest

from nlu.glued_sizes import glued_series, size_spellings
from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry
from nlu.variants import VariantTable

TODAY = date(2026, 12, 4)


def _entry(sku: str, name: str, *aliases: str) -> CatalogueEntry:
    return CatalogueEntry(sku=sku, name=name, aliases=list(aliases), unit="台")


# an invented dealer's list of mixers, portable drives and binoculars (not any development or blind catalogue)
AUDIO = [
    _entry("SL-M8", "乐韵声浪8路调音台", "声浪8路调音台", "声浪8路"),
    _entry("SL-M12", "乐韵声浪12路调音台", "声浪12路调音台", "声浪12路"),
    _entry("SL-M16", "乐韵声浪16路调音台", "声浪16路调音台", "16路调音台"),
    _entry("SL-X8", "乐韵声浪X 8路数字调音台", "声浪X 8路", "8路数字调音台"),
    _entry("SL-X12", "乐韵声浪X 12路数字调音台", "声浪X 12路", "12路数字调音台"),
    _entry("JC-1T", "极存移动硬盘1T", "极存1T"),
    _entry("JC-2T", "极存移动硬盘2T", "极存2T"),
    _entry("JC-4T", "极存移动硬盘4T", "极存4T"),
    _entry("YT-8-42", "远眺望远镜8倍42mm", "远眺8x 42mm"),
    _entry("YT-10-42", "远眺望远镜10倍42mm", "远眺10x 42mm"),
    _entry("YT-10-50", "远眺望远镜10倍50mm", "远眺10x 50mm"),
]


def _items(text: str) -> dict[str, int]:
    result = OfflineParser().parse_sync(text, catalogue=AUDIO, today=TODAY)
    return {i.sku: i.qty for i in result.slots.items}


def test_the_sizes_glued_in_a_name_are_its_variants() -> None:
    assert glued_series("乐韵声浪12路调音台") == ("乐韵声浪调音台", ["12路"])
    assert glued_series("极存移动硬盘2t") == ("极存移动硬盘", ["2t"])
    assert glued_series("小瞰q1家用摄像头") is None          # a model letter's digit is no size
    table = VariantTable(AUDIO)
    assert table.members["乐韵声浪调音台"] == ("SL-M8", "SL-M12", "SL-M16")
    assert table.variants["JC-4T"] == frozenset({"4t"})


def test_an_alias_spells_a_size_of_the_name_its_own_way() -> None:
    table = VariantTable(AUDIO)
    assert size_spellings(table.variants, {e.sku: [a.lower() for a in e.aliases] for e in AUDIO},
                          table._spelled)["10x"] == "10倍"


@pytest.mark.parametrize(("text", "items"), [
    ("乐韵声浪 8路 3台 16路 2台", {"SL-M8": 3, "SL-M16": 2}),
    ("极存移动硬盘 2T 5个 4T 3个", {"JC-2T": 5, "JC-4T": 3}),
    ("移动硬盘 2T 5个 4T 3个", {"JC-2T": 5, "JC-4T": 3}),
    ("极存移动硬盘 1T的10个 2T的4个", {"JC-1T": 10, "JC-2T": 4}),
    # the zoom as the aliases write it ("10x" of 10倍), the lens of the line before
    ("望远镜 10x 42mm 3个 50mm 2个", {"YT-10-42": 3, "YT-10-50": 2}),
    ("远眺 8x 42mm 3个 10x 50mm 2个", {"YT-8-42": 3, "YT-10-50": 2}),
])
def test_a_series_then_its_glued_sizes_each_with_a_count(text: str, items: dict[str, int]) -> None:
    assert _items(text) == items


def test_a_series_word_said_without_the_model_letter_is_the_plain_series() -> None:
    # 声浪X is the digital series: "声浪 8路" without the X is the plain mixer
    assert _items("声浪 8路 3台 12路 2台") == {"SL-M8": 3, "SL-M12": 2}
    assert _items("声浪X 8路 3台 12路 2台") == {"SL-X8": 3, "SL-X12": 2}

