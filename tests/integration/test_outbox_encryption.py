"""Outbox params are encrypted at rest (``storage.types.EncryptedJSON``): unreadable in the table, delivered
intact, re-encrypted by a key rotation, and migrated both ways by 0008 (with keys, and lazily without)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.clock import SHANGHAI, Clock
from core.outbox import Category, OutboxMessage, OutboxStatus
from notifications.ratelimit import InProcessRateLimiter
from notifications.templates import Rendered
from notifications.worker import OutboxWorker, WorkerSettings
from storage import encryption
from storage.encryption import configure_encryption, decrypt, generate_key
from storage.engine import build_session_factory
from storage.migrate import downgrade, upgrade
from storage.outbox_store import SqlAlchemyOutboxStore
from storage.rotation import reencrypt_personal_data
from storage.uow import SqlAlchemyUnitOfWork
from tests.integration.conftest import (
    PG_URL,
    TEST_KEYS,
    Database,
    _ensure_pg_database,
    _pg_schema,
    _schema_name,
)

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=SHANGHAI)
PHONE = "13800138000"
NAME = "王建国"
REVEAL = {"replies": [{"text": f"客户{NAME}的完整号码：{PHONE}",
                       "buttons": [[{"label": "返回", "payload": "as.view:AS-20261126-0001"}]]}]}


@pytest.fixture
def restore_keys() -> Iterator[None]:
    yield
    configure_encryption(TEST_KEYS)


def reply_row(key: str, params: dict[str, Any] = REVEAL, chat_id: str = "wx-zhang") -> OutboxMessage:
    return OutboxMessage(dedup_key=key, kind="chat.reply", category=Category.SYSTEM, params=params,
                         channel="wecom", chat_id=chat_id, urgent=True, created_at=NOW)


async def raw_params(session_factory: async_sessionmaker[AsyncSession]) -> dict[str, str]:
    """``params`` as the table holds it, by dedup key (raw SQL: no column type in between)."""
    async with session_factory() as session:
        rows = await session.execute(text("SELECT dedup_key, params FROM outbox_messages"))
        return {key: value if isinstance(value, str) else json.dumps(value) for key, value in rows}


@dataclass
class RecordingSender:
    sent: list[tuple[str, Rendered]] = field(default_factory=list)

    async def send(self, chat_id: str, message: Rendered) -> None:
        self.sent.append((chat_id, message))


async def test_params_are_unreadable_in_the_table_and_delivered_intact(
        session_factory: async_sessionmaker[AsyncSession]) -> None:
    store = SqlAlchemyOutboxStore(session_factory)
    assert await store.enqueue_many([reply_row("reveal:1")]) == 1               # Core insert ... on conflict
    uow = SqlAlchemyUnitOfWork(session_factory)
    async with uow:                                                              # the ORM path (use cases)
        await uow.outbox.add(reply_row("reveal:2", {"replies": [{"text": f"{NAME} 已下单，电话 {PHONE}"}]},
                                       chat_id="wx-li"))
        await uow.commit()

    stored = await raw_params(session_factory)
    for raw in stored.values():
        assert raw.startswith("gAAAAA") and PHONE not in raw and NAME not in raw and "replies" not in raw
    assert json.loads(decrypt(stored["reveal:1"])) == REVEAL

    sender = RecordingSender()
    clock = Clock(SHANGHAI, lambda: NOW)
    worker = OutboxWorker(lambda: SqlAlchemyUnitOfWork(session_factory), store, {"wecom": sender},
                          InProcessRateLimiter(), clock, WorkerSettings(quiet_start=None), worker_id="w1")
    assert await worker.drain() == 2                                             # claimed, rendered, sent
    delivered = dict((chat, m) for chat, m in sender.sent)
    assert delivered["wx-zhang"].text == f"客户{NAME}的完整号码：{PHONE}"
    assert delivered["wx-zhang"].buttons[0][0].payload == "as.view:AS-20261126-0001"
    assert delivered["wx-li"].text == f"{NAME} 已下单，电话 {PHONE}"
    async with uow:
        row = await uow.outbox.get_by(dedup_key="reveal:1")
        with pytest.raises(ValueError, match="encrypted"):                       # not silently matching nothing
            await uow.outbox.list(params__contains=PHONE)
    assert row is not None and row.status == OutboxStatus.SENT and row.params == REVEAL
    assert await raw_params(session_factory) == stored                           # outcomes leave params alone


async def test_rotation_reencrypts_outbox_params_and_encrypts_plain_ones(
        session_factory: async_sessionmaker[AsyncSession], restore_keys: None) -> None:
    old, new = generate_key(), generate_key()
    configure_encryption([old])
    store = SqlAlchemyOutboxStore(session_factory)
    await store.enqueue_many([reply_row("a"), reply_row("b", {"text": "第二条"})])
    plain = json.dumps({"text": f"{NAME} {PHONE}"}, ensure_ascii=False)
    async with session_factory() as session:                                     # left plain by a keyless migration
        await session.execute(text("UPDATE outbox_messages SET params = :p WHERE dedup_key = 'b'"), {"p": plain})
        await session.commit()
    claimed = {m.dedup_key: m.params for m in await store.claim_due(10, "w1", NOW)}
    assert claimed == {"a": REVEAL, "b": {"text": f"{NAME} {PHONE}"}}            # plain JSON still reads

    configure_encryption([new, old])
    assert await reencrypt_personal_data(session_factory) == 2
    stored = await raw_params(session_factory)
    assert json.loads(Fernet(new.encode()).decrypt(stored["a"].encode())) == REVEAL
    assert json.loads(Fernet(new.encode()).decrypt(stored["b"].encode())) == {"text": f"{NAME} {PHONE}"}
    with pytest.raises(InvalidToken):
        Fernet(old.encode()).decrypt(stored["a"].encode())

    configure_encryption([new])                                                  # the old key can go
    await store.requeue_stale(NOW, claimed_by="w1")
    again = {m.dedup_key: m.params for m in await store.claim_due(10, "w2", NOW)}
    assert again == {"a": REVEAL, "b": {"text": f"{NAME} {PHONE}"}}


# --- migration 0008 ------------------------------------------------------------------------------------


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def empty_db(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    if request.param == "sqlite":
        yield Database("sqlite", f"sqlite+aiosqlite:///{tmp_path / 'outbox.sqlite3'}")
        return
    schema = _schema_name("outbox_encryption")
    await _ensure_pg_database(PG_URL)
    await _pg_schema(PG_URL, schema, drop=False)
    try:
        yield Database("postgres", PG_URL, schema)
    finally:
        await _pg_schema(PG_URL, schema, drop=True)


async def _insert_plain(database: Database, key: str, params: dict[str, Any]) -> None:
    """An outbox row as revision 0003 wrote it: params in a JSON column."""
    value = "CAST(:p AS json)" if database.kind == "postgres" else ":p"
    engine = database.engine()
    try:
        async with engine.begin() as conn:
            await conn.execute(text(
                "INSERT INTO outbox_messages (dedup_key, kind, category, params, urgent, status, attempts, channel, "
                f"chat_id) VALUES (:k, 'chat.reply', 'system', {value}, true, 'pending', 0, 'wecom', 'wx-1')"),
                {"k": key, "p": json.dumps(params, ensure_ascii=False)})
    finally:
        await engine.dispose()


async def _raw_and_type(database: Database) -> tuple[dict[str, str], str]:
    engine = database.engine()
    try:
        async with engine.connect() as conn:
            rows = await conn.execute(text("SELECT dedup_key, CAST(params AS TEXT) FROM outbox_messages"))
            raw = {key: value for key, value in rows}
            if database.kind == "postgres":
                kind = await conn.scalar(text("SELECT data_type FROM information_schema.columns WHERE "
                                              "table_schema = current_schema() AND table_name = 'outbox_messages' "
                                              "AND column_name = 'params'"))
            else:
                kind = next(r.type for r in await conn.execute(text("PRAGMA table_info(outbox_messages)"))
                            if r.name == "params")
    finally:
        await engine.dispose()
    return raw, str(kind).lower()


async def _claimed_params(database: Database) -> dict[str, Any]:
    engine = database.engine()
    try:
        store = SqlAlchemyOutboxStore(build_session_factory(engine))
        claimed = {m.dedup_key: m.params for m in await store.claim_due(10, "w1", NOW)}
        await store.requeue_stale(NOW, claimed_by="w1")
        return claimed
    finally:
        await engine.dispose()


async def test_migration_encrypts_existing_rows_and_downgrade_decrypts_them(
        empty_db: Database, monkeypatch: pytest.MonkeyPatch, restore_keys: None) -> None:
    url, path = empty_db.url, empty_db.search_path
    await upgrade(url, "0003_outbox", search_path=path)
    await _insert_plain(empty_db, "old", REVEAL)

    await upgrade(url, search_path=path)                                        # with keys: encrypted now
    raw, kind = await _raw_and_type(empty_db)
    assert kind == "text" and raw["old"].startswith("gAAAAA") and PHONE not in raw["old"]
    assert json.loads(decrypt(raw["old"])) == REVEAL
    assert await _claimed_params(empty_db) == {"old": REVEAL}

    with monkeypatch.context() as keyless:                                       # no keys, encrypted rows: refused
        keyless.setattr(encryption._Keys, "cipher", None)
        with pytest.raises(RuntimeError, match="DATA_ENCRYPTION_KEYS"):
            await downgrade(url, "0003_outbox", search_path=path)
    await downgrade(url, "0003_outbox", search_path=path)
    raw, kind = await _raw_and_type(empty_db)
    assert kind == "json" and json.loads(raw["old"]) == REVEAL

    with monkeypatch.context() as keyless:                                       # bare `alembic upgrade heads`
        keyless.setattr(encryption._Keys, "cipher", None)
        await upgrade(url, search_path=path)
    raw, kind = await _raw_and_type(empty_db)
    assert kind == "text" and json.loads(raw["old"]) == REVEAL                  # left plain, still readable
    assert await _claimed_params(empty_db) == {"old": REVEAL}
    engine = empty_db.engine()
    try:
        assert await reencrypt_personal_data(build_session_factory(engine)) == 1  # `dms keys rotate` finishes it
    finally:
        await engine.dispose()
    raw, _ = await _raw_and_type(empty_db)
    assert raw["old"].startswith("gAAAAA") and json.loads(decrypt(raw["old"])) == REVEAL
