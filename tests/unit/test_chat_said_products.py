"""A fault or quality problem told with a word of several products ("滤网有股怪味" with two filters, "除湿机不出水" with
three): the form's product step offers those products first, not the whole catalogue by category."""

from __future__ import annotations

from decimal import Decimal

from core.users import Role
from tests.chat import ChatWorld, buttons, texts
from tests.factories import make_product

DEALER_CHAT = "100"


async def world() -> ChatWorld:
    w = ChatWorld()
    rows = [("FL-300", "AP300 HEPA 复合滤网", "滤网耗材"), ("FL-500", "AP500 除醛复合滤网", "滤网耗材")]
    rows += [(f"DH{n}", f"除湿机 DH{n}", "除湿机") for n in (12, 20, 50)]
    rows += [(f"AP{n}", f"空气净化器 AP{n}", "空气净化器") for n in (100, 200, 300, 500, 800)]
    for sku, name, category in rows:
        await w.uow.products.add(make_product(sku, name=name, category=category, list_price=Decimal("99.00")))
    await w.uow.commit()
    dealer = await w.dealer(name="杭州嘉禾商贸")
    await w.user(DEALER_CHAT, Role.DEALER_OWNER, dealer)
    return w


async def test_a_quality_problem_with_a_word_of_two_filters_offers_the_two() -> None:
    w = await world()
    replies = await w.say(DEALER_CHAT, "滤网有股怪味，好几个客户都说了")
    offered = [label for label in buttons(replies) if "FL-" in label]
    assert "质量反馈" in texts(replies) and len(offered) == 2, buttons(replies)     # was: ten products' categories
    await w.press(DEALER_CHAT, buttons(replies)[offered[1]])
    stored = await w.uow.dialogs.get_by(channel=w.channel, chat_id=DEALER_CHAT)
    assert stored is not None and stored.data.get("sku") == "FL-500"


async def test_a_fault_with_a_word_of_three_dehumidifiers_offers_the_three() -> None:
    w = await world()
    replies = await w.say(DEALER_CHAT, "除湿机不出水")
    labels = buttons(replies)
    assert "售后" in texts(replies) and sum("DH" in label for label in labels) == 3, labels
    assert not any("AP" in label for label in labels)
