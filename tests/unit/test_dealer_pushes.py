"""The dealer hears what happens to its business without asking: every decision staff take about its orders,
tickets, quality reports, payments and credit is pushed to its own users (not another dealer's), rendered in the
language each chat chose."""

from __future__ import annotations

from decimal import Decimal

from core.accounts import AccountKind
from core.credit import CreditChangeKind
from core.quality import CorrectiveStatus
from core.services import aftersales, credit, orders, payments, quality
from core.users import Role
from handlers.messages import Reply
from tests.chat import ChatWorld, texts
from tests.factories import staff

ZH, EN, OTHER = "500", "501", "600"


async def world() -> tuple[ChatWorld, int, int]:
    """Dealer A with an owner on chat 500 (Chinese) and a clerk on 501 (English); dealer B's owner on 600."""
    w = ChatWorld()
    await w.catalogue()
    a = await w.dealer(name="上海华信电器有限公司")
    b = await w.dealer(name="宁波海川贸易有限公司")
    await w.user(ZH, Role.DEALER_OWNER, a, username="a.owner")
    await w.user(EN, Role.DEALER_CLERK, a, username="a.clerk")
    await w.user(OTHER, Role.DEALER_OWNER, b, username="b.owner")
    await w.say(EN, "/lang en")
    w.forget_pushes()
    assert a.id is not None and b.id is not None
    return w, a.id, b.id


async def heard(w: ChatWorld) -> tuple[str, str, str]:
    """What each chat was pushed since the last call: Chinese owner, English clerk, the other dealer."""
    return texts(await w.pushed(ZH)), texts(await w.pushed(EN)), texts(await w.pushed(OTHER))


def payloads(replies: list[Reply]) -> list[str]:
    return [b.payload for r in replies for row in r.buttons for b in row]


async def test_order_decisions_reach_the_dealer_in_each_chats_language() -> None:
    w, a_id, _ = await world()
    desk = staff(Role.ORDER_DESK)
    order = await w.order(await w.uow.dealers.get(a_id), [("AP300", 2)])  # type: ignore[arg-type]
    await heard(w)

    await orders.approve_order(w.uow, desk, orders.ApproveOrder(number=order.number, over_limit=True), w.clock)
    zh, en, other = await heard(w)
    assert f"您的订单 {order.number} 已审核通过" in zh and f"Your order {order.number} has been approved" in en
    assert other == ""

    await orders.allocate_order(w.uow, desk, orders.AllocateOrder(number=order.number), w.clock)
    await heard(w)
    await orders.ship_order(w.uow, staff(Role.ADMIN), orders.ShipOrder(number=order.number, carrier="顺丰",
                                                                       tracking_no="SF1234567890"), w.clock)
    zh, en, other = await heard(w)
    assert "已发货，承运商 顺丰，单号 SF1234567890" in zh and "SF Express, tracking number SF1234567890" in en
    assert other == ""


async def test_a_rejection_and_a_cancellation_by_staff_say_why() -> None:
    w, a_id, _ = await world()
    desk = staff(Role.ORDER_DESK)
    dealer = await w.uow.dealers.get(a_id)
    rejected = await w.order(dealer, [("AP300", 1)])  # type: ignore[arg-type]
    await heard(w)
    await orders.reject_order(w.uow, desk, orders.RejectOrder(number=rejected.number, reason="价格有误"), w.clock)
    zh, en, other = await heard(w)
    assert "未通过审核，原因：价格有误" in zh and "was rejected: 价格有误" in en and other == ""

    cancelled = await w.order(dealer, [("AP300", 1)], to="approved")  # type: ignore[arg-type]
    await heard(w)
    await orders.cancel_order(w.uow, staff(Role.ADMIN), orders.CancelOrder(number=cancelled.number,
                                                                           reason="型号停产"), w.clock)
    zh, en, other = await heard(w)
    assert f"您的订单 {cancelled.number} 已由厂家取消。原因：型号停产。" in zh
    assert "was cancelled by the maker. Reason: 型号停产." in en and other == ""


