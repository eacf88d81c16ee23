"""Lines that continue a family with only the word that differs, and counts that must never move to another line.

"青龙白5L 10桶 灰的5桶": the grey one of the same series and size, though the narrowest kind the first line names
(the white ones) has no grey; "K11 5桶 蓝的3桶" with no blue one: the second count is named back, never written
over the first line's; "2 x K11, 3 x JS": a count before a word that is no product is that word's; "腻子粉20公斤"
is the product named "20kg". A catalogue of its own (paints and coatings, no demo, development or blind product).
"""

from __future__ import annotations

from datetime import date

import pytest

from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry

CATALOGUE = [
    CatalogueEntry(sku="QL-5W", name="青龙净味乳胶漆 5L 白色", aliases=["青龙白5L"], unit="桶", category="乳胶漆"),
    CatalogueEntry(sku="QL-18W", name="青龙净味乳胶漆 18L 白色", aliases=["青龙白18L"], unit="桶", category="乳胶漆"),
    CatalogueEntry(sku="QL-5G", name="青龙净味乳胶漆 5L 浅灰", aliases=["青龙灰5L"], unit="桶", category="乳胶漆"),
    CatalogueEntry(sku="QL-18G", name="青龙净味乳胶漆 18L 浅灰", aliases=["青龙灰18L"], unit="桶", category="乳胶漆"),
    CatalogueEntry(sku="NZ-20", name="耐水腻子粉 20kg", aliases=["耐水腻子"], unit="袋", category="辅料"),
    CatalogueEntry(sku="NZ-30", name="耐水腻子粉 30kg", aliases=[], unit="袋", category="辅料"),
    CatalogueEntry(sku="FS-K11", name="K11通用防水涂料 18kg", aliases=["K11"], unit="桶", category="防水"),
    CatalogueEntry(sku="WT-20", name="外墙真石漆 20kg", aliases=["真石漆"], unit="桶", category="外墙漆"),
]
PARSER = OfflineParser()


def parse(text: str):  # type: ignore[no-untyped-def]
    return PARSER.parse_sync(text, catalogue=CATALOGUE, today=date(2026, 12, 4))


def items(text: str) -> dict[str, int]:
    return {i.sku: i.qty for i in parse(text).slots.items}


@pytest.mark.parametrize(("text", "expected"), [
    ("青龙白5L 10桶 灰的5桶", {"QL-5W": 10, "QL-5G": 5}),
    ("青龙白的5L来10桶 灰的来5桶", {"QL-5W": 10, "QL-5G": 5}),
    ("青龙白18L 2桶 灰的1桶", {"QL-18W": 2, "QL-18G": 1}),
    ("腻子粉20公斤 100袋", {"NZ-20": 100}),
    ("耐水腻子粉30公斤的 50袋", {"NZ-30": 50}),
    ("2 x K11, 3 x 真石漆", {"FS-K11": 2, "WT-20": 3}),
])
def test_lines_of_one_family_and_sizes_by_weight(text: str, expected: dict[str, int]) -> None:
    assert items(text) == expected


@pytest.mark.parametrize(("text", "kept", "word"), [
    ("K11 5桶 蓝的3桶", {"FS-K11": 5}, "蓝"),            # no blue K11: asked back, not K11 x3
    ("真石漆 3桶 大的2桶", {"WT-20": 3}, "大"),
    ("2 x K11, 3 x JS pls", {"FS-K11": 2}, "js"),        # JS is no product: its 3 is not K11's
])
def test_a_second_count_is_never_written_over_the_line_before(text: str, kept: dict[str, int], word: str) -> None:
    result = parse(text)
    assert {i.sku: i.qty for i in result.slots.items} == kept
    assert word in [w.lower() for w in result.slots.unknown_words]


@pytest.mark.parametrize(("text", "expected"), [
    ("K11 - 10, 真石漆 - 5", {"FS-K11": 10, "WT-20": 5}),     # a dash with spaces separates, it is no minus
    ("half dozen K11", {"FS-K11": 6}),
    ("K11 -5桶", {}),                                           # written negative: refused, never 5
])
def test_english_list_forms(text: str, expected: dict[str, int]) -> None:
    assert items(text) == expected


