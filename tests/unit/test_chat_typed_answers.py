"""A question the bot asked with buttons, answered in words (QA s28 #2, #3, #17): "是的", "确定", "yes cancel it",
"是的 不要了" or the confirming button's own label ("放弃购物车") under a yes/no card press that card's yes, for that
card's subject, in either language; a bare "是的" under a "which one?" list asks which again (was: the FAQ's "没有找到
相关的答案"). And a question left open is dropped by a menu tap or by words about another product (QA s28 #1): a
resolved DH20 ticket is never reopened with an AP300 fault."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.aftersales import TicketStatus
from core.orders import OrderStatus
from handlers.router import payload
from tests.chat import ChatWorld, buttons, texts
from tests.unit.test_chat_orders import DEALER_CHAT, world
from tests.unit.test_chat_ticket_reopen import _ticket
from tests.unit.test_chat_ticket_reopen import _world as reopen_world


async def _status(w: ChatWorld, number: str) -> OrderStatus:
    stored = await w.uow.orders.get_by(number=number)
    assert stored is not None
    return stored.status


@pytest.mark.parametrize("yes", ["确定", "是的", "对", "是的 不要了", "ok", "确认取消", "好的，取消吧"])
async def test_a_typed_yes_under_the_cancel_card_cancels_that_order_and_no_other(yes: str) -> None:
    w, dealer = await world()
    meant = await w.order(dealer, [("AP300", 2)])
    placed = await w.say(DEALER_CHAT, "我要DH20 3台")                 # a cart, then its order placed in the chat
    confirmed = await w.press(DEALER_CHAT, buttons(placed)["✅ 确认下单"])
    latest = next(o for o in await w.uow.orders.list() if o.number != meant.number)
    assert latest.number in texts(confirmed)
    asked = await w.say(DEALER_CHAT, f"取消 {meant.number}")
    assert f"确认取消订单 {meant.number}" in texts(asked)
    done = await w.say(DEALER_CHAT, yes)
    assert f"订单 {meant.number} 已取消" in texts(done), texts(done)
    assert latest.number not in texts(done)                           # was: "订单 <the latest> 已经提交了…无需再确认"
    assert await _status(w, meant.number) == OrderStatus.CANCELLED
    assert await _status(w, latest.number) == OrderStatus.SUBMITTED


@pytest.mark.parametrize("yes", ["yes", "yes cancel it", "Yes, cancel it.", "ok", "sure, go ahead"])
async def test_a_typed_yes_in_english_under_the_cancel_card_cancels_it(yes: str) -> None:
    w, dealer = await world()
    order = await w.order(dealer, [("AP300", 2)])
    await w.order(dealer, [("F300", 5)])
    await w.say(DEALER_CHAT, "/lang en")
    picked = await w.say(DEALER_CHAT, "cancel it, we dont need it anymore")
    assert "Which order do you want to cancel?" in texts(picked)
    asked = await w.press(DEALER_CHAT, payload("orders.cancel", order.number))
    assert f"Cancel order {order.number}" in texts(asked)
    done = await w.say(DEALER_CHAT, yes)
    assert f"Order {order.number} is cancelled" in texts(done), texts(done)    # was: a sell-out report, or the list
    assert await _status(w, order.number) == OrderStatus.CANCELLED


async def test_a_yes_under_the_which_order_list_asks_which_again() -> None:
    w, dealer = await world()
    first = await w.order(dealer, [("AP300", 2)])
    second = await w.order(dealer, [("F300", 5)])
    picked = await w.say(DEALER_CHAT, "我要取消订单")
    assert "请选择要取消的订单" in texts(picked)
    again = await w.say(DEALER_CHAT, "是的")
    assert "知识库" not in texts(again)                                  # was: the FAQ's "没有找到相关的答案"
    assert "要选哪一个" in texts(again) and "请选择要取消的订单" in texts(again)
    assert buttons(again) == buttons(picked)
    asked = await w.say(DEALER_CHAT, "对")                                # still the list: asked again, nothing done
    assert "要选哪一个" in texts(asked)
    assert {await _status(w, first.number), await _status(w, second.number)} == {OrderStatus.SUBMITTED}


async def test_a_card_shown_long_ago_asks_nothing_any_more() -> None:
    w, dealer = await world()
    order = await w.order(dealer, [("AP300", 2)])
    await w.say(DEALER_CHAT, f"取消 {order.number}")
    dialog = await w.uow.dialogs.get_by(channel=w.channel, chat_id=DEALER_CHAT)     # the card was shown yesterday
    assert dialog is not None and dialog.updated_at is not None
    dialog.updated_at -= timedelta(days=1)
    await w.say(DEALER_CHAT, "好的")
    assert await _status(w, order.number) == OrderStatus.SUBMITTED


@pytest.mark.parametrize("yes", ["放弃购物车", "🗑 放弃购物车", "是的 不要了", "ok", "对 清空吧"])
async def test_the_drop_button_typed_or_a_yes_under_the_clear_cart_card_empties_the_cart(yes: str) -> None:
    w, _ = await world()
    await w.say(DEALER_CHAT, "AP300 10台")
    await w.say(DEALER_CHAT, "DH20 5台")
    asked = await w.say(DEALER_CHAT, "清空购物车")
    assert "清空购物车（2 个商品）" in texts(asked)
    dropped = await w.say(DEALER_CHAT, yes)
    assert "清空购物车（2 个商品）" not in texts(dropped) and "购物车会保留" not in texts(dropped), texts(dropped)
    shown = await w.say(DEALER_CHAT, "看下购物车")
    assert "购物车是空的" in texts(shown), texts(shown)


async def test_a_menu_tap_drops_the_reopen_question_and_another_product_starts_a_new_repair() -> None:
    w, dealer_id = await reopen_world()
    ticket = await _ticket(w, dealer_id, "DH20")
    asked = await w.say("100", "那台除湿机客户说还是不行")
    assert f"工单 {ticket.number}" in texts(asked) and "还没解决" in texts(asked)
    await w.say("100", "/menu")                                          # the chat opened again: the greeting
    await w.press("100", payload("stock.menu"))                          # 🏭 查库存 tapped on it
    told = await w.say("100", "我们店里有个客户买的AP300屏幕不亮")
    assert "已重新打开" not in texts(told), texts(told)
    stored = await w.uow.tickets.get_by(number=ticket.number)
    assert stored is not None and stored.status == TicketStatus.RESOLVED
    assert all("AP300" not in c.text for c in stored.comments)


@pytest.mark.parametrize(("said", "started"), [("我们店里有个客户买的AP300屏幕不亮", "售后报修"),     # a new repair
                                              ("AP300 这批到了5台 有3台开机噪音特别大 批号B2411-07", "质量反馈")])
async def test_another_product_typed_at_the_reopen_question_is_no_reason_to_reopen(said: str, started: str) -> None:
    w, dealer_id = await reopen_world()
    ticket = await _ticket(w, dealer_id, "DH20")
    await w.say("100", "那台除湿机客户说还是不行")
    told = await w.say("100", said)
    assert "已重新打开" not in texts(told), texts(told)
    assert started in texts(told) and "AP300" in texts(told), texts(told)
    stored = await w.uow.tickets.get_by(number=ticket.number)
    assert stored is not None and stored.status == TicketStatus.RESOLVED
    # the same product's words are still the reason, as the question says
    w2, dealer2 = await reopen_world()
    again = await _ticket(w2, dealer2, "DH20")
    await w2.say("100", "那台除湿机客户说还是不行")
    done = await w2.say("100", "DH20 换了水泵还是不出水")
    assert f"工单 {again.number} 已重新打开" in texts(done)


async def test_still_failing_words_about_another_product_offer_no_ticket_of_a_different_one() -> None:
    w, dealer_id = await reopen_world()
    await _ticket(w, dealer_id, "DH20")
    told = await w.say("100", "那台AP300客户说还是不亮")
    assert "还没解决" not in texts(told) and "重新打开" not in texts(told), texts(told)
