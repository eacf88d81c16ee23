"""Who hears about what: recipients, and the outbox rows that tell them.

Use cases call ``tell_dealer`` / ``tell_staff`` / ``tell_users`` inside their own unit of work, before
their one commit, so a notification exists exactly when its cause does (``core.outbox``). Each
recipient gets its own row, keyed ``{kind}:{key}:u{user_id}``: ``key`` names the event (an order
number and its event count, a document id and a stage), so the same event never queues twice.
Recipients are users, never chats: the worker picks the chat and the language when it delivers.

Also here: the notification preference use cases behind ``/settings`` in chat, and the admin's
"retry" of dead rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from core.auditing import record, snapshot
from core.authz import require
from core.clock import Clock
from core.errors import NotFound, PermissionDenied, ValidationFailed
from core.outbox import (
    CATEGORY_LABELS,
    UNMUTABLE,
    Category,
    NotificationPreference,
    OutboxMessage,
    OutboxStatus,
    enqueue,
)
from core.ports import AbstractUnitOfWork
from core.users import ROLE_PERMISSIONS, Actor, ActorKind, Permission, Role

Localized = dict[str, str]


def localized(zh: str, en: str) -> Localized:
    """A template value chosen per recipient language (``{"zh": ..., "en": ...}``)."""
    return {"zh": zh, "en": en}


@dataclass(frozen=True)
class Notice:
    """What to say: a template (``notifications.templates``) and its JSON-safe values."""

    kind: str
    category: Category
    params: dict[str, Any] = field(default_factory=dict)
    urgent: bool = False


# --- recipients -----------------------------------------------------------------------------------------

async def dealer_users(uow: AbstractUnitOfWork, dealer_id: int, *, roles: Iterable[Role] | None = None) -> list[int]:
    """Ids of the dealer's active users (optionally only some roles, e.g. the owner)."""
    filters: dict[str, Any] = {"dealer_id": dealer_id, "active": True}
    if roles is not None:
        filters["role__in"] = list(roles)
    return [u.id for u in await uow.users.list(**filters) if u.id is not None]


def roles_with(permission: Permission) -> list[Role]:
    return [role for role, perms in ROLE_PERMISSIONS.items() if role.is_staff and permission in perms]


async def staff_users(uow: AbstractUnitOfWork, permission: Permission | None = None, *,
                      roles: Iterable[Role] | None = None) -> list[int]:
    """Ids of active staff users holding ``permission`` (and/or having one of ``roles``)."""
    wanted = set(roles_with(permission)) if permission is not None else {r for r in Role if r.is_staff}
    if roles is not None:
        wanted &= set(roles)
    if not wanted:
        return []
    return [u.id for u in await uow.users.list(role__in=sorted(wanted), active=True) if u.id is not None]


async def user_for_label(uow: AbstractUnitOfWork, label: str | None) -> int | None:
    """The user behind an actor label (``staff:zhang``, ``dealer:12:li``), if it still exists and is active."""
    if not label:
        return None
    kind, _, rest = label.partition(":")
    if kind == "staff":
        username = rest
    elif kind == "dealer":
        username = rest.partition(":")[2]
    else:
        return None
    user = await uow.users.get_by(username=username) if username else None
    return user.id if user is not None and user.active else None


# --- telling ---------------------------------------------------------------------------------------------

async def tell_users(uow: AbstractUnitOfWork, user_ids: Iterable[int], notice: Notice, key: str, clock: Clock,
                     *, exclude: Actor | None = None) -> list[OutboxMessage]:
    """Stage one outbox row per user (not the acting user: they saw it happen). Existing keys are skipped."""
    skip = exclude.user_id if exclude is not None else None
    now = clock.now()
    staged = []
    for user_id in sorted(set(user_ids)):
        if user_id == skip:
            continue
        row = await enqueue(uow, OutboxMessage(
            dedup_key=f"{notice.kind}:{key}:u{user_id}", kind=notice.kind, category=notice.category,
            params=dict(notice.params), user_id=user_id, urgent=notice.urgent, created_at=now))
        if row is not None:
            staged.append(row)
    return staged


async def tell_dealer(uow: AbstractUnitOfWork, dealer_id: int, notice: Notice, key: str, clock: Clock, *,
                      exclude: Actor | None = None, roles: Iterable[Role] | None = None) -> list[OutboxMessage]:
    """Every active user of the dealer (or those with ``roles``)."""
    return await tell_users(uow, await dealer_users(uow, dealer_id, roles=roles), notice, key, clock,
                            exclude=exclude)


async def tell_staff(uow: AbstractUnitOfWork, permission: Permission | None, notice: Notice, key: str, clock: Clock,
                     *, exclude: Actor | None = None, roles: Iterable[Role] | None = None) -> list[OutboxMessage]:
    """Every active staff user holding ``permission`` (narrowed to ``roles`` when given)."""
    return await tell_users(uow, await staff_users(uow, permission, roles=roles), notice, key, clock,
                            exclude=exclude)


