"""Money rules on top of the ledger: balances, available funds, how an order is paid, statements.

Everything here is pure: the use cases in ``core.services.accounts`` and ``core.services.orders``
load the rows and write the results.

Paying an order (``plan_payment``): rebate first, but at most ``rebate_max_share`` of the order
total; then prepayment; then the unused part of the credit limit. The deposit (保证金) is a
guarantee and never pays orders. Whatever is left is the *shortfall*. An order with a shortfall is
not refused: it is charged what is available now and waits for a person holding ORDER_APPROVE.
Approving it books the shortfall on the credit account as an overdraft (credit used beyond the
limit), so the dealer owes it until a repayment comes in. Rejecting or cancelling it refunds exactly
what was charged. One rule, no partial holds, no separate "overdraft" account.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from core.accounts import AccountKind, DeductionRules, EntryKind, LedgerEntry, Statement
from core.errors import ValidationFailed
from core.money import ZERO, fmt_cny, money
from core.orders import Order, OrderStatus

ACCOUNT_LABELS: dict[AccountKind, tuple[str, str]] = {
    AccountKind.PREPAYMENT: ("预存款", "Prepayment"),
    AccountKind.DEPOSIT: ("保证金", "Deposit"),
    AccountKind.REBATE: ("返利", "Rebate"),
    AccountKind.CREDIT: ("信用额度", "Credit"),
}

ENTRY_LABELS: dict[EntryKind, tuple[str, str]] = {
    EntryKind.PAYMENT: ("收款", "Payment"),
    EntryKind.ORDER_CHARGE: ("订单扣款", "Order charge"),
    EntryKind.ORDER_REFUND: ("订单退款", "Order refund"),
    EntryKind.REBATE_ACCRUAL: ("返利计提", "Rebate accrual"),
    EntryKind.REBATE_SETTLEMENT: ("返利结算", "Rebate settlement"),
    EntryKind.CREDIT_REPAYMENT: ("信用还款", "Credit repayment"),
    EntryKind.ADJUSTMENT: ("调整", "Adjustment"),
    EntryKind.REFUND: ("退款", "Refund"),
    EntryKind.REVERSAL: ("冲销", "Reversal"),
}

# Accounts whose movements make up the dealer's trading balance on a statement. The deposit is a
# guarantee held aside, so it is shown on its own and not mixed into the statement balance.
STATEMENT_ACCOUNTS: frozenset[AccountKind] = frozenset(
    {AccountKind.PREPAYMENT, AccountKind.REBATE, AccountKind.CREDIT})


@dataclass(frozen=True)
class Balances:
    """Sum of ledger entries per account. ``credit`` is credit *used*: zero or negative."""

    prepayment: Decimal = ZERO
    deposit: Decimal = ZERO
    rebate: Decimal = ZERO
    credit: Decimal = ZERO

    @classmethod
    def from_entries(cls, entries: Iterable[LedgerEntry]) -> Balances:
        sums = {kind: ZERO for kind in AccountKind}
        for entry in entries:
            sums[entry.account] += entry.amount
        return cls.from_sums(sums)

    @classmethod
    def from_sums(cls, sums: Mapping[AccountKind, Decimal | None]) -> Balances:
        """From each account's total (an account missing or None: zero)."""
        total: dict[AccountKind, Decimal] = {kind: sums.get(kind) or ZERO for kind in AccountKind}
        return cls(
            prepayment=money(total[AccountKind.PREPAYMENT]),
            deposit=money(total[AccountKind.DEPOSIT]),
            rebate=money(total[AccountKind.REBATE]),
            credit=money(total[AccountKind.CREDIT]),
        )

    def of(self, account: AccountKind) -> Decimal:
        return {
            AccountKind.PREPAYMENT: self.prepayment,
            AccountKind.DEPOSIT: self.deposit,
            AccountKind.REBATE: self.rebate,
            AccountKind.CREDIT: self.credit,
        }[account]

    def credit_headroom(self, credit_limit: Decimal) -> Decimal:
        """Unused credit: limit + used (used is negative); never below zero."""
        return max(money(credit_limit + self.credit), ZERO)


