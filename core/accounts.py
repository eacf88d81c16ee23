"""Dealer money accounts kept as a ledger, and monthly statements (对账单).

Balances are derived from entries, never edited. Sign convention: a positive amount adds to the
dealer's funds (payment received, rebate accrued, credit granted back); a negative one uses them.
The credit sub-account holds credit *used* as negative entries; the limit lives on the dealer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any


class AccountKind(StrEnum):
    PREPAYMENT = "prepayment"   # 预存款
    DEPOSIT = "deposit"         # 保证金
    REBATE = "rebate"           # 返利
    CREDIT = "credit"           # 信用额度 (used credit, negative)


class EntryKind(StrEnum):
    PAYMENT = "payment"                 # money received
    ORDER_CHARGE = "order_charge"       # order paid from the account
    ORDER_REFUND = "order_refund"       # cancelled/rejected order given back
    REBATE_ACCRUAL = "rebate_accrual"
    REBATE_SETTLEMENT = "rebate_settlement"
    CREDIT_REPAYMENT = "credit_repayment"
    ADJUSTMENT = "adjustment"
    REFUND = "refund"                   # money paid back to the dealer (negative; prepayment or deposit)
    REVERSAL = "reversal"               # counter-entry of a wrong entry (``reverses_id``), never reversed itself


class PaymentMethod(StrEnum):
    BANK_TRANSFER = "bank_transfer"     # 银行转账
    ACCEPTANCE_BILL = "acceptance_bill"  # 承兑汇票
    CASH = "cash"                       # 现金


PAYMENT_METHOD_LABELS: dict[PaymentMethod, tuple[str, str]] = {
    PaymentMethod.BANK_TRANSFER: ("银行转账", "bank transfer"),
    PaymentMethod.ACCEPTANCE_BILL: ("承兑汇票", "acceptance bill"),
    PaymentMethod.CASH: ("现金", "cash"),
}


@dataclass
class LedgerEntry:
    dealer_id: int
    account: AccountKind
    amount: Decimal
    kind: EntryKind
    ref: str = ""                 # e.g. order number
    note: str = ""
    created_by: str = ""          # actor label
    created_at: datetime | None = None
    id: int | None = None
    method: str = ""              # PaymentMethod of a payment ("" for other kinds)
    paid_on: date | None = None   # the business day the money was paid (payments)
    attachment: str = ""          # file-store key of the receipt scan (core.ports.AbstractFileStore)
    reverses_id: int | None = None  # REVERSAL: the entry it counters
    source: str | None = None     # unique idempotency key of where it came from: "api:<key>", "bank:<row>", ...
    approved_by: str | None = None  # the second person who approved it (finance requests above the threshold)


class FinanceRequestStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class FinanceRequestKind(StrEnum):
    REFUND = "refund"              # money paid back to the dealer
    ADJUSTMENT = "adjustment"      # a manual correction, either sign


FINANCE_REQUEST_KIND_LABELS: dict[FinanceRequestKind, tuple[str, str]] = {
    FinanceRequestKind.REFUND: ("退款", "refund"),
    FinanceRequestKind.ADJUSTMENT: ("调账", "adjustment"),
}

FINANCE_REQUEST_STATUS_LABELS: dict[FinanceRequestStatus, tuple[str, str]] = {
    FinanceRequestStatus.PENDING: ("待审批", "awaiting approval"),
    FinanceRequestStatus.APPROVED: ("已批准", "approved"),
    FinanceRequestStatus.REJECTED: ("已驳回", "rejected"),
}


@dataclass
class FinanceRequest:
    """A refund or manual adjustment above the approval threshold, waiting for a second person.

    ``amount`` is the signed amount the ledger entry will carry (a refund is negative)."""

    number: str                    # "FR-20261204-0001"
    dealer_id: int
    account: AccountKind
    amount: Decimal
    kind: FinanceRequestKind
    reason: str
    requested_by: str              # Actor.label
    reference: str = ""
    attachment: str = ""
    status: FinanceRequestStatus = FinanceRequestStatus.PENDING
    decided_by: str | None = None
    decided_at: datetime | None = None
    decision_note: str = ""
    entry_id: int | None = None    # the ledger entry booked on approval
    created_at: datetime | None = None
    id: int | None = None


@dataclass(frozen=True)
class DeductionRules:
    """How an order is paid: rebate first up to a share of the total, then prepayment, then credit."""

    rebate_max_share: Decimal = Decimal("0.30")


class StatementStatus(StrEnum):
    ISSUED = "issued"
    CONFIRMED = "confirmed"
    DISPUTED = "disputed"


@dataclass
class Statement:
    dealer_id: int
    period: str                    # "2026-10"
    period_start: date
    period_end: date
    opening_balance: Decimal
    orders_total: Decimal
    payments_total: Decimal
    rebates_total: Decimal
    closing_balance: Decimal
    lines: list[dict[str, str]] = field(default_factory=list)   # rendered movements, orders, claims
    status: StatementStatus = StatementStatus.ISSUED
    dispute_reason: str | None = None
    decided_by: str | None = None
    decided_at: datetime | None = None
    created_at: datetime | None = None
    id: int | None = None
    # per account (core.statements.account_sections): opening, every entry with its running balance, closing
    accounts: list[dict[str, Any]] = field(default_factory=list)
    due_on: date | None = None          # confirm or dispute by this business day, else it counts as confirmed
    confirm_days: int = 10              # the window given when issued, given again after a dispute is answered
    sent_at: datetime | None = None     # when the dealer was told (issue or re-issue)
    reminded_at: datetime | None = None  # the reminder before ``due_on`` (once per issue)
    dispute_lines: list[str] = field(default_factory=list)   # the lines the dealer named in the dispute
    answer: str | None = None           # finance's answer to the dispute
    answered_by: str | None = None
    answered_at: datetime | None = None
