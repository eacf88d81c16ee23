"""A local stand-in for WeCom's AI bot long connection (``wss://openws.work.weixin.qq.com``), following the
document 「智能机器人长连接」: JSON frames ``{cmd, headers: {req_id}, body}``.

It checks the bot's side of the protocol: the first frame must be ``aibot_subscribe`` with the right bot id and
secret (else errcode 40001 and the socket closed), ``ping`` gets its acknowledgement, every ``aibot_respond_msg``
must carry the req_id of a callback it sent (else errcode 40008), ``aibot_send_msg`` needs a chatid; every frame
the bot sends is kept in ``received``; a second subscription with the same bot makes the server tell the older
connection ``disconnected_event`` and drop it, as WeCom does.
The test plays the users: ``say`` / ``press`` / ``enter`` push callbacks to the live connection, ``resend``
pushes a callback again (same msgid), ``drop`` closes the socket from the server's side, ``image`` serves an
encrypted picture at ``media_url``.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import os
import secrets
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes


@dataclass
class AiBotStandIn:
    bot_id: str = "aib-test-bot"
    secret: str = "aib-test-secret"
    received: list[dict[str, Any]] = field(default_factory=list)
    subscribes: int = 0
    refused: int = 0
    url: str = ""
    media_url: str = ""
    _sockets: list[web.WebSocketResponse] = field(default_factory=list)
    _callbacks: dict[str, dict[str, Any]] = field(default_factory=dict)
    _media: dict[str, bytes] = field(default_factory=dict)
    _runner: Any = None
    _changed: asyncio.Condition | None = None

    async def __aenter__(self) -> AiBotStandIn:
        self._changed = asyncio.Condition()
        app = web.Application()
        app.router.add_get("/", self._socket)
        app.router.add_get("/media/{name}", self._serve_media)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url, self.media_url = f"ws://127.0.0.1:{port}/", f"http://127.0.0.1:{port}/media/"
        return self

    async def __aexit__(self, *exc: object) -> None:
        for ws in list(self._sockets):
            await ws.close()
        await self._runner.cleanup()

    @property
    def live(self) -> int:
        return sum(1 for ws in self._sockets if not ws.closed)

    async def _notify(self) -> None:
        assert self._changed is not None
        async with self._changed:
            self._changed.notify_all()

    async def wait_for(self, check: Any, seconds: float = 10.0, what: str = "") -> None:
        assert self._changed is not None

        async def until() -> None:
            async with self._changed:  # type: ignore[union-attr]
                await self._changed.wait_for(check)  # type: ignore[union-attr]

        try:
            await asyncio.wait_for(until(), seconds)
        except TimeoutError:
            raise AssertionError(f"timed out waiting for {what or check}") from None

    # --- the server side ---------------------------------------------------------------------------
    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        subscribed = False
        try:
            async for message in ws:
                if message.type != WSMsgType.TEXT:
                    continue
                frame = json.loads(message.data)
                self.received.append(frame)
                rid = frame.get("headers", {}).get("req_id", "")
                cmd = frame.get("cmd")
                if not subscribed:
                    body = frame.get("body") or {}
                    if cmd != "aibot_subscribe" or (body.get("bot_id"), body.get("secret")) != (self.bot_id,
                                                                                                 self.secret):
                        self.refused += 1
                        await ws.send_json({"headers": {"req_id": rid}, "errcode": 40001, "errmsg": "invalid secret"})
                        await ws.close()
                        break
                    for older in [s for s in self._sockets if not s.closed]:   # WeCom keeps one per bot
                        await self._event(older, "disconnected_event", "", {})
                        await older.close()
                    subscribed = True
                    self.subscribes += 1
                    self._sockets.append(ws)
                    await ws.send_json({"headers": {"req_id": rid}, "errcode": 0, "errmsg": "ok"})
                elif cmd == "ping":
                    await ws.send_json({"headers": {"req_id": rid}, "errcode": 0, "errmsg": "ok"})
                elif cmd == "aibot_respond_msg":
                    ok = rid in self._callbacks and (frame.get("body") or {}).get("msgtype") in (
                        "stream", "template_card", "markdown", "text")
                    await ws.send_json({"headers": {"req_id": rid}, "errcode": 0 if ok else 40008,
                                        "errmsg": "ok" if ok else "invalid req_id or body"})
                elif cmd == "aibot_send_msg":
                    ok = bool((frame.get("body") or {}).get("chatid"))
                    await ws.send_json({"headers": {"req_id": rid}, "errcode": 0 if ok else 40058, "errmsg": ""})
                await self._notify()
        finally:
            await self._notify()
        return ws

    async def _serve_media(self, request: web.Request) -> web.Response:
        data = self._media.get(request.match_info["name"])
        if data is None:
            return web.Response(status=404)
        return web.Response(body=data, headers={"Content-Disposition": 'attachment; filename="order.jpg"'})

    async def _push(self, ws: web.WebSocketResponse | None, cmd: str, body: dict[str, Any],
                    rid: str | None = None) -> str:
        rid = rid or f"{cmd}_{secrets.token_hex(6)}"
        self._callbacks[rid] = body
        target = ws or next((s for s in reversed(self._sockets) if not s.closed), None)
        assert target is not None, "no live connection"
        await target.send_json({"cmd": cmd, "headers": {"req_id": rid}, "body": body})
        return rid

    async def _event(self, ws: web.WebSocketResponse | None, kind: str, user: str, detail: dict[str, Any]) -> str:
        body = {"msgid": secrets.token_hex(8), "aibotid": self.bot_id, "from": {"userid": user},
                "msgtype": "event", "event": {"eventtype": kind, **({kind: detail} if detail else {})}}
        return await self._push(ws, "aibot_event_callback", body)

    # --- the users ----------------------------------------------------------------------------------
    async def say(self, user: str, text: str, msgid: str | None = None) -> str:
        body = {"msgid": msgid or secrets.token_hex(8), "aibotid": self.bot_id, "chattype": "single",
                "from": {"userid": user}, "msgtype": "text", "text": {"content": text}}
        return await self._push(None, "aibot_msg_callback", body)

    async def resend(self, rid: str) -> str:
        """The same callback again (same msgid), as WeCom does when it is not sure it was delivered."""
        return await self._push(None, "aibot_msg_callback", self._callbacks[rid], rid=rid + "-again")

    async def press(self, user: str, key: str) -> str:
        return await self._event(None, "template_card_event", user,
                                 {"card_type": "button_interaction", "event_key": key, "task_id": "t1"})

    async def image(self, user: str, data: bytes) -> str:
        key = os.urandom(32)
        pad = 32 - len(data) % 32
        encryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
        name = secrets.token_hex(4)
        self._media[name] = encryptor.update(data + bytes([pad]) * pad) + encryptor.finalize()
        body = {"msgid": secrets.token_hex(8), "aibotid": self.bot_id, "chattype": "single", "from": {"userid": user},
                "msgtype": "image", "image": {"url": self.media_url + name,
                                              "aeskey": base64.b64encode(key).decode().rstrip("=")}}
        return await self._push(None, "aibot_msg_callback", body)

    async def garbage(self) -> None:
        target = next((s for s in reversed(self._sockets) if not s.closed), None)
        assert target is not None
        await target.send_str("{not json")
        await target.send_json({"cmd": "aibot_msg_callback", "headers": {"req_id": "x"}, "body": {"msgtype": "text"}})

    async def drop(self) -> None:
        for ws in list(self._sockets):
            with contextlib.suppress(Exception):
                await ws.close()

    def replies_to(self, rid: str) -> list[dict[str, Any]]:
        return [f["body"] for f in self.received if f.get("cmd") == "aibot_respond_msg"
                and f.get("headers", {}).get("req_id") == rid]

    def text_of(self, rid: str) -> str:
        out = []
        for body in self.replies_to(rid):
            if body.get("msgtype") == "stream":
                out.append(body["stream"]["content"])
            elif body.get("msgtype") == "template_card":
                card = body["template_card"]
                out.append((card.get("main_title") or {}).get("title", ""))
                out.append(card.get("sub_title_text") or "")
        return "\n".join(out)

    def keys_of(self, rid: str) -> dict[str, str]:
        return {b["text"]: b["key"] for body in self.replies_to(rid) if body.get("msgtype") == "template_card"
                for b in body["template_card"].get("button_list", [])}
