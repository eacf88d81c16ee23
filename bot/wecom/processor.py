"""One callback, after the 200: translate, limit, converse, queue the replies in the outbox.

WeCom wants an answer within five seconds and retries otherwise, so the route acknowledges at once
and ``WeComUpdates.submit`` does the rest in the background (at most ``max_background`` at a time;
messages of one member one at a time, in arrival order). The replies are not sent from here: they
become one ``chat.reply`` outbox row per target chat (``ReplyQueue``), so they are delivered durably,
in order, and within WeCom's rate limits by the outbox worker (``bot.wecom.sender``).
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any, Protocol

from bot.chat_serializer import ChatSerializer
from bot.files import FileStore
from bot.telegram.flood import FloodLimiter, FloodVerdict
from bot.wecom.inbound import CHANNEL, WeComInbound
from core.clock import Clock
from core.outbox import Category, OutboxMessage
from core.ports import AbstractOutboxStore
from handlers import i18n
from handlers.messages import Inbound, Reply

log = logging.getLogger(__name__)

MAX_BACKGROUND = 64
REPLY_KIND = "chat.reply"


class Conversation(Protocol):
    async def handle(self, inbound: Inbound) -> list[Reply]: ...


class ReplyQueue:
    """Replies -> ``chat.reply`` outbox rows (one per target chat, the replies in order)."""

    def __init__(self, store: AbstractOutboxStore, files: FileStore, clock: Clock) -> None:
        self.store = store
        self.files = files
        self.clock = clock

    async def put(self, chat_id: str, delivery: str, replies: list[Reply]) -> int:
        """Queue ``replies`` to a message from ``chat_id`` (delivery key ``delivery``); rows added."""
        groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for reply in replies:
            target = (reply.channel or CHANNEL, reply.chat_id or chat_id)
            groups.setdefault(target, []).append(await self._params(reply))
        rows = []
        for (channel, to_chat), items in groups.items():
            key = f"{REPLY_KIND}:{CHANNEL}:{delivery}:{channel}:{to_chat}"
            if len(key) > 200:
                key = f"{REPLY_KIND}:{hashlib.sha256(key.encode()).hexdigest()}"
            rows.append(OutboxMessage(dedup_key=key, kind=REPLY_KIND, category=Category.SYSTEM,
                                      params={"replies": items}, channel=channel, chat_id=to_chat, urgent=True,
                                      created_at=self.clock.now()))
        return await self.store.enqueue_many(rows) if rows else 0

    async def _params(self, reply: Reply) -> dict[str, Any]:
        item: dict[str, Any] = {"text": reply.text,
                                "buttons": [[{"label": b.label, "payload": b.payload} for b in row]
                                            for row in reply.buttons]}
        if reply.edit_ref:
            item["edit_ref"] = reply.edit_ref
        if reply.image is not None:
            item["image"] = await self.files.put(reply.image, reply.image_name or "image.png")
            item["image_name"] = reply.image_name
        if reply.file is not None:
            item["file"] = await self.files.put(reply.file, reply.file_name or "file.bin")
            item["file_name"] = reply.file_name
        return item


class WeComUpdates:
    def __init__(self, conversation: Conversation, translator: WeComInbound, replies: ReplyQueue,
                 limiter: FloodLimiter, *, default_language: str = "zh-CN",
                 max_background: int = MAX_BACKGROUND) -> None:
        self.conversation = conversation
        self.translator = translator
        self.replies = replies
        self.limiter = limiter
        self.default_language = default_language
        self._serial: ChatSerializer[str] = ChatSerializer(max_background)
        self.handled = 0

    def submit(self, fields: dict[str, str]) -> None:
        self._serial.submit(lambda: self.process(fields), name="wecom-callback")

    async def drain(self, seconds: float = 10.0) -> None:
        """Wait (at most ``seconds``) for callbacks in flight: on shutdown, and in tests."""
        await self._serial.drain(seconds)

    async def process(self, fields: dict[str, str]) -> None:
        """Never raises: whatever goes wrong is logged and the next callback is handled."""
        chat = fields.get("FromUserName", "")
        try:
            async with self._serial.chat(chat):
                await self._process(chat, fields)
        except Exception:
            log.exception("wecom callback failed", extra={"chat_id": chat})
        finally:
            self.handled += 1

    async def _process(self, chat: str, fields: dict[str, str]) -> None:
        key = self.translator.delivery_key(fields)
        verdict = self.limiter.check(chat) if chat else FloodVerdict.ALLOW
        if verdict != FloodVerdict.ALLOW:
            log.info("wecom flood limit", extra={"chat_id": chat, "verdict": str(verdict)})
            if verdict == FloodVerdict.WARN:
                await self.replies.put(chat, key, [Reply(text=i18n.t(self.default_language, "error.flood"))])
            return
        translation = await self.translator.translate(fields)
        if translation.ignored:
            log.info("wecom callback ignored", extra={"reason": translation.reason})
            return
        if translation.notice:
            await self.replies.put(chat, key, [Reply(text=i18n.t(self.default_language, translation.notice))])
            return
        assert translation.inbound is not None
        replies = await self.conversation.handle(translation.inbound)
        if replies:
            await self.replies.put(chat, key, replies)
