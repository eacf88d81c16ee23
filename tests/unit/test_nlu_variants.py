"""A series said once, then its variants with their own counts (nlu.variants): catalogues that name products
"<series> <variant> ..." (paint by colour and can size, shoes by colour and size). Each case failed before
session 12: a variant with no product of its own went to the line before, a size list kept only its first size,
a shoe size next to its count read as a price ("43一双"), or a colour the series lacks borrowed its size's
product."""

from __future__ import annotations

from datetime import date

import pytest

from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry, Intent
from nlu.variants import VariantTable

TODAY = date(2026, 12, 4)


def _entry(sku: str, name: str, *aliases: str) -> CatalogueEntry:
    return CatalogueEntry(sku=sku, name=name, aliases=list(aliases), unit="桶")


# an invented paint maker (not any development or blind catalogue): two colours x three cans, a primer, a rust
# paint in red 1 kg / 3 kg and grey 3 kg only
PAINT = [
    _entry("MX-W1", "明霞雅居乳胶漆 白色 1L", "雅居白1L"),
    _entry("MX-W5", "明霞雅居乳胶漆 白色 5L", "雅居白5L"),
    _entry("MX-W18", "明霞雅居乳胶漆 白色 18L", "雅居白18L"),
    _entry("MX-Y5", "明霞雅居乳胶漆 米黄 5L", "雅居米黄5L"),
    _entry("MX-Y18", "明霞雅居乳胶漆 米黄 18L", "雅居米黄18L"),
    _entry("MX-IV5", "明霞雅居乳胶漆 象牙白 5L", "雅居象牙白5L"),
    _entry("MX-R1", "明霞钢盾防锈漆 铁红 1kg", "钢盾铁红1kg"),
    _entry("MX-R3", "明霞钢盾防锈漆 铁红 3kg", "钢盾铁红3kg"),
    _entry("MX-G3", "明霞钢盾防锈漆 灰 3kg", "钢盾灰3kg"),
    _entry("MX-P5", "明霞封闭底漆 5L", "底漆5L"),
]
SHOES = [_entry(f"BF-{c}{s}", f"奔风轻跑鞋 {name} {s}码", f"奔风{name}{s}") for c, name in (("K", "全黑"), ("W", "黑白"))
         for s in range(39, 45)]


def items(text: str, catalogue: list[CatalogueEntry]) -> tuple[Intent, dict[str, int], list[str]]:
    result = OfflineParser().parse_sync(text, catalogue=catalogue, today=TODAY)
    return result.intent, {i.sku: i.qty for i in result.slots.items}, list(result.slots.unknown_words)


@pytest.mark.parametrize(("text", "expected", "unknown"), [
    # the colour inherited, the size said; then a colour and size of its own
    ("钢盾铁红1kg 来20 3kg 5 灰 3kg 4", {"MX-R1": 20, "MX-R3": 5, "MX-G3": 4}, []),
    # variants listed before one shared count
    ("雅居白18L 米黄18L 各2桶", {"MX-W18": 2, "MX-Y18": 2}, []),
    # a colour the series has, but not in that size: named back, never added to the white 5 L
    ("雅居白5L 10桶 米黄1L 3桶", {"MX-W5": 10}, ["米黄1L"]),
    # a colour the series does not have at all
    ("雅居白5L 10桶 蓝色5L 4桶", {"MX-W5": 10}, ["蓝色5L"]),
    # 白 of 白色 and of 象牙白: the one said exactly
    ("雅居 白5L 8 象牙白5L 6", {"MX-W5": 8, "MX-IV5": 6}, []),
    # the series and a size the colour lacks, glued: one wording, named back
    ("雅居象牙白1L 12桶 象牙白5L 6桶", {"MX-IV5": 6}, ["雅居象牙白1L"]),
])
def test_variants_after_a_series(text: str, expected: dict[str, int], unknown: list[str]) -> None:
    intent, got, unknown_words = items(text, PAINT)
    assert intent == Intent.PLACE_ORDER
    assert got == expected
    assert unknown_words == unknown


@pytest.mark.parametrize(("text", "expected"), [
    ("奔风全黑41 42 43各3双", {"BF-K41": 3, "BF-K42": 3, "BF-K43": 3}),
    ("奔风黑白42 两双 43一双", {"BF-W42": 2, "BF-W43": 1}),           # "43一双" is a size and its count, no price
    ("奔风全黑 41 2 42 3 43 1", {"BF-K41": 2, "BF-K42": 3, "BF-K43": 1}),  # the counts are never sizes
    ("奔风黑白 40 41 一样来两双", {"BF-W40": 2, "BF-W41": 2}),
    ("卖了 奔风全黑 41 x2 42 x1", {"BF-K41": 2, "BF-K42": 1}),
    # every size, or from one size to another, of the colour said
    ("奔风全黑全码各一双", {f"BF-K{s}": 1 for s in range(39, 45)}),
    ("奔风黑白 40到43 各两双", {f"BF-W{s}": 2 for s in range(40, 44)}),
    ("奔风黑白39 到 41 each 1双", {"BF-W39": 1, "BF-W40": 1, "BF-W41": 1}),
    ("奔风全黑 三个码各一双", {}),                  # it has six sizes: which three is not said
    ("奔风全黑 40 41 42 x3 each pls", {"BF-K40": 3, "BF-K41": 3, "BF-K42": 3}),   # "3 each" is no price here
    ("sold: BF K 41 x2 42 x1", {"BF-K41": 2, "BF-K42": 1}),      # the code BF-K41 typed with spaces
    ("奔风全黑要四十的两双然后四十二的也来一双", {"BF-K40": 2, "BF-K42": 1}),     # sizes in Chinese numerals
    # colour + size after colour + size: the next line, never one wording of two colours (was: named back whole)
    ("奔风轻跑鞋 黑白色40 全黑色40 各8双", {"BF-W40": 8, "BF-K40": 8}),
    ("卖了 奔风 全黑40 黑白41 全黑42 各一", {"BF-K40": 1, "BF-W41": 1, "BF-K42": 1}),
])
def test_sizes_after_a_shoe(text: str, expected: dict[str, int]) -> None:
    assert items(text, SHOES)[1] == expected


