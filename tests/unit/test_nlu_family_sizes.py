"""Series said once, variants with their own counts, in catalogues of size letters and numbered kinds: "暖窝 s2 m3
l2 xl1" (the count glued to the size letter), "暖窝 S 3 M 5 L 2" (3 of M, not 3 metres; 5 of L, not 5 litres, when
the catalogue sells a 3 m leash), "步步 S红3 M黑5", and "45度弯头 20的 200个 25的 100" (45° is the kind, 20 and 25 its
sizes; the 25 is the 45° elbow's, not the maker's other 25)."""

from __future__ import annotations

from datetime import date

import pytest

from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry

PETS = [CatalogueEntry(sku=f"NW-{s.upper()}", name=f"沃噗暖窝圆形宠物窝 {s.upper()}", aliases=[f"暖窝{s.upper()}"], unit="个")
        for s in ("s", "m", "l", "xl")]
PETS += [CatalogueEntry(sku=f"LS-{s}-{c}", name=f"沃噗步步尼龙牵引绳 {s} {word}", aliases=[f"步步{s}{word}"], unit="条")
         for s, c, word in (("S", "RD", "红"), ("S", "BL", "蓝"), ("M", "BK", "黑"), ("M", "RD", "红"))]
PETS += [CatalogueEntry(sku=f"RL{n}", name=f"沃噗伸缩牵引器 {n}米", aliases=[f"伸缩绳{n}米"], unit="个") for n in (3, 5)]
PETS += [CatalogueEntry(sku="LT-6L", name="沃噗豆腐猫砂 6L", aliases=["豆腐砂6L"], unit="包")]

PIPES = [CatalogueEntry(sku=f"EL{n}", name=f"泓源PPR 90°弯头 {n}", aliases=[f"90度弯头{n}", f"{n}弯头"], unit="个")
         for n in (20, 25, 32)]
PIPES += [CatalogueEntry(sku=f"E45-{n}", name=f"泓源PPR 45°弯头 {n}", aliases=[f"45度弯头{n}", f"{n}的45弯"], unit="个")
          for n in (20, 25)]
PIPES += [CatalogueEntry(sku=f"CP{n}", name=f"泓源PPR 直接 {n}", aliases=[f"{n}直接"], unit="个") for n in (20, 25)]


async def _items(text: str, catalogue: list[CatalogueEntry]) -> dict[str, int]:
    parsed = await OfflineParser().parse(text, catalogue=catalogue, today=date(2026, 12, 6))
    return {i.sku: i.qty for i in parsed.slots.items}


@pytest.mark.parametrize(("text", "want"), [
    ("暖窝 s2 m3 l2 xl1", {"NW-S": 2, "NW-M": 3, "NW-L": 2, "NW-XL": 1}),
    ("nuanwo sold S4 M4 L2 XL1", {"NW-S": 4, "NW-M": 4, "NW-L": 2, "NW-XL": 1}),
    ("暖窝 S 3 M 5 L 2", {"NW-S": 3, "NW-M": 5, "NW-L": 2}),
    ("步步牵引绳 S红3 S蓝3 M黑5", {"LS-S-RD": 3, "LS-S-BL": 3, "LS-M-BK": 5}),
])
async def test_size_letters_with_their_counts_are_one_line_each(text: str, want: dict[str, int]) -> None:
    assert await _items(text, PETS) == want


async def test_metres_and_litres_written_with_their_number_stay_sizes() -> None:
    assert await _items("伸缩绳3米 5个", PETS) == {"RL3": 5}
    assert await _items("豆腐砂6L 10包", PETS) == {"LT-6L": 10}


@pytest.mark.parametrize("text", ["45度弯头 20的 200个 25的 100", "45°弯头 20的 200个 25的 100"])
async def test_a_kind_with_a_number_of_its_own_then_its_sizes(text: str) -> None:
    assert await _items(text, PIPES) == {"E45-20": 200, "E45-25": 100}


