"""Staff side of the chat: approvals with buttons, the order desk, tickets, /today, forged buttons."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from core.aftersales import Priority, TicketStatus
from core.campaigns import MarketingMaterial, RequestStatus
from core.dealers import Dealer, DealerStatus, DocumentType, ReviewStatus
from core.inventory import StockLevel
from core.orders import Order, OrderStatus
from core.services.aftersales import CreateTicket, create_ticket
from core.services.materials import RequestMaterial, request_material
from core.services.orders import SubmitOrder, submit_order
from core.users import Role, User
from handlers.messages import InboundKind, Reply
from handlers.router import payload
from tests.chat import ChatWorld, buttons, texts
from tests.factories import fixed_clock, make_document, make_prospect, make_warehouse

DEALER_CHAT, DESK, MANAGER, SERVICE = "100", "201", "202", "301"

STAFF_DENIED = "您没有权限执行此操作\n这项工作不在您的岗位权限内；/today 看您的待办，/help 看您能做的事。"


@dataclass
class Scene:
    w: ChatWorld
    dealer: Dealer
    owner: User
    order: Order


async def scene() -> Scene:
    """A dealer chat, an order-desk clerk (wang), a channel manager (zhao), an after-sales engineer (chen)."""
    w = ChatWorld()
    await w.catalogue()
    dealer = await w.dealer(name="上海华信电器有限公司")
    owner = await w.user(DEALER_CHAT, Role.DEALER_OWNER, dealer)
    await w.user(DESK, Role.ORDER_DESK, username="wang")
    await w.user(MANAGER, Role.CHANNEL_MANAGER, username="zhao")
    await w.user(SERVICE, Role.AFTER_SALES, username="chen")
    order = await submit_order(w.uow, owner.to_actor(), SubmitOrder(dealer.id, [("AP300", 20)]),  # type: ignore[arg-type]
                               w.clock)
    await w.prepay(dealer)      # paid in since: approving charges it, no credit overdraft to confirm
    w.forget_pushes()           # the tests look at what each step queues in the outbox
    return Scene(w, dealer, owner, order)


async def press(w: ChatWorld, chat: str, data: str, ref: str = "") -> list[Reply]:
    """A button press on the message ``ref`` (what adapters pass for edits)."""
    return await w.send(w._inbound(chat, InboundKind.BUTTON, payload=data, message_ref=ref))


def here(replies: list[Reply]) -> list[Reply]:
    return [r for r in replies if not r.chat_id]


async def stored_order(w: ChatWorld, number: str) -> Order:
    order = await w.uow.orders.get_by(number=number)
    assert order is not None
    return order


async def audit_actions(w: ChatWorld, action: str) -> list[str]:
    return [e.actor for e in await w.uow.audit.list(action=action)]


# --- order approval --------------------------------------------------------------------------------

async def test_approve_edits_the_prompt_and_tells_the_dealer() -> None:
    s = await scene()
    replies = await press(s.w, MANAGER, payload("staff.order.approve", s.order.number), ref="msg-7")
    mine = here(replies)
    assert len(mine) == 1 and mine[0].edit_ref == "msg-7"
    assert "已审核通过" in mine[0].text and "用户202" in mine[0].text and "10:00" in mine[0].text
    assert not [r for r in replies if r.chat_id]                  # pushes go through the outbox
    pushed = await s.w.pushed(DEALER_CHAT)
    assert [r.text for r in pushed] == [f"您的订单 {s.order.number} 已审核通过，金额 ¥39,980.00。"]
    assert pushed[0].channel == "telegram"
    # the order desk hears that it waits for allocation, with the button to do it
    desk = await s.w.pushed(DESK)
    assert len(desk) == 1 and buttons(desk)["📦 配货"] == payload("staff.alloc", s.order.number)
    assert (await stored_order(s.w, s.order.number)).status == OrderStatus.APPROVED


async def test_second_staff_is_told_who_decided_first_and_nothing_is_decided_twice() -> None:
    s = await scene()
    await press(s.w, MANAGER, payload("staff.order.approve", s.order.number), ref="a")
    s.w.forget_pushes()
    replies = await press(s.w, DESK, payload("staff.order.approve", s.order.number), ref="b")
    assert f"{s.order.number} 已由 用户202 于 10:00 处理（已审核）" in texts(replies)
    assert not await s.w.pushed(DEALER_CHAT)
    assert [r.edit_ref for r in replies] == ["b", ""]          # prompt retired, then the answer
    assert await audit_actions(s.w, "order.approve") == ["staff:zhao"]


async def test_stale_versioned_button_after_a_rejection_names_the_rejecter() -> None:
    s = await scene()
    await press(s.w, DESK, payload("staff.order.reject", s.order.number, 1))
    await s.w.say(DESK, "价格有误")
    replies = await press(s.w, MANAGER, payload("staff.order.approve", s.order.number, 1))
    assert "已由 用户201 于 10:00 处理（已驳回）" in texts(replies)
    assert (await stored_order(s.w, s.order.number)).status == OrderStatus.REJECTED


async def test_double_tap_by_the_same_person_says_it_was_them() -> None:
    s = await scene()
    await press(s.w, MANAGER, payload("staff.order.approve", s.order.number))
    again = await press(s.w, MANAGER, payload("staff.order.approve", s.order.number))
    assert "您已于 10:00 处理过" in texts(again)
    assert len(await audit_actions(s.w, "order.approve")) == 1


async def test_reject_asks_for_a_reason_then_rejects_refunds_and_tells_the_dealer() -> None:
    s = await scene()
    asked = await press(s.w, MANAGER, payload("staff.order.reject", s.order.number), ref="prompt-3")
    assert "原因" in texts(asked) and "取消" in texts(asked)
    dialog = await s.w.uow.dialogs.get_by(channel="telegram", chat_id=MANAGER)
    assert dialog is not None and dialog.state == "staff.reject_reason"
    replies = await s.w.say(MANAGER, "型号已停产，请改订 AP500")
    mine = here(replies)
    assert mine[0].edit_ref == "prompt-3" and "已驳回" in mine[0].text and "型号已停产" in mine[0].text
    assert (await s.w.pushed(DEALER_CHAT))[0].text == (
        f"您的订单 {s.order.number} 未通过审核，原因：型号已停产，请改订 AP500。已扣款项已退回账户。")
    order = await stored_order(s.w, s.order.number)
    assert order.status == OrderStatus.REJECTED and order.reject_reason == "型号已停产，请改订 AP500"
    dialog = await s.w.uow.dialogs.get_by(channel="telegram", chat_id=MANAGER)
    assert dialog is not None and dialog.state == ""


async def test_reject_reason_must_be_text_and_cancel_changes_nothing() -> None:
    s = await scene()
    await press(s.w, MANAGER, payload("staff.order.reject", s.order.number))
    photo = await s.w.send(s.w._inbound(MANAGER, InboundKind.PHOTO, file_refs=("f1",)))
    assert "请直接输入文字" in texts(photo)
    too_long = await s.w.say(MANAGER, "长" * 600)
    assert "太长" in texts(too_long)
    assert (await stored_order(s.w, s.order.number)).status == OrderStatus.SUBMITTED
    cancelled = await s.w.say(MANAGER, "取消")
    assert "已取消" in texts(cancelled)
    await s.w.say(MANAGER, "随便说一句")
    assert not await s.w.pushed(DEALER_CHAT)
    assert (await stored_order(s.w, s.order.number)).status == OrderStatus.SUBMITTED


async def test_another_staff_button_drops_a_half_typed_reason() -> None:
    s = await scene()
    await press(s.w, MANAGER, payload("staff.order.reject", s.order.number))
    await press(s.w, MANAGER, payload("staff.today"))
    await s.w.say(MANAGER, "你好")
    assert (await stored_order(s.w, s.order.number)).status == OrderStatus.SUBMITTED


async def test_order_detail_shows_lines_payment_and_decision_buttons() -> None:
    s = await scene()
    replies = await press(s.w, MANAGER, payload("staff.order.detail", s.order.number))
    shown = texts(replies)
    assert "上海华信电器有限公司" in shown and "AP300" in shown and "¥39,980.00" in shown
    # submitted past the funds, prepaid since: the card says the funds pay it, not the shortfall (QA s27 #20)
    assert "超出可用额度" not in shown and "现有资金可付" in shown
    assert buttons(replies)["✅ 通过"] == payload("staff.order.approve", s.order.number, s.order.version)


# --- order desk ------------------------------------------------------------------------------------

async def test_the_warehouses_of_the_dealers_region_come_first_and_say_so() -> None:
    """The buttons were in code order only (a Shanghai dealer's order offered 华南仓 first)."""
    s = await scene()
    region = s.dealer.region
    for code, where in (("WH-AA", "别处" if region != "别处" else "他处"), ("WH-ZZ", region)):
        wh = await s.w.uow.warehouses.add(make_warehouse(code, region=where))
        await s.w.uow.stock.add(StockLevel(warehouse_id=wh.id, sku="AP300", on_hand=500))  # type: ignore[arg-type]
    await s.w.uow.commit()
    await press(s.w, MANAGER, payload("staff.order.approve", s.order.number))
    choose = await s.w.press(DESK, payload("staff.alloc", s.order.number))
    labels = [b.label for row in choose[0].buttons for b in row]
    assert labels[0].startswith("🏭 ") and labels[0].endswith(" · 同区域")
    assert any("WH-ZZ" in x and x.endswith(" · 同区域") for x in labels)
    assert not any("WH-AA" in x and "同区域" in x for x in labels)
    assert labels.index(next(x for x in labels if "WH-ZZ" in x)) < labels.index(next(x for x in labels if "WH-AA" in x))


@pytest.mark.parametrize("typed", ["天津仓", "WH-TJ", "tj", "走天津仓"])
async def test_a_warehouse_typed_at_the_choice_allocates_there(typed: str) -> None:
    """"天津仓" typed instead of a button (was: "我没有听懂这句话" and the choice lost); words naming no warehouse offered:
    the choice again."""
    s = await scene()
    for code, name in (("WH-TJ", "天津仓"), ("WH-GZ", "广州仓")):
        wh = await s.w.uow.warehouses.add(make_warehouse(code, region="华北" if code == "WH-TJ" else "华南", name=name))
        await s.w.uow.stock.add(StockLevel(warehouse_id=wh.id, sku="AP300", on_hand=500))  # type: ignore[arg-type]
    await s.w.uow.commit()
    await press(s.w, MANAGER, payload("staff.order.approve", s.order.number))
    await s.w.press(DESK, payload("staff.alloc", s.order.number))
    again = texts(await s.w.say(DESK, "月球仓"))
    assert "没有认出仓库" in again and "请选择发货仓库" in again
    assert (await stored_order(s.w, s.order.number)).status == OrderStatus.APPROVED
    done = texts(await s.w.say(DESK, typed))
    assert "已配货（WH-TJ）" in done
    assert (await stored_order(s.w, s.order.number)).status == OrderStatus.ALLOCATED


@pytest.mark.parametrize("said", ["待配货的订单", "有什么要发货的？", "待配货"])
async def test_the_order_desk_asks_for_its_queue_in_words(said: str) -> None:
    """Typed by the order desk (was: the list of every order, approved or not)."""
    s = await scene()
    await press(s.w, MANAGER, payload("staff.order.approve", s.order.number))
    shown = texts(await s.w.say(DESK, said))
    assert "待配货 1" in shown and s.order.number in shown


async def test_order_desk_allocates_and_ships_and_the_dealer_hears_each_step() -> None:
    s = await scene()
    number = s.order.number
    await press(s.w, MANAGER, payload("staff.order.approve", number))
    desk = await s.w.press(DESK, payload("staff.orders"))
    assert "待配货 1" in texts(desk) and number in texts(desk)
    choose = await s.w.press(DESK, buttons(desk)[f"📦 {number}"])
    assert "AP300×20" in texts(choose)
    s.w.forget_pushes()
    allocated = await press(s.w, DESK, buttons(choose)["⚙️ 自动选择仓库"], ref="m1")
    assert here(allocated)[0].edit_ref == "m1" and "已配货（WH-SH）" in here(allocated)[0].text
    assert (await s.w.pushed(DEALER_CHAT))[0].text == f"您的订单 {number} 已配货，即将发货。"
    stock = await s.w.uow.stock.get_by(sku="AP300")
    assert stock is not None and stock.reserved == 20

    carriers = await s.w.press(DESK, buttons(here(allocated))["🚚 发货"])
    assert {"顺丰", "德邦", "京东物流", "其他"} <= set(buttons(carriers))
    asked = await press(s.w, DESK, buttons(carriers)["顺丰"], ref="m2")
    assert "请输入运单号" in texts(asked)
    shipped = await s.w.say(DESK, "SF1234567890")
    assert here(shipped)[0].edit_ref == "m2" and "顺丰 SF1234567890" in here(shipped)[0].text
    assert (await s.w.pushed(DEALER_CHAT))[0].text == f"您的订单 {number} 已发货，承运商 顺丰，单号 SF1234567890。"
    order = await stored_order(s.w, number)
    assert (order.status, order.carrier, order.tracking_no) == (OrderStatus.SHIPPED, "顺丰", "SF1234567890")
    stock = await s.w.uow.stock.get_by(sku="AP300")
    assert stock is not None and (stock.on_hand, stock.reserved) == (480, 0)


async def test_bad_tracking_number_is_asked_again_and_other_carrier_is_typed() -> None:
    s = await scene()
    number = s.order.number
    await press(s.w, MANAGER, payload("staff.order.approve", number))
    await press(s.w, DESK, payload("staff.alloc.wh", number, 0))
    await press(s.w, DESK, payload("staff.ship.carrier", number, 3))
    await s.w.say(DESK, "中通快递")
    bad = await s.w.say(DESK, "单号？")
    assert "运单号格式不对" in texts(bad)
    assert (await stored_order(s.w, number)).status == OrderStatus.ALLOCATED
    await s.w.say(DESK, "ZT 7788 9900")
    assert "承运商 中通快递，单号 ZT77889900" in texts(await s.w.pushed(DEALER_CHAT))
    order = await stored_order(s.w, number)
    assert (order.carrier, order.tracking_no) == ("中通快递", "ZT77889900")


async def test_allocation_without_stock_goes_to_production_and_the_dealer_is_told() -> None:
    s = await scene()
    big = await submit_order(s.w.uow, s.owner.to_actor(), SubmitOrder(s.dealer.id, [("DH20", 600)]),  # type: ignore[arg-type]
                             s.w.clock)
    await press(s.w, MANAGER, payload("staff.order.approve", big.number))
    choose = await s.w.press(DESK, payload("staff.alloc", big.number))
    assert "各仓库存都不足" in texts(choose)
    await s.w.press(DESK, buttons(choose)["⚙️ 自动（库存不足将转生产）"])
    assert "已安排生产" in texts(await s.w.pushed(DEALER_CHAT))
    assert (await stored_order(s.w, big.number)).status == OrderStatus.IN_PRODUCTION


async def test_allocating_twice_tells_who_allocated() -> None:
    s = await scene()
    await press(s.w, MANAGER, payload("staff.order.approve", s.order.number))
    await s.w.user("203", Role.ORDER_DESK, username="liu")
    await press(s.w, DESK, payload("staff.alloc.wh", s.order.number, 0))
    late = await press(s.w, "203", payload("staff.alloc.wh", s.order.number, 0))
    assert "已由 用户201 于 10:00 处理（已配货）" in texts(late)
    stock = await s.w.uow.stock.get_by(sku="AP300")
    assert stock is not None and stock.reserved == 20


# --- tickets ---------------------------------------------------------------------------------------

async def _tickets(s: Scene) -> tuple[str, str]:
    """An urgent ticket filed at 05:00 (due 09:00, so late at 10:00) and a normal one filed now."""
    actor = s.owner.to_actor()
    late = await create_ticket(s.w.uow, actor, CreateTicket(s.dealer.id, "除湿机不出水", sku="DH20",  # type: ignore[arg-type]
                                                             priority=Priority.URGENT), fixed_clock("2026-11-26 05:00"))
    fresh = await create_ticket(s.w.uow, actor, CreateTicket(s.dealer.id, "滤网异响"), s.w.clock)  # type: ignore[arg-type]
    return late.number, fresh.number


async def test_ticket_list_puts_sla_breaches_first_with_a_clock() -> None:
    s = await scene()
    late, fresh = await _tickets(s)
    replies = await s.w.press(SERVICE, payload("staff.tickets"))
    shown = texts(replies)
    assert "待处理 2，⏰ 超时 1" in shown
    assert shown.index(late) < shown.index(fresh)
    assert buttons(replies)[f"⏰ {late}"] == payload("staff.ticket.detail", late)
    assert f"⏰ {fresh}" not in buttons(replies)


async def test_ticket_accept_comment_start_resolve_tell_the_dealer_each_time() -> None:
    s = await scene()
    late, _ = await _tickets(s)
    detail = await s.w.press(SERVICE, payload("staff.ticket.detail", late))
    assert "除湿机不出水" in texts(detail) and "已超时" in texts(detail)
    s.w.forget_pushes()
    accepted = await press(s.w, SERVICE, buttons(detail)["🙋 受理"], ref="t1")
    assert here(accepted)[0].edit_ref == "t1"
    assert (await s.w.pushed(DEALER_CHAT))[0].text == f"您的售后工单 {late} 已受理，处理人：用户301。"

    await s.w.press(SERVICE, payload("staff.ticket.comment", late))
    await s.w.say(SERVICE, "请提供机身序列号")
    assert (await s.w.pushed(DEALER_CHAT))[0].text == f"售后工单 {late} 有新留言（用户301）：请提供机身序列号"

    await s.w.press(SERVICE, payload("staff.ticket.start", late))
    assert "已开始处理" in texts(await s.w.pushed(DEALER_CHAT))
    await s.w.press(SERVICE, payload("staff.ticket.resolve", late))
    await s.w.say(SERVICE, "已上门更换排水泵")
    assert (await s.w.pushed(DEALER_CHAT))[0].text == f"您的售后工单 {late} 已处理完成：已上门更换排水泵\n问题解决了吗？"

    ticket = await s.w.uow.tickets.get_by(number=late)
    assert ticket is not None
    assert (ticket.status, ticket.assignee, ticket.resolution) == (TicketStatus.RESOLVED, "staff:chen", "已上门更换排水泵")
    assert [c.text for c in ticket.comments if c.status is None] == ["请提供机身序列号"]


@pytest.mark.parametrize(("steps", "said"), [
    ((), "{n} 修好了"), (("accept",), "{n} 修好了"), (("accept",), "{n}已经处理好了"), (("accept", "start"), "{n} 搞定了"),
    (("accept",), "{n} fixed"), ((), "{n} resolved"), (("accept", "start"), "{n} done"),
])
async def test_a_ticket_said_fixed_is_shown_with_the_resolve_button(steps: tuple[str, ...], said: str) -> None:
    """(was: the card with only the buttons of its status: an accepted ticket offered 🔧 开始处理, no way to say it
    was fixed at the first visit); nothing changes before the button and the resolution typed after it"""
    s = await scene()
    late, _ = await _tickets(s)
    for step in steps:
        await s.w.press(SERVICE, payload(f"staff.ticket.{step}", late))
    replies = await s.w.say(SERVICE, said.format(n=late))
    english = said.endswith(("fixed", "resolved", "done"))
    shown = texts(replies)
    assert (f"Mark {late} as resolved?" if english else f"要把 {late} 标记为已解决吗？") in shown, shown
    resolve = buttons(replies)["✅ Resolve" if english else "✅ 已解决"]
    assert resolve == payload("staff.ticket.resolve", late)
    ticket = await s.w.uow.tickets.get_by(number=late)
    assert ticket is not None and ticket.status != TicketStatus.RESOLVED
    await s.w.press(SERVICE, resolve)
    await s.w.say(SERVICE, "已上门更换排水泵")
    ticket = await s.w.uow.tickets.get_by(number=late)
    assert ticket is not None
    assert (ticket.status, ticket.assignee, ticket.resolution) == (TicketStatus.RESOLVED, "staff:chen", "已上门更换排水泵")


@pytest.mark.parametrize("answer", ["✔ 就用这句", "就用这句"])
async def test_what_was_said_with_the_number_is_offered_as_the_result(answer: str) -> None:
    """"AS-… 这个E3已经换过主板了 客户确认好了 可以结单" (was: "请输入处理结果" as if nothing had been said)."""
    s = await scene()
    late, _ = await _tickets(s)
    await s.w.press(SERVICE, payload("staff.ticket.accept", late))
    said = f"{late} 这个E3已经换过主板了 客户确认好了 可以结单"
    card = await s.w.say(SERVICE, said)
    asked = await s.w.press(SERVICE, buttons(card)["✅ 已解决"])
    assert "用您刚才说的吗" in texts(asked) and "换过主板了" in texts(asked)
    if answer.startswith("✔"):
        await s.w.press(SERVICE, buttons(asked)[answer])
    else:
        await s.w.say(SERVICE, answer)
    ticket = await s.w.uow.tickets.get_by(number=late)
    assert ticket is not None and ticket.status == TicketStatus.RESOLVED
    assert ticket.resolution == "这个E3已经换过主板了 客户确认好了 可以结单"


async def test_a_ticket_rejected_in_words_keeps_the_reason_and_asks_once() -> None:
    """"AS-… 这个不归售后 是质量问题 驳回让他走质量反馈" (was: only the card, the reason lost)."""
    s = await scene()
    _, fresh = await _tickets(s)
    asked = await s.w.say(SERVICE, f"{fresh} 这个不归售后 是质量问题 驳回让他走质量反馈")
    assert "确认驳回售后工单" in texts(asked) and "是质量问题" in texts(asked)
    ticket = await s.w.uow.tickets.get_by(number=fresh)
    assert ticket is not None and ticket.status != TicketStatus.REJECTED
    await s.w.press(SERVICE, buttons(asked)["❌ 确认驳回"])
    ticket = await s.w.uow.tickets.get_by(number=fresh)
    assert ticket is not None and ticket.status == TicketStatus.REJECTED and "是质量问题" in (ticket.reject_reason or "")
    assert "失效" in texts(await s.w.press(SERVICE, buttons(asked)["❌ 确认驳回"]))     # once


@pytest.mark.parametrize("said", ["{n} 还没修好", "{n} 修好了吗", "{n} 怎么还没解决", "{n} not fixed yet"])
async def test_a_ticket_asked_about_or_not_fixed_is_just_its_card(said: str) -> None:
    s = await scene()
    late, _ = await _tickets(s)
    shown = texts(await s.w.say(SERVICE, said.format(n=late)))
    assert late in shown and "标记为已解决吗" not in shown and "as resolved?" not in shown


async def test_ticket_reject_needs_a_reason_and_a_second_accept_is_told() -> None:
    s = await scene()
    _, fresh = await _tickets(s)
    await s.w.user("302", Role.AFTER_SALES, username="sun")
    await s.w.press(SERVICE, payload("staff.ticket.accept", fresh))
    told = await s.w.press("302", payload("staff.ticket.accept", fresh))
    assert "已由 用户301 于 10:00 处理（已受理）" in texts(told)
    await s.w.press(SERVICE, payload("staff.ticket.reject", fresh))
    s.w.forget_pushes()
    await s.w.say(SERVICE, "非本公司产品")
    assert (await s.w.pushed(DEALER_CHAT))[0].text == f"您的售后工单 {fresh} 未受理，原因：非本公司产品"
    ticket = await s.w.uow.tickets.get_by(number=fresh)
    assert ticket is not None and ticket.status == TicketStatus.REJECTED and ticket.reject_reason == "非本公司产品"


# --- dealer applications, documents, materials -----------------------------------------------------

async def test_dealer_application_detail_shows_the_checklist_then_approve_activates() -> None:
    s = await scene()
    applicant = await s.w.dealer(name="南京宏达商贸有限公司", status=DealerStatus.UNDER_REVIEW)
    applicant_owner = await s.w.user("110", Role.DEALER_OWNER, applicant)
    assert applicant_owner.id is not None
    detail = await s.w.press(MANAGER, payload("staff.dealer.detail", applicant.code))
    assert "营业执照：有效" in texts(detail) and "授权书：有效" in texts(detail)
    replies = await press(s.w, MANAGER, buttons(detail)["✅ 通过"], ref="d1")
    assert here(replies)[0].edit_ref == "d1" and "入驻已通过" in here(replies)[0].text
    assert "南京宏达商贸有限公司 的入驻申请已审核通过" in texts(await s.w.pushed("110"))
    assert not await s.w.pushed(DEALER_CHAT)
    stored = await s.w.uow.dealers.get(applicant.id)  # type: ignore[arg-type]
    assert stored is not None and stored.status == DealerStatus.ACTIVE
    again = await s.w.press(MANAGER, payload("staff.dealer.approve", applicant.code))
    assert "您已于 10:00 处理过（合作中）" in texts(again)


async def test_dealer_application_with_missing_documents_is_refused_then_sent_back() -> None:
    s = await scene()
    applicant = await s.w.uow.dealers.add(make_prospect(code="D9001", name="成都锦程贸易有限公司",
                                                        status=DealerStatus.UNDER_REVIEW))
    await s.w.uow.commit()
    await s.w.user("120", Role.DEALER_OWNER, applicant)
    refused = await s.w.press(MANAGER, payload("staff.dealer.approve", "D9001"))
    assert "资质不齐" in texts(refused) and "营业执照：缺失" in texts(refused)
    await s.w.press(MANAGER, payload("staff.dealer.reject", "D9001"))
    await s.w.say(MANAGER, "请上传营业执照")
    assert "退回修改，原因：请上传营业执照" in texts(await s.w.pushed("120"))
    stored = await s.w.uow.dealers.get_by(code="D9001")
    assert stored is not None and stored.status == DealerStatus.PROSPECT and stored.status_reason == "请上传营业执照"


async def test_qualification_approve_and_reject_tell_the_dealer() -> None:
    s = await scene()
    assert s.dealer.id is not None
    doc1 = await s.w.uow.qualifications.add(make_document(s.dealer.id, DocumentType.OPERATING_PERMIT,
                                                          status=ReviewStatus.PENDING, number="XK-001"))
    doc2 = await s.w.uow.qualifications.add(make_document(s.dealer.id, DocumentType.TAX_REGISTRATION,
                                                          status=ReviewStatus.PENDING, number="SW-002"))
    await s.w.uow.commit()
    await s.w.press(MANAGER, payload("staff.qual.approve", doc1.id))  # type: ignore[arg-type]
    assert (await s.w.pushed(DEALER_CHAT))[0].text == "您的经营许可证（编号 XK-001）已审核通过。"
    await s.w.press(MANAGER, payload("staff.qual.reject", doc2.id))  # type: ignore[arg-type]
    await s.w.say(MANAGER, "照片模糊")
    assert "您的税务登记证（编号 SW-002）未通过审核，原因：照片模糊" in texts(await s.w.pushed(DEALER_CHAT))
    stored = await s.w.uow.qualifications.get(doc2.id)  # type: ignore[arg-type]
    assert stored is not None and stored.status == ReviewStatus.REJECTED and stored.reviewed_by == "staff:zhao"
    told = await s.w.press(MANAGER, payload("staff.qual.reject", doc1.id))  # type: ignore[arg-type]
    assert "您已于 10:00 处理过（已通过）" in texts(told)


async def test_material_request_approve_reject_and_race() -> None:
    s = await scene()
    material = await s.w.uow.materials.add(MarketingMaterial(code="POS-01", name="门店海报", stock=50))
    await s.w.uow.commit()
    actor = s.owner.to_actor()
    first = await request_material(s.w.uow, actor, RequestMaterial(material.id, 10, "新店开业"), s.w.clock)  # type: ignore[arg-type]
    second = await request_material(s.w.uow, actor, RequestMaterial(material.id, 5), s.w.clock)  # type: ignore[arg-type]
    await s.w.user("401", Role.MARKETING, username="gao")
    await s.w.press("401", payload("staff.mat.approve", first.id))  # type: ignore[arg-type]
    assert (await s.w.pushed(DEALER_CHAT))[0].text == "您申请的物料“门店海报”×10 已批准。"
    late = await s.w.press(MANAGER, payload("staff.mat.approve", first.id))  # type: ignore[arg-type]
    assert "已由 用户401 于 10:00 处理（已批准）" in texts(late)
    stored_material = await s.w.uow.materials.get(material.id)  # type: ignore[arg-type]
    assert stored_material is not None and stored_material.stock == 50   # reserved; dispatch takes it out
    await s.w.press("401", payload("staff.mat.reject", second.id))  # type: ignore[arg-type]
    await s.w.say("401", "本季度已发放")
    assert "未获批准，原因：本季度已发放" in texts(await s.w.pushed(DEALER_CHAT))
    stored = await s.w.uow.material_requests.get(second.id)  # type: ignore[arg-type]
    assert stored is not None and stored.status == RequestStatus.REJECTED


# --- approvals and /today --------------------------------------------------------------------------

async def test_approvals_list_what_this_person_may_decide_with_prompt_buttons() -> None:
    s = await scene()
    await s.w.dealer(name="南京宏达商贸有限公司", status=DealerStatus.UNDER_REVIEW)
    manager = await s.w.press(MANAGER, payload("staff.approvals"))
    assert "订单 1，入驻申请 1" in texts(manager)
    assert "南京宏达商贸有限公司" in texts(manager) and s.order.number in texts(manager)
    payloads = {b.payload for r in manager for row in r.buttons for b in row}
    assert payload("staff.order.approve", s.order.number, 1) in payloads
    assert any(p.startswith("1|staff.dealer.approve|") for p in payloads)

    desk = await s.w.press(DESK, payload("staff.approvals"))
    assert s.order.number in texts(desk) and "南京宏达商贸有限公司" not in texts(desk)
    denied = await s.w.press(SERVICE, payload("staff.approvals"))
    assert texts(denied) == STAFF_DENIED


async def test_today_counts_what_each_role_may_see() -> None:
    s = await scene()
    await _tickets(s)
    assert s.dealer.id is not None
    await s.w.uow.qualifications.add(make_document(s.dealer.id, DocumentType.OPERATING_PERMIT,
                                                   expires_on=date(2026, 11, 30)))
    await s.w.dealer(status=DealerStatus.UNDER_REVIEW)
    await s.w.uow.commit()

    desk = texts(await s.w.say(DESK, "/today"))
    assert "待审批订单：1" in desk and "待配货：0" in desk and "待发货：0" in desk
    assert "售后工单" not in desk and "入驻申请" not in desk

    service = texts(await s.w.say(SERVICE, "/today"))
    assert "售后工单：2（⏰ 超时 1）" in service and "除湿机不出水" in service
    assert "待审批订单" not in service and "到期资质" not in service

    manager = texts(await s.w.press(MANAGER, payload("staff.today")))
    assert "待审批订单：1" in manager and "入驻申请：1" in manager
    assert "7 天内到期资质：1" in manager and "经营许可证 2026-11-30（4 天）" in manager
    assert "待配货" not in manager and "售后工单：" not in manager


async def test_today_after_approval_moves_the_order_to_the_desk_column() -> None:
    s = await scene()
    await press(s.w, MANAGER, payload("staff.order.approve", s.order.number))
    desk = texts(await s.w.say(DESK, "/today"))
    assert "待审批订单：0" in desk and "待配货：1" in desk


# --- who may press what ----------------------------------------------------------------------------

@pytest.mark.parametrize("action", [
    "staff.order.approve", "staff.order.reject", "staff.order.detail", "staff.alloc", "staff.alloc.wh",
    "staff.ship", "staff.ship.carrier", "staff.orders", "staff.tickets", "staff.ticket.accept",
    "staff.ticket.resolve", "staff.approvals", "staff.today", "staff.dealer.approve", "staff.qual.approve",
    "staff.mat.approve",
])
async def test_a_dealer_forging_staff_buttons_is_refused_and_nothing_changes(action: str) -> None:
    s = await scene()
    late, _ = await _tickets(s)
    arg = {"staff.ticket.accept": late, "staff.ticket.resolve": late, "staff.dealer.approve": s.dealer.code,
           "staff.qual.approve": "1", "staff.mat.approve": "1"}.get(action, s.order.number)
    audit_before = len(s.w.uow.audit.rows)
    replies = await s.w.press(DEALER_CHAT, payload(action, arg, 0))
    assert texts(replies) == "您没有权限执行此操作"
    assert (await stored_order(s.w, s.order.number)).status == OrderStatus.SUBMITTED
    assert len(s.w.uow.audit.rows) == audit_before


async def test_staff_without_the_permission_is_refused() -> None:
    s = await scene()
    replies = await s.w.press(SERVICE, payload("staff.order.approve", s.order.number))
    assert texts(replies) == STAFF_DENIED          # staff are told where their own work is
    desk = await s.w.press(MANAGER, payload("staff.orders"))
    assert texts(desk) == STAFF_DENIED
    assert (await stored_order(s.w, s.order.number)).status == OrderStatus.SUBMITTED


async def test_unknown_order_and_malformed_arguments_are_answered_politely() -> None:
    s = await scene()
    missing = await s.w.press(MANAGER, payload("staff.order.approve", "SO-20990101-0001"))
    assert "未找到订单 SO-20990101-0001" in texts(missing)
    bad = await s.w.press(MANAGER, payload("staff.qual.approve", "abc"))
    assert "按钮已失效" in texts(bad)
    empty = await s.w.press(MANAGER, payload("staff.order.approve"))
    assert "按钮已失效" in texts(empty)


async def test_unbound_user_gets_binding_help_for_today() -> None:
    w = ChatWorld()
    replies = await w.say("999", "/today")
    assert "绑定码" in texts(replies) and "今日待办（" not in texts(replies)


# --- languages -------------------------------------------------------------------------------------

async def test_english_staff_and_english_dealer_chat_each_get_their_language() -> None:
    s = await scene()
    await s.w.say(DEALER_CHAT, "/lang en")
    await s.w.say(MANAGER, "/lang en")
    replies = await s.w.press(MANAGER, payload("staff.order.approve", s.order.number))
    assert "Approved" in here(replies)[0].text and "By 用户202 at 10:00" in here(replies)[0].text
    assert (await s.w.pushed(DEALER_CHAT))[0].text == f"Your order {s.order.number} has been approved (¥39,980.00)."
    # the order desk did not choose a language: Chinese
    assert "已审核，待配货" in (await s.w.pushed(DESK))[0].text

    await press(s.w, DESK, payload("staff.alloc.wh", s.order.number, 0))
    await press(s.w, DESK, payload("staff.ship.carrier", s.order.number, 2))
    s.w.forget_pushes()
    await s.w.say(DESK, "JD0001234")
    assert (await s.w.pushed(DEALER_CHAT))[0].text == (
        f"Your order {s.order.number} has shipped: JD Logistics, tracking number JD0001234.")


async def test_a_staff_member_refused_in_english_is_told_where_their_work_is() -> None:
    s = await scene()
    await s.w.say(SERVICE, "/lang en")
    replies = await s.w.press(SERVICE, payload("staff.order.approve", s.order.number))
    assert texts(replies) == ("You are not allowed to do this\nThis is not part of your role; /today shows what waits "
                              "for you, /help what you can do.")


async def test_the_ticket_card_names_the_product_and_a_serial_only_when_there_is_one() -> None:
    # was "产品：DH20 " (the code, and a space where no serial was given)
    s = await scene()
    late, _ = await _tickets(s)
    shown = texts(await s.w.press(SERVICE, payload("staff.ticket.detail", late)))
    product = await s.w.uow.products.get_by(sku="DH20")
    assert product is not None
    assert f"产品：{product.name}（DH20）\n" in shown, shown
