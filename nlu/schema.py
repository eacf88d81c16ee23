"""The one result schema every parser returns (offline or LLM)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Protocol

from pydantic import BaseModel, Field


class Intent(StrEnum):
    PLACE_ORDER = "place_order"
    QUERY_STOCK = "query_stock"
    ORDER_STATUS = "order_status"
    CANCEL_ORDER = "cancel_order"
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
    period: str | None = None
    unknown_words: list[str] = Field(default_factory=list)   # product-like words not in the catalogue
    removed: list[str] = Field(default_factory=list)         # SKUs the message takes back ("不要AP300了")
    rejected_quantities: list[str] = Field(default_factory=list)  # written quantities that are not whole numbers


class ParseResult(BaseModel):
    intent: Intent
    confidence: float = Field(ge=0.0, le=1.0)
    slots: Slots = Field(default_factory=Slots)


class CatalogueEntry(BaseModel):
    """What a parser knows about one product; loaded from the database, never hard-coded."""

    sku: str
    name: str
    aliases: list[str] = Field(default_factory=list)
    unit: str = ""


class IntentParser(Protocol):
    async def parse(self, text: str, *, catalogue: list[CatalogueEntry], today: date,
                    dealer_aliases: dict[str, str] | None = None) -> ParseResult: ...
