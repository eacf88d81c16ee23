"""The verb 报 right before 销量/销售/动销 is reporting sell-out ("我要报销量"), whatever else the classifier leans
to; a question about the figures stays one. A catalogue of its own."""

from __future__ import annotations

from datetime import date

import pytest

from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry, Intent

CATALOGUE = [CatalogueEntry(sku="MT-15", name="梦眠 床垫 1.5米", aliases=["梦眠1.5"], unit="张")]
PARSER = OfflineParser()


@pytest.mark.parametrize(("text", "intent"), [
    ("我要报销量", Intent.REPORT_SALES),
    ("我想报销售数据", Intent.REPORT_SALES),
    ("报一下销量", Intent.REPORT_SALES),
    ("这个月销量多少", Intent.SALES_QUERY),
    ("我报的销量怎么没显示吗", Intent.SALES_QUERY),
])
def test_reporting_verbs(text: str, intent: Intent) -> None:
    assert PARSER.parse_sync(text, catalogue=CATALOGUE, today=date(2026, 12, 4)).intent == intent
