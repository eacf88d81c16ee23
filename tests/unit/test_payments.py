"""Payments, refunds and adjustments with a second person's approval, reversals (core.services.payments).

Dealer D0001 (id 1) has an owner user; finance is qian and wu (both ACCOUNT_POST); the threshold is the
default ¥10,000.00.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from core.accounts import AccountKind, EntryKind, FinanceRequestKind, FinanceRequestStatus, PaymentMethod
from core.errors import Conflict, InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from core.ledger import Balances
from core.services import payments as svc
from core.services.accounts import PostEntry, post_entry
from core.services.payments import RecordPayment, RequestAdjustment
from core.users import Role, User
from notifications.templates import render
from tests.factories import dealer_user, fixed_clock, make_dealer, payment, staff
from tests.fakes import FakeUnitOfWork

D = Decimal
CLOCK = fixed_clock("2026-12-04 10:00")
TODAY = date(2026, 12, 4)


@pytest.fixture
async def uow() -> FakeUnitOfWork:
    uow = FakeUnitOfWork()
    await uow.dealers.add(make_dealer(code="D0001"))
    await uow.dealers.add(make_dealer(code="D0002"))
    await uow.users.add(User(username="li", display_name="李老板", role=Role.DEALER_OWNER, dealer_id=1))
    await uow.users.add(User(username="qian", display_name="钱会计", role=Role.FINANCE))
    await uow.users.add(User(username="wu", display_name="吴出纳", role=Role.FINANCE))
    await uow.commit()
    uow.commits = 0
    return uow


# the stored users as actors (ids 2 and 3: the push to the one acting is skipped, so the ids must be theirs)
QIAN = User(username="qian", display_name="钱会计", role=Role.FINANCE, id=2).to_actor()
WU = User(username="wu", display_name="吴出纳", role=Role.FINANCE, id=3).to_actor()
DESK = staff(Role.ORDER_DESK, "desk")
OWNER = dealer_user(1, Role.DEALER_OWNER, "li")


def _pay(amount: str = "12000.00", account: AccountKind = AccountKind.PREPAYMENT, source: str | None = None,
         paid_on: date = TODAY, method: str = "bank_transfer", dealer_id: int = 1) -> RecordPayment:
    # a payment of its own source is its own bank slip (the same reference twice is refused: see below)
    return RecordPayment(dealer_id=dealer_id, account=account, amount=amount, method=method,
                         reference=f"HX20261204001{source or ''}", paid_on=paid_on, attachment="receipts/ab12.jpg",
                         source=source)


async def _balances(uow: FakeUnitOfWork, dealer_id: int = 1) -> Balances:
    return Balances.from_entries(await uow.ledger.list(dealer_id=dealer_id))


async def _pushes(uow: FakeUnitOfWork, kind: str) -> list[str]:
    return [render(m.kind, m.params, "zh").text for m in await uow.outbox.list(kind=kind)]


# --- payments ----------------------------------------------------------------------------------------------

async def test_a_payment_is_booked_audited_and_told(uow: FakeUnitOfWork) -> None:
    entry = await svc.record_payment(uow, QIAN, _pay("12000.5"), CLOCK)
    assert (entry.kind, entry.amount, entry.method, entry.paid_on) == (EntryKind.PAYMENT, D("12000.50"),
                                                                        "bank_transfer", TODAY)
    assert (entry.ref, entry.attachment, entry.created_by) == ("HX20261204001", "receipts/ab12.jpg", "staff:qian")
    assert (await _balances(uow)).prepayment == D("12000.50")
    assert uow.commits == 1
    [audit] = await uow.audit.list(action="ledger.payment")
    assert audit.after["amount"] == "12000.50"
    [text] = await _pushes(uow, "payment.received")
    assert "¥12,000.50" in text and "银行转账" in text and "预存款" in text
    en = [render(m.kind, m.params, "en").text for m in await uow.outbox.list(kind="payment.received")]
    assert "bank transfer" in en[0] and "prepayment" in en[0] and "银行" not in en[0]


async def test_the_same_source_books_once(uow: FakeUnitOfWork) -> None:
    first = await svc.record_payment(uow, QIAN, _pay("500", source="api:k1"), CLOCK)
    again = await svc.record_payment(uow, QIAN, _pay("500", source="api:k1"), CLOCK)
    assert again.id == first.id
    assert len(await uow.ledger.list()) == 1 and (await _balances(uow)).prepayment == D("500.00")
    with pytest.raises(Conflict):      # the key used for another payment
        await svc.record_payment(uow, QIAN, _pay("600", source="api:k1"), CLOCK)
    other = await svc.record_payment(uow, QIAN, _pay("500", source="api:k2"), CLOCK)
    assert other.id != first.id and (await _balances(uow)).prepayment == D("1000.00")


async def test_the_same_reference_is_not_booked_twice_unless_confirmed(uow: FakeUnitOfWork) -> None:
    """QA s27 #1: the same bank slip booked twice (a double entry, a colleague, a retry) credited the dealer twice."""
    first = await svc.record_payment(uow, QIAN, replace(_pay("50000"), reference="ICBC20261207-8812"), CLOCK)
    with pytest.raises(Conflict) as refused:
        await svc.record_payment(uow, WU, replace(_pay("50000"), reference=" ICBC20261207-8812 "), CLOCK)
    assert f"流水 #{first.id}" in refused.value.message("zh") and "¥50,000.00" in refused.value.message("zh")
    assert (await _balances(uow)).prepayment == D("50000.00")
    # another dealer's slip with that number, an empty reference, or a payment confirmed as another one: booked
    await svc.record_payment(uow, QIAN, replace(_pay("50000", dealer_id=2), reference="ICBC20261207-8812"), CLOCK)
    await svc.record_payment(uow, QIAN, replace(_pay("100"), reference=""), CLOCK)
    await svc.record_payment(uow, QIAN, replace(_pay("100"), reference=""), CLOCK)
    again = await svc.record_payment(uow, QIAN, replace(_pay("50000"), reference="ICBC20261207-8812",
                                                        same_reference_ok=True), CLOCK)
    assert again.id != first.id and (await _balances(uow)).prepayment == D("100200.00")


