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


@pytest.mark.parametrize(("text", "ranking"), [
    ("哪些经销商卖得最差", "lowest"), ("完成率最低的经销商", "lowest"), ("动销最少的经销商", "lowest"),
    ("今年垫底的是哪家", "lowest"), ("倒数几名的经销商", "lowest"), ("who is lowest on target", "lowest"),
    ("worst selling dealers", "lowest"), ("哪个经销商卖得最好", "highest"), ("完成率最高的经销商", "highest"),
    ("卖得最多的经销商有哪些", "highest"), ("经销商前几名", "highest"), ("top dealers this month", "highest"),
    ("本月销售怎么样", None), ("almost done with the sales report", None),
])
async def test_ranking_words_are_the_ranking_slot(text: str, ranking: str | None) -> None:
    """"最差 / 最低 / 垫底 / worst" ask for a ranking from the bottom, "最好 / 前几名 / top" from the top: the
    ``ranking`` slot of the report and sales intents (the report handler only reads it)."""
    result = await OfflineParser().parse(text, catalogue=[], today=date(2026, 11, 26))
    if result.intent in (Intent.SALES_QUERY, Intent.REPORT_SALES, Intent.CONTRACT_QUERY):
        assert result.slots.ranking == ranking, (result.intent, result.slots.ranking)
    else:
        assert ranking is None, result.intent
