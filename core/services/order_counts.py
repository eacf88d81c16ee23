"""How many orders: "今天一共多少单", "这周发了几单货", "我这个月下了几单", "这周审了多少单", "待发货有几单" (read only).

Counted over what the actor may read (a dealer its own orders and its sub-dealers', staff all of them), in the
days asked for (the manufacturer's time zone): the orders placed then, by their status now, with their amount,
the orders shipped then (whenever they were placed), by their shipment event, and the orders approved or rejected
then, by their decision event (``order_counts``); or the orders waiting now at a step, by status (``waiting_orders``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

from core.authz import DealerRecord, readable_dealers
from core.clock import Clock
from core.orders import OrderStatus
from core.ports import AbstractUnitOfWork
from core.users import Actor, Permission

SCAN = 2000
"""At most this many orders are read for one count (a day's or a month's orders of one manufacturer)."""


@dataclass(frozen=True)
class OrderCounts:
    start: date
    end: date                                   # inclusive
    placed: int = 0
    placed_amount: Decimal = Decimal("0.00")    # of the placed orders not rejected or cancelled
    by_status: dict[OrderStatus, int] = field(default_factory=dict)
    shipped: int = 0
    approved: int = 0                           # approved in those days (whenever placed)
    rejected: int = 0                           # rejected in those days
    truncated: bool = False                     # more than SCAN orders: the counts are a lower bound


class WaitingStep(StrEnum):
    """A step orders wait at: for approval, for allocation (approved, or in production), for shipment (approved and
    not shipped yet: approved, allocated or in production)."""

    APPROVAL = "approval"
    ALLOCATION = "allocation"
    SHIPMENT = "shipment"


WAITING_STATUSES: dict[WaitingStep, tuple[OrderStatus, ...]] = {
    WaitingStep.APPROVAL: (OrderStatus.SUBMITTED,),
    WaitingStep.ALLOCATION: (OrderStatus.APPROVED, OrderStatus.IN_PRODUCTION),
    WaitingStep.SHIPMENT: (OrderStatus.APPROVED, OrderStatus.ALLOCATED, OrderStatus.IN_PRODUCTION),
}


@dataclass(frozen=True)
class WaitingOrders:
    step: WaitingStep
    total: int = 0
    amount: Decimal = Decimal("0.00")
    by_status: dict[OrderStatus, int] = field(default_factory=dict)
    truncated: bool = False


async def order_counts(uow: AbstractUnitOfWork, actor: Actor, clock: Clock, start: date,
                       end: date | None = None) -> OrderCounts:
    end = end or start
    since = datetime.combine(start, time.min, clock.tz)
    until = datetime.combine(end + timedelta(days=1), time.min, clock.tz)
    async with uow:
        filters = await _scope(uow, actor)
        if filters is None:
            return OrderCounts(start, end)
        placed = await uow.orders.list(created_at__gte=since, created_at__lt=until, limit=SCAN, **filters)
        # an order shipped (approved, rejected) in the days asked for was last changed then or later, whenever it
        # was placed
        moved = await uow.orders.list(updated_at__gte=since, limit=SCAN, **filters)
    by_status = Counter(o.status for o in placed)
    amount = sum((o.total for o in placed if o.status not in (OrderStatus.REJECTED, OrderStatus.CANCELLED)),
                 Decimal("0.00"))

    def moved_to(status: OrderStatus) -> int:
        return sum(1 for o in moved if any(e.status == status and since <= e.at < until for e in o.events))

    return OrderCounts(start, end, placed=len(placed), placed_amount=amount, by_status=dict(by_status),
                       shipped=moved_to(OrderStatus.SHIPPED), approved=moved_to(OrderStatus.APPROVED),
                       rejected=moved_to(OrderStatus.REJECTED), truncated=len(placed) >= SCAN or len(moved) >= SCAN)


async def waiting_orders(uow: AbstractUnitOfWork, actor: Actor, step: WaitingStep) -> WaitingOrders:
    """The orders waiting now at ``step`` ("待发货有几单": approved and not shipped yet), by status, with their amount."""
    async with uow:
        filters = await _scope(uow, actor)
        if filters is None:
            return WaitingOrders(step)
        rows = await uow.orders.list(status__in=list(WAITING_STATUSES[step]), limit=SCAN, **filters)
    return WaitingOrders(step, total=len(rows), amount=sum((o.total for o in rows), Decimal("0.00")),
                         by_status=dict(Counter(o.status for o in rows)), truncated=len(rows) >= SCAN)


async def _scope(uow: AbstractUnitOfWork, actor: Actor) -> dict[str, Any] | None:
    """The filter of the orders ``actor`` may read ({} all of them); None: none."""
    scope = await readable_dealers(uow, actor, DealerRecord.ORDERS, all_permission=Permission.ORDER_READ_ALL)
    if scope is not None and not scope:
        return None
    return {} if scope is None else {"dealer_id__in": sorted(scope)}
