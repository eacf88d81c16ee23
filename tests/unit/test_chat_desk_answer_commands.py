"""The order desk answering a dealer's question (待答复咨询, state ``faq.answer``) types an order number or a desk
command instead of the answer: it is not sent to the dealer (was: "SO-… " went to the dealer as the answer)."""

from __future__ import annotations

from core.dealers import Dealer
from core.users import Role
from tests.chat import ChatWorld, buttons, texts

DEALER, DESK = "100", "900"


async def _asked() -> tuple[ChatWorld, Dealer, str]:
    w = ChatWorld()
    await w.catalogue()
    dealer = await w.dealer(name="上海华信电器有限公司")
    await w.prepay(dealer)
    await w.user(DEALER, Role.DEALER_OWNER, dealer)
    await w.user(DESK, Role.ORDER_DESK, username="desk")
    order = await w.order(dealer, [("AP300", 10)], to="approved")
    said = await w.say(DEALER, f"{order.number} 再加两台AP300")
    await w.press(DEALER, buttons(said)["📝 请订单台处理"])
    asked = await w.pushed(DESK)
    answering = await w.press(DESK, buttons(asked)["✍️ 回复"])
    assert "请输入给" in texts(answering)
    w.forget_pushes()
    return w, dealer, order.number


async def test_an_order_number_alone_is_looked_up_not_sent_to_the_dealer() -> None:
    w, dealer, number = await _asked()
    other = await w.order(dealer, [("DH20", 1)])
    shown = await w.say(DESK, other.number)
    assert not await w.pushed(DEALER), "an order number was sent to the dealer as the answer"
    said = texts(shown)
    assert "答复已发送" not in said and "没有发给" in said and "DH20" in said     # the order card: looked up
    assert "✍️ 回复" in buttons(shown)              # the way back to the answer
    question = (await w.uow.staff_questions.list())[0]
    assert question.answer in (None, "")
    back = await w.press(DESK, buttons(shown)["✍️ 回复"])
    assert "请输入给" in texts(back)
    await w.say(DESK, "已加到明天发货的单里")
    assert "已加到明天发货的单里" in texts(await w.pushed(DEALER))


async def test_a_desk_command_asks_before_it_goes_to_the_dealer() -> None:
    w, _, number = await _asked()
    shown = await w.say(DESK, f"{number} 驳回")
    assert not await w.pushed(DEALER), "a desk command was sent to the dealer as the answer"
    assert "答复已发送" not in texts(shown) and "作为答复发送" in texts(shown)
    sent = await w.press(DESK, buttons(shown)["📤 作为答复发送"])
    assert "答复已发送" in texts(sent)
    assert f"{number} 驳回" in texts(await w.pushed(DEALER))


async def test_a_plain_answer_is_still_sent() -> None:
    w, _, number = await _asked()
    sent = await w.say(DESK, f"{number} 明天发货，另开一张补单给您")
    assert "答复已发送" in texts(sent)
    assert "另开一张补单给您" in texts(await w.pushed(DEALER))
