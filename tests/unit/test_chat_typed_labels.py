"""A main-menu button's label typed is that button pressed ("今日待办", "返利审批", "额度申请", "📦 我的订单"), in a
form too: the form is left for it (was: "没有找到经销商“今日待办”" from a payment form left open, "我没有听懂这句话",
"此功能仅供经销商用户使用"); an open cart is kept."""

from __future__ import annotations

import pytest

from core.users import Role
from tests.chat import ChatWorld, buttons, texts

FINANCE, CHANNEL, DEALER = "900", "901", "100"


async def _world() -> ChatWorld:
    w = ChatWorld()
    await w.catalogue()
    dealer = await w.dealer(name="上海华信电器有限公司")
    await w.user(DEALER, Role.DEALER_OWNER, dealer)
    await w.user(FINANCE, Role.FINANCE, username="wu")
    await w.user(CHANNEL, Role.CHANNEL_MANAGER, username="wang")
    return w


@pytest.mark.parametrize(("chat", "typed", "shown"), [
    (FINANCE, "今日待办", "今日待办（"),
    (FINANCE, "📋 今日待办", "今日待办（"),
    (FINANCE, "返利审批", "没有待审批的返利结算"),
    (CHANNEL, "额度申请", "额度申请"),
    (DEALER, "我的订单", "您还没有订单"),
])
async def test_a_menu_label_typed_is_the_button(chat: str, typed: str, shown: str) -> None:
    w = await _world()
    assert shown in texts(await w.say(chat, typed))


async def test_a_label_typed_in_a_form_leaves_it_and_a_cart_is_kept() -> None:
    w = await _world()
    await w.say(FINANCE, "记一笔回款")                             # the payment form waits for a dealer
    today = texts(await w.say(FINANCE, "今日待办"))
    assert "今日待办（" in today and "没有找到经销商" not in today
    assert "没有找到经销商" not in texts(await w.say(FINANCE, "返利审批"))   # the form was left
    await w.say(DEALER, "AP300 来两台")
    await w.say(DEALER, "我的订单")
    assert "AP300" in texts(await w.say(DEALER, "购物车"))


@pytest.mark.parametrize("asked", ["看下购物车", "我的购物车", "购物车里有啥", "show my cart"])
async def test_the_cart_asked_for_is_shown_and_no_cart_says_so(asked: str) -> None:
    """(was: "没认出要订的产品" with a cart open, the latest order, or "我没太明白")"""
    w = await _world()
    empty = texts(await w.say(DEALER, asked))
    assert "购物车是空的" in empty or "cart is empty" in empty
    await w.say(DEALER, "AP300 来两台")
    shown = texts(await w.say(DEALER, asked))
    assert "AP300" in shown and ("2台" in shown or "x 2" in shown or "2 台" in shown or "×" in shown)
    assert "没认出" not in shown and "最近的一笔订单" not in shown


async def test_cancel_with_goods_in_the_cart_asks_before_dropping_it() -> None:
    """"取消" after "购物车会保留" (was: the cart dropped in silence)."""
    w = await _world()
    await w.say(DEALER, "AP300 来两台")
    asked = await w.say(DEALER, "取消")
    assert "要放弃购物车吗" in texts(asked)
    await w.press(DEALER, buttons(asked)["🛒 查看购物车（1）"])
    assert "AP300" in texts(await w.say(DEALER, "看下购物车"))
    dropped = await w.press(DEALER, buttons(await w.say(DEALER, "取消"))["🗑 放弃购物车"])
    assert "购物车是空的" in texts(await w.say(DEALER, "看下购物车")) and dropped