async def test_ticket_steps_reach_the_dealer_including_who_was_assigned() -> None:
    w, a_id, _ = await world()
    li, chen = staff(Role.AFTER_SALES, name="li"), await w.user("700", Role.AFTER_SALES, username="chen")
    ticket = await aftersales.create_ticket(w.uow, staff(Role.AFTER_SALES), aftersales.CreateTicket(
        dealer_id=a_id, description="除湿机不出水", sku="DH20"), w.clock)
    await heard(w)

    await aftersales.accept_ticket(w.uow, li, ticket.number, w.clock)
    zh, en, other = await heard(w)
    assert f"售后工单 {ticket.number} 已受理" in zh and "has been accepted" in en and other == ""
    await aftersales.assign_ticket(w.uow, li, ticket.number, "chen", w.clock)
    zh, en, other = await heard(w)
    assert f"售后工单 {ticket.number} 已安排 {chen.display_name} 负责处理" in zh
    assert f"is now handled by {chen.display_name}" in en and other == ""
    assert "已指派给您" in texts(await w.pushed("700"))            # the handler, as before
    await aftersales.request_info(w.uow, li, ticket.number, "请拍一下铭牌", w.clock)
    zh, en, other = await heard(w)
    assert "请拍一下铭牌" in zh and "请拍一下铭牌" in en and other == ""


async def test_a_quality_answer_a_payment_and_a_credit_decision_reach_the_dealer() -> None:
    w, a_id, _ = await world()
    async with w.uow as uow:
        owner = (await uow.users.get_by(username="a.owner")).to_actor()  # type: ignore[union-attr]
    report = await quality.submit_quality_feedback(w.uow, owner, quality.SubmitQualityFeedback(
        dealer_id=a_id, sku="AP300", defect_category="噪音", count=2, description="风扇异响"), w.clock)
    await heard(w)
    await quality.set_corrective_status(w.uow, staff(Role.QUALITY), report.number, CorrectiveStatus.INVESTIGATING,
                                        w.clock, note="已通知工厂排查")
    zh, en, other = await heard(w)
    assert report.number in zh and "已通知工厂排查" in zh and report.number in en and other == ""

    await payments.record_payment(w.uow, staff(Role.FINANCE), payments.RecordPayment(
        dealer_id=a_id, account=AccountKind.PREPAYMENT, amount=Decimal("5000.00"), method="bank_transfer",
        reference="HX-001", paid_on=w.clock.today()), w.clock)
    zh, en, other = await heard(w)
    assert "已收到您的付款 ¥5,000.00" in zh and "¥5,000.00" in en and other == ""

    asked = await credit.request_credit_change(w.uow, owner, credit.RequestCreditChange(
        dealer_id=a_id, kind=CreditChangeKind.LIMIT, amount=Decimal("2000000.00"), reason="旺季备货"), w.clock)
    await heard(w)
    await credit.decide_credit_change(w.uow, staff(Role.FINANCE), asked.id, False, "回款偏慢", w.clock)  # type: ignore[arg-type]
    zh, en, other = await heard(w)
    assert asked.number in zh and "回款偏慢" in zh and other == ""      # the owner asked: the owner hears

    again = await credit.request_credit_change(w.uow, owner, credit.RequestCreditChange(
        dealer_id=a_id, kind=CreditChangeKind.LIMIT, amount=Decimal("1500000.00"), reason="旺季备货"), w.clock)
    await heard(w)
    await credit.decide_credit_change(w.uow, staff(Role.FINANCE), again.id, True, "", w.clock)  # type: ignore[arg-type]
    zh, en, other = await heard(w)
    assert "信用额度已调整为 ¥1,500,000.00" in zh and "Your credit limit is now ¥1,500,000.00" in en
    assert zh.count("💳") == 1                     # the owner who asked is not told twice
    assert other == ""
