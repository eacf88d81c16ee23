"""Dealer accounts: ledger postings by finance, balances, monthly statements and their confirmation.

Balances are never stored: they are sums of ledger entries (``core.ledger.Balances``). Order
charges and refunds are written by the order use cases only; finance posts payments, rebates,
repayments and adjustments here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from core import notify
from core.accounts import AccountKind, EntryKind, LedgerEntry, Statement, StatementStatus
from core.auditing import record, snapshot
from core.authz import DealerFamily, DealerRecord, dealer_family, readable_dealer_ids, require
from core.clock import Clock
from core.dealers import Dealer
from core.errors import Conflict, InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from core.expenses import StaffTask
from core.ledger import (
    ACCOUNT_LABELS,
    DEFAULT_CREDIT_DAYS,
    ENTRY_LABELS,
    Balances,
    CreditDebt,
    credit_debt,
    parse_period,
)
from core.money import ZERO, fmt_cny, money
from core.ports import AbstractUnitOfWork
from core.services.expenses import close_open_task, open_task
from core.statements import compose_statement, match_lines
from core.users import Actor, ActorKind, Permission, Role

STATEMENT_AUDIT_FIELDS = ("period", "opening_balance", "orders_total", "payments_total", "rebates_total",
                          "closing_balance", "status", "dispute_reason", "dispute_lines", "due_on", "answer")
# what a rebuild copies onto the stored statement (the rest is its history: status, dispute, answer)
STATEMENT_CONTENT_FIELDS = ("opening_balance", "orders_total", "payments_total", "rebates_total", "closing_balance",
                            "lines", "accounts", "period_start", "period_end")

# Kinds only the order use cases write: a manual one would not be refunded with its order.
_ORDER_KINDS = frozenset({EntryKind.ORDER_CHARGE, EntryKind.ORDER_REFUND})
# Kinds that only ever add money, and the account they belong to (None: any but the credit account).
_POSITIVE_KINDS: dict[EntryKind, AccountKind | None] = {
    EntryKind.PAYMENT: None,
    EntryKind.REBATE_ACCRUAL: AccountKind.REBATE,
    EntryKind.CREDIT_REPAYMENT: AccountKind.CREDIT,
}

STATEMENT_STATUS_LABELS: dict[StatementStatus, tuple[str, str]] = {
    StatementStatus.ISSUED: ("待确认", "issued"),
    StatementStatus.CONFIRMED: ("已确认", "confirmed"),
    StatementStatus.DISPUTED: ("有异议", "disputed"),
}


@dataclass(frozen=True)
class PostEntry:
    dealer_id: int
    account: AccountKind
    amount: Decimal | str
    kind: EntryKind
    ref: str = ""
    note: str = ""


@dataclass(frozen=True)
class GenerateStatement:
    dealer_id: int
    period: str                    # "2026-10"
    confirm_days: int = 10         # the dealer confirms or disputes within this many days
    replace: bool = True           # False: one already there is a Conflict (issuing a month once, races included)


@dataclass(frozen=True)
class ConfirmStatement:
    dealer_id: int
    period: str


@dataclass(frozen=True)
class DisputeStatement:
    dealer_id: int
    period: str
    reason: str


@dataclass(frozen=True)
class AccountOverview:
    """What a dealer (or staff) sees as "my account": balances and credit.

    ``credit_limit`` is the effective limit (``Dealer.effective_credit_limit``): temporary credit included
    while it lasts, shown apart in ``temporary_credit`` / ``temporary_credit_until``."""

    dealer_id: int
    balances: Balances
    credit_limit: Decimal
    temporary_credit: Decimal = ZERO
    temporary_credit_until: date | None = None

    @property
    def credit_available(self) -> Decimal:
        return self.balances.credit_headroom(self.credit_limit)


def _dealer_not_found(dealer_id: int) -> NotFound:
    return NotFound(zh=f"未找到经销商 {dealer_id}", en=f"Dealer {dealer_id} not found", what=str(dealer_id))


async def _dealer(uow: AbstractUnitOfWork, dealer_id: int) -> Dealer:
    dealer = await uow.dealers.get(dealer_id)
    if dealer is None:
        raise _dealer_not_found(dealer_id)
    return dealer


def _require_reader(actor: Actor, dealer_id: int, family: DealerFamily | None = None) -> None:
    """Own dealer with ACCOUNT_READ_OWN, staff with ACCOUNT_READ_ALL, the system. A parent dealer reads a
    sub-dealer's accounts only when ``family`` (``core.authz.dealer_family``) says its contract allows it."""
    if actor.kind == ActorKind.SYSTEM:
        return
    if actor.kind == ActorKind.STAFF:
        require(actor, Permission.ACCOUNT_READ_ALL)
        return
    readable = readable_dealer_ids(actor, DealerRecord.ACCOUNTS, family or DealerFamily(),
                                   all_permission=Permission.ACCOUNT_READ_ALL) \
        if actor.kind in (ActorKind.DEALER, ActorKind.API) and actor.dealer_id is not None else None
    if actor.kind == ActorKind.DEALER:
        if readable is None or dealer_id not in readable:
            raise _dealer_not_found(dealer_id)
        require(actor, Permission.ACCOUNT_READ_OWN)
        return
    if actor.kind == ActorKind.API:     # scope accounts:read; a key bound to a dealer reads only that dealer
        if readable is not None and dealer_id not in readable:
            raise _dealer_not_found(dealer_id)
        if "accounts:read" not in actor.scopes:
            raise PermissionDenied()
        return
    raise PermissionDenied()