async def test_a_reversed_payment_may_be_booked_again_with_its_reference(uow: FakeUnitOfWork) -> None:
    first = await svc.record_payment(uow, QIAN, replace(_pay("800"), reference="B-1"), CLOCK)
    assert first.id is not None
    await svc.reverse_entry(uow, QIAN, first.id, "记错金额", CLOCK)
    await svc.record_payment(uow, QIAN, replace(_pay("8000"), reference="B-1"), CLOCK)
    assert (await _balances(uow)).prepayment == D("8000.00")


async def test_stage_payment_leaves_the_commit_to_the_caller(uow: FakeUnitOfWork) -> None:
    async with uow:
        await svc.stage_payment(uow, QIAN, _pay("100", source="bank:f1:1"), CLOCK)
        await svc.stage_payment(uow, QIAN, _pay("200", source="bank:f1:2", account=AccountKind.DEPOSIT), CLOCK)
        assert await svc.payment_by_source(uow, "bank:f1:2") is not None
        # no commit: rolled back
    assert uow.commits == 0 and await uow.ledger.list() == []


@pytest.mark.parametrize(("cmd", "words"), [
    (_pay("0"), "above zero"),
    (_pay("-5"), "above zero"),
    (_pay(account=AccountKind.REBATE), "prepayment or the deposit"),
    (_pay(account=AccountKind.CREDIT), "prepayment or the deposit"),
    (_pay(paid_on=date(2026, 12, 5)), "future"),
    (_pay(method="wechat"), "bank_transfer, acceptance_bill or cash"),
])
async def test_payment_rules(uow: FakeUnitOfWork, cmd: RecordPayment, words: str) -> None:
    with pytest.raises(ValidationFailed) as err:
        await svc.record_payment(uow, QIAN, cmd, CLOCK)
    assert words in err.value.message("en") and "输入有误" in err.value.message("zh")
    assert await uow.ledger.list() == []