async def test_the_kind_with_its_number_alone_names_its_products() -> None:
    parsed = await OfflineParser().parse("45度弯头 来200个", catalogue=PIPES, today=date(2026, 12, 6))
    assert parsed.slots.items == []
    [word] = parsed.slots.unresolved
    assert sorted(word.candidates) == ["E45-20", "E45-25"] and word.qty == 200


COOKWARE = [CatalogueEntry(sku=f"GG{n}", name=f"锦厨玻璃锅盖 {n}cm", aliases=[f"锅盖{n}"], unit="个") for n in (28, 30, 32)]
COOKWARE += [CatalogueEntry(sku=f"MS{n}F", name=f"锦厨麦石煎锅 {n}cm", aliases=[f"麦石煎锅{n}"], unit="个")
             for n in (20, 24, 26, 28)]
COOKWARE += [CatalogueEntry(sku=f"FB{n}", name=f"锦厨饭伴不锈钢饭盒 {n}格", aliases=[f"饭伴{n}格"], unit="个") for n in (2, 3, 4)]
COOKWARE += [CatalogueEntry(sku=f"JH{n}", name=f"锦厨晶盒玻璃饭盒 {n}格", aliases=[f"晶盒{n}格"], unit="个") for n in (2, 3)]
COOKWARE += [CatalogueEntry(sku=f"LR{n}", name=f"锦厨利刃刀具套装 {n}件套", aliases=[f"利刃{n}件套"], unit="套")
             for n in (3, 5, 7)]
COOKWARE += [CatalogueEntry(sku=f"QY{n}P", name=f"锦厨青韵陶瓷盘 {n}寸", aliases=[f"青韵盘{n}寸"], unit="箱") for n in (7, 8, 10)]


@pytest.mark.parametrize(("text", "want"), [
    ("锅盖 28 30 32 分别卖了10 12 8个", {"GG28": 10, "GG30": 12, "GG32": 8}),
    ("麦石煎锅 20 24 26 28 分别卖了 6 9 11 4", {"MS20F": 6, "MS24F": 9, "MS26F": 11, "MS28F": 4}),
    ("青韵盘 7寸 8寸 10寸 卖了 12 20 6", {"QY7P": 12, "QY8P": 20, "QY10P": 6}),
    ("麦石煎锅20 24 26 28 每样5个", {"MS20F": 5, "MS24F": 5, "MS26F": 5, "MS28F": 5}),
    ("玻璃锅盖28 30 32 每个尺寸10个", {"GG28": 10, "GG30": 10, "GG32": 10}),
])
async def test_a_list_of_sizes_then_their_counts_in_order_or_one_for_each(text: str, want: dict[str, int]) -> None:
    assert await _items(text, COOKWARE) == want


@pytest.mark.parametrize(("text", "want"), [
    ("饭伴 2格卖了20 3格卖了35 4格卖了12", {"FB2": 20, "FB3": 35, "FB4": 12}),
    ("饭伴饭盒2格10个3格10个4格5个", {"FB2": 10, "FB3": 10, "FB4": 5}),
    ("利刃刀具 5件套10套 7件套6套", {"LR5": 10, "LR7": 6}),
])
async def test_compartments_and_set_sizes_are_variants_with_a_count_glued_after(text: str, want: dict[str, int]) -> None:
    assert await _items(text, COOKWARE) == want


WOKS = [CatalogueEntry(sku=f"JC-TJ{n}", name=f"锦厨钛晶不粘炒锅 {n}cm", aliases=[f"钛晶炒锅{n}", f"Titan wok {n}"], unit="个")
        for n in (28, 30, 32)]
WOKS += [CatalogueEntry(sku=f"JC-MS{n}W", name=f"锦厨麦石不粘炒锅 {n}cm", aliases=[f"麦石炒锅{n}", f"Granite wok {n}"], unit="个")
         for n in (28, 30)]
