"""A notice to dealers said in one line (``handlers.flows.notices``): "给华东区的经销商发个通知：…", "通知A级经销商：…",
"向所有经销商群发消息：…": who it goes to (regions, tiers, dealer codes, a place) and the words after the colon.
The handler routes on the shape here and takes what was said from the functions; it reads no words itself."""

from __future__ import annotations

import re

# "给华东区的经销商发个通知：…", "通知A级经销商：…", "向所有经销商群发消息：…": who, then the words after the colon
NOTICE_ASKED = (r"^(?:请|麻烦)?(?:帮我)?(?:给|向|对|通知)\s*(?P<who>[^:：]{0,40}?)\s*(?:的)?\s*(?:经销商|客户|代理商|门店)?(?:们)?"
                r"\s*(?:都)?\s*(?:发|群发|推送|推|发送|下发)?\s*(?:个|一个|一条|条|一下)?\s*(?:通知|消息|公告|提醒)?\s*(?:说)?"
                r"\s*[:：]\s*(?P<text>\S.*)$")
REGIONS = ("华东", "华北", "华南", "华中", "西南", "西北", "东北")
_TIER = re.compile(r"([A-Da-d])\s*(?:级|类|档)")
_CODE = re.compile(r"\b[Dd]\d{4}\b")
_EVERYONE = re.compile(r"所有|全部|全体|大家|全国|every|all\b", re.IGNORECASE)
_FILLER = re.compile(r"区|地区|大区|片区|的|和|、|,|，|及|以及|还有|经销商|客户|代理商|门店|们|\s")


def notice_words(text: str) -> tuple[str, str] | None:
    """"通知A级经销商：下周调价" -> ("A级", "下周调价"): who, and the notice's words as typed; else None."""
    m = re.match(NOTICE_ASKED, text.strip(), re.IGNORECASE)
    return (m.group("who").strip(), m.group("text")) if m else None


def audience_words(who: str) -> tuple[tuple[str, ...], tuple[str, ...], set[str], str]:
    """The regions (华东), tiers (A级 -> "A") and dealer codes (D0007) named in ``who``, and the words left (a
    city or province; "" when only those, or everyone, were named)."""
    regions = tuple(r for r in REGIONS if r in who)
    tiers = tuple(dict.fromkeys(t.upper() for t in _TIER.findall(who)))
    codes = {c.upper() for c in _CODE.findall(who)}
    rest = _TIER.sub(" ", _CODE.sub(" ", who))
    for r in regions:
        rest = rest.replace(r, " ")
    return regions, tiers, codes, _FILLER.sub("", _EVERYONE.sub("", rest))
