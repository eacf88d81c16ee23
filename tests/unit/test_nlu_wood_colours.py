"""Wood colours and board-trade words said in English for a catalogue written in Chinese.

"松涛 light oak 10箱 teak 4箱": the colours of a floor series in English (light oak 浅橡, teak 柚木, walnut 胡桃,
warm white 暖白, natural 原木, smoked 烟熏) name its products as the Chinese words do, one word or two; "skirting",
"edge band", "hot melt", "underlay" are the kinds 踢脚线, 封边条, 热熔胶, 防潮膜; a count after English words no product
has ("and door stopper 5") is named back with those words, never set on the line before. A catalogue of its own
(floors and trims of an invented maker, no demo, development or blind product).
"""

from __future__ import annotations

from datetime import date

import pytest

from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry

CATALOGUE = [
    CatalogueEntry(sku="ST-LO", name="云川松涛强化地板 12mm 浅橡", aliases=["松涛浅橡"], unit="箱", category="强化地板"),
    CatalogueEntry(sku="ST-TK", name="云川松涛强化地板 12mm 柚木", aliases=["松涛柚木"], unit="箱", category="强化地板"),
    CatalogueEntry(sku="ST-WN", name="云川松涛强化地板 12mm 胡桃", aliases=["松涛胡桃"], unit="箱", category="强化地板"),
    CatalogueEntry(sku="TJ-WN", name="云川PVC踢脚线 60mm 胡桃", aliases=["胡桃踢脚线"], unit="根", category="踢脚线"),
    CatalogueEntry(sku="TJ-WW", name="云川PVC踢脚线 60mm 暖白", aliases=["暖白踢脚线"], unit="根", category="踢脚线"),
    CatalogueEntry(sku="RR-10", name="云川热熔胶 10kg", aliases=["热熔胶"], unit="袋", category="胶粘剂"),
    CatalogueEntry(sku="FC-2", name="云川防潮膜 2mm", aliases=["防潮膜"], unit="卷", category="辅料"),
]
PARSER = OfflineParser()


def parse(text: str):  # type: ignore[no-untyped-def]
    return PARSER.parse_sync(text, catalogue=CATALOGUE, today=date(2026, 12, 4))


def items(text: str) -> dict[str, int]:
    return {i.sku: i.qty for i in parse(text).slots.items}


@pytest.mark.parametrize(("text", "expected"), [
    ("松涛 light oak 10箱 teak 4箱", {"ST-LO": 10, "ST-TK": 4}),
    ("松涛 walnut 改成 6 箱", {"ST-WN": 6}),
    ("skirting walnut 30, warm white 20", {"TJ-WN": 30, "TJ-WW": 20}),
    ("hot melt 3 bags", {"RR-10": 3}),
    ("sold 8 underlay rolls", {"FC-2": 8}),
])
def test_wood_colours_and_kinds_in_english(text: str, expected: dict[str, int]) -> None:
    assert items(text) == expected


def test_a_count_after_english_words_of_no_product_is_named_back() -> None:
    result = parse("hot melt 2 and door stopper 5")
    assert {i.sku: i.qty for i in result.slots.items} == {"RR-10": 2}
    assert "DOOR STOPPER" in result.slots.unknown_words
