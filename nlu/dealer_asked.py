"""A staff member asking how one dealer is doing, by the dealer's name: "德润最近怎么样了", "德润那边最近咋样",
"金鼎这阵子情况如何", or its code: "D0001最近怎么样". The words naming the dealer are returned; which dealer they are (none, one, several) the
conversation looks up. A time word or 那边 is needed: "工单怎么样了", "AP300怎么样" ask about no dealer.
"""

from __future__ import annotations

import re

_ASKED = re.compile(
    r"^(?:查一?下|看一?下|看看|问一?下)?\s*(?P<who>[Dd]\d{4,6}|[^\s，,。?？\d]{2,12}?)\s*(?P<there>那边|这家|那家)?\s*的?\s*"
    r"(?P<when>最近|近来|近期|这阵子|这段时间|这几天|这个?月|本月)?\s*(?:的?(?:情况|表现|状况))?\s*"
    r"(?:怎么样|咋样|如何|怎样|还行吗|好吗|什么情况)了?(?:啊|呢|呀)?\s*[?？]?$")
# words that name no dealer: people, everything, the records a person asks about
_NOT_A_DEALER = re.compile(
    r"(?:^(?:你|您|我|我们|咱们|大家|整体|总体|全部|所有|各家|经销商|哪些?|哪个|哪家|谁|产品|这个|那个|今天|生意|市场|行情|"
    r"销售|公司|业务|华东|华南|华北|华中|西南|西北|东北|全国))|工单|订单|那单|反馈|售后|报修|质量|维修|货|物流|快递|"
    r"申请|审批|额度|返利|对账|合同|活动|库存|款")


def names_no_dealer(words: str) -> bool:
    """Words that name no dealer ("我们", "哪些经销商", "所有", "订单"): a question about every one or about
    something else."""
    return bool(_NOT_A_DEALER.search(words))


def dealer_asked_about(text: str) -> str | None:
    """The words naming the dealer a staff member asks about ("德润最近怎么样了" -> "德润"), else None."""
    m = _ASKED.match(" ".join(text.split()))
    if m is None or not (m.group("there") or m.group("when")) or _NOT_A_DEALER.search(m.group("who")):
        return None
    return m.group("who")


# a dealer asking about another company's figures by its name: "上海金鼎最近卖了多少", "金鼎这个月的销量", "德润的库存"
# (QA s28 #22: answered with the asker's own figures under no name)
_FIGURES_OF = re.compile(
    r"^(?:查一?下|看一?下|看看|问一?下)?\s*(?P<who>[\u4e00-\u9fff]{2,12}?)\s*(?:那边|这家|那家)?\s*的?\s*"
    r"(?P<when>最近|近来|近期|这阵子|这段时间|这几天|这个?月|本月|上个?月|今年|去年)?\s*的?\s*"
    r"(?:(?P<asked>卖了多少|卖得?怎么样|卖得?咋样)|销量|销售额?|动销|出货|库存|进了多少货?|进货)")


_NOT_A_COMPANY = re.compile(r"报|帮|查|看|共享|调拨|仓库|总仓|产品|全部|所有|整体|统计|汇总|一下|请|麻烦|给|要|我|咱|自己|本店|门店|最近|近期|近来|这阵子|下级|下面|上级|今年|去年|前年|本月|上月|个月|这月|这周|本周|上周|今天|昨天|季度|全年|"
                            r"半年|月份|一共|总共|现在|目前")


def other_dealer_figures_asked(text: str) -> str | None:
    """The words naming a company whose sales, stock or purchases are asked about ("上海金鼎最近卖了多少" -> "上海金鼎"),
    else None (words naming no dealer: "我们", "整体", "订单" ...)."""
    m = _FIGURES_OF.match(" ".join(text.split()))
    if m is None or names_no_dealer(m.group("who")) or _NOT_A_COMPANY.search(m.group("who")):
        return None
    if not (m.group("when") or "的" in m.group(0)[m.end("who") - m.start():] or m.group("asked")):
        return None         # "共享库存", "调拨库存": words run into the figure's name, no company's figures asked
    return m.group("who")
