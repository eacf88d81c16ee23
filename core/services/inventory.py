"""Inventory use cases: maker warehouse stock, availability for dealers, dealer stocktakes,
thresholds and alerts. Transfers (调拨) between warehouses and dealers: ``core.services.transfers``.

Dealers never see exact maker stock: they get a coarse level per product and region
(充足 / 紧张 / 缺货). Staff with STOCK_READ_ALL see the numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from core import authz
from core.auditing import record, snapshot
from core.authz import require
from core.clock import Clock
from core.errors import NotFound, PermissionDenied, StockBelowReserved, ValidationFailed
from core.inventory import (
    DealerStock,
    StockLevel,
    StockThreshold,
    ThresholdScope,
    Warehouse,
)
from core.ports import AbstractUnitOfWork
from core.users import Actor, ActorKind, Permission

# Without a threshold row, a warehouse counts as "low" at or below this many available units.
DEFAULT_LOW_STOCK = 10


class Availability(StrEnum):
    AMPLE = "ample"
    LOW = "low"
    OUT = "out"


AVAILABILITY_LABELS: dict[Availability, tuple[str, str]] = {
    Availability.AMPLE: ("充足", "ample"),
    Availability.LOW: ("紧张", "low"),
    Availability.OUT: ("缺货", "out of stock"),
}

def availability_level(available: int, low: int) -> Availability:
    if available <= 0:
        return Availability.OUT
    if available <= low:
        return Availability.LOW
    return Availability.AMPLE


# --- commands and views -------------------------------------------------------------------------

@dataclass(frozen=True)
class SetStock:
    warehouse_id: int
    sku: str
    on_hand: int


@dataclass(frozen=True)
class AdjustStock:
    warehouse_id: int
    sku: str
    delta: int
    reason: str


@dataclass(frozen=True)
class ReportDealerStock:
    dealer_id: int
    rows: Sequence[tuple[str, int]]      # (SKU, quantity counted)


@dataclass(frozen=True)
class SetThreshold:
    scope: ThresholdScope
    scope_id: int
    sku: str
    low: int
    high: int | None = None


@dataclass(frozen=True)
class StockRow:
    """Exact maker stock, staff only."""

    warehouse_id: int
    warehouse_code: str
    warehouse_name: str
    region: str
    sku: str
    on_hand: int
    reserved: int
    available: int
    level: Availability
    low_mark: int | None = None       # the warehouse threshold set for this product, if any
    high_mark: int | None = None


@dataclass(frozen=True)
class StockAvailability:
    """Availability of a product in a region; ``available`` is None for dealers (coarse level only)."""

    sku: str
    region: str
    level: Availability
    available: int | None = None

    def label(self, lang: str = "zh") -> str:
        zh, en = AVAILABILITY_LABELS[self.level]
        return en if lang.lower().startswith("en") else zh


@dataclass(frozen=True)
class StockAlert:
    scope: ThresholdScope
    scope_id: int
    sku: str
    qty: int
    low: int
    high: int | None
    kind: str                      # "low" | "high"


# --- helpers ------------------------------------------------------------------------------------

def _require_stock_write(actor: Actor) -> None:
    if actor.kind == ActorKind.API:
        if "stock:write" not in actor.scopes or actor.dealer_id is not None:
            raise PermissionDenied()
        return
    require(actor, Permission.STOCK_WRITE)


def _sees_exact_stock(actor: Actor) -> bool:
    return actor.kind in (ActorKind.STAFF, ActorKind.SYSTEM) and Permission.STOCK_READ_ALL in actor.permissions


def _own_dealer(actor: Actor, dealer_id: int) -> bool:
    return actor.kind == ActorKind.DEALER and actor.dealer_id == dealer_id


async def _warehouse(uow: AbstractUnitOfWork, warehouse_id: int) -> Warehouse:
    warehouse = await uow.warehouses.get(warehouse_id)
    if warehouse is None:
        raise NotFound(zh=f"未找到仓库 {warehouse_id}", en=f"Warehouse {warehouse_id} not found",
                       what=str(warehouse_id))
    return warehouse


async def _dealer_exists(uow: AbstractUnitOfWork, dealer_id: int) -> None:
    if await uow.dealers.get(dealer_id) is None:
        raise NotFound(zh=f"未找到经销商 {dealer_id}", en=f"Dealer {dealer_id} not found", what=str(dealer_id))


async def _sku(uow: AbstractUnitOfWork, sku: str) -> str:
    product = await uow.products.get_by(sku=sku.strip())
    if product is None:
        raise NotFound(zh=f"未找到产品 {sku}", en=f"Product {sku} not found", what=sku)
    return product.sku


async def _scope_exists(uow: AbstractUnitOfWork, scope: ThresholdScope, scope_id: int) -> None:
    if scope == ThresholdScope.WAREHOUSE:
        await _warehouse(uow, scope_id)
    else:
        await _dealer_exists(uow, scope_id)


async def _stock_row(uow: AbstractUnitOfWork, warehouse_id: int, sku: str, clock: Clock) -> StockLevel:
    row = await uow.stock.get_by(warehouse_id=warehouse_id, sku=sku, for_update=True)
    if row is None:
        row = await uow.stock.add(StockLevel(warehouse_id=warehouse_id, sku=sku, updated_at=clock.now()))
    return row


# --- maker stock --------------------------------------------------------------------------------

async def set_stock(uow: AbstractUnitOfWork, actor: Actor, cmd: SetStock, clock: Clock) -> StockLevel:
    """Set on-hand stock (a count, an ERP sync). Never below what is reserved for orders."""
    async with uow:
        _require_stock_write(actor)
        await _warehouse(uow, cmd.warehouse_id)
        sku = await _sku(uow, cmd.sku)
        row = await uow.stock.get_by(warehouse_id=cmd.warehouse_id, sku=sku, for_update=True)
        if row is not None and row.on_hand == cmd.on_hand:
            return row
        reserved = row.reserved if row is not None else 0
        if cmd.on_hand < 0:
            raise ValidationFailed.because(f"{sku}: 库存不能为负", f"{sku}: on hand must not be negative")
        if cmd.on_hand < reserved:
            raise StockBelowReserved(sku=sku, on_hand=cmd.on_hand, reserved=reserved)
        before = snapshot(row, ("on_hand", "reserved"))
        row = row or await uow.stock.add(StockLevel(warehouse_id=cmd.warehouse_id, sku=sku))
        row.on_hand = cmd.on_hand
        row.updated_at = clock.now()
        await record(uow, actor, "stock.set", "stock", f"{cmd.warehouse_id}:{sku}", clock,
                     before=before, after=snapshot(row, ("on_hand", "reserved")))
        await uow.commit()
        return row


async def adjust_stock(uow: AbstractUnitOfWork, actor: Actor, cmd: AdjustStock, clock: Clock) -> StockLevel:
    """Add or remove units with a reason (goods in, breakage, count correction)."""
    async with uow:
        _require_stock_write(actor)
        if cmd.delta == 0 or not cmd.reason.strip():
            raise ValidationFailed.because("调整数量不能为 0 且须说明原因", "a non-zero change and a reason are required")
        await _warehouse(uow, cmd.warehouse_id)
        sku = await _sku(uow, cmd.sku)
        row = await _stock_row(uow, cmd.warehouse_id, sku, clock)
        before = snapshot(row, ("on_hand", "reserved"))
        if row.on_hand + cmd.delta < 0:
            raise ValidationFailed.because(f"{sku}: 调整后库存为负", f"{sku}: on hand would be negative")
        if row.on_hand + cmd.delta < row.reserved:
            raise StockBelowReserved(sku=sku, on_hand=row.on_hand + cmd.delta, reserved=row.reserved)
        row.on_hand += cmd.delta
        row.updated_at = clock.now()
        await record(uow, actor, "stock.adjust", "stock", f"{cmd.warehouse_id}:{sku}", clock,
                     before=before, after={**snapshot(row, ("on_hand", "reserved")), "reason": cmd.reason.strip()})
        await uow.commit()
        return row


async def list_stock(uow: AbstractUnitOfWork, actor: Actor, *, warehouse_id: int | None = None,
                     sku: str | None = None) -> list[StockRow]:
    """Exact stock per warehouse and SKU (STOCK_READ_ALL)."""
    async with uow:
        require(actor, Permission.STOCK_READ_ALL)
        filters: dict[str, Any] = {}
        if warehouse_id is not None:
            filters["warehouse_id"] = warehouse_id
        if sku is not None:
            filters["sku"] = sku
        warehouses = {w.id: w for w in await uow.warehouses.list()}
        marks = {(t.scope_id, t.sku): t for t in await uow.thresholds.list(scope=ThresholdScope.WAREHOUSE)}
        rows = []
        for level in await uow.stock.list(order_by="sku", **filters):
            w = warehouses.get(level.warehouse_id)
            if w is None or w.id is None:
                continue
            mark = marks.get((w.id, level.sku))
            rows.append(StockRow(warehouse_id=w.id, warehouse_code=w.code, warehouse_name=w.name, region=w.region,
                                 sku=level.sku, on_hand=level.on_hand, reserved=level.reserved,
                                 available=level.available,
                                 level=availability_level(level.available, mark.low if mark else DEFAULT_LOW_STOCK),
                                 low_mark=mark.low if mark else None, high_mark=mark.high if mark else None))
        return sorted(rows, key=lambda r: (r.warehouse_code, r.sku))


async def stock_availability(uow: AbstractUnitOfWork, actor: Actor, *, sku: str | None = None,
                             region: str | None = None) -> list[StockAvailability]:
    """Availability per product and warehouse region. Exact numbers only for staff with STOCK_READ_ALL."""
    async with uow:
        if actor.kind == ActorKind.ANONYMOUS or (actor.kind == ActorKind.API and "stock:read" not in actor.scopes):
            raise PermissionDenied()
        if actor.kind == ActorKind.STAFF and not _sees_exact_stock(actor):
            raise PermissionDenied()
        exact = _sees_exact_stock(actor)
        totals: dict[tuple[str, str], list[int]] = {}
        for row in await uow.warehouse_stock(sku or None):
            if region is not None and row.region != region:
                continue
            acc = totals.setdefault((row.sku, row.region), [0, 0])
            acc[0] += max(row.available, 0)
            acc[1] += DEFAULT_LOW_STOCK if row.low is None else row.low
        return [StockAvailability(sku=s, region=r, level=availability_level(avail, low),
                                  available=avail if exact else None)
                for (s, r), (avail, low) in sorted(totals.items())]


# --- dealer stock -------------------------------------------------------------------------------

async def report_dealer_stock(uow: AbstractUnitOfWork, actor: Actor, cmd: ReportDealerStock,
                              clock: Clock) -> list[DealerStock]:
    """A dealer reports its own stocktake (DEALER_STOCK_REPORT). All rows valid, or nothing written."""
    async with uow:
        if actor.kind != ActorKind.SYSTEM:
            if not _own_dealer(actor, cmd.dealer_id):
                if actor.kind == ActorKind.STAFF:
                    raise PermissionDenied()
                raise NotFound(zh=f"未找到经销商 {cmd.dealer_id}", en=f"Dealer {cmd.dealer_id} not found",
                               what=str(cmd.dealer_id))
            require(actor, Permission.DEALER_STOCK_REPORT)
        await _dealer_exists(uow, cmd.dealer_id)
        if not cmd.rows:
            raise ValidationFailed.because("盘点没有数据", "the stocktake is empty")
        counted: dict[str, int] = {}
        for raw_sku, qty in cmd.rows:
            sku = await _sku(uow, raw_sku)
            if qty < 0:
                raise ValidationFailed.because(f"{sku}: 数量不能为负", f"{sku}: quantity must not be negative")
            counted[sku] = qty
        now = clock.now()
        before: dict[str, Any] = {}
        result = []
        for sku, qty in counted.items():
            row = await uow.dealer_stock.get_by(dealer_id=cmd.dealer_id, sku=sku, for_update=True)
            if row is None:
                row = await uow.dealer_stock.add(DealerStock(dealer_id=cmd.dealer_id, sku=sku, qty=qty,
                                                             reported_at=now))
            else:
                before[sku] = row.qty
                row.qty = qty
                row.reported_at = now
            result.append(row)
        await record(uow, actor, "dealer_stock.report", "dealer", cmd.dealer_id, clock,
                     before=before, after=dict(counted))
        await uow.commit()
        return result


async def list_dealer_stock(uow: AbstractUnitOfWork, actor: Actor, dealer_id: int) -> list[DealerStock]:
    """A dealer's own stock: the dealer itself, its parent dealer (``core.authz.readable_dealer_ids``), staff
    with STOCK_READ_ALL, the system."""
    async with uow:
        if not (_own_dealer(actor, dealer_id) or actor.kind == ActorKind.SYSTEM):
            if actor.kind == ActorKind.STAFF:
                require(actor, Permission.STOCK_READ_ALL)
            elif not await authz.may_read_dealer(uow, actor, dealer_id, authz.DealerRecord.STOCK,
                                                 all_permission=Permission.STOCK_READ_ALL):
                raise NotFound(zh=f"未找到经销商 {dealer_id}", en=f"Dealer {dealer_id} not found", what=str(dealer_id))
        return await uow.dealer_stock.list(dealer_id=dealer_id, order_by="sku")


# --- thresholds ---------------------------------------------------------------------------------

async def set_threshold(uow: AbstractUnitOfWork, actor: Actor, cmd: SetThreshold, clock: Clock) -> StockThreshold:
    """Warehouse thresholds: STOCK_WRITE. Dealer thresholds: STOCK_WRITE or the dealer itself."""
    async with uow:
        if not (cmd.scope == ThresholdScope.DEALER and _own_dealer(actor, cmd.scope_id)
                and Permission.DEALER_STOCK_REPORT in actor.permissions):
            if actor.kind == ActorKind.DEALER:
                raise PermissionDenied()
            _require_stock_write(actor)
        await _scope_exists(uow, cmd.scope, cmd.scope_id)
        sku = await _sku(uow, cmd.sku)
        if cmd.low < 0:
            raise ValidationFailed(zh="输入有误：预警下限不能小于 0", en="Invalid input: the minimum cannot be below 0",
                                   reason="low below 0")
        if cmd.high is not None and cmd.high <= cmd.low:
            raise ValidationFailed(zh=f"输入有误：上限须大于下限 {cmd.low}",
                                   en=f"Invalid input: the maximum must be above the minimum {cmd.low}",
                                   reason="high not above low")
        row = await uow.thresholds.get_by(scope=cmd.scope, scope_id=cmd.scope_id, sku=sku)
        if row is not None and (row.low, row.high) == (cmd.low, cmd.high):
            return row
        before = snapshot(row, ("low", "high"))
        if row is None:
            row = await uow.thresholds.add(StockThreshold(scope=cmd.scope, scope_id=cmd.scope_id, sku=sku,
                                                          low=cmd.low, high=cmd.high))
        else:
            row.low, row.high = cmd.low, cmd.high
        await record(uow, actor, "stock.threshold", "threshold", f"{cmd.scope.value}:{cmd.scope_id}:{sku}", clock,
                     before=before, after=snapshot(row, ("low", "high")))
        await uow.commit()
        return row


async def stock_alerts(uow: AbstractUnitOfWork, actor: Actor, *, dealer_id: int | None = None) -> list[StockAlert]:
    """Every threshold crossed: at or below ``low`` (restock) or above ``high`` (overstock).

    Staff with STOCK_READ_ALL see all (or one dealer's); a dealer sees its own dealer thresholds.
    """
    async with uow:
        if actor.kind == ActorKind.DEALER:
            if actor.dealer_id is None or dealer_id not in (None, actor.dealer_id):
                return []
            dealer_id = actor.dealer_id
        elif actor.kind != ActorKind.SYSTEM:
            require(actor, Permission.STOCK_READ_ALL)
        filters: dict[str, Any] = {}
        if dealer_id is not None:
            filters.update(scope=ThresholdScope.DEALER, scope_id=dealer_id)
        alerts = []
        for t in await uow.thresholds.list(**filters):
            if t.scope == ThresholdScope.WAREHOUSE:
                level = await uow.stock.get_by(warehouse_id=t.scope_id, sku=t.sku)
                qty = level.available if level is not None else 0
            else:
                row = await uow.dealer_stock.get_by(dealer_id=t.scope_id, sku=t.sku)
                qty = row.qty if row is not None else 0
            if qty <= t.low:
                alerts.append(StockAlert(t.scope, t.scope_id, t.sku, qty, t.low, t.high, "low"))
            elif t.high is not None and qty > t.high:
                alerts.append(StockAlert(t.scope, t.scope_id, t.sku, qty, t.low, t.high, "high"))
        return alerts
