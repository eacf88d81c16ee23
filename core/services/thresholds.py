"""A dealer's stock thresholds, the replenishment they suggest, and every dealer's stock and days of cover.

A dealer threshold row (``core.inventory.StockThreshold`` with scope ``dealer``) holds the reorder point
(``low``: an alert at or below it), an optional safety stock (``safety``, never above the reorder point) and
an optional maximum (``high``: what a refill goes up to). It is set

- by the dealer for its own stock (chat: "DH20 低于5台提醒我", "AP300 安全库存 10"), ``source="dealer"``;
- by staff who manage stock or dealers (back office), ``source="staff"``;
- from the forecast: days of cover x daily sell-out, plus the safety stock, ``source="forecast"``.

The scheduled stock check (``notifications.checks.stock_levels``) and a dealer's stocktake in chat both ask
:func:`restock_plan` what to order, so the alert and its one-tap "一键补货" cart agree.

Channel managers and management (STOCK_READ_ALL and SELLOUT_READ_ALL) see :func:`dealer_stock_overview`:
every dealer's reported stock with its daily sell-out and days of cover. Dealers never do.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

from core.auditing import record, snapshot
from core.clock import Clock
from core.errors import NotFound, PermissionDenied, ValidationFailed
from core.inventory import StockThreshold, ThresholdScope
from core.ports import AbstractUnitOfWork
from core.services.inventory import DEFAULT_LOW_STOCK, stock_alerts
from core.users import Actor, ActorKind, Permission

MAX_UNITS = 999_999
SELLOUT_WINDOW_DAYS = 90          # the daily sell-out is the average over this many days up to today
DEFAULT_COVER_DAYS = 30           # days of cover a forecast threshold keeps when none is asked for
MAX_COVER_DAYS = 365


class ThresholdSource(StrEnum):
    STAFF = "staff"
    DEALER = "dealer"
    FORECAST = "forecast"


SOURCE_LABELS: dict[str, tuple[str, str]] = {
    ThresholdSource.STAFF: ("后台设置", "set in the back office"),
    ThresholdSource.DEALER: ("经销商自设", "set by the dealer"),
    ThresholdSource.FORECAST: ("按预测计算", "from the forecast"),
}


def source_label(source: str, lang: str = "zh") -> str:
    zh, en = SOURCE_LABELS.get(source, (source, source))
    return en if lang.lower().startswith("en") else zh


# --- commands and views -------------------------------------------------------------------------

@dataclass(frozen=True)
class SetDealerThreshold:
    """What to change on a dealer's threshold for ``sku``; None keeps what is there."""

    dealer_id: int
    sku: str
    reorder_point: int | None = None
    safety: int | None = None
    maximum: int | None = None
    source: ThresholdSource | None = None     # None: "dealer" for a dealer, "staff" for staff


@dataclass(frozen=True)
class ThresholdPlan:
    """The row a :class:`SetDealerThreshold` would leave (shown before the dealer confirms)."""

    dealer_id: int
    sku: str
    reorder_point: int
    safety: int | None
    maximum: int | None
    source: str
    before: StockThreshold | None


@dataclass(frozen=True)
class ForecastThreshold:
    """A reorder point from the sell-out: ``ceil(daily x cover_days) + safety``."""

    dealer_id: int
    sku: str
    daily: Decimal               # units sold per day
    cover_days: int
    safety: int
    reorder_point: int
    basis: str                   # "forecast" (the report store's forecast) | "sellout" (the last 90 days)


@dataclass(frozen=True)
class RestockLine:
    sku: str
    name: str
    unit: str
    qty: int                     # what the dealer last reported
    reorder_point: int
    maximum: int | None
    suggest: int                 # units to order
    basis: str = "maximum"       # "maximum" (up to it), "double" (twice the reorder point), "forecast"


@dataclass(frozen=True)
class DealerStockRow:
    dealer_id: int
    dealer_code: str
    dealer_name: str
    region: str
    sku: str
    name: str
    qty: int
    reported_at: datetime | None
    daily: Decimal                # average units sold per day over SELLOUT_WINDOW_DAYS
    cover_days: Decimal | None    # qty / daily; None without sales
    reorder_point: int | None
    below: bool                   # at or below its reorder point


# --- who may ------------------------------------------------------------------------------------

def _dealer_not_found(dealer_id: int) -> NotFound:
    return NotFound(zh=f"未找到经销商 {dealer_id}", en=f"Dealer {dealer_id} not found", what=str(dealer_id))


