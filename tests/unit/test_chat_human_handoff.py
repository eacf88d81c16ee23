"""A dealer can always reach a person (QA fix-human-handoff): "转人工", "人工客服", "找客服", "联系订单台",
"talk to a person" typed at any point hand the dealer's question to staff (a ``StaffQuestion``, as 🙋 转人工 does)
and say so; an open cart stays kept. An invoice question is answered from the knowledge base, never by an
unrelated page."""

from __future__ import annotations

import pytest

from core.users import Role
from tests.chat import ChatWorld, buttons, texts


async def world() -> ChatWorld:
    w = ChatWorld()
    await w.knowledge_base()
    await w.catalogue()
    dealer = await w.dealer(name="成都瑞丰电器有限公司")
    await w.user("100", Role.DEALER_OWNER, dealer)
    await w.user("800", Role.CHANNEL_MANAGER, username="wang")
    return w


@pytest.mark.parametrize("said", ["转人工", "人工", "人工客服", "找客服", "联系订单台", "talk to a person"])
async def test_asking_for_a_person_after_the_faq_list_asks_for_the_question_then_hands_it_over(said: str) -> None:
    w = await world()
    await w.say("100", "常见问题")
    asked = await w.say("100", said)
    assert "没太明白" not in texts(asked) and "didn't" not in texts(asked)
    assert not w.uow.staff_questions.rows
    w.forget_pushes()
    handed = await w.say("100", "你们的产品能出口到越南吗")
    assert "已转给人工客服" in texts(handed) or "Forwarded to our staff" in texts(handed)
    assert [q.question for q in w.uow.staff_questions.rows] == ["你们的产品能出口到越南吗"]
    pushes = await w.all_pushed()
    assert pushes and "✍️ 回复" in buttons([pushes[0]])


async def test_asking_for_a_person_after_an_unanswered_question_hands_that_question_over() -> None:
    w = await world()
    await w.say("100", "你们的产品能出口到越南吗？")
    handed = await w.say("100", "转人工")
    assert "已转给人工客服" in texts(handed)
    assert [q.question for q in w.uow.staff_questions.rows] == ["你们的产品能出口到越南吗？"]


async def test_asking_for_a_person_with_a_cart_open_keeps_the_cart() -> None:
    w = await world()
    await w.say("100", "AP300 来两台")
    asked = await w.say("100", "转人工")
    assert "没认出要订的产品" not in texts(asked)
    handed = await w.say("100", "发货能不能走德邦物流")
    assert "已转给人工客服" in texts(handed)
    assert [q.question for q in w.uow.staff_questions.rows] == ["发货能不能走德邦物流"]
    cart = await w.say("100", "看下购物车")
    assert "AP300" in texts(cart) and "2台" in texts(cart)


async def test_a_question_typed_with_the_request_goes_over_at_once() -> None:
    w = await world()
    handed = await w.say("100", "转人工 你们的产品能出口到越南吗")
    assert "已转给人工客服" in texts(handed)
    assert [q.question for q in w.uow.staff_questions.rows] == ["你们的产品能出口到越南吗"]


@pytest.mark.parametrize("said", ["上个月的发票什么时候开", "我想问下订单台 上个月的发票什么时候开"])
async def test_an_invoice_question_never_shows_the_contract(said: str) -> None:
    w = await world()
    replies = await w.say("100", said)
    assert "合同" not in texts(replies).split("\n")[0] and "目标完成情况" not in texts(replies)
    answered = "来源：怎么开发票" in texts(replies)
    handed = "已转给" in texts(replies) and len(w.uow.staff_questions.rows) == 1
    assert answered or handed


async def test_an_invoice_question_for_a_month_is_answered_from_the_knowledge_base() -> None:
    w = await world()
    replies = await w.say("100", "上个月的发票什么时候开")
    assert "来源：怎么开发票" in texts(replies) and not w.uow.staff_questions.rows


async def test_an_invoice_question_asked_of_the_order_desk_goes_to_staff() -> None:
    w = await world()
    replies = await w.say("100", "我想问下订单台 上个月的发票什么时候开")
    assert "已转给人工客服" in texts(replies)
    assert [q.question for q in w.uow.staff_questions.rows] == ["上个月的发票什么时候开"]
