"""Report and forecast use cases: who may see which figures, and the figures themselves.

Authorization (checked before anything is read):

- a dealer user sees its own dealer's figures only: the filter is pinned to its dealer, and asking for
  another dealer answers NotFound (nothing leaks);
- staff need REPORT_READ_ALL, or SELLOUT_READ_ALL for sell-out reports, or ORDER_READ_ALL for order
  reports; targets, forecasts and production planning need REPORT_READ_ALL;
- an API key needs ``orders:read`` / ``sellout:read``; a key bound to a dealer is pinned like a dealer user.

Reports only read, so they write no audit entries. Aggregates come from ``AbstractReportStore``; the
contracts behind target achievement and the stock behind planning come through the unit of work.

Forecasts: ``Forecaster`` (``core.forecast_rules``) is injected: Holt-Winters from ``analytics.forecast``
in the application, ``SeasonalNaive`` when nothing else is given. Demand per SKU is what dealers order
(units plus free units: what the maker ships); demand per dealer x SKU is what the dealer sells on
(sell-out). Histories end with the last complete month; the current month is forecast, not measured.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from core.authz import require
from core.clock import Clock
from core.contract_rules import target_window
from core.contracts import TargetMetric
from core.errors import NotFound, PermissionDenied, ValidationFailed
from core.forecast_rules import SEASON, Backtest, Forecaster, SeasonalNaive, backtest
from core.money import ZERO
from core.ports import AbstractReportStore, AbstractUnitOfWork
from core.reports import (
    Dimension,
    MonthPoint,
    PeriodPreset,
    Report,
    ReportFilter,
    ReportKind,
    Share,
    TargetRow,
    Totals,
    add_months,
    fill_months,
    month_key,
    months_between,
    period_range,
    with_shares,
)
from core.users import Actor, ActorKind, Permission

MAX_ROWS = 200


@dataclass(frozen=True)
class ReportQuery:
    kind: ReportKind
    period: PeriodPreset | str | None = None     # a preset, or start/end
    start: date | None = None
    end: date | None = None
    region: str | None = None
    province: str | None = None
    city: str | None = None
    tier: str | None = None
    category: str | None = None
    sku: str | None = None
    dealer_id: int | None = None
    dimension: Dimension | None = None           # regions report: region, province (default) or city
    limit: int = 20
    lowest_first: bool = False                   # rankings (targets, dealers, products, regions): the lowest
    #                                              first, ordered in the query before the limit


# --- authorization ------------------------------------------------------------------------------------

def _dealer_not_found(dealer_id: int) -> NotFound:
    return NotFound(zh=f"未找到经销商 {dealer_id}", en=f"Dealer {dealer_id} not found", what=str(dealer_id))


def report_scope(actor: Actor, kind: ReportKind, dealer_id: int | None = None) -> int | None:
    """The dealer the report must be limited to (None: all dealers), or raise.

    A dealer (or a dealer-bound API key) asking for another dealer gets NotFound.
    """
    if actor.kind == ActorKind.SYSTEM:
        return dealer_id
    if actor.kind == ActorKind.DEALER:
        if actor.dealer_id is None:
            raise PermissionDenied()
        if dealer_id not in (None, actor.dealer_id):
            raise _dealer_not_found(dealer_id)
        return actor.dealer_id
    if actor.kind == ActorKind.API:
        needed = "sellout:read" if kind.is_sellout else "orders:read"
        if kind == ReportKind.TARGETS or needed not in actor.scopes:
            raise PermissionDenied()
        if actor.dealer_id is not None:
            if dealer_id not in (None, actor.dealer_id):
                raise _dealer_not_found(dealer_id)
            return actor.dealer_id
        return dealer_id
    if actor.kind == ActorKind.STAFF:
        perms = actor.permissions
        allowed = Permission.REPORT_READ_ALL in perms or (
            (kind.is_sellout and Permission.SELLOUT_READ_ALL in perms)
            or (kind.is_orders and Permission.ORDER_READ_ALL in perms))
        if not allowed:
            raise PermissionDenied()
        return dealer_id
    raise PermissionDenied()


def build_filter(actor: Actor, query: ReportQuery, clock: Clock) -> ReportFilter:
    """The checked filter of ``query``: period resolved, dealer scope applied."""
    scope = report_scope(actor, query.kind, query.dealer_id)
    if query.start is not None or query.end is not None:
        start = query.start or (query.end or clock.today()).replace(day=1)
        end = query.end or clock.today()
    else:
        start, end = period_range(query.period or PeriodPreset.MONTH, clock.today())
    clean = {k: (v.strip() or None) if isinstance(v, str) else v for k, v in (
        ("region", query.region), ("province", query.province), ("city", query.city),
        ("tier", query.tier), ("category", query.category), ("sku", query.sku))}
    return ReportFilter(start=start, end=end, dealer_id=scope, **clean)


# --- reports -------------------------------------------------------------------------------------------

def _limit(query: ReportQuery) -> int:
    return min(max(query.limit, 1), MAX_ROWS)


def _shares(rows: list[Share], total: Decimal) -> tuple[Share, ...]:
    if total <= 0:
        return with_shares(rows)
    return tuple(replace(r, share=(r.amount / total).quantize(Decimal("0.0001"))) for r in rows)


def _trend_filter(f: ReportFilter) -> ReportFilter:
    """At least the 12 months up to the period's end, so a short period still shows its context."""
    return replace(f, start=min(f.start, add_months(f.end, -11)))