def _require_setter(actor: Actor, dealer_id: int) -> None:
    """The dealer itself (it reports its stock), staff who manage stock or dealers, the system."""
    if actor.kind == ActorKind.SYSTEM:
        return
    if actor.kind == ActorKind.DEALER:
        if actor.dealer_id != dealer_id:
            raise _dealer_not_found(dealer_id)
        if Permission.DEALER_STOCK_REPORT not in actor.permissions:
            raise PermissionDenied()
        return
    if not may_set_dealer_thresholds(actor):
        raise PermissionDenied()


def may_set_dealer_thresholds(actor: Actor) -> bool:
    """Staff who set any dealer's thresholds (the back office form): stock keepers and channel managers."""
    return actor.kind == ActorKind.SYSTEM or (
        actor.kind == ActorKind.STAFF and bool({Permission.STOCK_WRITE, Permission.DEALER_WRITE} & actor.permissions))


def _require_reader(actor: Actor, dealer_id: int) -> None:
    if actor.kind == ActorKind.DEALER and actor.dealer_id != dealer_id:
        raise _dealer_not_found(dealer_id)
    if actor.kind == ActorKind.STAFF and Permission.STOCK_READ_ALL not in actor.permissions \
            and Permission.DEALER_WRITE not in actor.permissions:
        raise PermissionDenied()
    if actor.kind not in (ActorKind.DEALER, ActorKind.STAFF, ActorKind.SYSTEM):
        raise PermissionDenied()


def sees_dealer_stock_overview(actor: Actor) -> bool:
    """Channel managers and management: every dealer's stock with its sell-out."""
    if actor.kind == ActorKind.SYSTEM:
        return True
    return actor.kind == ActorKind.STAFF and {Permission.STOCK_READ_ALL,
                                              Permission.SELLOUT_READ_ALL} <= actor.permissions


def _default_source(actor: Actor) -> ThresholdSource:
    return ThresholdSource.DEALER if actor.kind == ActorKind.DEALER else ThresholdSource.STAFF


async def _product_sku(uow: AbstractUnitOfWork, sku: str) -> str:
    product = await uow.products.get_by(sku=sku.strip())
    if product is None:
        product = await uow.products.get_by(sku=sku.strip().upper())
    if product is None:
        raise NotFound(zh=f"未找到产品 {sku}", en=f"Product {sku} not found", what=sku)
    return product.sku


def _units(value: int | None, what_zh: str, what_en: str) -> None:
    if value is not None and not 0 <= value <= MAX_UNITS:
        raise ValidationFailed(zh=f"输入有误：{what_zh}须为 0–{MAX_UNITS} 的整数",
                               en=f"Invalid input: the {what_en} must be a whole number from 0 to {MAX_UNITS}",
                               reason=what_en)


def _planned(cmd: SetDealerThreshold, before: StockThreshold | None, source: str, sku: str) -> ThresholdPlan:
    """The row after ``cmd``: the safety stock is never above the reorder point (a reorder point given below
    it lowers it; a safety stock alone raises the reorder point to it), the maximum stays above both."""
    if cmd.reorder_point is None and cmd.safety is None and cmd.maximum is None:
        raise ValidationFailed(zh="输入有误：请给出补货点、安全库存或上限",
                               en="Invalid input: give a reorder point, a safety stock or a maximum",
                               reason="nothing to set")
    for value, zh, en in ((cmd.reorder_point, "补货点", "reorder point"), (cmd.safety, "安全库存", "safety stock"),
                          (cmd.maximum, "上限", "maximum")):
        _units(value, zh, en)
    safety = cmd.safety if cmd.safety is not None else (before.safety if before else None)
    low = cmd.reorder_point if cmd.reorder_point is not None else (before.low if before else None)
    if low is None or (cmd.reorder_point is None and safety is not None and low < safety):
        low = safety if safety is not None else 0
    if cmd.reorder_point is not None and safety is not None and safety > low:
        safety = low
    high = cmd.maximum if cmd.maximum is not None else (before.high if before else None)
    if high is not None and high <= low:
        if cmd.maximum is not None:
            raise ValidationFailed(zh=f"输入有误：上限须大于补货点 {low}",
                                   en=f"Invalid input: the maximum must be above the reorder point {low}",
                                   reason="high not above low")
        high = None
    return ThresholdPlan(dealer_id=cmd.dealer_id, sku=sku, reorder_point=low, safety=safety, maximum=high,
                         source=source, before=before)


