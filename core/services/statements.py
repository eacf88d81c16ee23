"""Monthly statements in the hands of finance: issuing for a month, answering disputes, deadlines.

- ``issue_statements``: last month's statements for every active dealer with a movement, an order or a
  balance (or one dealer by code), each through ``core.services.accounts.generate_statement`` (which sends
  it). A statement already there is left alone (``again``: rebuilt and sent again unless confirmed), so
  the scheduled check and a person running the command on the same day issue each statement once.
- ``answer_dispute``: finance (ACCOUNT_POST) accepts a dispute with an adjustment entry on the account
  named, or explains; either way the statement is rebuilt, the dealer told the answer and asked to
  confirm again (issued, a new deadline), and the finance task closed. One unit of work.
  The adjustment is booked on the last second of the disputed month when no later statement of the dealer
  exists yet, so the corrected statement shows it; otherwise today (it then shows on the current month's).
- ``remind_due`` / ``confirm_overdue``: the reminder ``remind_days`` before the deadline, once; past the
  deadline an issued statement counts as confirmed by the system (audited, the dealer told).
- ``list_open_disputes``: what finance has to answer (shared by chat and back office).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from core import notify
from core.accounts import AccountKind, EntryKind, LedgerEntry, Statement, StatementStatus
from core.auditing import record, snapshot
from core.authz import dealer_family, require
from core.clock import Clock
from core.dealers import Dealer, DealerStatus
from core.errors import Conflict, InvalidTransition, NotFound, ValidationFailed
from core.expenses import TaskStatus
from core.ledger import ACCOUNT_LABELS, parse_period
from core.money import ZERO, fmt_cny, money
from core.ports import AbstractUnitOfWork
from core.services.accounts import (
    STATEMENT_AUDIT_FIELDS,
    STATEMENT_STATUS_LABELS,
    GenerateStatement,
    _require_reader,
    compose_for,
    generate_statement,
    reissue,
)
from core.services.expenses import close_open_task
from core.statements import StatementPolicy, has_content
from core.users import Actor, Permission

DISPUTE_TASK = "statement.dispute"
MAX_ANSWER = 1000


@dataclass(frozen=True)
class IssueStatements:
    period: str                          # "2026-11"
    dealer_code: str | None = None       # None: every active dealer with something to state
    confirm_days: int = 10
    again: bool = False                  # rebuild and send again a statement already issued (not confirmed)


@dataclass
class IssueOutcome:
    issued: list[tuple[str, Statement]] = field(default_factory=list)     # (dealer code, statement)
    skipped: list[tuple[str, str]] = field(default_factory=list)          # (dealer code, why: exists/empty/confirmed)


async def issue_statements(uow_factory: Callable[[], AbstractUnitOfWork], actor: Actor, cmd: IssueStatements,
                           clock: Clock) -> IssueOutcome:
    """Issue (send) the statements of ``cmd.period``; see the module docstring."""
    require(actor, Permission.ACCOUNT_POST)
    if parse_period(cmd.period)[1] >= clock.today():
        raise ValidationFailed(zh=f"输入有误：{cmd.period} 尚未结束，月底后才能出对账单",
                               en=f"Invalid input: {cmd.period} has not ended yet; statements follow the month end")
    async with uow_factory() as uow:
        if cmd.dealer_code:
            dealer = await uow.dealers.get_by(code=cmd.dealer_code.strip().upper())
            if dealer is None:
                raise NotFound(zh=f"未找到经销商 {cmd.dealer_code}", en=f"Dealer {cmd.dealer_code} not found",
                               what=cmd.dealer_code)
            dealers: list[Dealer] = [dealer]
        else:
            dealers = await uow.dealers.list(status=DealerStatus.ACTIVE, order_by="code")
    outcome = IssueOutcome()
    for dealer in dealers:
        assert dealer.id is not None
        async with uow_factory() as uow:
            existing = await uow.statements.get_by(dealer_id=dealer.id, period=cmd.period)
            built = await compose_for(uow, dealer.id, cmd.period, clock) if existing is None else None
        if existing is not None and (not cmd.again or existing.status == StatementStatus.CONFIRMED):
            outcome.skipped.append((dealer.code, "confirmed" if existing.status == StatementStatus.CONFIRMED
                                    else "exists"))
            continue
        if built is not None and not has_content(built):
            outcome.skipped.append((dealer.code, "empty"))
            continue
        try:
            statement = await generate_statement(uow_factory(), actor, GenerateStatement(
                dealer_id=dealer.id, period=cmd.period, confirm_days=cmd.confirm_days, replace=cmd.again), clock)
        except Conflict:        # issued (or confirmed) a moment ago by another run: one per dealer and month
            outcome.skipped.append((dealer.code, "exists"))
            continue
        outcome.issued.append((dealer.code, statement))
    return outcome


# --- disputes -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class AnswerDispute:
    statement_id: int
    answer: str                            # finance's words to the dealer
    account: AccountKind | None = None     # accepting: the account the adjustment goes to
    amount: Decimal | str | None = None    # accepting: signed adjustment (+ gives the dealer money)


@dataclass(frozen=True)
class OpenDispute:
    """A disputed statement waiting for finance."""

    statement_id: int
    dealer_id: int
    dealer_code: str
    dealer_name: str
    period: str
    reason: str
    lines: tuple[str, ...]
    disputed_at: datetime | None
    closing_balance: Decimal
    task_id: int | None


def _statement_not_found(ref: object) -> NotFound:
    return NotFound(zh=f"未找到对账单 {ref}", en=f"Statement {ref} not found", what=str(ref))


async def list_open_disputes(uow: AbstractUnitOfWork, actor: Actor, *, limit: int = 50) -> list[OpenDispute]:
    """Disputed statements, oldest dispute first (ACCOUNT_POST)."""
    require(actor, Permission.ACCOUNT_POST)
    async with uow:
        rows = await uow.statements.list(status=StatementStatus.DISPUTED, order_by="decided_at", limit=limit)
        out = []
        for s in rows:
            dealer = await uow.dealers.get(s.dealer_id)
            task = await uow.staff_tasks.get_by(kind=DISPUTE_TASK, ref=f"{s.dealer_id}:{s.period}",
                                                status=TaskStatus.OPEN)
            out.append(OpenDispute(statement_id=s.id or 0, dealer_id=s.dealer_id,
                                   dealer_code=dealer.code if dealer else "?", dealer_name=dealer.name if dealer else "",
                                   period=s.period, reason=s.dispute_reason or "", lines=tuple(s.dispute_lines),
                                   disputed_at=s.decided_at, closing_balance=s.closing_balance,
                                   task_id=task.id if task else None))
        return out


async def get_statement_by_id(uow: AbstractUnitOfWork, actor: Actor, statement_id: int) -> Statement:
    """One statement for its dealer's users (ACCOUNT_READ_OWN) or staff (ACCOUNT_READ_ALL); another dealer's
    is not found."""
    async with uow:
        statement = await uow.statements.get(statement_id)
        if statement is None:
            raise _statement_not_found(statement_id)
        try:
            _require_reader(actor, statement.dealer_id, await dealer_family(uow, actor))
        except NotFound:
            raise _statement_not_found(statement_id) from None
        return statement


async def answer_dispute(uow: AbstractUnitOfWork, actor: Actor, cmd: AnswerDispute, clock: Clock) -> Statement:
    """Accept (with an adjustment) or explain a disputed statement; the dealer is asked to confirm again."""
    answer = cmd.answer.strip()
    if not answer:
        raise ValidationFailed(zh="输入有误：请写下给经销商的答复", en="Invalid input: write the answer for the dealer")
    amount = money(cmd.amount) if cmd.amount is not None else None
    if (amount is None) != (cmd.account is None) or amount == ZERO:
        raise ValidationFailed(zh="输入有误：调整需要账户和不为 0 的金额",
                               en="Invalid input: an adjustment needs an account and an amount other than 0")
    async with uow:
        require(actor, Permission.ACCOUNT_POST)
        statement = await uow.statements.get(cmd.statement_id, for_update=True)
        if statement is None:
            raise _statement_not_found(cmd.statement_id)
        if statement.status != StatementStatus.DISPUTED:
            zh, en = STATEMENT_STATUS_LABELS[statement.status]
            raise InvalidTransition(zh=f"对账单当前状态“{zh}”，没有待答复的异议",
                                    en=f"The statement is {en}: there is no dispute to answer",
                                    current=statement.status.value, action="answer")
        before = snapshot(statement, STATEMENT_AUDIT_FIELDS)
        if amount is not None and cmd.account is not None:
            later = await uow.statements.count(dealer_id=statement.dealer_id, period_start__gt=statement.period_end)
            booked = datetime.combine(statement.period_end, time(23, 59, 59), clock.tz) if not later else clock.now()
            entry = LedgerEntry(dealer_id=statement.dealer_id, account=cmd.account, amount=amount,
                                kind=EntryKind.ADJUSTMENT, ref=f"ST-{statement.period}",
                                note=f"对账调整 {statement.period}：{answer[:150]}", created_by=actor.label,
                                created_at=booked)
            await uow.ledger.add(entry)
            await uow.flush()
            await record(uow, actor, "ledger.post", "ledger_entry", entry.id, clock, after=snapshot(entry))
        built = await compose_for(uow, statement.dealer_id, statement.period, clock)
        reissue(statement, built, clock)
        adjustment = ""
        if amount is not None and cmd.account is not None:
            adjustment = f"{cmd.account.value} {'+' if amount > ZERO else ''}{amount}"
        statement.answer = answer[:MAX_ANSWER]
        statement.answered_by, statement.answered_at = actor.label, clock.now()
        await record(uow, actor, "statement.answer", "statement", f"{statement.dealer_id}:{statement.period}", clock,
                     before=before, after={**snapshot(statement, STATEMENT_AUDIT_FIELDS), "adjustment": adjustment})
        await close_open_task(uow, actor, DISPUTE_TASK, f"{statement.dealer_id}:{statement.period}",
                              answer + (f" [{adjustment}]" if adjustment else ""), clock)
        await notify.statement_issued(uow, actor, statement, clock, kind="statement.answered")
        await uow.commit()
        return statement


# --- deadlines ----------------------------------------------------------------------------------------

async def remind_due(uow: AbstractUnitOfWork, clock: Clock, policy: StatementPolicy) -> int:
    """Issued statements within ``remind_days`` of their deadline and not reminded since issued: remind once."""
    today = clock.today()
    system = Actor.system()
    async with uow:
        due = await uow.statements.list(status=StatementStatus.ISSUED, due_on__gte=today,
                                        due_on__lte=today + timedelta(days=policy.remind_days), reminded_at=None)
        # never on the day it was sent (a short window would remind with the statement itself)
        due = [s for s in due if s.sent_at is None or s.sent_at.astimezone(clock.tz).date() < today]
        for statement in due:
            statement.reminded_at = clock.now()
            await record(uow, system, "statement.remind", "statement", f"{statement.dealer_id}:{statement.period}",
                         clock, after={"due_on": str(statement.due_on)})
            await notify.statement_issued(uow, system, statement, clock, kind="statement.reminder")
        await uow.commit()
        return len(due)


async def confirm_overdue(uow: AbstractUnitOfWork, clock: Clock) -> int:
    """Issued statements past their deadline count as confirmed: by the system, audited, the dealer told."""
    today = clock.today()
    system = Actor.system()
    async with uow:
        overdue = await uow.statements.list(status=StatementStatus.ISSUED, due_on__lt=today)
        for statement in overdue:
            before = snapshot(statement, STATEMENT_AUDIT_FIELDS)
            statement.status = StatementStatus.CONFIRMED
            statement.decided_by, statement.decided_at = system.label, clock.now()
            await record(uow, system, "statement.auto_confirm", "statement",
                         f"{statement.dealer_id}:{statement.period}", clock, before=before,
                         after=snapshot(statement, STATEMENT_AUDIT_FIELDS))
            await notify.statement_issued(uow, system, statement, clock, kind="statement.auto_confirmed")
        await uow.commit()
        return len(overdue)


# --- the back office's list ---------------------------------------------------------------------------

@dataclass(frozen=True)
class StatementRow:
    statement: Statement
    dealer_code: str
    dealer_name: str


async def list_statements(uow: AbstractUnitOfWork, actor: Actor, *, period: str | None = None,
                          status: StatementStatus | None = None, dealer_id: int | None = None,
                          limit: int = 200) -> list[StatementRow]:
    """Statements for staff (ACCOUNT_READ_ALL), newest month first, then by dealer code; one dealer's only when
    ``dealer_id`` is given."""
    require(actor, Permission.ACCOUNT_READ_ALL)
    filters: dict[str, Any] = {}
    if period:
        parse_period(period)
        filters["period"] = period
    if status is not None:
        filters["status"] = status
    if dealer_id is not None:
        filters["dealer_id"] = dealer_id
    async with uow:
        rows = await uow.statements.list(order_by="period_start", desc=True, limit=limit, **filters)
        dealers = {d.id: d for d in await uow.dealers.list(id__in=sorted({r.dealer_id for r in rows}))} if rows else {}
    out = [StatementRow(r, dealers[r.dealer_id].code if r.dealer_id in dealers else "?",
                        dealers[r.dealer_id].name if r.dealer_id in dealers else "") for r in rows]
    return sorted(out, key=lambda r: (-r.statement.period_start.toordinal(), r.dealer_code))


async def get_statement_row(uow: AbstractUnitOfWork, actor: Actor, statement_id: int) -> StatementRow:
    """One statement with its dealer's code and name (for its files: ``statement-D0001-2026-11.pdf``)."""
    statement = await get_statement_by_id(uow, actor, statement_id)
    async with uow:
        dealer = await uow.dealers.get(statement.dealer_id)
    return StatementRow(statement, dealer.code if dealer else str(statement.dealer_id), dealer.name if dealer else "")


def statement_status_label(status: StatementStatus) -> tuple[str, str]:
    return STATEMENT_STATUS_LABELS[status]


def describe_adjustment(account: AccountKind, amount: Decimal) -> tuple[str, str]:
    """(zh, en) of an adjustment, for confirmations in chat and the back office."""
    zh, en = ACCOUNT_LABELS[account]
    sign = "+" if amount > ZERO else "-"
    return f"{zh} {sign}{fmt_cny(abs(amount))}", f"{en} {sign}{fmt_cny(abs(amount))}"


def due_label(statement: Statement) -> str:
    return statement.due_on.isoformat() if isinstance(statement.due_on, date) else "-"

