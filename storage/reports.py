"""``AbstractReportStore`` in SQL: aggregate queries (SQLAlchemy Core) that run on SQLite and PostgreSQL.

Every method is one short read-only transaction on its own connection; the rows never become ORM objects.
What makes them fast on PostgreSQL with millions of sell-out lines (migration ``0004_reports``):

- ``ix_sellout_lines_sold_on_cover``: (sold_on) INCLUDE (dealer_id, sku, qty, amount, province, city) on
  PostgreSQL, so a period's aggregate is an index-only scan of the period's slice (no heap visits once
  the table is vacuumed); a plain (sold_on, dealer_id, sku) index on SQLite;
- ``ix_orders_created_at_cover``: (created_at) INCLUDE (dealer_id, status, total) for order totals and
  trends by period; order lines are reached through their ``order_id`` index;
- the small tables (dealers, products) are joined only when a filter or a grouping needs them, and
  PostgreSQL hashes them once per query.

Business days are in the store's time zone (Asia/Shanghai): an order's day is its ``created_at`` there;
period bounds become UTC instants, and monthly buckets use ``AT TIME ZONE`` on PostgreSQL and the zone's
fixed UTC offset on SQLite (Asia/Shanghai has no daylight saving time).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, distinct, func, select, type_coerce
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.sql import FromClause

from core.clock import SHANGHAI
from core.contracts import SalesTarget
from core.dealers import DealerStatus
from core.money import ZERO
from core.ports import AbstractReportStore
from core.reports import (
    COUNTED_ORDER_STATUSES,
    TARGET_CONTRACTS,
    DealerFrequency,
    Dimension,
    MonthPoint,
    ReportFilter,
    Share,
    Totals,
)
from storage.orm import contracts, dealers, order_lines, orders, products, sellout_lines
from storage.types import Money

_COUNTED = [s.value for s in COUNTED_ORDER_STATUSES]


def _money(value: Any) -> Decimal:
    return ZERO if value is None else Decimal(value).quantize(Decimal("0.01"))


class SqlAlchemyReportStore(AbstractReportStore):
    def __init__(self, engine: AsyncEngine, tz: ZoneInfo = SHANGHAI) -> None:
        self.engine = engine
        self.tz = tz
        self.sqlite = engine.dialect.name == "sqlite"

    # --- helpers -------------------------------------------------------------------------------------
    async def _all(self, stmt: Select[Any]) -> list[Any]:
        async with self.engine.connect() as conn:
            return list((await conn.execute(stmt)).all())

    def _instant(self, day: date) -> datetime:
        return datetime.combine(day, time.min, tzinfo=self.tz).astimezone(UTC)

    def _order_month(self) -> ColumnElement[str]:
        if self.sqlite:
            offset = int((self.tz.utcoffset(datetime(2000, 1, 1)) or timedelta()).total_seconds() // 60)
            return func.strftime("%Y-%m", orders.c.created_at, f"{offset:+d} minutes")
        return func.to_char(func.timezone(self.tz.key, orders.c.created_at), "YYYY-MM")

    def _order_day(self) -> ColumnElement[Any]:
        if self.sqlite:
            offset = int((self.tz.utcoffset(datetime(2000, 1, 1)) or timedelta()).total_seconds() // 60)
            return func.date(orders.c.created_at, f"{offset:+d} minutes")
        return func.date(func.timezone(self.tz.key, orders.c.created_at))

    def _sellout_month(self) -> ColumnElement[str]:
        if self.sqlite:
            return func.strftime("%Y-%m", sellout_lines.c.sold_on)
        return func.to_char(sellout_lines.c.sold_on, "YYYY-MM")

    @staticmethod
    def _needs_dealer(f: ReportFilter, by: Dimension | None = None, *, sellout: bool) -> bool:
        dealer_attrs = [f.region, f.tier] + ([] if sellout else [f.province, f.city])
        dims = {Dimension.REGION, Dimension.DEALER} | (set() if sellout else {Dimension.PROVINCE, Dimension.CITY})
        return any(v is not None for v in dealer_attrs) or by in dims

    @staticmethod
    def _dealer_conditions(f: ReportFilter, *, sellout: bool) -> list[ColumnElement[bool]]:
        cond: list[ColumnElement[bool]] = []
        if f.region is not None:
            cond.append(dealers.c.region == f.region)
        if f.tier is not None:
            cond.append(dealers.c.tier == f.tier)
        if not sellout:
            if f.province is not None:
                cond.append(dealers.c.province == f.province)
            if f.city is not None:
                cond.append(dealers.c.city == f.city)
        return cond

    # --- orders --------------------------------------------------------------------------------------
    def _order_lines_from(self, f: ReportFilter, by: Dimension | None = None) -> tuple[FromClause, list[Any]]:
        """order_lines joined to their orders (and dealers/products when needed) with the filter applied."""
        source: FromClause = order_lines.join(orders, orders.c.id == order_lines.c.order_id)
        cond: list[Any] = [orders.c.created_at >= self._instant(f.start),
                           orders.c.created_at < self._instant(f.end + timedelta(days=1)),
                           orders.c.status.in_(_COUNTED)]
        if f.dealer_id is not None:
            cond.append(orders.c.dealer_id == f.dealer_id)
        if self._needs_dealer(f, by, sellout=False):
            source = source.join(dealers, dealers.c.id == orders.c.dealer_id)
            cond += self._dealer_conditions(f, sellout=False)
        if f.sku is not None:
            cond.append(order_lines.c.sku == f.sku)
        if f.category is not None or by in (Dimension.CATEGORY, Dimension.SKU):
            source = source.join(products, products.c.sku == order_lines.c.sku,
                                 isouter=f.category is None)
            if f.category is not None:
                cond.append(products.c.category == f.category)
        return source, cond

    @staticmethod
    def _line_amount() -> ColumnElement[Decimal]:
        return type_coerce(func.sum(order_lines.c.unit_price * order_lines.c.qty - order_lines.c.discount), Money())

    async def order_totals(self, f: ReportFilter) -> Totals:
        source, cond = self._order_lines_from(f)
        stmt = select(func.count(distinct(orders.c.id)), func.coalesce(func.sum(order_lines.c.qty), 0),
                      self._line_amount(), func.count(distinct(orders.c.dealer_id))).select_from(source).where(*cond)
        count, qty, amount, dealer_count = (await self._all(stmt))[0]
        return Totals(count=int(count or 0), qty=int(qty or 0), amount=_money(amount), dealers=int(dealer_count or 0))

    async def order_trend(self, f: ReportFilter) -> list[MonthPoint]:
        source, cond = self._order_lines_from(f)
        month = self._order_month().label("month")
        stmt = (select(month, func.count(distinct(orders.c.id)), func.sum(order_lines.c.qty), self._line_amount())
                .select_from(source).where(*cond).group_by(month).order_by(month))
        return [MonthPoint(m, int(c), int(q or 0), _money(a)) for m, c, q, a in await self._all(stmt)]

    def _group_columns(self, by: Dimension, *, sellout: bool) -> tuple[ColumnElement[Any], ColumnElement[Any]]:
        """(key, label) columns of a dimension."""
        if by == Dimension.REGION:
            return dealers.c.region, dealers.c.region
        if by == Dimension.DEALER:
            return dealers.c.code, dealers.c.name
        if by == Dimension.CATEGORY:
            return products.c.category, products.c.category
        if by == Dimension.SKU:
            sku = sellout_lines.c.sku if sellout else order_lines.c.sku
            return sku, func.coalesce(products.c.name, sku)
        table = sellout_lines if sellout else dealers
        column = table.c.province if by == Dimension.PROVINCE else table.c.city
        return column, column

    async def order_breakdown(self, f: ReportFilter, by: Dimension, limit: int | None = None, *,
                              lowest_first: bool = False) -> list[Share]:
        source, cond = self._order_lines_from(f, by)
        key, label = self._group_columns(by, sellout=False)
        amount = self._line_amount().label("amount")
        stmt = (select(key, func.max(label), func.count(distinct(orders.c.id)), func.sum(order_lines.c.qty), amount)
                .select_from(source).where(*cond).group_by(key)
                .order_by(amount.asc() if lowest_first else amount.desc(), key).limit(limit))
        return [Share(str(k), str(lb), int(c), int(q or 0), _money(a)) for k, lb, c, q, a in await self._all(stmt)]

    async def order_frequency(self, f: ReportFilter, limit: int | None = None) -> list[DealerFrequency]:
        cond: list[Any] = [orders.c.created_at >= self._instant(f.start),
                           orders.c.created_at < self._instant(f.end + timedelta(days=1)),
                           orders.c.status.in_(_COUNTED)]
        if f.dealer_id is not None:
            cond.append(orders.c.dealer_id == f.dealer_id)
        cond += self._dealer_conditions(f, sellout=False)
        source: FromClause = orders.join(dealers, dealers.c.id == orders.c.dealer_id)
        if f.sku is not None or f.category is not None:
            lines = select(order_lines.c.order_id).join(products, products.c.sku == order_lines.c.sku, isouter=True)
            if f.sku is not None:
                lines = lines.where(order_lines.c.sku == f.sku)
            if f.category is not None:
                lines = lines.where(products.c.category == f.category)
            cond.append(orders.c.id.in_(lines))
        n = func.count(orders.c.id).label("n")
        day = self._order_day()
        stmt = (select(dealers.c.id, dealers.c.code, dealers.c.name, n, type_coerce(func.sum(orders.c.total), Money()),
                       func.min(day), func.max(day))
                .select_from(source).where(*cond).group_by(dealers.c.id, dealers.c.code, dealers.c.name)
                .order_by(n.desc(), dealers.c.code).limit(limit))
        return [DealerFrequency(int(i), code, name, int(c), _money(a), _as_date(first), _as_date(last))
                for i, code, name, c, a, first, last in await self._all(stmt)]

    # --- sell-out ------------------------------------------------------------------------------------
    def _sellout_from(self, f: ReportFilter, by: Dimension | None = None) -> tuple[FromClause, list[Any]]:
        source: FromClause = sellout_lines
        cond: list[Any] = [sellout_lines.c.sold_on >= f.start, sellout_lines.c.sold_on <= f.end]
        if f.dealer_id is not None:
            cond.append(sellout_lines.c.dealer_id == f.dealer_id)
        if f.province is not None:
            cond.append(sellout_lines.c.province == f.province)
        if f.city is not None:
            cond.append(sellout_lines.c.city == f.city)
        if f.sku is not None:
            cond.append(sellout_lines.c.sku == f.sku)
        if self._needs_dealer(f, by, sellout=True):
            source = source.join(dealers, dealers.c.id == sellout_lines.c.dealer_id)
            cond += self._dealer_conditions(f, sellout=True)
        if f.category is not None or by in (Dimension.CATEGORY, Dimension.SKU):
            source = source.join(products, products.c.sku == sellout_lines.c.sku, isouter=f.category is None)
            if f.category is not None:
                cond.append(products.c.category == f.category)
        return source, cond

    async def sellout_totals(self, f: ReportFilter) -> Totals:
        source, cond = self._sellout_from(f)
        stmt = select(func.count(), func.coalesce(func.sum(sellout_lines.c.qty), 0),
                      type_coerce(func.sum(sellout_lines.c.amount), Money()),
                      func.count(distinct(sellout_lines.c.dealer_id))).select_from(source).where(*cond)
        count, qty, amount, dealer_count = (await self._all(stmt))[0]
        return Totals(count=int(count or 0), qty=int(qty or 0), amount=_money(amount), dealers=int(dealer_count or 0))

    async def sellout_trend(self, f: ReportFilter) -> list[MonthPoint]:
        source, cond = self._sellout_from(f)
        month = self._sellout_month().label("month")
        stmt = (select(month, func.count(), func.sum(sellout_lines.c.qty),
                       type_coerce(func.sum(sellout_lines.c.amount), Money()))
                .select_from(source).where(*cond).group_by(month).order_by(month))
        return [MonthPoint(m, int(c), int(q or 0), _money(a)) for m, c, q, a in await self._all(stmt)]

    async def sellout_breakdown(self, f: ReportFilter, by: Dimension, limit: int | None = None, *,
                                lowest_first: bool = False) -> list[Share]:
        source, cond = self._sellout_from(f, by)
        key, label = self._group_columns(by, sellout=True)
        amount = type_coerce(func.sum(sellout_lines.c.amount), Money()).label("amount")
        stmt = (select(key, func.max(label), func.count(), func.sum(sellout_lines.c.qty), amount)
                .select_from(source).where(*cond).group_by(key)
                .order_by(amount.asc() if lowest_first else amount.desc(), key).limit(limit))
        return [Share(str(k), str(lb), int(c), int(q or 0), _money(a)) for k, lb, c, q, a in await self._all(stmt)]

    # --- reference and history -----------------------------------------------------------------------
    async def dealer_labels(self, f: ReportFilter, *, active_only: bool = False) -> dict[int, tuple[str, str]]:
        cond = self._dealer_conditions(f, sellout=False)
        if f.dealer_id is not None:
            cond.append(dealers.c.id == f.dealer_id)
        if active_only:
            cond.append(dealers.c.status == DealerStatus.ACTIVE)
        stmt = select(dealers.c.id, dealers.c.code, dealers.c.name).where(*cond)
        return {int(i): (code, name) for i, code, name in await self._all(stmt)}

    async def contract_targets(self, f: ReportFilter) -> list[tuple[int, date, date, list[SalesTarget]]]:
        stmt = select(contracts.c.dealer_id, contracts.c.starts_on, contracts.c.ends_on, contracts.c.targets).where(
            contracts.c.status.in_([s.value for s in TARGET_CONTRACTS]))
        if f.dealer_id is not None:
            stmt = stmt.where(contracts.c.dealer_id == f.dealer_id)
        return [(int(d), _as_date(start), _as_date(end), list(targets or []))
                for d, start, end, targets in await self._all(stmt)]

    async def monthly_quantities(self, source: str, f: ReportFilter, *,
                                 by_dealer: bool = False) -> list[tuple[int | None, str, str, int]]:
        if source == "orders":
            src, cond = self._order_lines_from(f)
            month = self._order_month().label("month")
            sku, dealer = order_lines.c.sku, orders.c.dealer_id
            qty = func.sum(order_lines.c.qty + order_lines.c.free_qty)
        elif source == "sellout":
            src, cond = self._sellout_from(f)
            month = self._sellout_month().label("month")
            sku, dealer = sellout_lines.c.sku, sellout_lines.c.dealer_id
            qty = func.sum(sellout_lines.c.qty)
        else:
            raise ValueError(f"unknown source {source!r}")
        keys: list[Any] = [dealer, sku, month] if by_dealer else [sku, month]
        stmt = select(*keys, qty).select_from(src).where(*cond).group_by(*keys)
        rows = await self._all(stmt)
        if by_dealer:
            return [(int(d), s, m, int(q or 0)) for d, s, m, q in rows]
        return [(None, s, m, int(q or 0)) for s, m, q in rows]


def _as_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])
