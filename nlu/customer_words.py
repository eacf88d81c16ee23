"""The end customer a dealer names in a repair request ("客户电话13912345678 姓王", "王先生 138 0013 8000", "客户叫
李娜"): the after-sales form takes them instead of asking again. Only what is written plainly: a mainland mobile
number, and a name after 姓/叫/名字 or a surname with 先生/女士/小姐/阿姨/师傅."""

from __future__ import annotations

import re

_MOBILE = re.compile(r"(?<!\d)(?:\+?86[\s-]?)?(1[3-9]\d(?:[\s-]?\d{4}){2})(?!\d)")
_NAMED = re.compile(r"(?:客户|顾客|用户|业主)?(?:姓名|名字)?(?:是|叫|姓)[:：]?\s?([\u4e00-\u9fff]{1,3}?)"
                    r"(?=[\s，,。；;、]|先生|女士|小姐|$|的|电话|手机|在|住)")
_TITLED = re.compile(r"(?<![\u4e00-\u9fff])([\u4e00-\u9fff]{1,2}(?:先生|女士|小姐|阿姨|师傅|大哥|大姐))")
# words after 姓/叫 that are no name ("叫修", "是什么", "是空的")
_NOT_A_NAME = re.compile(r"^(?:什么|不|没|空|修|坏|好|我|他|她|这|那|一|的)")


def customer_in_text(text: str) -> tuple[str | None, str | None]:
    """(name, phone) of the end customer written in ``text``; None for what is not there."""
    phone_m = _MOBILE.search(text)
    phone = re.sub(r"[\s-]", "", phone_m.group(1)) if phone_m else None
    name = None
    if (m := _NAMED.search(text)) is not None and not _NOT_A_NAME.match(m.group(1)):
        name = m.group(1)
    elif (t := _TITLED.search(text)) is not None:
        name = t.group(1)
    return name, phone