async def run_report(uow: AbstractUnitOfWork, store: AbstractReportStore, actor: Actor, query: ReportQuery,
                     clock: Clock) -> Report:
    """Any report of ``core.reports.ReportKind`` for the actor."""
    f = build_filter(actor, query, clock)
    kind, limit = query.kind, _limit(query)
    if kind == ReportKind.TARGETS:
        return await _targets(uow, store, f, limit, lowest_first=query.lowest_first)
    # the queries of one report are independent: they run at the same time (one connection each)
    if kind.is_orders:
        if kind == ReportKind.ORDER_SUMMARY:
            return await _summary(kind, f, store.order_totals, store.order_trend, store.order_breakdown)
        if kind in (ReportKind.ORDER_REGIONS, ReportKind.ORDER_DEALERS):
            group = Dimension.DEALER if kind == ReportKind.ORDER_DEALERS else _region_dimension(query, f)
            totals, groups = await asyncio.gather(store.order_totals(f), store.order_breakdown(
                f, group, limit, lowest_first=query.lowest_first))
            return Report(kind, f, totals=totals, dimension=group, shares=_shares(groups, totals.amount),
                          lowest_first=query.lowest_first)
        if kind == ReportKind.ORDER_PRODUCTS:
            totals, mix = await asyncio.gather(store.order_totals(f), store.order_breakdown(
                f, Dimension.SKU, limit, lowest_first=query.lowest_first))
            return Report(kind, f, totals=totals, dimension=Dimension.SKU, shares=_shares(mix, totals.amount),
                          lowest_first=query.lowest_first)
        totals, frequency = await asyncio.gather(store.order_totals(f), store.order_frequency(f, limit))
        return Report(kind, f, totals=totals, frequency=tuple(frequency))
    if kind == ReportKind.SELLOUT_SUMMARY:
        return await _summary(kind, f, store.sellout_totals, store.sellout_trend, store.sellout_breakdown)
    if kind == ReportKind.SELLOUT_DEALERS and query.lowest_first and f.province is None and f.city is None:
        return await _dealers_from_the_bottom(store, f, limit)
    by = {ReportKind.SELLOUT_PRODUCTS: Dimension.SKU, ReportKind.SELLOUT_DEALERS: Dimension.DEALER}.get(kind)
    if by is None:      # regions
        by = _region_dimension(query, f)
    totals, groups = await asyncio.gather(store.sellout_totals(f),
                                          store.sellout_breakdown(f, by, limit, lowest_first=query.lowest_first))
    return Report(kind, f, totals=totals, dimension=by, shares=_shares(groups, totals.amount),
                  lowest_first=query.lowest_first)


