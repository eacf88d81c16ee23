"""The channel-agnostic message model: what comes in from a chat, what goes back.

Adapters (Telegram, WeCom, console, web chat) translate their updates into ``Inbound`` and send
``Reply`` objects, falling back to text where a channel lacks a feature (buttons become numbered
choices in the console, for instance).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum


class InboundKind(StrEnum):
    TEXT = "text"
    COMMAND = "command"        # "/start CODE" -> command="start", args="CODE"
    BUTTON = "button"          # a button press: payload is the button's data
    PHOTO = "photo"
    DOCUMENT = "document"
    CONTACT = "contact"        # a shared phone contact
    LOCATION = "location"
    VOICE = "voice"            # a voice note: file_refs holds the audio, or text what the channel recognised


@dataclass(frozen=True)
class Inbound:
    channel: str                     # "telegram" | "wecom" | "console" | "web"
    chat_id: str
    user_id: str                     # the channel's user id (external id)
    kind: InboundKind
    text: str = ""
    command: str = ""
    args: str = ""
    payload: str = ""                # button data
    file_refs: tuple[str, ...] = ()  # stored photo/document keys
    file_name: str = ""
    phone: str = ""                  # contact share
    latitude: float | None = None
    longitude: float | None = None
    language: str = ""               # the user's client language, when the channel says it
    display_name: str = ""
    update_id: str = ""              # channel's id of this delivery, for exactly-once handling
    message_ref: str = ""            # the message a button belongs to (for edits)


class Answer(StrEnum):
    """What a button is to the question its card asks: words typed under the card may press it
    (``handlers.service``; the dialog keeps the card's answers, ``handlers.router.remember_shown``)."""

    YES = "yes"      # the card's confirming button: "是的", "确定", "yes cancel it", its own label typed press it
    NO = "no"        # the card's declining button: "不", "算了", "取消", "no" press it (nothing done)
    PICK = "pick"    # one choice of a "which one?" list: a bare "是的" under it asks which again


@dataclass(frozen=True)
class Button:
    label: str
    payload: str
    #: what the button answers of its card's question (None: nothing typed presses it but what the flow reads)
    answer: Answer | None = field(default=None, compare=False)


@dataclass
class Reply:
    text: str = ""
    buttons: list[list[Button]] = field(default_factory=list)   # rows of buttons
    image: bytes | None = None
    image_name: str = ""
    file: bytes | None = None
    file_name: str = ""
    edit_ref: str = ""               # when set, edit that earlier message instead of sending a new one
    chat_id: str = ""                # when set, goes to another chat (e.g. staff approval prompts)
    channel: str = ""


_SURROGATE = re.compile("[\ud800-\udfff]")


def without_lone_surrogates(inbound: Inbound) -> Inbound:
    """A lone UTF-16 surrogate (a JSON "\\ud800" escape decodes to one; no UTF-8 can carry it) becomes U+FFFD in
    every text field, a pair becomes the character it encodes: the database and the chat APIs refuse them, so
    the user would get an error instead of an answer."""
    changes = {f.name: value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
               for f in dataclasses.fields(inbound)
               if isinstance(value := getattr(inbound, f.name), str) and _SURROGATE.search(value)}
    return dataclasses.replace(inbound, **changes) if changes else inbound  # type: ignore[arg-type]


# --- splitting a long reply for a platform's message limit ------------------------------------------------------

_TOKEN = re.compile(r"[0-9A-Za-z_\-./#:@¥$,]")


def _may_cut(text: str, i: int) -> bool:
    """Between ``text[i-1]`` and ``text[i]`` a message may end: never inside a word, a number, an amount or an
    order/ticket number (SO-20261205-001, ¥3,998.00, AP300)."""
    return not (_TOKEN.match(text[i - 1]) and _TOKEN.match(text[i]))


def split_for_limit(text: str, limit: int, size: Callable[[str], int]) -> list[str]:
    """``text`` in pieces of at most ``limit`` as the platform measures them (``size``: Telegram counts UTF-16
    units, WeCom UTF-8 bytes), nothing lost: ``"".join(pieces) == text``. Pieces end at a line end where one
    fits; a line longer than a message ends at a space or between CJK characters, never inside a number or a
    word (only a single token longer than a message is cut, where it must)."""
    if size(text) <= limit:
        return [text]
    parts: list[str] = []
    current = ""
    for line in text.splitlines(keepends=True):
        while size(line) > limit:                       # one line longer than a message
            if current:
                parts.append(current)
                current = ""
            fit = _longest_prefix(line, limit, size)
            cut = next((i for i in range(fit, 0, -1) if _may_cut(line, i)), fit)
            parts.append(line[:cut])
            line = line[cut:]
        if current and size(current) + size(line) > limit:
            parts.append(current)
            current = ""
        current += line
    if current:
        parts.append(current)
    return parts


def _longest_prefix(text: str, limit: int, size: Callable[[str], int]) -> int:
    total = 0
    for i, ch in enumerate(text):
        total += size(ch)
        if total > limit:
            return max(i, 1)
    return len(text)
