"""A dealer asking whether staff answered the question handed to them (QA s27 P23): "订单台回复了吗", "客服回我了没",
"我问的问题有答复了吗", "did the order desk answer". The answer is the dealer's questions with staff's replies, never
the latest order. A ticket or an order named ("AS-…", "SO-…", "工单", "维修") is not this: those have their own cards.
"""

from __future__ import annotations

import re

_WHO = r"订单台|订单部|客服|人工|你们|厂家|厂里|工作人员|后台|我的问题|我问的(?:问题|事)?|那个问题|问题|咨询|提问"
_ANSWERED = r"回复|答复|回我|回了|回话|答了|回应|回信"
_ASKED = re.compile(
    rf"(?:{_WHO})\s*(?:那边|那里|那头)?\s*(?:有|给我|给)?\s*(?:人)?\s*(?:{_ANSWERED})\s*"
    r"(?:了|过)?\s*(?:吗|没|没有|了没|了吗|了没有|啥|什么)?\s*[?？]?$"
    r"|(?:{who})\s*(?:那边|那里)?\s*(?:还)?\s*(?:没|没有)\s*(?:{ans})".format(who=_WHO, ans=_ANSWERED)
    + r"|(?:did|has)\s+(?:the\s+)?(?:order\s+desk|staff|support|anyone)\s+(?:answer|repl(?:y|ied)|respond)",
    re.IGNORECASE)
_OTHER = re.compile(r"工单|售后|维修|报修|质量|AS-|SO-|QF-|\d{4}", re.IGNORECASE)


def staff_reply_asked(text: str) -> bool:
    """True when ``text`` asks whether staff answered the dealer's question."""
    said = text.strip()
    return len(said) <= 30 and not _OTHER.search(said) and bool(_ASKED.search(said))
