"""A series word typed by its sound with other characters, then a variant of its own ("金里M" for 锦鲤M, "汉风28" for
悍锋28): the variant after it says it is that series (``SoundKeys._sounded_lead``), even when the two words share
no character; without that variant after it, the word is left as written."""

from __future__ import annotations

from datetime import date

import pytest

from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry

SOCKS_AND_BOXES = [
    CatalogueEntry(sku=f"KT-JL-{s.upper()}", name=f"康途锦鲤跑步袜 {s.upper()}", aliases=[f"锦鲤{s.upper()}"], unit="双")
    for s in ("s", "m", "l")] + [
    CatalogueEntry(sku=f"YH-HF{v}", name=f"远航悍锋钓箱 {v}L", aliases=[f"悍锋{v}", f"悍锋{v}升"], unit="个")
    for v in ("18", "28", "36")]


def _parsed(text: str) -> tuple[str | None, dict[str, int]]:
    result = OfflineParser().parse_sync(text, catalogue=SOCKS_AND_BOXES, today=date(2026, 12, 4))
    return result.slots.product, {i.sku: i.qty for i in result.slots.items}


@pytest.mark.parametrize(("text", "sku"), [
    ("金里M还有吗", "KT-JL-M"),             # jin li: one character shared
    ("汉风28多少钱", "YH-HF28"),            # han feng: none shared, the size 28 after it
])
def test_series_typed_by_sound_then_its_variant(text: str, sku: str) -> None:
    assert _parsed(text)[0] == sku


def test_an_order_of_the_series_typed_by_sound() -> None:
    assert _parsed("汉风36 来5个")[1] == {"YH-HF36": 5}


@pytest.mark.parametrize("text", [
    "汉风怎么样",          # no variant after it
    "汉风50多少钱",        # a number the series has no product of
])
def test_a_sound_alone_names_nothing(text: str) -> None:
    assert _parsed(text)[0] is None
