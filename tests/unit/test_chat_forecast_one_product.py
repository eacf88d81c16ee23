"""A dealer asking for one product's forecast ("AP300下个月大概能卖多少", "AP300 forecast") is answered for that
product; every product's advice only when none is named (QA s28 #2)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from core.sellout import SellOutLine
from tests.chat import ChatWorld, buttons, texts
from tests.unit.test_chat_reports import _history, world


async def _two_products(w: ChatWorld, dealer_id: int) -> None:
    await _history(w, dealer_id)          # AP300: 4 a month sold on
    for month in range(1, 11):
        await w.uow.sellout.add(SellOutLine(dealer_id=dealer_id, sold_on=date(2026, month, 12), sku="DH20", qty=3,
                                            amount=Decimal("4797.00"), province="上海", city="上海"))
    await w.uow.commit()


@pytest.mark.parametrize("said", ["AP300下个月大概能卖多少", "AP300 forecast", "下个月AP300要备多少货"])
async def test_one_product_named_is_answered_for_that_product(said: str) -> None:
    """(was: every product's restock advice; "AP300下个月大概能卖多少": "2027年1月还没有到"; "AP300 forecast": an
    after-sales question)"""
    w, ids = await world()
    await _two_products(w, ids["d1"])
    replies = await w.say("d1", said)
    shown = texts(replies)
    assert "AP300" in shown and ("预计需要 6" in shown or "expected 6" in shown), shown
    assert "DH20" not in shown, shown
    assert any(label in buttons(replies) for label in ("🛒 全部产品的补货建议", "🛒 Advice for every product"))


async def test_no_product_named_lists_every_product() -> None:
    w, ids = await world()
    await _two_products(w, ids["d1"])
    shown = texts(await w.say("d1", "下个月大概能卖多少"))
    assert "AP300" in shown and "DH20" in shown, shown
