"""The notification sections of the settings: the outbox worker, the rate limits, the scheduled checks and the
monthly statements (``bot.settings.Settings`` is made of these and the other layers' sections, with the same
environment variable names). Each section builds the objects its package runs with (``worker_settings``,
``check_settings``, ``schedule``), so the wiring in ``bot.notify_senders`` copies no field."""

from __future__ import annotations

from datetime import time
from decimal import Decimal
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from core.statements import StatementPolicy

if TYPE_CHECKING:       # the worker and the checks are loaded by the process that runs them, not with the settings
    from notifications.checks import CheckSettings
    from notifications.ratelimit import RateLimits
    from notifications.worker import WorkerSettings


class StatementSection(BaseModel):
    """Monthly statements (``core.statements.StatementPolicy``): issued by the ``statements`` check, confirmed in
    chat."""

    statement_issue_day: int = Field(default=3, ge=1, le=28, description="day of the month last month's statements go out")
    statement_confirm_days: int = Field(default=10, ge=1, description="days the dealer has to confirm or dispute")
    statement_remind_days: int = Field(default=3, ge=0, description="reminder this many days before the deadline")
    statement_auto_confirm: bool = Field(default=True,
                                         description="not disputed by the deadline: confirmed by the system")

    def statement_policy(self) -> StatementPolicy:
        return StatementPolicy(issue_day=self.statement_issue_day, confirm_days=self.statement_confirm_days,
                               remind_days=self.statement_remind_days, auto_confirm=self.statement_auto_confirm)


