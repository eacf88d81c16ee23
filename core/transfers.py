"""Stock sharing between dealers and the rules of a transfer (调拨); the use cases are in
``core.services.transfers``.

A dealer decides what of its reported stock others see (``StockSharing``): the maker, dealers of its
region, dealers of its own network (same parent, its parent, its sub-dealers), all products or chosen
ones, and whether its name is shown. A name is shown to another dealer only when both chose to show
theirs. ``transfer_approval`` is the maker's rule, not the dealer's (the contract model has no such term
yet): a dealer -> dealer transfer touching a dealer with the flag on waits for the channel manager;
without a row the flag is on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from core.dealers import Dealer
from core.inventory import ThresholdScope, TransferStatus


@dataclass
class StockSharing:
    dealer_id: int
    with_maker: bool = False
    with_region: bool = False
    with_network: bool = False        # dealers with the same parent, the parent, the sub-dealers
    show_name: bool = False
    skus: list[str] = field(default_factory=list)   # empty: every product
    transfer_approval: bool = True    # the maker's rule: dealer -> dealer transfers wait for its approval
    updated_at: datetime | None = None
    updated_by: str = ""
    id: int | None = None

    @property
    def shares_any(self) -> bool:
        return self.with_region or self.with_network

    def covers(self, sku: str) -> bool:
        return not self.skus or sku in self.skus


def same_network(a: Dealer, b: Dealer) -> bool:
    """Siblings under one parent, or parent and sub-dealer."""
    return ((a.parent_id is not None and a.parent_id == b.parent_id)
            or (a.parent_id is not None and a.parent_id == b.id)
            or (b.parent_id is not None and b.parent_id == a.id))


def shares_with(owner: Dealer, sharing: StockSharing | None, viewer: Dealer, sku: str | None = None) -> bool:
    """Does ``owner`` show its stock (of ``sku``) to the dealer ``viewer``?"""
    if sharing is None or owner.id == viewer.id or (sku is not None and not sharing.covers(sku)):
        return False
    return ((sharing.with_region and owner.region == viewer.region)
            or (sharing.with_network and same_network(owner, viewer)))


#: status -> the statuses it may move to
TRANSITIONS: dict[TransferStatus, frozenset[TransferStatus]] = {
    TransferStatus.REQUESTED: frozenset({TransferStatus.APPROVED, TransferStatus.CANCELLED, TransferStatus.REFUSED}),
    TransferStatus.APPROVED: frozenset({TransferStatus.SHIPPED, TransferStatus.CANCELLED}),
    TransferStatus.SHIPPED: frozenset({TransferStatus.RECEIVED}),
    TransferStatus.RECEIVED: frozenset(),
    TransferStatus.CANCELLED: frozenset(),
    TransferStatus.REFUSED: frozenset(),
}

#: statuses that hold stock at the source (reserved on approval, released on receipt or cancellation)
HOLDING = frozenset({TransferStatus.APPROVED, TransferStatus.SHIPPED})
OPEN = frozenset({TransferStatus.REQUESTED, TransferStatus.APPROVED, TransferStatus.SHIPPED})

TRANSFER_STATUS_LABELS: dict[TransferStatus, tuple[str, str]] = {
    TransferStatus.REQUESTED: ("待审批", "requested"),
    TransferStatus.APPROVED: ("已批准待发货", "approved, to ship"),
    TransferStatus.SHIPPED: ("已发出", "shipped"),
    TransferStatus.RECEIVED: ("已接收", "received"),
    TransferStatus.CANCELLED: ("已取消", "cancelled"),
    TransferStatus.REFUSED: ("已拒绝", "refused"),
}

SCOPE_LABELS: dict[ThresholdScope, tuple[str, str]] = {
    ThresholdScope.WAREHOUSE: ("厂家仓库", "maker warehouse"),
    ThresholdScope.DEALER: ("经销商", "dealer"),
}
