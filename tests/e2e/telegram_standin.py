"""A local Telegram Bot API for the end-to-end tests (aiohttp on 127.0.0.1, a random port).

It implements what the bot uses, shaped like Telegram's answers (``{"ok": true, "result": ...}``,
``{"ok": false, "error_code": ..., "description": ..., "parameters": {...}}``):
``/bot<token>/<method>`` for getMe, getUpdates (long poll with ``timeout`` and ``offset``),
setWebhook, deleteWebhook, getWebhookInfo, setMyCommands, sendMessage, editMessageText,
answerCallbackQuery, sendPhoto, sendDocument (multipart uploads), getFile, and
``/file/bot<token>/<path>`` downloads. Requests come as form data (aiogram) or JSON.

The test plays the users: ``send_text``, ``send_contact``, ``send_photo``, ``send_document``,
``press`` (a button of a message the bot sent), ``send_raw`` (any JSON). An update goes to the
``getUpdates`` queue, or, once a webhook is set, is POSTed to it with the secret header, like
Telegram does. Every call is recorded (``calls``); what the bot sent is kept per chat
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
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web

BOT_ID = 777000111
BOT_USERNAME = "dms_test_bot"
DEFAULT_TOKEN = f"{BOT_ID}:TEST-standin-token"
JSON_FIELDS = {"reply_markup", "commands", "allowed_updates", "scope", "link_preview_options", "entities",
               "caption_entities", "reply_parameters"}


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
    def __init__(self, token: str = DEFAULT_TOKEN) -> None:
        self.token = token
        self.calls: list[Call] = []
        self.messages: dict[int, list[Sent]] = {}
        self.callback_answers: dict[str, dict[str, Any]] = {}
        self.webhook: dict[str, Any] | None = None
        self.webhook_deliveries: list[tuple[int, int]] = []      # (update_id, HTTP status)
        self.commands: dict[str, list[dict[str, Any]]] = {}      # language_code ("" default) -> commands
        self.downloads: list[str] = []
        self._queue: list[dict[str, Any]] = []
        self._files: dict[str, tuple[str, bytes]] = {}           # file_id -> (file_path, bytes)
        self._failures: list[_Failure] = []
        self._update_ids = itertools.count(1)
        self._message_ids: dict[int, itertools.count[int]] = {}
        self._file_ids = itertools.count(1)
        self._pending_callbacks: set[str] = set()
        self._changed = asyncio.Condition()
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
        self._client = aiohttp.ClientSession()
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

    async def wait_for(self, predicate: Callable[[], bool], seconds: float = 10.0, what: str = "") -> None:
        async def until() -> None:
            async with self._changed:
                await self._changed.wait_for(predicate)
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
        async with self._client.post(self.webhook["url"], data=body.encode(), headers=headers) as response:
            status = response.status
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
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._changed.wait_for(ready), timeout)
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
