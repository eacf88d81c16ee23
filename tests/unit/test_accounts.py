"""Account use cases: postings, balances, statements, confirmation and disputes."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.accounts import AccountKind, EntryKind, StatementStatus
from core.errors import Conflict, InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from core.orders import Order
from core.services import accounts as svc
from core.services.accounts import ConfirmStatement, DisputeStatement, GenerateStatement, PostEntry
from core.users import Actor, Role
from tests.factories import at, dealer_user, fixed_clock, make_dealer, payment, staff
from tests.fakes import FakeUnitOfWork

D = Decimal
CLOCK = fixed_clock("2026-11-03 09:00")
FINANCE = staff(Role.FINANCE, "qian")
DESK = staff(Role.ORDER_DESK, "desk")
MARKETING = staff(Role.MARKETING, "ma")
OWNER_1 = dealer_user(1, Role.DEALER_OWNER, "li")
CLERK_1 = dealer_user(1, Role.DEALER_CLERK, "xiaowang")
OWNER_2 = dealer_user(2, Role.DEALER_OWNER, "zhao")


@pytest.fixture
async def uow() -> FakeUnitOfWork:
    uow = FakeUnitOfWork()
    await uow.dealers.add(make_dealer(code="D0001", credit_limit=D("5000.00")))
    await uow.dealers.add(make_dealer(code="D0002"))
    await uow.commit()
    uow.commits = 0
    return uow


async def _post(uow: FakeUnitOfWork, amount: str, account: AccountKind = AccountKind.PREPAYMENT,
                kind: EntryKind = EntryKind.PAYMENT, actor: Actor = FINANCE, dealer_id: int = 1):  # type: ignore[no-untyped-def]
    return await svc.post_entry(uow, actor, PostEntry(dealer_id, account, amount, kind, ref="BANK-1"), CLOCK)


async def test_finance_posts_and_balances_follow(uow: FakeUnitOfWork) -> None:
    entry = await _post(uow, "12000.5")
    assert entry.amount == D("12000.50") and entry.created_by == "staff:qian"
    await _post(uow, "300", AccountKind.REBATE, EntryKind.REBATE_ACCRUAL)
    await _post(uow, "-100", kind=EntryKind.ADJUSTMENT)
    overview = await svc.get_balances(uow, OWNER_1, 1)
    assert (overview.balances.prepayment, overview.balances.rebate) == (D("11900.50"), D("300.00"))
    assert overview.credit_available == D("5000.00")
    assert uow.commits == 3
    audit = await uow.audit.list(action="ledger.post")
    assert [a.after["amount"] for a in audit] == ["12000.50", "300.00", "-100.00"]


async def test_posting_rules(uow: FakeUnitOfWork) -> None:
    with pytest.raises(PermissionDenied):
        await _post(uow, "100", actor=DESK)
    with pytest.raises(PermissionDenied):
        await _post(uow, "100", actor=OWNER_1)
    with pytest.raises(ValidationFailed):
        await _post(uow, "0")
    with pytest.raises(ValidationFailed):
        await _post(uow, "-5")                                       # a payment is positive
    with pytest.raises(ValidationFailed):
        await _post(uow, "5", kind=EntryKind.ORDER_CHARGE)           # only orders book charges
    with pytest.raises(ValidationFailed):
        await _post(uow, "5", AccountKind.PREPAYMENT, EntryKind.REBATE_ACCRUAL)
    with pytest.raises(ValidationFailed):
        await _post(uow, "5", AccountKind.CREDIT, EntryKind.CREDIT_REPAYMENT)   # nothing used yet
    with pytest.raises(ValidationFailed):
        await _post(uow, "1.2.3")
    with pytest.raises(NotFound):
        await _post(uow, "5", dealer_id=99)
    assert (uow.ledger.rows, uow.audit.rows, uow.commits) == ([], [], 0)


async def test_credit_repayment_up_to_used_credit(uow: FakeUnitOfWork) -> None:
    await uow.ledger.add(payment(1, "-800", AccountKind.CREDIT, kind=EntryKind.ORDER_CHARGE))
    await uow.commit()
    await _post(uow, "500", AccountKind.CREDIT, EntryKind.CREDIT_REPAYMENT)
    overview = await svc.get_balances(uow, FINANCE, 1)
    assert overview.balances.credit == D("-300.00") and overview.credit_available == D("4700.00")


async def test_who_may_read_balances(uow: FakeUnitOfWork) -> None:
    await _post(uow, "100")
    assert (await svc.get_balances(uow, CLERK_1, 1)).balances.prepayment == D("100.00")
    assert (await svc.get_balances(uow, DESK, 1)).balances.prepayment == D("100.00")
    with pytest.raises(NotFound):
        await svc.get_balances(uow, OWNER_2, 1)
    with pytest.raises(PermissionDenied):
        await svc.get_balances(uow, MARKETING, 1)
    with pytest.raises(NotFound):
        await svc.list_entries(uow, OWNER_2, 1)
    assert [e.amount for e in await svc.list_entries(uow, OWNER_1, 1)] == [D("100.00")]


async def _october(uow: FakeUnitOfWork) -> None:
    for entry in (payment(1, "1000", when="2026-09-20 10:00"), payment(1, "2000", when="2026-10-08 10:00"),
                  payment(1, "-1500", kind=EntryKind.ORDER_CHARGE, when="2026-10-09 10:00"),
                  payment(1, "120", AccountKind.REBATE, kind=EntryKind.REBATE_ACCRUAL, when="2026-10-31 23:30"),
                  payment(2, "777", when="2026-10-10 10:00")):
        await uow.ledger.add(entry)
    await uow.orders.add(Order(number="SO-20261009-0001", dealer_id=1, total=D("1500"),
                               created_at=at("2026-10-09 10:00")))
    await uow.orders.add(Order(number="SO-20261101-0001", dealer_id=1, total=D("99"),
                               created_at=at("2026-11-01 10:00")))
    await uow.commit()


async def test_generate_statement(uow: FakeUnitOfWork) -> None:
    await _october(uow)
    st = await svc.generate_statement(uow, FINANCE, GenerateStatement(1, "2026-10"), CLOCK)
    assert (st.opening_balance, st.orders_total, st.payments_total, st.rebates_total, st.closing_balance) == (
        D("1000.00"), D("1500.00"), D("2000.00"), D("120.00"), D("1620.00"))
    assert st.status == StatementStatus.ISSUED
    assert [ln["ref"] for ln in st.lines if ln["type"] == "order"] == ["SO-20261009-0001"]
    assert len(await uow.statements.list()) == 1
    with pytest.raises(PermissionDenied):
        await svc.generate_statement(uow, OWNER_1, GenerateStatement(1, "2026-10"), CLOCK)
    with pytest.raises(ValidationFailed):
        await svc.generate_statement(uow, FINANCE, GenerateStatement(1, "Oct"), CLOCK)


async def test_owner_confirms_clerk_and_other_dealer_cannot(uow: FakeUnitOfWork) -> None:
    await _october(uow)
    await svc.generate_statement(uow, FINANCE, GenerateStatement(1, "2026-10"), CLOCK)
    with pytest.raises(PermissionDenied):
        await svc.confirm_statement(uow, CLERK_1, ConfirmStatement(1, "2026-10"), CLOCK)
    with pytest.raises(NotFound):
        await svc.confirm_statement(uow, OWNER_2, ConfirmStatement(1, "2026-10"), CLOCK)
    with pytest.raises(PermissionDenied):
        await svc.confirm_statement(uow, FINANCE, ConfirmStatement(1, "2026-10"), CLOCK)
    st = await svc.confirm_statement(uow, OWNER_1, ConfirmStatement(1, "2026-10"), CLOCK)
    assert (st.status, st.decided_by) == (StatementStatus.CONFIRMED, "dealer:1:li")
    with pytest.raises(InvalidTransition):
        await svc.dispute_statement(uow, OWNER_1, DisputeStatement(1, "2026-10", "金额不对"), CLOCK)
    with pytest.raises(Conflict):
        await svc.generate_statement(uow, FINANCE, GenerateStatement(1, "2026-10"), CLOCK)
    assert [a.action for a in await uow.audit.list()] == ["statement.generate", "statement.confirm"]


async def test_dispute_then_regenerate(uow: FakeUnitOfWork) -> None:
    await _october(uow)
    await svc.generate_statement(uow, FINANCE, GenerateStatement(1, "2026-10"), CLOCK)
    with pytest.raises(ValidationFailed):
        await svc.dispute_statement(uow, OWNER_1, DisputeStatement(1, "2026-10", " "), CLOCK)
    st = await svc.dispute_statement(uow, OWNER_1, DisputeStatement(1, "2026-10", "10月8日回款应为 2500"), CLOCK)
    assert (st.status, st.dispute_reason) == (StatementStatus.DISPUTED, "10月8日回款应为 2500")
    await uow.ledger.add(payment(1, "500", kind=EntryKind.ADJUSTMENT, when="2026-10-08 11:00"))
    await uow.commit()
    again = await svc.generate_statement(uow, FINANCE, GenerateStatement(1, "2026-10"), CLOCK)
    assert (again.status, again.closing_balance, again.dispute_reason) == (
        StatementStatus.ISSUED, D("2120.00"), None)
    assert len(await uow.statements.list()) == 1
    fetched = await svc.get_statement(uow, CLERK_1, 1, "2026-10")
    assert fetched.closing_balance == D("2120.00")
    with pytest.raises(NotFound):
        await svc.get_statement(uow, OWNER_2, 1, "2026-10")
