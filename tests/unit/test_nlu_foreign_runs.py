"""Variant words said together after a line of a series that name only another series' product
(``nlu.foreign_runs``): "瑜伽垫 紫色6mm 10张 灰色10mm 4张" when only the fitness mats come in grey. The valid line
stays on its series, the other words are named back as written, never read as the other series' product.

A catalogue of its own (sports mats), so the rule is tested apart from any labelled set.
"""

from __future__ import annotations

from datetime import date

import pytest

from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry

CATALOGUE = [
    CatalogueEntry(sku="YJ-P6", name="悦动瑜伽垫 紫色 6mm", aliases=["瑜伽垫紫6"], unit="张", category="瑜伽垫"),
    CatalogueEntry(sku="YJ-P10", name="悦动瑜伽垫 紫色 10mm", aliases=["瑜伽垫紫10"], unit="张", category="瑜伽垫"),
    CatalogueEntry(sku="YJ-B6", name="悦动瑜伽垫 蓝色 6mm", aliases=["瑜伽垫蓝6"], unit="张", category="瑜伽垫"),
    CatalogueEntry(sku="YJ-B10", name="悦动瑜伽垫 蓝色 10mm", aliases=["瑜伽垫蓝10"], unit="张", category="瑜伽垫"),
    CatalogueEntry(sku="JS-G10", name="悦动健身垫 灰色 10mm", aliases=["健身垫灰10"], unit="张", category="健身垫"),
    CatalogueEntry(sku="JS-K15", name="悦动健身垫 黑色 15mm", aliases=["健身垫黑15"], unit="张", category="健身垫"),
]
PARSER = OfflineParser()


def parsed(text: str) -> tuple[dict[str, int], list[str]]:
    result = PARSER.parse_sync(text, catalogue=CATALOGUE, today=date(2026, 12, 4))
    return {i.sku: i.qty for i in result.slots.items}, [u.word for u in result.slots.unresolved]


@pytest.mark.parametrize(("text", "back"), [
    ("瑜伽垫 紫色6mm 10张 灰色10mm 4张", "灰色10mm"),
    ("瑜伽垫 紫色6mm 10 灰色10mm 4", "灰色10mm"),
    ("瑜伽垫 紫色6mm 10张 黑色15mm 2张", "黑色15mm"),
])
def test_words_only_another_series_has_are_named_back(text: str, back: str) -> None:
    items, unresolved = parsed(text)
    assert items == {"YJ-P6": 10}
    assert unresolved == [back]


@pytest.mark.parametrize(("text", "expected"), [
    ("瑜伽垫 紫色6mm 10张 蓝色10mm 4张", {"YJ-P6": 10, "YJ-B10": 4}),       # the series has it: its line
    ("瑜伽垫 紫色6mm 10张 健身垫灰10 4张", {"YJ-P6": 10, "JS-G10": 4}),     # the other series said by name
])
def test_lines_the_series_has_or_said_in_full_are_read(text: str, expected: dict[str, int]) -> None:
    assert parsed(text)[0] == expected