def rebate_usable(total: Decimal, balances: Balances, rules: DeductionRules) -> Decimal:
    return max(min(balances.rebate, money(total * rules.rebate_max_share)), ZERO)


def available_funds(total: Decimal, balances: Balances, credit_limit: Decimal,
                    rules: DeductionRules = DeductionRules()) -> Decimal:
    """What an order of ``total`` can be paid with now: prepayment + usable rebate + credit headroom."""
    return money(max(balances.prepayment, ZERO) + rebate_usable(total, balances, rules)
                 + balances.credit_headroom(credit_limit))


@dataclass(frozen=True)
class PaymentPlan:
    """How an order total is split over the accounts; ``shortfall`` is what nothing covers."""

    total: Decimal
    from_rebate: Decimal = ZERO
    from_prepayment: Decimal = ZERO
    from_credit: Decimal = ZERO
    shortfall: Decimal = ZERO

    @property
    def charged(self) -> Decimal:
        return money(self.from_rebate + self.from_prepayment + self.from_credit)

    @property
    def covered(self) -> bool:
        return self.shortfall == ZERO


def plan_payment(total: Decimal, balances: Balances, credit_limit: Decimal,
                 rules: DeductionRules = DeductionRules()) -> PaymentPlan:
    """Rebate (capped at a share of the total), then prepayment, then credit headroom."""
    total = money(total)
    if total < ZERO:
        raise ValidationFailed(zh="输入有误：订单金额不能为负", en="Invalid input: an order total must not be negative")
    rest = total
    from_rebate = min(rebate_usable(total, balances, rules), rest)
    rest -= from_rebate
    from_prepayment = min(max(balances.prepayment, ZERO), rest)
    rest -= from_prepayment
    from_credit = min(balances.credit_headroom(credit_limit), rest)
    rest -= from_credit
    return PaymentPlan(total=total, from_rebate=money(from_rebate), from_prepayment=money(from_prepayment),
                       from_credit=money(from_credit), shortfall=money(rest))


def charge_entries(plan: PaymentPlan, dealer_id: int, ref: str, created_by: str,
                   at: datetime) -> list[LedgerEntry]:
    """Negative ORDER_CHARGE entries for the non-zero parts of ``plan``."""
    parts = ((AccountKind.REBATE, plan.from_rebate), (AccountKind.PREPAYMENT, plan.from_prepayment),
             (AccountKind.CREDIT, plan.from_credit))
    return [LedgerEntry(dealer_id=dealer_id, account=account, amount=-amount, kind=EntryKind.ORDER_CHARGE,
                        ref=ref, created_by=created_by, created_at=at)
            for account, amount in parts if amount > ZERO]


def refund_entries(order: Order, created_by: str, at: datetime, note: str = "") -> list[LedgerEntry]:
    """Positive ORDER_REFUND entries giving back everything the order was charged."""
    parts = ((AccountKind.REBATE, order.paid_from_rebate), (AccountKind.PREPAYMENT, order.paid_from_prepayment),
             (AccountKind.CREDIT, order.paid_from_credit))
    return [LedgerEntry(dealer_id=order.dealer_id, account=account, amount=amount, kind=EntryKind.ORDER_REFUND,
                        ref=order.number, note=note, created_by=created_by, created_at=at)
            for account, amount in parts if amount > ZERO]


def order_unpaid(order: Order) -> Decimal:
    """Part of the order total not yet charged to any account (the shortfall at submission)."""
    return max(money(order.total - order.paid_from_rebate - order.paid_from_prepayment - order.paid_from_credit),
               ZERO)


@dataclass(frozen=True)
class ApprovalCover:
    """How an approval would pay what the order still owes (``order_unpaid``) from the funds the dealer holds
    *now* (a payment since submission counts): prepayment, then unused credit; ``overdraft`` is what only
    credit past the limit would pay, which the approver must accept in so many words."""

    unpaid: Decimal = ZERO
    from_prepayment: Decimal = ZERO
    from_credit: Decimal = ZERO
    overdraft: Decimal = ZERO

    @property
    def covered(self) -> bool:
        return self.overdraft == ZERO


