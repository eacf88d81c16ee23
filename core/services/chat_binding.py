"""Binding a local chat (the console, the web chat) to the user it speaks as: ``me``, ``dealer:CODE`` or
``staff:USERNAME``.

A use case (audited, one commit) that both local channels call: ``bot.console`` for ``dms chat --as`` (the
system actor) and ``admin.webchat`` for staff in the browser. Staff chatting as a dealer act through the
dealer's first active clerk (one is created when there is none), never through an owner: signing contracts
and confirming statements stay with the owner. The console acts with the dealer's first active user (an
owner is created when the dealer has none).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from core.auditing import record
from core.clock import Clock
from core.errors import NotFound, PermissionDenied, ValidationFailed
from core.ports import AbstractUnitOfWork
from core.services.dealers import dealer_not_found
from core.services.users import CreateDealerUser, create_dealer_user
from core.users import Actor, ActorKind, ChatIdentity, Permission, Role, User

_AS = re.compile(r"^(me|dealer:[A-Za-z0-9_-]{1,32}|staff:[a-z0-9][a-z0-9_.-]{1,31})$")


@dataclass(frozen=True)
class ChatAs:
    """``me`` (the logged-in staff user), ``dealer:CODE`` or ``staff:USERNAME``."""

    kind: str
    ref: str = ""

    @classmethod
    def parse(cls, text: str) -> ChatAs:
        value = (text or "").strip()
        if not _AS.match(value.lower() if value.lower().startswith("staff:") else value):
            raise ValidationFailed(zh=f"输入有误：身份须为 me、dealer:经销商编码 或 staff:用户名，而不是 {value[:40]}",
                                   en=f"Invalid input: chat as me, dealer:CODE or staff:USERNAME, not {value[:40]}",
                                   reason="bad chat-as")
        kind, _, ref = value.partition(":")
        if kind == "dealer":
            return cls("dealer", ref.upper())
        if kind == "staff":
            return cls("staff", ref.lower())
        return cls("me")

    def __str__(self) -> str:
        return f"{self.kind}:{self.ref}" if self.ref else self.kind


def may_act_as_dealer(actor: Actor) -> bool:
    return bool({Permission.USER_MANAGE, Permission.DEALER_WRITE} & actor.permissions)


async def _dealer_user(uow_factory: Callable[[], AbstractUnitOfWork], actor: Actor, code: str,
                       clock: Clock) -> User:
    """The user a chat as dealer ``code`` acts with; created through the use case when there is none.

    Staff get the first active clerk (a clerk is created): acting as the owner would hand them the owner's
    signing code and statement confirmation. The system (console) gets the first active user (an owner
    is created when the dealer has no owner)."""
    staff = actor.kind != ActorKind.SYSTEM
    async with uow_factory() as uow:
        dealer = await uow.dealers.get_by(code=code)
        if dealer is None:
            raise dealer_not_found(code)
        only_clerks: dict[str, Any] = {"role": Role.DEALER_CLERK} if staff else {}
        users = await uow.users.list(dealer_id=dealer.id, active=True, order_by="id", **only_clerks)
        if users:
            return users[0]
        owner_needed = not staff and not await uow.users.count(dealer_id=dealer.id, role=Role.DEALER_OWNER,
                                                               active=True)
        n = await uow.users.count(dealer_id=dealer.id) + 1
        while await uow.users.get_by(username=f"{code.lower()}-{n}") is not None:
            n += 1
        assert dealer.id is not None
        cmd = CreateDealerUser(dealer_id=dealer.id, username=f"{code.lower()}-{n}", display_name=dealer.name,
                               role=Role.DEALER_OWNER if owner_needed else Role.DEALER_CLERK)
    return await create_dealer_user(uow_factory(), actor, cmd, clock)


async def bind_chat_as(uow_factory: Callable[[], AbstractUnitOfWork], actor: Actor, channel: str,
                       external_id: str, chat_as: ChatAs, clock: Clock) -> User:
    """Bind the local chat account ``(channel, external_id)`` to the user ``chat_as`` names; return that user.

    ``actor`` is who asks: the system for the console, the logged-in staff member for the web chat
    (``me`` is that staff member; ``dealer:`` needs USER_MANAGE or DEALER_WRITE; ``staff:`` needs
    USER_MANAGE). Binding or re-binding is audited; an account already bound to the user is left as is.
    """
    if chat_as.kind == "dealer":
        if not may_act_as_dealer(actor):
            raise PermissionDenied()
        user = await _dealer_user(uow_factory, actor, chat_as.ref, clock)
    else:
        if chat_as.kind == "staff" and Permission.USER_MANAGE not in actor.permissions:
            raise PermissionDenied()
        username = chat_as.ref if chat_as.kind == "staff" else ""
        async with uow_factory() as uow:
            found = (await uow.users.get_by(username=username) if username
                     else await uow.users.get(actor.user_id) if actor.user_id is not None else None)
        if found is None or not found.active or not found.role.is_staff:
            raise NotFound(zh=f"未找到员工账号：{username or actor.name}",
                           en=f"No active staff user: {username or actor.name}", what="staff user")
        user = found
    assert user.id is not None
    async with uow_factory() as uow:
        identity = await uow.identities.get_by(channel=channel, external_id=external_id, for_update=True)
        if identity is not None and identity.user_id == user.id:
            return user
        before = {"user_id": identity.user_id} if identity is not None else None
        if identity is None:
            await uow.identities.add(ChatIdentity(channel=channel, external_id=external_id, user_id=user.id,
                                                  bound_at=clock.now()))
        else:
            identity.user_id = user.id
            identity.bound_at = clock.now()
        await record(uow, actor, "identity.bind_local", "user", user.username, clock, before=before,
                     after={"user_id": user.id, "channel": channel, "external_id": external_id})
        await uow.commit()
    return user
