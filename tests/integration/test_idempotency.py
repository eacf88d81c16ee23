"""core.services.idempotency.run_once on SQLite and PostgreSQL: one transaction for the record and the writes,
the 24 h window, a failed request leaves the key free, and the "in progress" answer when no stored response
can be found."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.audit import AuditEntry
from core.clock import Clock
from core.errors import IdempotencyKeyInUse, IdempotencyKeyReused, ValidationFailed
from core.idempotency import REPLAY_WINDOW, request_fingerprint
from core.ports import AbstractUnitOfWork
from core.services.idempotency import IdempotencyKey, run_once
from core.users import ApiKey
from storage.uow import SqlAlchemyUnitOfWork
from tests.factories import at

T0 = at("2026-11-26 10:00")


class MovingClock(Clock):
    def __init__(self) -> None:
        self.at = T0
        super().__init__(now=lambda: self.at)


async def _api_key(uow: SqlAlchemyUnitOfWork) -> int:
    async with uow:
        key = await uow.api_keys.add(ApiKey(name="erp", prefix="dms_test0001", key_hash="0" * 64, created_at=T0))
        await uow.commit()
    assert key.id is not None
    return key.id


def _key(api_key_id: int, body: Any, key: str = "k-1") -> IdempotencyKey:
    return IdempotencyKey(api_key_id, key, "POST /api/v1/sellout", request_fingerprint(body))


def _writer(note: str, calls: list[str]) -> Any:
    async def work(uow: AbstractUnitOfWork) -> tuple[int, dict[str, Any]]:
        calls.append(note)
        await uow.audit.add(AuditEntry(actor="api:erp", action="test.write", entity="t", entity_id=note, at=T0,
                                       before={}, after={}))
        return 201, {"note": note}
    return work


async def _notes(uow: SqlAlchemyUnitOfWork) -> list[str]:
    async with uow:
        return [a.entity_id for a in await uow.audit.list(action="test.write", order_by="id")]


async def test_replay_within_the_window_and_a_fresh_start_after_it(
        session_factory: async_sessionmaker[AsyncSession]) -> None:
    uow = SqlAlchemyUnitOfWork(session_factory)
    api_key_id = await _api_key(uow)
    clock, calls = MovingClock(), []
    first = await run_once(lambda: SqlAlchemyUnitOfWork(session_factory), _key(api_key_id, [1]),
                           _writer("a", calls), clock)
    assert (first.status_code, first.body, first.replayed) == (201, {"note": "a"}, False)

    clock.at = T0 + REPLAY_WINDOW - timedelta(seconds=1)
    again = await run_once(lambda: SqlAlchemyUnitOfWork(session_factory), _key(api_key_id, [1]),
                           _writer("b", calls), clock)
    assert (again.status_code, again.body, again.replayed) == (201, {"note": "a"}, True)
    with pytest.raises(IdempotencyKeyReused):
        await run_once(lambda: SqlAlchemyUnitOfWork(session_factory), _key(api_key_id, [2]), _writer("c", calls), clock)

    clock.at = T0 + REPLAY_WINDOW                 # expired: the key starts afresh, even with another body
    late = await run_once(lambda: SqlAlchemyUnitOfWork(session_factory), _key(api_key_id, [2]),
                          _writer("d", calls), clock)
    assert (late.body, late.replayed) == ({"note": "d"}, False)
    assert calls == ["a", "d"] and await _notes(uow) == ["a", "d"]
    async with uow:
        [record] = await uow.idempotency_records.list()
    assert record.created_at == clock.at and record.response_body == {"note": "d"}


async def test_a_failed_request_stores_nothing_and_leaves_the_key_free(
        session_factory: async_sessionmaker[AsyncSession]) -> None:
    uow = SqlAlchemyUnitOfWork(session_factory)
    api_key_id = await _api_key(uow)
    calls: list[str] = []

    async def failing(inner: AbstractUnitOfWork) -> tuple[int, dict[str, Any]]:
        await _writer("half", calls)(inner)
        raise ValidationFailed(reason="boom")

    with pytest.raises(ValidationFailed):
        await run_once(lambda: SqlAlchemyUnitOfWork(session_factory), _key(api_key_id, [1]), failing, Clock.fixed(T0))
    async with uow:
        assert await uow.idempotency_records.count() == 0
    done = await run_once(lambda: SqlAlchemyUnitOfWork(session_factory), _key(api_key_id, [1]),
                          _writer("whole", calls), Clock.fixed(T0))
    assert not done.replayed and await _notes(uow) == ["whole"]


class _HidingStoredRecords(SqlAlchemyUnitOfWork):
    """Sees no stored record although the unique constraint says there is one (as if each vanished at once)."""

    async def __aenter__(self) -> _HidingStoredRecords:
        await super().__aenter__()

        async def nothing(**filters: Any) -> None:
            return None

        self.idempotency_records.get_by = nothing  # type: ignore[method-assign]
        return self


async def test_no_stored_response_to_replay_answers_in_progress(
        session_factory: async_sessionmaker[AsyncSession]) -> None:
    uow = SqlAlchemyUnitOfWork(session_factory)
    api_key_id = await _api_key(uow)
    calls: list[str] = []
    await run_once(lambda: SqlAlchemyUnitOfWork(session_factory), _key(api_key_id, [1]), _writer("a", calls),
                   Clock.fixed(T0))
    with pytest.raises(IdempotencyKeyInUse) as refused:
        await run_once(lambda: _HidingStoredRecords(session_factory), _key(api_key_id, [1]), _writer("b", calls),
                       Clock.fixed(T0))
    assert "k-1" in refused.value.message("en") and calls == ["a"]
