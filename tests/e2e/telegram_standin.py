"""A local Telegram Bot API for the end-to-end tests (aiohttp on 127.0.0.1, a random port).

It implements what the bot uses, shaped like Telegram's answers (``{"ok": true, "result": ...}``,
``{"ok": false, "error_code": ..., "description": ..., "parameters": {...}}``):
``/bot<token>/<method>`` for getMe, getUpdates (long poll with ``timeout`` and ``offset``),
setWebhook, deleteWebhook, getWebhookInfo, setMyCommands, sendMessage, editMessageText,
answerCallbackQuery, sendChatAction, sendPhoto, sendDocument, sendMediaGroup (multipart uploads), getFile, and
``/file/bot<token>/<path>`` downloads. Requests come as form data (aiogram) or JSON.

The test plays the users: ``send_text``, ``send_contact``, ``send_photo``, ``send_document``,
``press`` (a button of a message the bot sent), ``send_raw`` (any JSON). An update goes to the
``getUpdates`` queue, or, once a webhook is set, is POSTed to it with the secret header, like
Telegram does. ``balance_webhook(urls)`` plays the load balancer in front of several web processes:
the updates then go round-robin to ``urls`` (one per delivered update; ``webhook_targets`` counts them)
instead of the one URL registered with setWebhook. Every call is recorded (``calls``); what the bot sent is kept per chat
(``messages``), with edits. ``fail_next`` makes the next N calls answer 429 (with ``retry_after``)
or 500.

Nothing here talks to the internet.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web

BOT_ID = 777000111
BOT_USERNAME = "dms_test_bot"
DEFAULT_TOKEN = f"{BOT_ID}:TEST-standin-token"
JSON_FIELDS = {"reply_markup", "commands", "allowed_updates", "scope", "link_preview_options", "entities",
               "caption_entities", "reply_parameters", "media"}


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    at: float = field(default_factory=time.monotonic)
    status: int = 200


@dataclass
class Sent:
    """A message the bot sent (or edited), as the user would see it now."""

    chat_id: int
    message_id: int
    kind: str                                  # "text" | "photo" | "document"
    text: str = ""
    reply_markup: dict[str, Any] | None = None
    file: bytes = b""
    file_name: str = ""
    edits: list[str] = field(default_factory=list)   # earlier texts, oldest first
    media_group_id: str = ""                   # sendMediaGroup: the album it belongs to
    at: float = field(default_factory=time.monotonic)  # when the bot sent it (or last edited it)

    @property
    def buttons(self) -> list[tuple[str, str]]:
        """(label, callback_data) of the inline keyboard."""
        rows = (self.reply_markup or {}).get("inline_keyboard") or []
        return [(b.get("text", ""), b.get("callback_data", "")) for row in rows for b in row]

    @property
    def labels(self) -> list[str]:
        return [label for label, _ in self.buttons]

    @property
    def contact_button(self) -> str | None:
        rows = (self.reply_markup or {}).get("keyboard") or []
        return next((b.get("text") for row in rows for b in row if b.get("request_contact")), None)

    def button(self, contains: str) -> str:
        """The callback data of the first button whose label contains ``contains``."""
        for label, data in self.buttons:
            if contains in label:
                return data
        raise AssertionError(f"no button with {contains!r} in {self.labels}")


@dataclass
class _Failure:
    status: int
    retry_after: int
    methods: frozenset[str] | None
    remaining: int


class TelegramStandIn:
    def __init__(self, token: str = DEFAULT_TOKEN, *, keepalive_seconds: float = 15.0) -> None:
        """``keepalive_seconds``: how long an idle connection to the webhook is kept (aiohttp's default 15 s);
        keep it below the server's keep-alive (uvicorn: 5 s) so the client is the one to close it."""
        self.token = token
        self.keepalive_seconds = keepalive_seconds
        self.calls: list[Call] = []
        self.messages: dict[int, list[Sent]] = {}
        self.callback_answers: dict[str, dict[str, Any]] = {}
        self.webhook: dict[str, Any] | None = None
        self.webhook_deliveries: list[tuple[int, int]] = []      # (update_id, HTTP status)
        self.webhook_targets: Counter[str] = Counter()           # URL -> updates POSTed to it
        self._balanced: list[str] = []                           # balance_webhook(urls)
        self._next_target = itertools.count()
        self.commands: dict[str, list[dict[str, Any]]] = {}      # language_code ("" default) -> commands
        self.downloads: list[str] = []
        self.polls_waiting = 0                                   # getUpdates calls holding a long poll
        self._queue: list[dict[str, Any]] = []
        self._files: dict[str, tuple[str, bytes]] = {}           # file_id -> (file_path, bytes)
        self._failures: list[_Failure] = []
        self._update_ids = itertools.count(1)
        self._message_ids: dict[int, itertools.count[int]] = {}
        self._file_ids = itertools.count(1)
        self._pending_callbacks: set[str] = set()
        self._changed = asyncio.Condition()
        # a waiter on one chat's messages wakes only when that chat got one (bench/load.py's 200 chats each waiting
        # on a condition every call woke re-read their whole history: most of the bench's own CPU)
        self._chat_changed: dict[int, asyncio.Condition] = {}
        self._chats_touched: set[int] = set()
        self._runner: web.AppRunner | None = None
        self._client: aiohttp.ClientSession | None = None
        self._closing = False
        self.port = 0

    # --- lifecycle -------------------------------------------------------------------------------
    async def start(self) -> TelegramStandIn:
        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        self._client = aiohttp.ClientSession(connector=aiohttp.TCPConnector(keepalive_timeout=self.keepalive_seconds))
        return self

    async def stop(self) -> None:
        self._closing = True
        async with self._changed:
            self._changed.notify_all()
        if self._client is not None:
            await self._client.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def __aenter__(self) -> TelegramStandIn:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # --- test controls ---------------------------------------------------------------------------
    def fail_next(self, count: int = 1, *, status: int = 429, retry_after: int = 1,
                  methods: tuple[str, ...] | None = None) -> None:
        """The next ``count`` calls (of ``methods``, default any but getUpdates) fail with ``status``."""
        chosen = frozenset(methods) if methods else None
        self._failures.append(_Failure(status, retry_after, chosen, count))

    def balance_webhook(self, urls: list[str]) -> None:
        """Deliver updates round-robin to ``urls``, like a load balancer in front of several web processes
        (each delivered update to the next URL; two taps at once land on two processes). The secret is
        still the one registered with setWebhook, which must be set. An empty list: the registered URL."""
        self._balanced = list(urls)

    def calls_of(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    def sent(self, chat_id: int) -> list[Sent]:
        return list(self.messages.get(chat_id, []))

    def last(self, chat_id: int) -> Sent:
        return self.messages[chat_id][-1]

    def texts(self, chat_id: int, since: int = 0) -> str:
        return "\n".join(m.text for m in self.messages.get(chat_id, [])[since:])

    def with_button(self, chat_id: int, contains: str) -> Sent:
        """The latest message in ``chat_id`` with a button label containing ``contains``."""
        for message in reversed(self.messages.get(chat_id, [])):
            if any(contains in label for label in message.labels):
                return message
        raise AssertionError(f"no message with a {contains!r} button in chat {chat_id}: "
                             f"{[m.labels for m in self.messages.get(chat_id, [])]}")

    async def wait_for(self, predicate: Callable[[], bool], seconds: float = 10.0, what: str = "", *,
                       chat_id: int | None = None) -> None:
        """Until ``predicate`` holds; with ``chat_id``, a predicate on that chat's messages only (tried again when
        the bot sent that chat something, not at every call)."""
        changed = self._changed if chat_id is None else self._chat_changed.setdefault(chat_id, asyncio.Condition())

        async def until() -> None:
            async with changed:
                await changed.wait_for(predicate)
        try:
            await asyncio.wait_for(until(), seconds)
        except TimeoutError:
            raise AssertionError(f"timed out waiting for {what or predicate}") from None

    async def replies(self, chat_id: int, since: int, *, at_least: int = 1, quiet: float = 0.3,
                      seconds: float = 10.0) -> list[Sent]:
        """Messages the bot sent to ``chat_id`` after index ``since``: at least ``at_least``, then
        nothing new for ``quiet`` seconds (the bot sends several messages per update)."""
        await self.wait_for(lambda: len(self.messages.get(chat_id, [])) >= since + at_least, seconds,
                            f"{at_least} message(s) in chat {chat_id} after #{since}")
        while True:
            count = len(self.calls)
            await asyncio.sleep(quiet)
            if len(self.calls) == count:
                return self.messages.get(chat_id, [])[since:]

    def count(self, chat_id: int) -> int:
        return len(self.messages.get(chat_id, []))

    # --- the users' side: updates ------------------------------------------------------------------
    @staticmethod
    def user(user_id: int, *, language_code: str = "zh-hans", first_name: str = "") -> dict[str, Any]:
        return {"id": user_id, "is_bot": False, "first_name": first_name or f"用户{user_id}",
                "language_code": language_code}

    def _message(self, chat_id: int, *, user_id: int | None = None, chat_type: str = "private",
                 language_code: str = "zh-hans", **content: Any) -> dict[str, Any]:
        chat: dict[str, Any] = {"id": chat_id, "type": chat_type}
        if chat_type == "private":
            chat["first_name"] = f"用户{chat_id}"
        else:
            chat["title"] = f"群 {chat_id}"
        return {"message_id": self._next_message_id(chat_id), "date": int(time.time()), "chat": chat,
                "from": self.user(user_id or chat_id, language_code=language_code), **content}

    async def send_text(self, chat_id: int, text: str, **kw: Any) -> dict[str, Any]:
        message = self._message(chat_id, text=text, **kw)
        if text.startswith("/"):
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split(" ")[0])}]
        return await self.push({"message": message})

    async def send_contact(self, chat_id: int, phone: str, *, owner_id: int | None = None, **kw: Any) -> dict[str, Any]:
        """A shared contact; ``owner_id`` is whose phone it is (default: the sender's own)."""
        contact = {"phone_number": phone, "first_name": f"用户{chat_id}", "user_id": owner_id or chat_id}
        return await self.push({"message": self._message(chat_id, contact=contact, **kw)})

    def add_file(self, data: bytes, path: str) -> tuple[str, str]:
        n = next(self._file_ids)
        file_id, unique = f"FILE{n:04d}-{path.rsplit('/', 1)[-1]}", f"U{n:04d}"
        self._files[file_id] = (path, data)
        return file_id, unique

    async def send_photo(self, chat_id: int, data: bytes, *, caption: str = "", media_group_id: str | None = None,
                         **kw: Any) -> dict[str, Any]:
        """A photo in two sizes, like Telegram: a small thumbnail and the full picture (``data``)."""
        n = next(self._file_ids)
        thumb_id, thumb_unique = self.add_file(b"thumbnail-" + data[:16], f"photos/thumb_{n}.jpg")
        file_id, unique = self.add_file(data, f"photos/file_{n}.jpg")
        content: dict[str, Any] = {"photo": [
            {"file_id": thumb_id, "file_unique_id": thumb_unique, "width": 90, "height": 60, "file_size": 26},
            {"file_id": file_id, "file_unique_id": unique, "width": 1280, "height": 853, "file_size": len(data)}]}
        if caption:
            content["caption"] = caption
        if media_group_id:
            content["media_group_id"] = media_group_id
        return await self.push({"message": self._message(chat_id, **content, **kw)})

    async def send_document(self, chat_id: int, data: bytes, file_name: str, **kw: Any) -> dict[str, Any]:
        file_id, unique = self.add_file(data, f"documents/{file_name}")
        document = {"file_id": file_id, "file_unique_id": unique, "file_name": file_name, "file_size": len(data)}
        return await self.push({"message": self._message(chat_id, document=document, **kw)})

    async def send_voice(self, chat_id: int, data: bytes, seconds: int, **kw: Any) -> dict[str, Any]:
        """A held-down voice note (OGG/Opus), as Telegram delivers it."""
        file_id, unique = self.add_file(data, f"voice/file_{next(self._file_ids)}.oga")
        voice = {"file_id": file_id, "file_unique_id": unique, "duration": seconds, "mime_type": "audio/ogg",
                 "file_size": len(data)}
        return await self.push({"message": self._message(chat_id, voice=voice, **kw)})

    async def press(self, chat_id: int, message: Sent, data: str, *, user_id: int | None = None,
                    language_code: str = "zh-hans") -> dict[str, Any]:
        """The user taps a button with ``data`` on ``message``."""
        callback_id = f"cb{next(self._file_ids)}{int(time.time() * 1000) % 100000}"
        self._pending_callbacks.add(callback_id)
        query = {"id": callback_id, "from": self.user(user_id or chat_id, language_code=language_code),
                 "chat_instance": f"ci{chat_id}", "data": data,
                 "message": {"message_id": message.message_id, "date": int(time.time()),
                             "chat": {"id": message.chat_id, "type": "private", "first_name": f"用户{chat_id}"},
                             "from": self._bot_user(), "text": message.text or "-"}}
        return await self.push({"callback_query": query})

    async def send_raw(self, body: dict[str, Any]) -> dict[str, Any]:
        """Any update as JSON (an ``update_id`` is added when missing)."""
        return await self.push(body)

    async def push(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue ``update`` for getUpdates, or POST it to the webhook when one is set."""
        update = {"update_id": next(self._update_ids), **update} if "update_id" not in update else update
        if self.webhook is not None:
            await self.deliver(update)
        else:
            async with self._changed:
                self._queue.append(update)
                self._changed.notify_all()
        return update

    async def deliver(self, update: dict[str, Any] | str, *, secret: str | None = None) -> int:
        """POST one update (or any raw body) to the webhook like Telegram does; the HTTP status."""
        assert self.webhook is not None and self._client is not None, "no webhook set"
        headers = {"Content-Type": "application/json"}
        token = self.webhook.get("secret_token") if secret is None else secret
        if token:
            headers["X-Telegram-Bot-Api-Secret-Token"] = token
        body = update if isinstance(update, str) else json.dumps(update, ensure_ascii=False)
        # the target is chosen before the first await: updates sent in one tick go to successive URLs
        url = self._balanced[next(self._next_target) % len(self._balanced)] if self._balanced else self.webhook["url"]
        self.webhook_targets[url] += 1
        for attempt in (1, 2):
            try:
                async with self._client.post(url, data=body.encode(), headers=headers) as response:
                    status = response.status
                break
            except aiohttp.ServerDisconnectedError:
                # a kept-alive connection the server closed as it was reused (idle past uvicorn's 5 s while
                # a slow step ran): sent again, as Telegram redelivers (the bot's receipt drops a repeat)
                if attempt == 2:
                    raise
        update_id = update.get("update_id", 0) if isinstance(update, dict) else 0
        self.webhook_deliveries.append((update_id, status))
        return status

    async def redeliver(self, update: dict[str, Any]) -> None:
        """The same update again (a re-delivery after a crash or a lost answer)."""
        if self.webhook is not None:
            await self.deliver(update)
        else:
            async with self._changed:
                self._queue.append(update)
                self._changed.notify_all()

    # --- the Bot API ------------------------------------------------------------------------------
    def _bot_user(self) -> dict[str, Any]:
        return {"id": BOT_ID, "is_bot": True, "first_name": "DMS 助手", "username": BOT_USERNAME}

    def _next_message_id(self, chat_id: int) -> int:
        counter = self._message_ids.setdefault(chat_id, itertools.count(1))
        return next(counter)

    async def _params(self, request: web.Request) -> tuple[dict[str, Any], dict[str, tuple[str, bytes]]]:
        params: dict[str, Any] = dict(request.query)
        files: dict[str, tuple[str, bytes]] = {}
        if request.method == "POST" and request.can_read_body:
            ctype = request.content_type
            if ctype == "application/json":
                params.update(await request.json())
            elif ctype.startswith("multipart/"):
                reader = await request.multipart()
                while (part := await reader.next()) is not None:
                    assert isinstance(part, aiohttp.BodyPartReader)
                    data = await part.read()
                    if part.filename is not None:
                        files[part.name or ""] = (part.filename, bytes(data))
                    else:
                        params[part.name or ""] = bytes(data).decode()
            else:
                params.update(dict(await request.post()))
        for key in JSON_FIELDS & set(params):
            if isinstance(params[key], str):
                params[key] = json.loads(params[key])
        return params, files

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params, files = await self._params(request)
        call = Call(method=method, params=params, files=files)
        response = await self._answer(request, method, params, files)
        call.status = response.status
        self.calls.append(call)          # a long poll is recorded when it answers
        await self._notify()
        return response

    async def _answer(self, request: web.Request, method: str, params: dict[str, Any],
                      files: dict[str, tuple[str, bytes]]) -> web.Response:
        if request.match_info["token"] != self.token:
            return self._error(401, "Unauthorized")
        failure = self._take_failure(method)
        if failure is not None:
            if failure.status == 429:
                return self._error(429, f"Too Many Requests: retry after {failure.retry_after}",
                                   parameters={"retry_after": failure.retry_after})
            return self._error(failure.status, "Internal Server Error")
        handler = getattr(self, f"_m_{method.lower()}", None)
        if handler is None:
            return self._error(404, "Not Found")
        response: web.Response = await handler(params, files)
        return response

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()
        touched, self._chats_touched = self._chats_touched, set()
        for chat_id in touched:
            if (changed := self._chat_changed.get(chat_id)) is not None:
                async with changed:
                    changed.notify_all()

    def _take_failure(self, method: str) -> _Failure | None:
        for failure in self._failures:
            applies = method in failure.methods if failure.methods else method != "getUpdates"
            if applies and failure.remaining > 0:
                failure.remaining -= 1
                if failure.remaining == 0:
                    self._failures.remove(failure)
                return failure
        return None

    @staticmethod
    def _ok(result: Any) -> web.Response:
        return web.json_response({"ok": True, "result": result})

    @staticmethod
    def _error(code: int, description: str, parameters: dict[str, Any] | None = None) -> web.Response:
        body: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
        if parameters:
            body["parameters"] = parameters
        return web.json_response(body, status=code)

    def _bad(self, description: str) -> web.Response:
        return self._error(400, f"Bad Request: {description}")

    async def _m_sendchataction(self, params: dict[str, Any], files: Any) -> web.Response:
        if params.get("action") not in ("typing", "upload_photo", "record_voice", "upload_voice", "upload_document"):
            return self._bad("wrong parameter action in request")
        return self._ok(True)

    async def _m_getme(self, params: dict[str, Any], files: Any) -> web.Response:
        return self._ok({**self._bot_user(), "can_join_groups": True, "can_read_all_group_messages": False,
                         "supports_inline_queries": False})

    async def _m_getupdates(self, params: dict[str, Any], files: Any) -> web.Response:
        if self.webhook is not None:
            return self._error(409, "Conflict: can't use getUpdates method while webhook is active; "
                                    "use deleteWebhook to delete the webhook first")
        offset = int(params.get("offset") or 0)
        timeout = min(float(params.get("timeout") or 0), 30.0)
        limit = int(params.get("limit") or 100)

        def ready() -> bool:
            return self._closing or any(u["update_id"] >= offset for u in self._queue)

        async with self._changed:
            if offset:
                self._queue = [u for u in self._queue if u["update_id"] >= offset]
            if not ready() and timeout > 0:
                self.polls_waiting += 1
                self._changed.notify_all()
                try:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._changed.wait_for(ready), timeout)
                finally:
                    self.polls_waiting -= 1
            batch = [u for u in self._queue if u["update_id"] >= offset][:limit]
        return self._ok(batch)

    async def _m_setwebhook(self, params: dict[str, Any], files: Any) -> web.Response:
        url = str(params.get("url") or "")
        if not url:
            self.webhook = None
            return self._ok(True)
        self.webhook = {"url": url, "secret_token": params.get("secret_token"),
                        "allowed_updates": params.get("allowed_updates")}
        return self._ok(True)

    async def _m_deletewebhook(self, params: dict[str, Any], files: Any) -> web.Response:
        self.webhook = None
        return self._ok(True)

    async def _m_getwebhookinfo(self, params: dict[str, Any], files: Any) -> web.Response:
        info: dict[str, Any] = {"url": (self.webhook or {}).get("url", ""), "has_custom_certificate": False,
                                "pending_update_count": len(self._queue)}
        return self._ok(info)

    async def _m_setmycommands(self, params: dict[str, Any], files: Any) -> web.Response:
        self.commands[str(params.get("language_code") or "")] = list(params.get("commands") or [])
        return self._ok(True)

    def _check_markup(self, markup: dict[str, Any] | None) -> str | None:
        for row in (markup or {}).get("inline_keyboard") or []:
            for b in row:
                data = b.get("callback_data")
                if data is not None and not 1 <= len(data.encode()) <= 64:
                    return "BUTTON_DATA_INVALID"
        return None

    def _store(self, chat_id: int, sent: Sent) -> dict[str, Any]:
        self.messages.setdefault(chat_id, []).append(sent)
        self._chats_touched.add(chat_id)
        result: dict[str, Any] = {"message_id": sent.message_id, "date": int(time.time()),
                                  "chat": {"id": chat_id, "type": "private", "first_name": f"用户{chat_id}"},
                                  "from": self._bot_user()}
        if sent.reply_markup and "inline_keyboard" in sent.reply_markup:
            result["reply_markup"] = sent.reply_markup
        return result

    async def _m_sendmessage(self, params: dict[str, Any], files: Any) -> web.Response:
        text = str(params.get("text") or "")
        if not text.strip():
            return self._bad("message text is empty")
        if len(text.encode("utf-16-le")) // 2 > 4096:
            return self._bad("message is too long")
        if problem := self._check_markup(params.get("reply_markup")):
            return self._bad(problem)
        chat_id = int(params["chat_id"])
        sent = Sent(chat_id, self._next_message_id(chat_id), "text", text, params.get("reply_markup"))
        return self._ok({**self._store(chat_id, sent), "text": text})

    async def _m_editmessagetext(self, params: dict[str, Any], files: Any) -> web.Response:
        chat_id, message_id = int(params.get("chat_id") or 0), int(params.get("message_id") or 0)
        text = str(params.get("text") or "")
        target = next((m for m in self.messages.get(chat_id, []) if m.message_id == message_id), None)
        if target is None:
            return self._bad("message to edit not found")
        if not text.strip():
            return self._bad("message text is empty")
        markup = params.get("reply_markup")
        if target.text == text and (target.reply_markup or None) == (markup or None):
            return self._bad("message is not modified: specified new message content and reply markup are "
                             "exactly the same as a current content and reply markup of the message")
        if problem := self._check_markup(markup):
            return self._bad(problem)
        target.edits.append(target.text)
        self._chats_touched.add(chat_id)
        target.at = time.monotonic()
        target.text = text
        target.reply_markup = markup
        return self._ok({"message_id": message_id, "date": int(time.time()), "edit_date": int(time.time()),
                         "chat": {"id": chat_id, "type": "private"}, "from": self._bot_user(), "text": text})

    async def _m_answercallbackquery(self, params: dict[str, Any], files: Any) -> web.Response:
        callback_id = str(params.get("callback_query_id") or "")
        if callback_id not in self._pending_callbacks:
            return self._bad("query is too old and response timeout expired or query ID is invalid")
        self._pending_callbacks.discard(callback_id)
        self.callback_answers[callback_id] = {"text": params.get("text", ""),
                                              "show_alert": params.get("show_alert")}
        return self._ok(True)

    def _upload(self, params: dict[str, Any], files: dict[str, tuple[str, bytes]],
                name: str) -> tuple[str, bytes] | None:
        ref = str(params.get(name) or "")
        if ref.startswith("attach://"):
            return files.get(ref.removeprefix("attach://"))
        return files.get(name)

    async def _m_sendphoto(self, params: dict[str, Any], files: dict[str, tuple[str, bytes]]) -> web.Response:
        upload = self._upload(params, files, "photo")
        if upload is None:
            return self._bad("there is no photo in the request")
        file_name, data = upload
        if not (data.startswith(b"\x89PNG") or data.startswith(b"\xff\xd8")):
            return self._bad("IMAGE_PROCESS_FAILED")
        chat_id = int(params["chat_id"])
        caption = str(params.get("caption") or "")
        sent = Sent(chat_id, self._next_message_id(chat_id), "photo", caption, params.get("reply_markup"),
                    data, file_name)
        file_id, unique = self.add_file(data, f"photos/sent_{file_name}")
        return self._ok({**self._store(chat_id, sent), "caption": caption, "photo": [
            {"file_id": file_id, "file_unique_id": unique, "width": 640, "height": 480, "file_size": len(data)}]})

    async def _m_sendmediagroup(self, params: dict[str, Any], files: dict[str, tuple[str, bytes]]) -> web.Response:
        """2-10 photos shown as one album: one message each, sharing a ``media_group_id``."""
        media = params.get("media") or []
        if not isinstance(media, list) or not 2 <= len(media) <= 10:
            return self._bad("media must contain 2-10 items")
        uploads = []
        for item in media:
            upload = self._upload(item, files, "media")
            if item.get("type") != "photo" or upload is None:
                return self._bad("wrong media in the group")
            if not (upload[1].startswith(b"\x89PNG") or upload[1].startswith(b"\xff\xd8")):
                return self._bad("IMAGE_PROCESS_FAILED")
            uploads.append((item, upload))
        chat_id = int(params["chat_id"])
        group = f"album{next(self._file_ids)}"
        result = []
        for item, (file_name, data) in uploads:
            caption = str(item.get("caption") or "")
            sent = Sent(chat_id, self._next_message_id(chat_id), "photo", caption, None, data, file_name)
            sent.media_group_id = group
            file_id, unique = self.add_file(data, f"photos/sent_{file_name}")
            result.append({**self._store(chat_id, sent), "caption": caption, "media_group_id": group, "photo": [
                {"file_id": file_id, "file_unique_id": unique, "width": 640, "height": 480, "file_size": len(data)}]})
        return self._ok(result)

    async def _m_senddocument(self, params: dict[str, Any], files: dict[str, tuple[str, bytes]]) -> web.Response:
        upload = self._upload(params, files, "document")
        if upload is None:
            return self._bad("there is no document in the request")
        file_name, data = upload
        chat_id = int(params["chat_id"])
        caption = str(params.get("caption") or "")
        sent = Sent(chat_id, self._next_message_id(chat_id), "document", caption, params.get("reply_markup"),
                    data, file_name)
        file_id, unique = self.add_file(data, f"documents/{file_name}")
        return self._ok({**self._store(chat_id, sent), "caption": caption, "document": {
            "file_id": file_id, "file_unique_id": unique, "file_name": file_name, "file_size": len(data)}})

    async def _m_getfile(self, params: dict[str, Any], files: Any) -> web.Response:
        file_id = str(params.get("file_id") or "")
        if file_id not in self._files:
            return self._bad("invalid file_id")
        path, data = self._files[file_id]
        return self._ok({"file_id": file_id, "file_unique_id": f"U{file_id}", "file_size": len(data),
                         "file_path": path})

    async def _download(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.Response(status=401)
        path = request.match_info["path"]
        self.downloads.append(path)
        await self._notify()
        for stored_path, data in self._files.values():
            if stored_path == path:
                return web.Response(body=data, content_type="application/octet-stream")
        return web.Response(status=404)


# --- the bot under test, built through bot.bootstrap ---------------------------------------------------

WEBHOOK_SECRET = "e2e-webhook-secret-0123456789"


@dataclass
class BotWorld:
    """The whole app (``bot.bootstrap``) on a migrated SQLite file, talking to the stand-in.

    ``mode`` "polling": the ``dms run`` background task polls the stand-in. ``mode`` "webhook": uvicorn
    serves the web app on 127.0.0.1 and the stand-in POSTs updates to ``/telegram/webhook``.
    """

    standin: TelegramStandIn
    app: Any                                     # bot.bootstrap.App
    mode: str
    tasks: list[asyncio.Task[Any]] = field(default_factory=list)
    server: Any = None                           # uvicorn.Server in webhook mode
    web_url: str = ""

    @property
    def channel(self) -> Any:
        return self.app.telegram()

    def uow(self) -> Any:
        return self.app.uow_factory()

    async def settle(self) -> None:
        """Webhook mode: wait until updates handed over have been handled (polling: a short pause)."""
        if self.mode == "webhook":
            await self.channel.updates.drain()
        else:
            await asyncio.sleep(0.3)

    async def _after(self, chat_id: int, since: int, edits: int, at_least: int, edit: bool) -> list[Sent]:
        """Wait for ``at_least`` new messages in ``chat_id`` (and an edit when ``edit``), then for quiet."""
        def done() -> bool:
            return (self.standin.count(chat_id) >= since + at_least
                    and (not edit or len(self.standin.calls_of("editMessageText")) > edits))
        await self.standin.wait_for(done, 10, f"{at_least} message(s){' and an edit' if edit else ''} in {chat_id}")
        return await self.standin.replies(chat_id, since, at_least=at_least)

    async def say(self, chat_id: int, text: str, *, at_least: int = 1, edit: bool = False, **kw: Any) -> list[Sent]:
        since, edits = self.standin.count(chat_id), len(self.standin.calls_of("editMessageText"))
        await self.standin.send_text(chat_id, text, **kw)
        return await self._after(chat_id, since, edits, at_least, edit)

    async def photo(self, chat_id: int, data: bytes, *, at_least: int = 1) -> list[Sent]:
        """Send a photo (the bot downloads the full size with getFile) and wait for the answer."""
        since, edits = self.standin.count(chat_id), len(self.standin.calls_of("editMessageText"))
        await self.standin.send_photo(chat_id, data)
        return await self._after(chat_id, since, edits, at_least, False)

    async def upload(self, chat_id: int, data: bytes, file_name: str, *, at_least: int = 1) -> list[Sent]:
        """Send a document (the bot downloads it with getFile) and wait for the answer."""
        since, edits = self.standin.count(chat_id), len(self.standin.calls_of("editMessageText"))
        await self.standin.send_document(chat_id, data, file_name)
        return await self._after(chat_id, since, edits, at_least, False)

    async def voice(self, chat_id: int, data: bytes, seconds: int, *, at_least: int = 1) -> list[Sent]:
        """Send a voice note and wait for the answer."""
        since, edits = self.standin.count(chat_id), len(self.standin.calls_of("editMessageText"))
        await self.standin.send_voice(chat_id, data, seconds)
        return await self._after(chat_id, since, edits, at_least, False)

    async def press(self, chat_id: int, label: str, *, at_least: int = 1, edit: bool = False,
                    message: Sent | None = None) -> list[Sent]:
        """Tap the button whose label contains ``label`` on ``message`` (default: the latest message with one)."""
        message = message or self.standin.with_button(chat_id, label)
        since, edits = self.standin.count(chat_id), len(self.standin.calls_of("editMessageText"))
        await self.standin.press(chat_id, message, message.button(label))
        return await self._after(chat_id, since, edits, at_least, edit)

    async def stop(self) -> None:
        if self.server is not None:
            self.server.should_exit = True
        for task in self.tasks:
            if self.server is None or task is not self.tasks[-1]:    # uvicorn stops by itself
                task.cancel()
        for task in self.tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        await self.app.aclose()


async def start_bot(tmp_path: Any, standin: TelegramStandIn, *, mode: str = "polling",
                    flood_per_minute: int = 50, secret: str | None = WEBHOOK_SECRET,
                    database_url: str | None = None, **more_settings: Any) -> BotWorld:
    """Settings -> bootstrap -> migrate -> the Telegram background task (and uvicorn for the webhook)."""
    import socket

    import uvicorn

    from bot.bootstrap import bootstrap, migrate, outbox_worker_task, telegram_task
    from bot.settings import Settings

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=database_url or f"sqlite+aiosqlite:///{tmp_path / 'dms.sqlite3'}",
        data_dir=tmp_path / "var", demo_data_on_empty=False, web_host="127.0.0.1", web_port=port,
        secret_key="e2e-telegram-secret-key", telegram_bot_token=standin.token,
        telegram_api_base=standin.base_url, telegram_webhook_secret=secret, telegram_mode=mode,
        chat_flood_per_minute=flood_per_minute, notify_quiet_hours="", notify_poll_seconds=0.2, **more_settings)
    await migrate(settings)
    app = bootstrap(settings)
    assert telegram_task in app.background, "bootstrap must start Telegram when a token is set"
    world = BotWorld(standin=standin, app=app, mode=mode)
    # pushes to other chats (approval prompts, decisions) are sent by the outbox worker, as in `dms run`
    world.tasks.append(asyncio.create_task(outbox_worker_task(app)))
    if mode == "webhook":
        server = uvicorn.Server(uvicorn.Config(app.web(), log_config=None, lifespan="on", access_log=False))
        world.server = server
        world.web_url = f"http://127.0.0.1:{port}"
        world.tasks.append(asyncio.create_task(telegram_task(app)))
        world.tasks.append(asyncio.create_task(server.serve(sockets=[sock])))
        for _ in range(500):
            if server.started:
                break
            await asyncio.sleep(0.01)
        from bot.telegram.webhook import WEBHOOK_PATH, set_webhook

        assert await set_webhook(world.channel.bot, world.web_url + WEBHOOK_PATH, secret or "")
    else:
        sock.close()
        world.tasks.append(asyncio.create_task(telegram_task(app)))
        await standin.wait_for(lambda: standin.polls_waiting > 0, 10, "the bot to poll")
    return world


# --- test data, through the use cases and the unit of work ------------------------------------------------

CATALOGUE = (("AP300", "空气净化器AP300", ["净化器300"], "净化器", "台", "1999.00"),
             ("F300", "AP300 滤网", ["滤网"], "滤网耗材", "箱", "299.00"),
             ("DH20", "除湿机DH20", ["除湿机"], "除湿机", "台", "1599.00"))
_seq = itertools.count(1)


async def seed_catalogue(world: BotWorld, stock: int = 500) -> None:
    from decimal import Decimal

    from core.inventory import StockLevel, Warehouse
    from core.products import Product

    async with world.uow() as uow:
        warehouse = await uow.warehouses.add(Warehouse(code="WH-SH", name="上海仓", region="华东", province="上海",
                                                       city="上海"))
        await uow.flush()
        for sku, name, aliases, category, unit, price in CATALOGUE:
            await uow.products.add(Product(sku=sku, name=name, aliases=list(aliases), category=category, unit=unit,
                                           list_price=Decimal(price)))
            await uow.stock.add(StockLevel(warehouse_id=warehouse.id, sku=sku, on_hand=stock))
        await uow.commit()


async def add_dealer(world: BotWorld, code: str, name: str, *, phone: str | None = None) -> int:
    """An active dealer with valid documents and room on its credit line (so orders go through)."""
    from decimal import Decimal

    from core.dealers import Contact, DealerStatus
    from core.services import dealers as dealer_cases
    from core.uscc import make_uscc
    from core.users import Actor
    from tests.factories import make_valid_documents

    dealer = await dealer_cases.create_dealer(world.uow(), Actor.system(), dealer_cases.CreateDealer(
        code=code, name=name, uscc=make_uscc(f"{next(_seq) + 500:08d}"), province="浙江", city="杭州",
        region="华东", tier="B"), world.app.clock)
    assert dealer.id is not None
    async with world.uow() as uow:
        stored = await uow.dealers.get(dealer.id)
        assert stored is not None
        stored.status = DealerStatus.ACTIVE
        stored.credit_limit = Decimal("1000000.00")
        if phone:
            stored.contacts = [*stored.contacts, Contact(name="李老板", phone=phone, role="老板")]
        for document in make_valid_documents(dealer.id):
            await uow.qualifications.add(document)
        await uow.commit()
    return dealer.id


async def invite(world: BotWorld, *, dealer: str | None = None, staff: tuple[str, Any] | None = None) -> str:
    from core.services.users import create_invite
    from core.users import Actor, InviteKind

    if dealer is not None:
        code = await create_invite(world.uow(), Actor.system(), InviteKind.DEALER, dealer, world.app.clock)
    else:
        assert staff is not None
        code = await create_invite(world.uow(), Actor.system(), InviteKind.STAFF, staff, world.app.clock)
    return code.code


async def orders_of(world: BotWorld, dealer_id: int) -> list[Any]:
    async with world.uow() as uow:
        return list(await uow.orders.list(dealer_id=dealer_id))
