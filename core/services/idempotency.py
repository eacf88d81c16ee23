"""Run an API write at most once per ``Idempotency-Key`` (``core.idempotency``).

:func:`run_once` opens one unit of work, inserts the key's record first, runs the request's writes in
that same unit of work, stores the response on the record and commits once: the lines and the record
are written together or not at all, so there is no "started but unfinished" record to recover from.

Two requests with the same key at the same time: the unique constraint on (API key, key) decides.
On PostgreSQL the second INSERT waits for the first transaction; on SQLite the second waits for the
write lock. When the first commits, the second's INSERT fails, its unit of work is rolled back (nothing
of it written) and it answers with the stored response; when the first rolls back, the second goes on
and writes. Same key with another endpoint or body: :class:`~core.errors.IdempotencyKeyReused`. A record
past :data:`~core.idempotency.REPLAY_WINDOW` is dropped and the key starts afresh.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from core.clock import Clock
from core.errors import Conflict, IdempotencyKeyInUse, IdempotencyKeyReused
from core.idempotency import IdempotencyRecord
from core.ports import AbstractUnitOfWork

MAX_ATTEMPTS = 3
"""Claims tried before answering "in progress": a claim is retried only when the record it collided with
disappeared meanwhile (the other request rolled back, or the record had expired)."""


@dataclass(frozen=True)
class IdempotencyKey:
    """The key a request came with, and what it must match to be replayed."""

    api_key_id: int
    key: str
    endpoint: str            # "POST /api/v1/sellout"
    request_hash: str        # core.idempotency.request_fingerprint of the body


@dataclass(frozen=True)
class Outcome:
    status_code: int
    body: dict[str, Any]
    replayed: bool = False   # True: the stored response of an earlier request, nothing written now


Work = Callable[[AbstractUnitOfWork], Awaitable[tuple[int, dict[str, Any]]]]
"""The request's writes inside the open unit of work (never committing): returns (status, JSON body).
It may run more than once (after a lost race whose winner rolled back): build everything inside it."""


async def run_once(uow_factory: Callable[[], AbstractUnitOfWork], key: IdempotencyKey | None, work: Work,
                   clock: Clock) -> Outcome:
    """``work`` in one unit of work, committed once; with a ``key``, at most once per key (see the module)."""
    if key is None:
        async with uow_factory() as uow:
            status, body = await work(uow)
            await uow.commit()
        return Outcome(status, body)
    for _ in range(MAX_ATTEMPTS):
        now = clock.now()
        async with uow_factory() as uow:
            record = IdempotencyRecord(api_key_id=key.api_key_id, key=key.key, endpoint=key.endpoint,
                                       request_hash=key.request_hash, created_at=now)
            try:
                await uow.idempotency_records.add(record)
            except Conflict as exc:
                if exc.params.get("reason") != "duplicate":
                    raise
            else:
                status, body = await work(uow)
                record.status_code, record.response_body = status, body
                await uow.commit()
                return Outcome(status, body)
        stored = await _stored(uow_factory, key, clock)
        if stored is not None:
            return stored
    raise IdempotencyKeyInUse(key=key.key)


async def _stored(uow_factory: Callable[[], AbstractUnitOfWork], key: IdempotencyKey,
                  clock: Clock) -> Outcome | None:
    """The response stored under ``key``; None when there is none (any more) and the claim may be retried."""
    async with uow_factory() as uow:
        found = await uow.idempotency_records.get_by(api_key_id=key.api_key_id, key=key.key)
        if found is None:
            return None
        if found.expired(clock.now()):
            locked = await uow.idempotency_records.get_by(api_key_id=key.api_key_id, key=key.key, for_update=True)
            if locked is not None and locked.expired(clock.now()):
                await uow.idempotency_records.delete(locked)
                await uow.commit()
            return None
        if not found.same_request(key.endpoint, key.request_hash):
            raise IdempotencyKeyReused(key=key.key)
        return Outcome(found.status_code, found.response_body, replayed=True)


SelfCommitting = Callable[[], Awaitable[tuple[int, dict[str, Any]]]]
"""A use case that commits in its own unit of work and is itself idempotent (an order submitted with a
``client_request_key``: the same key answers the same order), returning (status, JSON body)."""


async def run_recorded(uow_factory: Callable[[], AbstractUnitOfWork], key: IdempotencyKey, work: SelfCommitting,
                       clock: Clock) -> Outcome:
    """For a use case that commits by itself (:data:`SelfCommitting`): the response stored under ``key``
    (or :class:`~core.errors.IdempotencyKeyReused` for another body), else run ``work`` and store its response.

    ``work`` cannot share the record's transaction (it commits), so a retry after a lost response runs it
    again: it must answer the same thing then (the order's own key does), and the record stored second loses
    to the first on the unique (API key, key)."""
    stored = await _stored(uow_factory, key, clock)
    if stored is not None:
        return stored
    status, body = await work()
    try:
        async with uow_factory() as uow:
            await uow.idempotency_records.add(IdempotencyRecord(
                api_key_id=key.api_key_id, key=key.key, endpoint=key.endpoint, request_hash=key.request_hash,
                created_at=clock.now(), status_code=status, response_body=body))
            await uow.commit()
    except Conflict as exc:
        if exc.params.get("reason") != "duplicate":
            raise
        stored = await _stored(uow_factory, key, clock)
        if stored is not None:
            return stored
    return Outcome(status, body)
