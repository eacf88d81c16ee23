"""``Reply`` -> Bot API calls: the outbound half of the Telegram adapter.

- text goes out as plain text (no parse mode), so ``<``, ``&`` and anything a user or the database
  wrote can never break a message; texts over 4096 characters are split at line boundaries and the
  buttons ride on the last part;
- buttons become an inline keyboard; the payload ``contact:request`` (``handlers.flows.menu.SHARE_PHONE``)
  becomes a reply-keyboard button that shares the user's own phone number, sent on its own message
  when the reply has inline buttons too (Telegram allows one keyboard per message);
- ``image`` -> ``sendPhoto`` (falling back to ``sendDocument``, then to the text), ``file`` -> ``sendDocument``;
- ``send_files`` (a push's evidence, before its card): images as one album (``sendMediaGroup``, ten a message;
  a single image ``sendPhoto``), PDFs and other files ``sendDocument``; an album Telegram refuses goes out as
  documents, a file it refuses is left out (the card after it must still arrive);
- ``edit_ref`` ("chat:message") -> ``editMessageText``; when editing fails the reply is sent as a new
  message, so the user always sees it;
- replies addressed to another chat (``chat_id``) go there when their channel is Telegram; other
  channels are logged and left to the outbox;
- ``TelegramRetryAfter`` (429) waits ``retry_after`` and retries once; any other API error is logged
  and the next reply still goes out. Nothing here raises into the update loop.
- ``strict=True`` is the outbox worker's sender (``bot.notify_senders``): no retry and no logging here;
  Telegram errors are raised as ``notifications.errors`` (429 -> ``ChannelRateLimited(retry_after)``,
  blocked / not found / bad request -> permanent ``ChannelError``), and the worker decides.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any, TypeVar

from aiogram import Bot
from aiogram.exceptions import (
    AiogramError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNotFound,
    TelegramRetryAfter,
)
from aiogram.types import (
    BufferedInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaPhoto,
    KeyboardButton,
    ReplyKeyboardMarkup,
)

from handlers.messages import Button, Reply, split_for_limit
from notifications.errors import ChannelError, ChannelRateLimited

log = logging.getLogger(__name__)

T = TypeVar("T")

CHANNEL = "telegram"
SHARE_CONTACT_PAYLOAD = "contact:request"
MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_ANSWER = 200
MAX_RETRY_AFTER_SECONDS = 60.0
"""A longer flood wait is not worth holding the update for: log it and move on."""
MAX_ALBUM = 10
"""Telegram's most photos in one media group."""
EMPTY_TEXT = "⬇️"
"""Telegram refuses empty messages; a reply with only buttons needs some text."""


def telegram_length(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units: an emoji outside the BMP counts twice)."""
    return len(text.encode("utf-16-le")) // 2


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Parts of at most ``limit`` (Telegram) characters, cut at line ends where possible and never inside a
    number or a word (``handlers.messages.split_for_limit``)."""
    if telegram_length(text) <= limit:
        return [text]
    return [p.rstrip("\n") or EMPTY_TEXT for p in split_for_limit(text, limit, telegram_length)]


def is_image(data: bytes) -> bool:
    """JPEG, PNG, GIF or WebP by their first bytes (what Telegram shows as a photo)."""
    return (data[:3] == b"\xff\xd8\xff" or data[:8] == b"\x89PNG\r\n\x1a\n" or data[:6] in (b"GIF87a", b"GIF89a")
            or (data[:4] == b"RIFF" and data[8:12] == b"WEBP"))


def parse_message_ref(ref: str) -> tuple[int, int] | None:
    chat, _, message = ref.partition(":")
    try:
        return int(chat), int(message)
    except ValueError:
        return None


def inline_keyboard(rows: list[list[Button]]) -> InlineKeyboardMarkup | None:
    buttons = [[InlineKeyboardButton(text=b.label, callback_data=b.payload) for b in row
                if b.payload != SHARE_CONTACT_PAYLOAD] for row in rows]
    buttons = [row for row in buttons if row]
    return InlineKeyboardMarkup(inline_keyboard=buttons) if buttons else None


def contact_keyboard(rows: list[list[Button]]) -> ReplyKeyboardMarkup | None:
    for row in rows:
        for b in row:
            if b.payload == SHARE_CONTACT_PAYLOAD:
                return ReplyKeyboardMarkup(keyboard=[[KeyboardButton(text=b.label, request_contact=True)]],
                                           resize_keyboard=True, one_time_keyboard=True)
    return None


