"""A local WeCom server API for the end-to-end tests (aiohttp on 127.0.0.1, a random port), and the
WeCom side of the callback: ``WeComUsers`` encrypts and POSTs messages and events exactly like WeCom.

The stand-in answers like WeCom (``{"errcode": 0, "errmsg": "ok", ...}``, HTTP 200 even on errors):
``/cgi-bin/gettoken``, ``/cgi-bin/message/send`` (text, markdown, image, file, template_card; a card
with buttons gets a ``response_code``), ``/cgi-bin/media/upload`` (multipart ``media``),
``/cgi-bin/media/get``, ``/cgi-bin/message/update_template_card`` (response codes are single use).
``expire_tokens(40014)`` makes every token issued so far invalid, as when WeCom revokes them; the
next call with one is answered with that errcode. ``fail_next`` answers the next calls of a method
with an errcode (or an HTTP status). Every call is recorded (``calls``); what each member received
is kept (``inbox``), with card updates applied.

Nothing here talks to the internet.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web

from bot.wecom.crypto import WeComCrypto

CORP_ID = "ww5823bf96d3bd5600"
AGENT_ID = 1000002
SECRET = "standin-app-secret"
TOKEN = "QDG6eKstandin"
ENCODING_AES_KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"


@dataclass
class Call:
    method: str                   # "gettoken", "message/send", ...
    params: dict[str, Any]
    body: dict[str, Any] = field(default_factory=dict)
    errcode: int = 0
    at: float = field(default_factory=time.monotonic)


@dataclass
class Received:
    """A message a member received (as they would see it now, card updates applied)."""

    touser: str
    msgtype: str
    text: str = ""
    card: dict[str, Any] = field(default_factory=dict)
    media: bytes = b""
    file_name: str = ""
    replaced: str = ""            # the text shown instead of the card's buttons after an update
    updates: list[dict[str, Any]] = field(default_factory=list)

    @property
    def title(self) -> str:
        return str(self.card.get("main_title", {}).get("title", ""))

    @property
    def shown(self) -> str:
        """What the member reads: the text, or the card's title, sub-title and replacement text."""
        if self.msgtype == "template_card":
            return "\n".join(x for x in (self.title, str(self.card.get("sub_title_text", "")), self.replaced) if x)
        return self.text

    @property
    def buttons(self) -> list[tuple[str, str]]:
        if self.replaced:
            return []
        return [(b.get("text", ""), b.get("key", "")) for b in self.card.get("button_list", [])]

    @property
    def labels(self) -> list[str]:
        return [label for label, _ in self.buttons]

    def button(self, contains: str) -> str:
        for label, key in self.buttons:
            if contains in label:
                return key
        raise AssertionError(f"no button with {contains!r} in {self.labels}")


