"""The outbox worker's channel senders and the notification processes' wiring (built from ``Settings``).

- ``TelegramPushSender``: a rendered outbox message -> the Telegram adapter's strict sender
  (``bot.telegram.sender.TelegramSender(strict=True)``), which raises ``notifications.errors``.
- ``build_worker`` / ``build_checks`` / ``build_limiter`` / ``build_leader``: the real objects for
  ``dms run`` (in-process tasks), ``dms worker`` and ``dms scheduler``.

- ``wecom``: ``bot.wecom.sender.WeComSender`` when the WeCom settings are there (pushes, and the replies
  the WeCom callback queued as ``chat.reply`` rows).

Rows for a user bound only on a local chat (console, web) or on a channel no sender serves any more are
marked ``dead`` with the reason by the worker (visible on the admin's outbox page, retried from there once
a channel is configured); a user with no chat at all is ``muted``.
"""

from __future__ import annotations

import asyncio
from datetime import time
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from bot.logging import get_logger
from bot.settings import Settings
from core.statements import StatementPolicy
from handlers.messages import Button, Reply
from notifications.checks import Checks, CheckSettings
from notifications.digests import DigestSettings
from notifications.errors import ChannelError
from notifications.ratelimit import (
    FallbackRateLimiter,
    InProcessRateLimiter,
    RateLimiter,
    RateLimits,
    RedisRateLimiter,
)
from notifications.scheduler import DEFAULT_SCHEDULE, SchedulerState, run_scheduler
from notifications.templates import Rendered
from notifications.worker import ChannelSender, OutboxWorker, WorkerSettings

if TYPE_CHECKING:
    from bot.bootstrap import App
    from core.ports import AbstractLeaderLock

log = get_logger(__name__)


def to_reply(message: Rendered) -> Reply:
    return Reply(text=message.text, buttons=[[Button(b.label, b.payload) for b in row] for row in message.buttons])


class TelegramPushSender:
    def __init__(self, sender: Any) -> None:        # bot.telegram.sender.TelegramSender(strict=True)
        self.sender = sender

    async def send(self, chat_id: str, message: Rendered) -> None:
        target: int | str = int(chat_id) if chat_id.lstrip("-").isdigit() else chat_id
        sent = await self.sender.send(target, to_reply(message))
        if not sent:
            raise ChannelError("Telegram accepted nothing", permanent=False)


# --- settings -> objects -------------------------------------------------------------------------------

def _clock_time(text: str) -> time:
    hours, _, minutes = text.strip().partition(":")
    return time(int(hours), int(minutes or 0))


def quiet_hours(settings: Settings) -> tuple[time | None, time | None]:
    """``NOTIFY_QUIET_HOURS`` "22:00-08:00" -> (22:00, 08:00); empty: no quiet hours."""
    spec = settings.notify_quiet_hours.strip()
    if not spec:
        return None, None
    start, _, end = spec.partition("-")
    return _clock_time(start), _clock_time(end)


def rate_limits(settings: Settings) -> RateLimits:
    return RateLimits(telegram_per_second=settings.notify_telegram_per_second,
                      telegram_chat_per_second=settings.notify_telegram_chat_per_second,
                      telegram_group_per_minute=settings.notify_telegram_group_per_minute,
                      wecom_per_minute=settings.notify_wecom_per_minute,
                      wecom_member_per_minute=settings.notify_wecom_member_per_minute,
                      margin=settings.notify_rate_margin)


def worker_settings(settings: Settings) -> WorkerSettings:
    start, end = quiet_hours(settings)
    return WorkerSettings(batch_size=settings.notify_batch_size, concurrency=settings.notify_concurrency,
                          poll_interval=settings.notify_poll_seconds, max_attempts=settings.notify_max_attempts,
                          backoff_base=settings.notify_backoff_seconds, stale_after=settings.notify_stale_seconds,
                          quiet_start=start, quiet_end=end, default_language=settings.default_language,
                          limits=rate_limits(settings))


