"""Maker warehouses and stock, dealer stock, thresholds, transfers (调拨)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


@dataclass
class Warehouse:
    code: str
    name: str
    region: str           # 华东 / 华北 / ...
    province: str = ""
    city: str = ""
    id: int | None = None


@dataclass
class StockLevel:
    warehouse_id: int
    sku: str
    on_hand: int = 0
    reserved: int = 0
    updated_at: datetime | None = None
    id: int | None = None

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


@dataclass(frozen=True)
class WarehouseStock:
    """A read view: one active product's stock in one warehouse, with the warehouse's region and its low-stock
    mark for the product (None: no mark set). Read in one statement by storage (``uow.warehouse_stock``)."""
    sku: str
    warehouse_id: int
    region: str
    available: int
    low: int | None


@dataclass
class DealerStock:
    dealer_id: int
    sku: str
    qty: int
    reported_at: datetime | None = None
    id: int | None = None


class ThresholdScope(StrEnum):
    WAREHOUSE = "warehouse"
    DEALER = "dealer"


@dataclass
class StockThreshold:
    scope: ThresholdScope
    scope_id: int
    sku: str
    low: int                          # the reorder point: an alert at or below it
    high: int | None = None           # the maximum a refill goes up to
    safety: int | None = None         # the safety stock (a dealer's, or staff's), None when not given
    source: str = "staff"             # who set it: "staff" (back office), "dealer" (chat), "forecast"
    id: int | None = None


class TransferStatus(StrEnum):
    """requested -> approved (stock reserved at the source) -> shipped -> received (stock moved);
    requested/approved -> cancelled; requested -> refused. See core.services.transfers."""

    REQUESTED = "requested"
    APPROVED = "approved"
    SHIPPED = "shipped"
    RECEIVED = "received"
    CANCELLED = "cancelled"
    REFUSED = "refused"


@dataclass
class TransferLine:
    sku: str
    qty: int


@dataclass
class Transfer:
    number: str                       # "DB-20261126-0001"
    from_scope: ThresholdScope
    from_id: int
    to_scope: ThresholdScope
    to_id: int
    lines: list[TransferLine] = field(default_factory=list)
    status: TransferStatus = TransferStatus.REQUESTED
    created_by: str = ""
    created_at: datetime | None = None
    requested_by_dealer_id: int | None = None   # the dealer that asked (None: maker staff or an ERP key)
    needs_maker_approval: bool = False          # the channel manager approves (dealer -> dealer per contract, returns)
    note: str = ""
    approved_by: str | None = None
    approved_at: datetime | None = None
    shipped_at: datetime | None = None
    received_at: datetime | None = None
    closed_by: str | None = None                # who cancelled or refused
    close_reason: str = ""
    updated_at: datetime | None = None
    id: int | None = None
