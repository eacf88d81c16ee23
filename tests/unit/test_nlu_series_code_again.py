"""A series' code said again before a variant the catalogue lacks ("608红5盒 608紫2盒" when there is no purple 608) is
no count of the line before: that line keeps its own count, and the unknown variant is named back."""

from __future__ import annotations

from nlu.schema import CatalogueEntry
from tests.nlu_items import parsed_items

THREADS = [
    CatalogueEntry(sku="YT-608-RD", name="云桃608绣花线 红色", aliases=["608红", "608红色"], unit="盒"),
    CatalogueEntry(sku="YT-608-BL", name="云桃608绣花线 蓝色", aliases=["608蓝", "608蓝色"], unit="盒"),
]


async def test_the_code_again_before_an_unknown_variant_is_no_count() -> None:
    assert await parsed_items("608红5盒 608紫色2盒", THREADS) == {"YT-608-RD": 5}


async def test_the_lines_before_it_keep_their_counts() -> None:
    assert await parsed_items("608红5盒 蓝3盒 608紫也来2盒", THREADS) == {"YT-608-RD": 5, "YT-608-BL": 3}