# --- thresholds ---------------------------------------------------------------------------------

async def plan_dealer_threshold(uow: AbstractUnitOfWork, actor: Actor, cmd: SetDealerThreshold) -> ThresholdPlan:
    """What :func:`set_dealer_threshold` would write, without writing (the chat shows it to confirm)."""
    async with uow:
        _require_setter(actor, cmd.dealer_id)
        if await uow.dealers.get(cmd.dealer_id) is None:
            raise _dealer_not_found(cmd.dealer_id)
        sku = await _product_sku(uow, cmd.sku)
        before = await uow.thresholds.get_by(scope=ThresholdScope.DEALER, scope_id=cmd.dealer_id, sku=sku)
        return _planned(cmd, before, (cmd.source or _default_source(actor)).value, sku)


async def set_dealer_threshold(uow: AbstractUnitOfWork, actor: Actor, cmd: SetDealerThreshold,
                               clock: Clock) -> StockThreshold:
    """Write a dealer's threshold for one product (audited ``stock.threshold``); unchanged: nothing written."""
    async with uow:
        _require_setter(actor, cmd.dealer_id)
        if await uow.dealers.get(cmd.dealer_id) is None:
            raise _dealer_not_found(cmd.dealer_id)
        sku = await _product_sku(uow, cmd.sku)
        row = await uow.thresholds.get_by(scope=ThresholdScope.DEALER, scope_id=cmd.dealer_id, sku=sku,
                                          for_update=True)
        plan = _planned(cmd, row, (cmd.source or _default_source(actor)).value, sku)
        fields = ("low", "high", "safety", "source")
        if row is not None and (row.low, row.high, row.safety, row.source) == (
                plan.reorder_point, plan.maximum, plan.safety, plan.source):
            return row
        before = snapshot(row, fields)
        if row is None:
            row = await uow.thresholds.add(StockThreshold(
                scope=ThresholdScope.DEALER, scope_id=cmd.dealer_id, sku=sku, low=plan.reorder_point,
                high=plan.maximum, safety=plan.safety, source=plan.source))
        else:
            row.low, row.high, row.safety, row.source = plan.reorder_point, plan.maximum, plan.safety, plan.source
        await record(uow, actor, "stock.threshold", "threshold", f"dealer:{cmd.dealer_id}:{sku}", clock,
                     before=before, after=snapshot(row, fields))
        await uow.commit()
        return row


async def remove_dealer_threshold(uow: AbstractUnitOfWork, actor: Actor, dealer_id: int, sku: str,
                                  clock: Clock) -> StockThreshold:
    """Drop a dealer's threshold for ``sku`` (no more alerts for it); audited ``stock.threshold_remove``."""
    async with uow:
        _require_setter(actor, dealer_id)
        found = await _product_sku(uow, sku)
        row = await uow.thresholds.get_by(scope=ThresholdScope.DEALER, scope_id=dealer_id, sku=found,
                                          for_update=True)
        if row is None:
            raise NotFound(zh=f"{found} 没有设置库存提醒", en=f"No stock alert is set for {found}", what=found)
        await record(uow, actor, "stock.threshold_remove", "threshold", f"dealer:{dealer_id}:{found}", clock,
                     before=snapshot(row, ("low", "high", "safety", "source")))
        await uow.thresholds.delete(row)
        await uow.commit()
        return row


async def list_dealer_thresholds(uow: AbstractUnitOfWork, actor: Actor, dealer_id: int) -> list[StockThreshold]:
    async with uow:
        _require_reader(actor, dealer_id)
        rows = await uow.thresholds.list(scope=ThresholdScope.DEALER, scope_id=dealer_id)
        return sorted(rows, key=lambda t: t.sku)


# --- sell-out and the forecast ------------------------------------------------------------------

async def daily_sellout(uow: AbstractUnitOfWork, clock: Clock, *, dealer_id: int | None = None,
                        days: int = SELLOUT_WINDOW_DAYS) -> dict[tuple[int, str], Decimal]:
    """Average units sold per day over the last ``days`` days, per (dealer, SKU), inside an open unit of work."""
    since: date = clock.today() - timedelta(days=days - 1)
    filters: dict[str, Any] = {"sold_on__gte": since, "sold_on__lte": clock.today()}
    if dealer_id is not None:
        filters["dealer_id"] = dealer_id
    sold: dict[tuple[int, str], int] = {}
    for line in await uow.sellout.list(**filters):
        sold[(line.dealer_id, line.sku)] = sold.get((line.dealer_id, line.sku), 0) + line.qty
    return {k: (Decimal(v) / Decimal(days)).quantize(Decimal("0.01"), ROUND_HALF_UP) for k, v in sold.items()}


