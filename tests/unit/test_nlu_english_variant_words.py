"""English for the Chinese variant words of aliases (``nlu.english_variants``): "MX black 50" is the product whose
alias is "MX黑", "HG full 30" the one of "HG全盖", with the shorthands of order sheets ("blk", "gld").

A catalogue of its own, so the rule is tested apart from any labelled set.
"""

from __future__ import annotations

from datetime import date

import pytest

from nlu.english_variants import english_spellings
from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry
from tests.nlu_items import parsed_items

FITTINGS = [
    CatalogueEntry(sku="MX-BK", name="稳家墙吸门吸 黑色", aliases=["墙吸黑", "MX黑"], unit="个", category="门吸"),
    CatalogueEntry(sku="MX-SV", name="稳家墙吸门吸 哑光银", aliases=["墙吸银", "MX银"], unit="个", category="门吸"),
    CatalogueEntry(sku="MX-GD", name="稳家墙吸门吸 拉丝金", aliases=["墙吸金", "MX金"], unit="个", category="门吸"),
    CatalogueEntry(sku="HG-Q", name="稳家阻尼铰链 全盖", aliases=["阻尼全盖", "HG全盖"], unit="个", category="铰链"),
    CatalogueEntry(sku="HG-B", name="稳家阻尼铰链 半盖", aliases=["阻尼半盖", "HG半盖"], unit="个", category="铰链"),
    CatalogueEntry(sku="HG-N", name="稳家阻尼铰链 内嵌", aliases=["阻尼内嵌", "HG内嵌"], unit="个", category="铰链"),
    CatalogueEntry(sku="LB-160-GY", name="稳家铝拉手 160mm 枪灰", aliases=["LB160灰", "LB160枪灰"], unit="个",
                   category="拉手"),
    CatalogueEntry(sku="LB-160-BK", name="稳家铝拉手 160mm 黑色", aliases=["LB160黑"], unit="个", category="拉手"),
]


@pytest.mark.parametrize(("text", "want"), [
    ("MX black 50 MX silver 20", {"MX-BK": 50, "MX-SV": 20}),
    ("restock: mx blk x12, mx gld x6", {"MX-BK": 12, "MX-GD": 6}),
    ("HG full overlay 30, HG inset 10", {"HG-Q": 30, "HG-N": 10}),
    ("sold 40 HG half", {"HG-B": 40}),
    ("LB 160 gunmetal 25", {"LB-160-GY": 25}),
])
async def test_english_variant_words_name_the_alias_they_translate(text: str, want: dict[str, int]) -> None:
    assert await parsed_items(text, FITTINGS) == want


def test_only_aliases_whose_chinese_ends_in_variant_words_are_spelled_in_english() -> None:
    assert english_spellings("qx黑") == {"qx black", "qx blk"}
    assert "jh full overlay" in english_spellings("jh全盖")
    assert english_spellings("墙吸银") == {"墙吸 silver", "墙吸 slv"}      # the series stays Chinese
    assert english_spellings("墨隼黑标容") == set()          # 标容 ends it: no variant word at its end
    assert english_spellings("黑色") == set()                # a variant word alone names no one product


STRAPS = [
    CatalogueEntry(sku="DB-W12", name="稳家打包带 白色 12mm", aliases=["白色12mm", "DB white 12mm"], unit="捆",
                   category="打包带"),
    CatalogueEntry(sku="DB-W15", name="稳家打包带 白色 15mm", aliases=["白色15mm", "DB white 15mm"], unit="捆",
                   category="打包带"),
    CatalogueEntry(sku="DB-T12", name="稳家打包带 透明 12mm", aliases=["透明带12", "DB clear strap"], unit="捆",
                   category="打包带"),
]


async def test_an_english_word_before_the_series_is_no_word_of_its_lines() -> None:
    # "strap" is the kind said first, not the word only the clear strap's alias has
    assert await parsed_items("DB strap white 12mm 5, white 15mm 5", STRAPS) == {"DB-W12": 5, "DB-W15": 5}


