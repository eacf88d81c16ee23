"""Order dialogues: recent list, detail with timeline, cancel with confirmation, confirm receipt,
"where is my last order", and another dealer's order numbers answered as not found."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.dealers import Dealer
from core.orders import OrderStatus
from core.users import Role
from handlers.messages import Reply
from tests.chat import ChatWorld, buttons, texts

DEALER_CHAT = "100"
STAFF_CHAT = "900"


async def world() -> tuple[ChatWorld, Dealer]:
    w = ChatWorld()
    await w.catalogue()
    dealer = await w.dealer(name="上海华信电器有限公司")
    await w.prepay(dealer)
    await w.user(DEALER_CHAT, Role.DEALER_OWNER, dealer)
    await w.user(STAFF_CHAT, Role.ORDER_DESK, username="desk")
    return w, dealer


def own(replies: list[Reply]) -> list[Reply]:
    return [r for r in replies if not r.chat_id]


async def test_recent_orders_list_numbers_dates_statuses_and_totals() -> None:
    w, dealer = await world()
    first = await w.order(dealer, [("AP300", 2)], to="shipped")
    second = await w.order(dealer, [("F300", 5)])
    other = await w.dealer()
    await w.order(other, [("DH20", 1)])
    replies = await w.say(DEALER_CHAT, "/orders")
    shown = texts(replies)
    assert f"{first.number} · 11-26 · 已发货 · ¥3,998.00" in shown
    assert f"{second.number} · 11-26 · 已提交 · ¥1,495.00" in shown
    assert "DH20" not in shown and "¥1,599.00" not in shown           # another dealer's order
    details = [p for p in buttons(replies).values() if p.startswith("1|orders.detail|")]
    assert sorted(details) == sorted([f"1|orders.detail|{first.number}", f"1|orders.detail|{second.number}"])


async def test_more_orders_than_a_screen_page_with_buttons_and_typed_words() -> None:
    w, dealer = await world()
    made = [await w.order(dealer, [("F300", 1)]) for _ in range(23)]
    for minutes, order in enumerate(made):       # placed a minute apart (the test clock stands still)
        stored = await w.uow.orders.get_by(number=order.number)
        assert stored is not None and stored.created_at is not None
        stored.created_at += timedelta(minutes=minutes)
    newest_first = sorted((o.number for o in made), reverse=True)

    def numbers(replies: list[Reply]) -> list[str]:
        return [p.split("|")[2] for p in buttons(replies).values() if p.startswith("1|orders.detail|")]

    first = await w.say(DEALER_CHAT, "/orders")
    assert numbers(first) == newest_first[:10]
    assert "订单第 1–10 条" in texts(first)
    labels = buttons(first)
    assert labels["下一页 ▶"] == "1|orders.list|10" and "◀ 上一页" not in labels
    second = await w.say(DEALER_CHAT, "下一页")                          # typed: the pager's button
    assert numbers(second) == newest_first[10:20] and "订单第 11–20 条" in texts(second)
    last = await w.press(DEALER_CHAT, buttons(second)["下一页 ▶"])
    assert numbers(await w.say(DEALER_CHAT, "上一页")) == newest_first[10:20]
    assert numbers(last) == newest_first[20:] and "订单第 21–23 条" in texts(last)
    assert "下一页 ▶" not in buttons(last) and buttons(last)["◀ 上一页"] == "1|orders.list|10"
    stale = await w.press(DEALER_CHAT, "1|orders.list|900")            # a list that got shorter: back to the start
    assert numbers(stale) == newest_first[:10]


async def test_no_orders_yet_offers_to_order() -> None:
    w, _ = await world()
    replies = await w.press(DEALER_CHAT, "1|orders.list")
    assert "还没有订单" in texts(replies)
    assert buttons(replies)["🛒 去下单"] == "1|order.new"


async def test_detail_of_a_shipped_order_shows_lines_timeline_tracking_and_receipt_buttons() -> None:
    w, dealer = await world()
    order = await w.order(dealer, [("AP300", 2), ("F300", 1)], to="shipped")
    replies = await w.press(DEALER_CHAT, f"1|orders.detail|{order.number}")
    shown = texts(replies)
    assert f"📦 订单 {order.number}" in shown and "状态：已发货" in shown
    assert "1. 空气净化器AP300（AP300）× 2　¥3,998.00" in shown
    assert "合计：¥4,297.00" in shown
    assert "物流：顺丰 SF1234567890" in shown
    assert "· 11-26 10:00 已提交" in shown and "· 11-26 10:00 已发货" in shown
    labels = buttons(replies)
    assert labels["✅ 全部收到"] == f"1|orders.recv_ok|{order.number}"
    assert labels["⚠️ 部分收到或有破损"] == f"1|orders.recv_issue|{order.number}"
    assert labels["🔁 再来一单"] == f"1|order.reorder|{order.number}"
    assert "❌ 取消订单" not in labels                                   # shipped: no cancel


async def test_cancel_asks_first_then_cancels_refunds_and_tells_the_desk() -> None:
    w, dealer = await world()
    order = await w.order(dealer, [("AP300", 2)])
    detail = await w.press(DEALER_CHAT, f"1|orders.detail|{order.number}")
    asked = await w.press(DEALER_CHAT, buttons(detail)["❌ 取消订单"])
    assert f"确认取消订单 {order.number}（¥3,998.00）吗" in texts(asked)
    assert (await w.uow.orders.get_by(number=order.number)).status == OrderStatus.SUBMITTED  # type: ignore[union-attr]
    w.forget_pushes()
    done = await w.press(DEALER_CHAT, buttons(asked)["确认取消"])
    assert f"订单 {order.number} 已取消" in texts(own(done))
    stored = await w.uow.orders.get_by(number=order.number)
    assert stored is not None and stored.status == OrderStatus.CANCELLED
    assert stored.paid_from_prepayment == 0
    assert "已取消订单" in texts(await w.pushed(STAFF_CHAT))
    # a second press of the same confirmation changes nothing
    again = await w.press(DEALER_CHAT, buttons(asked)["确认取消"])
    assert "已被" in texts(again) or "不能" in texts(again)
    stored = await w.uow.orders.get_by(number=order.number)
    assert stored is not None and [e.status for e in stored.events].count(OrderStatus.CANCELLED) == 1


async def test_dealer_cannot_cancel_once_allocated() -> None:
    w, dealer = await world()
    order = await w.order(dealer, [("AP300", 2)], to="allocated")
    detail = await w.press(DEALER_CHAT, f"1|orders.detail|{order.number}")
    assert "❌ 取消订单" not in buttons(detail)
    forged = await w.press(DEALER_CHAT, f"1|orders.cancel|{order.number}")
    assert "不能取消订单" in texts(forged)
    forged_ok = await w.press(DEALER_CHAT, f"1|orders.cancel_ok|{order.number}|{order.version}")
    assert "不能取消订单" in texts(forged_ok)
    stored = await w.uow.orders.get_by(number=order.number)
    assert stored is not None and stored.status == OrderStatus.ALLOCATED


async def test_staff_cancel_tells_the_dealer() -> None:
    w, dealer = await world()
    order = await w.order(dealer, [("AP300", 2)], to="approved")
    detail = await w.press(STAFF_CHAT, f"1|orders.detail|{order.number}")
    assert "上海华信电器有限公司" in texts(detail)
    assert buttons(detail)["🏭 配货"] == f"1|staff.alloc|{order.number}"
    asked = await w.press(STAFF_CHAT, buttons(detail)["❌ 取消订单"])
    w.forget_pushes()
    await w.press(STAFF_CHAT, buttons(asked)["确认取消"])
    assert f"您的订单 {order.number} 已由厂家取消" in texts(await w.pushed(DEALER_CHAT))


async def test_confirm_receipt_all_received() -> None:
    w, dealer = await world()
    order = await w.order(dealer, [("AP300", 2)], to="shipped")
    replies = await w.press(DEALER_CHAT, f"1|orders.recv_ok|{order.number}")
    assert f"已确认收货：{order.number}" in texts(replies)
    stored = await w.uow.orders.get_by(number=order.number)
    assert stored is not None and stored.status == OrderStatus.RECEIVED
    twice = await w.press(DEALER_CHAT, f"1|orders.recv_ok|{order.number}")
    assert "不能确认收货" in texts(twice)


async def test_partial_or_damaged_receipt_is_noted_and_offers_after_sales() -> None:
    w, dealer = await world()
    order = await w.order(dealer, [("AP300", 2)], to="shipped")
    detail = await w.press(DEALER_CHAT, f"1|orders.detail|{order.number}")
    issue = await w.press(DEALER_CHAT, buttons(detail)["⚠️ 部分收到或有破损"])
    assert set(buttons(issue)) >= {"📦 少货 / 部分收到", "💥 有破损", "少货且有破损"}
    asked = await w.press(DEALER_CHAT, buttons(issue)["💥 有破损"])        # which product, how many: asked first
    assert "请说明哪个产品破损几台" in texts(asked)
    noted = await w.press(DEALER_CHAT, buttons(asked)["直接登记（不写明细）"])
    assert "已登记收货异常" in texts(noted) and "已收货（有异常）" in texts(noted) and "已转订单台" in texts(noted)
    assert buttons(noted)["🛠 申请售后"] == f"1|as.new|{order.number}"
    stored = await w.uow.orders.get_by(number=order.number)
    assert stored is not None and stored.status == OrderStatus.RECEIVED
    assert "有破损" in stored.events[-1].note and "部分收货" not in stored.events[-1].note
    assert "按钮已失效" in texts(await w.press(DEALER_CHAT, f"1|orders.recv|{order.number}|x"))


async def test_where_is_my_last_order_shows_the_latest() -> None:
    w, dealer = await world()
    await w.order(dealer, [("AP300", 2)], to="shipped")
    latest = await w.order(dealer, [("F300", 3)], to="approved")
    replies = await w.say(DEALER_CHAT, "上次那单到哪了")
    assert "您最近的一笔订单" in texts(replies)
    assert f"📦 订单 {latest.number}" in texts(replies) and "状态：已审核" in texts(replies)


async def test_status_by_number_and_another_dealers_number_is_not_found() -> None:
    w, dealer = await world()
    mine = await w.order(dealer, [("AP300", 2)])
    other = await w.dealer(name="北京宏达商贸")
    theirs = await w.order(other, [("DH20", 7)])
    shown = texts(await w.say(DEALER_CHAT, f"{mine.number} 到哪了"))
    assert f"📦 订单 {mine.number}" in shown
    denied = texts(await w.say(DEALER_CHAT, f"{theirs.number} 到哪了"))
    assert f"未找到订单 {theirs.number}" in denied
    assert "DH20" not in denied and "北京宏达商贸" not in denied and "¥" not in denied
    forged = texts(await w.press(DEALER_CHAT, f"1|orders.detail|{theirs.number}"))
    assert forged == denied
    assert "未找到订单" in texts(await w.press(DEALER_CHAT, f"1|orders.cancel_ok|{theirs.number}|1"))
    stored = await w.uow.orders.get_by(number=theirs.number)
    assert stored is not None and stored.status == OrderStatus.SUBMITTED


async def test_cancel_order_by_text() -> None:
    w, dealer = await world()
    await w.order(dealer, [("AP300", 2)], to="shipped")
    order = await w.order(dealer, [("F300", 3)])
    asked = await w.say(DEALER_CHAT, "取消订单")
    assert f"确认取消订单 {order.number}" in texts(asked)
    await w.press(DEALER_CHAT, buttons(asked)["确认取消"])
    stored = await w.uow.orders.get_by(number=order.number)
    assert stored is not None and stored.status == OrderStatus.CANCELLED


async def test_nothing_to_cancel_by_text() -> None:
    w, dealer = await world()
    await w.order(dealer, [("AP300", 2)], to="shipped")
    assert "没有可以取消的订单" in texts(await w.say(DEALER_CHAT, "我要取消订单"))


async def test_staff_sees_dealer_codes_in_the_list_and_english_works() -> None:
    w, dealer = await world()
    order = await w.order(dealer, [("AP300", 2)])
    shown = texts(await w.say(STAFF_CHAT, "/orders"))
    assert f"{dealer.code} {order.number}" in shown
    await w.say(DEALER_CHAT, "/lang en")
    detail = texts(await w.press(DEALER_CHAT, f"1|orders.detail|{order.number}"))
    assert f"📦 Order {order.number}" in detail and "Status: Submitted" in detail and "Total: ¥3,998.00" in detail


@pytest.mark.parametrize("said", ["货到了", "收到货了", "货已经到了", "the goods arrived", "确认收货", "我要确认收货"])
async def test_goods_arrived_offers_the_receipt_of_the_shipped_order(said: str) -> None:
    """(was: the latest order, an order placed after the shipped one, with no receipt button)"""
    w, dealer = await world()
    shipped = await w.order(dealer, [("AP300", 2)], to="shipped")
    await w.order(dealer, [("F300", 5)])                        # placed later, not shipped
    replies = await w.say(DEALER_CHAT, said)
    shown = texts(replies)
    assert f"订单 {shipped.number}" in shown or f"Order {shipped.number}" in shown
    assert f"1|orders.recv_ok|{shipped.number}" in buttons(replies).values()


async def test_goods_arrived_with_nothing_shipped_says_so() -> None:
    w, dealer = await world()
    await w.order(dealer, [("F300", 5)])
    shown = texts(await w.say(DEALER_CHAT, "货到了"))
    assert "没有待收货的订单" in shown


@pytest.mark.parametrize("said", ["物流单号多少", "快递单号发我一下", "快递发的哪家", "tracking number?"])
async def test_the_waybill_asked_for_is_the_latest_shipped_orders_and_a_later_one_not_shipped_says_so(said: str) -> None:
    """(was: the latest order, not shipped, with no word of a waybill)"""
    w, dealer = await world()
    shipped = await w.order(dealer, [("AP300", 2)], to="shipped")
    w.clock = w.service.deps.clock = type(w.clock).fixed(w.clock.now() + timedelta(hours=2))
    later = await w.order(dealer, [("DH20", 1)])
    shown = texts(own(await w.say(DEALER_CHAT, said)))
    assert shipped.number in shown and "SF1234567890" in shown
    assert later.number in shown and shown.index(later.number) < shown.index(shipped.number)
    nothing = await w.dealer()
    await w.user("101", Role.DEALER_OWNER, nothing)
    await w.order(nothing, [("DH20", 1)])
    none = texts(own(await w.say("101", said)))
    assert "SF1234567890" not in none and shipped.number not in none


async def test_the_orders_on_the_way_are_listed_each_with_its_waybill() -> None:
    """"我有哪些单子已经发货了还没到的" (was: only the latest order)."""
    w, dealer = await world()
    first = await w.order(dealer, [("AP300", 2)], to="shipped")
    second = await w.order(dealer, [("DH20", 1)], to="shipped")
    await w.order(dealer, [("F300", 5)], to="received")
    shown = texts(own(await w.say(DEALER_CHAT, "我有哪些单子已经发货了还没到的")))
    assert "还没确认收货的订单（2 笔）" in shown and first.number in shown and second.number in shown
    assert shown.count("SF1234567890") == 2


@pytest.mark.parametrize("no", ["不取消", "先不取消了", "别取消"])
async def test_saying_not_to_cancel_answers_the_question_asked_and_offers_no_cancel(no: str) -> None:
    w, dealer = await world()
    order = await w.order(dealer, [("AP300", 2)])
    await w.order(dealer, [("F300", 5)])
    asked = await w.say(DEALER_CHAT, f"不用了 取消订单{order.number}")
    assert f"确认取消订单 {order.number}" in texts(asked)
    kept = await w.say(DEALER_CHAT, no)
    assert f"订单 {order.number} 不取消" in texts(kept)
    assert "请选择要取消的订单" not in texts(kept) and "确认取消" not in texts(kept)
    assert all(o.status == OrderStatus.SUBMITTED for o in w.uow.orders.rows)
    again = await w.say(DEALER_CHAT, no)               # the question was closed: nothing pending any more
    assert "没有取消任何订单" in texts(again) and "请选择要取消的订单" not in texts(again)


@pytest.mark.parametrize("said", ["确认收货", "收到了", "货到了，确认一下"])
async def test_receipt_typed_under_a_shipped_orders_card_asks_for_that_order_then_confirms_it(said: str) -> None:
    """Typed instead of tapping ✅ 全部收到 under the card of one of two shipped orders (was: "哪一单到了？" for the
    card on screen, or the latest order shown for "货到了，确认一下"): that order's receipt asked once, with the
    card's buttons; the tap or "确认" confirms it, audited like the button."""
    w, dealer = await world()
    first = await w.order(dealer, [("AP300", 2)], to="shipped")
    shown = await w.order(dealer, [("DH20", 1)], to="shipped")
    await w.press(DEALER_CHAT, f"1|orders.detail|{shown.number}")
    asked = own(await w.say(DEALER_CHAT, said))
    assert f"确认订单 {shown.number}" in texts(asked) and first.number not in texts(asked)
    assert buttons(asked)["✅ 全部收到"] == f"1|orders.recv_ok|{shown.number}"
    done = own(await w.say(DEALER_CHAT, "确认"))
    assert f"已确认收货：{shown.number}" in texts(done)
    stored = await w.uow.orders.get_by(number=shown.number)
    other = await w.uow.orders.get_by(number=first.number)
    assert stored is not None and stored.status == OrderStatus.RECEIVED
    assert other is not None and other.status == OrderStatus.SHIPPED
    assert [a.entity_id for a in w.uow.audit.rows if a.action == "order.receive"] == [shown.number]