require_account_reader = _require_reader


async def post_entry(uow: AbstractUnitOfWork, actor: Actor, cmd: PostEntry, clock: Clock) -> LedgerEntry:
    """Finance books a payment, rebate, repayment or adjustment (ACCOUNT_POST)."""
    async with uow:
        require(actor, Permission.ACCOUNT_POST)
        await _dealer(uow, cmd.dealer_id)
        amount = money(cmd.amount)
        if amount == ZERO:
            raise ValidationFailed(zh="输入有误：金额不能为 0", en="Invalid input: the amount must not be 0")
        if cmd.kind in _ORDER_KINDS:
            raise ValidationFailed(zh="输入有误：订单扣款和退款由订单自动记账",
                                   en="Invalid input: order charges and refunds are booked by the orders")
        if cmd.kind in (EntryKind.REFUND, EntryKind.REVERSAL):
            raise ValidationFailed(zh="输入有误：退款和冲销请用退款/冲销功能（需说明原因，大额需第二人审批）",
                                   en="Invalid input: refunds and reversals have their own use cases (a reason, and "
                                      "a second person's approval above the threshold)")
        if cmd.kind in _POSITIVE_KINDS:
            if amount < ZERO:
                raise ValidationFailed(zh="输入有误：此类流水金额须为正", en="Invalid input: this kind of entry must be positive")
            account = _POSITIVE_KINDS[cmd.kind]
            if (account is not None and cmd.account != account) or (
                    account is None and cmd.account == AccountKind.CREDIT):
                zh_kind, en_kind = ENTRY_LABELS.get(cmd.kind, (cmd.kind.value, cmd.kind.value))
                zh_acc, en_acc = ACCOUNT_LABELS[cmd.account]
                raise ValidationFailed(zh=f"输入有误：{zh_kind}不能记入{zh_acc}",
                                       en=f"Invalid input: a {en_kind.lower()} cannot be booked on the "
                                          f"{en_acc.lower()} account")
        if cmd.kind == EntryKind.CREDIT_REPAYMENT:
            used = -(await uow.balances(cmd.dealer_id, AccountKind.CREDIT)).credit
            if amount > used:
                raise ValidationFailed(zh=f"输入有误：还款超过已用信用 {fmt_cny(used)}",
                                       en=f"Invalid input: the repayment is above the credit used ({fmt_cny(used)})")
        entry = LedgerEntry(dealer_id=cmd.dealer_id, account=cmd.account, amount=amount, kind=cmd.kind,
                            ref=cmd.ref, note=cmd.note, created_by=actor.label, created_at=clock.now())
        await uow.ledger.add(entry)
        await uow.flush()
        await record(uow, actor, "ledger.post", "ledger_entry", entry.id, clock, after=snapshot(entry))
        await uow.commit()
        return entry