TEA = [
    CatalogueEntry(sku="LJ-MQ250", name="西湖龙井 明前 250g", aliases=["明前250"], unit="盒", category="绿茶"),
    CatalogueEntry(sku="LJ-MQ500", name="西湖龙井 明前 500g", aliases=["明前500"], unit="盒", category="绿茶"),
    CatalogueEntry(sku="LJ-YQ250", name="西湖龙井 雨前 250g", aliases=[], unit="盒", category="绿茶"),
    CatalogueEntry(sku="LJ-YQ500", name="西湖龙井 雨前 500g", aliases=[], unit="盒", category="绿茶"),
    CatalogueEntry(sku="PE-S357", name="云南普洱 生茶饼 357g", aliases=["生普", "普洱生饼"], unit="饼", category="普洱"),
    CatalogueEntry(sku="PE-H357", name="云南普洱 熟茶饼 357g", aliases=["熟普", "普洱熟饼"], unit="饼", category="普洱"),
]


@pytest.mark.parametrize(("text", "expected"), [
    ("明前250 20盒 500 10盒", {"LJ-MQ250": 20, "LJ-MQ500": 10}),           # a bare number, then its count
    ("明前龙井半斤装的拿20盒 一斤装的拿10盒", {"LJ-MQ250": 20, "LJ-MQ500": 10}),   # 半斤 = 250 g, 一斤 = 500 g
    ("雨前龙井 半斤20盒 一斤10盒", {"LJ-YQ250": 20, "LJ-YQ500": 10}),
    ("普洱生饼熟饼各七饼", {"PE-S357": 7, "PE-H357": 7}),                    # 饼 counts tea cakes
])
def test_sizes_said_in_jin_and_bare_sibling_numbers(text: str, expected: dict[str, int]) -> None:
    got = PARSER.parse_sync(text, catalogue=TEA, today=date(2026, 12, 4))
    assert {i.sku: i.qty for i in got.slots.items} == expected


SOLAR = [
    CatalogueEntry(sku="PV-550M", name="光伏板 单晶 550W", aliases=["550瓦板子"], unit="块", category="光伏组件"),
    CatalogueEntry(sku="INV-3K", name="离网逆变器 3kW 24V", aliases=[], unit="台", category="逆变器"),
    CatalogueEntry(sku="INV-5K", name="离网逆变器 5kW 48V", aliases=[], unit="台", category="逆变器"),
    CatalogueEntry(sku="BT-12100", name="磷酸铁锂电池 12V 100Ah", aliases=[], unit="组", category="储能电池"),
    CatalogueEntry(sku="BT-12200", name="磷酸铁锂电池 12V 200Ah", aliases=[], unit="组", category="储能电池"),
]


@pytest.mark.parametrize(("text", "expected"), [
    ("电池12v100ah x4, 12v200ah x2", {"BT-12100": 4, "BT-12200": 2}),     # two specs of the name typed as one
    ("逆变器3千瓦2台5千瓦1台", {"INV-3K": 2, "INV-5K": 1}),                # 千瓦 = kW
    ("need 20 pcs 550w panels + 2 5kw inverters", {"PV-550M": 20, "INV-5K": 2}),
    ("逆变器5K的一台", {"INV-5K": 1}),                                      # kW said as K
])
def test_specs_typed_together_and_kilowatts(text: str, expected: dict[str, int]) -> None:
    got = PARSER.parse_sync(text, catalogue=SOLAR, today=date(2026, 12, 4))
    assert {i.sku: i.qty for i in got.slots.items} == expected


