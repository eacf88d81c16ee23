"""Staff asking how to reach a dealer: "合肥新锐的联系人电话", "嘉禾老板是谁", "D0007 的联系方式" -> the dealer words
(``nlu.desk_words.dealer_looked_up`` reads these too: the dealer's card lists its contacts; was: the FAQ's answer
on how to reach the manufacturer).
"""

from __future__ import annotations

import re

_CONTACT = re.compile(r"^(?:查一?下|查查|看看|看一?下)?\s*(?P<who>D\d{4,6}|[^\s\d，,。?？]{2,20}?)\s*(?:家|那边|那家)?的?\s*"
                      r"(?:联系人|联系方式|联系电话|电话号码?|手机号码?|手机|老板|负责人|店长|财务)的?\s*"
                      r"(?:电话|手机号?|联系方式)?\s*(?:是多少|是谁|多少|是啥|叫什么|呢|发我一?下|给我)?\s*[?？]?$", re.IGNORECASE)
# "我的联系人", "你们的电话", "厂家电话", "客服电话", "售后电话": not a dealer
_NOT_A_DEALER = re.compile(r"^(?:我|你|您|他|这|那)|厂家|厂里|公司|客服|售后|总部|渠道经理|订单台|财务部")


def dealer_contact_asked(text: str) -> str | None:
    """"合肥新锐的联系人电话" -> "合肥新锐"; None for other words."""
    m = _CONTACT.match(text.strip())
    if m is None or _NOT_A_DEALER.search(m.group("who")):
        return None
    return m.group("who")
