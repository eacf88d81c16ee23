"""A dealer saying a repair did not help, without naming the ticket or pointing back at it ("客户说还是不出水啊 咋整",
"还是一样", "没修好"): QA s27 P12. ``nlu.ticket_words.read_reopen`` wants a number or "上次修的…" too, so these words
opened a brand-new repair form although a ticket had just been resolved. ``still_failing`` reads the "still" words
only (never "又坏了一台", a new fault); the chat then asks whether the recently resolved ticket is meant, with a new
repair one tap away."""

from __future__ import annotations

import re

from nlu.normalize import normalize

_STILL = re.compile(
    r"(?:还是|照样|依然|依旧|仍然|仍)(?:不[出转亮制启通工行好能响]|坏|漏|响|报错|老样子|有问题|"
    r"没(?:好|修好|解决|反应|水|风|声音|用))|没修好|没有修好|还没修好|问题还在|毛病还在|"
    r"\bstill\b.{0,20}\b(?:broken|not|doesn'?t|won'?t|leak|nois)|not fixed|didn'?t fix",
    re.IGNORECASE)

# a question about a ticket's progress, not a complaint ("修好了吗")
_PROGRESS = re.compile(r"(?:修好了吗|好了吗|好了没|怎么样了?|进度|到哪了?|处理了吗|处理了没)[?？]?$")


def still_failing(text: str) -> str | None:
    """The words (tidied) when they say the problem is still there, else None."""
    plain = normalize(text).strip()
    if not plain or _PROGRESS.search(plain) or not _STILL.search(plain):
        return None
    return " ".join(text.strip(" ，,。:：").split())