def _region_dimension(query: ReportQuery, f: ReportFilter) -> Dimension:
    """What a regions report groups by: as asked, else the cities of a province filter, else the provinces
    (for sell-out: where the goods were sold) or the dealers' regions (for orders: the dealer is the place)."""
    by = query.dimension or (Dimension.CITY if f.province else
                             Dimension.REGION if query.kind == ReportKind.ORDER_REGIONS else Dimension.PROVINCE)
    if by not in (Dimension.REGION, Dimension.PROVINCE, Dimension.CITY):
        raise ValidationFailed(zh="输入有误：地区报表按大区、省或城市", en="Invalid input: regions by region, province or city",
                               reason="dimension")
    return by


async def _dealers_from_the_bottom(store: AbstractReportStore, f: ReportFilter, limit: int) -> Report:
    """The dealer ranking from the bottom ("哪些经销商卖得最差"): the active dealers that sold nothing in the
    period come first at 0 (the sell-out lines know only those that sold), then the rest, smallest first.
    Not with a province or city filter: there the place is where the goods were sold, not the dealer's."""
    totals, sold, labels = await asyncio.gather(
        store.sellout_totals(f), store.sellout_breakdown(f, Dimension.DEALER, lowest_first=True),
        store.dealer_labels(f, active_only=True))
    seen = {s.key for s in sold}
    silent = sorted((Share(code, name, 0, 0, ZERO) for code, name in labels.values() if code not in seen),
                    key=lambda s: s.key)
    rows = [*silent, *sold][:limit]
    return Report(ReportKind.SELLOUT_DEALERS, f, totals=totals, dimension=Dimension.DEALER,
                  shares=_shares(rows, totals.amount), lowest_first=True)


async def _summary(kind: ReportKind, f: ReportFilter, totals_of: Callable[..., Awaitable[Totals]],
                   trend_of: Callable[..., Awaitable[list[MonthPoint]]],
                   breakdown_of: Callable[..., Awaitable[list[Share]]]) -> Report:
    """An order or sell-out overview: the period's totals, the period before (环比) and a year before (同比), the
    months' trend and the categories' mix, read at the same time."""
    tf = _trend_filter(f)
    totals, previous, year_ago, trend, mix = await asyncio.gather(
        totals_of(f), totals_of(f.previous()), totals_of(f.year_ago()), trend_of(tf), breakdown_of(f, Dimension.CATEGORY))
    return Report(kind, f, totals=totals, previous=previous, year_ago=year_ago,
                  trend=fill_months(trend, tf.start, tf.end), shares=_shares(mix, totals.amount),
                  dimension=Dimension.CATEGORY)