@pytest.mark.parametrize(("text", "expected", "unknown"), [
    ("K11 10 / 真石漆 5 / 蓝胶 3", {"FS-K11": 10, "WT-20": 5}, "蓝胶"),     # " / " separates lines; 蓝胶 is no product
    ("青龙白5L 200 / 青龙灰5L 100", {"QL-5W": 200, "QL-5G": 100}, None),    # "200 / 100" is no size
])
def test_lines_separated_by_a_slash(text: str, expected: dict[str, int], unknown: str | None) -> None:
    result = parse(text)
    assert {i.sku: i.qty for i in result.slots.items} == expected
    assert unknown is None or unknown in result.slots.unknown_words


def test_a_bare_sibling_number_with_a_chinese_count() -> None:
    got = PARSER.parse_sync("明前250 五盒 500 两盒", catalogue=TEA, today=date(2026, 12, 4))
    assert {i.sku: i.qty for i in got.slots.items} == {"LJ-MQ250": 5, "LJ-MQ500": 2}


def test_a_decimal_before_generic_words_is_a_size_not_a_count() -> None:
    wires = [CatalogueEntry(sku=f"BV{size}-{c}", name=f"BV电线{size}平方 {colour}", aliases=[], unit="卷", category="电线")
             for size in ("1.5", "2.5") for c, colour in (("R", "红色"), ("B", "蓝色"))]
    got = PARSER.parse_sync("1.5 red wire 10 rolls", catalogue=wires, today=date(2026, 12, 4))
    assert {i.sku: i.qty for i in got.slots.items} == {"BV1.5-R": 10}


def test_formula_stages_in_chinese_numerals_and_english_baby_words() -> None:
    baby = [CatalogueEntry(sku="YN2-800", name="羊奶粉2段 800g", aliases=["羊奶粉2段"], unit="罐", category="奶粉"),
            CatalogueEntry(sku="YN3-800", name="羊奶粉3段 800g", aliases=["羊奶粉3段"], unit="罐", category="奶粉"),
            CatalogueEntry(sku="PUMP-E1", name="电动吸奶器 E1", aliases=[], unit="台", category="吸奶器")]
    for text, expected in (("羊奶粉二段 18罐", {"YN2-800": 18}), ("add 4 breast pumps pls", {"PUMP-E1": 4})):
        got = PARSER.parse_sync(text, catalogue=baby, today=date(2026, 12, 4))
        assert {i.sku: i.qty for i in got.slots.items} == expected, text


def test_a_colour_after_a_counted_line_is_that_line_in_the_colour() -> None:
    sets = [CatalogueEntry(sku=f"SM{size}-{c}", name=f"云朵水洗棉四件套 {size[0]}.{size[1]}m {colour}",
                           aliases=[f"云朵{size[0]}.{size[1]}{colour[0]}"], unit="套", category="四件套")
            for size in ("15", "18") for c, colour in (("BL", "蓝色"), ("PK", "粉色"), ("WH", "白色"))]
    got = PARSER.parse_sync("云朵1.5 蓝色 4套 粉色 4套 白色 2套", catalogue=sets, today=date(2026, 12, 4))
    assert {i.sku: i.qty for i in got.slots.items} == {"SM15-BL": 4, "SM15-PK": 4, "SM15-WH": 2}


@pytest.mark.parametrize("text", ["我要下单", "下单", "帮我下个单", "我想订货"])
def test_a_bare_request_to_order_starts_an_order(text: str) -> None:
    assert parse(text).intent.value == "place_order"


def test_asking_how_to_order_is_no_order() -> None:
    assert parse("怎么下单").intent.value != "place_order"


# rugs and mats by width, a catalogue of its own (no demo, development or blind product)
RUGS = [
    CatalogueEntry(sku="RG-16", name="北欧短绒地毯 1.6m", aliases=["短绒地毯1.6", "短绒1.6"], unit="张", category="地毯"),
    CatalogueEntry(sku="RG-20", name="北欧短绒地毯 2.0m", aliases=["短绒地毯2.0", "短绒2.0", "短绒地毯2米"], unit="张",
                   category="地毯"),
    CatalogueEntry(sku="RG-24", name="北欧短绒地毯 2.4m", aliases=["短绒地毯2.4", "短绒2.4"], unit="张", category="地毯"),
    CatalogueEntry(sku="YM-6", name="加厚瑜伽垫 6mm", aliases=["瑜伽垫6mm"], unit="张", category="运动垫"),
]


