"""Conversation state per chat and delivery receipts: kept in the database so every process
(and every channel adapter) shares them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass
class DialogState:
    """Where one chat is in a conversation. ``data`` holds what the dialog has collected so far
    (JSON-safe values only: strings, numbers, lists, dicts)."""

    channel: str
    chat_id: str
    state: str = ""                    # "" = idle; else "<flow>.<step>", e.g. "order.cart"
    data: dict[str, Any] = field(default_factory=dict)
    language: str = ""                 # "" = not chosen: follow the client, else zh-CN
    # the language of the chat's last message written clearly in one ("zh-CN", "en"): what a message that tells
    # none ("hi", "ok", a code, a button) keeps; "" before any
    written_language: str = ""
    updated_at: datetime | None = None
    id: int | None = None


# what an update read of its chat's dialog before handling it: (state, data, language, written_language)
Snapshot = tuple[str, dict[str, Any], str, str]


def merged(stored: DialogState, before: Snapshot, after: DialogState) -> None:
    """Another update of this chat wrote the dialog while this one was handled (two messages sent quickly, taken
    by two processes): only what this update changed is written over ``stored``, field by field and key by key
    of ``data``, so the other's cart, form or answers are not lost (last writer wins only where both changed)."""
    state, data, language, written = before
    if after.state != state:
        stored.state = after.state
    if after.language != language:
        stored.language = after.language
    if after.written_language != written:
        stored.written_language = after.written_language
    fresh = dict(stored.data)
    for key in data.keys() - after.data.keys():
        fresh.pop(key, None)
    for key, value in after.data.items():
        if key not in data or data[key] != value:
            fresh[key] = value
    stored.data = fresh


@dataclass
class InboundReceipt:
    """One delivered update (Telegram update_id, WeCom MsgId, callback id). Its unique key makes a
    re-delivered update a no-op in every process."""

    channel: str
    key: str
    received_at: datetime
    id: int | None = None