INKS = [
    CatalogueEntry(sku=f"B9-{code}", name=f"稳家B9 {colour}色墨水 100ml", aliases=[f"B9{colour}", f"B9{code}"], unit="瓶",
                   category="墨水")
    for code, colour in (("K", "黑"), ("C", "青"), ("M", "品红"), ("Y", "黄"))
]


@pytest.mark.parametrize(("catalogue", "text", "want"), [
    (FITTINGS, "sell-out this wk: HG full 240, half 120, inset 60", {"HG-Q": 240, "HG-B": 120, "HG-N": 60}),
    (FITTINGS, "HG full overlay 3 ctns half overlay 2 ctns", {"HG-Q": 3, "HG-B": 2}),
    (FITTINGS, "LB handles 160 black 50 gun grey 20 pls", {"LB-160-BK": 50, "LB-160-GY": 20}),
    (INKS, "B9 ink sold: blk 10 cyn 5 mag 5 yel 4", {"B9-K": 10, "B9-C": 5, "B9-M": 5, "B9-Y": 4}),
])
async def test_a_code_then_its_lines_by_english_variant_words(catalogue: list[CatalogueEntry], text: str,
                                                              want: dict[str, int]) -> None:
    assert await parsed_items(text, catalogue) == want


SHOES = [
    CatalogueEntry(sku=f"WJ-LH-{code}{size}", name=f"稳家领航皮鞋 {colour} {size}码", aliases=[f"领航{size}"], unit="双",
                   category="皮鞋")
    for code, colour in (("BK", "黑"), ("BR", "棕")) for size in (41, 42)
] + [
    CatalogueEntry(sku=f"WJ-SM15-{code}", name=f"稳家云眠四件套 1.5m {colour}", aliases=[f"云眠{colour}1.5"], unit="套",
                   category="四件套")
    for code, colour in (("GY", "灰"), ("PK", "粉"))
]


@pytest.mark.parametrize(("catalogue", "text", "want"), [
    (SHOES, "LH black 41 x2, LH brown 42 x3", {"WJ-LH-BK41": 2, "WJ-LH-BR42": 3}),     # BK / BR of the code
    (SHOES, "grey SM15 x4, pink SM15 x2", {"WJ-SM15-GY": 4, "WJ-SM15-PK": 2}),
])
async def test_colours_said_in_english_for_chinese_series_and_code_letters(
        catalogue: list[CatalogueEntry], text: str, want: dict[str, int]) -> None:
    assert await parsed_items(text, catalogue) == want


async def test_a_chinese_series_with_its_colour_in_english_is_the_product_asked_about() -> None:
    result = await OfflineParser().parse("墙吸 silver 什么 price", catalogue=list(FITTINGS), today=date(2026, 12, 6))
    assert result.slots.product == "MX-SV"


TAPS = [
    CatalogueEntry(sku="LT-CR", name="稳家厨房龙头 铬色", aliases=["厨房龙头铬色"], unit="个", category="龙头"),
    CatalogueEntry(sku="LT-GY", name="稳家厨房龙头 枪灰", aliases=["厨房龙头枪灰"], unit="个", category="龙头"),
    CatalogueEntry(sku="LT-BK", name="稳家厨房龙头 哑黑", aliases=["厨房龙头哑黑"], unit="个", category="龙头"),
]


@pytest.mark.parametrize(("text", "want"), [
    ("kitchen tap gunmetal 3 chrome 5", {"LT-GY": 3, "LT-CR": 5}),
    ("kitchen tap blk x4", {"LT-BK": 4}),
])
async def test_the_vocabulary_narrows_an_english_kind_word(text: str, want: dict[str, int]) -> None:
    assert await parsed_items(text, TAPS) == want


async def test_chrome_is_the_chrome_coloured_one() -> None:
    result = await OfflineParser().parse("how much is the chrome kitchen tap", catalogue=list(TAPS),
                                         today=date(2026, 12, 6))
    assert result.slots.product == "LT-CR"
