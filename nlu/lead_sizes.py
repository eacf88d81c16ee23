"""A size with its unit said with 的 before a word of several products ("16口的交换机", "8路的录像机", "25倍的球机"):
the size that tells which product the word is (``nlu.products`` narrows the word with it), so it belongs to the
product's span and is never read as the line's count ("16口的交换机2台" is two of them, not sixteen)."""

from __future__ import annotations

import re

from nlu.numbers import QUANTITY

# between the size and the word: 的 (or 嘅) and spaces, nothing else
_GAP = re.compile(r"\s?[的嘅]\s?")


def sized_start(text: str, lead: int, start: int, label: str) -> int:
    """Where the mention at ``start`` begins once the size said right before it with 的 is counted in, when the
    product it was narrowed to (``label``: its normalized name, code and aliases) has that size; else ``start``."""
    for q in QUANTITY.finditer(text, lead, start):
        unit = q.group("unit")
        if unit and _GAP.fullmatch(text, q.end(), start) and re.sub(r"\s", "", q.group(0)) in re.sub(r"\s", "", label):
            return q.start()
    return start
