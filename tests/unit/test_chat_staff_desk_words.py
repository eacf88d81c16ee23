"""The order desk's (and other staff's) words about the screen just shown (QA s25 #1, #10, #11, #20, #12, #13):
a button's label typed is that button pressed; "这单批了吧" approves the order just viewed (a confirm first), never
cancels; "SO-… 驳回" asks for the reason; the warehouse choice lets a question or another command through."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from core.aftersales import Ticket, TicketStatus
from core.inventory import StockLevel
from core.money import fmt_cny
from core.orders import OrderStatus
from core.users import Role
from handlers.router import payload
from tests.chat import ChatWorld, buttons, texts
from tests.factories import make_warehouse

DESK, AFTER_SALES, FINANCE, OWNER = "300", "302", "306", "101"


async def _world(orders: int = 2) -> tuple[ChatWorld, list[str]]:
    w = ChatWorld()
    await w.catalogue()
    dealer = await w.dealer(name="合肥新锐电器有限公司")
    await w.user(OWNER, Role.DEALER_OWNER, dealer)
    await w.user(DESK, Role.ORDER_DESK, username="desk")
    await w.user(AFTER_SALES, Role.AFTER_SALES, username="aftersales")
    await w.user(FINANCE, Role.FINANCE, username="finance")
    await w.prepay(dealer)
    numbers = [(await w.order(dealer, [("AP300", n + 1)])).number for n in range(orders)]
    return w, numbers


async def _status(w: ChatWorld, number: str) -> OrderStatus:
    order = await w.uow.orders.get_by(number=number)
    assert order is not None
    return order.status


# --- #10: a label typed is the button last shown -------------------------------------------------------

async def test_a_button_label_typed_under_the_order_card_presses_it() -> None:
    w, numbers = await _world()
    await w.say(DESK, f"看下{numbers[0]}")
    done = texts(await w.say(DESK, "通过"))
    assert "已审核通过" in done
    assert await _status(w, numbers[0]) == OrderStatus.APPROVED
    assert await _status(w, numbers[1]) == OrderStatus.SUBMITTED


async def test_a_label_under_several_buttons_asks_which_and_does_nothing() -> None:
    w, numbers = await _world()
    await w.say(DESK, "待审批")
    which = await w.say(DESK, "通过")
    assert "是哪一个" in texts(which) and len(buttons(which)) == 2
    assert {await _status(w, n) for n in numbers} == {OrderStatus.SUBMITTED}
    await w.press(DESK, next(p for label, p in buttons(which).items() if numbers[1] in label))
    assert await _status(w, numbers[1]) == OrderStatus.APPROVED


async def test_a_ticket_is_accepted_by_typing_the_label_under_its_card() -> None:
    w, _ = await _world(0)
    dealer = (await w.uow.dealers.list())[0]
    now = w.clock.now()
    await w.uow.tickets.add(Ticket(number="AS-20261120-0001", dealer_id=dealer.id or 0, description="除湿机不出水",
                                   sla_due_at=now + timedelta(hours=4), created_at=now))
    await w.uow.commit()
    await w.say(AFTER_SALES, "AS-20261120-0001")
    assert "已受理" in texts(await w.say(AFTER_SALES, "受理"))
    ticket = await w.uow.tickets.get_by(number="AS-20261120-0001")
    assert ticket is not None and ticket.status == TicketStatus.ACCEPTED


# --- #1: approve words about the order just viewed -------------------------------------------------------

async def test_approve_words_after_viewing_an_order_approve_that_order_after_a_confirm() -> None:
    for words in ("这单批了吧", "批了", "没问题 审过"):
        w, numbers = await _world()
        await w.say(DESK, f"看下{numbers[1]}")
        asked = await w.say(DESK, words)
        said = texts(asked)
        assert "确认通过" in said and numbers[1] in said and "合肥新锐电器有限公司" in said, (words, said)
        assert "取消的订单" not in said and "代客下单" not in said
        assert {await _status(w, n) for n in numbers} == {OrderStatus.SUBMITTED}      # nothing before the press
        await w.press(DESK, buttons(asked)["✅ 通过"])
        assert await _status(w, numbers[1]) == OrderStatus.APPROVED, words
        assert await _status(w, numbers[0]) == OrderStatus.SUBMITTED


async def test_approve_words_with_nothing_shown_ask_which_order() -> None:
    w, numbers = await _world()
    said = texts(await w.say(DESK, "这单批了吧"))
    assert "是哪一单" in said and "取消" not in said
    assert {await _status(w, n) for n in numbers} == {OrderStatus.SUBMITTED}


async def test_the_end_of_an_order_number_with_approve_words_is_that_order() -> None:
    w, numbers = await _world()
    tail = numbers[1][-4:]
    asked = await w.say(DESK, f"{tail}没问题 审过")
    said = texts(asked)
    assert "确认通过" in said and numbers[1] in said and "代客下单" not in said
    await w.press(DESK, buttons(asked)["✅ 通过"])
    assert await _status(w, numbers[1]) == OrderStatus.APPROVED


async def test_the_end_of_an_order_number_said_fine_alone_is_its_approval_never_a_new_order() -> None:
    """"0001没问题" typed alone (was: 代客下单 started): the waiting order ending so, a confirm first."""
    w, numbers = await _world()
    tail = numbers[1][-4:]
    asked = await w.say(DESK, f"{tail}没问题")
    said = texts(asked)
    assert "确认通过" in said and numbers[1] in said and "代客下单" not in said, said
    assert {await _status(w, n) for n in numbers} == {OrderStatus.SUBMITTED}      # nothing before the press
    await w.press(DESK, buttons(asked)["✅ 通过"])
    assert await _status(w, numbers[1]) == OrderStatus.APPROVED
    assert await _status(w, numbers[0]) == OrderStatus.SUBMITTED


async def test_a_number_end_said_fine_that_no_waiting_order_has_is_asked_back() -> None:
    w, numbers = await _world()
    said = texts(await w.say(DESK, "9999没问题"))
    assert "没有单号尾号为 9999 的待审批订单" in said and "代客下单" not in said, said
    assert {await _status(w, n) for n in numbers} == {OrderStatus.SUBMITTED}


@pytest.mark.parametrize("words", ["还有几单没审", "待审的单子有几个", "待审批的有几个", "还有多少订单没批",
                                   "how many orders pending approval", "how many orders are waiting for approval?"])
async def test_how_many_orders_still_wait_for_approval_is_counted_with_the_list_offered(words: str) -> None:
    """(was: "还有几单没审" a stock check, "待审的单子有几个" the day's figures, "待审批的有几个" the help, the
    English question the whole queue)"""
    w, numbers = await _world()
    orders = [await w.uow.orders.get_by(number=n) for n in numbers]
    total = fmt_cny(sum((o.total for o in orders if o is not None), Decimal("0.00")))
    asked = await w.say(DESK, words)
    said = texts(asked)
    if words.startswith("how"):
        assert f"2 orders wait for your approval, {total} in all. List them?" in said, said
    else:
        assert f"待您审批的订单现有 2 单，合计 {total}。要列出来吗？" in said, said
    assert "库存" not in said and numbers[0] not in said
    listed = texts(await w.press(DESK, next(iter(buttons(asked).values()))))
    assert numbers[0] in listed and numbers[1] in listed
    assert {await _status(w, n) for n in numbers} == {OrderStatus.SUBMITTED}


# --- #11: reject in words takes the reason ---------------------------------------------------------------

async def test_reject_in_words_asks_the_reason_and_rejects_with_it() -> None:
    w, numbers = await _world()
    asked = texts(await w.say(DESK, f"{numbers[0]} 驳回"))
    assert "原因" in asked
    done = texts(await w.say(DESK, "金额太大 请分两批下单"))
    assert "已驳回" in done and "金额太大 请分两批下单" in done
    order = await w.uow.orders.get_by(number=numbers[0])
    assert order is not None and order.status == OrderStatus.REJECTED


async def test_reject_words_under_the_order_card_with_the_reason_confirm_once() -> None:
    w, numbers = await _world()
    await w.say(DESK, f"看下{numbers[0]}")
    asked = await w.say(DESK, "这单驳回 金额太大 请分两批下单")
    assert "确认驳回" in texts(asked) and "金额太大 请分两批下单" in texts(asked)
    assert await _status(w, numbers[0]) == OrderStatus.SUBMITTED
    await w.press(DESK, buttons(asked)["❌ 确认驳回"])
    assert await _status(w, numbers[0]) == OrderStatus.REJECTED


# --- #20: the warehouse choice lets another request through ----------------------------------------------

async def _at_the_warehouse_choice() -> tuple[ChatWorld, str]:
    w, numbers = await _world(1)
    for code, name, region in (("WH-TJ", "华北仓", "华北"), ("WH-GZ", "华南仓", "华南")):
        wh = await w.uow.warehouses.add(make_warehouse(code, region=region, name=name))
        await w.uow.stock.add(StockLevel(warehouse_id=wh.id or 0, sku="AP300", on_hand=500))
    await w.uow.commit()
    await w.press(DESK, payload("staff.order.approve", numbers[0]))
    choice = await w.say(DESK, f"{numbers[0]} 配货")
    assert "请选择发货仓库" in texts(choice) and any("WH-TJ 华北仓" in b for b in buttons(choice)) and "取消" in buttons(choice)
    return w, numbers[0]


async def test_a_question_at_the_warehouse_choice_leaves_it_and_is_answered() -> None:
    w, number = await _at_the_warehouse_choice()
    said = texts(await w.say(DESK, "今天一共发了几单货"))
    assert "已退出订单" in said and "未配货" in said and "发货 0 笔" in said and "没有认出仓库" not in said
    assert await _status(w, number) == OrderStatus.APPROVED
    assert "已配货" not in texts(await w.say(DESK, "华北仓"))         # the choice is closed: no allocation by words


async def test_the_warehouse_choice_is_left_by_its_cancel_button_or_the_word() -> None:
    w, number = await _at_the_warehouse_choice()
    assert "已取消" in texts(await w.say(DESK, "取消"))
    await w.say(DESK, f"{number} 配货")
    assert "已取消" in texts(await w.say(DESK, "取消"))            # the typed label of the choice's own button
    again = texts(await w.say(DESK, "华中"))                       # no choice open: not read as a warehouse
    assert "没有认出仓库" not in again and await _status(w, number) == OrderStatus.APPROVED


# --- #13: the day's list and overdue debts in the words staff use ---------------------------------------

async def test_todays_todo_list_in_words_for_the_order_desk_and_finance() -> None:
    w, _ = await _world()
    for chat in (DESK, FINANCE):
        for words in ("今天的待办", "今日待办事项有哪些", "我的待办清单"):
            said = texts(await w.say(chat, words))
            assert "今日待办" in said and "没有听懂" not in said, (chat, words, said)


async def test_finance_asks_which_are_overdue_in_few_words() -> None:
    w, _ = await _world()
    said = texts(await w.say(FINANCE, "逾期的有哪些"))
    assert "逾期" in said and "可用命令" not in said and "没有听懂" not in said, said