async def test_receipt_typed_with_several_shipped_and_no_card_asks_which_and_a_number_asks_for_that_one() -> None:
    w, dealer = await world()
    first = await w.order(dealer, [("AP300", 2)], to="shipped")
    second = await w.order(dealer, [("DH20", 1)], to="shipped")
    which = own(await w.say(DEALER_CHAT, "货到了，确认一下"))
    assert "哪一单到了" in texts(which) and {first.number, second.number} <= set(texts(which).split()) | {
        p.split("|")[2] for p in buttons(which).values()}
    named = own(await w.say(DEALER_CHAT, f"确认收货 {first.number}"))
    assert f"确认订单 {first.number}" in texts(named)
    assert "确认" in texts(own(await w.say(DEALER_CHAT, "确认")))
    stored = await w.uow.orders.get_by(number=first.number)
    assert stored is not None and stored.status == OrderStatus.RECEIVED
    assert "不能确认收货" in texts(own(await w.say(DEALER_CHAT, f"确认收货 {first.number}")))


async def test_the_one_shipped_order_shown_for_goods_arrived_is_received_by_typing_confirm() -> None:
    w, dealer = await world()
    shipped = await w.order(dealer, [("AP300", 2)], to="shipped")
    shown = own(await w.say(DEALER_CHAT, "货到了，确认一下"))
    assert f"📦 订单 {shipped.number}" in texts(shown) and "收到了请确认" in texts(shown)
    assert f"已确认收货：{shipped.number}" in texts(own(await w.say(DEALER_CHAT, "确认")))
    assert [a.entity_id for a in w.uow.audit.rows if a.action == "order.receive"] == [shipped.number]
