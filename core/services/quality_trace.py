"""Where a product with a quality problem went: "这批货发给了哪些经销商" (read only, quality staff); and who
reported one batch: "B2411-07这批还有谁报过" (``reports_of_batch``, from the quality reports that name it).

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
from core.quality import CorrectiveStatus
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


# Order lines and shipments carry no production batch: a batch is known only from the quality reports that name it.
SHIPMENTS_RECORD_BATCH = False
BATCH_SCAN = 5000    # quality reports read at most for one batch question


@dataclass(frozen=True)
class BatchReport:
    """One quality report naming the batch asked about."""

    number: str
    dealer_id: int
    dealer_code: str
    dealer_name: str
    sku: str
    defect_category: str
    count: int
    reported_on: date | None
    status: CorrectiveStatus
    batch: str                   # as the report wrote it


def batch_key(batch: str) -> str:
    """A batch compared as printed, whatever the case or separators ("b2411-07", "B2411 07", "B241107" alike)."""
    return "".join(ch for ch in batch.upper() if ch.isalnum())


async def reports_of_batch(uow: AbstractUnitOfWork, actor: Actor, clock: Clock, batch: str) -> list[BatchReport]:
    """Every quality report that names ``batch`` ("B2411-07这批还有谁报过"), oldest first: which dealers, products,
    days and where each stands. Quality staff, and those who read every report (management)."""
    if not {Permission.QUALITY_HANDLE, Permission.REPORT_READ_ALL} & actor.permissions:
        authz.require(actor, Permission.QUALITY_HANDLE)
    key = batch_key(batch)
    if not key:
        return []
    async with uow:
        found = [f for f in await uow.quality.list(limit=BATCH_SCAN) if f.batch and batch_key(f.batch) == key]
        ids = sorted({f.dealer_id for f in found})
        dealers = {d.id: d for d in await uow.dealers.list(id__in=ids)} if ids else {}
    out = [BatchReport(f.number, f.dealer_id, dealers[f.dealer_id].code if f.dealer_id in dealers else "",
                       dealers[f.dealer_id].name if f.dealer_id in dealers else "", f.sku, f.defect_category, f.count,
                       f.created_at.astimezone(clock.tz).date() if f.created_at else None, f.corrective_status,
                       f.batch or "")
           for f in found]
    return sorted(out, key=lambda r: (r.reported_on or date.min, r.number))
