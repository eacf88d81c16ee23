"""A dealer changes its submitted order in chat (words and buttons), sees the whole changed order priced, confirms;
once approved it is told what can be done instead. Core: core.services.order_changes (tests/unit/test_order_changes)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.dealers import Dealer
from core.faq import StaffQuestion
from core.orders import OrderStatus
from core.users import Role
from handlers.router import payload
from tests.chat import ChatWorld, buttons, texts

DEALER, CLERK, OTHER, DESK = "100", "101", "200", "900"


async def world() -> tuple[ChatWorld, Dealer]:
    w = ChatWorld()
    await w.catalogue()
    dealer = await w.dealer(name="上海华信电器有限公司")
    other = await w.dealer(name="南京宏达商贸有限公司")
    await w.prepay(dealer)
    await w.user(DEALER, Role.DEALER_OWNER, dealer)
    await w.user(CLERK, Role.DEALER_CLERK, dealer)
    await w.user(OTHER, Role.DEALER_OWNER, other)
    await w.user(DESK, Role.ORDER_DESK, username="desk")
    return w, dealer


async def test_typed_add_to_the_numbered_order_shows_the_whole_order_and_confirm_changes_it() -> None:
    w, dealer = await world()
    order = await w.order(dealer, [("AP300", 10)])
    shown = await w.say(DEALER, f"{order.number} 能不能再加两台ap300")
    said = texts(shown)
    assert f"修改订单 {order.number}" in said and "AP300）12台" in said and "✅ 确认修改" in buttons(shown)
    assert await w.uow.orders.count() == 1                       # no second order, no new cart
    w.forget_pushes()
    done = await w.press(DEALER, buttons(shown)["✅ 确认修改"])
    assert f"订单 {order.number} 已修改" in texts(done)
    stored = await w.uow.orders.get_by(number=order.number)
    assert stored is not None and [(ln.sku, ln.qty) for ln in stored.lines] == [("AP300", 12)]
    assert stored.version == order.version + 1 and stored.status == OrderStatus.SUBMITTED
    assert stored.total == Decimal("23988.00") and await w.uow.orders.count() == 1
    assert (await w.uow.audit.list(action="order.change"))
    desk = texts(await w.pushed(DESK))
    assert order.number in desk and "AP300 10 → 12" in desk and "¥23,988.00" in desk
    again = await w.press(DEALER, buttons(shown)["✅ 确认修改"])     # a second tap changes nothing more
    assert "已修改" not in texts(again) or "未重复" in texts(again)
    assert (await w.uow.orders.get_by(number=order.number)).version == stored.version  # type: ignore[union-attr]


async def test_that_order_without_a_number_is_the_latest_and_a_bare_quantity_sets_its_only_line() -> None:
    w, dealer = await world()
    await w.order(dealer, [("F300", 5)], to="approved")
    order = await w.order(dealer, [("DH20", 5)])
    shown = await w.say(CLERK, "刚才那单能改成20台吗")
    assert "购物车是空的" not in texts(shown)
    assert f"修改订单 {order.number}" in texts(shown) and "DH20）20台" in texts(shown)
    more = await w.say(CLERK, "再加5台AP300")                      # the same cart words, on the order
    assert "DH20）20台" in texts(more) and "AP300）5台" in texts(more)
    await w.press(CLERK, buttons(more)["✅ 确认修改"])
    stored = await w.uow.orders.get_by(number=order.number)
    assert stored is not None and sorted((ln.sku, ln.qty) for ln in stored.lines) == [("AP300", 5), ("DH20", 20)]


async def test_the_order_card_has_a_change_button_with_the_cart_editor() -> None:
    w, dealer = await world()
    order = await w.order(dealer, [("AP300", 10), ("DH20", 2)])
    card = await w.press(DEALER, payload("orders.detail", order.number))
    assert buttons(card)["✏️ 修改订单（审核前）"] == payload("orders.change", order.number)
    editor = await w.press(DEALER, payload("orders.change", order.number))
    assert f"修改订单 {order.number}" in texts(editor) and "DH20 ×2" in buttons(editor)
    drop = next(p for p in buttons(editor).values() if p.startswith("1|order.rm|") and p.endswith("|DH20"))
    after = await w.press(DEALER, drop)                          # the cart's own 🗑, on the order's lines
    shown = await w.press(DEALER, buttons(after)["✅ 完成修改"])
    assert "DH20）" not in texts(shown) and "AP300）10台" in texts(shown) and "✅ 确认修改" in buttons(shown)
    await w.press(DEALER, buttons(shown)["✅ 确认修改"])
    stored = await w.uow.orders.get_by(number=order.number)
    assert stored is not None and [(ln.sku, ln.qty) for ln in stored.lines] == [("AP300", 10)]


async def test_an_approved_order_says_so_and_offers_a_note_cancel_and_a_new_order_for_the_extra() -> None:
    w, dealer = await world()
    order = await w.order(dealer, [("AP300", 10)], to="approved")
    said = await w.say(DEALER, f"{order.number} 再加两台AP300")
    text = texts(said)
    assert "不能在这里修改了" in text and "已审核" in text
    got = buttons(said)
    assert got["📝 请订单台处理"].startswith(payload("faq.fwd", "")[:-1])
    assert got[f"❌ 取消订单 {order.number}"] == payload("orders.cancel", order.number)
    assert got["🛒 另下一单：AP300 ×2"] == payload("order.prefill", "AP300", 2)
    stored = await w.uow.orders.get_by(number=order.number)
    assert stored is not None and stored.version == order.version and stored.lines[0].qty == 10
    card = await w.press(DEALER, payload("orders.detail", order.number))
    assert "✏️ 修改订单（审核前）" not in buttons(card)
    noted = await w.press(DEALER, got["📝 请订单台处理"])
    assert "转" in texts(noted) or "已" in texts(noted)


async def test_another_dealers_order_is_not_found_and_unchanged() -> None:
    w, dealer = await world()
    order = await w.order(dealer, [("AP300", 10)])
    said = await w.say(OTHER, f"{order.number} 再加两台AP300")
    assert "上海华信" not in texts(said) and "修改订单" not in texts(said)
    pressed = await w.press(OTHER, payload("orders.change", order.number))
    assert "修改订单" not in texts(pressed)
    assert (await w.uow.orders.get_by(number=order.number)).version == order.version  # type: ignore[union-attr]


async def test_an_approval_prompt_pressed_after_the_dealer_changed_the_order_approves_nothing_and_shows_it_now() -> None:
    w, dealer = await world()
    order = await w.order(dealer, [("AP300", 10)])
    prompt = await w.pushed(DESK)
    old_approve = buttons(prompt)["✅ 通过"]
    assert old_approve == payload("staff.order.approve", order.number, order.version)
    w.forget_pushes()
    shown = await w.say(DEALER, f"{order.number} 改成20台")
    await w.press(DEALER, buttons(shown)["✅ 确认修改"])
    changed = await w.pushed(DESK)
    assert "AP300 10 → 20" in texts(changed)
    stale = await w.press(DESK, old_approve)                     # the prompt of 10 units, pressed after the change
    assert f"订单 {order.number} 在您看到之后已被修改" in texts(stale) and "AP300×20" in texts(stale)
    stored = await w.uow.orders.get_by(number=order.number)
    assert stored is not None and stored.status == OrderStatus.SUBMITTED
    assert buttons(stale)["✅ 通过"] == payload("staff.order.approve", order.number, stored.version)
    assert buttons(changed)["✅ 通过"] == buttons(stale)["✅ 通过"]
    await w.press(DESK, buttons(stale)["✅ 通过"])                # the order as it is now: approved
    approved = await w.uow.orders.get_by(number=order.number)
    assert approved is not None and approved.status == OrderStatus.APPROVED
    assert [(ln.sku, ln.qty) for ln in approved.lines] == [("AP300", 20)]


async def test_a_rejection_typed_after_the_dealer_changed_the_order_rejects_nothing() -> None:
    w, dealer = await world()
    order = await w.order(dealer, [("AP300", 10)])
    old_reject = buttons(await w.pushed(DESK))["❌ 驳回"]
    asked = await w.press(DESK, old_reject)
    assert "原因" in texts(asked)
    shown = await w.say(DEALER, f"{order.number} 改成20台")
    await w.press(DEALER, buttons(shown)["✅ 确认修改"])
    answer = await w.say(DESK, "价格不对")
    assert "已被修改" in texts(answer)
    stored = await w.uow.orders.get_by(number=order.number)
    assert stored is not None and stored.status == OrderStatus.SUBMITTED


async def test_a_change_asked_for_an_approved_order_goes_to_the_order_desk_who_answer_it() -> None:
    w, dealer = await world()
    await w.user("950", Role.CHANNEL_MANAGER, username="cm")
    order = await w.order(dealer, [("AP300", 10)], to="approved")
    said = await w.say(DEALER, f"{order.number} 再加两台AP300")
    w.forget_pushes()
    noted = await w.press(DEALER, buttons(said)["📝 请订单台处理"])
    assert f"已转给订单台（{order.number}）" in texts(noted)
    asked = await w.pushed(DESK)
    assert f"订单 {order.number} 想修改" in texts(asked) and "再加两台AP300" in texts(asked)
    assert buttons(asked)["📄 订单详情"] == payload("staff.order.detail", order.number)
    assert not await w.pushed("950")                             # not the FAQ keepers' question queue
    question = (await w.uow.staff_questions.list())[0]
    assert question.about_order == order.number
    await w.press(DESK, buttons(asked)["✍️ 回复"])
    sent = await w.say(DESK, "已加到明天发货的单里，另开一张补单给您")
    assert "📚 存入知识库" not in buttons(sent) and buttons(sent)["📄 订单详情"] == payload("staff.order.detail",
                                                                                             order.number)
    answer = texts(await w.pushed(DEALER))
    assert "另开一张补单给您" in answer


async def test_the_order_desks_today_lists_the_questions_about_orders_it_may_answer() -> None:
    w, dealer = await world()
    order = await w.order(dealer, [("AP300", 10)], to="approved")
    said = await w.say(DEALER, f"{order.number} 再加两台AP300")
    await w.press(DEALER, buttons(said)["📝 请订单台处理"])
    # a general question: the FAQ keepers', not the desk's
    await w.uow.staff_questions.add(StaffQuestion(channel="t", chat_id=DEALER, question="你们的售后电话是多少",
                                                  request_key="general", asked_by="d", dealer_id=dealer.id))
    await w.uow.commit()
    today = texts(await w.say(DESK, "/today"))
    assert "待答复咨询：1" in today and order.number in today
    listing = await w.press(DESK, payload("q.questions", 0))
    assert order.number in texts(listing) and "售后电话" not in texts(listing)
    answer = next(p for p in buttons(listing).values() if "faq.ans" in p)
    asked = await w.press(DESK, answer)
    assert "再加两台AP300" in texts(asked)
    await w.say(DESK, "已加到明天发货的单里")
    assert "已加到明天发货的单里" in texts(await w.pushed(DEALER))
    assert "待答复咨询：0" in texts(await w.say(DESK, "/today"))


async def test_a_new_delivery_date_for_the_order_named_by_its_last_digits() -> None:
    """"0001那单我想把交货日期改到下周五" (was: the date set on an open cart, or the order's status)."""
    from datetime import date

    w, dealer = await world()
    first = await w.order(dealer, [("AP300", 2)])
    await w.order(dealer, [("DH20", 1)])                              # placed later: not the one meant
    shown = await w.say(DEALER, f"{first.number[-4:]}那单我想把交货日期改到12月10号")
    assert f"修改订单 {first.number}" in texts(shown) and "交货日期已设为 2026-12-10" in texts(shown)
    await w.press(DEALER, buttons(shown)["✅ 确认修改"])
    stored = await w.uow.orders.get_by(number=first.number)
    assert stored is not None and stored.requested_delivery == date(2026, 12, 10)


async def test_who_may_answer_a_question_about_an_order() -> None:
    from core.faq import StaffQuestion
    from core.services.faq import may_answer
    from tests.factories import staff
    about = StaffQuestion(channel="t", chat_id="1", question="q", request_key="k", asked_by="d", about_order="SO-1")
    general = StaffQuestion(channel="t", chat_id="1", question="q", request_key="k2", asked_by="d")
    desk, cm, after_sales = staff(Role.ORDER_DESK), staff(Role.CHANNEL_MANAGER), staff(Role.AFTER_SALES)
    assert may_answer(desk, about) and may_answer(cm, about) and not may_answer(after_sales, about)
    assert not may_answer(desk, general) and may_answer(cm, general)


@pytest.mark.parametrize("said", ["确认修改", "✅ 确认修改", "好的 确认修改", "确定修改"])
async def test_confirm_change_typed_does_what_the_button_does(said: str) -> None:
    """QA s27 P5 (was: "没认出要订的产品", the order left at 6 and the change cart hanging)."""
    w, dealer = await world()
    order = await w.order(dealer, [("DH20", 6)])
    shown = await w.say(DEALER, "刚才那单能改成10台吗")
    assert "✅ 确认修改" in buttons(shown)
    done = await w.say(DEALER, said)
    assert f"订单 {order.number} 已修改" in texts(done) and "没认出" not in texts(done)
    stored = await w.uow.orders.get_by(number=order.number)
    assert stored is not None and [(ln.sku, ln.qty) for ln in stored.lines] == [("DH20", 10)]
    assert stored.version == order.version + 1


async def test_confirm_change_typed_after_the_order_was_approved_is_refused_as_the_button_is() -> None:
    w, dealer = await world()
    order = await w.order(dealer, [("DH20", 6)])
    await w.say(DEALER, "刚才那单能改成10台吗")
    await w.press(DESK, payload("staff.order.approve", order.number, order.version))
    stored = await w.uow.orders.get_by(number=order.number)
    assert stored is not None and stored.status == OrderStatus.APPROVED
    done = await w.say(DEALER, "确认修改")
    assert "已修改" not in texts(done) or "不能" in texts(done)
    stored = await w.uow.orders.get_by(number=order.number)
    assert stored is not None and [(ln.sku, ln.qty) for ln in stored.lines] == [("DH20", 6)]
