"""Siblings of a series, grades with a minus sign, English lists written count-first, prices that are no count.

A catalogue of its own (no demo or blind product), so these rules are tested apart from any labelled set.
"""

from __future__ import annotations

from datetime import date

import pytest

from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry

CATALOGUE = [
    CatalogueEntry(sku="AC-25", name="冰点 防冻液 -25℃ 4L", aliases=["-25防冻液"], unit="桶"),
    CatalogueEntry(sku="AC-45", name="冰点 防冻液 -45℃ 4L", aliases=["-45防冻液"], unit="桶"),
    CatalogueEntry(sku="WF-10", name="清风 玻璃水 -10℃ 2L", aliases=[], unit="瓶"),
    CatalogueEntry(sku="WF-40", name="清风 玻璃水 -40℃ 2L", aliases=[], unit="瓶"),
    CatalogueEntry(sku="RT-2055516", name="跑途 RT5 轿车胎 205/55R16", aliases=["RT5 16寸"], unit="条"),
    CatalogueEntry(sku="RT-2254517", name="跑途 RT5 轿车胎 225/45R17", aliases=["RT5 17寸"], unit="条"),
    CatalogueEntry(sku="VN-1957516C", name="跑途 VN 货车胎 195/75R16C", aliases=[], unit="条"),
    CatalogueEntry(sku="VN-70016", name="跑途 VN 货车胎 700R16", aliases=["VN 700R16"], unit="条"),
    CatalogueEntry(sku="WP-17", name="明视 雨刮 17寸", aliases=["17寸雨刮"], unit="支"),
    CatalogueEntry(sku="PM12", name="打气泵 PM12", aliases=[], unit="台"),
    CatalogueEntry(sku="BR-4", name="制动液 BR4 1L", aliases=[], unit="瓶"),
]
PARSER = OfflineParser()


def items(text: str) -> dict[str, int]:
    result = PARSER.parse_sync(text, catalogue=CATALOGUE, today=date(2026, 12, 4))
    return {i.sku: i.qty for i in result.slots.items}


@pytest.mark.parametrize(("text", "expected"), [
    ("RT5 16寸的要4条 17寸的要6条", {"RT-2055516": 4, "RT-2254517": 6}),       # not the 17-inch wiper
    ("-25防冻液 12桶 -45的 8桶", {"AC-25": 12, "AC-45": 8}),                 # -45 is a grade, not a count
    ("VN 700R16 20条 195/75R16C 10条", {"VN-70016": 20, "VN-1957516C": 10}),
    ("RT5 205 55 16 配12条 225 45 17 配8条", {"RT-2055516": 12, "RT-2254517": 8}),
    ("17寸雨刮 5支", {"WP-17": 5}),                                            # a product of its own stays
])
def test_a_size_after_a_product_names_its_sibling(text: str, expected: dict[str, int]) -> None:
    assert items(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("老板 -40的玻璃水拿5箱", {"WF-40": 5}),
    ("零下40的玻璃水 3箱", {"WF-40": 3}),
    ("玻璃水 -10 来6箱", {"WF-10": 6}),
])
def test_a_grade_with_its_minus_sign_picks_the_product(text: str, expected: dict[str, int]) -> None:
    result = PARSER.parse_sync(text, catalogue=CATALOGUE, today=date(2026, 12, 4))
    assert {i.sku: i.qty for i in result.slots.items} == expected
    assert result.slots.negative_quantities == []


def test_english_lists_are_written_count_first() -> None:
    assert items("order 30 RT5 205/55R16, 20 RT5 225/45R17") == {"RT-2055516": 30, "RT-2254517": 20}
    assert items("today's sales: 2 PM12, 6 VN 700R16") == {"PM12": 2, "VN-70016": 6}
    assert items("3 PM12s pls") == {"PM12": 3}


def test_an_english_item_naming_no_product_never_changes_another_line() -> None:
    result = PARSER.parse_sync("3 PM12s, 2 gizmo kits, 1 box widget stems", catalogue=CATALOGUE,
                               today=date(2026, 12, 4))
    assert {i.sku: i.qty for i in result.slots.items} == {"PM12": 3}
    assert [(u.word, u.qty) for u in result.slots.unresolved] == [("gizmo kits", 2), ("widget stems", 1)]


def test_a_price_in_the_message_is_no_quantity() -> None:
    assert items("8 PM12 and is the price still 789?") == {"PM12": 8}
    assert items("PM12 来5台 单价 120") == {"PM12": 5}