async def dealer_label(uow: AbstractUnitOfWork, dealer_id: int) -> str:
    """"D0001 上海华信电器有限公司" for messages; the id when the dealer is gone."""
    dealer = await uow.dealers.get(dealer_id)
    return f"{dealer.code} {dealer.name}" if dealer is not None else str(dealer_id)


# --- preferences (/settings) --------------------------------------------------------------------------

def _own_user(actor: Actor) -> int:
    if actor.kind not in (ActorKind.DEALER, ActorKind.STAFF) or actor.user_id is None:
        raise PermissionDenied()
    return actor.user_id


async def _preference(uow: AbstractUnitOfWork, user_id: int, *, for_update: bool = False) -> NotificationPreference:
    found = await uow.preferences.get_by(user_id=user_id, for_update=for_update)
    return found if found is not None else NotificationPreference(user_id=user_id)


async def get_preferences(uow: AbstractUnitOfWork, actor: Actor) -> NotificationPreference:
    """The acting user's preferences (defaults when never set: nothing muted, the channel used last)."""
    user_id = _own_user(actor)
    async with uow:
        return await _preference(uow, user_id)


async def user_channels(uow: AbstractUnitOfWork, actor: Actor) -> list[str]:
    """The channels the acting user is bound on (the choices for a preferred channel)."""
    user_id = _own_user(actor)
    async with uow:
        return sorted({i.channel for i in await uow.identities.list(user_id=user_id)})


@dataclass(frozen=True)
class SetMuted:
    category: Category
    muted: bool


@dataclass(frozen=True)
class SetPreferredChannel:
    channel: str | None             # None: the channel used last


async def _save_preference(uow: AbstractUnitOfWork, actor: Actor, pref: NotificationPreference,
                           before: dict[str, Any], clock: Clock) -> NotificationPreference:
    pref.updated_at = clock.now()
    if pref.id is None:
        await uow.preferences.add(pref)
    await record(uow, actor, "preference.update", "user", pref.user_id, clock, before=before,
                 after=snapshot(pref, ("muted", "channel")))
    await uow.commit()
    return pref


async def set_muted(uow: AbstractUnitOfWork, actor: Actor, cmd: SetMuted, clock: Clock) -> NotificationPreference:
    """Mute or unmute one category for the acting user. System notices cannot be muted."""
    user_id = _own_user(actor)
    category = Category(cmd.category)
    if category in UNMUTABLE and cmd.muted:
        zh, en = CATEGORY_LABELS[category]
        raise ValidationFailed(zh=f"“{zh}”不能关闭", en=f"{en} cannot be muted", reason="unmutable")
    async with uow:
        pref = await _preference(uow, user_id, for_update=True)
        before = snapshot(pref, ("muted", "channel"))
        muted = [m for m in pref.muted if m != category.value]
        if cmd.muted:
            muted.append(category.value)
        pref.muted = sorted(muted)
        return await _save_preference(uow, actor, pref, before, clock)


async def set_preferred_channel(uow: AbstractUnitOfWork, actor: Actor, cmd: SetPreferredChannel,
                                clock: Clock) -> NotificationPreference:
    """Pushes go to ``channel`` (one the user is bound on), or to the channel used last (None)."""
    user_id = _own_user(actor)
    async with uow:
        if cmd.channel is not None:
            bound = {i.channel for i in await uow.identities.list(user_id=user_id)}
            if cmd.channel not in bound:
                raise ValidationFailed(zh=f"您没有绑定 {cmd.channel}", en=f"You are not bound on {cmd.channel}",
                                       reason="channel")
        pref = await _preference(uow, user_id, for_update=True)
        before = snapshot(pref, ("muted", "channel"))
        pref.channel = cmd.channel
        return await _save_preference(uow, actor, pref, before, clock)


# --- the admin's retry --------------------------------------------------------------------------------

RETRYABLE: frozenset[OutboxStatus] = frozenset({OutboxStatus.DEAD, OutboxStatus.FAILED, OutboxStatus.MUTED})


async def retry_messages(uow: AbstractUnitOfWork, actor: Actor, message_ids: Sequence[int], clock: Clock) -> int:
    """Put dead (or failed, or muted) rows back to pending with a fresh attempt count; the number changed."""
    require(actor, Permission.USER_MANAGE)
    changed = 0
    async with uow:
        for message_id in message_ids:
            row = await uow.outbox.get(message_id, for_update=True)
            if row is None:
                raise NotFound(what=f"outbox {message_id}")
            if row.status not in RETRYABLE:
                continue
            before = snapshot(row, ("status", "attempts", "last_error"))
            row.status = OutboxStatus.PENDING
            row.attempts = 0
            row.next_attempt_at = None
            row.claimed_by = None
            row.claimed_at = None
            await record(uow, actor, "outbox.retry", "outbox", row.id, clock, before=before,
                         after=snapshot(row, ("status", "attempts", "last_error")))
            changed += 1
        await uow.commit()
    return changed
