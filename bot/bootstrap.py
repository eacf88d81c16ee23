"""The one place that builds real objects from ``Settings`` (composition root).

``bootstrap(settings)`` wires the engine, the session factory, the encryption keys, the unit of
work factory and the clock into an ``App``; ``App.web()`` builds the FastAPI admin + API on demand
(the CLI commands that only touch the database never import the web stack).

``run_all(settings)`` is ``dms run``: migrate, seed demo data into an empty database, make sure an
admin can log in, print a banner, then serve uvicorn together with the background tasks.

Background tasks: ``background_tasks(app)`` returns the coroutine factories started next to
uvicorn and cancelled when it stops. Later work adds the scheduler, the outbox worker and Telegram
polling there (or appends to ``App.background``).
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.logging import configure_logging, get_logger
from bot.settings import Settings
from core.auditing import record
from core.clock import Clock
from core.errors import ValidationFailed
from core.forecast_rules import Forecaster
from core.ports import AbstractReportStore, AbstractUnitOfWork
from core.users import Actor, Role

if TYPE_CHECKING:
    from fastapi import FastAPI

    from bot.console import LocalChat
    from bot.files import FileStore
    from bot.telegram.channel import TelegramChannel
    from bot.wecom.channel import WeComChannel
    from handlers.messages import Reply
    from handlers.service import ConversationService

log = get_logger(__name__)

BackgroundTask = Callable[["App"], Coroutine[Any, Any, None]]
"""A long-running coroutine started alongside uvicorn; it gets the App and runs until cancelled."""

DEFAULT_ADMIN = "admin"


@dataclass
class App:
    settings: Settings
    engine: AsyncEngine
    session_factory: async_sessionmaker[AsyncSession]
    uow_factory: Callable[[], AbstractUnitOfWork]
    clock: Clock
    counter_engine: AsyncEngine | None = None
    background: list[BackgroundTask] = field(default_factory=list)
    _web: FastAPI | None = None
    _conversation: ConversationService | None = None
    _gate: asyncio.Semaphore | None = None
    _files: FileStore | None = None
    _telegram: TelegramChannel | None = None
    _reports: AbstractReportStore | None = None
    _wecom: WeComChannel | None = None
    _aibot: Any = None

    def web(self) -> FastAPI:
        if self._web is None:
            from admin.app import create_app

            s = self.settings
            self._web = create_app(s.web, self.uow_factory, engine=self.engine, clock=self.clock,
                                   suspension_open_orders=s.suspension_open_orders,
                                   statement_confirm_days=s.statements.statement_confirm_days,
                                   finance_approval_threshold=s.finance_approval_threshold,
                                   conversation=self.local_chat("web"), reports=self.reports(),
                                   forecaster=self.forecaster(), files=self.files(), work_gate=self.work_gate())
            telegram = self.telegram()
            if telegram is not None:    # POST /telegram/webhook (refuses everything without a secret)
                from bot.telegram.webhook import webhook_router

                secret = self.settings.telegram_webhook_secret
                self._web.include_router(webhook_router(telegram, secret.get_secret_value() if secret else None))
            wecom = self.wecom()
            if wecom is not None:       # GET/POST /wecom/callback (WeCom's signature, freshness, replay checks)
                from bot.wecom.callback import callback_router

                self._web.include_router(callback_router(wecom))
        return self._web

    def files(self) -> FileStore:
        """Photos and documents received in chat (``DATA_DIR/files``)."""
        if self._files is None:
            from bot.files import FileStore

            self._files = FileStore(self.settings.data_dir / "files")
        return self._files

    def conversation(self) -> ConversationService:
        """The one conversation processor every chat channel (Telegram, console, web chat) calls."""
        if self._conversation is None:
            from bot.ocr import RapidOcrReader
            from bot.voice import build_listener
            from handlers.app import build_conversation
            from handlers.catalogue import CatalogueCache
            from handlers.context import Deps
            from nlu.llm import build_faq_answerer, build_parser

            llm = self.settings.llm.llm_config()
            self._conversation = build_conversation(Deps(
                uow_factory=self.uow_factory, clock=self.clock, parser=build_parser(self.settings.nlu_policy, llm),
                default_language=self.settings.default_language, read_file=self.files().get,
                files=self.files(),   # signed contract PDFs (core.services.contract_docs)
                faq=build_faq_answerer(llm if self.settings.nlu_policy != "offline" else None),
                reports=self.reports(), forecaster=self.forecaster(),
                catalogue=CatalogueCache(self.settings.catalogue_cache_seconds),
                suspension_open_orders=self.settings.suspension_open_orders, credit_days=self.settings.credit_days,
                finance_approval_threshold=self.settings.finance_approval_threshold,
                hear=build_listener(self.settings), work_gate=self.work_gate(),
                read_image_text=RapidOcrReader() if RapidOcrReader.available() else None))
        return self._conversation

    def work_gate(self) -> asyncio.Semaphore | None:
        """This process's turns (setting WORK_CONCURRENCY): the chat's updates and the REST API's requests share
        them, so under load each is handled in a few ms, not all at once sharing the loop and the database."""
        if self._gate is None and self.settings.work_concurrency > 0:
            self._gate = asyncio.Semaphore(self.settings.work_concurrency)
        return self._gate

    def reports(self) -> AbstractReportStore:
        """Report aggregates in SQL over this database (``storage.reports``), for the chat and the dashboard."""
        if self._reports is None:
            from storage.reports import SqlAlchemyReportStore

            self._reports = SqlAlchemyReportStore(self.engine, self.clock.tz)
        return self._reports

    def forecaster(self) -> Forecaster:
        """Holt-Winters demand forecasts (``analytics.forecast``; statsmodels is imported on first use)."""
        from analytics.forecast import HoltWinters

        return HoltWinters()

    def local_chat(self, channel: str) -> LocalChat:
        """The conversation for the console ("console") or the web chat ("web"); what it says to
        Telegram chats (staff prompts, dealer pushes) goes out through the bot when one is configured."""
        from bot.console import LocalChat
        from bot.notify_senders import LocalInbox

        inbox = LocalInbox(self.uow_factory, self.clock, self.settings.default_language)
        telegram = self.telegram()
        if telegram is None:
            return LocalChat(self.conversation(), channel, inbox=inbox)
        sender = telegram.sender

        async def forward(replies: list[Reply]) -> None:
            await sender.deliver("", [r for r in replies if r.channel == "telegram"])

        return LocalChat(self.conversation(), channel, forward=forward, inbox=inbox)

    def telegram(self) -> TelegramChannel | None:
        """The Telegram channel when ``TELEGRAM_BOT_TOKEN`` is set, else None."""
        token = self.settings.telegram_token
        if token is None:
            return None
        if self._telegram is None:
            from bot.telegram.channel import build_telegram_channel

            self._telegram = build_telegram_channel(
                token, self.settings.telegram_api_base, self.conversation(), self.files(),
                flood_per_minute=self.settings.chat_flood_per_minute,
                default_language=self.settings.default_language)
        return self._telegram

    def wecom(self) -> WeComChannel | None:
        """The WeCom channel when every ``WECOM_*`` setting is there, else None. Its replies go out
        through the outbox (``chat.reply`` rows), delivered by the worker with ``wecom().sender``."""
        s = self.settings
        if not s.wecom_enabled:
            return None
        if self._wecom is None:
            from bot.wecom.channel import WeComConfig, build_wecom_channel
            from storage.outbox_store import SqlAlchemyOutboxStore

            assert s.wecom_corp_id and s.wecom_agent_id is not None and s.wecom_secret and s.wecom_token
            assert s.wecom_encoding_aes_key is not None
            config = WeComConfig(corp_id=s.wecom_corp_id.strip(), agent_id=s.wecom_agent_id,
                                 secret=s.wecom_secret.get_secret_value().strip(),
                                 token=s.wecom_token.get_secret_value().strip(),
                                 encoding_aes_key=s.wecom_encoding_aes_key.get_secret_value().strip(),
                                 api_base=s.wecom_api_base)
            self._wecom = build_wecom_channel(
                config, self.conversation(), self.files(), SqlAlchemyOutboxStore(self.session_factory), self.clock,
                redis_url=s.redis_url, flood_per_minute=s.chat_flood_per_minute,
                default_language=s.default_language)
        return self._wecom

    def aibot(self) -> Any:
        """WeCom mode 2, the AI bot's long connection (``bot.wecom.aibot.AiBotConnection``) when
        ``WECOM_BOT_ID`` and ``WECOM_BOT_SECRET`` are set, else None. Started by ``aibot_task``; only the process
        holding the ``wecom-aibot`` leader lock connects."""
        s = self.settings
        if not s.wecom_bot_enabled:
            return None
        if self._aibot is None:
            from bot.wecom.aibot import AiBotConfig, AiBotConnection
            from storage.leader import build_leader_lock

            assert s.wecom_bot_id and s.wecom_bot_secret is not None
            config = AiBotConfig(bot_id=s.wecom_bot_id.strip(), secret=s.wecom_bot_secret.get_secret_value().strip(),
                                 ws_url=s.wecom_bot_ws_url, heartbeat_seconds=s.wecom_bot_heartbeat_seconds)
            lock = build_leader_lock(self.engine, s.database_url, "wecom-aibot", s.data_dir)
            self._aibot = AiBotConnection(config, self.conversation(), self.files(), lock)
        return self._aibot

    async def aclose(self) -> None:
        if self._telegram is not None:
            await self._telegram.aclose()
        if self._wecom is not None:
            await self._wecom.aclose()
        await self.engine.dispose()
        if self.counter_engine is not None:
            await self.counter_engine.dispose()


def build_clock(settings: Settings) -> Clock:
    return Clock(ZoneInfo(settings.timezone))


def ensure_sqlite_dir(url: str) -> None:
    """SQLite creates the file but not its folder (``./var`` on a fresh checkout)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
        from pathlib import Path

        Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)


