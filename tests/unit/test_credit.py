"""Credit limit changes and temporary credit (issue 14): requested by a channel manager or finance, decided by
someone else who may (CREDIT_APPROVE), audited, the dealer told in chat; temporary credit raises the
headroom orders get until its last day and not after, and the dealer is told before and after it lapses.

The dealer (credit limit ¥100,000.00, no prepayment) orders AP300 at ¥1,999.00: 80 of them are ¥159,920.00.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

import pytest

from core.credit import CreditChangeKind, CreditChangeStatus
from core.dealers import DealerStatus
from core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from core.services.accounts import get_balances
from core.services.credit import (
    RequestCreditChange,
    decide_credit_change,
    list_pending_credit_changes,
    request_credit_change,
    temporary_credit_check,
)
from core.services.dealers import UpdateDealer, update_dealer
from core.services.orders import QuoteOrder, quote_order
from core.users import Actor, Role
from handlers.router import payload
from notifications.checks import Checks
from notifications.scheduler import DEFAULT_SCHEDULE
from tests.chat import ChatWorld, buttons, texts
from tests.factories import dealer_user, fixed_clock, staff
from tests.fakes import FakeOutboxStore

FINANCE_2 = replace(staff(Role.FINANCE, name="qian"), user_id=None)   # not a user id of the world's users
NOW = fixed_clock("2026-12-04 10:00")


async def _world():
    w = ChatWorld(clock=NOW)
    await w.catalogue()
    dealer = await w.dealer(name="杭州绿源电器有限公司", code="D0021", credit_limit=Decimal("100000.00"))
    other = await w.dealer(name="苏州清风商贸有限公司", code="D0022", credit_limit=Decimal("80000.00"))
    await w.user("100", Role.DEALER_OWNER, dealer)
    await w.user("200", Role.DEALER_OWNER, other)
    staff_users = Staff(cm=(await w.user("300", Role.CHANNEL_MANAGER, username="zhou")).to_actor(),
                        finance=(await w.user("400", Role.FINANCE, username="wu")).to_actor(),
                        boss=(await w.user("500", Role.MANAGEMENT, username="zhao")).to_actor())
    w.forget_pushes()
    return w, dealer, other, staff_users


@dataclass(frozen=True)
class Staff:
    """The stored staff users as actors (their chats: 300, 400, 500)."""

    cm: Actor
    finance: Actor
    boss: Actor


async def test_a_limit_change_requested_approved_audited_and_told() -> None:
    w, dealer, other, p = await _world()
    change = await request_credit_change(w.uow, p.cm, RequestCreditChange(
        dealer.id, CreditChangeKind.LIMIT, Decimal("150000"), "  旺季备货，  回款记录良好 "), NOW)
    assert (change.number, change.previous_limit, change.reason) == (
        "CR-20261204-0001", Decimal("100000.00"), "旺季备货， 回款记录良好")
    asked = texts(await w.pushed("400"))
    assert "额度申请 CR-20261204-0001：D0021 杭州绿源电器有限公司 调整信用额度 ¥150,000.00" in asked
    assert "当前额度 ¥100,000.00；原因：旺季备货， 回款记录良好（staff:zhou）" in asked
    assert "额度申请" in texts(await w.pushed("500"))
    assert not await w.pushed("300") and not await w.pushed("100")       # the requester and the dealer: not yet

    [pending] = await list_pending_credit_changes(w.uow, p.finance)
    assert pending.may_decide and pending.dealer_code == "D0021"
    assert "信用额度 ¥100,000.00 → ¥150,000.00" in pending.summary("zh")
    assert not (await list_pending_credit_changes(w.uow, p.cm))[0].may_decide       # its own request
    with pytest.raises(PermissionDenied):
        await decide_credit_change(w.uow, p.cm, change.id, True, "", NOW)            # no CREDIT_APPROVE
    assert (await w.uow.dealers.get(dealer.id)).credit_limit == Decimal("100000.00")

    decided = await decide_credit_change(w.uow, p.finance, change.id, True, "同意", NOW)
    assert (decided.status, decided.decided_by) == (CreditChangeStatus.APPROVED, "staff:wu")
    assert (await w.uow.dealers.get(dealer.id)).credit_limit == Decimal("150000.00")
    assert (await w.uow.dealers.get(other.id)).credit_limit == Decimal("80000.00")
    [audit] = [a for a in w.uow.audit.rows if a.action == "dealer.credit"]
    assert (audit.actor, audit.before["credit_limit"], audit.after["credit_limit"]) == (
        "staff:wu", "100000.00", "150000.00")
    assert {"credit.request", "credit.approve"} <= {a.action for a in w.uow.audit.rows}
    assert "您的信用额度已调整为 ¥150,000.00（原 ¥100,000.00）" in texts(await w.pushed("100"))
    assert "已批准" in texts(await w.pushed("300"))                               # the requester hears back
    assert not await w.pushed("200")                                              # another dealer hears nothing
    with pytest.raises(InvalidTransition):
        await decide_credit_change(w.uow, p.boss, change.id, False, "重复", NOW)      # decided once


async def test_nobody_decides_their_own_request_and_a_rejection_needs_a_reason() -> None:
    w, dealer, _, p = await _world()
    change = await request_credit_change(w.uow, p.finance, RequestCreditChange(
        dealer.id, CreditChangeKind.TEMPORARY, Decimal("50000"), "双十二备货", until=date(2026, 12, 31)), NOW)
    with pytest.raises(PermissionDenied) as own:
        await decide_credit_change(w.uow, p.finance, change.id, True, "", NOW)
    assert "不能审批自己提交的额度申请" in own.value.message("zh")
    with pytest.raises(InvalidTransition):        # one pending request per dealer and kind
        await request_credit_change(w.uow, p.cm, RequestCreditChange(
            dealer.id, CreditChangeKind.TEMPORARY, Decimal("10000"), "再加", until=date(2026, 12, 20)), NOW)
    with pytest.raises(ValidationFailed):
        await decide_credit_change(w.uow, FINANCE_2, change.id, False, "  ", NOW)
    with pytest.raises(InvalidTransition) as late:          # temporary credit whose last day has passed
        await decide_credit_change(w.uow, FINANCE_2, change.id, True, "", fixed_clock("2027-01-01 09:00"))
    assert "截止日期 2026-12-31 已过" in late.value.message("zh")
    rejected = await decide_credit_change(w.uow, FINANCE_2, change.id, False, "回款逾期", NOW)
    assert rejected.status == CreditChangeStatus.REJECTED and rejected.decision_note == "回款逾期"
    assert (await w.uow.dealers.get(dealer.id)).temporary_credit == Decimal("0.00")
    assert not await w.pushed("100")
    told = texts(await w.pushed("400"))
    assert "额度申请 CR-20261204-0001（D0021 杭州绿源电器有限公司 临时额度 ¥50,000.00）已驳回。回款逾期" in told
    assert "原因：双十二备货" not in told                      # not asked to decide its own request


@pytest.mark.parametrize(("cmd", "says"), [
    (RequestCreditChange(0, CreditChangeKind.LIMIT, Decimal("100000"), "不变"), "与当前额度相同"),
    (RequestCreditChange(0, CreditChangeKind.LIMIT, Decimal("-1"), "负数"), "不能为负"),
    (RequestCreditChange(0, CreditChangeKind.LIMIT, Decimal("120000"), " "), "请说明调整原因"),
    (RequestCreditChange(0, CreditChangeKind.TEMPORARY, Decimal("5000"), "无期限"), "截止日期"),
    (RequestCreditChange(0, CreditChangeKind.TEMPORARY, Decimal("5000"), "过去", until=date(2026, 12, 3)), "截止日期"),
    (RequestCreditChange(0, CreditChangeKind.TEMPORARY, Decimal("5000"), "太久", until=date(2028, 1, 1)), "最长"),
])
async def test_requests_that_make_no_sense_are_refused(cmd: RequestCreditChange, says: str) -> None:
    w, dealer, _, p = await _world()
    with pytest.raises(ValidationFailed) as refused:
        await request_credit_change(w.uow, p.cm, RequestCreditChange(dealer.id, cmd.kind, cmd.amount, cmd.reason,
                                                                     cmd.until), NOW)
    assert says in refused.value.message("zh") and not w.uow.credit_changes.rows
    with pytest.raises(PermissionDenied):          # a dealer asks for its own credit only (QA s26 #3)
        await request_credit_change(w.uow, dealer_user((dealer.id or 0) + 100), RequestCreditChange(
            dealer.id, CreditChangeKind.LIMIT, Decimal("999999"), "替别人要"), NOW)


async def test_temporary_credit_raises_the_headroom_until_its_last_day_and_not_after() -> None:
    w, dealer, _, p = await _world()
    order = QuoteOrder(dealer.id, [("AP300", 80)])                    # ¥159,920.00 on credit alone
    before = await quote_order(w.uow, dealer_user(dealer.id), order, NOW)
    assert before.payment.shortfall == Decimal("59920.00") and before.approval_reasons

    change = await request_credit_change(w.uow, p.cm, RequestCreditChange(
        dealer.id, CreditChangeKind.TEMPORARY, Decimal("60000"), "双十二备货", until=date(2026, 12, 31)), NOW)
    await decide_credit_change(w.uow, p.boss, change.id, True, "", NOW)
    assert "临时额度 ¥60,000.00，有效期至 2026-12-31" in texts(await w.pushed("100"))
    last_day, day_after = fixed_clock("2026-12-31 23:00"), fixed_clock("2027-01-01 00:30")
    within = await quote_order(w.uow, dealer_user(dealer.id), order, last_day)
    assert within.payment.from_credit == Decimal("159920.00") and within.payment.shortfall == Decimal("0.00")
    assert not within.approval_reasons
    after = await quote_order(w.uow, dealer_user(dealer.id), order, day_after)
    assert after.payment.shortfall == Decimal("59920.00") and after.approval_reasons
    assert (await get_balances(w.uow, dealer_user(dealer.id), dealer.id, last_day)).credit_available == Decimal(
        "160000.00")
    lapsed = await get_balances(w.uow, dealer_user(dealer.id), dealer.id, day_after)
    assert (lapsed.credit_limit, lapsed.credit_available, lapsed.temporary_credit) == (
        Decimal("100000.00"), Decimal("100000.00"), Decimal("0.00"))

    shown = texts(await w.say("100", "信用额度还剩多少"))
    assert "💳 信用额度：可用 ¥160,000.00（额度 ¥160,000.00，已用 ¥0.00）" in shown
    assert "含临时额度 ¥60,000.00，有效期至 2026-12-31" in shown


async def test_the_dealer_is_told_before_temporary_credit_ends_and_when_it_lapsed() -> None:
    w, dealer, other, p = await _world()
    change = await request_credit_change(w.uow, p.cm, RequestCreditChange(
        dealer.id, CreditChangeKind.TEMPORARY, Decimal("60000"), "双十二备货", until=date(2026, 12, 31)), NOW)
    await decide_credit_change(w.uow, p.finance, change.id, True, "", NOW)
    w.forget_pushes()

    def scheduled(at: str) -> Checks:        # the scheduler runs it by name ("credit_lapses", 09:40 daily)
        return Checks(lambda: w.uow, FakeOutboxStore(w.uow), fixed_clock(at))

    assert await scheduled("2026-12-27 09:40").run("credit_lapses") == 0
    assert await scheduled("2026-12-28 09:40").run("credit_lapses") == 1
    assert await temporary_credit_check(w.uow, fixed_clock("2026-12-28 15:00")) == 0      # once
    assert DEFAULT_SCHEDULE["credit_lapses"] == "40 9 * * *"
    assert "临时额度 ¥60,000.00 将于 2026-12-31 到期，之后信用额度恢复为 ¥100,000.00" in texts(await w.pushed("100"))
    assert await temporary_credit_check(w.uow, fixed_clock("2027-01-01 09:00")) == 1
    assert "已于 2026-12-31 到期，信用额度恢复为 ¥100,000.00" in texts(await w.pushed("100"))
    assert not await w.pushed("200")


async def test_an_approver_grants_less_than_asked_in_words_or_with_the_button() -> None:
    """QA s27 #8: "批到70万吧 80万太多了" got a stock-transfer answer and ✅ 批准 granted all of it at one tap."""
    w, dealer, _, p = await _world()
    asked = await request_credit_change(w.uow, p.cm, RequestCreditChange(
        dealer.id, CreditChangeKind.LIMIT, Decimal("800000"), "旺季备货"), NOW)
    card = await w.say("400", "批到70万吧 80万太多了")
    said = texts(card)
    assert "请确认批准额度申请" in said and "批准金额：¥700,000.00（申请 ¥800,000.00）" in said
    assert (await w.uow.credit_changes.get(asked.id)).status == "pending"          # nothing before the confirm
    done = texts(await w.press("400", buttons(card)["✅ 按 ¥700,000.00 批准"]))
    assert "已批准" in done
    change = await w.uow.credit_changes.get(asked.id)
    assert change.amount == Decimal("700000.00") and "申请 ¥800,000.00" in change.decision_note
    assert (await w.uow.dealers.get(dealer.id)).credit_limit == Decimal("700000.00")
    assert "¥700,000.00" in texts(await w.pushed("100"))

    other = await request_credit_change(w.uow, p.cm, RequestCreditChange(
        dealer.id, CreditChangeKind.LIMIT, Decimal("900000"), "再加"), NOW)
    card = await w.press("400", payload("cr.ok", other.id))
    asked_amount = await w.press("400", buttons(card)["✏️ 改批金额"])
    assert "批多少" in texts(asked_amount)
    again = await w.say("400", "75万")
    assert "批准金额：¥750,000.00（申请 ¥900,000.00）" in texts(again)
    assert "已批准" in texts(await w.say("400", "确认"))
    assert (await w.uow.dealers.get(dealer.id)).credit_limit == Decimal("750000.00")


