"""Outbox messages -> WeCom API calls: the outbound half of the WeCom adapter.

``WeComSender.send(chat_id, rendered)`` is what the outbox worker calls (``notifications.worker.
ChannelSender``) for pushes and for the replies the callback queued (``chat.reply`` rows, whose
``parts`` are sent one after the other, in order):

- text goes out as a text message (never markdown: what a user or the database wrote cannot break
  it), split at line ends into pieces of at most 2048 bytes, WeCom's limit;
- buttons make a ``button_interaction`` template card (``card_layout``): a short first line is the
  title and the rest the sub-title, or the whole text is the sub-title; each button's key is its
  payload (WeCom returns it as ``EventKey``). A card holds six buttons, so more go on further cards;
  a text too long for a card is sent as text first and the card repeats only its first line. The
  "share my phone number" button has no WeCom equivalent and is left out;
- ``edit_ref`` (the ``ResponseCode`` of the card a button was pressed on) -> ``update_template_card``:
  without new buttons, the card's buttons are replaced by the first line of the text (greyed out);
  with buttons, by a new card. When the update fails (code used or expired) the reply is sent anew;
- image / file parts: read from the ``FileStore``, ``media/upload``, then sent (an image WeCom
  refuses is sent as a file); the text follows as its own message;
- a push's evidence (``Rendered.attachments``: fault photos, receipts, scans) goes out first, one image
  (or, for a PDF, file) message each, and the card after it; a missing file is left out.

Errors become ``notifications.errors``: rate limits -> ``ChannelRateLimited`` (60 s), unknown users
and bad requests -> permanent ``ChannelError``, the rest -> transient ``ChannelError`` (retried with
backoff). A row whose first part went out and whose second failed is retried whole: the first part
is then seen twice, the outbox's only kind of duplicate.
"""

from __future__ import annotations

import logging
import secrets
import time
from typing import Any

from bot.files import FileNotStored, FileStore
from bot.wecom.client import WeComApiError, WeComClient
from handlers.messages import split_for_limit
from notifications.errors import ChannelError, ChannelRateLimited
from notifications.templates import Button, Part, Rendered

log = logging.getLogger(__name__)

MAX_TEXT_BYTES = 2048
MAX_CARD_BUTTONS = 6
MAX_TITLE = 26              # characters WeCom recommends for a card's main title
MAX_SUBTITLE = 112          # ... for its sub-title (one of the two must be set)
MAX_REPLACE_NAME = 30
SHARE_CONTACT_PAYLOAD = "contact:request"
RATE_LIMIT_PAUSE = 60.0
"""WeCom's limits are per minute and it does not say how long to wait."""


def split_text(text: str, limit: int = MAX_TEXT_BYTES) -> list[str]:
    """Pieces of at most ``limit`` UTF-8 bytes, cut at line ends where possible and never inside a number or a
    word (``handlers.messages.split_for_limit``)."""
    if len(text.encode()) <= limit:
        return [text] if text else []
    return [p.rstrip("\n") for p in split_for_limit(text, limit, _utf8_size) if p.strip()]


def _utf8_size(text: str) -> int:
    return len(text.encode())


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def card_buttons(rows: tuple[tuple[Button, ...], ...]) -> list[Button]:
    """The buttons a WeCom card can carry, in order, each payload once (card keys must be unique)."""
    seen: set[str] = set()
    out: list[Button] = []
    for row in rows:
        for button in row:
            if button.payload == SHARE_CONTACT_PAYLOAD or not button.payload or button.payload in seen:
                continue
            seen.add(button.payload)
            out.append(button)
    return out


def new_task_id() -> str:
    """Unique per card (WeCom refuses a task id it has seen); letters and digits only."""
    return f"dms{time.time_ns():x}{secrets.token_hex(4)}"


def card_layout(text: str) -> tuple[str, str, bool]:
    """(title, sub-title, whether the text must also go out as text because a card cannot hold it)."""
    text = text.strip()
    first, _, rest = text.partition("\n")
    if len(text) <= MAX_SUBTITLE:
        if len(first) <= MAX_TITLE and rest.strip():
            return first, rest.strip(), False
        if len(first) <= MAX_TITLE:
            return first, "", False
        return "", text, False
    return clip(first, MAX_TITLE), "", True


def button_card(title: str, subtitle: str, buttons: list[Button]) -> dict[str, Any]:
    card: dict[str, Any] = {
        "card_type": "button_interaction",
        "main_title": {"title": clip(title, MAX_TITLE)} if title else {},
        "task_id": new_task_id(),
        "button_list": [{"text": clip(b.label, 20), "style": 1, "key": b.payload} for b in buttons],
    }
    if subtitle or not title:
        card["sub_title_text"] = clip(subtitle, MAX_SUBTITLE) or "…"
    return card