def safe_url(url: str) -> str:
    """The database URL without its password, for banners and logs."""
    return make_url(url).render_as_string(hide_password=True)


def bootstrap(settings: Settings | None = None) -> App:
    """Real objects for ``settings`` (read from the environment when not given)."""
    from storage.encryption import configure_encryption
    from storage.engine import build_counter_engine, build_engine, build_session_factory
    from storage.orm import start_mappers
    from storage.uow import SqlAlchemyUnitOfWork

    settings = settings or Settings()
    configure_encryption(settings.privacy.encryption_keys)
    start_mappers()
    db = settings.database
    ensure_sqlite_dir(db.database_url)
    engine = build_engine(db.database_url, pool_size=db.database_pool_size, max_overflow=db.database_max_overflow)
    session_factory = build_session_factory(engine)
    autocommit_factory = build_session_factory(engine, autocommit=True)
    counter_engine = build_counter_engine(db.database_url)      # PostgreSQL: order numbers on a pool of their own
    counter_factory = build_session_factory(counter_engine, autocommit=True) if counter_engine is not None else None

    def uow_factory() -> AbstractUnitOfWork:
        return SqlAlchemyUnitOfWork(session_factory, autocommit_factory, counter_factory)

    app = App(settings=settings, engine=engine, session_factory=session_factory, uow_factory=uow_factory,
              clock=build_clock(settings), counter_engine=counter_engine)
    if settings.telegram_token is not None:
        app.background.append(telegram_task)
    if settings.wecom_bot_enabled:
        app.background.append(aibot_task)
    if settings.notify_in_run:
        app.background += [outbox_worker_task, scheduler_task]
    return app