@pytest.mark.parametrize(("text", "expected"), [
    ("短绒地毯1.6 4张 2.4 6张", {"RG-16": 4, "RG-24": 6}),          # a width alone after a counted line
    ("短绒 1.6要10 2.4要15 2米的5张", {"RG-16": 10, "RG-24": 15, "RG-20": 5}),
    ("短绒地毯2.0 3张，1.6 2张", {"RG-20": 3, "RG-16": 2}),
])
def test_a_width_alone_continues_the_line_before(text: str, expected: dict[str, int]) -> None:
    assert {i.sku: i.qty for i in PARSER.parse_sync(text, catalogue=RUGS, today=date(2026, 12, 4)).slots.items} \
        == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("空調被1.8 十條", None),
    ("來兩張短絨地毯2.4 唔該", {"RG-24": 2}),
])
def test_traditional_characters_read_as_simplified(text: str, expected: dict[str, int] | None) -> None:
    if expected is None:
        from nlu.normalize import normalize
        assert normalize(text) == "空调被1.8 十条"
        return
    assert {i.sku: i.qty for i in PARSER.parse_sync(text, catalogue=RUGS, today=date(2026, 12, 4)).slots.items} \
        == expected


BEDDING = [
    CatalogueEntry(sku="PL-LX", name="天然乳胶枕(对)", aliases=["乳胶枕"], unit="对", category="枕头"),
    CatalogueEntry(sku="PL-QM", name="荞麦枕(对)", aliases=["荞麦枕"], unit="对", category="枕头"),
    CatalogueEntry(sku="TW-HT", name="酒店白毛巾", aliases=["宾馆毛巾"], unit="条", category="毛巾"),
    CatalogueEntry(sku="BT-GY", name="纯棉浴巾 灰色", aliases=["灰浴巾"], unit="条", category="浴巾"),
]


@pytest.mark.parametrize(("text", "expected"), [
    ("add 12 pairs of latex pillows to my order", {"PL-LX": 12}),
    ("order 2 dozen hotel towels pls", {"TW-HT": 24}),
    ("latex pillows 10 pairs, buckwheat pillows 6 pairs", {"PL-LX": 10, "PL-QM": 6}),
])
def test_english_words_of_home_textiles(text: str, expected: dict[str, int]) -> None:
    assert {i.sku: i.qty for i in PARSER.parse_sync(text, catalogue=BEDDING, today=date(2026, 12, 4)).slots.items} \
        == expected


TEES = [
    CatalogueEntry(sku=f"TS-M-{code}", name=f"纯棉圆领T恤 M码 {colour}色", aliases=[f"T恤M{colour}"], unit="件",
                   category="T恤")
    for code, colour in (("WH", "白"), ("BK", "黑"), ("GY", "灰"))
] + [CatalogueEntry(sku="TS-L-WH", name="纯棉圆领T恤 L码 白色", aliases=["T恤L白"], unit="件", category="T恤")]


@pytest.mark.parametrize(("text", "expected"), [
    ("T恤M白 3件 黑2件", {"TS-M-WH": 3, "TS-M-BK": 2}),                # a colour in one character, then its count
    ("T恤M白 3 黑2 灰4", {"TS-M-WH": 3, "TS-M-BK": 2, "TS-M-GY": 4}),
])
def test_a_colour_of_one_character_continues_the_line_before(text: str, expected: dict[str, int]) -> None:
    assert {i.sku: i.qty for i in PARSER.parse_sync(text, catalogue=TEES, today=date(2026, 12, 4)).slots.items} \
        == expected


def test_a_colour_the_family_does_not_have_is_asked_not_written_over_the_line_before() -> None:
    result = PARSER.parse_sync("T恤M白 3件 紫2件", catalogue=TEES, today=date(2026, 12, 4))
    assert {i.sku: i.qty for i in result.slots.items} == {"TS-M-WH": 3}
