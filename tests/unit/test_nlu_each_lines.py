"""One series, its variants listed, one count for each (``nlu.each_lines``): "city hoodie grey S/M/L/XL 4 each",
"蓝色飞翼 s m l 各3条", "飞翼 M码 粉的蓝的黑的各两条", "精酿500听 白啤 IPA 黑啤 各6件"."""

from __future__ import annotations

from datetime import date

import pytest

from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry

_COLOURS = (("黑色", "BK", "black"), ("灰色", "GY", "grey"), ("蓝色", "BL", "blue"))
JACKETS = [
    CatalogueEntry(sku=f"FJ-{code}-{size}", name=f"风行冲锋衣 {colour} {size}",
                   aliases=[f"风行{colour[0]}{size}", f"Fengxing jacket {english} {size}"], category="外套", unit="件")
    for colour, code, english in _COLOURS for size in ("S", "M", "L", "XL")
]
BEER = [
    CatalogueEntry(sku=f"JN-{code}{size}", name=f"麦谷精酿 {kind} {size}ml {pack}", aliases=[f"{kind}{size}"],
                   category="啤酒", unit="箱")
    for kind, code in (("白啤", "WB"), ("IPA", "IPA"), ("黑啤", "DK")) for size, pack in (("330", "瓶装"), ("500", "听装"))
]


async def _items(text: str, catalogue: list[CatalogueEntry]) -> dict[str, int]:
    parsed = await OfflineParser().parse(text, catalogue=catalogue, today=date(2026, 12, 6))
    return {i.sku: i.qty for i in parsed.slots.items}


@pytest.mark.parametrize(("text", "want"), [
    ("fengxing jacket grey S/M/L 4 each", {"FJ-GY-S": 4, "FJ-GY-M": 4, "FJ-GY-L": 4}),
    ("蓝色风行冲锋衣 s m xl 各3件", {"FJ-BL-S": 3, "FJ-BL-M": 3, "FJ-BL-XL": 3}),
    ("风行冲锋衣 M码 黑的灰的蓝的各两件", {"FJ-BK-M": 2, "FJ-GY-M": 2, "FJ-BL-M": 2}),
])
async def test_each_listed_variant_is_a_line_with_the_words_said_before_the_list(
        text: str, want: dict[str, int]) -> None:
    assert await _items(text, JACKETS) == want


async def test_a_first_word_naming_no_one_product_is_said_of_every_line() -> None:
    # "听" (the 500 ml can) names three products: it is said of each beer listed after it
    assert await _items("精酿500听 白啤 IPA 黑啤 各6箱", BEER) == {"JN-WB500": 6, "JN-IPA500": 6, "JN-DK500": 6}


async def test_two_sizes_before_a_list_of_colours_is_not_read_as_one_list() -> None:
    # each colour in each size (six lines) is not what this reading gives: it gives nothing rather than three
    got = await _items("风行冲锋衣 S和M 黑 灰 蓝 各2件", JACKETS)
    assert got not in ({"FJ-BK-S": 2, "FJ-GY-S": 2, "FJ-BL-S": 2}, {"FJ-BK-M": 2, "FJ-GY-M": 2, "FJ-BL-M": 2})


@pytest.mark.parametrize("text", ["风行冲锋衣 S M L 黑色各2件", "fengxing jacket s m l black, 2 each"])
async def test_the_words_of_every_line_said_after_the_list(text: str) -> None:
    assert await _items(text, JACKETS) == {"FJ-BK-S": 2, "FJ-BK-M": 2, "FJ-BK-L": 2}


NYLON = [CatalogueEntry(sku=f"NL-{s.replace('.', '')}", name=f"远峰 尼龙鱼线 {s}号", aliases=[f"尼龙线{s}", f"nylon {s}"],
                        unit="轴") for s in ("0.8", "1.0", "1.5", "2.0")]


@pytest.mark.parametrize("text", ["nylon 0.8 and 1.0, 15 each", "nylon 0.8 and 1.0, 15 spools of each"])
def test_a_number_ending_the_list_before_each_is_the_count(text: str) -> None:
    # "15 each" was read as the 1.5 one (a size written without its point); "spools of each" was named back
    parsed = OfflineParser().parse_sync(text, catalogue=NYLON, today=date(2026, 12, 4))
    assert {i.sku: i.qty for i in parsed.slots.items} == {"NL-08": 15, "NL-10": 15}
    assert parsed.slots.rejected_quantities == [] and parsed.slots.unknown_words == []