def test_a_product_word_typed_in_pinyin_is_found() -> None:
    catalogue = [CatalogueEntry(sku="BJ-CS330", name="海川纯生啤酒 330ml罐×24", aliases=["纯生小罐"], unit="箱"),
                 CatalogueEntry(sku="BJ-QS330", name="海川清爽啤酒 330ml罐×24", aliases=["清爽小罐"], unit="箱"),
                 CatalogueEntry(sku="FF-15", name="复合肥 15-15-15 50kg", aliases=["三个15"], unit="袋")]

    def found(text: str) -> dict[str, int]:
        result = PARSER.parse_sync(text, catalogue=catalogue, today=date(2026, 12, 4))
        return {i.sku: i.qty for i in result.slots.items}

    assert found("chunsheng xiaoguan 20 jian") == {"BJ-CS330": 20}
    assert found("qingshuangxiaoguan 5箱") == {"BJ-QS330": 5}
    assert found("sange15 来20袋") == {"FF-15": 20}
    assert found("change it to 20") == {}          # English words are not read as pinyin


HERBICIDES = [
    CatalogueEntry(sku="HB-1L", name="除草剂 草铵膦 200g/L 1L", aliases=[], unit="瓶"),
    CatalogueEntry(sku="HB-500", name="除草剂 草铵膦 200g/L 500ml", aliases=[], unit="瓶"),
    CatalogueEntry(sku="GL-1L", name="除草剂 草甘膦 41% 1L", aliases=[], unit="瓶"),
    CatalogueEntry(sku="KL-U50", name="天地龙骨 U50 3m", aliases=["天地龙骨"], unit="根"),
    CatalogueEntry(sku="KL-T60", name="副龙骨 T60 3m", aliases=["副龙骨"], unit="根"),
]


def herbicide_result(text: str):  # type: ignore[no-untyped-def]
    return PARSER.parse_sync(text, catalogue=HERBICIDES, today=date(2026, 12, 4)).slots


@pytest.mark.parametrize(("text", "expected"), [
    ("草铵膦大瓶来一箱", {"HB-1L": 1}),
    ("小瓶的草铵膦 来5箱", {"HB-500": 5}),
    ("草铵膦 一百二", {}),                                   # no size said: which one is asked
    ("天地龙骨*200 副龙骨*300", {"KL-U50": 200, "KL-T60": 300}),     # 副 is a unit, and the next product's word
])
def test_big_or_small_and_units_that_begin_a_word(text: str, expected: dict[str, int]) -> None:
    assert {i.sku: i.qty for i in herbicide_result(text).items} == expected


def test_a_size_the_product_does_not_have_is_asked_never_swapped() -> None:
    slots = herbicide_result("草甘膦200ml的来3箱")
    assert slots.items == []
    assert [(u.word, u.qty, u.candidates) for u in slots.unresolved] == [("草甘膦200ml", 3, ["GL-1L"])]
    assert {i.sku: i.qty for i in herbicide_result("草甘膦 1升 3箱").items} == {"GL-1L": 3}


@pytest.mark.parametrize(("text", "value"), [("一百二", 120), ("三千五", 3500), ("两万三", 23000), ("一百零二", 102),
                                             ("一百二十", 120), ("两百五十", 250)])
def test_clipped_numbers_as_said_aloud(text: str, value: int) -> None:
    from nlu.numbers import parse_int

    assert parse_int(text) == value


PADS = [
    CatalogueEntry(sku="BP-ST-F", name="陶瓷刹车片 速腾 前轮", aliases=["速腾前片"], unit="套"),
    CatalogueEntry(sku="BP-ST-R", name="陶瓷刹车片 速腾 后轮", aliases=["速腾后片"], unit="套"),
    CatalogueEntry(sku="BP-LY-F", name="陶瓷刹车片 朗逸 前轮", aliases=["朗逸前片"], unit="套"),
    CatalogueEntry(sku="BP-LY-R", name="陶瓷刹车片 朗逸 后轮", aliases=[], unit="套"),
    CatalogueEntry(sku="TS-IN", name="胎压监测 内置式", aliases=["胎压内置"], unit="套"),
    CatalogueEntry(sku="TS-EX", name="胎压监测 外置式", aliases=["胎压外置"], unit="套"),
]


@pytest.mark.parametrize(("text", "expected"), [
    ("速腾前片10套 后片5套", {"BP-ST-F": 10, "BP-ST-R": 5}),
    ("朗逸那个前刹车片来六套还有后片也来六套", {"BP-LY-F": 6, "BP-LY-R": 6}),
    ("朗逸后片给整五套", {"BP-LY-R": 5}),                       # 后 tells the two 朗逸 pads apart
    ("胎压内置的不要了 换外置 一样4套", {"TS-EX": 4}),
    ("速腾前片 10套 后天到", {"BP-ST-F": 10}),                  # 后天 is a day, not the rear pad
])
def test_the_opposite_word_names_the_other_product(text: str, expected: dict[str, int]) -> None:
    result = PARSER.parse_sync(text, catalogue=PADS, today=date(2026, 12, 4))
    assert {i.sku: i.qty for i in result.slots.items} == expected