@dataclass(frozen=True)
class CreditStanding:
    dealer_id: int
    code: str
    name: str
    limit: Decimal          # effective today (temporary credit included)
    used: Decimal

    @property
    def over(self) -> bool:
        return self.used > self.limit


@dataclass(frozen=True)
class Received:
    """Money received from dealers between two days: payments and credit repayments, less their reversals."""

    start: date
    end: date
    total: Decimal
    count: int
    by_dealer: list[tuple[str, str, Decimal]]      # (code, name, amount), the largest first


_RECEIVED_KINDS = (EntryKind.PAYMENT, EntryKind.CREDIT_REPAYMENT)


async def payments_received(uow: AbstractUnitOfWork, actor: Actor, clock: Clock, start: date, end: date) -> Received:
    """"本月回款多少": what came in from ``start`` to ``end`` (days in the clock's zone), by dealer. Staff who read
    every dealer's accounts (ACCOUNT_READ_ALL)."""
    require(actor, Permission.ACCOUNT_READ_ALL)
    lo, hi = datetime.combine(start, time.min, clock.tz), datetime.combine(end, time.max, clock.tz)
    async with uow:
        entries = await uow.ledger.list(created_at__gte=lo, created_at__lte=hi,
                                        kind__in=[*_RECEIVED_KINDS, EntryKind.REVERSAL])
        reversed_ids = sorted({e.reverses_id for e in entries if e.kind == EntryKind.REVERSAL and e.reverses_id})
        reversed_kinds = {e.id: e.kind for e in await uow.ledger.list(id__in=reversed_ids)} if reversed_ids else {}
        counted = [e for e in entries if e.kind in _RECEIVED_KINDS
                   or (e.kind == EntryKind.REVERSAL and reversed_kinds.get(e.reverses_id) in _RECEIVED_KINDS)]
        sums: dict[int, Decimal] = {}
        for e in counted:
            sums[e.dealer_id] = sums.get(e.dealer_id, ZERO) + e.amount
        dealers = {d.id: d for d in await uow.dealers.list(id__in=sorted(sums))} if sums else {}
    by_dealer = sorted(((dealers[i].code, dealers[i].name, money(v)) for i, v in sums.items() if i in dealers and v),
                       key=lambda row: (-row[2], row[0]))
    return Received(start, end, money(sum(sums.values(), ZERO)),
                    sum(1 for e in counted if e.kind in _RECEIVED_KINDS), by_dealer)


async def credit_standings(uow: AbstractUnitOfWork, actor: Actor, clock: Clock, *,
                           share: Decimal = Decimal("0.9")) -> list[CreditStanding]:
    """Dealers whose used credit reaches ``share`` of their limit (or any use with no limit), the fullest
    first: "哪些经销商超信用了". Staff who read every dealer's accounts (ACCOUNT_READ_ALL)."""
    require(actor, Permission.ACCOUNT_READ_ALL)
    today = clock.today()
    async with uow:
        used = {d: money(-total) for d, total in (await uow.account_totals(AccountKind.CREDIT)).items() if total < 0}
        dealers = await uow.dealers.list(id__in=sorted(used)) if used else []
    out = []
    for dealer in dealers:
        assert dealer.id is not None
        limit = money(dealer.effective_credit_limit(today))
        if used[dealer.id] >= limit * share:
            out.append(CreditStanding(dealer.id, dealer.code, dealer.name, limit, used[dealer.id]))
    return sorted(out, key=lambda c: (-(c.used / c.limit) if c.limit else Decimal("-1e9"), -c.used, c.code))


