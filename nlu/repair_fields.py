"""Answers typed into the repair form that belong to another of its fields (QA, dealer D0001):

- ``urgency_only``: a message that says only how urgent the repair is ("挺急的", "很急", "不着急", "not urgent"):
  the urgency, whatever step the form is at; never the fault's description nor the customer's name;
- ``customer_line``: a line that is only the end customer's name and phone ("客户王先生 13900001111", "李姐
  13700002222", "Mr Chen 13911112222", "张三 13900001111"): both fields at once, the name without the phone.

"normal" is never read as said (正常/一般 describe faults and are no answer here, as in ``nlu.repair_opening``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nlu.repair_contact import split_contact
from nlu.ticket_words import urgency_said, without_urgency

# what may stand around the urgency words in a message saying only that: degree words, particles, "客户说"
_URGENCY_FILLER = re.compile(
    r"客户|顾客|用户|那边|说|觉得|比较|非常|特别|挺|很|太|真的|真|超级|超|蛮|好|也|都|还|是|有点|有些|要求|希望|请|"
    r"的|了|啊|吧|呢|哦|呀|嘛|哈|喔|"
    r"\b(?:it'?s|it|is|very|quite|really|pretty|please|pls|the|customer|says?|said)\b|"
    r"[\s，,。.；;、:：!！?？~～…]")
# a bare name beside a phone: a common surname and one or two characters, or two or three English words
_SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔"
             "钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
_BARE_NAME = re.compile(rf"[{_SURNAMES}][\u4e00-\u9fff]{{1,2}}|[A-Z][a-z]+(?: [A-Z][a-z]+){{1,2}}")
_LABELS = re.compile(r"^(?:客户|顾客|用户|业主|联系人|姓名|名字|customer|client|name)\s*[:：]?\s*|\s*[:：,，]\s*$",
                     re.IGNORECASE)


def urgency_only(text: str) -> str | None:
    """The urgency a message says and nothing else ("挺急的" -> "urgent", "不着急" -> "low", "有点急" -> "high"), as a
    ``core.aftersales.Priority`` value; None when it says anything more ("不出水了 挺急的", "急停按钮坏了") or no
    urgency, or only "normal"."""
    said = urgency_said(text)
    if said is None or said == "normal":
        return None
    return said if not _URGENCY_FILLER.sub("", without_urgency(text)) else None


@dataclass(frozen=True)
class CustomerLine:
    name: str | None
    phone: str | None


def customer_line(text: str) -> CustomerLine | None:
    """The end customer's name and phone when ``text`` is only them (with their labels); None when it says anything
    more (a fault, an address) or names no one with a phone."""
    said = split_contact(text)
    if said.address is not None or not (said.name or said.phone):
        return None
    name, left = said.name, _LABELS.sub("", said.problem.strip())
    if left:
        # "张三 13900001111": a bare name beside the phone
        if name is not None or said.phone is None or not _BARE_NAME.fullmatch(left):
            return None
        name = left
    if name is not None and (urgency_said(name) is not None or urgency_only(name) is not None):
        return None
    return CustomerLine(name=name, phone=said.phone)
