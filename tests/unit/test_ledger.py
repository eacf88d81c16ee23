"""Ledger math: balances, available funds, payment plans, statements."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.accounts import AccountKind, DeductionRules, EntryKind
from core.clock import SHANGHAI
from core.errors import ValidationFailed
from core.ledger import (
    Balances,
    available_funds,
    build_statement,
    charge_entries,
    parse_period,
    plan_payment,
    refund_entries,
)
from core.orders import Order, OrderStatus
from tests.factories import at, payment

D = Decimal


def test_balances_are_sums_per_account() -> None:
    entries = [
        payment(1, "1000"), payment(1, "-300", kind=EntryKind.ORDER_CHARGE),
        payment(1, "200", AccountKind.REBATE, kind=EntryKind.REBATE_ACCRUAL),
        payment(1, "5000", AccountKind.DEPOSIT),
        payment(1, "-800", AccountKind.CREDIT, kind=EntryKind.ORDER_CHARGE),
    ]
    b = Balances.from_entries(entries)
    assert (b.prepayment, b.rebate, b.deposit, b.credit) == (D("700.00"), D("200.00"), D("5000.00"), D("-800.00"))
    assert b.credit_headroom(D("1000")) == D("200.00")
    assert b.credit_headroom(D("500")) == D("0.00")


def test_available_funds_caps_rebate_and_ignores_deposit() -> None:
    b = Balances(prepayment=D("1000"), rebate=D("5000"), deposit=D("9999"), credit=D("-200"))
    # total 2000: rebate capped at 600; credit 1000 - 200
    assert available_funds(D("2000"), b, D("1000")) == D("2400.00")
    assert available_funds(D("2000"), b, D("1000"), DeductionRules(Decimal("0.5"))) == D("2800.00")


def test_plan_payment_order_rebate_prepayment_credit() -> None:
    b = Balances(prepayment=D("1000"), rebate=D("5000"), credit=D("0"))
    plan = plan_payment(D("2000"), b, D("3000"))
    assert (plan.from_rebate, plan.from_prepayment, plan.from_credit, plan.shortfall) == (
        D("600.00"), D("1000.00"), D("400.00"), D("0.00"))
    assert plan.covered and plan.charged == D("2000.00")


def test_plan_payment_shortfall_and_deposit_never_pays() -> None:
    b = Balances(prepayment=D("100"), deposit=D("100000"))
    plan = plan_payment(D("1000"), b, D("200"))
    assert (plan.from_prepayment, plan.from_credit, plan.shortfall) == (D("100.00"), D("200.00"), D("700.00"))
    assert not plan.covered


def test_plan_payment_negative_prepayment_counts_as_zero() -> None:
    plan = plan_payment(D("100"), Balances(prepayment=D("-50")), D("100"))
    assert (plan.from_prepayment, plan.from_credit, plan.shortfall) == (D("0.00"), D("100.00"), D("0.00"))


def test_charge_and_refund_entries_mirror_each_other() -> None:
    plan = plan_payment(D("1000"), Balances(prepayment=D("500"), rebate=D("100")), D("1000"))
    charges = charge_entries(plan, 7, "SO-20261126-0001", "dealer:7:li", at())
    assert [(e.account, e.amount) for e in charges] == [
        (AccountKind.REBATE, D("-100.00")), (AccountKind.PREPAYMENT, D("-500.00")), (AccountKind.CREDIT, D("-400.00"))]
    order = Order(number="SO-20261126-0001", dealer_id=7, total=D("1000"), paid_from_rebate=plan.from_rebate,
                  paid_from_prepayment=plan.from_prepayment, paid_from_credit=plan.from_credit)
    refunds = refund_entries(order, "staff:zhang", at())
    assert sum(e.amount for e in charges + refunds) == 0
    assert all(e.kind == EntryKind.ORDER_REFUND and e.ref == order.number for e in refunds)


def test_parse_period() -> None:
    assert [str(d) for d in parse_period("2026-02")] == ["2026-02-01", "2026-02-28"]
    assert [str(d) for d in parse_period("2026-12")] == ["2026-12-01", "2026-12-31"]
    with pytest.raises(ValidationFailed):
        parse_period("2026/10")


def test_statement_opening_movements_closing_in_shanghai_dates() -> None:
    entries = [
        payment(1, "1000", when="2026-09-15 10:00"),
        # 2026-10-01 00:30 Shanghai is still 2026-09-30 in UTC: belongs to October
        payment(1, "500", when="2026-10-01 00:30"),
        payment(1, "-300", kind=EntryKind.ORDER_CHARGE, when="2026-10-05 10:00"),
        payment(1, "80", AccountKind.REBATE, kind=EntryKind.REBATE_ACCRUAL, when="2026-10-20 10:00"),
        payment(1, "3000", AccountKind.DEPOSIT, when="2026-10-21 10:00"),
        payment(2, "999", when="2026-10-21 10:00"),
        payment(1, "700", when="2026-11-01 10:00"),
    ]
    entries[1].created_at = entries[1].created_at.astimezone(SHANGHAI)  # type: ignore[union-attr]
    orders = [
        Order(number="SO-20261005-0001", dealer_id=1, total=D("300"), created_at=at("2026-10-05 10:00")),
        Order(number="SO-20261006-0001", dealer_id=1, total=D("50"), status=OrderStatus.CANCELLED,
              created_at=at("2026-10-06 10:00")),
    ]
    st = build_statement(1, "2026-10", entries, orders, SHANGHAI)
    assert (st.opening_balance, st.orders_total, st.payments_total, st.rebates_total, st.closing_balance) == (
        D("1000.00"), D("300.00"), D("500.00"), D("80.00"), D("1280.00"))
    movements = [ln for ln in st.lines if ln["type"] == "entry"]
    assert [ln["balance"] for ln in movements] == ["1500.00", "1200.00", "1280.00"]
    assert [ln["ref"] for ln in st.lines if ln["type"] == "order"] == ["SO-20261005-0001"]