async def outbox_worker_task(app: App) -> None:
    """Background task of ``dms run``: one outbox worker (``dms worker`` runs more, elsewhere)."""
    from bot.notify_senders import worker_task

    await worker_task(app)


async def scheduler_task(app: App) -> None:
    """Background task of ``dms run``: the scheduled checks, while this process holds the leader lock."""
    from bot.notify_senders import scheduler_task as run

    await run(app)


async def aibot_task(app: App) -> None:
    """Background task of ``dms run`` when the WeCom AI bot is set: hold its long connection while this process
    holds the ``wecom-aibot`` lock (one live connection per bot, whatever the number of processes)."""
    await app.aibot().run()


async def telegram_task(app: App) -> None:
    """Background task of ``dms run`` when a bot token is set: polling fetches updates until cancelled;
    in webhook mode updates arrive on the web app, and this task only lets the ones in flight finish
    when the server stops."""
    channel = app.telegram()
    assert channel is not None
    try:
        if app.settings.telegram_mode == "polling":
            from bot.telegram.polling import run_polling

            await run_polling(channel)
        else:
            from aiogram.exceptions import AiogramError

            from bot.telegram.channel import set_commands

            log.info("telegram.webhook_mode", path="/telegram/webhook")
            try:
                await set_commands(channel.bot)
            except AiogramError as exc:
                log.warning("telegram.set_commands_failed", error=str(exc))
            await asyncio.Event().wait()
    finally:
        await channel.updates.drain()