@dataclass(frozen=True)
class OverdueCredit:
    """A dealer owing credit past its term (``core.ledger.credit_debt``)."""

    dealer_id: int
    code: str
    name: str
    debt: CreditDebt


async def overdue_credit(uow: AbstractUnitOfWork, actor: Actor, clock: Clock,
                         days: int = DEFAULT_CREDIT_DAYS) -> list[OverdueCredit]:
    """"哪些经销商欠款逾期了": dealers with credit used more than ``days`` ago and not repaid, the most overdue
    first (then the longest late). Staff who read every dealer's accounts (ACCOUNT_READ_ALL)."""
    require(actor, Permission.ACCOUNT_READ_ALL)
    today = clock.today()
    async with uow:
        owing = sorted(d for d, total in (await uow.account_totals(AccountKind.CREDIT)).items() if total < 0)
        if not owing:
            return []
        entries = await uow.ledger.list(dealer_id__in=owing, account=AccountKind.CREDIT)
        dealers = {d.id: d for d in await uow.dealers.list(id__in=owing)}
    by_dealer: dict[int, list[LedgerEntry]] = {}
    for entry in entries:
        by_dealer.setdefault(entry.dealer_id, []).append(entry)
    out = []
    for dealer_id, rows in by_dealer.items():
        debt = credit_debt(rows, today, clock.tz, days)
        if debt.overdue > ZERO and dealer_id in dealers:
            out.append(OverdueCredit(dealer_id, dealers[dealer_id].code, dealers[dealer_id].name, debt))
    return sorted(out, key=lambda o: (-o.debt.overdue, -o.debt.oldest_late_days, o.code))


async def dealer_credit_debt(uow: AbstractUnitOfWork, actor: Actor, dealer_id: int, clock: Clock,
                             days: int = DEFAULT_CREDIT_DAYS) -> CreditDebt:
    """One dealer's credit owed and how much of it is past the term: the dealer itself (its own accounts, or a
    sub-dealer's where the contract allows) and staff who read accounts."""
    async with uow:
        _require_reader(actor, dealer_id, await dealer_family(uow, actor, about=dealer_id))
        entries = await uow.ledger.list(dealer_id=dealer_id, account=AccountKind.CREDIT)
    return credit_debt(entries, clock.today(), clock.tz, days)


async def get_balances(uow: AbstractUnitOfWork, actor: Actor, dealer_id: int,
                       clock: Clock | None = None) -> AccountOverview:
    """Balances and credit as of today (``clock``; the real clock when not given)."""
    today = (clock or Clock()).today()
    async with uow:
        _require_reader(actor, dealer_id, await dealer_family(uow, actor, about=dealer_id))
        dealer = await _dealer(uow, dealer_id)
        balances = await uow.balances(dealer_id)
        limit = dealer.effective_credit_limit(today)
        extra = money(limit - dealer.credit_limit)
        return AccountOverview(dealer_id=dealer_id, balances=balances, credit_limit=money(limit),
                               temporary_credit=extra,
                               temporary_credit_until=dealer.temporary_credit_until if extra else None)


async def list_entries(uow: AbstractUnitOfWork, actor: Actor, dealer_id: int, *, since: datetime | None = None,
                       until: datetime | None = None, account: AccountKind | None = None,
                       limit: int = 100, offset: int = 0) -> list[LedgerEntry]:
    """Movements, newest first."""
    async with uow:
        _require_reader(actor, dealer_id, await dealer_family(uow, actor, about=dealer_id))
        filters: dict[str, Any] = {"dealer_id": dealer_id}
        if since is not None:
            filters["created_at__gte"] = since
        if until is not None:
            filters["created_at__lt"] = until
        if account is not None:
            filters["account"] = account
        return await uow.ledger.list(order_by="created_at", desc=True, limit=min(max(limit, 1), 1000),
                                     offset=max(offset, 0), **filters)