async def test_approvers_decide_in_chat_from_the_push_or_the_list() -> None:
    w, dealer, _, p = await _world()
    limit = await request_credit_change(w.uow, p.cm, RequestCreditChange(
        dealer.id, CreditChangeKind.LIMIT, Decimal("150000"), "旺季备货"), NOW)
    temporary = await request_credit_change(w.uow, p.finance, RequestCreditChange(
        dealer.id, CreditChangeKind.TEMPORARY, Decimal("50000"), "双十二", until=date(2026, 12, 31)), NOW)
    push = await w.pushed("500")
    assert [b.payload for b in push[0].buttons[0]] == [payload("cr.ok", limit.id), payload("cr.no", limit.id)]
    assert "CR-20261204-0001" in push[0].text and len(push) == 2

    listing = await w.say("400", "/credit")                    # finance: the CM's request, and its own
    assert texts(listing).startswith("💳 待审批的额度申请（2）：")
    assert "信用额度 ¥100,000.00 → ¥150,000.00；原因：旺季备货（staff:zhou）" in texts(listing)
    assert "（您提交的申请，由其他审批人处理）" in texts(listing)
    assert [b.payload for r in listing for row in r.buttons for b in row] == [
        payload("cr.ok", limit.id), payload("cr.no", limit.id), payload("cr.new")]    # finance may ask too
    refused = texts(await w.press("400", payload("cr.ok", temporary.id)))
    assert "不能审批自己提交的额度申请" in refused

    card = await w.press("400", payload("cr.ok", limit.id))      # a money decision: confirmed (QA s27 #8)
    assert "请确认批准额度申请" in texts(card) and (await w.uow.credit_changes.get(limit.id)).status == "pending"
    assert "额度申请 CR-20261204-0001：已批准。" in texts(await w.press("400", buttons(card)["✅ 确认批准"]))
    assert "请输入驳回额度申请的原因" in texts(await w.press("500", payload("cr.no", temporary.id)))
    assert "额度申请 CR-20261204-0002：已驳回。" in texts(await w.say("500", "回款周期偏长"))
    assert (await w.uow.credit_changes.get(temporary.id)).decision_note == "回款周期偏长"
    assert "没有待审批的额度申请" in texts(await w.say("500", "/credit"))
    assert "没有待审批的额度申请" in texts(await w.say("300", "/credit"))     # a requester sees the list too
    assert "仅限有额度审批权限" in texts(await w.press("300", payload("cr.ok", limit.id)))   # but decides nothing
    assert "仅限有额度审批权限" in texts(await w.press("100", payload("cr.ok", limit.id)))
    told = texts(await w.pushed("100"))
    assert "您的信用额度已调整为 ¥150,000.00" in told and "临时额度" not in told