class WeComStandIn:
    def __init__(self, *, corp_id: str = CORP_ID, secret: str = SECRET, expires_in: int = 7200) -> None:
        self.corp_id = corp_id
        self.secret = secret
        self.expires_in = expires_in
        self.calls: list[Call] = []
        self.inbox: dict[str, list[Received]] = {}
        self.media: dict[str, tuple[bytes, str]] = {}
        self._tokens: dict[str, int] = {}          # token -> 0 (valid) or the errcode it now gets
        self._codes: dict[str, Received | None] = {}   # response codes: the card, None once used
        self._failures: dict[str, list[int]] = {}
        self._ids = itertools.count(1)
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.port = 0

    # --- lifecycle --------------------------------------------------------------------------------------
    async def start(self) -> WeComStandIn:
        app = web.Application(client_max_size=30 * 1024 * 1024)
        app.router.add_route("*", "/cgi-bin/{method:.+}", self._api)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def __aenter__(self) -> WeComStandIn:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # --- what the test controls and reads -----------------------------------------------------------------
    def expire_tokens(self, errcode: int = 40014) -> None:
        """Every token issued so far is refused from now on with ``errcode`` (40014, 42001 or 42009)."""
        for token in self._tokens:
            self._tokens[token] = errcode

    def fail_next(self, method: str, errcode: int, count: int = 1) -> None:
        """The next ``count`` calls of ``method`` get ``errcode`` (a negative value: that HTTP status)."""
        self._failures.setdefault(method, []).extend([errcode] * count)

    def add_media(self, data: bytes, file_name: str = "photo.jpg") -> str:
        media_id = f"MEDIA{next(self._ids)}_{secrets.token_hex(8)}"
        self.media[media_id] = (data, file_name)
        return media_id

    def calls_of(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    def received(self, user: str) -> list[Received]:
        return self.inbox.get(user, [])

    def count(self, user: str) -> int:
        return len(self.received(user))

    def texts(self, user: str, since: int = 0) -> str:
        return "\n".join(m.shown for m in self.received(user)[since:])

    def card_with(self, user: str, label: str) -> Received:
        """The latest card of ``user`` with a button whose label contains ``label``."""
        for message in reversed(self.received(user)):
            if any(label in lb for lb in message.labels):
                return message
        raise AssertionError(f"{user} has no card with a button {label!r}: {self.texts(user)}")

    def new_response_code(self, card: Received) -> str:
        """The ResponseCode WeCom puts in the event of a press on ``card`` (single use, for updating it)."""
        code = f"RC{next(self._ids)}{secrets.token_hex(6)}"
        self._codes[code] = card
        return code

    async def wait_for(self, predicate: Callable[[], bool], seconds: float = 10.0, what: str = "") -> None:
        async def until() -> None:
            async with self._changed:
                await self._changed.wait_for(predicate)
        try:
            await asyncio.wait_for(until(), seconds)
        except TimeoutError:
            raise AssertionError(f"timed out waiting for {what or predicate}") from None

    async def replies(self, user: str, since: int, *, at_least: int = 1, quiet: float = 0.4,
                      seconds: float = 10.0) -> list[Received]:
        """At least ``at_least`` new messages of ``user`` after ``since``, then until none came for ``quiet`` s."""
        await self.wait_for(lambda: self.count(user) >= since + at_least, seconds, f"{at_least} message(s) to {user}")
        while True:
            seen = self.count(user), sum(len(m.updates) for m in self.received(user))
            await asyncio.sleep(quiet)
            if (self.count(user), sum(len(m.updates) for m in self.received(user))) == seen:
                return self.received(user)[since:]

    # --- the API ------------------------------------------------------------------------------------------
    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    @staticmethod
    def _ok(**result: Any) -> web.Response:
        return web.json_response({"errcode": 0, "errmsg": "ok", **result})

    @staticmethod
    def _error(errcode: int, errmsg: str) -> web.Response:
        return web.json_response({"errcode": errcode, "errmsg": errmsg})

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = dict(request.query)
        body: dict[str, Any] = {}
        files: dict[str, tuple[str, bytes]] = {}
        if request.method == "POST":
            if request.content_type.startswith("multipart/"):
                async for part in await request.multipart():
                    if isinstance(part, aiohttp.BodyPartReader) and part.name:
                        files[part.name] = (part.filename or "", await part.read())
            else:
                raw = await request.read()
                try:
                    body = json.loads(raw) if raw else {}
                except ValueError:
                    return self._error(47001, "data format error")
        call = Call(method, params, body)
        self.calls.append(call)
        try:
            response = await self._answer(method, params, body, files, call)
        finally:
            await self._notify()
        return response

    async def _answer(self, method: str, params: dict[str, Any], body: dict[str, Any],
                      files: dict[str, tuple[str, bytes]], call: Call) -> web.Response:
        failures = self._failures.get(method)
        if failures:
            call.errcode = failures.pop(0)
            if call.errcode < 0:
                return web.Response(status=-call.errcode, text="server error")
            return self._error(call.errcode, "injected failure")
        if method == "gettoken":
            if params.get("corpid") != self.corp_id or params.get("corpsecret") != self.secret:
                call.errcode = 40001
                return self._error(40001, "invalid credential")
            token = f"TOKEN{next(self._ids)}_{secrets.token_hex(8)}"
            self._tokens[token] = 0
            return self._ok(access_token=token, expires_in=self.expires_in)
        token_state = self._tokens.get(params.get("access_token", ""), 40014)
        if token_state:
            call.errcode = token_state
            return self._error(token_state, "invalid access_token")
        handler = {"message/send": self._send, "media/upload": self._upload, "media/get": self._media_get,
                   "message/update_template_card": self._update_card}.get(method)
        if handler is None:
            call.errcode = 404
            return self._error(-1, f"no such method in the stand-in: {method}")
        return await handler(params, body, files, call)

    async def _send(self, params: dict[str, Any], body: dict[str, Any], files: Any, call: Call) -> web.Response:
        touser, msgtype = str(body.get("touser", "")), str(body.get("msgtype", ""))
        if body.get("agentid") != AGENT_ID:
            call.errcode = 40056
            return self._error(40056, "invalid agentid")
        content = body.get(msgtype)
        if not touser or not isinstance(content, dict):
            call.errcode = 40008
            return self._error(40008, "invalid message type")
        received = Received(touser=touser, msgtype=msgtype)
        result: dict[str, Any] = {"invaliduser": "", "msgid": f"MSG{next(self._ids)}"}
        if msgtype in ("text", "markdown"):
            received.text = str(content.get("content", ""))
            if not received.text:
                call.errcode = 44004
                return self._error(44004, "empty content")
            if len(received.text.encode()) > 2048:
                call.errcode = 45002
                return self._error(45002, "content size out of limit")
        elif msgtype in ("image", "file"):
            media = self.media.get(str(content.get("media_id", "")))
            if media is None:
                call.errcode = 40007
                return self._error(40007, "invalid media_id")
            received.media, received.file_name = media
        elif msgtype == "template_card":
            if content.get("card_type") != "button_interaction" or not content.get("task_id"):
                call.errcode = 40058
                return self._error(40058, "invalid template_card")
            if not (content.get("main_title") or {}).get("title") and not content.get("sub_title_text"):
                call.errcode = 40058
                return self._error(40058, "main_title.title or sub_title_text is required")
            buttons = content.get("button_list") or []
            if not 1 <= len(buttons) <= 6 or len({b.get("key") for b in buttons}) != len(buttons):
                call.errcode = 40058
                return self._error(40058, "button_list must hold 1-6 buttons with distinct keys")
            received.card = content
            result["response_code"] = self.new_response_code(received)
        else:
            call.errcode = 40008
            return self._error(40008, "invalid message type")
        self.inbox.setdefault(touser, []).append(received)
        return self._ok(**result)

    async def _upload(self, params: dict[str, Any], body: Any, files: dict[str, tuple[str, bytes]],
                      call: Call) -> web.Response:
        kind = params.get("type", "")
        if kind not in ("image", "voice", "video", "file") or "media" not in files:
            call.errcode = 40004
            return self._error(40004, "invalid media type")
        name, data = files["media"]
        if kind == "image" and not (data.startswith(b"\x89PNG") or data.startswith(b"\xff\xd8")):
            call.errcode = 40005
            return self._error(40005, "invalid file type")
        media_id = self.add_media(data, name)
        return self._ok(type=kind, media_id=media_id, created_at=str(int(time.time())))

    async def _media_get(self, params: dict[str, Any], body: Any, files: Any, call: Call) -> web.Response:
        media = self.media.get(params.get("media_id", ""))
        if media is None:
            call.errcode = 40007
            return self._error(40007, "invalid media_id")
        data, name = media
        return web.Response(body=data, content_type="audio/amr" if name.endswith(".amr") else "image/jpeg",
                            headers={"Content-Disposition": f'attachment; filename="{name}"'})

    async def _update_card(self, params: dict[str, Any], body: dict[str, Any], files: Any,
                           call: Call) -> web.Response:
        code = str(body.get("response_code", ""))
        card = self._codes.get(code)
        if card is None:
            call.errcode = 40092 if code in self._codes else 40091
            return self._error(call.errcode, "response_code used or invalid")
        if card.touser not in (body.get("userids") or []):
            call.errcode = 40003
            return self._error(40003, "invalid userid")
        self._codes[code] = None
        card.updates.append(body)
        if "template_card" in body:
            card.card, card.replaced = body["template_card"], ""
        else:
            card.replaced = str((body.get("button") or {}).get("replace_name", ""))
        return self._ok()


# --- the WeCom side of the callback ------------------------------------------------------------------------

class WeComUsers:
    """Members talking to the app: builds the XML WeCom would, encrypts and signs it, POSTs it."""

    def __init__(self, standin: WeComStandIn, callback_url: str, *, token: str = TOKEN,
                 encoding_aes_key: str = ENCODING_AES_KEY, corp_id: str = CORP_ID) -> None:
        self.standin = standin
        self.url = callback_url
        self.crypto = WeComCrypto(token, encoding_aes_key, corp_id)
        self.corp_id = corp_id
        # idle connections closed before uvicorn closes them (its keep-alive is 5 s; aiohttp keeps 15 s)
        self.http = aiohttp.ClientSession(connector=aiohttp.TCPConnector(keepalive_timeout=2))
        self._ids = itertools.count(int(time.time()) * 1000)
        self.posts: list[int] = []           # HTTP status of every POST

    async def aclose(self) -> None:
        await self.http.close()

    def signed(self, encrypted: str, *, timestamp: int | None = None, nonce: str | None = None,
               signature: str | None = None) -> dict[str, str]:
        ts = str(timestamp if timestamp is not None else int(time.time()))
        nonce = nonce or str(secrets.randbelow(10**10))
        return {"msg_signature": signature or self.crypto.sign(ts, nonce, encrypted), "timestamp": ts, "nonce": nonce}

    async def verify(self, echo: str = "1616140317555161061", **kw: Any) -> tuple[int, str]:
        encrypted = self.crypto.encrypt(echo)
        query = self.signed(encrypted, **kw) | {"echostr": encrypted}
        async with self.http.get(self.url, params=query) as response:
            return response.status, await response.text()

    def xml(self, user: str, msg_type: str, fields: dict[str, str], *, create_time: int | None = None) -> str:
        inner = "".join(f"<{k}><![CDATA[{v}]]></{k}>" for k, v in fields.items())
        return (f"<xml><ToUserName><![CDATA[{self.corp_id}]]></ToUserName><FromUserName><![CDATA[{user}]]>"
                f"</FromUserName><CreateTime>{create_time or int(time.time())}</CreateTime>"
                f"<MsgType><![CDATA[{msg_type}]]></MsgType>{inner}<AgentID>{AGENT_ID}</AgentID></xml>")

    async def post_plain(self, plain: str, **kw: Any) -> int:
        """Encrypt ``plain`` (the inner XML) like WeCom and POST the envelope; the HTTP status."""
        encrypted = self.crypto.encrypt(plain)
        envelope = (f"<xml><ToUserName><![CDATA[{self.corp_id}]]></ToUserName><Encrypt><![CDATA[{encrypted}]]>"
                    f"</Encrypt><AgentID><![CDATA[{AGENT_ID}]]></AgentID></xml>")
        return await self.post_raw(envelope.encode(), self.signed(encrypted, **kw))

    async def post_raw(self, body: bytes, query: dict[str, str]) -> int:
        async with self.http.post(self.url, params=query, data=body,
                                  headers={"Content-Type": "text/xml"}) as response:
            await response.read()
            self.posts.append(response.status)
            return response.status

    def message_id(self) -> str:
        return str(next(self._ids))

    async def text(self, user: str, text: str, *, msg_id: str | None = None) -> int:
        return await self.post_plain(self.xml(user, "text", {"Content": text,
                                                            "MsgId": msg_id or self.message_id()}))

    async def image(self, user: str, data: bytes, file_name: str = "photo.jpg") -> int:
        media_id = self.standin.add_media(data, file_name)
        return await self.post_plain(self.xml(user, "image", {"PicUrl": "http://127.0.0.1/none", "MediaId": media_id,
                                                             "MsgId": self.message_id()}))

    async def voice(self, user: str, recognition: str = "", data: bytes = b"AMR") -> int:
        """A voice message: ``data`` (AMR) behind its MediaId, and WeCom's ``recognition`` text when given."""
        fields = {"MediaId": self.standin.add_media(data, "voice.amr"), "Format": "amr"}
        if recognition:
            fields["Recognition"] = recognition
        return await self.post_plain(self.xml(user, "voice", fields | {"MsgId": self.message_id()}))

    async def location(self, user: str, latitude: float, longitude: float, label: str) -> int:
        return await self.post_plain(self.xml(user, "location", {
            "Location_X": str(latitude), "Location_Y": str(longitude), "Scale": "15", "Label": label,
            "MsgId": self.message_id(), "AppType": "wxwork"}))

    async def click(self, user: str, key: str) -> int:
        return await self.post_plain(self.xml(user, "event", {"Event": "click", "EventKey": key}))

    async def press(self, user: str, card: Received, label: str, *, create_time: int | None = None) -> int:
        """A tap on the card's button whose label contains ``label`` (a template_card_event)."""
        key = card.button(label)
        return await self.post_plain(self.xml(user, "event", {
            "Event": "template_card_event", "EventKey": key, "TaskId": str(card.card.get("task_id", "")),
            "CardType": "button_interaction", "ResponseCode": self.standin.new_response_code(card)},
            create_time=create_time))


# --- the app under test, built through bot.bootstrap ---------------------------------------------------

@dataclass
class WeComWorld:
    """The whole app (``bot.bootstrap``) on a migrated SQLite file: uvicorn serves ``/wecom/callback``,
    the outbox worker delivers through the stand-in, ``users`` plays WeCom's side of the callback."""

    standin: WeComStandIn
    app: Any                                     # bot.bootstrap.App
    users: WeComUsers
    server: Any
    tasks: list[asyncio.Task[Any]] = field(default_factory=list)

    def uow(self) -> Any:
        return self.app.uow_factory()

    @property
    def channel(self) -> Any:
        return self.app.wecom()

    async def settle(self) -> None:
        await self.channel.updates.drain()

    async def say(self, user: str, text: str, *, at_least: int = 1, **kw: Any) -> list[Received]:
        since = self.standin.count(user)
        assert await self.users.text(user, text, **kw) == 200
        return await self.standin.replies(user, since, at_least=at_least)

    async def press(self, user: str, label: str, *, card: Received | None = None, at_least: int = 1,
                    updated: bool = False) -> list[Received]:
        """Tap the button whose label contains ``label`` (on ``card``, default: the latest card with one)."""
        card = card or self.standin.card_with(user, label)
        since, updates = self.standin.count(user), len(card.updates)
        assert await self.users.press(user, card, label) == 200
        if updated:
            await self.standin.wait_for(lambda: len(card.updates) > updates, 10, "the card to be updated")
        return await self.standin.replies(user, since, at_least=at_least)

    async def stop(self) -> None:
        self.server.should_exit = True
        for task in self.tasks[:-1]:
            task.cancel()
        for task in self.tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        await self.users.aclose()
        await self.app.aclose()


async def start_wecom(tmp_path: Any, standin: WeComStandIn, **settings: Any) -> WeComWorld:
    """Settings -> bootstrap -> migrate -> uvicorn with the web app, and the outbox worker, as in ``dms run``."""
    import socket

    import uvicorn

    from bot.bootstrap import bootstrap, migrate, outbox_worker_task
    from bot.settings import Settings

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    values: dict[str, Any] = dict(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'dms.sqlite3'}", data_dir=tmp_path / "var",
        demo_data_on_empty=False, web_host="127.0.0.1", web_port=port, secret_key="e2e-wecom-secret-key",
        wecom_corp_id=CORP_ID, wecom_agent_id=AGENT_ID, wecom_secret=SECRET, wecom_token=TOKEN,
        wecom_encoding_aes_key=ENCODING_AES_KEY, wecom_api_base=standin.base_url,
        chat_flood_per_minute=100, notify_quiet_hours="", notify_poll_seconds=0.05)
    values.update(settings)
    config = Settings(_env_file=None, **values)  # type: ignore[call-arg]
    await migrate(config)
    app = bootstrap(config)
    assert app.wecom() is not None, "bootstrap must build the WeCom channel when the WECOM_* settings are set"
    server = uvicorn.Server(uvicorn.Config(app.web(), log_config=None, lifespan="on", access_log=False))
    users = WeComUsers(standin, f"http://127.0.0.1:{port}/wecom/callback")
    world = WeComWorld(standin=standin, app=app, users=users, server=server)
    world.tasks.append(asyncio.create_task(outbox_worker_task(app)))
    world.tasks.append(asyncio.create_task(server.serve(sockets=[sock])))
    for _ in range(500):
        if server.started:
            break
        await asyncio.sleep(0.01)
    return world