async def forecast_threshold(uow: AbstractUnitOfWork, actor: Actor, dealer_id: int, sku: str, clock: Clock, *,
                             cover_days: int = DEFAULT_COVER_DAYS,
                             monthly_forecast: Decimal | None = None) -> ForecastThreshold:
    """The reorder point that keeps ``cover_days`` of sales plus the safety stock: the daily rate is the
    forecast's (``monthly_forecast`` / 30, from ``core.services.reports.replenishment``) when given and above
    zero, else the average of the last :data:`SELLOUT_WINDOW_DAYS` days. No sales at all: ValidationFailed."""
    if not 0 < cover_days <= MAX_COVER_DAYS:
        raise ValidationFailed(zh=f"输入有误：覆盖天数须为 1–{MAX_COVER_DAYS}",
                               en=f"Invalid input: days of cover must be 1 to {MAX_COVER_DAYS}", reason="cover days")
    async with uow:
        _require_setter(actor, dealer_id)
        if await uow.dealers.get(dealer_id) is None:
            raise _dealer_not_found(dealer_id)
        found = await _product_sku(uow, sku)
        row = await uow.thresholds.get_by(scope=ThresholdScope.DEALER, scope_id=dealer_id, sku=found)
        if monthly_forecast is not None and monthly_forecast > 0:
            daily, basis = (monthly_forecast / 30).quantize(Decimal("0.01"), ROUND_HALF_UP), "forecast"
        else:
            daily = (await daily_sellout(uow, clock, dealer_id=dealer_id)).get((dealer_id, found), Decimal(0))
            basis = "sellout"
    if daily <= 0:
        raise ValidationFailed(zh=f"{found} 近 {SELLOUT_WINDOW_DAYS} 天没有销量记录，无法按预测计算，请直接给出数量，"
                                  f"例如“{found} 低于5台提醒我”",
                               en=f"{found} has no sales in the last {SELLOUT_WINDOW_DAYS} days to forecast from; "
                                  f"give the number instead, e.g. \"alert me when {found} below 5\"",
                               reason="no sell-out")
    safety = row.safety if row is not None and row.safety is not None else 0
    point = int(math.ceil(daily * cover_days)) + safety
    return ForecastThreshold(dealer_id=dealer_id, sku=found, daily=daily, cover_days=cover_days, safety=safety,
                             reorder_point=min(point, MAX_UNITS), basis=basis)


# --- what to order -------------------------------------------------------------------------------

def refill_quantity(qty: int, low: int, high: int | None, moq: int, forecast: int = 0) -> int:
    """Units to order: up to the maximum (twice the reorder point without one), at least one MOQ, or the
    forecast sell-out over the lead time when that is more."""
    target = high if high is not None else low * 2
    return max(target - qty, moq, 1, forecast)


async def restock_plan(uow: AbstractUnitOfWork, actor: Actor, dealer_id: int, *,
                       forecast: Mapping[str, int] | None = None) -> list[RestockLine]:
    """The products of ``dealer_id`` at or below their reorder point and what to order of each (a dealer for
    itself, staff who read all stock, the system). ``forecast``: units per SKU the forecast asks for."""
    _require_reader(actor, dealer_id)
    alerts = [a for a in await stock_alerts(uow, actor, dealer_id=dealer_id)
              if a.scope == ThresholdScope.DEALER and a.scope_id == dealer_id and a.kind == "low"]
    if not alerts:
        return []
    async with uow:
        products = {p.sku: p for p in await uow.products.list(sku__in=[a.sku for a in alerts])}
    out = []
    for a in sorted(alerts, key=lambda a: a.sku):
        product = products.get(a.sku)
        if product is None or not product.active:
            continue
        by_threshold = refill_quantity(a.qty, a.low, a.high, product.moq)
        by_forecast = (forecast or {}).get(a.sku, 0)
        basis = "forecast" if by_forecast > by_threshold else "maximum" if a.high is not None else "double"
        out.append(RestockLine(sku=a.sku, name=product.name, unit=product.unit, qty=a.qty, reorder_point=a.low,
                               maximum=a.high, suggest=min(max(by_threshold, by_forecast), MAX_UNITS), basis=basis))
    return out


