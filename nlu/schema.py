"""The one result schema every parser returns (offline or LLM)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Protocol

from pydantic import BaseModel, Field

# an offline prediction under this probability is wrong far more often than one above it (``dms nlu eval``)
LOW_CONFIDENCE = 0.6


class Intent(StrEnum):
    PLACE_ORDER = "place_order"
    QUERY_STOCK = "query_stock"
    ORDER_STATUS = "order_status"
    CANCEL_ORDER = "cancel_order"
    PRICE_QUERY = "price_query"          # a price for this dealer, or the price list
    TICKET_STATUS = "ticket_status"      # follow-up of the dealer's own after-sales tickets / quality reports
    AFTER_SALES = "after_sales"
    QUALITY_FEEDBACK = "quality_feedback"
    REPORT_SALES = "report_sales"
    SALES_QUERY = "sales_query"
    CONTRACT_QUERY = "contract_query"
    CAMPAIGN_QUERY = "campaign_query"
    FAQ = "faq"
    GREETING = "greeting"
    HELP = "help"
    CANCEL = "cancel"
    CHITCHAT_OTHER = "chitchat_other"


class OrderItem(BaseModel):
    sku: str
    qty: int = Field(ge=1)


class EditOp(StrEnum):
    """What a message does to the lines of an order being built (or a sell-out report in progress)."""

    ADD = "add"            # "AP300 20台", "再加5台AP300"
    SET = "set"            # "AP300 改成10台", "10台就行", "改成10台" (sku None: the line the chat means)
    REMOVE = "remove"      # "不要AP300了", "AP300删掉"
    REPLACE = "replace"    # "AP300换成AP500" (qty None: keep the quantity)
    SCALE = "scale"        # "数量翻倍" (factor 2), "减半" (factor 0.5); sku None: every line
    SUBTRACT = "subtract"  # "AP300少要5台", "5号减30": that many fewer on the line (none left: the line goes)


class CartEdit(BaseModel):
    op: EditOp
    sku: str | None = None
    qty: int | None = Field(default=None, ge=1)
    to_sku: str | None = None                  # REPLACE: the new product
    unit: str = ""                             # the unit as written ("箱" for a product sold by the piece)
    factor: Decimal | None = None              # SCALE
    # REPLACE with no ``sku``: the line of whichever of these the cart holds ("把滤网换成两箱AP500滤网": the filter
    # in the cart, whichever it is; ``nlu.generic_swaps``)
    among: list[str] = Field(default_factory=list)


class Unresolved(BaseModel):
    """A product-like word written with a quantity that names no one product ("XY123 五台", "滤网5箱" with
    two filters in the catalogue): never dropped, the chat names it back with ``candidates`` (SKUs)."""

    word: str
    qty: int | None = None
    candidates: list[str] = Field(default_factory=list)
    generic: bool = False          # a word of several products' names ("滤网"), not an unknown one
    sets: bool = False             # "米黄的改成5桶": the count replaces a line's (the chat picks the one in the cart)
    less: bool = False             # "5号减30": the count is taken off a line's
    unit: str = ""                 # the unit the count was written in ("5号 2捆": 2 bundles)
    replaces: str | None = None    # "不是DH20 是DH30" with no DH30: the SKU whose line the product picked replaces


class Slots(BaseModel):
    items: list[OrderItem] = Field(default_factory=list)
    product: str | None = None          # a SKU
    order_no: str | None = None
    warehouse: str | None = None
    region: str | None = None
    delivery_date: date | None = None
    description: str | None = None
    qty: int | None = None
    amount: Decimal | None = None
    period: str | None = None          # see ``nlu.report_periods``: "this_year", "last_quarter", "2026Q3", "202611" ...
    period_said: str | None = None     # words that look like a period but name none understood ("Q5", "财年")
    compare: str | None = None         # "yoy" ("同比", "跟去年比") / "mom" ("环比"): figures compared
    split: str | None = None           # "quarter" ("各季度") / "month" ("每个月"): the period split; "region" ("按大区"),
    #                                    "province", "city": figures by place
    measure: str | None = None         # "orders" ("订货") / "sellout" ("动销"): what the figures count
    ranking: str | None = None          # "lowest" ("哪个经销商卖得最差", "完成率最低", "worst") / "highest" ("最好",
    #                                     "前几名", "top"): a ranking asked for, from the bottom or the top
    unknown_words: list[str] = Field(default_factory=list)   # product-like words not in the catalogue
    removed: list[str] = Field(default_factory=list)         # SKUs the message takes back ("不要AP300了")
    rejected_quantities: list[str] = Field(default_factory=list)  # written quantities that are not whole numbers
    zero_quantities: list[str] = Field(default_factory=list)  # those of ``rejected_quantities`` that are zero ("0台")
    negative_quantities: list[str] = Field(default_factory=list)  # "-5台", "负5台": refused, never read as 5
    edits: list[CartEdit] = Field(default_factory=list)           # the message's lines as operations, in order
    unresolved: list[Unresolved] = Field(default_factory=list)
    order_suffix: str | None = None    # "尾号0012的单": the last digits of an order number
    placed_from: date | None = None    # "前天那单", "11月初下的那单": when the order was placed
    placed_to: date | None = None
    account: str | None = None     # a money account named: "rebate", "prepayment", "deposit", "credit"
    topic: str | None = None       # "price_list" (price_query), "profile" (contract_query), "list" (ticket_status),
    #                                "start" / "reorder" / "clear_cart" (place_order), "cart_total" (any intent:
    #                                "一共多少钱", the open cart's total), "menu" (faq: "常见问题", the list),
    #                                "received" (order_status: "货到了", the shipped orders to confirm),
    #                                "shipping" (order_status: "物流单号多少", the shipped orders' waybills),
    #                                "count" (order_status: "今天一共发了几单货", how many orders placed and shipped),
    #                                "receipt_issue" (quality_feedback: "货到了 少了2台", goods short or damaged),
    #                                "view_cart" (place_order: "看下购物车", the open cart shown),
    #                                "size_up" / "size_down" (place_order: "换成大一号的", a line one size up or down),
    #                                "done" (any intent: "就这些", the open cart is complete),
    #                                "debt" (contract_query: "欠款还有多少没还", the credit owed and how much is late),
    #                                "keep" (cancel_order: "不取消", "别取消": nothing is cancelled),
    #                                "models" (query_stock: "净水器有啥型号", the products of the words listed),
    #                                "note" (place_order: "备注：卸货需要叉车", the order's note in description),
    #                                "follow_up" (sales_query: "上个月呢", "跟去年比呢": nothing but a period, a
    #                                comparison or a split: the report just shown, changed by it)
    counted: str | None = None     # topic "count": "decided" ("这周审了多少单": approved and rejected in the days said)
    #                                or the orders waiting now at a step: "waiting_approval" / "waiting_allocation" /
    #                                "waiting_shipment" ("待发货有几单": approved, not shipped yet); None: placed and shipped


class ParseResult(BaseModel):
    intent: Intent
    confidence: float = Field(ge=0.0, le=1.0)
    slots: Slots = Field(default_factory=Slots)
    # a second request in the same message ("订10台AP800，另外DH50还有货吗"): the part after the first,
    # parsed on its own; the chat answers it too when it only reads, or offers it (a third request rides along in
    # the second's ``also``, and so on: "我要AP300 10台，DH20有没有货？另外上次那单发货了没")
    also: ParseResult | None = None
    said: str | None = None      # this request's own words when the message held several (None: the whole message)


class CatalogueEntry(BaseModel):
    """What a parser knows about one product; loaded from the database, never hard-coded."""

    sku: str
    name: str
    aliases: list[str] = Field(default_factory=list)
    unit: str = ""
    category: str = ""           # the maker's word for the kind ("狗粮", "开关"): a word of several products


class IntentParser(Protocol):
    async def parse(self, text: str, *, catalogue: list[CatalogueEntry], today: date,
                    dealer_aliases: dict[str, str] | None = None) -> ParseResult: ...
