"""Orders (SO-YYYYMMDD-NNNN): lines priced from the dealer's price list, a state machine, a timeline."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum


class OrderStatus(StrEnum):
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"
    ALLOCATED = "allocated"
    IN_PRODUCTION = "in_production"
    SHIPPED = "shipped"
    RECEIVED = "received"
    CLOSED = "closed"
    CANCELLED = "cancelled"


ORDER_STATUS_LABELS: dict[OrderStatus, tuple[str, str]] = {
    OrderStatus.SUBMITTED: ("已提交", "Submitted"),
    OrderStatus.APPROVED: ("已审核", "Approved"),
    OrderStatus.REJECTED: ("已驳回", "Rejected"),
    OrderStatus.ALLOCATED: ("已配货", "Allocated"),
    OrderStatus.IN_PRODUCTION: ("生产中", "In production"),
    OrderStatus.SHIPPED: ("已发货", "Shipped"),
    OrderStatus.RECEIVED: ("已收货", "Received"),
    OrderStatus.CLOSED: ("已完成", "Closed"),
    OrderStatus.CANCELLED: ("已取消", "Cancelled"),
}


# the system notes on a receipt that say it came with exceptions (core.notes); "已收货（有异常）"
RECEIPT_EXCEPTION_NOTES = frozenset({"部分收货", "有破损"})
RECEIVED_WITH_EXCEPTIONS = ("已收货（有异常）", "Received with exceptions")


@dataclass
class OrderLine:
    sku: str
    name: str
    qty: int
    unit_price: Decimal               # after tier price / override, before promotions
    discount: Decimal = Decimal("0.00")   # promotion discount on this line (CNY)
    free_qty: int = 0                 # buy-X-get-Y free units
    promotion_code: str | None = None
    id: int | None = None
    order_id: int | None = None

    @property
    def amount(self) -> Decimal:
        return (self.unit_price * self.qty - self.discount).quantize(Decimal("0.01"))


@dataclass
class OrderEvent:
    """One line of the order's timeline."""

    status: OrderStatus
    actor: str                        # actor label
    at: datetime
    note: str = ""
    id: int | None = None
    order_id: int | None = None


@dataclass
class Order:
    number: str
    dealer_id: int
    lines: list[OrderLine] = field(default_factory=list)
    status: OrderStatus = OrderStatus.SUBMITTED
    total: Decimal = Decimal("0.00")
    requested_delivery: date | None = None
    warehouse_id: int | None = None
    client_request_key: str | None = None   # idempotent submission
    placed_by: str = ""                     # actor label
    on_behalf: bool = False                 # 代客下单: staff placed it for the dealer
    approval_reasons: list[str] = field(default_factory=list)  # why it needs approval; empty: none
    paid_from_rebate: Decimal = Decimal("0.00")
    paid_from_prepayment: Decimal = Decimal("0.00")
    paid_from_credit: Decimal = Decimal("0.00")
    carrier: str | None = None
    tracking_no: str | None = None
    reject_reason: str | None = None
    note: str = ""
    events: list[OrderEvent] = field(default_factory=list)
    created_at: datetime | None = None
    updated_at: datetime | None = None
    version: int = 1                        # optimistic lock: concurrent decisions
    # revision 0016_hierarchy: "pending" while the parent dealer (approves_sub_orders) has not decided, then
    # "approved"; None when no parent approval is needed
    parent_approval: str | None = None
    held_reason: str | None = None          # on hold for review (the dealer was suspended): no approve/allocate/ship
    id: int | None = None

    @property
    def receipt_exceptions(self) -> str:
        """The note of a receipt with exceptions (goods short or damaged: "部分收货；有破损；WP600 少货 ×2；…"), ''
        when not received or received whole."""
        if self.status not in (OrderStatus.RECEIVED, OrderStatus.CLOSED):
            return ""
        received = next((e for e in reversed(self.events) if e.status == OrderStatus.RECEIVED), None)
        if received is None:
            return ""
        parts = received.note.split("；")
        return received.note if RECEIPT_EXCEPTION_NOTES & {p.partition("：")[0] for p in parts} else ""

    def placed_by_dealer(self, dealer_id: int | None) -> bool:
        """Was it placed by a user of that dealer (its own, or a parent's 代客下单: ``Actor.label`` "dealer:12:li")?"""
        return dealer_id is not None and self.placed_by.startswith(f"dealer:{dealer_id}:")

    @property
    def needs_approval(self) -> bool:
        """True when a person holding ORDER_APPROVE must decide (e.g. over the credit limit)."""
        return bool(self.approval_reasons)

    @property
    def uncovered(self) -> Decimal:
        """What the dealer's funds did not cover when it was placed: the credit shortfall an approval allows."""
        paid = self.paid_from_rebate + self.paid_from_prepayment + self.paid_from_credit
        return max(self.total - paid, Decimal("0.00")).quantize(Decimal("0.01"))

    @property
    def subtotal(self) -> Decimal:
        return sum((ln.unit_price * ln.qty for ln in self.lines), Decimal("0.00")).quantize(Decimal("0.01"))

    @property
    def discount_total(self) -> Decimal:
        return sum((ln.discount for ln in self.lines), Decimal("0.00")).quantize(Decimal("0.01"))
