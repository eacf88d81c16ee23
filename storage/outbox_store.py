"""The outbox, seen from the workers (implements ``core.ports.AbstractOutboxStore``).

Every method is one short transaction of its own.

Claiming (one worker per row, any number of processes):

- PostgreSQL: ``SELECT ... FOR UPDATE SKIP LOCKED`` picks due rows nobody else is claiming, they are
  set to ``sending`` with the worker's id, and the transaction commits before anything is sent; a
  second worker skips the locked rows and takes the next ones instead of waiting.
- SQLite: one ``UPDATE ... WHERE id IN (SELECT ... LIMIT n) RETURNING id``: a single statement under
  SQLite's one database write lock, so two workers can never take the same row either.

Outcomes are conditional updates (``WHERE status = 'sending' AND claimed_by = :worker``): a worker that
lost its claim (its rows were requeued as stale and taken by another) changes nothing.

``enqueue_many`` is insert-or-skip on the unique ``dedup_key`` (``ON CONFLICT DO NOTHING``), so checks
running at the same time on two machines queue each message once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.outbox import CLAIMABLE, OutboxMessage, OutboxStatus
from core.ports import AbstractOutboxStore
from storage.orm import outbox_messages, start_mappers

INSERT_CHUNK = 500
MAX_ERROR = 2000

_t = outbox_messages.c


def outbox_row(message: OutboxMessage) -> dict[str, Any]:
    message.check()
    return {"dedup_key": message.dedup_key, "kind": message.kind, "category": message.category,
            "params": message.params, "user_id": message.user_id, "channel": message.channel,
            "chat_id": message.chat_id, "urgent": message.urgent, "status": message.status,
            "attempts": message.attempts, "next_attempt_at": message.next_attempt_at,
            "last_error": message.last_error, "created_at": message.created_at, "sent_at": message.sent_at,
            "delivered_to": message.delivered_to, "claimed_by": message.claimed_by,
            "claimed_at": message.claimed_at}


def _due(now: datetime, urgent_only: bool) -> Any:
    condition = and_(_t.status.in_([s.value for s in CLAIMABLE]),
                     or_(_t.next_attempt_at.is_(None), _t.next_attempt_at <= now))
    return and_(condition, _t.urgent.is_(True)) if urgent_only else condition


class SqlAlchemyOutboxStore(AbstractOutboxStore):
    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        start_mappers()
        self.session_factory = session_factory

    def _dialect(self, session: AsyncSession) -> str:
        return session.get_bind().dialect.name

    async def enqueue_many(self, messages: Sequence[OutboxMessage]) -> int:
        rows = [outbox_row(m) for m in messages]
        inserted = 0
        async with self.session_factory() as session:
            insert: Any = pg_insert if self._dialect(session) == "postgresql" else sqlite_insert
            for start in range(0, len(rows), INSERT_CHUNK):
                stmt = (insert(outbox_messages).values(rows[start:start + INSERT_CHUNK])
                        .on_conflict_do_nothing(index_elements=["dedup_key"]).returning(_t.id))
                inserted += len((await session.execute(stmt)).all())
            await session.commit()
        return inserted

    async def claim_due(self, limit: int, worker_id: str, now: datetime, *,
                        urgent_only: bool = False) -> list[OutboxMessage]:
        async with self.session_factory() as session:
            claim = {"status": OutboxStatus.SENDING, "claimed_by": worker_id, "claimed_at": now}
            if self._dialect(session) == "postgresql":
                ids = list((await session.scalars(
                    select(_t.id).where(_due(now, urgent_only)).order_by(_t.id).limit(limit)
                    .with_for_update(skip_locked=True))).all())
                if ids:
                    await session.execute(update(outbox_messages).where(_t.id.in_(ids)).values(**claim))
            else:
                due = select(_t.id).where(_due(now, urgent_only)).order_by(_t.id).limit(limit)
                ids = list((await session.scalars(
                    update(outbox_messages).where(_t.id.in_(due)).values(**claim).returning(_t.id))).all())
            if not ids:
                await session.rollback()
                return []
            claimed = list((await session.scalars(
                select(OutboxMessage).where(_t.id.in_(ids)).order_by(_t.id)
                .execution_options(populate_existing=True))).all())
            await session.commit()
            return claimed

    async def _outcome(self, message_id: int, worker_id: str, values: dict[str, Any]) -> bool:
        async with self.session_factory() as session:
            result: Any = await session.execute(
                update(outbox_messages)
                .where(_t.id == message_id, _t.status == OutboxStatus.SENDING.value, _t.claimed_by == worker_id)
                .values(**values))
            await session.commit()
            return bool(result.rowcount == 1)

    async def mark_sent(self, message_id: int, worker_id: str, at: datetime, delivered_to: str) -> bool:
        return await self._outcome(message_id, worker_id, {
            "status": OutboxStatus.SENT, "sent_at": at, "delivered_to": delivered_to[:160], "last_error": None})

    async def mark_failed(self, message_id: int, worker_id: str, error: str, retry_at: datetime | None) -> bool:
        return await self._outcome(message_id, worker_id, {
            "status": OutboxStatus.DEAD if retry_at is None else OutboxStatus.FAILED,
            "attempts": _t.attempts + 1, "last_error": error[:MAX_ERROR], "next_attempt_at": retry_at})

    async def mark_muted(self, message_id: int, worker_id: str, reason: str) -> bool:
        return await self._outcome(message_id, worker_id, {"status": OutboxStatus.MUTED,
                                                            "last_error": reason[:MAX_ERROR]})

    async def mark_muted_many(self, reasons: Mapping[int, str], worker_id: str) -> int:
        """One transaction, one UPDATE per distinct reason (a batch's staff without a chat share one)."""
        by_reason: dict[str, list[int]] = {}
        for message_id, reason in reasons.items():
            by_reason.setdefault(reason[:MAX_ERROR], []).append(message_id)
        changed = 0
        async with self.session_factory() as session:
            for reason, ids in by_reason.items():
                result: Any = await session.execute(
                    update(outbox_messages)
                    .where(_t.id.in_(ids), _t.status == OutboxStatus.SENDING.value, _t.claimed_by == worker_id)
                    .values(status=OutboxStatus.MUTED, last_error=reason))
                changed += int(result.rowcount or 0)
            await session.commit()
        return changed

    async def release(self, message_id: int, worker_id: str, retry_at: datetime, note: str | None = None) -> bool:
        return await self._outcome(message_id, worker_id, {
            "status": OutboxStatus.PENDING, "next_attempt_at": retry_at, "last_error": note,
            "claimed_by": None, "claimed_at": None})

    async def requeue_stale(self, older_than: datetime, *, claimed_by: str | None = None) -> int:
        which = _t.claimed_by == claimed_by if claimed_by is not None else or_(
            _t.claimed_at.is_(None), _t.claimed_at < older_than)
        async with self.session_factory() as session:
            result: Any = await session.execute(
                update(outbox_messages).where(_t.status == OutboxStatus.SENDING.value, which)
                .values(status=OutboxStatus.PENDING, claimed_by=None, claimed_at=None))
            await session.commit()
            return int(result.rowcount or 0)

    async def counts(self) -> dict[str, int]:
        async with self.session_factory() as session:
            rows = (await session.execute(select(_t.status, func.count()).group_by(_t.status))).all()
        return {str(getattr(status, "value", status)): int(n) for status, n in rows}
