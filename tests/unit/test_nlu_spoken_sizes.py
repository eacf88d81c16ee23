"""Sizes said in Chinese numerals as dealers speak them (voice typing): a metre and its tenths ("三米六"), a decimal
("一点五"), a number glued to 调 or 型 ("二十八调", "两千型"), a numbered size with its count after it ("五号的二十包"):
written in digits, so they name the catalogue's products; clock times and days stay as they were.

A catalogue of its own (a made-up garden and hobby shop), so the rules are tested apart from any labelled set.
"""

from __future__ import annotations

from datetime import date

import pytest

from nlu.normalize import normalize
from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry

SHOP = [
    *[CatalogueEntry(sku=f"HOSE-{n}", name=f"青藤 花园水管 {m}m", aliases=[f"青藤{m}"], unit="根")
      for n, m in (("27", "2.7"), ("36", "3.6"))],
    *[CatalogueEntry(sku=f"CORD-{n}", name=f"鹊线 风筝线 {m}号", aliases=[f"鹊线{m}"], unit="轴")
      for n, m in (("05", "0.5"), ("15", "1.5"))],
    *[CatalogueEntry(sku=f"SEED-{n}", name=f"禾丰 播种器 {n}型", aliases=[f"禾丰{n}型"], unit="台")
      for n in ("2000", "3000")],
    *[CatalogueEntry(sku=f"NEEDLE-{n}", name=f"巧手 缝衣针 {n}号", aliases=[f"巧手{n}号"], unit="包")
      for n in ("5", "7")],
]


@pytest.mark.parametrize(("said", "written"), [
    ("青藤三米六两根", "青藤3.6米 两根"),
    ("鹊线一点五的十轴", "鹊线1.5的十轴"),
    ("鹊线零点五二十轴", "鹊线0.5 二十轴"),
    ("禾丰两千型三台", "禾丰2000型三台"),
    ("竿子二十八调", "竿子28调"),
    ("巧手五号的二十包", "巧手5号的二十包"),
])
def test_a_spoken_size_is_written_in_digits(said: str, written: str) -> None:
    assert normalize(said) == written


@pytest.mark.parametrize("said", ["下午三点半到", "三点五十分送", "四号到货", "十二月五号的订单", "两米布", "一点点"])
def test_times_days_and_lengths_without_tenths_stay(said: str) -> None:
    assert normalize(said) == said


@pytest.mark.parametrize(("text", "want"), [
    ("青藤三米六来两根 二米七来四根", {"HOSE-36": 2, "HOSE-27": 4}),
    ("鹊线零点五十轴 一点五二十轴", {"CORD-05": 10, "CORD-15": 20}),
    ("禾丰三千型的两台", {"SEED-3000": 2}),
    ("巧手七号的三十包", {"NEEDLE-7": 30}),
])
async def test_spoken_sizes_name_their_products(text: str, want: dict[str, int]) -> None:
    parsed = await OfflineParser().parse(text, catalogue=SHOP, today=date(2026, 12, 6))
    assert {i.sku: i.qty for i in parsed.slots.items} == want

