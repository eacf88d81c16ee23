"""A delivery with goods short or damaged (QA s27 P2, P3, P6): the dealer's words kept line by line, the order read
"已收货（有异常）", a claim in the order desk's queue, the dealer told what happens next; a shortage is never a new
order or a change; "全部收到" typed under the receipt question is the ✅ button."""

from __future__ import annotations

import pytest

from core.dealers import Dealer
from core.orders import OrderStatus
from core.users import Role
from handlers.messages import Reply
from tests.chat import ChatWorld, buttons, texts

DEALER = "100"
DESK = "900"


async def world() -> tuple[ChatWorld, Dealer]:
    w = ChatWorld()
    await w.catalogue()
    dealer = await w.dealer(name="上海金鼎家电有限公司")
    await w.prepay(dealer)
    await w.user(DEALER, Role.DEALER_OWNER, dealer)
    await w.user(DESK, Role.ORDER_DESK, username="desk")
    return w, dealer


def own(replies: list[Reply]) -> list[Reply]:
    return [r for r in replies if not r.chat_id]


async def test_short_and_damaged_delivery_keeps_the_lines_marks_the_receipt_and_opens_a_claim_for_the_desk() -> None:
    """(was: "已确认收货并记录：部分收货、有破损", the order plain 已收货, which product and how many lost, nothing in
    the order desk's queue)"""
    w, dealer = await world()
    order = await w.order(dealer, [("AP300", 10), ("DH20", 8)], to="shipped")
    said = "货到了 DH20少了2台 还有一台AP300外箱压坏了"
    offer = own(await w.say(DEALER, said))
    card = own(await w.press(DEALER, buttons(offer)[f"📦 {order.number} 登记少货/破损"]))
    shown = texts(card)
    assert "少货且有破损" not in buttons(card)             # both were said: not asked again
    assert "除湿机DH20（DH20）少货 ×2" in shown and "空气净化器AP300（AP300）破损 ×1" in shown
    assert said in shown and "已收货（有异常）" in shown
    w.forget_pushes()
    done = own(await w.press(DEALER, buttons(card)["✅ 确认登记并转订单台"]))
    assert "已转订单台" in texts(done) and "不需要另下单付款" in texts(done)
    stored = await w.uow.orders.get_by(number=order.number)
    assert stored is not None and stored.status == OrderStatus.RECEIVED
    note = stored.events[-1].note
    assert "DH20 少货 ×2" in note and "AP300 破损 ×1" in note and said in note
    assert stored.receipt_exceptions
    detail = texts(own(await w.press(DEALER, f"1|orders.detail|{order.number}")))
    assert "状态：已收货（有异常）" in detail and "DH20 少货 ×2" in detail
    question = (await w.uow.staff_questions.list())[0]
    assert question.about_order == order.number and "收货异常" in question.question
    assert "DH20 少货 ×2" in question.question and said in question.question
    assert "收货异常" in texts(await w.pushed(DESK))
    today = texts(await w.say(DESK, "/today"))
    assert "待答复咨询：1" in today and order.number in today


async def test_the_receipt_buttons_without_words_ask_which_product_and_the_typed_answer_is_read() -> None:
    w, dealer = await world()
    order = await w.order(dealer, [("AP300", 10), ("DH20", 8)], to="shipped")
    detail = own(await w.press(DEALER, f"1|orders.detail|{order.number}"))
    asked = own(await w.press(DEALER, buttons(detail)["⚠️ 部分收到或有破损"]))
    assert "哪个产品少了或坏了几台" in texts(asked)
    card = own(await w.say(DEALER, "DH20少了3台"))
    assert "除湿机DH20（DH20）少货 ×3" in texts(card)
    own(await w.press(DEALER, buttons(card)["✅ 确认登记并转订单台"]))
    stored = await w.uow.orders.get_by(number=order.number)
    assert stored is not None and "DH20 少货 ×3" in stored.events[-1].note


async def test_missing_goods_of_a_received_order_are_a_claim_not_a_new_order_nor_a_change() -> None:
    """(was: "🛒 另下一单：WP600 ×2", the dealer paying again, and the desk's item "想修改")"""
    w, dealer = await world()
    order = await w.order(dealer, [("AP300", 10), ("DH20", 8)], to="received")
    replies = own(await w.say(DEALER, f"{order.number} 少的两台DH20啥时候补发"))
    labels = buttons(replies)
    assert not any("另下一单" in label for label in labels) and "📝 请订单台处理" not in labels
    assert "除湿机DH20（DH20）少货 ×2" in texts(replies)
    done = own(await w.press(DEALER, labels["✅ 转订单台处理"]))
    assert "已转订单台" in texts(done) and "不需要另下单付款" in texts(done)
    question = (await w.uow.staff_questions.list())[0]
    assert question.about_order == order.number and "收货异常" in question.question and "想修改" not in question.question
    assert len(w.uow.orders.rows) == 1


@pytest.mark.parametrize("said", ["全部收到", "都收到了", "货齐了", "收到了没问题", "✅ 全部收到"])
async def test_all_received_typed_under_the_receipt_question_confirms_it(said: str) -> None:
    """(was: "抱歉，我没太明白", no receipt recorded)"""
    w, dealer = await world()
    order = await w.order(dealer, [("AP300", 2)], to="shipped")
    asked = own(await w.say(DEALER, "收到了"))
    assert buttons(asked)["✅ 全部收到"] == f"1|orders.recv_ok|{order.number}"
    done = own(await w.say(DEALER, said))
    assert f"已确认收货：{order.number}" in texts(done)
    stored = await w.uow.orders.get_by(number=order.number)
    assert stored is not None and stored.status == OrderStatus.RECEIVED and not stored.receipt_exceptions


@pytest.mark.parametrize("said", ["全部收到", "货齐了"])
async def test_all_received_typed_under_the_orders_card_confirms_it(said: str) -> None:
    w, dealer = await world()
    order = await w.order(dealer, [("AP300", 2)], to="shipped")
    await w.press(DEALER, f"1|orders.detail|{order.number}")
    done = own(await w.say(DEALER, said))
    assert f"已确认收货：{order.number}" in texts(done)


async def test_asking_again_about_the_missing_goods_points_at_the_open_claim_not_a_second_one() -> None:
    w, dealer = await world()
    order = await w.order(dealer, [("AP300", 10), ("DH20", 8)], to="shipped")
    detail = own(await w.press(DEALER, f"1|orders.detail|{order.number}"))
    await w.press(DEALER, buttons(detail)["⚠️ 部分收到或有破损"])
    card = own(await w.say(DEALER, "DH20少了2台"))
    await w.press(DEALER, buttons(card)["✅ 确认登记并转订单台"])
    again = own(await w.say(DEALER, f"{order.number} 少的两台DH20啥时候补发"))
    assert "已经转给订单台了" in texts(again) and "✅ 转订单台处理" not in buttons(again)
    assert len(await w.uow.staff_questions.list()) == 1


async def test_all_received_typed_with_no_receipt_on_screen_asks_for_the_shipped_order() -> None:
    """(was: "货齐了" read as a cancel: "当前没有进行中的操作")"""
    w, dealer = await world()
    order = await w.order(dealer, [("AP300", 2)], to="shipped")
    shown = own(await w.say(DEALER, "货齐了"))
    assert f"📦 订单 {order.number}" in texts(shown) and "当前没有进行中的操作" not in texts(shown)
    assert f"已确认收货：{order.number}" in texts(own(await w.say(DEALER, "全部收到")))
