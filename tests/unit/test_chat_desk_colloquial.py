"""The order desk's decisions in everyday words, and an order named by the end of its number (chat-desk #1, #2):
"0002没啥问题 批了吧" approves the waiting order ending 0002 after a confirm (was: 代客下单 started and took the
next message), "0004先别批 价格不对" asks to confirm the rejection with that reason (was: a price answer), an order
past the dealer's credit still needs 超额度通过, and "0002" alone opens that order (was: 代客下单, "12" the menu)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.orders import OrderStatus
from core.users import Role
from handlers.router import payload
from tests.chat import ChatWorld, buttons, texts

DESK, OWNER, OTHER = "300", "101", "102"


async def _world(orders: int = 3, *, funded: bool = True) -> tuple[ChatWorld, list[str]]:
    w = ChatWorld()
    await w.catalogue()
    dealer = await w.dealer(name="合肥新锐电器有限公司", credit_limit=Decimal("0.00"))
    await w.user(OWNER, Role.DEALER_OWNER, dealer)
    await w.user(DESK, Role.ORDER_DESK, username="desk")
    if funded:
        await w.prepay(dealer)
    numbers = [(await w.order(dealer, [("AP300", n + 1)])).number for n in range(orders)]
    return w, numbers


async def _status(w: ChatWorld, number: str) -> OrderStatus:
    order = await w.uow.orders.get_by(number=number)
    assert order is not None
    return order.status


def _never_an_order(said: str) -> None:
    assert "代客下单" not in said and "经销商编号或名称" not in said and "价格" not in said.split("\n")[0], said


@pytest.mark.parametrize("words", ["{tail}没啥问题 批了吧", "尾号{tail}的通过", "{tail}没什么问题，可以", "{tail} ok"])
async def test_colloquial_approval_of_a_number_end_confirms_then_approves_that_order(words: str) -> None:
    w, numbers = await _world()
    said = words.format(tail=numbers[1][-4:])
    asked = await w.say(DESK, said)
    shown = texts(asked)
    assert "确认通过" in shown and numbers[1] in shown, (said, shown)
    _never_an_order(shown)
    assert {await _status(w, n) for n in numbers} == {OrderStatus.SUBMITTED}      # nothing before the press
    await w.press(DESK, buttons(asked)["✅ 通过"])
    assert await _status(w, numbers[1]) == OrderStatus.APPROVED
    assert {await _status(w, n) for n in (numbers[0], numbers[2])} == {OrderStatus.SUBMITTED}
    # the next message is no dealer's name for a form
    after = texts(await w.say(DESK, "待审批"))
    assert numbers[0] in after and "经销商编号或名称" not in after


async def test_the_whole_number_said_ok_is_its_approval() -> None:
    w, numbers = await _world()
    asked = await w.say(DESK, f"{numbers[2]} ok")
    assert "确认通过" in texts(asked) and numbers[2] in texts(asked)
    await w.press(DESK, buttons(asked)["✅ 通过"])
    assert await _status(w, numbers[2]) == OrderStatus.APPROVED


async def test_this_order_fine_ship_it_after_its_card_approves_it() -> None:
    w, numbers = await _world()
    await w.say(DESK, f"看下{numbers[0]}")
    asked = await w.say(DESK, "这单可以 发吧")
    assert "确认通过" in texts(asked) and numbers[0] in texts(asked), texts(asked)
    await w.press(DESK, buttons(asked)["✅ 通过"])
    assert await _status(w, numbers[0]) == OrderStatus.APPROVED


@pytest.mark.parametrize("words", ["{tail}先别批 价格不对", "{number} 先别批 价格不对", "{tail}不行 价格不对"])
async def test_colloquial_rejection_with_a_reason_asks_to_confirm_it_with_that_reason(words: str) -> None:
    w, numbers = await _world()
    said = words.format(tail=numbers[1][-4:], number=numbers[1])
    asked = await w.say(DESK, said)
    shown = texts(asked)
    assert "确认驳回" in shown and "原因：价格不对" in shown and numbers[1] in shown, (said, shown)
    _never_an_order(shown)
    assert await _status(w, numbers[1]) == OrderStatus.SUBMITTED
    await w.press(DESK, buttons(asked)["❌ 确认驳回"])
    order = await w.uow.orders.get_by(number=numbers[1])
    assert order is not None and order.status == OrderStatus.REJECTED
    assert await _status(w, numbers[0]) == OrderStatus.SUBMITTED


async def test_not_approved_said_of_a_number_is_never_its_approval() -> None:
    w, numbers = await _world()
    shown = texts(await w.say(DESK, f"{numbers[0]} 不通过"))
    assert "确认通过" not in shown and "驳回" in shown, shown


async def test_an_order_past_the_credit_limit_still_needs_approve_over_limit() -> None:
    w, numbers = await _world(1, funded=False)
    asked = await w.say(DESK, f"{numbers[0][-4:]}没啥问题 批了吧")
    assert "确认通过" in texts(asked)
    over = await w.press(DESK, buttons(asked)["✅ 通过"])
    assert "⚠️ 超额度通过" in buttons(over), texts(over)
    assert await _status(w, numbers[0]) == OrderStatus.SUBMITTED
    await w.press(DESK, buttons(over)["⚠️ 超额度通过"])
    assert await _status(w, numbers[0]) == OrderStatus.APPROVED


async def test_a_decision_typed_while_the_on_behalf_form_waits_for_a_dealer_is_the_decision() -> None:
    w, numbers = await _world()
    await w.press(DESK, payload("staff.onbehalf"))
    asked = await w.say(DESK, f"{numbers[1][-4:]}没问题")
    assert "确认通过" in texts(asked) and numbers[1] in texts(asked), texts(asked)
    await w.press(DESK, buttons(asked)["✅ 通过"])
    assert await _status(w, numbers[1]) == OrderStatus.APPROVED


# --- #2: an order named by its number's end alone ----------------------------------------------------

@pytest.mark.parametrize("words", ["{tail}", "看下{tail}", "尾号{tail}的单"])
async def test_the_end_of_a_number_alone_opens_that_order(words: str) -> None:
    w, numbers = await _world()
    shown = texts(await w.say(DESK, words.format(tail=numbers[2][-4:])))
    assert numbers[2] in shown and "合肥新锐" in shown and "✅ 通过" in shown, shown
    _never_an_order(shown)
    stored = await w.uow.dialogs.get_by(channel=w.channel, chat_id=DESK)
    assert stored is None or not (stored.state or "").startswith("order")


async def test_a_number_end_of_several_orders_asks_which() -> None:
    w, numbers = await _world(1)
    other = await w.dealer(name="杭州嘉禾家电有限公司")
    await w.prepay(other)
    # the same number end on another day
    second = await w.order(other, [("AP300", 1)])
    stored = await w.uow.orders.get_by(number=second.number)
    assert stored is not None
    stored.number = "SO-20261120-" + numbers[0][-4:]
    await w.uow.commit()
    shown = await w.say(DESK, numbers[0][-4:])
    assert "请选择" in texts(shown) and len(buttons(shown)) == 2, texts(shown)


async def test_a_number_end_no_order_has_is_said_so() -> None:
    w, _ = await _world()
    shown = texts(await w.say(DESK, "9999"))
    assert "没有找到单号尾号为 9999 的订单" in shown
    _never_an_order(shown)


# --- the 代客下单 form's "which dealer?" step lets other requests through ----------------------------------

@pytest.mark.parametrize(("words", "answered"), [("待发货", "发货"), ("合肥新锐的余额", "合肥新锐")])
async def test_another_request_at_the_on_behalf_dealer_step_leaves_the_form_and_is_answered(words: str,
                                                                                          answered: str) -> None:
    """(was: "没有找到经销商“待审批”", every next message taken as a dealer's name)"""
    w, numbers = await _world()
    await w.press(DESK, payload("staff.onbehalf"))
    shown = texts(await w.say(DESK, words.format(number=numbers[0])))
    assert "没有找到经销商" not in shown and answered in shown, shown
    assert "代客下单已退出" in shown
    stored = await w.uow.dialogs.get_by(channel=w.channel, chat_id=DESK)
    assert stored is not None and stored.state != "order.dealer"


async def test_a_dealer_name_not_found_at_the_on_behalf_step_is_asked_again() -> None:
    w, _ = await _world()
    await w.press(DESK, payload("staff.onbehalf"))
    assert "没有找到经销商“华信”" in texts(await w.say(DESK, "华信"))
    assert "为 " in texts(await w.say(DESK, "合肥新锐"))


async def test_an_order_decided_at_the_on_behalf_dealer_step_says_the_form_still_waits() -> None:
    w, numbers = await _world()
    await w.press(DESK, payload("staff.onbehalf"))
    shown = texts(await w.say(DESK, f"{numbers[0]} 驳回 价格不对"))
    assert "确认驳回" in shown and "代客下单还在等您输入经销商编号或名称" in shown, shown


async def test_a_bare_short_number_from_the_desk_never_starts_an_order_for_a_dealer() -> None:
    w, numbers = await _world()
    shown = texts(await w.say(DESK, "12"))
    assert "代客下单" not in shown and "尾号为 0012" in shown, shown
    shown = texts(await w.say(DESK, str(int(numbers[1][-4:]))))
    assert numbers[1] in shown, shown


# --- an order found by its dealer's name -------------------------------------------------------------------

@pytest.mark.parametrize("words", ["杭州嘉禾的单子", "看下杭州嘉禾的订单", "杭州嘉禾的订单到哪了"])
async def test_a_dealers_name_with_orders_lists_that_dealers_orders(words: str) -> None:
    """(was: every dealer's orders, and "看下…的订单" asked whether to cancel one)"""
    w, numbers = await _world(2)
    other = await w.dealer(name="杭州嘉禾家电有限公司")
    await w.prepay(other)
    theirs = await w.order(other, [("DH20", 1)])
    shown = texts(await w.say(DESK, words))
    assert theirs.number in shown and numbers[0] not in shown and numbers[1] not in shown, shown
    assert "取消" not in shown


async def test_order_words_that_name_no_dealer_go_on_as_before() -> None:
    w, numbers = await _world(2)
    shown = texts(await w.say(DESK, "今天的订单"))
    assert "没有找到经销商" not in shown


# --- "这单发货 …" under an order's card ----------------------------------------------------------------------

async def test_this_order_shipped_with_a_waybill_under_its_card_asks_to_confirm_then_ships_it() -> None:
    """(was: every order listed)"""
    w, numbers = await _world(1)
    dealer = (await w.uow.dealers.list())[0]
    allocated = await w.order(dealer, [("AP300", 2)], to="allocated")
    await w.say(DESK, f"看下{allocated.number}")
    asked = await w.say(DESK, "这单发货 顺丰 SF998877")
    shown = texts(asked)
    assert "确认发货" in shown and allocated.number in shown and "SF998877" in shown, shown
    await w.press(DESK, buttons(asked)["✅ 确认发货"])
    assert await _status(w, allocated.number) == OrderStatus.SHIPPED
    assert await _status(w, numbers[0]) == OrderStatus.SUBMITTED


async def test_this_order_shipped_before_it_is_allocated_says_why_not() -> None:
    w, _ = await _world(0)
    dealer = (await w.uow.dealers.list())[0]
    approved = await w.order(dealer, [("AP300", 2)], to="approved")
    await w.say(DESK, f"看下{approved.number}")
    shown = texts(await w.say(DESK, "这单发货 顺丰 SF998877"))
    assert "不能发货" in shown and approved.number in shown, shown


async def test_this_order_shipped_with_nothing_shown_asks_which() -> None:
    w, _ = await _world(1)
    shown = texts(await w.say(DESK, "这单发货 顺丰 SF998877"))
    assert "是哪一单" in shown, shown


# --- the reject reason step lets another order's decision through -------------------------------------------

async def test_another_orders_approval_typed_at_the_reject_reason_step_rejects_nothing() -> None:
    """❌ 驳回 pressed on one order, then "0003没问题" (was: the first order rejected, "0003没问题" its reason)."""
    w, numbers = await _world()
    asked = await w.press(DESK, payload("staff.order.reject", numbers[0]))
    assert "原因" in texts(asked)
    shown = texts(await w.say(DESK, f"{numbers[2][-4:]}没问题"))
    assert "确认通过" in shown and numbers[2] in shown and "驳回已放弃" in shown, shown
    assert {await _status(w, n) for n in numbers} == {OrderStatus.SUBMITTED}


async def test_a_reason_typed_at_the_reject_reason_step_is_the_reason() -> None:
    w, numbers = await _world()
    await w.press(DESK, payload("staff.order.reject", numbers[0]))
    await w.say(DESK, "价格不对，请按新价目表重新下单")
    assert await _status(w, numbers[0]) == OrderStatus.REJECTED


async def test_an_order_named_at_the_waybill_step_ships_nothing() -> None:
    """🚚 发货 → 顺丰 → "0002" (was: shipped with waybill number "0002")."""
    w, numbers = await _world(2)
    dealer = (await w.uow.dealers.list())[0]
    allocated = await w.order(dealer, [("AP300", 2)], to="allocated")
    await w.press(DESK, payload("staff.ship.carrier", allocated.number, 0))
    shown = texts(await w.say(DESK, numbers[1][-4:]))
    assert numbers[1] in shown and "发货已放弃" in shown, shown
    assert await _status(w, allocated.number) == OrderStatus.ALLOCATED
    # a waybill number is still the waybill number
    await w.press(DESK, payload("staff.ship.carrier", allocated.number, 0))
    await w.say(DESK, "SF1234567890")
    assert await _status(w, allocated.number) == OrderStatus.SHIPPED
