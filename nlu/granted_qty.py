"""How many an approver grants when fewer than asked: "#8 批准 但是只给20套 库存不够" → 20 (QA s27 P9).

``granted_qty`` reads the words after an approval of a numbered material request. A count said with a giving verb
("只给20套", "先批20", "给他们20个") or with a unit after "批准/通过" ("批准20套") is the quantity granted; no count:
None (the whole request). A number that is an id or a date ("#8", "12月") is not a count.
"""

from __future__ import annotations

import re

_UNIT = r"套|个|张|份|件|台|本|幅|箱|盒|包|块|卷|米|pcs|sets?|pieces?|units?"
_GIVE = r"只给|只批|只发|只能给|先给|先批|先发|就给|就批|给他们|给它|给|批|发|改成|改为|减到|减为|砍到|approve only|only"
_GRANTED = re.compile(
    rf"(?:(?:{_GIVE})\s*(?P<a>\d{{1,6}})\s*(?:{_UNIT})?(?![\d月日号])"
    rf"|(?P<b>\d{{1,6}})\s*(?:{_UNIT})(?![\d月日号]))",
    re.IGNORECASE)


def granted_qty(words: str) -> int | None:
    """The count granted in ``words`` (the text after the request's number), or None when none is said."""
    m = _GRANTED.search(words)
    if m is None:
        return None
    return int(m.group("a") or m.group("b"))
