"""One update, start to finish: translate, limit, converse, send. Polling and the webhook share it.

``TelegramUpdates.process(update)`` never raises: whatever goes wrong is logged and the next update
is handled. Every button press is answered (``answerCallbackQuery``) before anything else happens,
so the user's spinner stops even when handling fails later. Updates of one chat are handled one at
a time, in arrival order, so two quick messages cannot race on the chat's dialog state. A voice note, a
photo or a file (transcribed, read or parsed: seconds, not milliseconds) shows "typing…" meanwhile.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Protocol

from aiogram.types import Update

from bot.chat_serializer import ChatSerializer
from bot.telegram.flood import FloodLimiter, FloodVerdict
from bot.telegram.inbound import TelegramInbound, Translation, chat_of, language_of
from bot.telegram.sender import TelegramSender
from handlers import i18n
from handlers.messages import Inbound, Reply
from handlers.service import SLOW_KINDS

log = logging.getLogger(__name__)

# SLOW_KINDS (handlers.service): inbounds whose handling takes long enough (speech, OCR, a spreadsheet) to show
# "typing…" meanwhile

MAX_BACKGROUND = 64
"""Webhook updates handled at the same time; more wait in memory (Telegram already has its 200)."""


class Conversation(Protocol):
    """What the adapter needs of ``handlers.service.ConversationService``."""

    async def handle(self, inbound: Inbound) -> list[Reply]: ...


class TelegramUpdates:
    def __init__(self, conversation: Conversation, translator: TelegramInbound, sender: TelegramSender,
                 limiter: FloodLimiter, *, default_language: str = "zh-CN",
                 max_background: int = MAX_BACKGROUND) -> None:
        self.conversation = conversation
        self.translator = translator
        self.sender = sender
        self.limiter = limiter
        self.default_language = default_language
        self._serial: ChatSerializer[int] = ChatSerializer(max_background)

    # --- entry points ----------------------------------------------------------------------------
    async def process(self, update: Update) -> None:
        callback_id = update.callback_query.id if update.callback_query is not None else ""
        answered = False
        try:
            chat_id = chat_of(update)
            verdict = self.limiter.check(str(chat_id)) if chat_id is not None else FloodVerdict.ALLOW
            if verdict != FloodVerdict.ALLOW:
                log.info("telegram flood limit", extra={"chat_id": chat_id, "verdict": str(verdict)})
                dropped = Translation(update_id=update.update_id, chat_id=chat_id, callback_id=callback_id,
                                      language=language_of(update))
                answered = await self._answer_dropped(dropped, "error.flood" if verdict == FloodVerdict.WARN else "")
                return
            translation = await self.translator.translate(update)
            if translation.ignored:
                log.info("telegram update ignored", extra={"update_id": update.update_id,
                                                            "reason": translation.reason})
                return
            if translation.notice:
                answered = await self._answer_dropped(translation, translation.notice)
                return
            assert translation.inbound is not None and translation.chat_id is not None
            if callback_id:
                answered = True
                await self.sender.answer_callback(callback_id)
            async with self._serial.chat(translation.chat_id):
                typing = (asyncio.create_task(self.sender.chat_action(translation.chat_id))
                          if translation.inbound.kind in SLOW_KINDS else None)
                try:
                    replies = await self.conversation.handle(translation.inbound)
                finally:
                    if typing is not None:
                        await typing
                await self.sender.deliver(translation.chat_id, replies)
        except Exception:  # the loop goes on: one bad update must not stop the bot
            log.exception("telegram update failed", extra={"update_id": update.update_id})
        finally:
            if callback_id and not answered:
                await self.sender.answer_callback(callback_id)

    def submit(self, update: Update) -> None:
        """Process ``update`` in the background (the webhook answers Telegram at once); at most
        ``max_background`` at a time, the rest wait their turn (and the database pool is not overrun)."""
        self._serial.submit(lambda: self.process(update), name=f"telegram-update-{update.update_id}")

    async def drain(self, seconds: float = 10.0) -> None:
        """Wait (at most ``seconds``) for background updates to finish: on shutdown, and in tests."""
        await self._serial.drain(seconds)

    @property
    def busy(self) -> int:
        return self._serial.busy

    # --- internals -------------------------------------------------------------------------------
    def _language(self, translation: Translation) -> str:
        return "en" if translation.language and i18n.is_english(translation.language) else self.default_language

    async def _answer_dropped(self, translation: Translation, notice: str) -> bool:
        """Tell the user ``notice`` (as the button's toast, or as a message); True when a callback was answered."""
        text = i18n.t(self._language(translation), notice) if notice else ""
        if translation.callback_id:
            await self.sender.answer_callback(translation.callback_id, text)
            return True
        if text and translation.chat_id is not None:
            await self.sender.send(translation.chat_id, Reply(text=text))
        return False
