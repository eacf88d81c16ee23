"""A series named by a bare number, then its products by their own words (``nlu.number_series``): bearings and ink
cartridges whose series are numbers ("6205", "870"), never read as counts."""

from __future__ import annotations

from datetime import date

import pytest

from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry


def _bearing(code: str, seal: str, letters: str) -> CatalogueEntry:
    return CatalogueEntry(sku=f"HZ-{code}-{letters}", name=f"恒转{code}轴承 {seal} {letters}",
                          aliases=[f"{code}{letters}", f"{code}{seal}", f"{code}-{letters}"],
                          category="轴承", unit="个")


CATALOGUE = [
    _bearing("6205", "铁封", "ZZ"), _bearing("6205", "胶封", "2RS"),
    _bearing("6305", "铁封", "ZZ"), _bearing("6305", "胶封", "2RS"),
    CatalogueEntry(sku="CY-870-BK", name="彩印870墨盒 黑", aliases=["870黑", "870BK", "870 black"],
                   category="墨盒", unit="个"),
    CatalogueEntry(sku="CY-870-CL", name="彩印870墨盒 彩色", aliases=["870彩", "870CL", "870 colour"],
                   category="墨盒", unit="个"),
    CatalogueEntry(sku="CY-870XL-BK", name="彩印870XL墨盒 黑 高容", aliases=["870XL黑", "870高容黑", "870XLBK"],
                   category="墨盒", unit="个"),
    CatalogueEntry(sku="CY-R3300", name="彩印3300色带", aliases=["3300色带", "R3300"], category="色带", unit="个"),
]


async def _items(text: str) -> dict[str, int]:
    parsed = await OfflineParser().parse(text, catalogue=CATALOGUE, today=date(2026, 12, 7))
    return {i.sku: i.qty for i in parsed.slots.items}


@pytest.mark.parametrize(("text", "want"), [
    ("6205轴承 铁封20 胶封10", {"HZ-6205-ZZ": 20, "HZ-6205-2RS": 10}),
    ("6305 铁封的8个 胶封的4个", {"HZ-6305-ZZ": 8, "HZ-6305-2RS": 4}),
    ("870 黑、彩各6个", {"CY-870-BK": 6, "CY-870-CL": 6}),
    ("870墨盒 黑5 彩3 还有XL黑2个", {"CY-870-BK": 5, "CY-870-CL": 3, "CY-870XL-BK": 2}),
    ("这周卖了870 黑12 彩7", {"CY-870-BK": 12, "CY-870-CL": 7}),
])
async def test_the_lines_after_a_series_number(text: str, want: dict[str, int]) -> None:
    assert await _items(text) == want


async def test_the_number_alone_is_never_a_count() -> None:
    # the 870 ink without a word that tells which: asked, never 870 of something
    assert 870 not in (await _items("870墨盒 要3个")).values()


async def test_a_number_with_its_unit_is_a_count() -> None:
    assert await _items("870黑 来300个") == {"CY-870-BK": 300}
