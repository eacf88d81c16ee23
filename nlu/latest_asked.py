"""A dealer asking about its latest repair or quality report without words of the problem: "上次报修的那台修好了没",
"上回反馈的那个问题怎么样了", "刚报的修有人管吗". Which kind is asked: "ticket" (报修/维修/修), "quality" (反馈/质量),
else None (no "last one" said, or no kind)."""

from __future__ import annotations

import re

_LAST = re.compile(r"上次|上回|前几天|前两天|昨天|刚才|刚刚|刚|最近那次|之前")
_QUALITY = re.compile(r"质量|反馈")
_TICKET = re.compile(r"报修|维修|修")


def latest_asked(text: str) -> str | None:
    """"上次报修的那台修好了没" -> "ticket"; "上回反馈的问题" -> "quality"; None otherwise."""
    if not _LAST.search(text):
        return None
    if _QUALITY.search(text):
        return "quality"
    return "ticket" if _TICKET.search(text) else None
