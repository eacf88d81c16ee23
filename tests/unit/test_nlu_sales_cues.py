"""The sales question from the analytics issue reaches the reports."""

from __future__ import annotations

from datetime import date

import pytest

from nlu.offline import OfflineParser
from nlu.schema import Intent


@pytest.mark.parametrize("text", ["本月销售怎么样", "这个月卖得怎么样", "how are sales this month"])
async def test_sales_questions_are_sales_queries(text: str) -> None:
    result = await OfflineParser().parse(text, catalogue=[], today=date(2026, 11, 26))
    assert result.intent == Intent.SALES_QUERY
    assert result.confidence >= 0.6
