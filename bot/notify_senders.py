"""The outbox worker's channel senders and the notification processes' wiring (built from ``Settings``).

- ``TelegramPushSender``: a rendered outbox message -> the Telegram adapter's strict sender
  (``bot.telegram.sender.TelegramSender(strict=True)``), which raises ``notifications.errors``.
- ``build_worker`` / ``build_checks`` / ``build_limiter`` / ``build_leader``: the real objects for
  ``dms run`` (in-process tasks), ``dms worker`` and ``dms scheduler``.

- ``wecom``: ``bot.wecom.sender.WeComSender`` when the WeCom settings are there (pushes, and the replies
  the WeCom callback queued as ``chat.reply`` rows).

Rows for a user bound only on a local chat (console, web) or on a channel no sender serves any more are
marked ``dead`` with the reason by the worker (visible on the admin's outbox page, retried from there once
a channel is configured); a user with no chat at all is ``muted``. ``LocalInbox`` hands such rows to the
person the next time they use the terminal or web chat (after the reply to what they typed), with their
buttons, and records them ``sent`` to that chat.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from bot.logging import get_logger
from bot.settings import Settings
from core.clock import Clock
from core.outbox import OutboxStatus
from handlers.messages import Button, Reply
from notifications.checks import Checks
from notifications.errors import ChannelError
from notifications.ratelimit import (
    FallbackRateLimiter,
    InProcessRateLimiter,
    RateLimiter,
    RedisRateLimiter,
)
from notifications.scheduler import SchedulerState, run_scheduler
from notifications.templates import Rendered, UnknownTemplate, is_english, render
from notifications.worker import ChannelSender, OutboxWorker

if TYPE_CHECKING:
    from bot.bootstrap import App
    from core.ports import AbstractLeaderLock, AbstractUnitOfWork

log = get_logger(__name__)


def to_reply(message: Rendered) -> Reply:
    return Reply(text=message.text, buttons=[[Button(b.label, b.payload) for b in row] for row in message.buttons])


#: what the worker writes on a row it could not push anywhere (``notifications.worker.Undeliverable``)
UNDELIVERABLE = "undeliverable"
INBOX_LIMIT = 10


class LocalInbox:
    """The pushes the worker could not deliver (the person is bound only on local chats), shown in the terminal
    or web chat they are using now: at most ``INBOX_LIMIT`` a turn, oldest first, each row ``sent`` to this chat
    under a row lock (shown once, even with two tabs open)."""

    def __init__(self, uow_factory: Callable[[], AbstractUnitOfWork], clock: Clock,
                 default_language: str = "zh-CN") -> None:
        self.uow_factory = uow_factory
        self.clock = clock
        self.default_language = default_language

    async def __call__(self, channel: str, chat_id: str) -> list[Reply]:
        async with self.uow_factory() as uow:
            identity = await uow.identities.get_by(channel=channel, external_id=chat_id)
            # the person's rows, and rows addressed to this very chat (a staff answer to a visitor here)
            rows = await uow.outbox.list(channel=channel, chat_id=chat_id, status=OutboxStatus.DEAD)
            if identity is not None:
                rows += await uow.outbox.list(user_id=identity.user_id, status=OutboxStatus.DEAD)
            waiting = sorted((r for r in rows if (r.last_error or "").startswith(UNDELIVERABLE)),
                             key=lambda r: r.id or 0)[:INBOX_LIMIT]
            if not waiting:
                return []
            dialog = await uow.dialogs.get_by(channel=channel, chat_id=chat_id)
            user = await uow.users.get(identity.user_id) if identity is not None else None
            lang = (dialog.language if dialog is not None and dialog.language else "") or (
                user.language if user is not None and user.language else self.default_language)
            shown: list[Reply] = []
            for found in waiting:
                assert found.id is not None
                row = await uow.outbox.get(found.id, for_update=True)
                if row is None or row.status != OutboxStatus.DEAD:
                    continue
                try:
                    rendered = render(row.kind, row.params, lang)
                except (UnknownTemplate, KeyError, ValueError, TypeError):
                    continue            # stays dead with its reason, for the admin
                row.status, row.sent_at, row.delivered_to = OutboxStatus.SENT, self.clock.now(), f"{channel}:{chat_id}"
                shown.append(to_reply(rendered))
            await uow.commit()
        if not shown:
            return []
        head = ("📬 以下通知未能推送到您的 Telegram / 企业微信，在此补发：" if not is_english(lang) else
                "📬 These notices could not be pushed to you on Telegram or WeCom; here they are:")
        return [Reply(text=head), *shown]


class TelegramPushSender:
    """The record's evidence first (``Rendered.attachments``: an album, PDFs as files), then the card."""

    def __init__(self, sender: Any, files: Any = None) -> None:   # TelegramSender(strict=True), bot.files.FileStore
        self.sender = sender
        self.files = files

    async def send(self, chat_id: str, message: Rendered) -> None:
        target: int | str = int(chat_id) if chat_id.lstrip("-").isdigit() else chat_id
        if message.attachments and self.files is not None:
            loaded = []
            for attachment in message.attachments:
                try:
                    loaded.append((await self.files.get(attachment.key), attachment.name))
                except KeyError:            # bot.files.FileNotStored: the card still goes out
                    log.warning("outbox.attachment_missing", key=attachment.key)
            if loaded:
                await self.sender.send_files(target, loaded)
        sent = await self.sender.send(target, to_reply(message))
        if not sent:
            raise ChannelError("Telegram accepted nothing", permanent=False)


