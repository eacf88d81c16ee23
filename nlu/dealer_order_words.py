"""Staff asking for one dealer's orders by its name: "上海德润的单子", "看下兰州启明的订单", "兰州启明的订单到哪了"
(``handlers.flows.staff_order_tails``; was: every dealer's orders, or "您是想取消订单吗？").

Only the dealer words are read here; the handler looks them up, and words no dealer has go on to the other readers
("今天的订单", "待审批的订单" are no dealer: their words are left out before anything is looked up).
"""

from __future__ import annotations

import re
import unicodedata

_ASKED = re.compile(r"^(?:帮我)?(?:看一?下|看看|查一?下|查查|列一?下|找一?下|调出)?\s*(?P<who>D\d{4,6}|[^\s\d，,。?？:：]{2,20}?)\s*"
                    r"(?:家|那边|那家)?的?\s*(?:最近|所有|全部|近期)?的?\s*(?:订单|单子|单据|几单|那几单)\s*"
                    r"(?:列表|记录|情况|有哪些|都有哪些|到哪了|到哪儿了|到哪里了|怎么样了?|发了没|发了吗|呢|看看|看一?下)?"
                    r"\s*[?？。]?$", re.IGNORECASE)
# words that say which orders, not whose ("待审批的订单", "今天的单子", "我的订单", "驳回的订单")
_NOT_A_DEALER = re.compile(r"^(?:我|你|他|这|那|哪|上次|上回|上一|上周|上个|下个|下次|本)|^(?:待|已|未|没)|审批|审核|驳回|取消|配货|发货|签收|收货|超时|逾期|"
                           r"今天|昨天|前天|明天|这周|本周|上周|这个?月|本月|上个?月|今年|去年|最近|所有|全部|哪些|什么|多少|几")


def dealer_orders_asked(text: str) -> str | None:
    """"上海德润的单子" -> "上海德润": the dealer words of a request for its orders; None otherwise."""
    m = _ASKED.match(unicodedata.normalize("NFKC", text).strip())
    if m is None:
        return None
    who = m.group("who").strip()
    return None if _NOT_A_DEALER.search(who) else who