async def compose_for(uow: AbstractUnitOfWork, dealer_id: int, period: str, clock: Clock) -> Statement:
    """Read what a dealer's statement of ``period`` is made of and compose it (not stored)."""
    start, end = parse_period(period)
    entries = await uow.ledger.list(dealer_id=dealer_id)
    period_from = datetime.combine(start, time.min, clock.tz)
    period_to = datetime.combine(end, time.max, clock.tz)
    orders = await uow.orders.list(dealer_id=dealer_id, created_at__gte=period_from, created_at__lte=period_to)
    claims = await uow.expense_claims.list(dealer_id=dealer_id, decided_at__gte=period_from,
                                           decided_at__lte=period_to)
    return compose_statement(dealer_id, period, entries, orders, claims, clock.tz)


def reissue(existing: Statement, built: Statement, clock: Clock, confirm_days: int | None = None) -> None:
    """Copy a rebuilt statement's content onto the stored one and ask the dealer again: issued, a new deadline."""
    for name in STATEMENT_CONTENT_FIELDS:
        setattr(existing, name, getattr(built, name))
    if confirm_days is not None:
        existing.confirm_days = confirm_days
    existing.status = StatementStatus.ISSUED
    existing.decided_by = None
    existing.decided_at = None
    existing.sent_at = clock.now()
    existing.reminded_at = None
    existing.due_on = clock.today() + timedelta(days=existing.confirm_days)


async def generate_statement(uow: AbstractUnitOfWork, actor: Actor, cmd: GenerateStatement,
                             clock: Clock) -> Statement:
    """Build (or rebuild) a dealer's statement for a month and send it. A confirmed statement is final: Conflict."""
    async with uow:
        require(actor, Permission.ACCOUNT_POST)
        await _dealer(uow, cmd.dealer_id)
        built = await compose_for(uow, cmd.dealer_id, cmd.period, clock)
        built.created_at = built.sent_at = clock.now()
        built.confirm_days = cmd.confirm_days
        built.due_on = clock.today() + timedelta(days=cmd.confirm_days)
        existing = await uow.statements.get_by(dealer_id=cmd.dealer_id, period=cmd.period, for_update=True)
        if existing is None:
            await uow.statements.add(built)
            await uow.flush()
            await record(uow, actor, "statement.generate", "statement", f"{cmd.dealer_id}:{cmd.period}", clock,
                         after=snapshot(built, STATEMENT_AUDIT_FIELDS))
            await notify.statement_issued(uow, actor, built, clock)
            await uow.commit()
            return built
        if not cmd.replace:
            raise Conflict(zh=f"{cmd.period} 对账单已出具", en=f"The {cmd.period} statement is already issued",
                           reason="exists")
        if existing.status == StatementStatus.CONFIRMED:
            raise Conflict(zh=f"{cmd.period} 对账单已确认，不能重新生成",
                           en=f"The {cmd.period} statement is confirmed and cannot be regenerated",
                           reason="confirmed")
        before = snapshot(existing, STATEMENT_AUDIT_FIELDS)
        was_disputed = existing.status == StatementStatus.DISPUTED
        reissue(existing, built, clock, cmd.confirm_days)
        existing.created_at = built.created_at
        existing.dispute_reason = None
        existing.dispute_lines = []
        await record(uow, actor, "statement.regenerate", "statement", f"{cmd.dealer_id}:{cmd.period}", clock,
                     before=before, after=snapshot(existing, STATEMENT_AUDIT_FIELDS))
        if was_disputed:        # the corrected statement is the answer: finance's task is done
            await close_open_task(uow, actor, "statement.dispute", f"{cmd.dealer_id}:{cmd.period}",
                                  "对账单已重新出具", clock)
        await notify.statement_issued(uow, actor, existing, clock)
        await uow.commit()
        return existing


