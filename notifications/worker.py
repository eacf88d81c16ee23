"""The outbox worker: claim due rows, choose the chat, render, respect the limits, send, record.

``OutboxWorker.run()`` loops until stopped: claim a batch (``AbstractOutboxStore.claim_due``: one worker
per row, however many processes run), choose the chat of all its rows in one unit of work (each user, preference,
identity list and dialog read once per batch: the staff told of every order are the same few people), record the
rows nobody is to get as ``muted`` in one transaction, deliver the rest concurrently under the rate limiter,
record each outcome at once, claim the next batch; sleep ``poll_interval`` when nothing is due.

Per row:

1. the recipient: an explicit chat, or the user's chat on the channel chosen in ``/settings``, else
   the one the user used last (latest dialog activity), among the channels a sender exists for; the
   language that chat chose (``/lang``), else the user's, else the default. A muted category, or no
   chat at all, ends as ``muted``. A chat only on a channel no sender serves (the terminal, the web chat,
   a channel since removed: nothing can push there, and there is no inbox to leave it in) is ``dead`` at
   once with that reason (the admin's outbox page shows it; "retry" once a channel is there);
2. the template (``notifications.templates``) in that language; an unknown kind is ``dead``;
3. one slot of every rate limit of that chat (``notifications.ratelimit``);
4. the sender: sent -> ``sent``; ``ChannelRateLimited`` -> the channel is paused for ``retry_after``
   for every worker and the row waits as long (not an attempt); a permanent ``ChannelError`` -> ``dead``;
   anything else -> ``failed``, tried again after an exponential backoff, ``dead`` after
   ``max_attempts``.

Quiet hours (22:00-08:00 business time by default): only urgent rows are claimed; the rest wait.

Crash safety: a row is ``sending`` from its claim until its outcome is committed. A worker killed in
between leaves it so; ``requeue_stale`` puts it back after ``stale_after`` seconds (at once for rows of
this same worker id when it starts again). A row whose send succeeded but whose outcome was not
committed is therefore sent twice: the only duplicates there can be.
"""

from __future__ import annotations

import asyncio
import enum
import logging
import os
import random
import socket
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Protocol

from core.clock import Clock
from core.dialogs import DialogState
from core.outbox import Category, NotificationPreference, OutboxMessage
from core.ports import AbstractOutboxStore, AbstractUnitOfWork
from core.users import ChatIdentity, User
from notifications import templates
from notifications.errors import ChannelError, ChannelRateLimited
from notifications.ratelimit import RateLimiter, RateLimits

log = logging.getLogger(__name__)

class ChannelSender(Protocol):
    """Sends one rendered message to a chat of its channel; raises ``notifications.errors.ChannelError``."""

    async def send(self, chat_id: str, message: templates.Rendered) -> None: ...


@dataclass(frozen=True)
class WorkerSettings:
    batch_size: int = 50
    concurrency: int = 32
    poll_interval: float = 1.0
    max_attempts: int = 8
    backoff_base: float = 30.0            # seconds; doubled per attempt
    backoff_max: float = 3600.0
    stale_after: float = 300.0            # a row "sending" this long belongs to a dead worker
    quiet_start: time | None = time(22, 0)  # business time; None: no quiet hours
    quiet_end: time | None = time(8, 0)
    default_language: str = "zh-CN"
    limits: RateLimits = field(default_factory=RateLimits)

    def quiet(self, local: datetime) -> bool:
        """Is ``local`` (business time) within quiet hours? A window may cross midnight."""
        start, end = self.quiet_start, self.quiet_end
        if start is None or end is None or start == end:
            return False
        now = local.time()
        return start <= now < end if start < end else now >= start or now < end


@dataclass
class WorkerStats:
    sent: int = 0
    failed: int = 0
    dead: int = 0
    muted: int = 0
    rate_limited: int = 0
    lost_claims: int = 0                  # outcome not recorded: the row was requeued meanwhile

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Recipient:
    channel: str
    chat_id: str
    language: str


class Muted(enum.Enum):
    CATEGORY = "muted by the recipient"


class NoChat(Exception):
    """Nobody to send this row to (user gone or inactive, no chat at all): ``muted``."""


class Undeliverable(NoChat):
    """The recipient's chat is on a channel no sender serves (terminal, web chat, a removed channel): ``dead``."""


