"""A dealer pointing at an order already placed: "SO-20261207-0004 能不能再加两台", "刚才那单能改成20台吗".

``points_at_order`` is the cheap first look (an order number, or words for "that order": 那单 / 这单 / 刚才的订单 /
上次那个单子 / "the last order"); the chat then reads the message with the parser, and only a message with cart
edits in it (add / set / remove a line, the cart's own words) becomes a change of that order. Which order:
the number typed, else the dealer's latest.
"""

from __future__ import annotations

import re

from nlu.normalize import normalize

_NUMBER = re.compile(r"\bSO-\d{8}-\d{4}\b", re.IGNORECASE)
_THAT_ORDER = re.compile(
    r"(?:刚才|刚刚|刚|上次|上一|最近|昨天|今天|前天|之前|早上|上午|下午)?(?:的|下的|那个|这个)?"
    r"(?:那|这|上)(?:一|个)?(?:单|张单|笔单|个单子|单子|个订单|笔订单|张订单)|"
    r"(?:刚才|刚刚|刚|上次|之前|最近)(?:下|提交|订)?的(?:订单|单子|单)|"
    r"\b(?:that|the last|my last|the) order\b", re.IGNORECASE)


def order_number(text: str) -> str | None:
    found = _NUMBER.search(normalize(text))
    return found.group(0).upper() if found else None


def points_at_order(text: str) -> bool:
    """Does the message name an order already placed (its number, or "that order")?"""
    plain = normalize(text)
    return bool(_NUMBER.search(plain) or _THAT_ORDER.search(plain))


# words of a new delivery date ("交货日期改到", "交期推迟到", "晚几天送", "deliver on")
_DATE_CHANGE = re.compile(r"交货日期|交期|到货日期|送货日期|发货日期|送货时间|到货时间|改到|推迟|延后|延期|提前|晚点|早点|"
                          r"deliver|delivery date|reschedul", re.IGNORECASE)


def date_change_said(text: str) -> bool:
    """"交货日期改到下周五", "交期推迟", "deliver on Friday": words of a new delivery date."""
    return _DATE_CHANGE.search(text) is not None


_WHOLE_NUMBER = re.compile(r"^SO-\d{8}-\d{4}$", re.IGNORECASE)


def is_order_number(text: str) -> bool:
    """"SO-20261126-0007" and nothing else: an order number as typed or carried by a button."""
    return _WHOLE_NUMBER.match(text) is not None


# "SO-… 全部收到", "SO-… 收到了", "SO-… 已签收": the order's receipt confirmed in words (a problem or a question: no)
_RECEIVED_ALL = re.compile(r"(?:货|东西)?(?:已经|已|都|全都|全部|全)?(?:收到|收货|签收|到齐|收齐)(?:了|啦)?(?:没问题)?|"
                           r"确认收货|收货确认|(?:all )?received|got (?:it|them|everything)(?: all)?", re.IGNORECASE)


def receipt_said(text: str) -> bool:
    """The words typed with an order's number say it all came ("SO-… 全部收到"); "SO-… 收到了吗" and "SO-… 少了2台"
    do not."""
    rest = re.sub(r"[\s,，.。!！~～]+", "", _NUMBER.sub(" ", normalize(text)))
    return bool(rest) and _RECEIVED_ALL.fullmatch(rest) is not None