async def get_statement(uow: AbstractUnitOfWork, actor: Actor, dealer_id: int, period: str) -> Statement:
    async with uow:
        _require_reader(actor, dealer_id, await dealer_family(uow, actor, about=dealer_id))
        statement = await uow.statements.get_by(dealer_id=dealer_id, period=period)
        if statement is None:
            raise NotFound(zh=f"未找到 {period} 对账单", en=f"No statement for {period}", what=period)
        return statement


async def _decide(uow: AbstractUnitOfWork, actor: Actor, dealer_id: int, period: str, status: StatementStatus,
                  reason: str | None, clock: Clock) -> Statement:
    async with uow:
        if actor.kind != ActorKind.DEALER or actor.dealer_id != dealer_id:
            if actor.kind == ActorKind.STAFF:
                raise PermissionDenied()
            raise NotFound(zh=f"未找到 {period} 对账单", en=f"No statement for {period}", what=period)
        require(actor, Permission.STATEMENT_CONFIRM)
        statement = await uow.statements.get_by(dealer_id=dealer_id, period=period, for_update=True)
        if statement is None:
            raise NotFound(zh=f"未找到 {period} 对账单", en=f"No statement for {period}", what=period)
        if statement.status != StatementStatus.ISSUED:
            cur_zh, cur_en = STATEMENT_STATUS_LABELS[statement.status]
            action_zh, action_en = ("确认", "confirm") if status == StatementStatus.CONFIRMED else ("提出异议", "dispute")
            raise InvalidTransition(zh=f"对账单当前状态“{cur_zh}”，不能{action_zh}",
                                    en=f"Cannot {action_en} a statement that is {cur_en}",
                                    current=statement.status.value, action=action_en)
        before = snapshot(statement, STATEMENT_AUDIT_FIELDS)
        statement.status = status
        statement.dispute_reason = reason
        statement.dispute_lines = match_lines(statement, reason) if reason else []
        statement.decided_by = actor.label
        statement.decided_at = clock.now()
        action = "statement.confirm" if status == StatementStatus.CONFIRMED else "statement.dispute"
        await record(uow, actor, action, "statement", f"{dealer_id}:{period}", clock,
                     before=before, after=snapshot(statement, STATEMENT_AUDIT_FIELDS))
        if status == StatementStatus.DISPUTED:
            await notify.statement_disputed(uow, actor, statement, clock)
            dealer = await uow.dealers.get(dealer_id)
            name = f"{dealer.code} {dealer.name}" if dealer is not None else str(dealer_id)
            named = "".join(f"\n• {line}" for line in statement.dispute_lines)
            await open_task(uow, actor, StaffTask(
                kind="statement.dispute", team=Role.FINANCE.value, title=f"{name} 对 {period} 对账单有异议",
                detail=(reason or "") + named, dealer_id=dealer_id, ref=f"{dealer_id}:{period}"), clock)
        await uow.commit()
        return statement


async def confirm_statement(uow: AbstractUnitOfWork, actor: Actor, cmd: ConfirmStatement, clock: Clock) -> Statement:
    """The dealer owner (STATEMENT_CONFIRM) agrees with the statement."""
    return await _decide(uow, actor, cmd.dealer_id, cmd.period, StatementStatus.CONFIRMED, None, clock)


async def dispute_statement(uow: AbstractUnitOfWork, actor: Actor, cmd: DisputeStatement, clock: Clock) -> Statement:
    """The dealer owner disputes the statement; finance then corrects and regenerates it."""
    if not cmd.reason.strip():
        raise ValidationFailed(zh="输入有误：请说明异议原因", en="Invalid input: say what is wrong")
    return await _decide(uow, actor, cmd.dealer_id, cmd.period, StatementStatus.DISPUTED, cmd.reason.strip(), clock)
