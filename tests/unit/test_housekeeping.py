"""Nightly housekeeping: receipts and idempotency records past their window go, nothing else."""

from __future__ import annotations

from datetime import timedelta

from core.dialogs import InboundReceipt
from core.idempotency import IdempotencyRecord
from core.outbox import Category, OutboxMessage, OutboxStatus
from core.services.housekeeping import prune
from notifications.checks import Checks
from notifications.scheduler import DEFAULT_SCHEDULE
from tests.factories import fixed_clock
from tests.fakes import FakeOutboxStore, FakeUnitOfWork


async def _seed(uow: FakeUnitOfWork) -> None:
    now = fixed_clock().now()
    for n, age in enumerate([timedelta(days=8), timedelta(days=7, seconds=1), timedelta(days=6), timedelta(0)]):
        await uow.receipts.add(InboundReceipt(channel="telegram", key=f"telegram:{n}", received_at=now - age))
    for n, age in enumerate([timedelta(hours=25), timedelta(hours=23)]):
        await uow.idempotency_records.add(IdempotencyRecord(api_key_id=1, key=f"k{n}", endpoint="POST /api/v1/sellout",
                                                            request_hash="h", created_at=now - age, status_code=200))
    for n, (status, age) in enumerate([(OutboxStatus.SENT, 31), (OutboxStatus.SENT, 29), (OutboxStatus.MUTED, 40),
                                       (OutboxStatus.DEAD, 40), (OutboxStatus.PENDING, 40), (OutboxStatus.FAILED, 40)]):
        await uow.outbox.add(OutboxMessage(dedup_key=f"m{n}", kind="order.approved", category=Category.ORDER,
                                           user_id=1, status=status, created_at=now - timedelta(days=age)))
    await uow.commit()


async def test_old_receipts_and_expired_idempotency_records_go_with_one_audit_entry() -> None:
    uow, clock = FakeUnitOfWork(), fixed_clock()
    await _seed(uow)
    pruned = await prune(uow, clock)
    assert (pruned.receipts, pruned.idempotency_records, pruned.outbox) == (2, 1, 2)
    assert sorted(r.key for r in await uow.receipts.list()) == ["telegram:2", "telegram:3"]
    assert [r.key for r in await uow.idempotency_records.list()] == ["k1"]
    # delivered or muted a month ago: gone; recent, waiting, failed or dead: kept (the admin retries dead ones)
    assert sorted(m.dedup_key for m in await uow.outbox.list()) == ["m1", "m3", "m4", "m5"]
    audit = await uow.audit.list(action="housekeeping.prune")
    assert len(audit) == 1 and audit[0].after == {"receipts": 2, "idempotency_records": 1, "outbox": 2}
    again = await prune(uow, clock)
    assert again.total == 0 and len(await uow.audit.list(action="housekeeping.prune")) == 1


async def test_housekeeping_is_a_scheduled_check_that_sends_nothing() -> None:
    uow, clock = FakeUnitOfWork(), fixed_clock()
    await _seed(uow)
    store = FakeOutboxStore(uow)
    checks = Checks(lambda: uow, store, clock)
    assert "housekeeping" in checks.all() and DEFAULT_SCHEDULE["housekeeping"] == "15 3 * * *"
    assert await checks.run("housekeeping") == 0
    assert len(await uow.receipts.list()) == 2
    assert len(await uow.outbox.list()) == 4            # nothing queued, two old rows pruned