async def migrate(settings: Settings) -> None:
    from storage.encryption import configure_encryption
    from storage.migrate import upgrade

    configure_encryption(settings.encryption_keys)      # revisions that encrypt existing rows (0008) need them
    ensure_sqlite_dir(settings.database_url)
    await upgrade(settings.database_url)


async def database_is_empty(app: App) -> bool:
    async with app.uow_factory() as uow:
        return await uow.dealers.count() == 0 and await uow.products.count() == 0


@dataclass(frozen=True)
class AdminLogin:
    username: str
    password: str | None           # only when it was just created with a generated password
    created: bool


async def set_admin_password(app: App, username: str, password: str) -> bool:
    """Create staff admin ``username`` with ``password``, or set the password of that existing staff user
    (and make it an active admin). Returns True when the user was created. One unit of work per step."""
    from admin.auth import hash_password
    from core.services.users import CreateStaffUser, create_staff_user, user_snapshot

    actor = Actor.system()
    async with app.uow_factory() as uow:
        existing = await uow.users.get_by(username=username.strip().lower())
        if existing is not None:
            if not existing.role.is_staff:
                raise ValidationFailed(zh=f"用户 {existing.username} 是经销商账号，不能作为管理员",
                                       en=f"user {existing.username} is a dealer user and cannot be an admin")
            before = user_snapshot(existing)
            existing.password_hash = hash_password(password)
            existing.role = Role.ADMIN
            existing.active = True
            await record(uow, actor, "user.set_password", "user", existing.username, app.clock,
                         before=before, after=user_snapshot(existing))
            await uow.commit()
            return False
    await create_staff_user(app.uow_factory(), actor, CreateStaffUser(
        username=username, display_name="系统管理员", role=Role.ADMIN, password_hash=hash_password(password)),
        app.clock)
    return True


async def ensure_admin(app: App, password: str | None = None) -> AdminLogin:
    """Create the default ``admin`` user unless an active admin with a web password exists.

    Returns the generated password (to print once) when one was made; a given password (from
    ``DMS_ADMIN_PASSWORD``) is not echoed.
    """
    async with app.uow_factory() as uow:
        admins = await uow.users.list(role=Role.ADMIN, active=True)
    with_password = [u.username for u in admins if u.password_hash]
    if with_password:
        return AdminLogin(username=with_password[0], password=None, created=False)
    plain = password or secrets.token_urlsafe(12)
    await set_admin_password(app, DEFAULT_ADMIN, plain)
    return AdminLogin(username=DEFAULT_ADMIN, password=None if password else plain, created=True)


def background_tasks(app: App) -> list[BackgroundTask]:
    """Coroutines started alongside the web server by ``dms run``.

    Each ``async def task(app: App) -> None`` runs until cancelled:
    - the scheduler and one outbox worker (``NOTIFY_IN_RUN``; see ``bot.notify_senders``),
    - Telegram polling when a bot token is configured.
    """
    return list(app.background)


