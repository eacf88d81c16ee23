"""English kind and flavour words of the trade for a catalogue written in Chinese (``nlu.glossary``): buns (包子),
dumplings (水饺), cream (奶油), toilet rolls (卷纸), straps (打包带), zip bags (自封袋), shampoo said of 香波 too,
and the flavours that tell them apart (custard 奶黄, cabbage 白菜, greek 希腊).

A catalogue of its own, so the words are tested apart from any labelled set.
"""

from __future__ import annotations

import pytest

from nlu.schema import CatalogueEntry
from tests.nlu_items import parsed_items

GROCERIES = [
    CatalogueEntry(sku="BZ-NH", name="稳家奶黄包 6个装", aliases=["奶黄包"], unit="袋", category="包子"),
    CatalogueEntry(sku="BZ-DS", name="稳家豆沙包 6个装", aliases=["豆沙包"], unit="袋", category="包子"),
    CatalogueEntry(sku="SJ-BC", name="稳家猪肉白菜水饺 500g", aliases=["白菜猪肉500"], unit="袋", category="速冻水饺"),
    CatalogueEntry(sku="SJ-JC", name="稳家韭菜鸡蛋水饺 500g", aliases=["韭菜鸡蛋500"], unit="袋", category="速冻水饺"),
    CatalogueEntry(sku="SN-XL", name="稳家希腊式酸奶 135g", aliases=["希腊酸奶"], unit="杯", category="酸奶"),
    CatalogueEntry(sku="SN-YW", name="稳家原味酸奶 200g", aliases=["原味酸奶"], unit="杯", category="酸奶"),
    CatalogueEntry(sku="JZ-12", name="稳家卷纸 4层 12卷", aliases=["卷纸"], unit="提", category="纸品"),
    CatalogueEntry(sku="XB-500", name="稳家除味香波 500ml", aliases=["香波"], unit="瓶", category="洗护"),
    CatalogueEntry(sku="DB-Y", name="稳家打包带 黄色 15mm", aliases=["黄带"], unit="捆", category="打包带"),
    CatalogueEntry(sku="DB-B", name="稳家打包带 蓝色 15mm", aliases=["蓝带"], unit="捆", category="打包带"),
]


@pytest.mark.parametrize(("text", "want"), [
    ("weekly sales: 25 custard buns", {"BZ-NH": 25}),
    ("need 30 bags pork cabbage dumplings 500g", {"SJ-BC": 30}),
    ("greek yogurt x48", {"SN-XL": 48}),
    ("toilet rolls 10", {"JZ-12": 10}),
    ("pls send 6 shampoo", {"XB-500": 6}),
    ("yellow strap 12 bundles, blue strap 9 bundles", {"DB-Y": 12, "DB-B": 9}),
])
async def test_english_kind_words_of_the_trade(text: str, want: dict[str, int]) -> None:
    assert await parsed_items(text, GROCERIES) == want
