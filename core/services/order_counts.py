"""How many orders: "今天一共多少单", "这周发了几单货", "我这个月下了几单" (read only).

Counted over what the actor may read (a dealer its own orders and its sub-dealers', staff all of them), in the
days asked for (the manufacturer's time zone): the orders placed then, by their status now, with their amount,
and the orders shipped then (whenever they were placed), by their shipment event.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from core.authz import DealerRecord, readable_dealers
from core.clock import Clock
from core.orders import OrderStatus
from core.ports import AbstractUnitOfWork
from core.users import Actor, Permission

SCAN = 2000
"""At most this many orders are read for one count (a day's or a month's orders of one manufacturer)."""

_SHIPPED_OR_LATER = [OrderStatus.SHIPPED, OrderStatus.RECEIVED, OrderStatus.CLOSED]


@dataclass(frozen=True)
class OrderCounts:
    start: date
    end: date                                   # inclusive
    placed: int = 0
    placed_amount: Decimal = Decimal("0.00")    # of the placed orders not rejected or cancelled
    by_status: dict[OrderStatus, int] = field(default_factory=dict)
    shipped: int = 0
    truncated: bool = False                     # more than SCAN orders: the counts are a lower bound


async def order_counts(uow: AbstractUnitOfWork, actor: Actor, clock: Clock, start: date,
                       end: date | None = None) -> OrderCounts:
    end = end or start
    since = datetime.combine(start, time.min, clock.tz)
    until = datetime.combine(end + timedelta(days=1), time.min, clock.tz)
    async with uow:
        scope = await readable_dealers(uow, actor, DealerRecord.ORDERS, all_permission=Permission.ORDER_READ_ALL)
        filters: dict[str, Any] = {} if scope is None else {"dealer_id__in": sorted(scope)}
        if scope is not None and not scope:
            return OrderCounts(start, end)
        placed = await uow.orders.list(created_at__gte=since, created_at__lt=until, limit=SCAN, **filters)
        # an order shipped in the days asked for was last changed then or later, whenever it was placed
        moved = await uow.orders.list(updated_at__gte=since, status__in=_SHIPPED_OR_LATER, limit=SCAN, **filters)
    by_status = Counter(o.status for o in placed)
    amount = sum((o.total for o in placed if o.status not in (OrderStatus.REJECTED, OrderStatus.CANCELLED)),
                 Decimal("0.00"))
    shipped = sum(1 for o in moved if any(e.status == OrderStatus.SHIPPED and since <= e.at < until
                                          for e in o.events))
    return OrderCounts(start, end, placed=len(placed), placed_amount=amount, by_status=dict(by_status),
                       shipped=shipped, truncated=len(placed) >= SCAN or len(moved) >= SCAN)
