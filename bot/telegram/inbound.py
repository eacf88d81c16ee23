"""Telegram update -> ``handlers.messages.Inbound``: the inbound half of the Telegram adapter.

What it decides is about Telegram only, never about the business:

- a private-chat message (text, command, photo, document, contact, location) or a button press
  becomes one ``Inbound``; photos and documents are downloaded through the Bot API (``getFile``) and
  kept in the ``FileStore``, the ``Inbound`` carries their keys;
- a group or channel message gets a short "talk to me in private" notice and nothing else;
- a shared contact is trusted only when it is the sender's own (``contact.user_id`` is the sender),
  because binding by phone believes the number (see ``core.services.users.bind_by_phone``);
- every other update type (edited messages, channel posts, polls, reactions, member changes, types
  newer than aiogram) is ignored with a log line.

``Translation`` says which of these happened; ``bot.telegram.processor`` acts on it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

from aiogram import Bot
from aiogram.exceptions import AiogramError
from aiogram.types import CallbackQuery, Message, Update
from aiogram.types import User as TgUser

from bot.files import FileStore
from handlers import i18n
from handlers.messages import Inbound, InboundKind, without_lone_surrogates

log = logging.getLogger(__name__)

CHANNEL = "telegram"
MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024
"""The Bot API serves files up to 20 MB to bots; bigger ones cannot be fetched at all."""

i18n.register({
    "telegram.private_only": ("请在与我的私聊中办理业务，群聊中我不处理消息。",
                              "Please talk to me in a private chat; I do not handle group messages."),
    "telegram.unsupported": ("暂时只能识别文字、图片、文件、位置和联系人。",
                             "I can read text, photos, files, locations and contacts only."),
    "telegram.contact_not_own": ("请点击“分享手机号”按钮分享您本人的号码。",
                                 "Please use the \"Share my phone number\" button to share your own number."),
    "telegram.file_failed": ("文件没有收到，请重新发送。", "I could not receive that file; please send it again."),
    "telegram.file_too_big": ("文件太大（最多 20 MB），请压缩后再发。",
                              "That file is too big (20 MB at most); please send a smaller one."),
})


@dataclass(frozen=True)
class Translation:
    """What to do with one update.

    Exactly one of: ``inbound`` set (hand it to the conversation), ``notice`` set (an i18n key to
    answer with, nothing else), or neither (ignore; ``reason`` says why, for the log).
    ``callback_id`` is set for every button press, which must be answered whatever happens.
    """

    update_id: int
    chat_id: int | None = None
    inbound: Inbound | None = None
    notice: str = ""
    callback_id: str = ""
    language: str = ""
    reason: str = ""

    @property
    def ignored(self) -> bool:
        return self.inbound is None and not self.notice


def _display_name(user: TgUser | None) -> str:
    if user is None:
        return ""
    return user.full_name or user.username or str(user.id)


def split_command(text: str) -> tuple[str, str]:
    """``"/start@DmsBot CODE"`` -> ``("start", "CODE")``."""
    head, _, args = text[1:].partition(" ")
    command = head.split("@", 1)[0].lower()
    return command, args.strip()


def chat_of(update: Update) -> int | None:
    """The chat an update belongs to (for the flood limit), without downloading anything."""
    if update.message is not None:
        return update.message.chat.id
    if update.callback_query is not None:
        query = update.callback_query
        return query.message.chat.id if query.message is not None else query.from_user.id
    return None


def language_of(update: Update) -> str:
    sender = update.message.from_user if update.message is not None else (
        update.callback_query.from_user if update.callback_query is not None else None)
    return (sender.language_code or "") if sender is not None else ""


class TelegramInbound:
    """Translates aiogram ``Update`` objects; downloads files with ``bot`` into ``files``."""

    def __init__(self, bot: Bot, files: FileStore, *, max_download_bytes: int = MAX_DOWNLOAD_BYTES) -> None:
        self.bot = bot
        self.files = files
        self.max_download_bytes = max_download_bytes

    async def translate(self, update: Update) -> Translation:
        if update.message is not None:
            return await self._message(update.update_id, update.message)
        if update.callback_query is not None:
            return self._button(update.update_id, update.callback_query)
        return Translation(update_id=update.update_id, reason=f"update type {self._kind(update)} not handled")

    @staticmethod
    def _kind(update: Update) -> str:
        fields = update.model_fields_set | set(update.model_extra or {})
        return ",".join(sorted(f for f in fields if f != "update_id")) or "empty"

    # --- button presses --------------------------------------------------------------------------
    def _button(self, update_id: int, query: CallbackQuery) -> Translation:
        language = query.from_user.language_code or ""
        message = query.message
        chat = message.chat if message is not None else None
        chat_id = chat.id if chat is not None else query.from_user.id
        base = Translation(update_id=update_id, chat_id=chat_id, callback_id=query.id, language=language)
        if chat is not None and chat.type != "private":
            return _replace(base, notice="telegram.private_only")
        if not query.data:
            return _replace(base, reason="button without data (game or inline message)")
        message_ref = f"{chat_id}:{message.message_id}" if message is not None else ""
        inbound = Inbound(channel=CHANNEL, chat_id=str(chat_id), user_id=str(query.from_user.id),
                          kind=InboundKind.BUTTON, payload=query.data, language=language,
                          display_name=_display_name(query.from_user), update_id=str(update_id),
                          message_ref=message_ref)
        return _replace(base, inbound=inbound)

    # --- messages ------------------------------------------------------------------------------
    async def _message(self, update_id: int, message: Message) -> Translation:
        sender = message.from_user
        language = (sender.language_code or "") if sender is not None else ""
        base = Translation(update_id=update_id, chat_id=message.chat.id, language=language)
        if message.chat.type == "channel":
            return _replace(base, reason="message in a channel")
        if message.chat.type != "private":
            return _replace(base, notice="telegram.private_only")
        if sender is None or sender.is_bot:
            return _replace(base, reason="message without a human sender")
        common = Inbound(channel=CHANNEL, chat_id=str(message.chat.id), user_id=str(sender.id), kind=InboundKind.TEXT,
                         language=language, display_name=_display_name(sender), update_id=str(update_id))

        if message.text is not None:
            text = message.text
            if text.startswith("/") and len(text) > 1 and not text[1].isspace():
                command, args = split_command(text)
                return _replace(base, inbound=replace(common, kind=InboundKind.COMMAND, text=text, command=command,
                                                      args=args))
            return _replace(base, inbound=replace(common, text=text))

        if message.photo:
            largest = max(message.photo, key=lambda p: (p.width * p.height, p.file_size or 0))
            return await self._file(base, common, InboundKind.PHOTO, largest.file_id, largest.file_size,
                                    f"photo_{largest.file_unique_id}.jpg", message.caption or "")
        if message.document is not None:
            doc = message.document
            return await self._file(base, common, InboundKind.DOCUMENT, doc.file_id, doc.file_size,
                                    doc.file_name or f"document_{doc.file_unique_id}", message.caption or "")
        if message.voice is not None:        # a held-down voice note (OGG/Opus), heard by the conversation
            voice = message.voice
            return await self._file(base, common, InboundKind.VOICE, voice.file_id, voice.file_size,
                                    f"voice_{voice.file_unique_id}.ogg", "")
        if message.audio is not None:        # an audio file sent as such (m4a, mp3...)
            audio = message.audio
            return await self._file(base, common, InboundKind.VOICE, audio.file_id, audio.file_size,
                                    audio.file_name or f"audio_{audio.file_unique_id}", "")
        if message.contact is not None:
            if message.contact.user_id != sender.id:
                return _replace(base, notice="telegram.contact_not_own")
            return _replace(base, inbound=replace(common, kind=InboundKind.CONTACT,
                                                  phone=message.contact.phone_number))
        if message.location is not None:
            return _replace(base, inbound=replace(common, kind=InboundKind.LOCATION,
                                                  latitude=message.location.latitude,
                                                  longitude=message.location.longitude))
        return _replace(base, notice="telegram.unsupported")

    async def _file(self, base: Translation, common: Inbound, kind: InboundKind, file_id: str,
                    size: int | None, name: str, caption: str) -> Translation:
        if size is not None and size > self.max_download_bytes:
            return _replace(base, notice="telegram.file_too_big")
        try:
            buffer = await self.bot.download(file_id)
            data = buffer.read() if buffer is not None else b""
        except (AiogramError, OSError, TimeoutError) as exc:
            log.warning("telegram file download failed", extra={"file_id": file_id, "error": repr(exc)})
            return _replace(base, notice="telegram.file_failed")
        if not data:
            return _replace(base, notice="telegram.file_failed")
        key = await self.files.put(data, name)
        return _replace(base, inbound=replace(common, kind=kind, text=caption, file_refs=(key,), file_name=name))


def _replace(t: Translation, **changes: object) -> Translation:
    if isinstance(changes.get("inbound"), Inbound):
        changes["inbound"] = without_lone_surrogates(changes["inbound"])  # type: ignore[arg-type]
    return replace(t, **changes)  # type: ignore[arg-type]
