"""Housekeeping: tables that only serve a short window are trimmed, so they do not grow with every message.

- ``inbound_receipts``: one row per chat update (exactly-once handling across processes). Telegram re-sends an
  update for at most 24 hours and WeCom for minutes, so a week is plenty.
- ``idempotency_records``: API ``Idempotency-Key`` responses, replayed for ``core.idempotency.REPLAY_WINDOW``.
- ``outbox_messages`` sent or muted more than 30 days ago (pending, failed and dead rows stay: the admin's
  Outbox screen and Retry need them).

Nothing of business value is deleted (orders, ledger, audit log, tickets stay forever); one audit entry per run
says how many rows went.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from core.auditing import record
from core.clock import Clock
from core.idempotency import REPLAY_WINDOW
from core.outbox import OutboxStatus
from core.ports import AbstractUnitOfWork
from core.users import Actor

RECEIPTS_KEPT = timedelta(days=7)
OUTBOX_KEPT = timedelta(days=30)


@dataclass(frozen=True)
class Pruned:
    receipts: int
    idempotency_records: int
    outbox: int = 0

    @property
    def total(self) -> int:
        return self.receipts + self.idempotency_records + self.outbox


async def prune(uow: AbstractUnitOfWork, clock: Clock, *, receipts_kept: timedelta = RECEIPTS_KEPT,
                idempotency_kept: timedelta = REPLAY_WINDOW, outbox_kept: timedelta = OUTBOX_KEPT) -> Pruned:
    """Delete delivery receipts older than ``receipts_kept``, idempotency records past their window and outbox
    rows delivered (or muted, or folded into a digest) more than ``outbox_kept`` ago."""
    now = clock.now()
    async with uow:
        receipts = await uow.receipts.delete_where(received_at__lt=now - receipts_kept)
        records = await uow.idempotency_records.delete_where(created_at__lt=now - idempotency_kept)
        outbox = await uow.outbox.delete_where(status__in=[OutboxStatus.SENT, OutboxStatus.MUTED,
                                                                   OutboxStatus.FOLDED],
                                               created_at__lt=now - outbox_kept)
        result = Pruned(receipts, records, outbox)
        if result.total:
            await record(uow, Actor.system(), "housekeeping.prune", "database", "receipts+idempotency+outbox", clock,
                         after={"receipts": receipts, "idempotency_records": records, "outbox": outbox})
        await uow.commit()
    return result
