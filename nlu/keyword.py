"""A small keyword parser: good enough to route chat until the full parser lands.

Finds order items ("AP300 来二十台", "F300 5箱", "滤网两箱"), order numbers, delivery dates
("下周三到", see ``nlu.dates``), and intents by keywords. Products come from the catalogue passed
in (SKUs, names, aliases), never from code.
"""

from __future__ import annotations

import re
from datetime import date

from nlu.dates import find_date
from nlu.numbers import parse_int
from nlu.schema import CatalogueEntry, Intent, OrderItem, ParseResult, Slots

ORDER_NO = re.compile(r"\b(SO|AS|QF)-\d{8}-\d{4}\b", re.IGNORECASE)
QTY = r"(?P<qty>\d+|[零〇一二两三四五六七八九十百千万]+)\s*(?P<unit>台|箱|件|个|套|支|盒|包|pcs|pc|units?|boxes|box|sets?)?"

# "the same as last time": an order intent without items (the ordering flow copies the last order)
REORDER_WORDS = ("再来一单", "上次一样", "照上次", "same as last")

KEYWORDS: list[tuple[Intent, tuple[str, ...]]] = [
    (Intent.CANCEL_ORDER, ("取消订单", "撤单", "cancel order", "cancel my order")),
    (Intent.ORDER_STATUS, ("到哪了", "物流", "发货了吗", "订单状态", "进度", "order status", "where is my order",
                           "tracking", "shipped")),
    (Intent.QUERY_STOCK, ("库存", "有货", "有没有货", "stock", "in stock", "availability")),
    (Intent.AFTER_SALES, ("坏了", "维修", "报修", "售后", "不出水", "不工作", "故障", "repair", "broken", "not working",
                          "after-sales", "after sales")),
    (Intent.QUALITY_FEEDBACK, ("质量问题", "质量反馈", "批次", "次品", "quality", "defect")),
    (Intent.REPORT_SALES, ("上报销量", "销量上报", "卖了", "卖出", "report sales", "sold")),
    (Intent.SALES_QUERY, ("销售怎么样", "业绩", "完成率", "sales report", "performance")),
    (Intent.CONTRACT_QUERY, ("合同", "返利", "余额", "对账", "contract", "rebate", "balance", "statement")),
    (Intent.CAMPAIGN_QUERY, ("活动", "促销", "campaign", "promotion")),
    (Intent.PLACE_ORDER, ("下单", "订货", "要货", "来", "order", "buy", *REORDER_WORDS)),
    (Intent.HELP, ("帮助", "怎么用", "help", "menu", "菜单")),
    (Intent.GREETING, ("你好", "您好", "hello", "hi", "在吗")),
]


def _names(entry: CatalogueEntry) -> list[str]:
    return [n for n in {entry.sku, entry.name, *entry.aliases} if n]


def find_items(text: str, catalogue: list[CatalogueEntry],
               dealer_aliases: dict[str, str] | None = None) -> list[OrderItem]:
    """Products named in ``text`` followed (or preceded) by a quantity. Longest names match first."""
    names: list[tuple[str, str]] = [(n, e.sku) for e in catalogue for n in _names(e)]
    names += list((dealer_aliases or {}).items())
    names.sort(key=lambda pair: len(pair[0]), reverse=True)
    taken = [False] * len(text)
    lower = text.lower()
    hits: list[tuple[int, int, str]] = []
    for name, sku in names:
        start = 0
        while (i := lower.find(name.lower(), start)) >= 0:
            end = i + len(name)
            if not any(taken[i:end]):
                hits.append((i, end, sku))
                for k in range(i, end):
                    taken[k] = True
            start = end
    hits.sort()
    items: dict[str, int] = {}
    for n, (i, end, sku) in enumerate(hits):
        nxt = hits[n + 1][0] if n + 1 < len(hits) else len(text)
        after = text[end:nxt]
        m = re.search(r"^\s*(?:来|要|订|x|\*|×|：|:)?\s*" + QTY, after, re.IGNORECASE)
        qty = parse_int(m.group("qty")) if m else None
        if qty is None:
            prev = hits[n - 1][1] if n else 0
            before = text[prev:i]
            m = re.search(QTY + r"\s*$", before, re.IGNORECASE)
            qty = parse_int(m.group("qty")) if m and m.group("unit") else None
        if qty:
            items[sku] = items.get(sku, 0) + qty
    return [OrderItem(sku=s, qty=q) for s, q in items.items()]


def mentioned_product(text: str, catalogue: list[CatalogueEntry]) -> str | None:
    """The SKU of the longest product name in ``text``, if any."""
    lower = text.lower()
    best: tuple[int, str] | None = None
    for e in catalogue:
        for n in _names(e):
            if n.lower() in lower and (best is None or len(n) > best[0]):
                best = (len(n), e.sku)
    return best[1] if best else None


class KeywordParser:
    async def parse(self, text: str, *, catalogue: list[CatalogueEntry], today: date,
                    dealer_aliases: dict[str, str] | None = None) -> ParseResult:
        clean = text.strip()
        lower = clean.lower()
        slots = Slots()
        if m := ORDER_NO.search(clean):
            slots.order_no = m.group(0).upper()
        if (when := find_date(clean, today)) is not None:
            slots.delivery_date = when.value
            # blank the date out so its digits are never read as a quantity
            clean_for_items = clean[:when.start] + " " * (when.end - when.start) + clean[when.end:]
        else:
            clean_for_items = clean
        items = find_items(clean_for_items, catalogue, dealer_aliases)
        slots.items = items
        for intent, words in KEYWORDS:
            if any(w in lower for w in words):
                if (intent == Intent.PLACE_ORDER and not items and "下单" not in lower and "order" not in lower
                        and not any(w in lower for w in REORDER_WORDS)):
                    continue
                if intent in (Intent.QUERY_STOCK, Intent.AFTER_SALES, Intent.QUALITY_FEEDBACK):
                    slots.product = items[0].sku if items else mentioned_product(clean, catalogue)
                return ParseResult(intent=intent, confidence=0.7, slots=slots)
        if items:
            return ParseResult(intent=Intent.PLACE_ORDER, confidence=0.8, slots=slots)
        if slots.order_no:
            return ParseResult(intent=Intent.ORDER_STATUS, confidence=0.7, slots=slots)
        return ParseResult(intent=Intent.FAQ if clean.endswith(("?", "？", "吗")) else Intent.CHITCHAT_OTHER,
                           confidence=0.3, slots=slots)
