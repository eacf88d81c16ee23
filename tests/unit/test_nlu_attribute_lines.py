"""A family of series named by attributes (``nlu.attribute_lines``): the line, the kind and each size said once and
kept through a list until one of their own kind replaces them, a series word said after the sizes, sizes in Chinese
numerals, a count glued after a size; a word several products share is never an item, and a size the series lacks is
named back, never read as another product."""

from __future__ import annotations

from datetime import date

import pytest

from nlu.attribute_lines import attribute_lines
from nlu.normalize import normalize
from nlu.offline import OfflineParser
from nlu.products import product_index
from nlu.schema import CatalogueEntry
from tests.nlu_items import parsed_items

# binoculars and spotting scopes: two lines (远眺, 鹰眼), two kinds (双筒, 单筒), a zoom and an aperture glued in names
SCOPES = [CatalogueEntry(sku=f"GL-{code}{kc}{zoom}-{mm}", name=f"观澜{line}{zoom}倍{kind}望远镜{mm}mm",
                         aliases=[f"{line}{kind}{zoom}倍{mm}"], unit="台")
          for line, code, kind, kc, zoom, mm in (
              ("远眺", "Y", "双筒", "S", 10, 42), ("远眺", "Y", "双筒", "S", 10, 50), ("远眺", "Y", "双筒", "S", 12, 50),
              ("远眺", "Y", "单筒", "D", 20, 60), ("远眺", "Y", "单筒", "D", 25, 80),
              ("鹰眼", "H", "双筒", "S", 10, 42), ("鹰眼", "H", "双筒", "S", 12, 50), ("鹰眼", "H", "单筒", "D", 20, 60))]


@pytest.mark.parametrize(("text", "want"), [
    # the kind changes in the middle of the list; the line word stays (the zoom is no count: "20倍 2台" is 2)
    ("鹰眼 双筒10倍 4台 单筒20倍 2台", {"GL-HS10-42": 4, "GL-HD20-60": 2}),
    ("鹰眼 双筒 12倍 卖3 10倍卖1 单筒 20倍 卖2", {"GL-HS12-50": 3, "GL-HS10-42": 1, "GL-HD20-60": 2}),
    # the zoom replaces the one before it; the line and the kind stay
    ("鹰眼双筒 12倍 2台 10倍 3台", {"GL-HS12-50": 2, "GL-HS10-42": 3}),
])
async def test_attributes_carry_over_until_replaced(text: str, want: dict[str, int]) -> None:
    assert await parsed_items(text, SCOPES) == want


async def test_sizes_in_chinese_numerals_with_a_filler() -> None:
    assert await parsed_items("嗯那个远眺单筒二十倍的来三个二十五倍的来两个", SCOPES) == {"GL-YD20-60": 3, "GL-YD25-80": 2}
    assert await parsed_items("远眺单筒 二十倍 3台 二十五倍 2台", SCOPES) == {"GL-YD20-60": 3, "GL-YD25-80": 2}


async def test_a_count_glued_after_a_size_and_a_correction_of_its_line() -> None:
    assert await parsed_items("远眺双筒10倍 42mm3台 50mm2台", SCOPES) == {"GL-YS10-42": 3, "GL-YS10-50": 2}
    assert await parsed_items("远眺双筒10倍 42mm3台 50mm2台 50mm那个改成4", SCOPES) == {"GL-YS10-42": 3, "GL-YS10-50": 4}


@pytest.mark.parametrize(("text", "want", "back"), [
    ("鹰眼双筒 12倍 2台 25倍 1台 10倍 3台", {"GL-HS12-50": 2, "GL-HS10-42": 3}, ["25倍"]),
])
async def test_a_size_the_series_lacks_is_named_back(text: str, want: dict[str, int], back: list[str]) -> None:
    parsed = await OfflineParser().parse(text, catalogue=SCOPES, today=date(2026, 12, 6))
    assert {i.sku: i.qty for i in parsed.slots.items} == want
    assert [u.word for u in parsed.slots.unresolved] == back


def test_a_shared_word_alone_is_no_line() -> None:
    index = product_index(SCOPES)
    said = normalize("双筒 3台 单筒 2台")
    assert attribute_lines(index.variant_table, said, index.find(said), index.entries) is None