# --- settings -> objects -------------------------------------------------------------------------------

def build_limiter(settings: Settings) -> RateLimiter:
    """Shared through Redis when ``REDIS_URL`` is set (in this process while Redis is down), else in this
    process only."""
    if settings.database.redis_url:
        from redis.exceptions import RedisError

        return FallbackRateLimiter(RedisRateLimiter.from_url(settings.database.redis_url,
                                                             prefix=settings.notify.notify_redis_prefix),
                                   InProcessRateLimiter(), errors=(RedisError, OSError))
    return InProcessRateLimiter()


def build_senders(app: App) -> dict[str, ChannelSender]:
    senders: dict[str, ChannelSender] = {}
    channel = app.telegram()
    if channel is not None:
        from bot.telegram.sender import TelegramSender

        senders["telegram"] = TelegramPushSender(TelegramSender(channel.bot, strict=True), app.files())
    wecom = app.wecom()
    if wecom is not None:           # pushes and the replies the WeCom callback queued (chat.reply rows)
        senders["wecom"] = wecom.sender
    elif app.aibot() is not None:   # WeCom mode 2 only: pushes over this process's long connection
        from bot.wecom.aibot import AiBotSender

        senders["wecom"] = AiBotSender(app.aibot())
    return senders


def build_worker(app: App, *, worker_id: str | None = None, limiter: RateLimiter | None = None) -> OutboxWorker:
    from storage.outbox_store import SqlAlchemyOutboxStore

    return OutboxWorker(app.uow_factory, SqlAlchemyOutboxStore(app.session_factory), build_senders(app),
                        limiter or build_limiter(app.settings), app.clock,
                        app.settings.notify.worker_settings(app.settings.default_language),
                        worker_id=worker_id)


def build_checks(app: App) -> Checks:
    from storage.outbox_store import SqlAlchemyOutboxStore

    return Checks(app.uow_factory, SqlAlchemyOutboxStore(app.session_factory), app.clock,
                  app.settings.notify.check_settings(), reports=app.reports(), forecaster=app.forecaster())


def build_leader(app: App) -> AbstractLeaderLock:
    from storage.leader import build_leader_lock

    db = app.settings.database
    return build_leader_lock(app.engine, db.database_url, app.settings.notify.notify_leader_lock, db.data_dir)


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
    notify = app.settings.notify
    await run_scheduler(build_leader(app), build_checks(app), notify.schedule(), app.clock.tz,
                        poll=notify.notify_leader_poll_seconds, stop=stop, state=state, on_leader=on_leader)