def approval_cover(unpaid: Decimal, balances: Balances, credit_limit: Decimal) -> ApprovalCover:
    """``unpaid`` split over prepayment, credit headroom and overdraft (rebate is a pricing rule: not used here)."""
    rest = money(max(unpaid, ZERO))
    from_prepayment = min(max(balances.prepayment, ZERO), rest)
    rest -= from_prepayment
    from_credit = min(balances.credit_headroom(credit_limit), rest)
    rest -= from_credit
    return ApprovalCover(unpaid=money(max(unpaid, ZERO)), from_prepayment=money(from_prepayment),
                         from_credit=money(from_credit), overdraft=money(rest))


# --- credit terms (账期) and what is overdue ---------------------------------------------------------

DEFAULT_CREDIT_DAYS = 30
"""Days a dealer has to repay credit it used (setting CREDIT_DAYS), counted from the business day it was used."""

#: overdue buckets by days past the term: 1-30, 31-60, 61-90, over 90
OVERDUE_BUCKETS: tuple[tuple[int, int | None], ...] = ((1, 30), (31, 60), (61, 90), (91, None))


@dataclass(frozen=True)
class CreditDebt:
    """Credit a dealer still owes, by when it was used: ``outstanding`` (all of it), ``overdue`` (used more than
    the term ago), ``buckets`` (the overdue part by days past the term, as ``OVERDUE_BUCKETS``), and the oldest
    unpaid use (its day, its reference: the order number, and how many days past the term it is)."""

    outstanding: Decimal = ZERO
    overdue: Decimal = ZERO
    buckets: tuple[Decimal, ...] = (ZERO, ZERO, ZERO, ZERO)
    oldest_day: date | None = None
    oldest_ref: str = ""
    oldest_late_days: int = 0


@dataclass
class _Use:
    day: date
    ref: str
    owed: Decimal


def credit_debt(entries: Iterable[LedgerEntry], today: date, tz: ZoneInfo,
                days: int = DEFAULT_CREDIT_DAYS) -> CreditDebt:
    """What the credit entries of one dealer leave owed, oldest first (FIFO).

    Every negative credit entry is a use (an order charged to credit, an overdraft booked at approval, a
    negative adjustment); every positive one pays uses back: an order refund or a reversal first pays the uses
    of its own reference (the order given back), then, like a repayment, the oldest uses still open.
    """
    rows = sorted((e for e in entries if e.account == AccountKind.CREDIT and e.amount),
                  key=lambda e: (e.created_at or datetime.min.replace(tzinfo=tz), e.id or 0))
    uses: list[_Use] = []                # oldest first
    for entry in rows:
        if entry.amount < ZERO:
            uses.append(_Use(_business_day(entry.created_at, tz) or today, entry.ref, -entry.amount))
            continue
        paying = entry.amount
        own = [u for u in uses if entry.ref and u.ref == entry.ref and entry.kind != EntryKind.CREDIT_REPAYMENT]
        for use in own + [u for u in uses if u not in own]:
            taken = min(use.owed, paying)
            use.owed -= taken
            paying -= taken
            if paying <= ZERO:
                break
        uses = [u for u in uses if u.owed > ZERO]
    outstanding = overdue = ZERO
    buckets = [ZERO] * len(OVERDUE_BUCKETS)
    oldest: tuple[date, str, int] | None = None
    for use in uses:
        outstanding += use.owed
        late = (today - use.day).days - days
        if late <= 0:
            continue
        overdue += use.owed
        oldest = oldest or (use.day, use.ref, late)
        for i, (lo, hi) in enumerate(OVERDUE_BUCKETS):
            if late >= lo and (hi is None or late <= hi):
                buckets[i] += use.owed
    day, ref, late_days = oldest if oldest else (None, "", 0)
    return CreditDebt(money(outstanding), money(overdue), tuple(money(b) for b in buckets), day, ref, late_days)


# --- monthly statements -------------------------------------------------------------------------

def parse_period(period: str) -> tuple[date, date]:
    """``"2026-10"`` -> (2026-10-01, 2026-10-31)."""
    try:
        year_s, month_s = period.split("-")
        start = date(int(year_s), int(month_s), 1)
    except ValueError as exc:
        raise ValidationFailed(zh=f"输入有误：账期应写成 2026-11 这样：{period}",
                               en=f"Invalid input: the period is written like 2026-11: {period}") from exc
    nxt = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    return start, nxt - timedelta(days=1)


