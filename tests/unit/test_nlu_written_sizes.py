"""Sizes as dealers write them with their units: clothing sizes in 码 ("大码", "中码", "加大码"), a half numbered
size ("八号半" = 8.5号), sizes listed with spaces and the unit said once before 各 ("6 8 10寸 各来5个"), a size in
公分 / cm glued to its count ("5公分20卷")."""

from __future__ import annotations

import pytest

from nlu.schema import CatalogueEntry
from tests.nlu_items import parsed_items

APRONS = [CatalogueEntry(sku=f"WQ-{s}", name=f"围裙工装 {s}", aliases=[f"围裙{s}"], unit="件") for s in ("M", "L", "XL")]
COATS = [CatalogueEntry(sku=f"MJ-{s}", name=f"棉甲背心 {s}", aliases=[f"棉甲{s}"] + (["棉甲加大"] if s == "XXL" else []),
                        unit="件") for s in ("L", "XL", "XXL")]
BOOTS = [CatalogueEntry(sku=f"XY-{s.replace('.', '')}", name=f"雨靴 {s}号", aliases=[f"雨靴{s}号"], unit="双")
         for s in ("8", "8.5", "9")]
PANS = [CatalogueEntry(sku=f"PS-{s}", name=f"披萨盘 {s}寸", aliases=[f"披萨盘{s}寸"], unit="个") for s in (7, 9, 12)]
WRAPS = [CatalogueEntry(sku=f"SB-{s}", name=f"护膝绑带 {s}cm", aliases=[f"绑带{s}cm"], unit="卷") for s in (4, 6, 8)]


@pytest.mark.parametrize(("text", "want"), [
    ("围裙大码三十件 中码二十 加大码十", {"WQ-L": 30, "WQ-M": 20, "WQ-XL": 10}),
    ("围裙工装 中码 12件", {"WQ-M": 12}),
])
async def test_sizes_written_with_ma_are_the_size_letters(text: str, want: dict[str, int]) -> None:
    assert await parsed_items(text, APRONS) == want


async def test_jiada_ma_is_left_to_the_catalogue_when_the_series_goes_above_xl() -> None:
    assert await parsed_items("棉甲加大码来4件", COATS) == {"MJ-XXL": 4}


@pytest.mark.parametrize(("text", "want"), [
    ("雨靴 八号半6双 9号 3双", {"XY-85": 6, "XY-9": 3}),
    ("雨靴8号半 4双", {"XY-85": 4}),
])
async def test_a_half_numbered_size(text: str, want: dict[str, int]) -> None:
    assert await parsed_items(text, BOOTS) == want


async def test_sizes_listed_with_the_unit_once_before_each() -> None:
    assert await parsed_items("披萨盘 7 9 12寸 各来6个", PANS) == {"PS-7": 6, "PS-9": 6, "PS-12": 6}


async def test_a_size_in_gongfen_glued_to_its_count() -> None:
    assert await parsed_items("护膝绑带 4公分30卷 6公分 20卷", WRAPS) == {"SB-4": 30, "SB-6": 20}