async def test_who_may_record_a_payment(uow: FakeUnitOfWork) -> None:
    for actor in (DESK, OWNER):
        with pytest.raises(PermissionDenied):
            await svc.record_payment(uow, actor, _pay(), CLOCK)
    with pytest.raises(NotFound):
        await svc.record_payment(uow, QIAN, _pay(dealer_id=99), CLOCK)
    entry = await svc.record_payment(uow, QIAN, _pay(method=PaymentMethod.ACCEPTANCE_BILL,
                                                     paid_on=date(2026, 11, 30)), CLOCK)
    assert entry.method == "acceptance_bill"


# --- refunds and adjustments -------------------------------------------------------------------------------

def _refund(amount: str, account: AccountKind = AccountKind.PREPAYMENT, reason: str = "合作终止退回预存款"
            ) -> RequestAdjustment:
    return RequestAdjustment(dealer_id=1, account=account, amount=amount, kind="refund", reason=reason,
                             reference="TK-1")


async def test_small_refund_is_booked_at_once(uow: FakeUnitOfWork) -> None:
    await svc.record_payment(uow, QIAN, _pay("20000"), CLOCK)
    out = await svc.request_adjustment(uow, QIAN, _refund("10000.00"), CLOCK, threshold=svc.DEFAULT_APPROVAL_THRESHOLD)   # at the threshold: at once
    assert not out.pending and out.entry is not None
    assert (out.entry.kind, out.entry.amount, out.entry.approved_by) == (EntryKind.REFUND, D("-10000.00"), None)
    assert (await _balances(uow)).prepayment == D("10000.00")
    assert await uow.audit.list(action="ledger.refund")
    [text] = await _pushes(uow, "account.refund")
    assert "¥10,000.00" in text and "合作终止" in text


async def test_a_refund_never_takes_an_account_below_zero(uow: FakeUnitOfWork) -> None:
    await svc.record_payment(uow, QIAN, _pay("300", account=AccountKind.DEPOSIT), CLOCK)
    with pytest.raises(ValidationFailed) as err:
        await svc.request_adjustment(uow, QIAN, _refund("300.01", AccountKind.DEPOSIT), CLOCK, threshold=svc.DEFAULT_APPROVAL_THRESHOLD)
    assert "¥300.00" in err.value.message("zh")
    with pytest.raises(ValidationFailed):
        await svc.request_adjustment(uow, QIAN, _refund("20000", AccountKind.DEPOSIT), CLOCK, threshold=svc.DEFAULT_APPROVAL_THRESHOLD)  # above: refused now
    with pytest.raises(ValidationFailed):
        await svc.request_adjustment(uow, QIAN, _refund("10", AccountKind.REBATE), CLOCK, threshold=svc.DEFAULT_APPROVAL_THRESHOLD)
    with pytest.raises(ValidationFailed):
        await svc.request_adjustment(uow, QIAN, _refund("-10"), CLOCK, threshold=svc.DEFAULT_APPROVAL_THRESHOLD)
    with pytest.raises(ValidationFailed):
        await svc.request_adjustment(uow, QIAN, _refund("10", reason="  "), CLOCK, threshold=svc.DEFAULT_APPROVAL_THRESHOLD)
    assert await uow.finance_requests.list() == []
    assert (await _balances(uow)).deposit == D("300.00")


