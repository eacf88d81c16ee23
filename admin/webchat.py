"""The web chat: staff try the chat conversations in the browser (``/chat``), as themselves or as a dealer.

- ``GET /chat/`` serves one small HTML page (``templates/webchat.html``, plain JS ``fetch``, no build
  step). ``POST /chat/send`` takes ``{"as": "me" | "dealer:CODE", "text": ...}`` or ``{"as": ..., "payload":
  ..., "message_ref": ...}`` and answers ``{"replies": [{"text", "buttons", "image", "file", "edit_ref"}], ...}``
  with images and files as data URLs.
- Login: the SQLAdmin staff session (same cookie, same secret, same checks as ``admin.auth``); not
  logged in: the page redirects to /admin/login, the API answers 401. Unsafe requests must come from
  this site (``SameOriginMiddleware``).
- Chatting as a dealer is allowed to staff who may manage dealer users (``USER_MANAGE`` or
  ``DEALER_WRITE``); anyone else gets 403. Staff act through the dealer's first active clerk (one is
  created when the dealer has none), never through an owner: signing contracts and confirming statements
  stay with the dealer's owner, as no staff role holds ``CONTRACT_SIGN`` / ``STATEMENT_CONFIRM``. The
  console (``dms chat --as dealer:CODE``, the system actor) acts with the dealer's first active user (an
  owner is created when the dealer has none). Each staff member has their own chat per target
  (``web:<username>`` / ``web:<username>:dealer:<CODE>``), bound with ``bind_chat_as``, which the
  console chat (``dms chat --as``) uses too.
- Replies addressed to other chats (staff prompts, dealer pushes) are not shown here; their count is
  returned as ``pushed`` (the outbox delivers them).

admin/ may not import handlers/ (they are layers side by side), so the conversation comes in as a
``ChatConversation``: ``bot.console.LocalChat`` turns text or a button press into the conversation's
``Inbound`` and hands back its ``Reply`` objects, which are read here by their attributes only.
"""

from __future__ import annotations

import base64
import logging
import mimetypes
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from admin.auth import SameOriginMiddleware, StaffAuthBackend, current_staff
from core.auditing import record
from core.clock import Clock
from core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from core.ports import AbstractUnitOfWork
from core.services.dealers import dealer_not_found
from core.services.users import CreateDealerUser, create_dealer_user
from core.users import Actor, ActorKind, ChatIdentity, Permission, Role, User

log = logging.getLogger(__name__)

MAX_DEALERS_LISTED = 500
_TEMPLATES = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                         autoescape=select_autoescape(["html"]))
_CLIENT_ID = re.compile(r"^[A-Za-z0-9_-]{1,40}$")
_AS = re.compile(r"^(me|dealer:[A-Za-z0-9_-]{1,32}|staff:[a-z0-9][a-z0-9_.-]{1,31})$")


class ButtonLike(Protocol):
    label: str
    payload: str


class ReplyLike(Protocol):
    """The attributes of ``handlers.messages.Reply`` the web chat reads."""

    text: str
    buttons: list[list[Any]]
    image: bytes | None
    image_name: str
    file: bytes | None
    file_name: str
    edit_ref: str
    chat_id: str
    channel: str


class ChatConversation(Protocol):
    """The conversation for one local channel (``bot.console.LocalChat``): text or a button press in, replies out."""

    channel: str

    async def say(self, chat_id: str, text: str = "", *, payload: str = "", message_ref: str = "",
                  language: str = "", display_name: str = "", update_id: str = "") -> Sequence[ReplyLike]: ...


# --- who the chat speaks as (shared with the console chat) ----------------------------------------------

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


def _may_act_as_dealer(actor: Actor) -> bool:
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
        if not _may_act_as_dealer(actor):
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


# --- replies as JSON --------------------------------------------------------------------------------

def _data_url(data: bytes, name: str, fallback: str) -> str:
    mime = mimetypes.guess_type(name)[0] or fallback
    return f"data:{mime};base64,{base64.b64encode(data).decode()}"


def reply_json(reply: ReplyLike) -> dict[str, Any]:
    return {
        "text": reply.text,
        "buttons": [[{"label": b.label, "payload": b.payload} for b in row] for row in reply.buttons],
        "image": _data_url(reply.image, reply.image_name, "image/png") if reply.image is not None else None,
        "file": ({"name": reply.file_name or "file", "url": _data_url(reply.file, reply.file_name,
                                                                     "application/octet-stream")}
                 if reply.file is not None else None),
        "edit_ref": reply.edit_ref,
    }


