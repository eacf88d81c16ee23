"""Sell-out: what dealers sold to their customers, line by line."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum


class CustomerType(StrEnum):
    RETAIL = "retail"          # 零售
    PROJECT = "project"        # 工程
    ONLINE = "online"          # 电商
    SUBDEALER = "subdealer"    # 分销


@dataclass
class SellOutLine:
    dealer_id: int
    sold_on: date
    sku: str
    qty: int
    amount: Decimal
    province: str
    city: str
    customer_type: CustomerType = CustomerType.RETAIL
    reported_at: datetime | None = None
    id: int | None = None
