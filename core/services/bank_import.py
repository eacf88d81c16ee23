"""Bank statement import (issue 14): finance loads a bank file, each incoming row is matched to a
dealer and booked as a bank transfer into the dealer's prepayment; rows no rule matches wait for a
person (``list_unmatched``, ``assign_bank_row``, ``ignore_bank_row``).

Idempotent twice over: a row whose key (core.banking.row_key) is stored already is a duplicate and
touches nothing, and the payment is booked with ``source="bank:<row key>"`` (core.services.payments),
so the same row in two files, or the same file twice, is booked once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field

from core import authz
from core.accounts import AccountKind, PaymentMethod
from core.auditing import record, snapshot
from core.banking import (
    BANK_ROW_STATUS_LABELS,
    BankRow,
    BankRowRecord,
    BankRowStatus,
    Cell,
    DealerRef,
    Match,
    RowError,
    match_row,
    order_numbers_in,
    parse_bank_rows,
    parse_payer_accounts,
)
from core.clock import Clock
from core.errors import DomainError, InvalidTransition, NotFound, ValidationFailed
from core.ports import AbstractUnitOfWork
from core.services.payments import RecordPayment, stage_payment
from core.users import Actor, Permission

MAX_REFERENCE = 64   # core.services.payments.MAX_REFERENCE


@dataclass
class ImportSummary:
    file_name: str
    booked: list[BankRowRecord] = field(default_factory=list)
    duplicates: int = 0                                   # rows stored by an earlier import
    unmatched: list[BankRowRecord] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    skipped: int = 0                                      # blank, total and outgoing rows


def file_sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


async def _dealer_refs(uow: AbstractUnitOfWork) -> list[DealerRef]:
    return [DealerRef(d.id, d.code, d.name, parse_payer_accounts(d.payer_accounts))
            for d in await uow.dealers.list() if d.id is not None]


async def _order_dealers(uow: AbstractUnitOfWork, rows: Sequence[BankRow]) -> dict[str, int]:
    found: dict[str, int] = {}
    for number in {n for r in rows for n in order_numbers_in(r.reference)}:
        order = await uow.orders.get_by(number=number)
        if order is not None:
            found[number] = order.dealer_id
    return found


async def _book(uow: AbstractUnitOfWork, actor: Actor, row: BankRowRecord, dealer_id: int, clock: Clock) -> int | None:
    entry = await stage_payment(uow, actor, RecordPayment(
        dealer_id=dealer_id, account=AccountKind.PREPAYMENT, amount=row.amount, method=PaymentMethod.BANK_TRANSFER,
        reference=row.reference[:MAX_REFERENCE], paid_on=row.paid_on, note=f"{row.payer} ({row.file_name} #{row.row_number})",
        source=f"bank:{row.key}"), clock)
    return entry.id


async def import_bank_file(uow: AbstractUnitOfWork, actor: Actor, name: str, lines: Sequence[Sequence[Cell]],
                           clock: Clock, *, sha256: str = "") -> ImportSummary:
    """Parse, match and book a bank file (ACCOUNT_POST), in one unit of work. ``lines`` are all rows of
    the file (title rows and header included); ``sha256`` of the file's bytes is kept with each row."""
    authz.require(actor, Permission.ACCOUNT_POST)
    parsed = parse_bank_rows(lines)
    summary = ImportSummary(file_name=name, errors=list(parsed.errors), skipped=parsed.skipped)
    async with uow:
        dealers = await _dealer_refs(uow)
        orders = await _order_dealers(uow, parsed.rows)
        for row in parsed.rows:
            if await uow.bank_rows.get_by(key=row.key) is not None:
                summary.duplicates += 1
                continue
            match: Match | None = match_row(row, dealers, orders)
            stored = BankRowRecord(
                key=row.key, file_name=name[:300], file_sha256=sha256, row_number=row.row_number, paid_on=row.paid_on,
                payer=row.payer, amount=row.amount, reference=row.reference, account=row.account[:64],
                status=BankRowStatus.UNMATCHED, imported_by=actor.label, imported_at=clock.now())
            if match is not None:
                try:
                    stored.entry_id = await _book(uow, actor, stored, match.dealer_id, clock)
                except DomainError as exc:   # e.g. a date in the future: a person looks at it
                    stored.note = exc.message("zh")[:500]
                else:
                    stored.status, stored.dealer_id, stored.match_reason = (
                        BankRowStatus.BOOKED, match.dealer_id, match.reason.value)
            await uow.bank_rows.add(stored)
            (summary.booked if stored.status == BankRowStatus.BOOKED else summary.unmatched).append(stored)
        await uow.flush()
        await record(uow, actor, "bank.import", "bank_file", sha256 or name, clock, after={
            "file": name, "booked": len(summary.booked), "unmatched": len(summary.unmatched),
            "duplicates": summary.duplicates, "errors": len(summary.errors)})
        await uow.commit()
    return summary


