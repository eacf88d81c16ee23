"""``dms worker`` processes on PostgreSQL against the Bot API stand-in: a worker killed with SIGKILL in the
middle of a broadcast and started again delivers every message, with duplicates only for rows whose send
succeeded but whose outcome was not committed (counted); two workers never send the same row twice.

Each test gets a fresh database on the test server (dropped afterwards); the workers share their rate
limit through the real Redis.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import signal
import sys
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import pytest_asyncio
from sqlalchemy import insert, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from core.outbox import Category, OutboxStatus
from core.users import Role
from storage.encryption import configure_encryption, generate_key
from storage.engine import build_engine
from storage.migrate import upgrade
from storage.orm import chat_identities, outbox_messages, users
from tests.e2e.telegram_standin import TelegramStandIn

pytestmark = pytest.mark.postgres

SERVER = os.environ.get("DMS_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/dms_test")
REDIS_URL = os.environ.get("DMS_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
DMS = str(Path(sys.executable).parent / "dms")
ROOT = Path(__file__).resolve().parents[2]      # on PYTHONPATH: packages newer than the editable install
KEYS = [generate_key()]
N = 400
FIRST_CHAT = 7_000_000


@pytest.fixture
def database() -> Iterator[str]:
    name = f"dms_test_workers_{os.getpid()}_{secrets.token_hex(3)}"
    url = make_url(SERVER)

    async def admin(sql: str) -> None:
        engine = create_async_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
        try:
            async with engine.connect() as conn:
                await conn.execute(text(sql))
        finally:
            await engine.dispose()

    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    target = url.set(database=name).render_as_string(hide_password=False)
    asyncio.run(upgrade(target))
    try:
        yield target
    finally:
        asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest_asyncio.fixture
async def engine(database: str) -> AsyncIterator[AsyncEngine]:
    configure_encryption(KEYS)
    built = build_engine(database)
    try:
        yield built
    finally:
        await built.dispose()


@pytest_asyncio.fixture
async def standin() -> AsyncIterator[TelegramStandIn]:
    async with TelegramStandIn() as s:
        yield s


async def broadcast(engine: AsyncEngine, n: int = N) -> dict[int, int]:
    """n users bound to their own chats and one outbox row each: row id -> chat id."""
    now = datetime.now(UTC)
    async with engine.begin() as conn:
        ids = (await conn.execute(insert(users).values([
            {"username": f"w{i}", "display_name": f"用户{i}", "role": Role.ORDER_DESK, "dealer_id": None, "phone": None,
             "password_hash": None, "language": "zh-CN", "active": True, "created_at": now} for i in range(n)])
            .returning(users.c.id, users.c.username))).all()
        user_chat = {uid: FIRST_CHAT + int(name[1:]) for uid, name in ids}
        await conn.execute(insert(chat_identities).values([
            {"channel": "telegram", "external_id": str(chat), "user_id": uid, "bound_at": now}
            for uid, chat in user_chat.items()]))
        rows = (await conn.execute(insert(outbox_messages).values([
            {"dedup_key": f"broadcast:u{uid}", "kind": "system.notice", "category": Category.CAMPAIGN,
             "params": {"text": {"zh": "冬季换新活动今天开始", "en": "The winter campaign starts today"}},
             "user_id": uid, "urgent": False, "status": OutboxStatus.PENDING, "attempts": 0, "created_at": now}
            for uid in user_chat]).returning(outbox_messages.c.id, outbox_messages.c.user_id))).all()
    return {row_id: user_chat[uid] for row_id, uid in rows}


async def start_worker(database: str, standin: TelegramStandIn, tmp_path: Path, worker_id: str,
                       redis_prefix: str) -> asyncio.subprocess.Process:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DATABASE_URL": database, "DATA_DIR": str(tmp_path / "var"),
           "DATA_ENCRYPTION_KEYS": KEYS[0], "TELEGRAM_BOT_TOKEN": standin.token,
           "TELEGRAM_API_BASE": standin.base_url, "REDIS_URL": REDIS_URL, "NOTIFY_REDIS_PREFIX": redis_prefix,
           "NOTIFY_TELEGRAM_PER_SECOND": "150", "NOTIFY_QUIET_HOURS": "", "NOTIFY_POLL_SECONDS": "0.1",
           "NOTIFY_BATCH_SIZE": "40", "LOG_LEVEL": "WARNING"}
    return await asyncio.create_subprocess_exec(DMS, "worker", "--id", worker_id, cwd=tmp_path, env=env,
                                                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)


async def statuses(engine: AsyncEngine) -> dict[int, tuple[str, str | None]]:
    async with engine.connect() as conn:
        found = (await conn.execute(select(outbox_messages.c.id, outbox_messages.c.status,
                                           outbox_messages.c.claimed_by))).all()
    return {row_id: (str(getattr(status, "value", status)), claimed_by) for row_id, status, claimed_by in found}


async def until_all_sent(engine: AsyncEngine, seconds: float = 40.0) -> None:
    for _ in range(int(seconds / 0.1)):
        if all(status == "sent" for status, _ in (await statuses(engine)).values()):
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"not all sent: {sorted({s for s, _ in (await statuses(engine)).values()})}")


async def until_started(process: asyncio.subprocess.Process, seconds: float = 30.0) -> str:
    """Lines the worker printed up to its "started" line (it polls from then on)."""
    assert process.stdout is not None
    seen: list[str] = []
    async with asyncio.timeout(seconds):
        while "started" not in (line := (await process.stdout.readline()).decode(errors="replace")):
            assert line, "".join(seen)
            seen.append(line)
    return "".join([*seen, line])


async def stop(process: asyncio.subprocess.Process) -> str:
    if process.returncode is None:
        process.send_signal(signal.SIGTERM)
    out, _ = await asyncio.wait_for(process.communicate(), 20)
    return out.decode(errors="replace")


def received(standin: TelegramStandIn) -> dict[int, int]:
    return {chat: len(messages) for chat, messages in standin.messages.items()}


async def test_a_worker_killed_mid_broadcast_and_restarted_delivers_everything(
        database: str, engine: AsyncEngine, standin: TelegramStandIn, tmp_path: Path) -> None:
    chat_of = await broadcast(engine)
    prefix = f"dms-test:{secrets.token_hex(4)}:"
    first = await start_worker(database, standin, tmp_path, "w1", prefix)
    await standin.wait_for(lambda: sum(received(standin).values()) >= N // 3, 30, "a third of the broadcast")
    first.kill()                                                   # SIGKILL: no cleanup at all
    await first.wait()
    await asyncio.sleep(0.5)                                       # requests already on the wire land
    at_kill = await statuses(engine)
    got = received(standin)
    in_flight = {row_id for row_id, (status, _) in at_kill.items() if status == "sending"}
    assert in_flight, "the worker was killed with rows claimed"
    assert all(chat_of[r] in got for r, (status, _) in at_kill.items() if status == "sent")
    # a row can only be sent twice if its send got through but its outcome was never committed
    sent_not_committed = {r for r in in_flight if chat_of[r] in got}

    second = await start_worker(database, standin, tmp_path, "w1", prefix)   # same id: takes its rows back
    try:
        await until_all_sent(engine)
    finally:
        output = await stop(second)
    final = received(standin)
    duplicates = {chat: n for chat, n in final.items() if n > 1}
    assert set(final) == set(chat_of.values()), "every chat got the broadcast"
    assert max(final.values()) <= 2
    assert sum(final.values()) - N == len(sent_not_committed) == len(duplicates)
    assert set(duplicates) == {chat_of[r] for r in sent_not_committed}
    print(f"\nSIGKILL after {sum(got.values())} of {N}: {len(in_flight)} rows were being sent, "
          f"{len(sent_not_committed)} of them had reached Telegram -> {len(duplicates)} duplicates")
    assert "started" in output


async def test_two_workers_never_send_the_same_row_twice(
        database: str, engine: AsyncEngine, standin: TelegramStandIn, tmp_path: Path) -> None:
    prefix = f"dms-test:{secrets.token_hex(4)}:"
    workers = [await start_worker(database, standin, tmp_path, f"w{k}", prefix) for k in ("a", "b")]
    try:
        # both are polling before the rows exist: neither gets a head start of its own boot time
        started = [await until_started(w) for w in workers]
        chat_of = await broadcast(engine)
        await until_all_sent(engine)
    finally:
        outputs = [await stop(w) for w in workers]
    assert all("started" in out for out in started), started
    final = received(standin)
    assert set(final) == set(chat_of.values()) and set(final.values()) == {1}
    by_worker: dict[str | None, int] = {}
    for _, claimed_by in (await statuses(engine)).values():
        by_worker[claimed_by] = by_worker.get(claimed_by, 0) + 1
    assert set(by_worker) == {"wa", "wb"} and min(by_worker.values()) >= N // 10, by_worker
    assert all("stopped" in out for out in outputs), outputs
