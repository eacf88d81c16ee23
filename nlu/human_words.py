"""A person asked for in words (QA fix-human-handoff): "转人工", "人工客服", "找客服", "联系订单台", "talk to a person",
at any point of a chat, optionally with the question itself ("我想问下订单台 上个月的发票什么时候开"); and an invoice
asked about ("上个月的发票什么时候开"), which is a question for the knowledge base or a person, never a page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_WHO = r"(?:人工客服|人工服务|人工|真人|客服|订单台|工作人员|财务)"
_PERSON = re.compile(
    r"^(?:🙋\s*)?(?:你好|您好|在吗)?[，,\s]*(?:我想|我要|想|要|请|麻烦|帮我)?\s*"
    r"(?:(?:转|转接|转到|转给|接|找|联系|呼叫|叫)(?:一下|下)?\s*" + _WHO
    + r"|问(?:一下|下)?\s*(?:订单台|客服|人工客服|工作人员|财务)"
    r"|人工客服|人工服务|人工)"
    r"(?:吧|呢|啊|一下)?(?P<rest>.*)$"
    r"|^(?:i\s+(?:want|need|would\s+like)\s+to\s+|can\s+i\s+|let\s+me\s+|please\s+)?"
    r"(?:talk|speak|chat)\s+(?:to|with)\s+(?:a\s+|an\s+|the\s+)?"
    r"(?:person|human|real\s+person|agent|staff|someone|order\s+desk)(?P<rest_en>.*)$"
    r"|^(?:human|agent|real\s+person)(?:\s+please)?[.!]?$",
    re.IGNORECASE)
_FILLER = " ，,。.!！?？:：~、"
_INVOICE = re.compile(r"发票|开票|专票|普票|invoice", re.IGNORECASE)


@dataclass(frozen=True)
class PersonAsked:
    question: str       # what was asked with it ("" none: the chat asks for the question)


def person_asked(text: str) -> PersonAsked | None:
    """The request for a person in ``text``, with its question; None when ``text`` asks for no person."""
    said = (text or "").strip()
    match = _PERSON.match(said)
    if match is None:
        return None
    raw = match.group("rest") or match.group("rest_en") or ""
    if raw and raw[0] not in _FILLER and "问" not in said[:match.start("rest") if match.group("rest") else 0]:
        return None     # "人工智能是什么", "客服电话多少": words of their own, no person asked
    rest = raw.strip(_FILLER)
    rest = re.sub(r"^(?:处理|帮忙|一下|下|：|:)+", "", rest).strip(_FILLER)
    return PersonAsked(question=rest[:500])


def invoice_asked(text: str) -> bool:
    """True when ``text`` is about an invoice ("上个月的发票什么时候开", "能开专票吗")."""
    return bool(_INVOICE.search(text or ""))


_PERIOD_LEAD = re.compile(r"^(?:请问|问下|问一下)?\s*(?:上个?月|这个?月|本月|上周|这周|本周|今年|去年|最近|前几天|上次|那单)的?\s*")


def invoice_general(text: str) -> str:
    """The invoice question without the period it names ("上个月的发票什么时候开" -> "发票什么时候开"): the knowledge
    base answers when invoices are made, whatever the month."""
    return _PERIOD_LEAD.sub("", (text or "").strip())