def push_error(exc: WeComApiError) -> ChannelError:
    """A WeCom error as the outbox worker understands it."""
    if exc.rate_limited:
        return ChannelRateLimited(RATE_LIMIT_PAUSE, str(exc))
    return ChannelError(str(exc), permanent=exc.permanent)


class WeComSender:
    """Sends rendered outbox messages to WeCom members (``chat_id`` = the member's userid)."""

    def __init__(self, client: WeComClient, files: FileStore | None = None) -> None:
        self.client = client
        self.files = files

    async def send(self, chat_id: str, message: Rendered) -> None:
        parts = message.parts or (Part(text=message.text, buttons=message.buttons),)
        try:
            for attachment in message.attachments:     # the record's evidence, then the card
                await self._media(chat_id, "file" if attachment.is_pdf else "image", attachment.key,
                                  attachment.name or attachment.key)
            for part in parts:
                await self._part(chat_id, part)
        except WeComApiError as exc:
            raise push_error(exc) from exc

    # --- one message ---------------------------------------------------------------------------------
    async def _part(self, chat_id: str, part: Part) -> None:
        if part.edit_ref and not part.image and not part.file and await self._edit(chat_id, part):
            return
        if part.image:
            await self._media(chat_id, "image", part.image, part.image_name or "image.png")
        elif part.file:
            await self._media(chat_id, "file", part.file, part.file_name or "file.bin")
        await self._message(chat_id, part.text, part.buttons)

    async def _message(self, chat_id: str, text: str, rows: tuple[tuple[Button, ...], ...]) -> None:
        buttons = card_buttons(rows)
        if not buttons:
            for piece in split_text(text):
                await self.client.send_text(chat_id, piece)
            return
        title, subtitle, as_text = card_layout(text)
        if as_text:                     # the whole text as text, the card with its first line only
            for piece in split_text(text):
                await self.client.send_text(chat_id, piece)
        await self._cards(chat_id, title, subtitle, buttons)

    async def _cards(self, chat_id: str, title: str, subtitle: str, buttons: list[Button]) -> None:
        chunks = [buttons[i:i + MAX_CARD_BUTTONS] for i in range(0, len(buttons), MAX_CARD_BUTTONS)]
        for n, chunk in enumerate(chunks):
            if n == 0:
                card = button_card(title, subtitle, chunk)
            else:
                card = button_card(f"{clip(title or subtitle.partition(chr(10))[0], MAX_TITLE - 6)} "
                                   f"({n + 1}/{len(chunks)})", "", chunk)
            await self.client.send_template_card(chat_id, card)

    async def _edit(self, chat_id: str, part: Part) -> bool:
        """Update the card the button was pressed on; False when it must be sent as a new message."""
        buttons = card_buttons(part.buttons)
        first_line = part.text.strip().partition("\n")[0]
        title, subtitle, too_long = card_layout(part.text)
        if not first_line or (buttons and too_long):
            return False
        try:
            if buttons:
                await self.client.update_template_card(
                    [chat_id], part.edit_ref, card=button_card(title, subtitle, buttons[:MAX_CARD_BUTTONS]))
                if len(buttons) > MAX_CARD_BUTTONS:
                    await self._cards(chat_id, title or first_line, "", buttons[MAX_CARD_BUTTONS:])
            else:
                await self.client.update_template_card([chat_id], part.edit_ref,
                                                       replace_name=clip(first_line, MAX_REPLACE_NAME))
        except WeComApiError as exc:
            if exc.rate_limited:
                raise
            log.info("wecom card update failed, sending a new message", extra={"error": str(exc)})
            return False
        return True

    async def _media(self, chat_id: str, kind: str, key: str, name: str) -> bool:
        """Upload a stored file and send it; False when it could not be (the text still goes out)."""
        if self.files is None:
            return False
        try:
            data = await self.files.get(key)
        except FileNotStored:
            log.warning("wecom: stored file missing", extra={"key": key})
            return False
        kinds = ["image", "file"] if kind == "image" else ["file"]
        for attempt in kinds:
            try:
                media_id = await self.client.upload_media(attempt, data, name)
                if attempt == "image":
                    await self.client.send_image(chat_id, media_id)
                else:
                    await self.client.send_file(chat_id, media_id)
                return True
            except WeComApiError as exc:
                if exc.rate_limited or exc.errcode in (81013, 60111, 40003):
                    raise
                log.info("wecom media send failed", extra={"kind": attempt, "error": str(exc)})
        return False
