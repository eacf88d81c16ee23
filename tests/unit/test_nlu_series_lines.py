"""One series, then its lines variant by variant, read as a whole (``nlu.series_lines``): the count written before
the variant ("钓竿碳素 4支3.6m 6支4.5m"), the words said once before the lines holding for each of them; never when
another product is named among the lines or a line is corrected."""

from __future__ import annotations

from datetime import date

from nlu.normalize import normalize
from nlu.offline import OfflineParser
from nlu.products import product_index
from nlu.schema import CatalogueEntry
from nlu.series_lines import series_lines
from tests.nlu_items import parsed_items

RODS = [CatalogueEntry(sku=f"YF-{m}{length.replace('.', '')}", name=f"远峰钓竿 {material} {length}m",
                       aliases=[f"{material}{length}", f"{material}{length}米"], unit="支")
        for material, m in (("碳素", "C"), ("玻璃钢", "G")) for length in ("3.6", "4.5", "5.4")] + [
    CatalogueEntry(sku=f"YF-L{c}", name=f"远峰鱼线 {colour}色 100m", aliases=[f"{colour}线", f"鱼线{colour}"], unit="卷")
    for colour, c in (("红", "R"), ("白", "W"))]


def _lines(text: str) -> dict[str, int] | None:
    index = product_index(RODS)
    said = normalize(text)
    lines = series_lines(index.variant_table, said, index.find(said))
    return None if lines is None else {str(e.sku): int(e.qty or 0) for e in lines}


async def test_counts_before_the_variants_with_a_word_said_once() -> None:
    # the mention search paired each count with the size before it (4 -> nothing, 6 -> 3.6m, 2 -> 4.5m)
    assert await parsed_items("钓竿碳素 4支3.6m 6支4.5m 2支5.4m", RODS) == {"YF-C36": 4, "YF-C45": 6, "YF-C54": 2}


async def test_counts_before_the_variants_each_line_naming_its_own() -> None:
    assert await parsed_items("钓竿 4支碳素3.6 6支玻璃钢4.5", RODS) == {"YF-C36": 4, "YF-G45": 6}


async def test_variants_then_counts_stay_as_read() -> None:
    assert await parsed_items("碳素 3.6 4支 4.5 6支 5.4 2支", RODS) == {"YF-C36": 4, "YF-C45": 6, "YF-C54": 2}


def test_not_when_another_product_is_named_among_the_lines() -> None:
    assert _lines("钓竿碳素 4支3.6m 6支4.5m 2支5.4m 鱼线红 2卷") is None


def test_not_when_a_line_is_corrected_or_taken_out() -> None:
    assert _lines("碳素 3.6 4支 4.5 6支 4.5改成8支") is None
    assert _lines("碳素 3.6 4支 4.5 6支 5.4的不要了") is None


def test_not_when_a_line_names_no_product_of_the_series() -> None:
    # 玻璃钢 comes in no 6.3 m: the line is named back by the mention reading, never guessed here
    assert _lines("钓竿 4支碳素3.6 6支玻璃钢6.3") is None


# English aliases on some products only: "carbon" is what the carbon rods share (碳素), so it names the 5.4 m one too
RODS_EN = [CatalogueEntry(sku=f"YF-{m}{length.replace('.', '')}", name=f"远峰钓竿 {material} {length}m",
                          aliases=[f"{material}{length}", *([f"{english} rod {length}m"] if length != "5.4" else [])],
                          unit="支")
           for material, m, english in (("碳素", "C", "carbon"), ("玻璃钢", "G", "fiberglass"))
           for length in ("3.6", "4.5", "5.4")]


async def test_an_english_word_of_some_aliases_is_a_variant_word() -> None:
    # read before as nothing at all: "carbon" and "fiberglass" told no product of the 5.4 m ones apart
    assert await parsed_items("钓竿 5.4m carbon 2支 fiberglass 3支", RODS_EN) == {"YF-C54": 2, "YF-G54": 3}
    assert await parsed_items("rod 3.6 carbon 4 fiberglass 6", RODS_EN) == {"YF-C36": 4, "YF-G36": 6}


def test_an_english_word_every_product_has_tells_nothing() -> None:
    index = product_index(RODS_EN)
    said = normalize("钓竿 rod 2支 rod 3支")
    assert series_lines(index.variant_table, said, index.find(said), index.entries) is None


TILES = [CatalogueEntry(sku="QZ-G", name="瓷砖 300x600 亮光白", aliases=["36亮白"], unit="箱"),
         CatalogueEntry(sku="QZ-M", name="瓷砖 300x600 哑光白", aliases=["36哑白"], unit="箱"),
         CatalogueEntry(sku="QZ-H", name="瓷砖 300x600 灰", aliases=["36灰"], unit="箱"),
         CatalogueEntry(sku="QZ-W", name="瓷砖 400x800 白", aliases=["48白"], unit="箱")]


