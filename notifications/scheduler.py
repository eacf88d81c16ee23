"""The scheduler: the checks (``notifications.checks``) on cron schedules, with one leader at a time.

``build_scheduler`` makes an APScheduler 3 ``AsyncIOScheduler`` with one job per check (crontab
strings from settings, in business time; a run missed by less than an hour still happens, overlapping
runs are coalesced). ``run_scheduler`` adds leader election: it keeps trying the leader lock
(``core.ports.AbstractLeaderLock``: a PostgreSQL advisory lock in production) every ``poll`` seconds;
the instance holding it runs the jobs and checks every ``poll`` seconds that it still holds it. When the
leader dies its lock goes with its database session, and a waiting instance takes over within one poll.
Two leaders for a moment would still be harmless: every check is idempotent (dedup keys).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler  # type: ignore[import-untyped]
from apscheduler.triggers.cron import CronTrigger  # type: ignore[import-untyped]

from core.ports import AbstractLeaderLock
from notifications.checks import Checks

log = logging.getLogger(__name__)

DEFAULT_SCHEDULE: dict[str, str] = {
    "qualification_expiry": "0 9 * * *",
    "contract_expiry": "5 9 * * *",
    "contract_deviation": "0 10 * * mon",
    "stock_levels": "30 8-20/2 * * *",
    "sla_breaches": "*/10 * * * *",
    "campaign_launches": "10 9 * * *",
    "daily_digest": "30 8 * * *",
    "weekly_performance": "0 9 * * mon",
    "housekeeping": "15 3 * * *",
    "statements": "20 9 * * *",
    "credit_lapses": "40 9 * * *",
    "ticket_confirmations": "50 * * * *",
}


@dataclass
class SchedulerState:
    """What a running scheduler process is doing (for logs and tests)."""

    leader: bool = False
    terms: int = 0                         # times this instance became leader
    runs: dict[str, int] = field(default_factory=dict)


def build_scheduler(checks: Checks, schedule: Mapping[str, str], tz: ZoneInfo,
                    state: SchedulerState | None = None) -> AsyncIOScheduler:
    """One cron job per check; an empty schedule string switches that check off."""
    scheduler = AsyncIOScheduler(timezone=tz)
    jobs = checks.all()
    unknown = set(schedule) - set(jobs)
    if unknown:
        raise ValueError(f"unknown checks in the schedule: {sorted(unknown)}")
    for name, cron in schedule.items():
        if not cron.strip():
            continue
        scheduler.add_job(_runner(checks, name, state), CronTrigger.from_crontab(cron, timezone=tz), id=name,
                          name=name, coalesce=True, max_instances=1, misfire_grace_time=3600)
    return scheduler


def _runner(checks: Checks, name: str, state: SchedulerState | None) -> Any:
    async def run() -> None:
        try:
            await checks.run(name)
            if state is not None:
                state.runs[name] = state.runs.get(name, 0) + 1
        except Exception:   # one failing check must not stop the scheduler
            log.exception("check.failed", extra={"check": name})
    run.__name__ = f"check_{name}"
    return run


async def run_scheduler(leader: AbstractLeaderLock, checks: Checks, schedule: Mapping[str, str], tz: ZoneInfo, *,
                        poll: float = 2.0, stop: asyncio.Event | None = None, state: SchedulerState | None = None,
                        on_leader: Any = None) -> None:
    """Wait for the leader lock, run the jobs while holding it, go back to waiting if it is lost.

    ``on_leader``: an optional callable run (with no arguments) each time this instance becomes leader.
    """
    stop = stop or asyncio.Event()
    state = state or SchedulerState()
    try:
        while not stop.is_set():
            try:
                acquired = await leader.try_acquire()
            except Exception:       # the database is unreachable: try again later
                log.exception("scheduler.lock_error")
                acquired = False
            if not acquired:
                await _sleep(stop, poll)
                continue
            state.leader, state.terms = True, state.terms + 1
            log.info("scheduler.leader", extra={"term": state.terms})
            if on_leader is not None:
                on_leader()
            scheduler = build_scheduler(checks, schedule, tz, state)
            scheduler.start()
            try:
                while not stop.is_set():
                    await _sleep(stop, poll)
                    if not await leader.still_held():
                        log.warning("scheduler.leadership_lost")
                        break
            finally:
                scheduler.shutdown(wait=False)
                state.leader = False
    finally:
        await leader.release()


async def _sleep(stop: asyncio.Event, seconds: float) -> None:
    try:
        await asyncio.wait_for(stop.wait(), seconds)
    except TimeoutError:
        pass