class NotifySection(StatementSection):
    """The outbox worker and the scheduled checks (notifications/)."""

    notify_in_run: bool = Field(default=True, description="`dms run` also runs the scheduler and one worker")
    notify_quiet_hours: str = Field(default="22:00-08:00",
                                    description="business time when only urgent pushes go out; empty: none")
    notify_max_attempts: int = Field(default=8, ge=1, description="failed sends before a message is dead")
    notify_backoff_seconds: float = Field(default=30.0, gt=0, description="first retry delay, doubled each time")
    notify_batch_size: int = Field(default=50, ge=1, description="rows a worker claims at once")
    notify_concurrency: int = Field(default=32, ge=1, description="sends a worker has in flight")
    notify_poll_seconds: float = Field(default=1.0, gt=0, description="how often an idle worker looks again")
    notify_stale_seconds: float = Field(default=300.0, gt=0,
                                        description="a row left 'sending' this long belonged to a dead worker")
    notify_telegram_per_second: int = Field(default=30, ge=1, description="Telegram: messages per second per bot")
    notify_telegram_chat_per_second: int = Field(default=1, ge=1, description="Telegram: per chat per second")
    notify_telegram_group_per_minute: int = Field(default=20, ge=1, description="Telegram: per group per minute")
    notify_wecom_per_minute: int = Field(default=10000, ge=1, description="WeCom: calls per minute per app")
    notify_wecom_member_per_minute: int = Field(default=30, ge=1, description="WeCom: per member per minute")
    notify_rate_margin: float = Field(default=0.02, ge=0, description="limit windows this much longer (jitter)")
    notify_redis_prefix: str = Field(default="dms:rl:", description="Redis key prefix of the shared rate limits")
    notify_leader_lock: str = Field(default="dms-scheduler", description="name of the scheduler's leader lock")
    notify_leader_poll_seconds: float = Field(default=2.0, gt=0,
                                              description="how often a waiting scheduler tries to take over")
    notify_qualification_days: str = Field(default="30,7,1", description="days before expiry to remind")
    notify_contract_days: str = Field(default="30,7", description="days before a contract ends to remind")
    notify_deviation_margin: str = Field(default="0.15",
                                         description="achievement behind elapsed time by more than this: alert")
    notify_escalate_after_hours: int = Field(default=24, ge=1, description="SLA breach to management after this")
    notify_ticket_confirm_days: int = Field(default=7, ge=1,
                                            description="a resolved ticket the dealer did not confirm or reopen "
                                                        "is closed after this many days")
    notify_daily_cap: int = Field(default=8, ge=0,
                                  description="non-urgent pushes a person gets a day; the rest in one digest; 0: no cap")
    notify_digest_lines: int = Field(default=5, ge=1, description="items listed in a digest before '……还有 M 条'")
    notify_cron_qualification_expiry: str = "0 9 * * *"
    notify_cron_contract_expiry: str = "5 9 * * *"
    notify_cron_contract_deviation: str = "0 10 * * mon"
    notify_cron_stock_levels: str = "30 8-20/2 * * *"
    notify_cron_sla_breaches: str = "*/10 * * * *"
    notify_cron_campaign_launches: str = "10 9 * * *"
    notify_cron_daily_digest: str = "30 8 * * *"
    notify_cron_weekly_performance: str = "0 9 * * mon"
    notify_cron_housekeeping: str = "15 3 * * *"
    notify_cron_statements: str = "20 9 * * *"
    notify_cron_credit_lapses: str = "40 9 * * *"
    notify_cron_ticket_confirmations: str = "50 * * * *"

    def quiet_hours(self) -> tuple[time | None, time | None]:
        """``NOTIFY_QUIET_HOURS`` "22:00-08:00" -> (22:00, 08:00); empty: no quiet hours."""
        spec = self.notify_quiet_hours.strip()
        if not spec:
            return None, None
        start, _, end = spec.partition("-")
        return _clock_time(start), _clock_time(end)

    def rate_limits(self) -> RateLimits:
        from notifications.ratelimit import RateLimits

        return RateLimits(telegram_per_second=self.notify_telegram_per_second,
                          telegram_chat_per_second=self.notify_telegram_chat_per_second,
                          telegram_group_per_minute=self.notify_telegram_group_per_minute,
                          wecom_per_minute=self.notify_wecom_per_minute,
                          wecom_member_per_minute=self.notify_wecom_member_per_minute,
                          margin=self.notify_rate_margin)

    def worker_settings(self, default_language: str) -> WorkerSettings:
        from notifications.worker import WorkerSettings

        start, end = self.quiet_hours()
        return WorkerSettings(batch_size=self.notify_batch_size, concurrency=self.notify_concurrency,
                              poll_interval=self.notify_poll_seconds, max_attempts=self.notify_max_attempts,
                              backoff_base=self.notify_backoff_seconds, stale_after=self.notify_stale_seconds,
                              quiet_start=start, quiet_end=end, default_language=default_language,
                              limits=self.rate_limits())

    def check_settings(self) -> CheckSettings:
        from notifications.checks import CheckSettings
        from notifications.digests import DigestSettings

        return CheckSettings(
            qualification_stages=_days(self.notify_qualification_days),
            contract_stages=_days(self.notify_contract_days),
            deviation_margin=Decimal(self.notify_deviation_margin), escalate_after_hours=self.notify_escalate_after_hours,
            ticket_confirm_days=self.notify_ticket_confirm_days,
            statements=self.statement_policy(),
            digest=DigestSettings(top=self.notify_digest_lines, daily_cap=self.notify_daily_cap or None),
            morning=self.quiet_hours()[1] or time(8, 0))

    def schedule(self) -> dict[str, str]:
        """The cron schedule of every check (``NOTIFY_CRON_<CHECK>``; empty switches a check off)."""
        from notifications.scheduler import DEFAULT_SCHEDULE

        return {name: getattr(self, f"notify_cron_{name}") for name in DEFAULT_SCHEDULE}


def _clock_time(text: str) -> time:
    hours, _, minutes = text.strip().partition(":")
    return time(int(hours), int(minutes or 0))


def _days(text: str) -> tuple[int, ...]:
    return tuple(sorted({int(part) for part in text.split(",") if part.strip()}, reverse=True))