def test_the_series_and_variants_are_read_from_the_names() -> None:
    table = VariantTable(PAINT + SHOES)
    assert table.series["MX-W5"] == table.series["MX-Y18"] == "明霞雅居乳胶漆"
    assert table.variants["MX-W5"] == {"白", "5l"} and table.variants["BF-K41"] == {"全黑", "41"}
    assert "MX-P5" not in table.members.get(table.series.get("MX-P5", ""), ())      # a series of one is none
    assert table.resolve("明霞钢盾防锈漆", ["3kg"], "MX-R1") == ("MX-R3",)            # the colour of the line before
    assert table.resolve("明霞钢盾防锈漆", ["灰", "1kg"], None) == ()                  # no grey 1 kg
    assert table.resolve("明霞雅居乳胶漆", ["5l"], None) is None                       # three 5 L: not said which


def test_a_word_of_a_product_name_is_no_scale_and_a_shared_count_after_sold() -> None:
    catalogue = [_entry("MG-SM1", "木光清漆 半哑光 1L", "half matte", "木光半哑"),
                 _entry("MG-GL1", "木光清漆 亮光 1L", "gloss", "木光亮光"),
                 _entry("GT-7", "明霞中毛滚筒 7寸", "中毛滚筒7寸"), _entry("GT-9", "明霞中毛滚筒 9寸", "中毛滚筒9寸")]
    assert items("add 6 half matte", catalogue)[1] == {"MG-SM1": 6}            # was 3: "half" read as halving
    assert items("中毛滚筒 7寸 9寸 各卖8个", catalogue)[1] == {"GT-7": 8, "GT-9": 8}


def test_letter_sizes_of_a_series() -> None:
    # "S(165)": the size letter; the brackets only explain it
    catalogue = [_entry(f"JH-{z}", f"劲护涤棉工作服 {z}({h})", f"工作服{z}码") for z, h in (("S", 165), ("M", 170), ("L", 175))]
    assert VariantTable(catalogue).variants["JH-M"] == {"m"}
    assert items("劲护涤棉工作服 S码20件 M码15件 L码10件", catalogue)[1] == {"JH-S": 20, "JH-M": 15, "JH-L": 10}
    assert items("劲护涤棉工作服 s m l 各30", catalogue)[1] == {"JH-S": 30, "JH-M": 30, "JH-L": 30}
    # "50 L码": 50 is M's count, L the next size (was read as 50 litres, and M lost its line)
    assert items("劲护涤棉工作服 S码20 M码50 L码30", catalogue)[1] == {"JH-S": 20, "JH-M": 50, "JH-L": 30}


def test_a_size_the_series_lacks_said_with_de_is_named_back() -> None:
    catalogue = [_entry(f"HS-{n}", f"鑫流编织软管 {n}cm", f"编织管{n}") for n in (30, 40, 50, 60)]
    # "70的" is "the 70 one": the series has no 70 cm, so it is named back, not written over the 50's count
    intent, got, unknown = items("编织软管 30 40 50 各100根 70的也要50根", catalogue)
    assert got == {"HS-30": 100, "HS-40": 100, "HS-50": 100} and unknown == ["70"]


def test_a_long_pasted_list_costs_in_proportion_to_its_length(monkeypatch: pytest.MonkeyPatch) -> None:
    """Work counted, not timed: each sibling wording is looked up once, and each product or series word looks a
    bounded way on for its variants (a 4,000-character size list took 39 s of one core before)."""
    from nlu import products, variants

    lookups: list[str] = []
    scans: list[int] = []
    find, runs = products.ProductIndex.find, variants.VariantTable.runs

    def counted_find(self: products.ProductIndex, text: str, *, siblings: bool = True) -> list[products.Mention]:
        lookups.append(text)
        return find(self, text, siblings=siblings)

    def counted_runs(self: variants.VariantTable, text: str, series: str, start: int, end: int):  # type: ignore[no-untyped-def]
        scans.append(end - start)
        return runs(self, text, series, start, end)

    monkeypatch.setattr(products.ProductIndex, "find", counted_find)
    monkeypatch.setattr(variants.VariantTable, "runs", counted_runs)
    text = "奔风全黑41 42 43各3双 " * 200
    assert items(text, SHOES)[1] == {"BF-K41": 600, "BF-K42": 600, "BF-K43": 600}   # the same lines 200 times
    assert len(lookups) <= 20                       # was one find per size said (600)
    assert max(scans) <= 64                         # no scan from a word to the end of the message


def test_a_number_no_product_took_is_read_with_the_words_near_it_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """1,500 bare numbers in one message: each is read with at most _NEAR characters around it (it was the whole
    clause, 4 s of one core for the message, the event loop blocked that long)."""
    from nlu import items as items_module

    seen: list[int] = []
    filler = items_module._FILLER

    class Counting:
        def sub(self, repl: str, s: str) -> str:
            seen.append(len(s))
            return filler.sub(repl, s)

    monkeypatch.setattr(items_module, "_FILLER", Counting())
    assert items("41 " * 1500, SHOES)[1] == {}
    assert seen and max(seen) <= items_module._NEAR
