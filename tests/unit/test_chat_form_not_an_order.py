"""A form's free answer never swallows an order: "淨化器AP300 來二十台" typed while the after-sales form asks for the
serial number is offered as an order (one tap puts it in the cart), not stored as the serial or the customer's
name; an ordinary answer still goes on."""

from __future__ import annotations

from core.users import Role
from tests.chat import ChatWorld, buttons, texts


async def world() -> ChatWorld:
    w = ChatWorld()
    await w.catalogue()
    dealer = await w.dealer(name="成都瑞丰电器有限公司")
    await w.prepay(dealer)
    await w.user("100", Role.DEALER_OWNER, dealer)
    w.parse_offline()
    return w


async def test_an_order_typed_into_a_form_is_offered_as_an_order_not_taken_as_the_answer() -> None:
    w = await world()
    assert "售后" in texts(await w.say("100", "AP300一台 开不了机"))
    replies = await w.say("100", "淨化器AP300 來二十台")
    assert "像是在下单" in texts(replies) and "AP300 ×20" in texts(replies), texts(replies)
    order = next(p for label, p in buttons(replies).items() if "AP300" in label)
    assert "AP300" in order and "20" in order
    cart = await w.press("100", order)
    assert "AP300" in texts(cart) and "20" in texts(cart), texts(cart)


async def test_an_ordinary_answer_is_still_taken() -> None:
    w = await world()
    await w.say("100", "AP300一台 开不了机")
    replies = await w.say("100", "SN20261101")
    assert "像是在下单" not in texts(replies) and "客户姓名" in texts(replies), texts(replies)