async def list_unmatched(uow: AbstractUnitOfWork, actor: Actor, *, limit: int = 50,
                         offset: int = 0) -> tuple[list[BankRowRecord], int]:
    """Rows waiting for a person, oldest payment first, and how many wait in all (ACCOUNT_POST)."""
    authz.require(actor, Permission.ACCOUNT_POST)
    async with uow:
        rows = await uow.bank_rows.list(status=BankRowStatus.UNMATCHED, order_by="paid_on", limit=limit, offset=offset)
        total = await uow.bank_rows.count(status=BankRowStatus.UNMATCHED)
    return rows, total


async def _waiting(uow: AbstractUnitOfWork, row_id: int) -> BankRowRecord:
    row = await uow.bank_rows.get(row_id, for_update=True)
    if row is None:
        raise NotFound(zh=f"未找到银行流水 {row_id}", en=f"Bank row {row_id} not found", what=str(row_id))
    if row.status != BankRowStatus.UNMATCHED:
        label = BANK_ROW_STATUS_LABELS[row.status]
        raise InvalidTransition(zh=f"这笔流水已处理（{label['zh']}）", en=f"This bank row is already {label['en'].lower()}",
                                current=row.status.value, action="assign")
    return row


async def assign_bank_row(uow: AbstractUnitOfWork, actor: Actor, row_id: int, dealer_id: int,
                          clock: Clock) -> BankRowRecord:
    """A person says whose payment an unmatched row is: booked into that dealer's prepayment."""
    authz.require(actor, Permission.ACCOUNT_POST)
    async with uow:
        row = await _waiting(uow, row_id)
        before = snapshot(row)
        row.entry_id = await _book(uow, actor, row, dealer_id, clock)
        row.status, row.dealer_id = BankRowStatus.ASSIGNED, dealer_id
        row.decided_by, row.decided_at = actor.label, clock.now()
        await record(uow, actor, "bank.assign", "bank_row", row.id, clock, before=before, after=snapshot(row))
        await uow.commit()
    return row


async def ignore_bank_row(uow: AbstractUnitOfWork, actor: Actor, row_id: int, reason: str,
                          clock: Clock) -> BankRowRecord:
    """A person decides an unmatched row is no dealer's payment (with a reason); nothing is booked."""
    authz.require(actor, Permission.ACCOUNT_POST)
    reason = reason.strip()
    if not reason:
        raise ValidationFailed(zh="输入有误：请写明忽略原因", en="Invalid input: say why the row is ignored",
                               reason="reason missing")
    async with uow:
        row = await _waiting(uow, row_id)
        before = snapshot(row)
        row.status, row.note = BankRowStatus.IGNORED, reason[:500]
        row.decided_by, row.decided_at = actor.label, clock.now()
        await record(uow, actor, "bank.ignore", "bank_row", row.id, clock, before=before, after=snapshot(row))
        await uow.commit()
    return row



