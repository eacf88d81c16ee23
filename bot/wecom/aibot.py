"""WeCom mode 2: the AI bot (智能机器人) over a WebSocket long connection opened from inside the maker's network:
no public address, no callback encryption. Messages go through the same conversations as every channel.

Followed: WeCom's developer document 「智能机器人长连接」 (developer.work.weixin.qq.com/document/path/101463, last
updated 2026-04-01) and the behaviour of the official SDK it links (aibot-node-sdk). Frames are JSON text,
``{"cmd", "headers": {"req_id"}, "body"}``:

- ``aibot_subscribe`` {bot_id, secret} right after connecting; the answer (no cmd, the same req_id) has
  ``errcode`` 0, else the secret is wrong: logged, retried with back-off (never a hot loop);
- ``ping`` every ``heartbeat_seconds`` (30); two unanswered pings and the connection is taken as dead;
- ``aibot_msg_callback`` (text, voice with WeCom's recognised text, image / file with a URL and a per-message
  ``aeskey``: AES-256-CBC, IV = the key's first 16 bytes, PKCS#7 to 32, mixed) -> an inbound message; the replies
  go back as ``aibot_respond_msg`` frames with the callback's req_id, one after the other, each waiting for its
  acknowledgement: text as a finished ``stream``, buttons as a ``button_interaction`` template card whose keys are
  the buttons' payloads;
- ``aibot_event_callback``: ``template_card_event`` -> a button press (its ``event_key``); ``enter_chat`` -> the
  welcome (``/start``); ``disconnected_event`` (another connection subscribed with this bot) -> this one stops
  reconnecting for ``kicked_pause`` seconds instead of fighting it;
- ``aibot_send_msg`` {chatid, msgtype markdown | template_card} for pushes from the outbox (``AiBotSender``), over
  the live connection of this process.

One live connection per bot: only the holder of the leader lock (PostgreSQL advisory lock ``wecom-aibot``, a lock
file on SQLite) connects; a second process waits and takes over when the first dies. A re-sent message (the same
msgid) is handled once: the conversation's delivery receipts. Guesses (the document does not say): a reply to a
message is acknowledged within ``ack_seconds``; group chats are answered in the group, the sender being the user.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import logging
import random
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import Any, Protocol

import aiohttp
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from bot.chat_serializer import ChatSerializer
from bot.files import FileStore
from bot.wecom.inbound import text_inbound
from bot.wecom.sender import button_card, card_buttons, card_layout, split_text
from core.ports import AbstractLeaderLock
from handlers.messages import Inbound, InboundKind, Reply
from notifications.errors import ChannelError
from notifications.templates import Button, Rendered

log = logging.getLogger(__name__)

CHANNEL = "wecom"
DEFAULT_URL = "wss://openws.work.weixin.qq.com"
MAX_STREAM_BYTES = 20_000         # a stream message's content (WeCom allows 20,480 bytes)
MAX_MEDIA_BYTES = 20 * 1024 * 1024


class Conversation(Protocol):
    async def handle(self, inbound: Inbound) -> list[Reply]: ...


class SubscribeRefused(Exception):
    pass


@dataclass(frozen=True)
class AiBotConfig:
    bot_id: str
    secret: str
    ws_url: str = DEFAULT_URL
    heartbeat_seconds: float = 30.0
    ack_seconds: float = 10.0
    first_backoff: float = 1.0
    max_backoff: float = 30.0
    kicked_pause: float = 300.0
    leader_poll_seconds: float = 5.0


def req_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(8)}"


def decrypt_media(data: bytes, aes_key: str) -> bytes:
    """A message's image or file: AES-256-CBC with the message's own key (base64), IV its first 16 bytes."""
    key = base64.b64decode(aes_key + "=" * (-len(aes_key) % 4))
    decryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).decryptor()
    plain = decryptor.update(data) + decryptor.finalize()
    pad = plain[-1] if plain else 0
    if not 1 <= pad <= 32 or plain[-pad:] != bytes([pad]) * pad:
        raise ValueError("bad padding: wrong key or damaged file")
    return plain[:-pad]


def reply_bodies(reply: Reply) -> list[dict[str, Any]]:
    """The ``aibot_respond_msg`` bodies of one reply: text as finished streams (pieces within WeCom's size),
    buttons as template cards of six (the keys are the payloads)."""
    text = reply.text or ""
    if reply.file is not None or reply.image is not None:
        text = (text + "\n" if text else "") + "（附件请在企业微信电脑端或网页端查看）"
    return bodies_of(text, tuple(tuple(Button(b.label, b.payload) for b in row) for row in reply.buttons))


def bodies_of(text: str, rows: tuple[tuple[Button, ...], ...]) -> list[dict[str, Any]]:
    buttons = card_buttons(rows)
    streams = [{"msgtype": "stream", "stream": {"id": req_id("stream"), "finish": True, "content": piece}}
               for piece in split_text(text, MAX_STREAM_BYTES)]
    if not buttons:
        return streams
    title, subtitle, too_long_for_a_card = card_layout(text)
    bodies: list[dict[str, Any]] = streams if too_long_for_a_card else []
    for start in range(0, len(buttons), 6):
        bodies.append({"msgtype": "template_card",
                       "template_card": button_card(title, subtitle, buttons[start:start + 6])})
    return bodies


class AiBotConnection:
    """The long connection: ``await run(stop)`` keeps one subscribed socket while this process leads."""

    def __init__(self, config: AiBotConfig, conversation: Conversation, files: FileStore, lock: AbstractLeaderLock,
                 *, max_background: int = 50, http: aiohttp.ClientSession | None = None) -> None:
        self.config, self.conversation, self.files, self.lock = config, conversation, files, lock
        self.serializer: ChatSerializer[str] = ChatSerializer(max_background)
        self._http = http
        self._ws: aiohttp.ClientWebSocketResponse | None = None
        self._acks: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self._send_lock = asyncio.Lock()
        self.connected = asyncio.Event()
        self.connections = 0          # sockets subscribed since start (a reconnect adds one)
        self._missed_pings = 0
        self._kicked = False

    # --- the loop ------------------------------------------------------------------------------------
    async def run(self, stop: asyncio.Event | None = None) -> None:
        stop = stop or asyncio.Event()
        backoff = self.config.first_backoff
        http = self._http or aiohttp.ClientSession()
        try:
            while not stop.is_set():
                if not await self.lock.try_acquire():       # another process holds the connection
                    await _sleep(stop, self.config.leader_poll_seconds)
                    continue
                try:
                    await self._session(http, stop)
                    backoff = self.config.first_backoff
                except SubscribeRefused as exc:
                    log.error("wecom aibot subscribe refused (check WECOM_BOT_ID / WECOM_BOT_SECRET): %s", exc)
                except (TimeoutError, aiohttp.ClientError, OSError, ConnectionError) as exc:
                    log.warning("wecom aibot connection lost: %r", exc)
                finally:
                    self.connected.clear()
                    self._ws = None
                    for future in self._acks.values():
                        if not future.done():
                            future.set_exception(ConnectionError("connection closed"))
                    self._acks.clear()
                if stop.is_set():
                    break
                if self._kicked:             # another connection took over: do not fight it
                    self._kicked = False
                    await self.lock.release()
                    await _sleep(stop, self.config.kicked_pause)
                    continue
                await _sleep(stop, backoff * random.uniform(0.8, 1.2))
                backoff = min(backoff * 2, self.config.max_backoff)
        finally:
            await self.serializer.drain()
            with contextlib.suppress(Exception):
                await self.lock.release()
            if self._http is None:
                await http.close()

    async def _session(self, http: aiohttp.ClientSession, stop: asyncio.Event) -> None:
        async with http.ws_connect(self.config.ws_url, heartbeat=None, max_msg_size=8 * 1024 * 1024) as ws:
            self._ws = ws
            subscribe = req_id("aibot_subscribe")
            await ws.send_str(json.dumps({"cmd": "aibot_subscribe", "headers": {"req_id": subscribe},
                                          "body": {"bot_id": self.config.bot_id, "secret": self.config.secret}}))
            answer = await asyncio.wait_for(ws.receive(), self.config.ack_seconds)
            frame = _frame(answer)
            if frame is None or frame.get("headers", {}).get("req_id") != subscribe:
                raise ConnectionError("no answer to the subscription")
            if frame.get("errcode", -1) != 0:
                raise SubscribeRefused(f"errcode={frame.get('errcode')} {frame.get('errmsg', '')}")
            self.connections += 1
            self._missed_pings = 0
            self.connected.set()
            log.info("wecom aibot connected")
            beats = asyncio.create_task(self._heartbeat(ws))
            stopper = asyncio.create_task(stop.wait())
            try:
                while True:
                    receive = asyncio.create_task(ws.receive())
                    done, _ = await asyncio.wait({receive, stopper}, return_when=asyncio.FIRST_COMPLETED)
                    if stopper in done:
                        receive.cancel()
                        return
                    message = receive.result()
                    if message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR,
                                        aiohttp.WSMsgType.CLOSING):
                        raise ConnectionError(f"socket closed ({message.type.name})")
                    frame = _frame(message)
                    if frame is None:
                        log.warning("wecom aibot: a frame that is not JSON was ignored")
                        continue
                    await self._dispatch(frame)
                    if self._kicked:
                        return
            finally:
                beats.cancel()
                stopper.cancel()

    async def _heartbeat(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        while True:
            await asyncio.sleep(self.config.heartbeat_seconds)
            if self._missed_pings >= 2:
                log.warning("wecom aibot: no answer to two pings, reconnecting")
                await ws.close()
                return
            self._missed_pings += 1
            await self._send({"cmd": "ping", "headers": {"req_id": req_id("ping")}})

    # --- frames in -----------------------------------------------------------------------------------
    async def _dispatch(self, frame: dict[str, Any]) -> None:
        cmd = frame.get("cmd")
        rid = str(frame.get("headers", {}).get("req_id", ""))
        raw = frame.get("body")
        body: dict[str, Any] = raw if isinstance(raw, dict) else {}
        if cmd == "aibot_msg_callback":
            self._submit(rid, body, self._message)
        elif cmd == "aibot_event_callback":
            event: dict[str, Any] = body["event"] if isinstance(body.get("event"), dict) else {}
            if event.get("eventtype") == "disconnected_event":
                log.error("wecom aibot: another connection subscribed with this bot; this one steps back")
                self._kicked = True
                return
            self._submit(rid, body, self._event)
        elif rid.startswith("ping"):
            self._missed_pings = 0
        elif rid in self._acks:
            future = self._acks.pop(rid)
            if not future.done():
                future.set_result(frame)
        else:
            log.info("wecom aibot: frame ignored (cmd=%s)", cmd)

    def _submit(self, rid: str, body: dict[str, Any], translate: Callable[[dict[str, Any]],
                                                                          Awaitable[Inbound | None]]) -> None:
        sender: dict[str, Any] = body["from"] if isinstance(body.get("from"), dict) else {}
        user = str(sender.get("userid") or "")
        if not user:
            log.warning("wecom aibot: a callback without a sender was ignored")
            return
        chat = str(body.get("chatid") or user)

        async def work() -> None:
            async with self.serializer.chat(chat):
                try:
                    inbound = await translate(body)
                    if inbound is None:
                        return
                    replies = await self.conversation.handle(inbound)
                    for reply in replies:
                        if reply.chat_id:             # a message for another chat: the outbox takes those
                            continue
                        for reply_body in reply_bodies(reply):
                            await self._request("aibot_respond_msg", reply_body, rid)
                except Exception:
                    log.exception("wecom aibot: handling a callback failed")

        self.serializer.submit(work, name=f"wecom-aibot-{chat}")

    async def _message(self, body: dict[str, Any]) -> Inbound | None:
        common = self._common(body)
        kind = str(body.get("msgtype", ""))
        if kind == "text":
            return text_inbound(common, str((body.get("text") or {}).get("content", "")))
        if kind == "voice":
            said = str((body.get("voice") or {}).get("content", "")).strip()
            return replace(common, kind=InboundKind.VOICE, text=said)
        if kind in ("image", "file"):
            return await self._media(common, body.get(kind) or {}, InboundKind.PHOTO if kind == "image"
                                     else InboundKind.DOCUMENT, "")
        if kind == "mixed":
            items = (body.get("mixed") or {}).get("msg_item") or []
            text = "".join(str((i.get("text") or {}).get("content", "")) for i in items if i.get("msgtype") == "text")
            image = next((i.get("image") for i in items if i.get("msgtype") == "image"), None)
            if image:
                return await self._media(common, image, InboundKind.PHOTO, text.strip())
            return replace(common, text=text.strip())
        log.info("wecom aibot: message type %s not handled", kind)
        return None

    async def _event(self, body: dict[str, Any]) -> Inbound | None:
        common = self._common(body)
        event = body.get("event") or {}
        kind = event.get("eventtype")
        if kind == "template_card_event":
            card = event.get("template_card_event") or {}
            key = str(card.get("event_key", ""))
            return replace(common, kind=InboundKind.BUTTON, payload=key) if key else None
        if kind == "enter_chat":
            return replace(common, kind=InboundKind.COMMAND, text="/start", command="start")
        return None

    def _common(self, body: dict[str, Any]) -> Inbound:
        user = str((body.get("from") or {}).get("userid", ""))
        return Inbound(channel=CHANNEL, chat_id=str(body.get("chatid") or user), user_id=user,
                       kind=InboundKind.TEXT, display_name=user, update_id=f"aibot:{body.get('msgid', '')}")

    async def _media(self, common: Inbound, media: dict[str, Any], kind: InboundKind, caption: str) -> Inbound | None:
        url, key = str(media.get("url", "")), str(media.get("aeskey", ""))
        http = self._http or aiohttp.ClientSession()
        try:
            async with http.get(url, timeout=aiohttp.ClientTimeout(total=30)) as response:
                response.raise_for_status()
                data = await response.content.read(MAX_MEDIA_BYTES + 1)
                disposition = response.headers.get("Content-Disposition", "")
            if len(data) > MAX_MEDIA_BYTES:
                raise ValueError("too big")
            plain = decrypt_media(data, key) if key else data
        except (TimeoutError, aiohttp.ClientError, ValueError, OSError) as exc:
            log.warning("wecom aibot: media download failed: %r", exc)
            return replace(common, text=caption or "（图片或文件没有收到，请重发）")
        finally:
            if self._http is None:
                await http.close()
        name = _file_name(disposition) or ("photo.jpg" if kind == InboundKind.PHOTO else "file.bin")
        stored = await self.files.put(plain, name)
        return replace(common, kind=kind, text=caption, file_refs=(stored,), file_name=name)

    # --- frames out ----------------------------------------------------------------------------------
    async def _send(self, frame: dict[str, Any]) -> None:
        ws = self._ws
        if ws is None or ws.closed:
            raise ConnectionError("not connected")
        async with self._send_lock:
            await ws.send_str(json.dumps(frame, ensure_ascii=False))

    async def _request(self, cmd: str, body: dict[str, Any], rid: str | None = None) -> dict[str, Any]:
        """Send a frame and wait for its acknowledgement; raises ConnectionError when it does not come."""
        rid = rid or req_id(cmd)
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._acks[rid] = future
        try:
            await self._send({"cmd": cmd, "headers": {"req_id": rid}, "body": body})
            ack = await asyncio.wait_for(future, self.config.ack_seconds)
        finally:
            self._acks.pop(rid, None)
        if ack.get("errcode", 0) != 0:
            raise ConnectionError(f"{cmd} refused: errcode={ack.get('errcode')} {ack.get('errmsg', '')}")
        return ack

    async def push(self, chat_id: str, body: dict[str, Any]) -> None:
        """``aibot_send_msg``: a message nobody asked for (a push from the outbox) to a user or group."""
        await self._request("aibot_send_msg", {"chatid": chat_id, **body})


class AiBotSender:
    """The outbox's sender for WeCom when the AI bot is the WeCom mode: pushes over this process's connection.
    Not connected here (another process holds it, or it is reconnecting): a transient error, retried later."""

    def __init__(self, connection: AiBotConnection) -> None:
        self.connection = connection

    async def send(self, chat_id: str, message: Rendered) -> None:
        if not self.connection.connected.is_set():
            raise ChannelError("the WeCom AI bot is not connected in this process", permanent=False)
        parts = [(p.text, p.buttons) for p in message.parts] or [(message.text, message.buttons)]
        for text, rows in parts:
            for body in bodies_of(text, rows):
                if body["msgtype"] == "stream":        # a push has no stream to finish: markdown
                    body = {"msgtype": "markdown", "markdown": {"content": body["stream"]["content"]}}
                try:
                    await self.connection.push(chat_id, body)
                except (TimeoutError, ConnectionError) as exc:
                    raise ChannelError(f"WeCom AI bot push failed: {exc}", permanent=False) from exc


def _frame(message: aiohttp.WSMessage) -> dict[str, Any] | None:
    if message.type != aiohttp.WSMsgType.TEXT:
        return None
    try:
        frame = json.loads(message.data)
    except (TypeError, ValueError):
        return None
    return frame if isinstance(frame, dict) else None


def _file_name(disposition: str) -> str:
    from urllib.parse import unquote

    for marker in ("filename*=UTF-8''", 'filename="', "filename="):
        if marker in disposition:
            return unquote(disposition.split(marker, 1)[1].split(";")[0].strip('"'))
    return ""


async def _sleep(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(asyncio.TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)