async def _targets(uow: AbstractUnitOfWork, store: AbstractReportStore, f: ReportFilter, limit: int,
                   *, lowest_first: bool = False) -> Report:
    """Per dealer: the amount targets (all products) of its contracts whose window holds the period's last
    day, against what it ordered in those windows up to that day (as contract execution counts it).
    ``totals.amount`` is the sell-in of the dealers with targets, ``totals.dealers`` their number.
    The rows are ordered (highest achievement first, or lowest with ``lowest_first``) before ``limit`` cuts
    them: "who is furthest behind" must not be answered from the top ten."""
    labels, contracts = await asyncio.gather(store.dealer_labels(f), store.contract_targets(f))
    # one window per (dealer, target): several dealers usually share a window, so query per window
    wanted: dict[tuple[date, date], dict[int, Decimal]] = {}
    for dealer_id, starts_on, ends_on, targets in contracts:
        if dealer_id not in labels:
            continue
        for target in targets:
            if target.metric != TargetMetric.AMOUNT or target.product_group is not None:
                continue
            try:
                start, end = target_window(starts_on, ends_on, target)
            except ValidationFailed:
                continue
            if start <= f.end <= end:
                per_dealer = wanted.setdefault((start, f.end), {})
                per_dealer[dealer_id] = per_dealer.get(dealer_id, ZERO) + target.value
    rows: list[TargetRow] = []
    for (start, end), per_dealer in wanted.items():
        window = replace(f, start=start, end=end)
        by_orders, by_sellout = await asyncio.gather(store.order_breakdown(window, Dimension.DEALER),
                                                     store.sellout_breakdown(window, Dimension.DEALER))
        bought = {s.key: s.amount for s in by_orders}
        sold = {s.key: s.amount for s in by_sellout}
        for dealer_id, value in per_dealer.items():
            code, name = labels[dealer_id]
            rows.append(TargetRow(dealer_id, code, name, target=value, actual=bought.get(code, ZERO),
                                  sell_out=sold.get(code, ZERO)))
    rows.sort(key=lambda r: (r.achievement if lowest_first else -r.achievement, r.code))
    totals = Totals(amount=sum((r.actual for r in rows), ZERO), dealers=len(rows))
    return Report(ReportKind.TARGETS, f, totals=totals, targets=tuple(rows[:limit]), lowest_first=lowest_first)


# --- forecasts -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SeriesForecast:
    """One monthly demand series and its forecast."""

    sku: str
    name: str
    dealer_id: int | None
    months: tuple[str, ...]               # history months, oldest first
    history: tuple[int, ...]
    forecast_months: tuple[str, ...]
    forecast: tuple[Decimal, ...]          # units, one decimal
    method: str

    @property
    def forecast_total(self) -> int:
        return int(math.ceil(sum(self.forecast)))


@dataclass(frozen=True)
class ProductionRow:
    sku: str
    name: str
    months: tuple[str, ...]
    demand: tuple[int, ...]                # forecast units per month (rounded up)
    available: int                         # maker stock on hand minus reserved, all warehouses
    method: str

    @property
    def total(self) -> int:
        return sum(self.demand)

    @property
    def shortfall(self) -> int:
        """Units to make (or bring in) to cover the forecast; 0 when stock covers it."""
        return max(0, self.total - self.available)

    @property
    def cover_months(self) -> Decimal | None:
        """How many of the forecast months today's stock lasts (None: no demand forecast)."""
        if self.total <= 0:
            return None
        return (Decimal(self.available) / Decimal(self.total) * len(self.demand)).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class Replenishment:
    dealer_id: int
    sku: str
    name: str
    monthly_forecast: Decimal              # units per month (the next month's forecast)
    cover_days: int                        # lead time + review period
    demand: int                            # forecast units over cover_days
    stock: int                             # the dealer's last reported stock (0 when never reported)
    suggested: int                         # units to order now (0: enough stock)
    method: str


def _history_window(clock: Clock, months: int) -> tuple[date, date, list[str]]:
    """The ``months`` complete months before this one: (first day, last day, month keys)."""
    this_month = clock.today().replace(day=1)
    start = add_months(this_month, -months)
    end = date.fromordinal(this_month.toordinal() - 1)
    return start, end, months_between(start, end)


def _require_planner(actor: Actor) -> None:
    if actor.kind != ActorKind.SYSTEM:
        if actor.kind != ActorKind.STAFF:
            raise PermissionDenied()
        require(actor, Permission.REPORT_READ_ALL)


async def demand_series(store: AbstractReportStore, source: str, f: ReportFilter, keys: list[str], *,
                        by_dealer: bool) -> dict[tuple[int | None, str], list[int]]:
    """Monthly units per (dealer or None, SKU), zero-filled over ``keys``."""
    index = {k: i for i, k in enumerate(keys)}
    series: dict[tuple[int | None, str], list[int]] = {}
    for dealer_id, sku, month, qty in await store.monthly_quantities(source, f, by_dealer=by_dealer):
        if month in index:
            series.setdefault((dealer_id, sku), [0] * len(keys))[index[month]] += qty
    return series