class Lookups:
    """What choosing a chat reads, each read at most once per key: one claimed batch shares one (the staff told
    of every order are the same few users). Reads through the caller's entered ``uow``."""

    def __init__(self, uow: AbstractUnitOfWork) -> None:
        self.uow = uow
        self._users: dict[int, User | None] = {}
        self._prefs: dict[int, NotificationPreference | None] = {}
        self._identities: dict[int, list[ChatIdentity]] = {}
        self._dialogs: dict[tuple[str, str], DialogState | None] = {}

    async def user(self, user_id: int) -> User | None:
        if user_id not in self._users:
            self._users[user_id] = await self.uow.users.get(user_id)
        return self._users[user_id]

    async def preference(self, user_id: int) -> NotificationPreference | None:
        if user_id not in self._prefs:
            self._prefs[user_id] = await self.uow.preferences.get_by(user_id=user_id)
        return self._prefs[user_id]

    async def identities(self, user_id: int) -> list[ChatIdentity]:
        if user_id not in self._identities:
            self._identities[user_id] = list(await self.uow.identities.list(user_id=user_id))
        return self._identities[user_id]

    async def dialog(self, channel: str, chat_id: str) -> DialogState | None:
        key = (channel, chat_id)
        if key not in self._dialogs:
            self._dialogs[key] = await self.uow.dialogs.get_by(channel=channel, chat_id=chat_id)
        return self._dialogs[key]


async def resolve_recipient(uow: AbstractUnitOfWork | Lookups, message: OutboxMessage,
                            channels: set[str] | frozenset[str], default_language: str = "zh-CN") -> Recipient | None:
    """Where and in which language ``message`` goes; None when the recipient muted its category.

    Raises ``NoChat`` when there is no chat to send to. Opens no unit of work (the caller's ``uow``
    must be entered); given ``Lookups``, reads what they have not read yet.
    """
    read = uow if isinstance(uow, Lookups) else Lookups(uow)
    if message.user_id is None:
        assert message.channel is not None and message.chat_id is not None
        if message.channel not in channels:    # a reply to the terminal or web chat: nothing pushes there
            raise Undeliverable(f"undeliverable: no sender for the {message.channel} chat "
                                f"(terminal, web chat or a channel not configured)")
        return Recipient(message.channel, message.chat_id,
                         await _chat_language(read, message.channel, message.chat_id) or default_language)
    user = await read.user(message.user_id)
    if user is None or not user.active:
        raise NoChat("the user is gone or inactive")
    pref = await read.preference(message.user_id)
    if pref is not None and pref.mutes(Category(message.category)):
        return None
    bound = await read.identities(message.user_id)
    identities = [i for i in bound if i.channel in channels]
    if not identities:
        if bound:
            raise Undeliverable(f"undeliverable: the user is bound only on {', '.join(sorted({i.channel for i in bound}))}"
                                f", which no sender serves (terminal, web chat or a channel not configured)")
        raise NoChat("no chat on a channel the worker can push to")
    chosen = None
    if pref is not None and pref.channel:
        chosen = next((i for i in identities if i.channel == pref.channel), None)
    if chosen is None and len(identities) > 1:
        seen: list[tuple[datetime, int]] = []
        for identity in identities:
            dialog = await read.dialog(identity.channel, identity.external_id)
            at = (dialog.updated_at if dialog is not None else None) or identity.bound_at
            seen.append((_utc(at), identity.id or 0))
        chosen = identities[max(range(len(identities)), key=seen.__getitem__)]
    chosen = chosen or identities[0]
    language = await _chat_language(read, chosen.channel, chosen.external_id) or user.language or default_language
    return Recipient(chosen.channel, chosen.external_id, language)


Chosen = Recipient | Muted | Exception     # what choosing a row's chat came to (the exception is not raised)


def _utc(at: datetime | None) -> datetime:
    if at is None:
        return datetime.min.replace(tzinfo=UTC)
    return at.astimezone(UTC) if at.tzinfo else at.replace(tzinfo=UTC)


async def _chat_language(read: Lookups, channel: str, chat_id: str) -> str:
    dialog = await read.dialog(channel, chat_id)
    return dialog.language if dialog is not None and dialog.language else ""