WIRE = [
    CatalogueEntry(sku="W-25", name="BV2.5平方 单芯铜线 100米", aliases=["2.5平方"], unit="卷"),
    CatalogueEntry(sku="W-25-E", name="BV2.5平方 黄绿双色地线 100米", aliases=["地线"], unit="卷"),
    CatalogueEntry(sku="W-60", name="BV6平方 单芯铜线 100米", aliases=[], unit="卷"),
]


def test_a_size_glued_to_the_series_letters_and_the_particle_de_are_read_as_written() -> None:
    def found(text: str) -> dict[str, int]:
        return {i.sku: i.qty for i in PARSER.parse_sync(text, catalogue=WIRE, today=date(2026, 12, 4)).slots.items}

    assert found("6平方的线来3卷") == {"W-60": 3}          # "的线" is not "地线" (地 is also read "de")
    assert found("地线 2卷") == {"W-25-E": 2}


LIQUOR = [
    CatalogueEntry(sku="GP42", name="光瓶 42度 500ml", aliases=[], unit="箱"),
    CatalogueEntry(sku="GP52", name="光瓶 52度 500ml", aliases=[], unit="箱"),
    CatalogueEntry(sku="MK", name="纯牛奶 250ml×12", aliases=["纯奶"], unit="箱"),
]


@pytest.mark.parametrize(("text", "expected", "removed"), [
    ("光瓶的42和52各10箱", {"GP42": 10, "GP52": 10}, []),
    ("原来的纯奶15箱不要了", {}, ["MK"]),                         # the count between product and negation
    ("纯奶 10箱 不要光瓶的52了", {"MK": 10}, ["GP52"]),           # the negation takes the product after it
])
def test_coordinated_sizes_and_negations_after_a_count(text: str, expected: dict[str, int],
                                                      removed: list[str]) -> None:
    slots = PARSER.parse_sync(text, catalogue=LIQUOR, today=date(2026, 12, 4)).slots
    assert {i.sku: i.qty for i in slots.items} == expected
    assert slots.removed == removed


SHOP = [
    CatalogueEntry(sku="BF4", name="刹车油 DOT4 1L", aliases=[], unit="瓶"),
    CatalogueEntry(sku="PEN-BK", name="中性笔 0.5mm 黑色", aliases=[], unit="盒"),
    CatalogueEntry(sku="PEN-BL", name="中性笔 0.5mm 蓝色", aliases=[], unit="盒"),
    CatalogueEntry(sku="OIL-1L", name="全合成机油 5W-30 1L", aliases=["530小瓶"], unit="瓶"),
    CatalogueEntry(sku="PAD-F", name="刹车片 速腾 前轮", aliases=[], unit="套"),
    CatalogueEntry(sku="PAD-R", name="刹车片 速腾 后轮", aliases=[], unit="套"),
]


@pytest.mark.parametrize(("text", "expected"), [
    ("pls add two cases of brake fluid", {"BF4": 2}),
    ("20 boxes of black pens, 10 blue pens", {"PEN-BK": 20, "PEN-BL": 10}),
    ("4 sets rear brake pads", {"PAD-R": 4}),
    ("40 bottles of brake fluid", {"BF4": 40}),              # a container is no product ("bottles" != 小瓶)
    ("pens x 20", {}),                                       # two products: asked, never guessed
])
def test_english_product_words_for_a_chinese_catalogue(text: str, expected: dict[str, int]) -> None:
    slots = PARSER.parse_sync(text, catalogue=SHOP, today=date(2026, 12, 4)).slots
    assert {i.sku: i.qty for i in slots.items} == expected


def test_english_words_that_are_not_products_stay_words() -> None:
    slots = PARSER.parse_sync("can you switch the order to next week, the price is right", catalogue=SHOP,
                              today=date(2026, 12, 4)).slots
    assert slots.items == [] and slots.product is None and slots.unresolved == []


WIPERS = [
    CatalogueEntry(sku="WB20", name="净视无骨雨刮器 20寸", aliases=["无骨20"], unit="支"),
    CatalogueEntry(sku="WB22", name="净视无骨雨刮器 22寸", aliases=["无骨22"], unit="支"),
    CatalogueEntry(sku="TB22", name="净视有骨雨刮器 22寸", aliases=[], unit="支"),
    CatalogueEntry(sku="SH-QX", name="清香洗发水 400ml", aliases=[], unit="瓶"),
    CatalogueEntry(sku="BEER24", name="清爽啤酒 330ml罐×24", aliases=[], unit="箱"),
]