def build_limiter(settings: Settings) -> RateLimiter:
    """Shared through Redis when ``REDIS_URL`` is set (in this process while Redis is down), else in this
    process only."""
    if settings.redis_url:
        from redis.exceptions import RedisError

        return FallbackRateLimiter(RedisRateLimiter.from_url(settings.redis_url, prefix=settings.notify_redis_prefix),
                                   InProcessRateLimiter(), errors=(RedisError, OSError))
    return InProcessRateLimiter()


def build_senders(app: App) -> dict[str, ChannelSender]:
    senders: dict[str, ChannelSender] = {}
    channel = app.telegram()
    if channel is not None:
        from bot.telegram.sender import TelegramSender

        senders["telegram"] = TelegramPushSender(TelegramSender(channel.bot, strict=True))
    wecom = app.wecom()
    if wecom is not None:           # pushes and the replies the WeCom callback queued (chat.reply rows)
        senders["wecom"] = wecom.sender
    return senders


def build_worker(app: App, *, worker_id: str | None = None, limiter: RateLimiter | None = None) -> OutboxWorker:
    from storage.outbox_store import SqlAlchemyOutboxStore

    return OutboxWorker(app.uow_factory, SqlAlchemyOutboxStore(app.session_factory), build_senders(app),
                        limiter or build_limiter(app.settings), app.clock, worker_settings(app.settings),
                        worker_id=worker_id)


def _days(text: str) -> tuple[int, ...]:
    return tuple(sorted({int(part) for part in text.split(",") if part.strip()}, reverse=True))


def build_checks(app: App) -> Checks:
    from storage.outbox_store import SqlAlchemyOutboxStore

    s = app.settings
    return Checks(app.uow_factory, SqlAlchemyOutboxStore(app.session_factory), app.clock, CheckSettings(
        qualification_stages=_days(s.notify_qualification_days), contract_stages=_days(s.notify_contract_days),
        deviation_margin=Decimal(s.notify_deviation_margin), escalate_after_hours=s.notify_escalate_after_hours,
        statements=statement_policy(s), digest=DigestSettings(top=s.notify_digest_lines,
                                                              daily_cap=s.notify_daily_cap or None),
        morning=quiet_hours(s)[1] or time(8, 0)),
        reports=app.reports(), forecaster=app.forecaster())


def statement_policy(s: Settings) -> StatementPolicy:
    return StatementPolicy(issue_day=s.statement_issue_day, confirm_days=s.statement_confirm_days,
                           remind_days=s.statement_remind_days, auto_confirm=s.statement_auto_confirm)


def schedule(settings: Settings) -> dict[str, str]:
    """The cron schedule of every check (``NOTIFY_CRON_<CHECK>``; empty switches a check off)."""
    return {name: getattr(settings, f"notify_cron_{name}") for name in DEFAULT_SCHEDULE}


def build_leader(app: App) -> AbstractLeaderLock:
    from storage.leader import build_leader_lock

    return build_leader_lock(app.engine, app.settings.database_url, app.settings.notify_leader_lock,
                             app.settings.data_dir)


# --- the long-running tasks -------------------------------------------------------------------------------

async def worker_task(app: App) -> None:
    """``dms run``: deliver the outbox until cancelled."""
    worker = build_worker(app)
    log.info("outbox.worker_started", worker=worker.worker_id, channels=sorted(worker.senders))
    try:
        await worker.run()
    finally:
        await worker.limiter.aclose()


async def scheduler_task(app: App, *, stop: asyncio.Event | None = None, state: SchedulerState | None = None,
                         on_leader: Any = None) -> None:
    """``dms run`` / ``dms scheduler``: the checks on their schedules, while this process leads."""
    await run_scheduler(build_leader(app), build_checks(app), schedule(app.settings), app.clock.tz,
                        poll=app.settings.notify_leader_poll_seconds, stop=stop, state=state, on_leader=on_leader)
