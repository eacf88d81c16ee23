"""Receipt claims (QA s28): a product named that is not on the order is named back, the claim's lines read in an
English dealer's language, and the order desk finds the open claims in its own words."""

from __future__ import annotations

import pytest

from tests.chat import buttons, texts
from tests.unit.test_chat_receipt_claims import DEALER, DESK, own, world


async def test_a_product_named_in_the_claim_that_is_not_on_the_order_is_named_back() -> None:
    """(was: the DH20 line silently left out of the card and the claim)"""
    w, dealer = await world()
    order = await w.order(dealer, [("AP300", 10), ("F300", 5)], to="shipped")
    card = own(await w.say(DEALER, f"{order.number} 收到了 但是AP300少了2台 还有一台DH20外箱破了"))
    shown = texts(card)
    assert "空气净化器AP300（AP300）少货 ×2" in shown
    assert "DH20 不在这张订单上" in shown


async def test_the_claim_lines_read_in_english_for_an_english_dealer() -> None:
    """(was: "Delivery problem: partial; AP300 少货 ×2; …" on the order's card)"""
    w, dealer = await world()
    order = await w.order(dealer, [("AP300", 10), ("DH20", 8)], to="shipped")
    await w.say(DEALER, "/lang en")
    card = own(await w.say(DEALER, f"{order.number} received but 2 AP300 missing and one DH20 box damaged"))
    assert "missing x2" in texts(card)
    own(await w.press(DEALER, buttons(card)["✅ Record it and tell the order desk"]))
    detail = texts(own(await w.press(DEALER, f"1|orders.detail|{order.number}")))
    assert "AP300 missing x2" in detail and "DH20 damaged x1" in detail
    assert "少货" not in detail and "破损" not in detail


@pytest.mark.parametrize("asked", ["收货异常", "少货的单", "有哪些收货问题", "receipt claims"])
async def test_the_order_desk_finds_the_open_receipt_claims_in_its_own_words(asked: str) -> None:
    """(was: "这句话像是经销商自己账户里的操作" / "我没有听懂"; the claims only under 待答复咨询)"""
    w, dealer = await world()
    order = await w.order(dealer, [("AP300", 10), ("DH20", 8)], to="shipped")
    card = own(await w.say(DEALER, f"{order.number} 收到了 但是AP300少了2台 还有一台DH20外箱破了"))
    own(await w.press(DEALER, buttons(card)["✅ 确认登记并转订单台"]))
    question = (await w.uow.staff_questions.list())[0]
    listed = own(await w.say(DESK, asked))
    shown = texts(listed)
    assert order.number in shown and dealer.code in shown
    assert ("AP300 少货 ×2" in shown and "DH20 破损 ×1" in shown) or ("AP300 missing x2" in shown
                                                                      and "DH20 damaged x1" in shown)
    assert f"1|faq.ans|{question.id}" in buttons(listed).values()
    assert f"1|staff.order.detail|{order.number}" in buttons(listed).values()


async def test_a_dealer_asking_for_receipt_claims_is_not_shown_the_desk_list() -> None:
    w, dealer = await world()
    replies = own(await w.say(DEALER, "收货异常"))
    assert "待处理的收货异常" not in texts(replies)
