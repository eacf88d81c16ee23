"""The channel-agnostic message model: what comes in from a chat, what goes back.

Adapters (Telegram, WeCom, console, web chat) translate their updates into ``Inbound`` and send
``Reply`` objects, falling back to text where a channel lacks a feature (buttons become numbered
choices in the console, for instance).
"""

from __future__ import annotations

import dataclasses
import re
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


@dataclass(frozen=True)
class Button:
    label: str
    payload: str


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
