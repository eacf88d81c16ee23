"""Questions asked while a form is open are answered aside, the form kept and nothing stored as a field (QA s25 #9);
questions about the products are no report: "滤芯都有哪些" opened the quality form, "滤网咋个换嘛，搞不来" a repair."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.orders import Order, OrderLine
from handlers.router import payload
from tests.chat import ChatWorld, texts
from tests.factories import at
from tests.unit.test_chat_quality import _world


async def _with_order(w: ChatWorld, dealer_id: int) -> None:
    await w.uow.orders.add(Order(number="SO-20261120-0003", dealer_id=dealer_id, total=Decimal("2000.00"),
                                 lines=[OrderLine("AP300", "空气净化器AP300", 1, Decimal("2000.00"))],
                                 created_at=at("2026-11-20 10:00")))
    await w.uow.commit()


async def _state(w: ChatWorld) -> tuple[str, dict[str, object]]:
    stored = await w.uow.dialogs.get_by(channel=w.channel, chat_id="100")
    assert stored is not None
    return stored.state, dict(stored.data)


@pytest.mark.parametrize("said", ["滤芯都有哪些", "空气净化器都有哪些"])
async def test_asking_which_products_there_are_opens_no_quality_form(said: str) -> None:
    w, _ = await _world()
    shown = texts(await w.say("100", said))
    assert "批次" not in shown and "质量反馈" not in shown
    state, _ = await _state(w)
    assert not state.startswith("qf")


async def test_a_how_to_question_is_no_repair() -> None:
    w, _ = await _world()
    shown = texts(await w.say("100", "滤网咋个换嘛，搞不来"))
    assert "售后报修" not in shown and "序列号" not in shown
    state, _ = await _state(w)
    assert not state.startswith("as")


async def test_questions_inside_the_quality_form_are_answered_aside_and_never_stored() -> None:
    w, dealer_id = await _world()
    await _with_order(w, dealer_id)
    await w.press("100", payload("qf.new"))
    await w.press("100", payload("qf.sku", "AP300"))
    state, _ = await _state(w)
    assert state == "qf.batch"
    shown = texts(await w.say("100", "我那单审了没"))
    assert "SO-20261120-0003" in shown and "没填完" in shown and "批次" in shown
    state, data = await _state(w)
    assert state == "qf.batch" and "batch" not in data
    await w.say("100", "B2411-07")
    state, _ = await _state(w)
    assert state == "qf.category"
    shown = texts(await w.say("100", "信用额度还剩多少"))
    assert "额度" in shown and "哪一类" in shown
    state, data = await _state(w)
    assert state == "qf.category" and "category" not in data
    await w.press("100", payload("qf.cat", 1))
    shown = texts(await w.say("100", "预存款呢"))
    assert "预存款" in shown and "正整数" not in shown and "数量" in shown
    state, data = await _state(w)
    assert state == "qf.count" and "count" not in data
