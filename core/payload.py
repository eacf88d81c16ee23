"""Button payloads: short and versioned, ``1|<action>|<arg>|<arg>`` (a Telegram callback holds 64 bytes).

One codec for every layer that makes buttons: the chat flows (``handlers.router`` re-exports it) and the
pushes (``notifications.templates``). A payload is never trusted: the flows re-check authorization on
arrival, and a payload of another version is refused (``parse_payload`` returns None).
"""

from __future__ import annotations

PAYLOAD_VERSION = "1"
MAX_PAYLOAD_BYTES = 64


def payload(action: str, *args: str | int) -> str:
    """Build a button payload; raises when it would not fit a Telegram callback (64 bytes)."""
    data = "|".join([PAYLOAD_VERSION, action, *(str(a) for a in args)])
    if len(data.encode()) > MAX_PAYLOAD_BYTES:
        raise ValueError(f"button payload too long: {data!r}")
    return data


def parse_payload(data: str) -> tuple[str, list[str]] | None:
    """(action, args) of a well-formed payload of the current version, else None."""
    parts = data.split("|")
    if len(parts) < 2 or parts[0] != PAYLOAD_VERSION or not parts[1]:
        return None
    return parts[1], parts[2:]