class TelegramSender:
    """Sends ``Reply`` objects with ``bot``; never raises on Telegram errors (they are logged)."""

    def __init__(self, bot: Bot, *, sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
                 strict: bool = False) -> None:
        self.bot = bot
        self._sleep = sleep
        self.strict = strict

    # --- the entry points -------------------------------------------------------------------------
    async def deliver(self, chat_id: int | str, replies: list[Reply]) -> None:
        """Send ``replies`` produced for ``chat_id``: own replies there, addressed ones to their chat."""
        for reply in replies:
            if reply.channel not in ("", CHANNEL):
                log.info("reply for another channel left to the outbox",
                         extra={"channel": reply.channel, "to_chat": reply.chat_id})
                continue
            await self.send(reply.chat_id or chat_id, reply)

    async def send(self, chat_id: int | str, reply: Reply) -> list[int]:
        """Send one reply; the ids of the messages that went out (empty when everything failed)."""
        try:
            if reply.edit_ref and reply.image is None and reply.file is None:
                edited = await self._edit(reply)
                if edited is not None:
                    return [edited]
            if reply.image is not None:
                return await self._photo(chat_id, reply)
            if reply.file is not None:
                return await self._document(chat_id, reply)
            return await self._text(chat_id, reply.text, reply.buttons)
        except Exception:  # a bug here must not stop the other replies or the update loop
            if self.strict:
                raise
            log.exception("telegram send failed", extra={"chat_id": str(chat_id)})
            return []

    async def send_files(self, chat_id: int | str, files: list[tuple[bytes, str]]) -> list[int]:
        """Send stored files (``(bytes, name)``) with no text: images as an album, the rest as documents."""
        images = [f for f in files if is_image(f[0])]
        others = [f for f in files if not is_image(f[0])]
        sent: list[int] = []
        for start in range(0, len(images), MAX_ALBUM):
            chunk = images[start:start + MAX_ALBUM]
            ids = await self._album(chat_id, chunk)
            if ids is None:                  # not images Telegram accepts: as files instead
                others = [*chunk, *others]
            else:
                sent += ids
        for data, name in others:
            document = BufferedInputFile(data, filename=name or "file.bin")
            try:
                message = await self._with_retry(partial(self.bot.send_document, chat_id=chat_id, document=document))
            except TelegramBadRequest as exc:
                log.warning("telegram refused a file", extra={"file": name, "error": exc.message})
                continue
            except AiogramError as exc:
                if self.strict:
                    raise push_error(exc) from exc
                log.warning("telegram file send failed", extra={"file": name, "error": str(exc)})
                continue
            sent.append(message.message_id)
        return sent

    async def _album(self, chat_id: int | str, images: list[tuple[bytes, str]]) -> list[int] | None:
        """One ``sendPhoto`` or ``sendMediaGroup``; None when Telegram refuses the images (bad request)."""
        try:
            if len(images) == 1:
                data, name = images[0]
                photo = BufferedInputFile(data, filename=name or "image.jpg")
                message = await self._with_retry(lambda: self.bot.send_photo(chat_id=chat_id, photo=photo))
                return [message.message_id]
            media: list[Any] = [InputMediaPhoto(media=BufferedInputFile(data, filename=name or f"image{n}.jpg"))
                                for n, (data, name) in enumerate(images, 1)]
            messages = await self._with_retry(lambda: self.bot.send_media_group(chat_id=chat_id, media=media))
            return [m.message_id for m in messages]
        except TelegramBadRequest as exc:
            log.info("telegram refused an album, sending files", extra={"error": exc.message})
            return None
        except AiogramError as exc:
            if self.strict:
                raise push_error(exc) from exc
            log.warning("telegram album send failed", extra={"error": str(exc)})
            return []

    async def chat_action(self, chat_id: int | str, action: str = "typing") -> bool:
        """Show "typing…" in the chat (Telegram clears it after 5 s or at the next message); False when it failed."""
        return await self.call(lambda: self.bot.send_chat_action(chat_id=chat_id, action=action),
                               "sendChatAction") is not None

    async def answer_callback(self, callback_id: str, text: str = "") -> bool:
        if not callback_id:
            return False
        return await self.call(lambda: self.bot.answer_callback_query(
            callback_query_id=callback_id, text=text[:MAX_CALLBACK_ANSWER] or None), "answerCallbackQuery") is not None

    # --- kinds of replies ------------------------------------------------------------------------
    async def _text(self, chat_id: int | str, text: str, buttons: list[list[Button]]) -> list[int]:
        inline = inline_keyboard(buttons)
        contact = contact_keyboard(buttons)
        parts = split_text(text or EMPTY_TEXT)
        sent: list[int] = []
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            markup: InlineKeyboardMarkup | ReplyKeyboardMarkup | None = None
            if last:
                markup = inline or contact
            message = await self.call(partial(self.bot.send_message, chat_id=chat_id, text=part, parse_mode=None,
                                              reply_markup=markup), "sendMessage")
            if message is not None:
                sent.append(message.message_id)
        if inline is not None and contact is not None:
            label = next(b.label for row in buttons for b in row if b.payload == SHARE_CONTACT_PAYLOAD)
            message = await self.call(lambda: self.bot.send_message(
                chat_id=chat_id, text=label, parse_mode=None, reply_markup=contact), "sendMessage")
            if message is not None:
                sent.append(message.message_id)
        return sent

    async def _photo(self, chat_id: int | str, reply: Reply) -> list[int]:
        assert reply.image is not None
        caption_fits = telegram_length(reply.text) <= MAX_CAPTION
        markup = inline_keyboard(reply.buttons) if caption_fits else None
        photo = BufferedInputFile(reply.image, filename=reply.image_name or "image.png")
        message = await self.call(lambda: self.bot.send_photo(
            chat_id=chat_id, photo=photo, caption=(reply.text or None) if caption_fits else None,
            parse_mode=None, reply_markup=markup), "sendPhoto")
        if message is None:       # not an image Telegram accepts: try it as a file
            document = BufferedInputFile(reply.image, filename=reply.image_name or "image.png")
            message = await self.call(lambda: self.bot.send_document(
                chat_id=chat_id, document=document, parse_mode=None,
                caption=(reply.text or None) if caption_fits else None, reply_markup=markup), "sendDocument")
        if message is None:
            return await self._text(chat_id, reply.text, reply.buttons) if reply.text else []
        sent = [message.message_id]
        if not caption_fits:
            sent += await self._text(chat_id, reply.text, reply.buttons)
        return sent

    async def _document(self, chat_id: int | str, reply: Reply) -> list[int]:
        assert reply.file is not None
        caption_fits = telegram_length(reply.text) <= MAX_CAPTION
        markup = inline_keyboard(reply.buttons) if caption_fits else None
        document = BufferedInputFile(reply.file, filename=reply.file_name or "file.bin")
        message = await self.call(lambda: self.bot.send_document(
            chat_id=chat_id, document=document, caption=(reply.text or None) if caption_fits else None,
            parse_mode=None, reply_markup=markup), "sendDocument")
        sent = [message.message_id] if message is not None else []
        if message is None or not caption_fits:
            sent += await self._text(chat_id, reply.text, reply.buttons) if reply.text else []
        return sent

    async def _edit(self, reply: Reply) -> int | None:
        """The edited message id, or None when the reply must go out as a new message instead."""
        ref = parse_message_ref(reply.edit_ref)
        if ref is None or telegram_length(reply.text or "") > MAX_TEXT or not reply.text:
            return None
        chat_id, message_id = ref
        if reply.chat_id and str(reply.chat_id) != str(chat_id):
            return None
        if contact_keyboard(reply.buttons) is not None:     # an edited message cannot carry a reply keyboard
            return None
        try:
            await self._with_retry(lambda: self.bot.edit_message_text(
                chat_id=chat_id, message_id=message_id, text=reply.text, parse_mode=None,
                reply_markup=inline_keyboard(reply.buttons)))
        except TelegramBadRequest as exc:
            if "not modified" in exc.message.lower():       # same text and buttons: already what we want
                return message_id
            log.info("telegram edit failed, sending a new message", extra={"error": exc.message})
            return None
        except AiogramError as exc:
            log.warning("telegram edit failed, sending a new message", extra={"error": str(exc)})
            return None
        return message_id

    # --- calls -----------------------------------------------------------------------------------
    async def call(self, make: Callable[[], Awaitable[T]], method: str) -> T | None:
        """Run one Bot API call (retrying once after a flood wait); None when it failed (logged)."""
        try:
            return await self._with_retry(make)
        except AiogramError as exc:
            if self.strict:
                raise push_error(exc) from exc
            log.warning("telegram call failed", extra={"method": method, "error": str(exc)})
            return None

    async def _with_retry(self, make: Callable[[], Awaitable[T]]) -> T:
        try:
            return await make()
        except TelegramRetryAfter as exc:
            if self.strict or exc.retry_after > MAX_RETRY_AFTER_SECONDS:
                raise
            log.info("telegram flood wait", extra={"retry_after": exc.retry_after})
            await self._sleep(float(exc.retry_after))
            return await make()


def push_error(exc: AiogramError) -> ChannelError:
    """A Telegram error as the outbox worker understands it."""
    if isinstance(exc, TelegramRetryAfter):
        return ChannelRateLimited(exc.retry_after, exc.message)
    if isinstance(exc, TelegramForbiddenError | TelegramNotFound | TelegramBadRequest):
        return ChannelError(str(exc), permanent=True)
    return ChannelError(str(exc) or type(exc).__name__, permanent=False)