async def test_a_trading_dealer_s_limit_is_not_edited_directly() -> None:
    """The dealer form (update_dealer) sets a limit during onboarding only; afterwards it takes a request."""
    w, dealer, _, p = await _world()
    with pytest.raises(ValidationFailed) as refused:
        await update_dealer(w.uow, p.cm, UpdateDealer(dealer.id, credit_limit=Decimal("500000")), NOW)
    assert "须提交额度申请" in refused.value.message("zh")
    assert (await w.uow.dealers.get(dealer.id)).credit_limit == Decimal("100000.00")
    await update_dealer(w.uow, p.cm, UpdateDealer(dealer.id, credit_limit=Decimal("100000"), city="宁波"), NOW)
    prospect = await w.dealer(code="D0029", status=DealerStatus.PROSPECT)
    await update_dealer(w.uow, p.cm, UpdateDealer(prospect.id, credit_limit=Decimal("30000")), NOW)
    assert (await w.uow.dealers.get(prospect.id)).credit_limit == Decimal("30000.00")


async def test_a_channel_manager_asks_in_chat_and_a_second_tap_asks_nothing_twice() -> None:
    w, dealer, _, p = await _world()
    offered = await w.say("300", "/credit")                    # a requester: what waits, and the form
    assert "没有待审批的额度申请" in texts(offered) and buttons(offered)["➕ 申请调整额度"] == payload("cr.new")
    assert "请输入经销商编码" in texts(await w.press("300", payload("cr.new")))
    assert "没有找到经销商“D9999”" in texts(await w.say("300", "D9999"))
    kind = await w.say("300", "d0021")
    assert "D0021 杭州绿源电器有限公司\n当前信用额度 ¥100,000.00" in texts(kind)
    assert buttons(kind)["临时额度"] == payload("cr.kind", "temporary")
    assert "临时额度金额" in texts(await w.press("300", payload("cr.kind", "temporary")))
    assert "请输入金额" in texts(await w.say("300", "很多"))
    assert "用到哪天" in texts(await w.say("300", "5万"))
    assert "没看懂日期" in texts(await w.say("300", "下下下个世纪"))
    assert "请说明原因" in texts(await w.say("300", "2026-12-31"))
    summary = await w.say("300", "双十二备货")
    assert "经销商：D0021 杭州绿源电器有限公司\n临时额度：¥50,000.00，至 2026-12-31\n原因：双十二备货" in texts(summary)
    submit = buttons(summary)["✅ 提交审批"]
    assert "已提交额度申请 CR-20261204-0001" in texts(await w.press("300", submit))
    assert "已提交额度申请 CR-20261204-0001" in texts(await w.press("300", submit))     # same request
    [change] = w.uow.credit_changes.rows
    assert (change.kind, change.amount, change.until, change.requested_by) == (
        CreditChangeKind.TEMPORARY, Decimal("50000.00"), date(2026, 12, 31), "staff:zhou")
    assert "额度申请 CR-20261204-0001" in texts(await w.pushed("400"))      # the approvers are asked
    mine = texts(await w.say("300", "/credit"))
    assert "临时额度 ¥50,000.00，至 2026-12-31" in mine and "（您提交的申请，等待审批）" in mine

    await w.press("400", payload("cr.new"))                    # finance asks for a new limit, "30万"
    await w.say("400", "D0021")
    await w.press("400", payload("cr.kind", "limit"))
    assert "请说明原因" in texts(await w.say("400", "30万"))
    limit = await w.say("400", "年度评级上调")
    assert "调整信用额度：¥100,000.00 → ¥300,000.00" in texts(limit)
    await w.press("400", buttons(limit)["✅ 提交审批"])
    assert [c.amount for c in w.uow.credit_changes.rows] == [Decimal("50000.00"), Decimal("300000.00")]
    assert "申请调整额度仅限渠道经理和财务" in texts(await w.press("500", payload("cr.new")))   # management decides


async def test_the_request_confirmed_in_words_is_submitted_and_other_words_say_it_waits() -> None:
    """"提交审批" typed under the request (was: read as something else, the request never made, nothing said)."""
    w, _, _, _ = await _world()
    await w.press("300", payload("cr.new"))
    await w.say("300", "d0021")
    await w.press("300", payload("cr.kind", "temporary"))
    await w.say("300", "5万")
    await w.say("300", "2026-12-31")
    await w.say("300", "双十二备货")
    waits = texts(await w.say("300", "嗯 我看看"))
    assert "还没有提交" in waits and not w.uow.credit_changes.rows
    assert "已提交额度申请 CR-20261204-0001" in texts(await w.say("300", "提交审批"))
    assert len(w.uow.credit_changes.rows) == 1