def test_a_line_named_by_one_product_stays_that_product() -> None:
    # the variant words inside "36哑白" are only 白 (of the 400x800 白): the product's own alias decides
    index = product_index(TILES)
    said = normalize("36哑白 30箱 36灰 20箱")
    lines = series_lines(index.variant_table, said, index.find(said), index.entries)
    assert lines is not None
    assert {str(e.sku): e.qty for e in lines} == {"QZ-M": 30, "QZ-H": 20}


TEA = [CatalogueEntry(sku="MX-250C", name="茗香龙井 250g 罐装", aliases=["龙井250罐"], unit="罐"),
       CatalogueEntry(sku="MX-500C", name="茗香龙井 500g 罐装", aliases=["龙井500罐"], unit="罐"),
       CatalogueEntry(sku="MX-500G", name="茗香龙井 500g 礼盒", aliases=["龙井500礼盒"], unit="盒"),
       CatalogueEntry(sku="MX-1KG", name="茗香龙井 1kg 礼盒", aliases=["龙井1kg礼盒"], unit="盒")]


async def test_a_size_said_in_jin_before_a_variant_word() -> None:
    # "一斤礼盒", "两斤礼盒": 500 g and 1 kg; read before as nothing (the 斤 only a size before 装/的/a count)
    assert await parsed_items("龙井 一斤礼盒来5盒 两斤礼盒2盒", TEA) == {"MX-500G": 5, "MX-1KG": 2}


def test_jin_after_a_numeral_is_a_count_not_a_size() -> None:
    index = product_index(TEA)
    said = normalize("龙井 罐装十五斤 礼盒二十斤")
    assert series_lines(index.variant_table, said, index.find(said), index.entries) is None



def test_a_word_the_series_lacks_keeps_its_line_named_back() -> None:
    # what nlu.items named back: "钛合金4.5m" holds a word no rod has (the chat asks about it); "4.5m" only sizes
    index = product_index(RODS)
    said = normalize("碳素 3.6m 4支 钛合金4.5m 2支 5.4m 1支")
    found = index.find(said)
    assert series_lines(index.variant_table, said, found, index.entries, ["钛合金4.5m"]) is None
    assert series_lines(index.variant_table, said, found, index.entries, ["4.5m"]) is not None


async def test_a_count_said_before_the_series_starts_the_lines() -> None:
    # read before as one line: the 6 of the second line taken for the first, the 4.5 m never named
    assert await parsed_items("要4支碳素3.6的 6支4.5的", RODS) == {"YF-C36": 4, "YF-C45": 6}
    assert await parsed_items("need 3 carbon rod 3.6m and 2 of the 4.5m", RODS_EN) == {"YF-C36": 3, "YF-C45": 2}


async def test_zai_lai_starting_a_line_adds_a_line_of_the_series() -> None:
    # "再来 / 再整" said one more line; a numeral glued to the variant is its count ("再整仨4.5米")
    assert await parsed_items("4支碳素3.6 再来6支4.5", RODS) == {"YF-C36": 4, "YF-C45": 6}
    assert await parsed_items("给我整俩碳素3.6米 再整仨4.5米", RODS) == {"YF-C36": 2, "YF-C45": 3}


def test_zai_lai_with_no_variant_is_more_of_the_line_before() -> None:
    assert _lines("碳素3.6 4支 再来2支") is None


def test_a_count_right_after_a_variant_word_is_not_said_before_the_series() -> None:
    # "玻璃钢3支": the 3 is the count of the words before it, not of the carbon rods after it
    assert _lines("玻璃钢3支碳素3.6 6支4.5") is None


NYLON = [CatalogueEntry(sku=f"YX-{s.replace('.', '')}", name=f"远峰 尼龙鱼线 {s}号", aliases=[f"尼龙线{s}"], unit="轴")
         for s in ("0.8", "1.0", "1.5", "2.0")]


async def test_a_size_refused_as_a_count_is_not_named_back_once_read_as_a_size() -> None:
    # "5轴2.0的": the 2.0 was refused as a count (not a whole number) and the 5 given to the 0.8 line
    parsed = await OfflineParser().parse("要10轴尼龙线0.8的 5轴2.0的", catalogue=NYLON, today=date(2026, 12, 6))
    assert {i.sku: i.qty for i in parsed.slots.items} == {"YX-08": 10, "YX-20": 5}
    assert parsed.slots.rejected_quantities == []