def default_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class OutboxWorker:
    def __init__(self, uow_factory: Callable[[], AbstractUnitOfWork], store: AbstractOutboxStore,
                 senders: Mapping[str, ChannelSender], limiter: RateLimiter, clock: Clock,
                 settings: WorkerSettings | None = None, *, worker_id: str | None = None) -> None:
        self.uow_factory = uow_factory
        self.store = store
        self.senders = dict(senders)
        self.limiter = limiter
        self.clock = clock
        self.settings = settings or WorkerSettings()
        self.worker_id = worker_id or default_worker_id()
        self.stats = WorkerStats()
        self._stop = asyncio.Event()

    # --- the loop ------------------------------------------------------------------------------------
    def stop(self) -> None:
        self._stop.set()

    async def run(self) -> None:
        """Deliver until ``stop()`` (or cancellation).

        A pipeline rather than batch after batch: more rows are claimed as soon as fewer than half a
        batch is left in flight, so the rate limit never idles while a batch finishes and the next is
        claimed. Rows wait their turn for the limiter in ``sending``; on ``stop()`` those in flight finish.
        """
        mine = await self.store.requeue_stale(self.clock.now(), claimed_by=self.worker_id)
        if mine:
            log.info("outbox.requeued_own", extra={"worker": self.worker_id, "rows": mine})
        last_sweep = -1e9
        loop = asyncio.get_running_loop()
        gate = asyncio.Semaphore(self.settings.concurrency)
        inflight: set[asyncio.Task[None]] = set()
        try:
            while not self._stop.is_set():
                if loop.time() - last_sweep >= min(self.settings.stale_after, 60.0):
                    last_sweep = loop.time()
                    stale = await self.store.requeue_stale(
                        self.clock.now() - timedelta(seconds=self.settings.stale_after))
                    if stale:
                        log.warning("outbox.requeued_stale", extra={"rows": stale})
                claimed: list[OutboxMessage] = []
                if len(inflight) <= self.settings.batch_size // 2:
                    try:
                        claimed = await self._claim(self.settings.batch_size - len(inflight))
                    except Exception:       # the database went away for a moment: wait and try again
                        log.exception("outbox.claim_failed")
                    inflight |= {asyncio.create_task(self._guarded(m, c, gate)) for m, c in await self._triage(claimed)}
                if inflight:
                    done, _ = await asyncio.wait(inflight, timeout=self.settings.poll_interval,
                                                 return_when=asyncio.FIRST_COMPLETED)
                    inflight -= done
                elif not claimed:
                    try:
                        await asyncio.wait_for(self._stop.wait(), self.settings.poll_interval)
                    except TimeoutError:
                        pass
        finally:
            if inflight:
                await asyncio.gather(*inflight, return_exceptions=True)

    async def _claim(self, limit: int) -> list[OutboxMessage]:
        now = self.clock.now()
        quiet = self.settings.quiet(now.astimezone(self.clock.tz))
        return await self.store.claim_due(limit, self.worker_id, now, urgent_only=quiet)

    async def _guarded(self, message: OutboxMessage, chosen: Chosen | None, gate: asyncio.Semaphore) -> None:
        async with gate:
            try:
                await self.deliver(message, chosen)
            except Exception:
                # the outcome could not be recorded (database down): the row stays "sending" and is
                # requeued as stale; never let one row stop the others
                log.exception("outbox.deliver_failed", extra={"id": message.id})

    async def run_once(self) -> int:
        """Claim one batch and deliver all of it; the number of rows handled (tests, ``drain``)."""
        batch = await self._claim(self.settings.batch_size)
        if not batch:
            return 0
        gate = asyncio.Semaphore(self.settings.concurrency)
        await asyncio.gather(*(self._guarded(m, c, gate) for m, c in await self._triage(batch)))
        return len(batch)

    async def drain(self, *, max_rounds: int = 1000) -> int:
        """Deliver everything due now (tests, ``dms worker --once``); the number of rows handled."""
        total = 0
        for _ in range(max_rounds):
            done = await self.run_once()
            if done == 0:
                break
            total += done
        return total

    # --- one row ---------------------------------------------------------------------------------------
    async def _choose(self, read: Lookups, message: OutboxMessage) -> Chosen:
        """The row's recipient, or ``Muted.CATEGORY``, or why there is none (the exception, not raised)."""
        try:
            recipient = await resolve_recipient(read, message, frozenset(self.senders), self.settings.default_language)
        except NoChat as exc:
            return exc
        except Exception as exc:    # a bad row: an attempt, dead after max_attempts, never left "sending" for ever
            log.exception("outbox.recipient_error", extra={"id": message.id})
            return exc
        return Muted.CATEGORY if recipient is None else recipient

    async def _triage(self, batch: list[OutboxMessage]) -> list[tuple[OutboxMessage, Chosen | None]]:
        """Choose the chat of every claimed row in one unit of work (one read per user and chat, not per row)
        and record the rows nobody is to get (muted category, no chat) in one transaction; the rest, each with
        what was chosen for it. Should the batch's reads fail, every row chooses again at its delivery."""
        if not batch:
            return []
        try:
            async with self.uow_factory() as uow:
                read = Lookups(uow)
                chosen = [(m, await self._choose(read, m)) for m in batch]
        except Exception:
            log.exception("outbox.batch_recipients_failed")
            return [(m, None) for m in batch]
        quiet = {m.id: c.value if isinstance(c, Muted) else str(c) for m, c in chosen if m.id is not None
                 and (isinstance(c, Muted) or (isinstance(c, NoChat) and not isinstance(c, Undeliverable)))}
        if quiet:
            try:
                self.stats.muted += await self.store.mark_muted_many(quiet, self.worker_id)
            except Exception:        # the database went away: these rows stay "sending" and are requeued as stale
                log.exception("outbox.mute_failed", extra={"rows": len(quiet)})
        return [(m, c) for m, c in chosen if m.id not in quiet]

    async def deliver(self, message: OutboxMessage, chosen: Chosen | None = None) -> str:
        """Send one claimed row and record the outcome; returns the status written. ``chosen``: its recipient as
        the batch chose it (``_triage``); None: chosen here."""
        assert message.id is not None
        wid = self.worker_id
        if chosen is None:
            try:
                async with self.uow_factory() as uow:
                    chosen = await self._choose(Lookups(uow), message)
            except Exception as exc:
                log.exception("outbox.recipient_error", extra={"id": message.id})
                chosen = exc
        if isinstance(chosen, Undeliverable):
            return await self._failed(message, str(chosen), permanent=True)
        if isinstance(chosen, NoChat):
            return await self._muted(message, str(chosen))
        if isinstance(chosen, Exception):
            return await self._failed(message, f"cannot choose the chat: {chosen!r}", permanent=False)
        if isinstance(chosen, Muted):
            return await self._muted(message, chosen.value)
        recipient = chosen
        try:
            rendered = templates.render(message.kind, message.params, recipient.language)
        except (templates.UnknownTemplate, KeyError, ValueError, TypeError) as exc:
            return await self._failed(message, f"cannot render {message.kind}: {exc!r}", permanent=True)
        sender = self.senders.get(recipient.channel)
        if sender is None:
            return await self._failed(message, f"undeliverable: no sender for {recipient.channel}", permanent=True)
        limits = self.settings.limits.for_chat(recipient.channel, recipient.chat_id)
        slot = await self.limiter.acquire(limits)
        try:
            try:
                await sender.send(recipient.chat_id, rendered)
            finally:
                await self.limiter.settle(slot)
        except ChannelRateLimited as exc:
            self.stats.rate_limited += 1
            await self.limiter.pause(self.settings.limits.bot_key(recipient.channel), exc.retry_after)
            retry_at = self.clock.now() + timedelta(seconds=exc.retry_after)
            if not await self.store.release(message.id, wid, retry_at, f"flood wait {exc.retry_after:g} s"):
                self.stats.lost_claims += 1
            return "pending"
        except ChannelError as exc:
            return await self._failed(message, str(exc) or type(exc).__name__, permanent=exc.permanent)
        except Exception as exc:        # a sender bug or an unexpected network error: retry later
            log.exception("outbox.send_error", extra={"id": message.id, "channel": recipient.channel})
            return await self._failed(message, repr(exc), permanent=False)
        if await self.store.mark_sent(message.id, wid, self.clock.now(), f"{recipient.channel}:{recipient.chat_id}"):
            self.stats.sent += 1
        else:
            self.stats.lost_claims += 1
        return "sent"

    async def _muted(self, message: OutboxMessage, reason: str) -> str:
        assert message.id is not None
        if await self.store.mark_muted(message.id, self.worker_id, reason):
            self.stats.muted += 1
        return "muted"

    async def _failed(self, message: OutboxMessage, error: str, *, permanent: bool) -> str:
        assert message.id is not None
        attempts = message.attempts + 1
        retry_at = None if permanent or attempts >= self.settings.max_attempts else (
            self.clock.now() + timedelta(seconds=self.backoff(attempts)))
        if await self.store.mark_failed(message.id, self.worker_id, error[:2000], retry_at):
            if retry_at is None:
                self.stats.dead += 1
            else:
                self.stats.failed += 1
        log.warning("outbox.send_failed", extra={"id": message.id, "attempts": attempts, "error": error[:200],
                                                 "dead": retry_at is None})
        return "dead" if retry_at is None else "failed"

    def backoff(self, attempts: int) -> float:
        """Seconds before attempt ``attempts + 1``: base x 2^(attempts-1), capped, +-10 % jitter."""
        delay = min(self.settings.backoff_base * 2 ** (attempts - 1), self.settings.backoff_max)
        return float(delay * random.uniform(0.9, 1.1))
