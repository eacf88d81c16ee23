"""Where a product with a quality problem went: "这批货发给了哪些经销商" (read only, quality staff).

Shipments record no production batch, so the answer is the dealers the product was shipped to since the day given:
units and the last shipment day per dealer, most units first. The chat says the batch itself cannot be traced.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from core import authz
from core.clock import Clock
from core.orders import OrderStatus
from core.ports import AbstractUnitOfWork
from core.users import Actor, Permission

SCAN = 2000          # orders read at most for one trace
_SHIPPED = [OrderStatus.SHIPPED, OrderStatus.RECEIVED, OrderStatus.CLOSED]


@dataclass(frozen=True)
class ShippedTo:
    dealer_id: int
    code: str
    name: str
    units: int
    last_shipped: date


async def dealers_shipped(uow: AbstractUnitOfWork, actor: Actor, clock: Clock, sku: str,
                          since: date) -> list[ShippedTo]:
    """The dealers ``sku`` was shipped to from ``since`` on (orders shipped or later), most units first."""
    if not {Permission.QUALITY_HANDLE, Permission.REPORT_READ_ALL} & actor.permissions:
        authz.require(actor, Permission.QUALITY_HANDLE)
    start = datetime.combine(since, time.min, clock.tz)
    units: dict[int, int] = {}
    last: dict[int, date] = {}
    async with uow:
        orders = await uow.orders.list(status__in=_SHIPPED, updated_at__gte=start, limit=SCAN)
        for order in orders:
            qty = sum(line.qty + line.free_qty for line in order.lines if line.sku.upper() == sku.upper())
            shipped = [e.at for e in order.events if e.status == OrderStatus.SHIPPED and e.at >= start]
            if not qty or not shipped:
                continue
            units[order.dealer_id] = units.get(order.dealer_id, 0) + qty
            day = max(shipped).astimezone(clock.tz).date()
            last[order.dealer_id] = max(last.get(order.dealer_id, day), day)
        dealers = {d.id: d for d in await uow.dealers.list(id__in=sorted(units))} if units else {}
    out = [ShippedTo(i, dealers[i].code, dealers[i].name, n, last[i]) for i, n in units.items() if i in dealers]
    return sorted(out, key=lambda s: (-s.units, s.code))