def _business_day(at: datetime | None, tz: ZoneInfo) -> date | None:
    return at.astimezone(tz).date() if at is not None else None


# Orders that never became a sale are left off the statement's order total.
_VOID = frozenset({OrderStatus.REJECTED, OrderStatus.CANCELLED})


def build_statement(dealer_id: int, period: str, entries: Sequence[LedgerEntry], orders: Sequence[Order],
                    tz: ZoneInfo) -> Statement:
    """The statement (对账单) of one dealer for one month, in business dates of ``tz``.

    Balance = sum of prepayment, rebate and credit entries (the deposit stays out, see
    STATEMENT_ACCOUNTS). ``closing = opening + every movement in the month``; ``orders_total`` lists
    the orders placed in the month (not rejected/cancelled), ``payments_total`` the money received
    (payments and credit repayments), ``rebates_total`` the rebates accrued or settled.
    """
    start, end = parse_period(period)
    opening = ZERO
    in_period: list[tuple[date, LedgerEntry]] = []
    for entry in entries:
        if entry.dealer_id != dealer_id or entry.account not in STATEMENT_ACCOUNTS:
            continue
        day = _business_day(entry.created_at, tz)
        if day is None or day > end:
            continue
        if day < start:
            opening += entry.amount
        else:
            in_period.append((day, entry))
    in_period.sort(key=lambda pair: (pair[0], pair[1].created_at or datetime.min, pair[1].id or 0))

    lines: list[dict[str, str]] = []
    balance = money(opening)
    payments = rebates = ZERO
    for day, entry in in_period:
        balance = money(balance + entry.amount)
        if entry.kind in (EntryKind.PAYMENT, EntryKind.CREDIT_REPAYMENT):
            payments += entry.amount
        elif entry.kind in (EntryKind.REBATE_ACCRUAL, EntryKind.REBATE_SETTLEMENT):
            rebates += entry.amount
        account_zh, account_en = ACCOUNT_LABELS[entry.account]
        kind_zh, kind_en = ENTRY_LABELS.get(entry.kind, (str(entry.kind), str(entry.kind)))   # a kind added later
        lines.append({"type": "entry", "date": day.isoformat(), "account": entry.account.value,
                      "kind": entry.kind.value, "label_zh": f"{account_zh}·{kind_zh}",
                      "label_en": f"{account_en} {kind_en.lower()}", "ref": entry.ref, "note": entry.note,
                      "amount": str(money(entry.amount)), "balance": str(balance)})

    orders_total = ZERO
    for order in sorted(orders, key=lambda o: o.number):
        day = _business_day(order.created_at, tz)
        if order.dealer_id != dealer_id or day is None or not start <= day <= end or order.status in _VOID:
            continue
        orders_total += order.total
        lines.append({"type": "order", "date": day.isoformat(), "ref": order.number,
                      "status": order.status.value, "amount": str(money(order.total)), "label_zh": "订单",
                      "label_en": "Order", "account": "", "kind": "", "note": "", "balance": ""})

    return Statement(dealer_id=dealer_id, period=period, period_start=start, period_end=end,
                     opening_balance=money(opening), orders_total=money(orders_total),
                     payments_total=money(payments), rebates_total=money(rebates), closing_balance=balance,
                     lines=lines)


def statement_summary(statement: Statement, lang: str = "zh") -> str:
    """One short paragraph for chat."""
    if lang.lower().startswith("en"):
        return (f"Statement {statement.period}: opening {fmt_cny(statement.opening_balance)}, orders "
                f"{fmt_cny(statement.orders_total)}, payments {fmt_cny(statement.payments_total)}, rebates "
                f"{fmt_cny(statement.rebates_total)}, closing {fmt_cny(statement.closing_balance)}")
    return (f"{statement.period} 对账单：期初 {fmt_cny(statement.opening_balance)}，订货 "
            f"{fmt_cny(statement.orders_total)}，回款 {fmt_cny(statement.payments_total)}，返利 "
            f"{fmt_cny(statement.rebates_total)}，期末 {fmt_cny(statement.closing_balance)}")