@dataclass(frozen=True)
class TransferSource:
    """Where a low maker warehouse can get stock from: another warehouse with more than its own minimum."""

    warehouse_id: int
    code: str
    name: str
    qty: int                     # what to move: the need, at most what is above that warehouse's minimum


async def transfer_source(uow: AbstractUnitOfWork, warehouse_id: int, sku: str, need: int) -> TransferSource | None:
    """Inside an open unit of work: the warehouse with the most available ``sku`` above its own minimum (its
    threshold, else ``DEFAULT_LOW_STOCK``), and how much of ``need`` it can give; None when none can."""
    lows = {t.scope_id: t.low for t in await uow.thresholds.list(scope=ThresholdScope.WAREHOUSE, sku=sku)}
    warehouses = {w.id: w for w in await uow.warehouses.list()}
    best: tuple[int, int] | None = None
    for level in await uow.stock.list(sku=sku):
        if level.warehouse_id == warehouse_id or level.warehouse_id not in warehouses:
            continue
        spare = level.available - lows.get(level.warehouse_id, DEFAULT_LOW_STOCK)
        if spare > 0 and (best is None or spare > best[1]):
            best = (level.warehouse_id, spare)
    if best is None or need <= 0:
        return None
    source = warehouses[best[0]]
    return TransferSource(warehouse_id=best[0], code=source.code, name=source.name, qty=min(need, best[1]))


# --- every dealer's stock (channel managers) ----------------------------------------------------------

def _cover(qty: int, daily: Decimal) -> Decimal | None:
    if daily <= 0:
        return None
    return (Decimal(qty) / daily).quantize(Decimal("0.1"), ROUND_HALF_UP)


async def dealer_stock_overview(uow: AbstractUnitOfWork, actor: Actor, clock: Clock, *, sku: str | None = None,
                                region: str | None = None) -> list[DealerStockRow]:
    """Every dealer's last reported stock per product, its daily sell-out and days of cover (channel managers
    and management; dealers are refused). Sorted by region, product, fewest days of cover first."""
    if not sees_dealer_stock_overview(actor):
        raise PermissionDenied()
    async with uow:
        filters: dict[str, Any] = {}
        if sku:
            filters["sku"] = await _product_sku(uow, sku)
        dealers = {d.id: d for d in await uow.dealers.list()}
        names = {p.sku: p.name for p in await uow.products.list()}
        marks = {(t.scope_id, t.sku): t.low for t in await uow.thresholds.list(scope=ThresholdScope.DEALER)}
        daily = await daily_sellout(uow, clock)
        rows = []
        for held in await uow.dealer_stock.list(**filters):
            dealer = dealers.get(held.dealer_id)
            if dealer is None or (region and dealer.region != region):
                continue
            rate = daily.get((held.dealer_id, held.sku), Decimal("0.00"))
            point = marks.get((held.dealer_id, held.sku))
            rows.append(DealerStockRow(dealer_id=held.dealer_id, dealer_code=dealer.code, dealer_name=dealer.name,
                                       region=dealer.region, sku=held.sku, name=names.get(held.sku, held.sku),
                                       qty=held.qty, reported_at=held.reported_at, daily=rate,
                                       cover_days=_cover(held.qty, rate), reorder_point=point,
                                       below=point is not None and held.qty <= point))
    big = Decimal(10 ** 9)
    rows.sort(key=lambda r: (r.region, r.sku, r.cover_days if r.cover_days is not None else big, r.dealer_code))
    return rows


@dataclass(frozen=True)
class RegionStock:
    region: str
    sku: str
    name: str
    dealers: int
    qty: int
    daily: Decimal
    cover_days: Decimal | None
    below: int                    # dealers at or below their reorder point


def by_region(rows: list[DealerStockRow]) -> list[RegionStock]:
    """The overview summed per region and product (days of cover of the region's stock as a whole)."""
    groups: dict[tuple[str, str], list[DealerStockRow]] = {}
    for r in rows:
        groups.setdefault((r.region, r.sku), []).append(r)
    out = []
    for (region, sku), group in sorted(groups.items()):
        qty = sum(r.qty for r in group)
        daily = sum((r.daily for r in group), Decimal("0.00"))
        out.append(RegionStock(region=region, sku=sku, name=group[0].name, dealers=len(group), qty=qty, daily=daily,
                               cover_days=_cover(qty, daily), below=sum(1 for r in group if r.below)))
    return out