async def test_above_the_threshold_a_second_person_approves(uow: FakeUnitOfWork) -> None:
    await svc.record_payment(uow, QIAN, _pay("50000"), CLOCK)
    out = await svc.request_adjustment(uow, QIAN, _refund("10000.01"), CLOCK, threshold=svc.DEFAULT_APPROVAL_THRESHOLD)
    assert out.pending and out.request is not None and out.request.number == "FR-20261204-0001"
    assert (await _balances(uow)).prepayment == D("50000.00")        # nothing booked yet
    [waiting] = await svc.list_finance_requests(uow, WU)
    assert waiting.may_decide and "FR-20261204-0001" in waiting.summary("zh") and "-¥10,000.01" in waiting.summary()
    [own] = await svc.list_finance_requests(uow, QIAN)
    assert not own.may_decide
    [pushed] = await uow.outbox.list(kind="finance.requested")     # wu, not qian who asked
    assert pushed.user_id == 3
    shown = render(pushed.kind, pushed.params, "zh")
    assert "FR-20261204-0001" in shown.text and "合作终止退回预存款" in shown.text
    assert [b.payload for b in shown.buttons[0]] == [f"1|fin.fr.ok|{out.request.id}", f"1|fin.fr.no|{out.request.id}"]
    with pytest.raises(PermissionDenied):
        await svc.decide_finance_request(uow, QIAN, out.request.id or 0, True, "", CLOCK)
    with pytest.raises(PermissionDenied):
        await svc.decide_finance_request(uow, DESK, out.request.id or 0, True, "", CLOCK)
    decided = await svc.decide_finance_request(uow, WU, out.request.id or 0, True, "核对无误", CLOCK)
    assert decided.status == FinanceRequestStatus.APPROVED and decided.decided_by == "staff:wu"
    entry = await uow.ledger.get(decided.entry_id or 0)
    assert entry is not None and (entry.amount, entry.approved_by, entry.created_by) == (
        D("-10000.01"), "staff:wu", "staff:qian")
    assert (await _balances(uow)).prepayment == D("39999.99")
    with pytest.raises(InvalidTransition):
        await svc.decide_finance_request(uow, WU, out.request.id or 0, True, "", CLOCK)
    assert await svc.list_finance_requests(uow, WU) == []
    [told] = await _pushes(uow, "finance.decided")
    assert "已批准" in told and "FR-20261204-0001" in told
    actions = [a.action for a in await uow.audit.list()]
    assert {"finance.request", "finance.approve", "ledger.refund"} <= set(actions)


async def test_a_rejection_needs_a_reason_and_books_nothing(uow: FakeUnitOfWork) -> None:
    out = await svc.request_adjustment(uow, QIAN, RequestAdjustment(
        dealer_id=1, account=AccountKind.REBATE, amount="15000", kind=FinanceRequestKind.ADJUSTMENT,
        reason="补发 Q3 返利差额"), CLOCK, threshold=svc.DEFAULT_APPROVAL_THRESHOLD)
    assert out.request is not None
    with pytest.raises(ValidationFailed):
        await svc.decide_finance_request(uow, WU, out.request.id or 0, False, " ", CLOCK)
    decided = await svc.decide_finance_request(uow, WU, out.request.id or 0, False, "差额已含在结算中", CLOCK)
    assert decided.status == FinanceRequestStatus.REJECTED and decided.entry_id is None
    assert await uow.ledger.list() == []
    [told] = await _pushes(uow, "finance.decided")
    assert "已驳回" in told and "差额已含在结算中" in told


async def test_approval_checks_the_balance_again(uow: FakeUnitOfWork) -> None:
    await svc.record_payment(uow, QIAN, _pay("30000"), CLOCK)
    out = await svc.request_adjustment(uow, QIAN, _refund("25000"), CLOCK, threshold=svc.DEFAULT_APPROVAL_THRESHOLD)
    await svc.request_adjustment(uow, WU, _refund("8000"), CLOCK, threshold=svc.DEFAULT_APPROVAL_THRESHOLD)          # booked at once meanwhile
    with pytest.raises(ValidationFailed):
        await svc.decide_finance_request(uow, WU, out.request.id if out.request and out.request.id else 0, True, "",
                                         CLOCK)
    assert (await _balances(uow)).prepayment == D("22000.00")


async def test_adjustments_keep_accounts_within_bounds(uow: FakeUnitOfWork) -> None:
    def adj(account: AccountKind, amount: str) -> RequestAdjustment:
        return RequestAdjustment(1, account, amount, "adjustment", "手工调账")

    out = await svc.request_adjustment(uow, QIAN, adj(AccountKind.REBATE, "500"), CLOCK, threshold=svc.DEFAULT_APPROVAL_THRESHOLD)
    assert out.entry is not None and out.entry.kind == EntryKind.ADJUSTMENT
    with pytest.raises(ValidationFailed):
        await svc.request_adjustment(uow, QIAN, adj(AccountKind.REBATE, "-500.01"), CLOCK, threshold=svc.DEFAULT_APPROVAL_THRESHOLD)
    with pytest.raises(ValidationFailed):        # the credit account holds credit used: never above zero
        await svc.request_adjustment(uow, QIAN, adj(AccountKind.CREDIT, "1"), CLOCK, threshold=svc.DEFAULT_APPROVAL_THRESHOLD)
    with pytest.raises(ValidationFailed):
        await svc.request_adjustment(uow, QIAN, adj(AccountKind.PREPAYMENT, "0"), CLOCK, threshold=svc.DEFAULT_APPROVAL_THRESHOLD)
    with pytest.raises(ValidationFailed):
        await svc.request_adjustment(uow, QIAN, RequestAdjustment(1, AccountKind.PREPAYMENT, "5", "gift", "x"), CLOCK, threshold=svc.DEFAULT_APPROVAL_THRESHOLD)
    small = await svc.request_adjustment(uow, QIAN, adj(AccountKind.REBATE, "-200"), CLOCK, threshold=D("100"))
    assert small.pending                          # the threshold is a parameter
    assert (await _balances(uow)).rebate == D("500.00")