def _own(reply: ReplyLike, chat_id: str, channel: str) -> bool:
    return reply.channel in ("", channel) and reply.chat_id in ("", chat_id)


# --- the app ----------------------------------------------------------------------------------------

class WebChat:
    def __init__(self, conversation: ChatConversation, uow_factory: Callable[[], AbstractUnitOfWork],
                 clock: Clock, auth: StaffAuthBackend) -> None:
        self.conversation = conversation
        self.uow_factory = uow_factory
        self.clock = clock
        self.auth = auth

    async def _staff(self, request: Request) -> Actor | None:
        if await self.auth.authenticate(request) is not True:
            return None
        staff = current_staff(request)
        return staff.to_actor() if staff is not None else None

    async def page(self, request: Request) -> Response:
        actor = await self._staff(request)
        if actor is None:
            return RedirectResponse("/admin/login", status_code=302)
        dealers: list[dict[str, str]] = []
        if _may_act_as_dealer(actor):
            async with self.uow_factory() as uow:
                rows = await uow.dealers.list(order_by="code", limit=MAX_DEALERS_LISTED)
            dealers = [{"code": d.code, "name": d.name} for d in rows]
        html = _TEMPLATES.get_template("webchat.html").render(user=actor.name, role=str(actor.role),
                                                               dealers=dealers)
        return HTMLResponse(html)

    async def send(self, request: Request) -> Response:
        actor = await self._staff(request)
        if actor is None:
            return _error(401, "请先登录管理后台", "Please log in to the admin first")
        try:
            body = await request.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            return _error(400, "请求格式有误", "The request must be a JSON object")
        text, payload = body.get("text"), body.get("payload")
        if not (isinstance(text, str) and text.strip()) and not (isinstance(payload, str) and payload):
            return _error(400, "请输入内容", "Send some text or a button payload")
        try:
            chat_as = ChatAs.parse(str(body.get("as") or "me"))
            if chat_as.kind == "staff":
                raise ValidationFailed(zh="输入有误：网页聊天只能以本人或经销商身份",
                                       en="Invalid input: the web chat speaks as yourself or as a dealer",
                                       reason="staff chat-as on the web")
            chat_id = f"web:{actor.name}" + (f":dealer:{chat_as.ref}" if chat_as.kind == "dealer" else "")
            await bind_chat_as(self.uow_factory, actor, self.conversation.channel, chat_id, chat_as, self.clock)
        except DomainError as exc:
            status = 403 if isinstance(exc, PermissionDenied) else 404 if isinstance(exc, NotFound) else 400
            return _error(status, exc.message("zh"), exc.message("en"))
        client_id = str(body.get("id") or "")
        replies = await self.conversation.say(
            chat_id, text if isinstance(text, str) and not payload else "",
            payload=payload if isinstance(payload, str) else "",
            message_ref=str(body.get("message_ref") or "")[:64],
            language=request.headers.get("accept-language", "").split(",")[0].strip(),
            display_name=actor.name,
            update_id=f"{chat_id}:{client_id}" if _CLIENT_ID.match(client_id) else "")
        own = [reply_json(r) for r in replies if _own(r, chat_id, self.conversation.channel)]
        return JSONResponse({"as": str(chat_as), "chat_id": chat_id, "replies": own,
                             "pushed": len(replies) - len(own)})


def _error(status: int, zh: str, en: str) -> JSONResponse:
    return JSONResponse({"error": status, "message": zh, "message_en": en}, status_code=status)


def mount_webchat(app: Starlette, conversation: ChatConversation, uow_factory: Callable[[], AbstractUnitOfWork],
                  clock: Clock, *, secret_key: str, https_only: bool) -> WebChat:
    """Serve the web chat at ``/chat`` on ``app``, sharing the admin's staff session."""
    auth = StaffAuthBackend(secret_key, uow_factory, clock, https_only=https_only)
    chat = WebChat(conversation, uow_factory, clock, auth)
    sub = Starlette(routes=[Route("/", chat.page, methods=["GET"]), Route("/send", chat.send, methods=["POST"])],
                    middleware=[*auth.middlewares, Middleware(SameOriginMiddleware)])
    app.mount("/chat", sub, name="webchat")
    return chat
