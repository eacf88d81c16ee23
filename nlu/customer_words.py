"""The end customer a dealer names in a repair request ("客户电话13912345678 姓王", "王先生 138 0013 8000", "客户叫
李娜"): the after-sales form takes them instead of asking again. Only what is written plainly: a mainland mobile
number, and a name after 姓/叫/名字 or a surname with 先生/女士/小姐/阿姨/师傅."""

from __future__ import annotations

import re
from dataclasses import dataclass

_MOBILE = re.compile(r"(?<!\d)(?:\+?86[\s-]?)?(1[3-9]\d(?:[\s-]?\d{4}){2})(?!\d)")
_NAMED = re.compile(r"(?:客户|顾客|用户|业主)?(?:姓名|名字)?(?:是|叫|姓)[:：]?\s?([\u4e00-\u9fff]{1,3}?)"
                    r"(?=[\s，,。；;、]|先生|女士|小姐|$|的|电话|手机|在|住)")
_TITLED = re.compile(r"(?<![\u4e00-\u9fff])([\u4e00-\u9fff]{1,2}(?:先生|女士|小姐|阿姨|师傅|大哥|大姐|大妈|大爷|大叔|大婶|奶奶|爷爷|阿婆|婆婆)|"
                    r"[\u4e00-\u9fff](?:姐|哥|总|叔|老师)(?![\u4e00-\u9fff]))")  # "王姐 139…", "李总"
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


# "序列号不记得了", "没有序列号", "铭牌磨掉了": the serial is not known (the step is passed over, not asked again);
# "不知道在哪里" alone is a question about where to look, not this
_NO_SERIAL = re.compile(
    r"(?:序列号|机身号|机号|编号|铭牌|条码|\bsn\b)\s*(?:我|也|都)?(?:不记得|记不得|记不清|记不住|忘了|忘记了|找不到|找不着|"
    r"看不到|看不清|没有|没了|丢了|磨掉|磨损|不知道|不清楚)|"
    r"(?:没有|没|无|不知道|不记得|忘了|找不到)(?:了)?(?:的)?(?:序列号|机身号|铭牌|\bsn\b)|"
    r"\b(?:no|without|lost|forgot(?: the)?) (?:serial|sn)\b", re.IGNORECASE)
# what is left of such a message once the customer and the serial are taken out: labels and particles
_LEFT_LABELS = re.compile(r"客户|顾客|用户|电话|手机|号码|联系方式|姓名|名字|叫|姓|是|了|的|也|都|吧|啊|呢|[\s，,。；;、:：!！?？]")


@dataclass(frozen=True)
class RepairAnswers:
    """What one message typed into the repair form answers besides the step asked: the end customer's name and
    phone, that the serial is not known, and the words left over (the problem, when they are any)."""

    name: str | None
    phone: str | None
    no_serial: bool
    rest: str


def repair_answers(text: str) -> RepairAnswers:
    """"序列号不记得了 客户叫王大妈 电话13812345678" -> name 王大妈, phone 13812345678, no serial, nothing left."""
    name, phone = customer_in_text(text)
    rest = _NO_SERIAL.sub(" ", text)
    rest = _MOBILE.sub(" ", rest)
    if name:
        rest = _NAMED.sub(" ", rest) if _NAMED.search(rest) else rest.replace(name, " ")
    left = _LEFT_LABELS.sub("", rest)
    return RepairAnswers(name=name, phone=phone, no_serial=bool(_NO_SERIAL.search(text)),
                         rest=" ".join(rest.split()) if len(left) >= 4 else "")
