"""How many orders: "今天一共多少单", "这周发了几单货", "我这个月下了几单", "这周审了多少单", "待发货有几单" (read only).

Counted over what the actor may read (a dealer its own orders and its sub-dealers', staff all of them), in the
days asked for (the manufacturer's time zone): the orders placed then, by their status now, with their amount,
the orders shipped then (whenever they were placed), by their shipment event, and the orders approved or rejected
then, by their decision event (``order_counts``); or the orders waiting now at a step, by status (``waiting_orders``).
Counted by the database (``AbstractUnitOfWork.orders_by_status`` / ``orders_moved``: a GROUP BY each), not by
reading the orders (was: up to 2000 orders with their lines and events read to count them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum

from core.authz import DealerRecord, readable_dealers
from core.clock import Clock
from core.orders import OrderStatus
from core.ports import AbstractUnitOfWork
from core.users import Actor, Permission


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


async def order_counts(uow: AbstractUnitOfWork, actor: Actor, clock: Clock, start: date,
                       end: date | None = None) -> OrderCounts:
    end = end or start
    since = datetime.combine(start, time.min, clock.tz)
    until = datetime.combine(end + timedelta(days=1), time.min, clock.tz)
    async with uow:
        dealer_ids = await _scope(uow, actor)
        if dealer_ids == []:
            return OrderCounts(start, end)
        placed = await uow.orders_by_status(dealer_ids, created_from=since, created_until=until)
        moved = await uow.orders_moved(_MOVES, since, until, dealer_ids)
    amount = sum((total for status, (_, total) in placed.items()
                  if status not in (OrderStatus.REJECTED, OrderStatus.CANCELLED)), Decimal("0.00"))
    return OrderCounts(start, end, placed=sum(n for n, _ in placed.values()), placed_amount=amount,
                       by_status=_in_lifecycle_order({status: n for status, (n, _) in placed.items()}),
                       shipped=moved.get(OrderStatus.SHIPPED, 0), approved=moved.get(OrderStatus.APPROVED, 0),
                       rejected=moved.get(OrderStatus.REJECTED, 0))


_MOVES = (OrderStatus.SHIPPED, OrderStatus.APPROVED, OrderStatus.REJECTED)


async def waiting_orders(uow: AbstractUnitOfWork, actor: Actor, step: WaitingStep) -> WaitingOrders:
    """The orders waiting now at ``step`` ("待发货有几单": approved and not shipped yet), by status, with their amount."""
    async with uow:
        dealer_ids = await _scope(uow, actor)
        if dealer_ids == []:
            return WaitingOrders(step)
        counted = await uow.orders_by_status(dealer_ids, statuses=WAITING_STATUSES[step])
    return WaitingOrders(step, total=sum(n for n, _ in counted.values()),
                         amount=sum((total for _, total in counted.values()), Decimal("0.00")),
                         by_status=_in_lifecycle_order({status: n for status, (n, _) in counted.items()}))


def _in_lifecycle_order(counted: dict[OrderStatus, int]) -> dict[OrderStatus, int]:
    """The statuses in their lifecycle's order (``OrderStatus``), whatever order the database grouped them in: a
    list by count keeps ties in that order."""
    return {status: counted[status] for status in OrderStatus if status in counted}


async def _scope(uow: AbstractUnitOfWork, actor: Actor) -> list[int] | None:
    """The dealers whose orders ``actor`` may read (None: all of them; []: none)."""
    scope = await readable_dealers(uow, actor, DealerRecord.ORDERS, all_permission=Permission.ORDER_READ_ALL)
    return None if scope is None else sorted(scope)