# --- reversals ---------------------------------------------------------------------------------------------

async def test_reversal_counters_without_editing(uow: FakeUnitOfWork) -> None:
    wrong = await svc.record_payment(uow, QIAN, _pay("888.00"), CLOCK)
    rev = await svc.reverse_entry(uow, WU, wrong.id or 0, "记错经销商", CLOCK)
    assert (rev.kind, rev.amount, rev.reverses_id, rev.account) == (EntryKind.REVERSAL, D("-888.00"), wrong.id,
                                                                     AccountKind.PREPAYMENT)
    assert rev.note == "记错经销商" and rev.ref == wrong.ref
    original = await uow.ledger.get(wrong.id or 0)
    assert original is not None and original.amount == D("888.00") and original.kind == EntryKind.PAYMENT
    assert (await _balances(uow)).prepayment == D("0.00")
    with pytest.raises(InvalidTransition):
        await svc.reverse_entry(uow, WU, wrong.id or 0, "再来一次", CLOCK)
    with pytest.raises(InvalidTransition):
        await svc.reverse_entry(uow, WU, rev.id or 0, "冲销的冲销", CLOCK)
    [audit] = await uow.audit.list(action="ledger.reverse")
    assert audit.before["amount"] == "888.00" and audit.after["amount"] == "-888.00"
    [text] = await _pushes(uow, "account.reversal")
    assert "记错经销商" in text and "-¥888.00" in text


async def test_reversal_rules(uow: FakeUnitOfWork) -> None:
    charge = await uow.ledger.add(payment(2, "-100", AccountKind.CREDIT, kind=EntryKind.ORDER_CHARGE))
    await uow.commit()
    with pytest.raises(InvalidTransition) as err:
        await svc.reverse_entry(uow, QIAN, charge.id or 0, "错了", CLOCK)
    assert "取消或驳回订单" in err.value.message("zh")
    with pytest.raises(NotFound):
        await svc.reverse_entry(uow, QIAN, 999, "错了", CLOCK)
    paid = await svc.record_payment(uow, QIAN, _pay("100"), CLOCK)
    with pytest.raises(ValidationFailed):
        await svc.reverse_entry(uow, QIAN, paid.id or 0, "", CLOCK)
    with pytest.raises(PermissionDenied):
        await svc.reverse_entry(uow, OWNER, paid.id or 0, "错了", CLOCK)
    await svc.request_adjustment(uow, QIAN, _refund("100"), CLOCK, threshold=svc.DEFAULT_APPROVAL_THRESHOLD)
    with pytest.raises(ValidationFailed):       # the money is paid back already: the account would go below zero
        await svc.reverse_entry(uow, QIAN, paid.id or 0, "错了", CLOCK)


async def test_post_entry_leaves_refunds_and_reversals_to_their_use_cases(uow: FakeUnitOfWork) -> None:
    for kind in (EntryKind.REFUND, EntryKind.REVERSAL):
        with pytest.raises(ValidationFailed) as err:
            await post_entry(uow, QIAN, PostEntry(1, AccountKind.PREPAYMENT, "-5", kind), CLOCK)
        assert " / " not in err.value.message("zh") and "Invalid input" in err.value.message("en")
    with pytest.raises(ValidationFailed) as err:
        await post_entry(uow, QIAN, PostEntry(1, AccountKind.PREPAYMENT, "0", EntryKind.PAYMENT), CLOCK)
    assert err.value.message("zh") == "输入有误：金额不能为 0"
