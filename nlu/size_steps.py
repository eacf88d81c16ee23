"""A line asked one size up or down without naming the product it should become: "换成大一号的", "换个小一号",
"DH20要大一号的", "a size bigger", "swap it for the larger one".

Which product is "one size up" the catalogue does not say (sizes of one kind are not always in one series, nor
named alike), so nothing is guessed: the chat offers the line's replacements to pick (``handlers.flows.cart_swaps``).
Read before, "大一号" was the 1st of next month as the delivery date, the line kept without a word.
"""

from __future__ import annotations

import re

_ZH = re.compile(r"(?:换成|换个|换一个|换|改成|要|来)\s*(?:个|一个)?\s*(?P<way>大|小)\s*(?:一|两|1|2)\s*(?:号|码|档|个号)")
_EN = re.compile(r"\b(?:(?:a|one)\s+size\s+(?P<en1>up|down|bigger|smaller|larger)"
                 r"|(?:the\s+|a\s+)?(?P<en2>bigger|larger|smaller)\s+(?:one|size|model))\b")


def size_step(text: str) -> str | None:
    """"up" or "down" when normalized ``text`` asks a line one size up or down ("换成大一号的"), else None."""
    if (zh := _ZH.search(text)) is not None:
        return "up" if zh.group("way") == "大" else "down"
    if (en := _EN.search(text)) is not None:
        return "down" if (en.group("en1") or en.group("en2")) in ("down", "smaller") else "up"
    return None