def banner(app: App, login: AdminLogin) -> str:
    s = app.settings
    base = f"http://{s.web_host}:{s.web_port}"
    lines = [
        "",
        "=" * 72,
        "  dms 经销商管理系统 已启动 (dealer management system is running)",
        f"  管理后台 Admin:     {base}/admin",
        f"  接口文档 API docs:  {base}/docs",
        f"  网页聊天 Web chat:  {base}/chat/",
        "  Telegram:           " + ({"polling": "轮询 polling", "webhook": f"webhook {base}/telegram/webhook"}
                                    [s.telegram_mode] if s.telegram_token else "未启用 off (TELEGRAM_BOT_TOKEN)"),
        "  企业微信 WeCom:     " + (f"{base}/wecom/callback" if s.wecom_enabled else "未启用 off (WECOM_*)"),
        f"  数据库 Database:    {safe_url(s.database_url)}",
        f"  管理员 Admin login: {login.username}",
    ]
    if login.password:
        lines += [
            "",
            "  !!! 首次启动已生成管理员密码，只显示这一次，请立即保存 !!!",
            "  !!! A password was generated for the admin; it is shown ONCE only, save it now !!!",
            f"  用户名 username: {login.username}    密码 password: {login.password}",
        ]
    lines.append("=" * 72)
    return "\n".join(lines)


async def prepare(app: App) -> AdminLogin:
    """Everything ``dms run`` does before serving: migrate, demo data, default admin."""
    await migrate(app.settings)
    if app.settings.demo_data_on_empty and await database_is_empty(app):
        from bot.demo import seed_demo_data

        log.info("demo_data.seeding")
        summary = await seed_demo_data(app.uow_factory, app.session_factory, app.clock, files=app.files())
        log.info("demo_data.seeded", **summary.counts)
    password = app.settings.admin_password.get_secret_value() if app.settings.admin_password else None
    login = await ensure_admin(app, password or None)
    await warm_up()
    return login


async def warm_up() -> None:
    """Train the intent classifier before the first message (a second or more of CPU; on the first message it
    would hold up every chat of this process, /healthz included), then settle the garbage collector."""
    from nlu.classifier import default_classifier

    await asyncio.to_thread(default_classifier)
    settle_memory()


GC_THRESHOLD = (10_000, 20, 100)
"""Young collections every 10,000 allocations, not 700: a request's short-lived objects mostly die before one
(the young collections' time in bench/webhook.py halved, 1.1 -> 0.55 s of a run)."""


def settle_memory() -> None:
    """What a process holds for good once started (the app, the parser's model, the catalogue, SQLAlchemy's
    compiled statements: some 630,000 objects) moved out of the collector's way (``gc.freeze``, as large Python
    services do after start-up): every full collection walked them all with the event loop stopped, 200-300 ms
    each, 19 times in one run of bench/webhook.py; after it 40-140 ms."""
    import gc

    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLD)


def build_server(app: App) -> Any:
    """The uvicorn server for the web app (logging stays ours: ``log_config=None``)."""
    import uvicorn

    config = uvicorn.Config(app.web(), host=app.settings.web_host, port=app.settings.web_port,
                            log_config=None, lifespan="on")
    return uvicorn.Server(config)


async def serve(app: App, server: Any = None) -> None:
    """uvicorn plus the background tasks; when uvicorn stops (Ctrl+C, SIGTERM) the tasks are cancelled."""
    server = server or build_server(app)
    tasks = [asyncio.create_task(task(app), name=getattr(task, "__name__", "background"))
             for task in background_tasks(app)]
    try:
        await server.serve()
    finally:
        for t in tasks:
            t.cancel()
        for t in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await t


async def run_all(settings: Settings | None = None) -> None:
    """``dms run``."""
    settings = settings or Settings()
    configure_logging(settings)
    app = bootstrap(settings)
    try:
        login = await prepare(app)
        print(banner(app, login), flush=True)
        await serve(app)
    finally:
        await app.aclose()