def _forecast(method: Forecaster, history: Sequence[int], horizon: int) -> list[float]:
    return [max(0.0, v) for v in method.forecast([float(v) for v in history], horizon, SEASON)]


async def _product_names(uow: AbstractUnitOfWork) -> dict[str, str]:
    async with uow:
        return {p.sku: p.name for p in await uow.products.list()}


async def demand_forecast(uow: AbstractUnitOfWork, store: AbstractReportStore, actor: Actor, clock: Clock, *,
                          forecaster: Forecaster | None = None, horizon: int = 3, history_months: int = 36,
                          category: str | None = None) -> list[SeriesForecast]:
    """Monthly demand per SKU (units dealers order) for the next ``horizon`` months (from this one)."""
    _require_planner(actor)
    method = forecaster or SeasonalNaive()
    start, end, keys = _history_window(clock, history_months)
    series = await demand_series(store, "orders", ReportFilter(start, end, category=category), keys, by_dealer=False)
    names = await _product_names(uow)
    first = clock.today().replace(day=1)
    months = tuple(month_key(add_months(first, i)) for i in range(horizon))
    out = []
    for (_, sku), history in sorted(series.items(), key=lambda kv: -sum(kv[1])):
        values = _forecast(method, history, horizon)
        out.append(SeriesForecast(sku=sku, name=names.get(sku, sku), dealer_id=None, months=tuple(keys),
                                  history=tuple(history), forecast_months=months,
                                  forecast=tuple(Decimal(str(round(v, 1))) for v in values), method=method.name))
    return out


async def production_plan(uow: AbstractUnitOfWork, store: AbstractReportStore, actor: Actor, clock: Clock, *,
                          forecaster: Forecaster | None = None, months: int = 3,
                          history_months: int = 36) -> list[ProductionRow]:
    """Forecast demand of the next ``months`` months (after this one) per SKU against maker stock."""
    _require_planner(actor)
    method = forecaster or SeasonalNaive()
    start, end, keys = _history_window(clock, history_months)
    series = await demand_series(store, "orders", ReportFilter(start, end), keys, by_dealer=False)
    async with uow:
        products = await uow.products.list(active=True, order_by="sku")
        levels = await uow.stock.list()
    available: dict[str, int] = {}
    for level in levels:
        available[level.sku] = available.get(level.sku, 0) + max(level.available, 0)
    first = add_months(clock.today(), 1)
    month_keys = tuple(month_key(add_months(first, i)) for i in range(months))
    rows = []
    for p in products:
        history = series.get((None, p.sku), [0] * len(keys))
        # this month is still running: forecast it too, then keep the months after it
        values = _forecast(method, history, months + 1)[1:]
        rows.append(ProductionRow(sku=p.sku, name=p.name, months=month_keys,
                                  demand=tuple(int(math.ceil(v)) for v in values),
                                  available=available.get(p.sku, 0), method=method.name))
    rows.sort(key=lambda r: (-r.shortfall, -r.total, r.sku))
    return rows


