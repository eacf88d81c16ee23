"""Validated import records: one dataclass a row kind, the output of row validation."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Generic

from core.dealers import (
    DealerStatus,
    DocumentType,
    ReviewStatus,
)
from core.masking import mask_phone
from core.migration.columns import R, RowError
from core.orders import OrderStatus
from core.sellout import CustomerType

# --- records ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProductRecord:
    row: int
    sku: str
    name: str
    aliases: tuple[str, ...]
    category: str
    unit: str
    list_price: Decimal
    pack_size: int = 1
    moq: int = 1
    active: bool = True
    max_line_qty: int | None = None
    has_max_line_qty: bool = False    # the file has the column: an empty cell sets the default back

    @property
    def label(self) -> str:
        return self.sku

    def fields(self) -> dict[str, Any]:
        """What the row sets; a file without ``max_line_qty`` leaves the stored one alone."""
        values = {"name": self.name, "aliases": list(self.aliases), "category": self.category,
                  "unit": self.unit, "list_price": self.list_price, "pack_size": self.pack_size,
                  "moq": self.moq, "active": self.active}
        if self.has_max_line_qty:
            values["max_line_qty"] = self.max_line_qty
        return values


@dataclass(frozen=True)
class DealerRecord:
    row: int
    code: str
    name: str
    uscc: str
    province: str
    city: str
    region: str
    tier: str
    parent_code: str | None = None
    credit_limit: Decimal = Decimal("0.00")
    contact_name: str | None = None
    contact_phone: str | None = None
    contact_role: str = ""
    status: DealerStatus | None = None   # None: prospect for a new dealer, unchanged for a known one

    @property
    def label(self) -> str:
        return self.code

    def fields(self) -> dict[str, Any]:
        data: dict[str, Any] = {"name": self.name, "uscc": self.uscc, "province": self.province,
                                "city": self.city, "region": self.region, "tier": self.tier,
                                "credit_limit": self.credit_limit}
        if self.status is not None:
            data["status"] = self.status
        return data


@dataclass(frozen=True)
class StockRecord:
    row: int
    warehouse: str
    sku: str
    on_hand: int

    @property
    def label(self) -> str:
        return f"{self.warehouse}/{self.sku}"


@dataclass
class ValidationResult(Generic[R]):
    records: list[R] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    rows_read: int = 0          # non-blank data rows

    @property
    def ok(self) -> bool:
        return not self.errors




# --- data migration: contacts, qualifications, prices, historical orders, sell-out ------------------


@dataclass(frozen=True)
class ContactRecord:
    """Keyed by dealer code + phone: the same phone again updates the name/role."""

    row: int
    dealer_code: str
    name: str
    phone: str
    role: str = ""

    @property
    def label(self) -> str:
        return f"{self.dealer_code}/{mask_phone(self.phone)}"


@dataclass(frozen=True)
class QualificationRecord:
    """Keyed by dealer code + document type + document number."""

    row: int
    dealer_code: str
    doc_type: DocumentType
    number: str
    issued_on: date | None = None
    expires_on: date | None = None
    status: ReviewStatus = ReviewStatus.APPROVED

    @property
    def label(self) -> str:
        return f"{self.dealer_code}/{self.doc_type.value}/{self.number}"


@dataclass(frozen=True)
class PriceRecord:
    """A tier price (``tier`` set) or a dealer price (``dealer_code`` set), keyed by it + SKU."""

    row: int
    sku: str
    price: Decimal
    tier: str | None = None
    dealer_code: str | None = None

    @property
    def label(self) -> str:
        return f"{self.tier or self.dealer_code}/{self.sku}"


@dataclass(frozen=True)
class OrderLineRecord:
    row: int
    order_number: str
    dealer_code: str
    order_date: date
    status: OrderStatus
    sku: str
    qty: int
    unit_price: Decimal
    product_name: str = ""
    free_qty: int = 0
    discount: Decimal = Decimal("0.00")

    @property
    def label(self) -> str:
        return f"{self.order_number}/{self.sku}"


@dataclass(frozen=True)
class HistoricalOrderRecord:
    """One historical order: the lines of every row with its number, in file order."""

    row: int                     # first row of the order
    number: str
    dealer_code: str
    order_date: date
    status: OrderStatus
    lines: tuple[OrderLineRecord, ...]

    @property
    def label(self) -> str:
        return self.number


@dataclass(frozen=True)
class SellOutRecord:
    """Keyed by the natural key (dealer, date, sku, qty, amount, city): the old systems we migrate from
    have no stable line id, so two identical sales on one day in one city must be summed into one row."""

    row: int
    dealer_code: str
    sold_on: date
    sku: str
    qty: int
    amount: Decimal
    city: str
    province: str = ""
    customer_type: CustomerType = CustomerType.RETAIL

    @property
    def label(self) -> str:
        return f"{self.dealer_code}/{self.sold_on.isoformat()}/{self.sku}"

    @property
    def key(self) -> tuple[str, date, str, int, Decimal, str]:
        return (self.dealer_code.upper(), self.sold_on, self.sku.upper(), self.qty, self.amount, self.city)
