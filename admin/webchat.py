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
  (``web:<username>`` / ``web:<username>:dealer:<CODE>``), bound with the use case
  ``core.services.chat_binding.bind_chat_as``, which the console chat (``dms chat --as``) uses too.
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
from pathlib import Path
from typing import Any, Protocol

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from admin.auth import SameOriginMiddleware, StaffAuthBackend, current_staff
from core.clock import Clock
from core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from core.ports import AbstractUnitOfWork
from core.services.chat_binding import ChatAs, bind_chat_as, may_act_as_dealer
from core.users import Actor

log = logging.getLogger(__name__)

MAX_DEALERS_LISTED = 500
_TEMPLATES = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                         autoescape=select_autoescape(["html"]))
_CLIENT_ID = re.compile(r"^[A-Za-z0-9_-]{1,40}$")


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
        if may_act_as_dealer(actor):
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
