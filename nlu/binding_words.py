"""An invite code typed to bind a chat (``handlers.flows.menu``): "绑定 ABCD-2345", "绑定码：ABCD2345", or the bare
code as printed. The handler takes the code from here; it reads no words itself."""

from __future__ import annotations

import re

from core.services.users import INVITE_ALPHABET, INVITE_LENGTH

_CODE = re.compile(rf"^[{INVITE_ALPHABET}]{{4}}[-\s]?[{INVITE_ALPHABET}]{{4}}$", re.IGNORECASE)
_BIND = re.compile(r"^(?:绑定码|绑定|bind)\s*[:：]?\s*(\S.*)$", re.IGNORECASE)
assert INVITE_LENGTH == 8, "the bare-code pattern assumes 8-character invite codes"


def bind_said(text: str) -> bool:
    """"绑定 ABCD-2345": a code given with the word to bind, not a bare code (which may be a model number)."""
    return _BIND.match(text.strip()) is not None


def binding_code(text: str) -> str | None:
    """The invite code in "绑定 CODE" / "绑定码：CODE", or a message that is just a code as printed
    (upper case, or with a digit in it, so an ordinary English word is never taken for one)."""
    text = text.strip()
    match = _BIND.match(text)
    if match:
        return match.group(1).strip()
    if _CODE.match(text) and (text == text.upper() or any(ch.isdigit() for ch in text)):
        return text
    return None