def test_words_of_the_name_after_a_size_and_explicit_codes_with_x_counts() -> None:
    def found(text: str) -> dict[str, int]:
        return {i.sku: i.qty for i in PARSER.parse_sync(text, catalogue=WIPERS, today=date(2026, 12, 4)).slots.items}

    assert found("下周一要 20寸无骨30支 22寸无骨30支") == {"WB20": 30, "WB22": 30}
    assert found("order: sh-qx x 36, beer24 x 24") == {"SH-QX": 36, "BEER24": 24}    # "x 24" is a count


def test_a_number_of_the_name_between_the_count_and_the_product() -> None:
    boxes = [CatalogueEntry(sku="BOX86", name="86型 PVC暗盒", aliases=["暗盒"], unit="个"),
             CatalogueEntry(sku="DH20", name="除湿机 DH20 20升", aliases=[], unit="台")]
    slots = PARSER.parse_sync("order: 200 pcs 86 back boxes, 20 DH20", catalogue=boxes, today=date(2026, 12, 4)).slots
    assert {i.sku: i.qty for i in slots.items} == {"BOX86": 200, "DH20": 20}     # 20 of DH20 stays the count


FARM = [
    CatalogueEntry(sku="DAP64", name="磷酸二铵 64% 50kg", aliases=["64二铵"], unit="袋"),
    CatalogueEntry(sku="TFZ24", name="噻呋酰胺 24% 500ml", aliases=[], unit="瓶"),
    CatalogueEntry(sku="CF15", name="复合肥 15-15-15 50kg", aliases=["三个15"], unit="袋"),
    CatalogueEntry(sku="JM22-25", name="小麦种子 济麦22 25kg", aliases=[], unit="袋"),
    CatalogueEntry(sku="JM22-10", name="小麦种子 济麦22 10kg", aliases=[], unit="袋"),
    CatalogueEntry(sku="BT6020", name="电瓶 60V20AH", aliases=[], unit="组"),
    CatalogueEntry(sku="CG6020", name="充电器 60V20AH", aliases=[], unit="个"),
    CatalogueEntry(sku="CG4820", name="充电器 48V20AH", aliases=[], unit="个"),
]


@pytest.mark.parametrize(("text", "expected", "unresolved"), [
    ("64二铵20袋 硅钙镁肥10袋", {"DAP64": 20}, [("硅钙镁肥", 10)]),     # never the other line's count
    ("64二铵20袋 哦不是 改成30袋", {"DAP64": 30}, []),
    ("噻呋酰胺 24% 500ml 10瓶", {"TFZ24": 10}, []),                      # 24% is a strength
    ("三个15 40袋 下周一送到", {"CF15": 40}, []),                         # 一 of 下周一 is a day
    ("济麦22的大袋子的要十袋", {"JM22-25": 10}, []),
    ("60伏的充电器也要四个", {"CG6020": 4}, []),
])
def test_counts_stay_with_their_line(text: str, expected: dict[str, int], unresolved: list[tuple[str, int]]) -> None:
    slots = PARSER.parse_sync(text, catalogue=FARM, today=date(2026, 12, 4)).slots
    assert {i.sku: i.qty for i in slots.items} == expected
    assert [(u.word, u.qty) for u in slots.unresolved] == unresolved


PETS = [
    CatalogueEntry(sku="CN-DCK", name="狗罐头 鸡肉味 375g", aliases=["鸡肉狗罐头"], unit="箱"),
    CatalogueEntry(sku="CN-DBF", name="狗罐头 牛肉味 375g", aliases=["牛肉狗罐头"], unit="箱"),
    CatalogueEntry(sku="HN-S", name="胸背带 S", aliases=["胸背带S"], unit="条"),
    CatalogueEntry(sku="HN-M", name="胸背带 M", aliases=["胸背带M"], unit="条"),
    CatalogueEntry(sku="HN-L", name="胸背带 L", aliases=["胸背带L"], unit="条"),
]


@pytest.mark.parametrize(("text", "expected"), [
    ("狗罐头 牛肉味的来5箱 鸡肉的来3箱", {"CN-DBF": 5, "CN-DCK": 3}),
    ("胸背带 S 10条 M 10条 L 5条", {"HN-S": 10, "HN-M": 10, "HN-L": 5}),
    ("狗罐头 牛肉味的来5箱", {"CN-DBF": 5}),
])
def test_one_line_per_variant_after_the_kind(text: str, expected: dict[str, int]) -> None:
    slots = PARSER.parse_sync(text, catalogue=PETS, today=date(2026, 12, 4)).slots
    assert {i.sku: i.qty for i in slots.items} == expected
