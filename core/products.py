"""Products, tier price lists, dealer overrides and allowed SKUs, promotions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum


@dataclass
class Product:
    sku: str
    name: str
    category: str
    unit: str                         # 台 / 箱 / 件 ...
    list_price: Decimal
    aliases: list[str] = field(default_factory=list)
    pack_size: int = 1
    moq: int = 1                      # minimum order quantity
    active: bool = True
    id: int | None = None


@dataclass
class TierPrice:
    """Price of one SKU for one dealer tier (the tier price list)."""

    tier: str
    sku: str
    price: Decimal
    id: int | None = None


@dataclass
class DealerPrice:
    """Per-dealer override; wins over the tier price."""

    dealer_id: int
    sku: str
    price: Decimal
    id: int | None = None


@dataclass
class DealerAllowedSku:
    """When a dealer has any of these rows, it may buy only those SKUs."""

    dealer_id: int
    sku: str
    id: int | None = None


class PromotionKind(StrEnum):
    PERCENT_OFF = "percent_off"       # percent off matching lines
    BUY_X_GET_Y = "buy_x_get_y"       # for every buy_qty of a SKU, free_qty free
    TIERED = "tiered"                 # percent off the order by amount of matching lines


@dataclass
class PromotionTier:
    min_amount: Decimal
    percent: Decimal                  # 5 means 5 %


@dataclass
class Promotion:
    code: str
    name: str
    kind: PromotionKind
    starts_on: date
    ends_on: date
    skus: list[str] = field(default_factory=list)          # empty: all SKUs
    dealer_tiers: list[str] = field(default_factory=list)  # empty: all tiers
    percent: Decimal = Decimal("0")
    buy_qty: int = 0
    free_qty: int = 0
    tiers: list[PromotionTier] = field(default_factory=list)
    budget: Decimal | None = None     # cap on the total discount granted; None: no cap
    spent: Decimal = Decimal("0.00")
    active: bool = True
    id: int | None = None