async def replenishment(uow: AbstractUnitOfWork, store: AbstractReportStore, actor: Actor, dealer_id: int,
                        clock: Clock, *, forecaster: Forecaster | None = None, lead_time_days: int = 15,
                        review_days: int = 30, history_months: int = 36) -> list[Replenishment]:
    """What ``dealer_id`` should order now per SKU: forecast sell-out over lead time plus review period,
    minus its last reported stock. A dealer for itself; staff with REPORT_READ_ALL or DEALER_READ_ALL."""
    if actor.kind == ActorKind.DEALER:
        if actor.dealer_id != dealer_id:
            raise _dealer_not_found(dealer_id)
    elif actor.kind == ActorKind.STAFF:
        if not {Permission.REPORT_READ_ALL, Permission.DEALER_READ_ALL} & actor.permissions:
            raise PermissionDenied()
    elif actor.kind != ActorKind.SYSTEM:
        raise PermissionDenied()
    if lead_time_days < 0 or review_days <= 0:
        raise ValidationFailed(zh="输入有误：交货周期不能为负", en="Invalid input: lead time must not be negative",
                               reason="lead time")
    method = forecaster or SeasonalNaive()
    start, end, keys = _history_window(clock, history_months)
    series = await demand_series(store, "sellout", ReportFilter(start, end, dealer_id=dealer_id), keys,
                                 by_dealer=True)
    async with uow:
        if await uow.dealers.get(dealer_id) is None:
            raise _dealer_not_found(dealer_id)
        stock = {s.sku: s.qty for s in await uow.dealer_stock.list(dealer_id=dealer_id)}
    names = await _product_names(uow)
    cover = lead_time_days + review_days
    out = []
    for (_, sku), history in sorted(series.items(), key=lambda kv: kv[0][1]):
        if not any(history):
            continue
        values = _forecast(method, history, 2)          # this month, next month
        monthly = max(values)
        demand = int(math.ceil(monthly * cover / 30))
        on_hand = stock.get(sku, 0)
        out.append(Replenishment(dealer_id=dealer_id, sku=sku, name=names.get(sku, sku),
                                 monthly_forecast=Decimal(str(round(monthly, 1))), cover_days=cover, demand=demand,
                                 stock=on_hand, suggested=max(0, demand - on_hand), method=method.name))
    out.sort(key=lambda r: (-r.suggested, r.sku))
    return out


@dataclass(frozen=True)
class AccuracyReport:
    """Backtests of a forecaster against the seasonal-naive baseline, per series and pooled."""

    level: str                                 # "sku" or "dealer_sku"
    series: tuple[Backtest, ...]
    model_smape: float
    baseline_smape: float
    model_mase: float | None
    baseline_mase: float | None
    wins: int                                  # series where the model beats the baseline

    @property
    def model_wins(self) -> bool:
        if self.model_smape >= self.baseline_smape:
            return False
        return self.model_mase is None or self.baseline_mase is None or self.model_mase < self.baseline_mase


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


async def forecast_accuracy(store: AbstractReportStore, actor: Actor, clock: Clock, forecaster: Forecaster, *,
                            level: str = "sku", history_months: int = 36, horizon: int = 3, min_train: int = 24,
                            max_series: int = 30) -> AccuracyReport:
    """Rolling-origin backtest on the history (sMAPE and MASE for the model and seasonal naive), for the
    ``max_series`` largest series: per SKU of orders, or per dealer x SKU of sell-out."""
    _require_planner(actor)
    if level not in ("sku", "dealer_sku"):
        raise ValidationFailed(zh="输入有误：level 为 sku 或 dealer_sku", en="Invalid input: level is sku or dealer_sku",
                               reason="level")
    start, end, keys = _history_window(clock, history_months)
    by_dealer = level == "dealer_sku"
    series = await demand_series(store, "sellout" if by_dealer else "orders", ReportFilter(start, end), keys,
                                 by_dealer=by_dealer)
    biggest = sorted(series.items(), key=lambda kv: -sum(kv[1]))[:max_series]
    results = []
    for (dealer_id, sku), history in biggest:
        name = sku if dealer_id is None else f"{dealer_id}/{sku}"
        result = backtest(name, [float(v) for v in history], forecaster, horizon=horizon, min_train=min_train)
        if result is not None:
            results.append(result)
    model_smape = _mean([r.model.smape for r in results]) or 0.0
    base_smape = _mean([r.baseline.smape for r in results]) or 0.0
    return AccuracyReport(
        level=level, series=tuple(results), model_smape=model_smape, baseline_smape=base_smape,
        model_mase=_mean([r.model.mase for r in results if r.model.mase is not None]),
        baseline_mase=_mean([r.baseline.mase for r in results if r.baseline.mase is not None]),
        wins=sum(1 for r in results if r.model_wins))
