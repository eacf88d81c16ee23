"""A package said without its 装 ("330听", "500瓶") names the series' "听装" or "瓶装" product, and a can is a 听 or
a 罐, whichever the catalogue writes: "雪泉 330听20箱 500听10箱", "雪泉330 罐装5箱 瓶装6箱"."""

from __future__ import annotations

import pytest

from nlu.schema import CatalogueEntry
from tests.nlu_items import parsed_items


def _beer(ml: int, package: str, code: str) -> CatalogueEntry:
    return CatalogueEntry(sku=f"XQ-{ml}{code}", name=f"白岭雪泉 {ml}ml {package} 24/箱", aliases=[f"雪泉{ml}{package}"],
                          unit="箱")


BEERS = [_beer(330, "听装", "C"), _beer(330, "瓶装", "B"), _beer(500, "听装", "C"), _beer(500, "瓶装", "B")]


@pytest.mark.parametrize(("text", "want"), [
    ("雪泉 330听20箱 500听10箱", {"XQ-330C": 20, "XQ-500C": 10}),
    ("雪泉 500听10 500瓶10 330听5", {"XQ-500C": 10, "XQ-500B": 10, "XQ-330C": 5}),
    ("雪泉330 罐装5箱 瓶装6箱", {"XQ-330C": 5, "XQ-330B": 6}),
])
async def test_a_package_said_without_its_zhuang(text: str, want: dict[str, int]) -> None:
    assert await parsed_items(text, BEERS) == want
