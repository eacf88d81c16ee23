"""Leader election for the scheduler: the PostgreSQL advisory lock, the lock file, and the scheduler loop
handing over when its leader goes away."""

from __future__ import annotations

import asyncio
import secrets
from pathlib import Path

import pytest
from sqlalchemy import text

from core.clock import Clock
from notifications.checks import Checks
from notifications.scheduler import SchedulerState, build_scheduler, run_scheduler
from storage.leader import FileLeaderLock, PgAdvisoryLeaderLock, lock_key
from tests.fakes import FakeOutboxStore, FakeUnitOfWork
from tests.integration.conftest import Database


def test_lock_keys_are_stable_and_differ_by_name() -> None:
    assert lock_key("dms-scheduler") == lock_key("dms-scheduler")
    assert lock_key("dms-scheduler") != lock_key("dms-scheduler-staging")
    assert -(2 ** 63) <= lock_key("x") < 2 ** 63


@pytest.mark.postgres
async def test_one_advisory_lock_holder_and_a_dead_session_frees_it(pg_db: Database) -> None:
    name = f"test-leader-{secrets.token_hex(4)}"
    engines = [pg_db.engine() for _ in range(3)]
    a, b = PgAdvisoryLeaderLock(engines[0], name), PgAdvisoryLeaderLock(engines[1], name)
    try:
        assert await a.try_acquire() is True
        assert await a.try_acquire() is True                     # asking again while holding: still ours
        assert await b.try_acquire() is False
        assert await a.still_held() and not await b.still_held()
        await a.release()
        assert await b.try_acquire() is True
        # the holder's process dies: the server ends its session, and the lock goes with it
        assert b._conn is not None
        pid = (await b._conn.execute(text("SELECT pg_backend_pid()"))).scalar()
        async with engines[2].connect() as admin:
            await admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            await admin.commit()
        assert await b.still_held() is False
        assert await a.try_acquire() is True
    finally:
        for lock in (a, b):
            await lock.release()
        for engine in engines:
            await engine.dispose()


async def test_the_lock_file_has_one_holder(tmp_path: Path) -> None:
    a, b = FileLeaderLock(tmp_path / "scheduler.lock"), FileLeaderLock(tmp_path / "scheduler.lock")
    assert await a.try_acquire() and not await b.try_acquire()
    await a.release()
    assert await b.try_acquire() and await b.still_held()
    await b.release()


def test_the_schedule_builds_one_job_per_check_and_refuses_unknown_ones() -> None:
    checks = Checks(FakeUnitOfWork, FakeOutboxStore(FakeUnitOfWork()), Clock())
    scheduler = build_scheduler(checks, {"sla_breaches": "*/10 * * * *", "daily_digest": "30 8 * * *",
                                         "stock_levels": ""}, Clock().tz)
    assert sorted(job.id for job in scheduler.get_jobs()) == ["daily_digest", "sla_breaches"]
    with pytest.raises(ValueError):
        build_scheduler(checks, {"no_such_check": "* * * * *"}, Clock().tz)


async def test_a_waiting_scheduler_takes_over_when_the_leader_stops(tmp_path: Path) -> None:
    checks = Checks(FakeUnitOfWork, FakeOutboxStore(FakeUnitOfWork()), Clock())
    path = tmp_path / "scheduler.lock"
    stops = [asyncio.Event(), asyncio.Event()]
    states = [SchedulerState(), SchedulerState()]
    tasks = [asyncio.create_task(run_scheduler(FileLeaderLock(path), checks, {"daily_digest": "30 8 * * *"},
                                               Clock().tz, poll=0.05, stop=stops[n], state=states[n]))
             for n in range(2)]
    try:
        for _ in range(100):
            if any(s.leader for s in states):
                break
            await asyncio.sleep(0.02)
        await asyncio.sleep(0.2)
        assert [s.leader for s in states].count(True) == 1
        leader = 0 if states[0].leader else 1
        stops[leader].set()
        await asyncio.wait_for(tasks[leader], 5)
        other = 1 - leader
        for _ in range(100):
            if states[other].leader:
                break
            await asyncio.sleep(0.02)
        assert states[other].leader and states[other].terms == 1
    finally:
        for stop in stops:
            stop.set()
        await asyncio.gather(*tasks, return_exceptions=True)