WOKS += [CatalogueEntry(sku=f"JC-NT750-{c}", name=f"锦厨暖途保温杯 750ml {word}", aliases=[f"WarmGo 750 {en}"], unit="个")
         for c, word, en in (("BK", "黑", "black"), ("GN", "军绿", "green"))]
WOKS += [CatalogueEntry(sku="JC-CY5-G", name="锦厨彩釉碗 5寸 墨绿", aliases=["glaze bowl green"], unit="箱"),
         CatalogueEntry(sku="DB-12", name="配电箱 12回路", aliases=["12回路配电箱"], unit="个")]


@pytest.mark.parametrize(("text", "want"), [
    ("钛晶炒锅 32 两口 30 两口 还有28 一口", {"JC-TJ32": 2, "JC-TJ30": 2, "JC-TJ28": 1}),     # 口: woks counted
    ("今儿个卖了五口钛晶炒锅28", {"JC-TJ28": 5}),
    ("下单 MS wok 28 五个", {"JC-MS28W": 5}),                      # the letters of its code tell it from Titan's 28
    ("sold 12 WarmGo 750 black and 8 green", {"JC-NT750-BK": 12, "JC-NT750-GN": 8}),   # the green of that series
    ("Titan 28 and 32, 4 each", {"JC-TJ28": 4, "JC-TJ32": 4}),
    ("12回路配电箱 65 each 来10个", {"DB-12": 10}),                 # one product, a count of its own: 65 is a price
])
async def test_words_around_a_line_tell_its_product_and_count(text: str, want: dict[str, int]) -> None:
    assert await _items(text, WOKS) == want


async def test_a_count_before_the_words_of_a_size_letter_product() -> None:
    assert await _items("pls下单 步步 M 红 4 S 蓝 4", PETS) == {"LS-M-RD": 4, "LS-S-BL": 4}


FOOD = [CatalogueEntry(sku=f"MFP{k}", name=f"沃噗牧风幼犬粮 {w}", aliases=[f"牧风幼犬{w}"], unit="袋")
        for k, w in (("015", "1.5kg"), ("075", "7.5kg"), ("150", "15kg"))]
FOOD += [CatalogueEntry(sku=f"PH{n}", name=f"泓源PPR热水管 {n}mm", aliases=[f"热水管{n}", f"{fen}热水管"], unit="根")
         for n, fen in ((20, "4分"), (25, "6分"), (32, "1寸"))]


@pytest.mark.parametrize(("text", "want"), [
    ("牧风幼犬 3斤的卖了15袋 15斤的卖了4袋", {"MFP015": 15, "MFP075": 4}),        # 斤 is half a kilogram
    ("牧风幼犬 1500g的 2袋", {"MFP015": 2}),
    ("热水管卖了四分的五十根六分的三十根", {"PH20": 50, "PH25": 30}),             # 四分 is the 4分 (1/2 inch) one
])
async def test_sizes_said_in_other_units_or_numerals(text: str, want: dict[str, int]) -> None:
    assert await _items(text, FOOD) == want


async def test_ten_fen_is_no_pipe_size() -> None:
    from nlu.normalize import normalize
    assert normalize("十分感谢 三分钟后到") == "十分感谢 三分钟后到"


LEASHES = [CatalogueEntry(sku=f"LS-{s}-{c}", name=f"沃噗步步尼龙牵引绳 {s} {word}", aliases=[f"步步{s}{word}"], unit="条")
           for s, c, word in (("S", "RD", "红"), ("M", "RD", "红"), ("M", "BL", "蓝"), ("L", "BK", "黑"), ("L", "BL", "蓝"))]


