"""The word of a kind ("吊灯" of every lamp of the kind 吊灯) that is also the end of one product's name ("极简小吊灯")
names every product of the kind, not that one: "吊灯有货吗" or "吊灯 5个" is asked back, never the one lamp."""

from __future__ import annotations

from datetime import date

from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry
from tests.nlu_items import parsed_items

LAMPS = [
    CatalogueEntry(sku="DD-SJ3", name="光年水晶吊灯套装 三头", aliases=["水晶三头"], unit="套", category="吊灯"),
    CatalogueEntry(sku="DD-BO5", name="光年北欧吊灯组合 五头", aliases=["北欧五头"], unit="套", category="吊灯"),
    CatalogueEntry(sku="DD-XS1", name="光年极简小吊灯", aliases=["小吊灯"], unit="个", category="吊灯"),
    CatalogueEntry(sku="TD-LED", name="光年护眼台灯", aliases=["台灯"], unit="个", category="台灯"),
]


async def _product(text: str) -> str | None:
    return (await OfflineParser().parse(text, catalogue=LAMPS, today=date(2026, 12, 6))).slots.product


async def test_the_kind_word_names_no_one_product() -> None:
    assert await _product("吊灯有货吗") is None
    assert await _product("客户家吊灯不亮") is None
    assert await parsed_items("吊灯 5个", LAMPS) == {}


async def test_the_product_words_still_name_it() -> None:
    assert await _product("小吊灯有货吗") == "DD-XS1"
    assert await parsed_items("小吊灯 5个", LAMPS) == {"DD-XS1": 5}
