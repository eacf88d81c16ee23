"""An English kind word (the glossary's) and a size, for a catalogue written in Chinese: "wiper 18 x10", "need 18
wipers 10pcs and 20 wipers 6pcs", "wiper 18 10 pcs, 20 6 pcs" (``nlu.english_sizes``)."""

from __future__ import annotations

from datetime import date

import pytest

from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry

WIPERS = [CatalogueEntry(sku=f"WB{n}", name=f"净视 无骨雨刮 {n}", aliases=[f"{n}雨刮", f"无骨{n}"], unit="支")
          for n in (16, 18, 20, 22)]
WIPERS += [CatalogueEntry(sku=f"HB{n}", name=f"净视 有骨雨刮 {n}", aliases=[f"有骨雨刮{n}"], unit="支") for n in (18, 20)]
WIPERS += [CatalogueEntry(sku=f"RW{n}", name=f"净视 后雨刮 {n}", aliases=[f"后雨刮{n}"], unit="支") for n in (12, 14)]


async def _items(text: str) -> dict[str, int]:
    parsed = await OfflineParser().parse(text, catalogue=WIPERS, today=date(2026, 12, 6))
    return {i.sku: i.qty for i in parsed.slots.items}


@pytest.mark.parametrize(("text", "want"), [
    ("wiper 18 三支 wiper 20 两支", {"WB18": 3, "WB20": 2}),
    ("need 18 wipers 10pcs and 20 wipers 6pcs", {"WB18": 10, "WB20": 6}),
    ("wiper 18 10 pcs, 20 6 pcs, 22 4 pcs pls", {"WB18": 10, "WB20": 6, "WB22": 4}),
])
async def test_an_english_kind_and_its_size_name_one_product(text: str, want: dict[str, int]) -> None:
    assert await _items(text) == want


async def test_a_size_the_kind_lacks_names_nothing() -> None:
    assert await _items("wiper 24 x10") == {}


async def test_a_count_after_the_line_is_no_size() -> None:
    assert await _items("wiper 18 10 pcs, 6 pcs more") in ({"WB18": 10}, {"WB18": 16})


async def test_a_number_before_the_word_with_no_count_after_is_the_count() -> None:
    # "need 18 wipers": eighteen wipers of a kind said without its size: asked back with the 18 (was: read as the
    # 18-inch one with no count, and the line dropped without a word)
    parsed = await OfflineParser().parse("need 18 wipers pls", catalogue=WIPERS, today=date(2026, 12, 6))
    assert parsed.slots.items == []
    assert [(u.word, u.qty) for u in parsed.slots.unresolved] == [("wipers", 18)]