async def test_a_size_letter_and_a_colour_glued_are_one_variant_each_time() -> None:
    """"M蓝4 L黑 2": a size letter and a colour make one run (was: two, neither a product); "4 l黑" is 4 of the L
    black, not 4 litres; "l红 2" (no red L) is named back with its count."""
    parsed = await OfflineParser().parse("步步绳子 M红4 M蓝4 L黑 2 L红 2", catalogue=LEASHES, today=date(2026, 12, 6))
    assert {i.sku: i.qty for i in parsed.slots.items} == {"LS-M-RD": 4, "LS-M-BL": 4, "LS-L-BK": 2}
    assert [(u.word, u.qty) for u in parsed.slots.unresolved] == [("l红", 2)]


async def test_a_size_the_series_lacks_is_named_back_not_another_series_product() -> None:
    """"牧风老年 10kg 2袋 15kg 1袋": the senior food has no 15 kg; the adult one does, but the line is named back
    (was: the adult 15 kg ordered)."""
    catalogue = [CatalogueEntry(sku=f"MFS{k}", name=f"沃噗牧风老年犬粮 {w}", aliases=[f"牧风老年{w}"], unit="袋")
                 for k, w in (("020", "2kg"), ("100", "10kg"))]
    catalogue += [CatalogueEntry(sku="MFA150", name="沃噗牧风成犬粮 鸡肉味 15kg", aliases=["牧风成犬15kg"], unit="袋")]
    parsed = await OfflineParser().parse("牧风老年 10kg 2袋 15kg 1袋", catalogue=catalogue, today=date(2026, 12, 6))
    assert {i.sku: i.qty for i in parsed.slots.items} == {"MFS100": 2}
    [word] = parsed.slots.unresolved
    assert "15kg" in word.word and word.qty == 1


async def test_english_aliases_are_read_in_the_plural_too() -> None:
    catalogue = [CatalogueEntry(sku=f"ZB12-{n}", name=f"盛邦加厚自封袋 12丝 {n}号", aliases=[f"heavy zip bag #{n}"], unit="包")
                 for n in (10, 12)]
    catalogue += [CatalogueEntry(sku=f"CT3-{n}", name=f"盛邦三层邮政纸箱 {n}号", aliases=[f"3ply No.{n}"], unit="个")
                  for n in (10, 12)]
    assert await _items("heavy zip bags #12 10 packs #10 10 packs", catalogue) == {"ZB12-12": 10, "ZB12-10": 10}


BAGS = [CatalogueEntry(sku=f"ZB{t}-{n:02d}", name=f"盛邦{'加厚' if t == 12 else ''}自封袋 {t}丝 {n}号", aliases=[f"{t}丝{n}号"],
                       unit="包") for t in (8, 12) for n in (5, 7, 8)]
BAGS += [CatalogueEntry(sku=f"CT3-{n:02d}", name=f"盛邦三层邮政纸箱 {n}号", aliases=[f"{n}号箱"], unit="个") for n in (5, 7, 8)]


@pytest.mark.parametrize(("text", "want"), [
    ("昨天出了 8丝 7号 80包 8号 60包 12丝 7号 30包", {"ZB8-07": 80, "ZB8-08": 60, "ZB12-07": 30}),
    ("8丝袋 7号 8号各50包 5号的30", {"ZB8-07": 50, "ZB8-08": 50, "ZB8-05": 30}),
])
async def test_a_thickness_then_numbers_are_the_bags_of_that_thickness(text: str, want: dict[str, int]) -> None:
    assert await _items(text, BAGS) == want


@pytest.mark.parametrize(("text", "want"), [
    ("暖窝 3个S 3个M", {"NW-S": 3, "NW-M": 3}),
    ("牧风幼犬 20袋1.5kg 6袋7.5kg", {"MFP015": 20, "MFP075": 6}),
])
async def test_the_count_written_before_each_variant(text: str, want: dict[str, int]) -> None:
    assert await _items(text, PETS + FOOD) == want


async def test_size_letters_said_in_chinese() -> None:
    """"大号3个 特大号2" (was: 大号 and 特大号 read as no size, their counts lost)."""
    assert await _items("暖窝来M号4个 大号3个 特大号2", PETS) == {"NW-M": 4, "NW-L": 3, "NW-XL": 2}
