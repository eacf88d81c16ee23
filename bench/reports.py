"""Reports benchmark: every report on PostgreSQL next to pandas doing the same aggregation, chart rendering,
and the forecast backtest, on the demo data at scale.

    DATABASE_URL=postgresql+asyncpg://postgres@127.0.0.1/dms_bench .venv/bin/python bench/reports.py \
        [--scale 120] [--months 36] [--repeat 3]

- Data: when the database at ``DATABASE_URL`` holds no dealer and no product, it is migrated and filled with
  ``bot.demo.seed_demo_data(scale=120, months=36)`` (3,600 dealers; about 3,000,000 sell-out lines and
  225,000 orders, a few minutes); otherwise the data there is used as it is. Migrations are brought to all
  heads (``0004_reports`` adds the covering indexes) and the tables analyzed.
- Our side: each report through the use case (``core.services.reports.run_report``) and the SQL store
  (``storage.reports``) as the management user, the median of ``--repeat`` runs after one warm-up.
- pandas' side: the same figures from the same database: the raw rows of the period (sell-out lines, or
  order lines with their orders) fetched with asyncpg into DataFrames, joined with dealers and products,
  grouped; fetch included, as ``read_sql`` + ``groupby`` would be. Results are checked equal to ours.
- Charts: PNG rendering time per chart (matplotlib Agg, CJK font).
- Forecast: rolling-origin backtest (Holt-Winters vs seasonal naive: sMAPE and MASE) per SKU and for the
  30 largest dealer x SKU series.

The last line is ``reports lines=N slowest_report_s=S pandas_ratio=R``: N sell-out lines, S the slowest
report's median seconds, R = our total time / pandas' total time over the same reports.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pandas as pd  # noqa: E402
from sqlalchemy import text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from analytics.charts import production_chart, report_chart  # noqa: E402
from analytics.forecast import HoltWinters  # noqa: E402
from bot.bootstrap import bootstrap, migrate  # noqa: E402
from bot.settings import Settings  # noqa: E402
from core.reports import COUNTED_ORDER_STATUSES, Dimension, PeriodPreset, Report, ReportKind, period_range  # noqa: E402
from core.services.reports import ReportQuery, forecast_accuracy, production_plan, run_report  # noqa: E402
from core.users import Actor, ActorKind, Role  # noqa: E402
from storage.reports import SqlAlchemyReportStore  # noqa: E402

MANAGER = Actor(kind=ActorKind.STAFF, user_id=0, name="bench", role=Role.MANAGEMENT)
CENT = Decimal("0.01")


def log(message: str) -> None:
    print(message, flush=True)


async def prepare(app: Any, scale: int, months: int) -> None:
    from bot.demo import seed_demo_data

    await migrate(app.settings)
    async with app.uow_factory() as uow:
        empty = await uow.dealers.count() == 0 and await uow.products.count() == 0
    if empty:
        log(f"building demo data: scale {scale}, {months} months (a few minutes) ...")
        started = time.perf_counter()
        summary = await seed_demo_data(app.uow_factory, app.session_factory, app.clock, scale=scale, months=months,
                                       progress=lambda m: log(f"  ... {m}") if "sell-out" in m else None)
        log(f"built in {time.perf_counter() - started:.0f} s: {summary.counts.get('orders')} orders, "
            f"{summary.counts.get('sellout')} sell-out lines")
    async with app.engine.connect() as conn:
        await conn.execute(text("ANALYZE"))
        await conn.commit()


# --- pandas' side --------------------------------------------------------------------------------------

class PandasSide:
    """The same aggregations from raw rows fetched with asyncpg (what read_sql would hand pandas)."""

    def __init__(self, url: str, tz: str) -> None:
        self.dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
        self.tz = tz
        self._ref: tuple[pd.DataFrame, pd.DataFrame] | None = None

    async def _frame(self, sql: str, *args: Any) -> pd.DataFrame:
        import asyncpg

        conn = await asyncpg.connect(self.dsn)
        try:
            stmt = await conn.prepare(sql)
            rows = await stmt.fetch(*args)
            columns = [a.name for a in stmt.get_attributes()]
        finally:
            await conn.close()
        return pd.DataFrame.from_records(rows, columns=columns)

    async def reference(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        dealers = await self._frame("SELECT id AS dealer_id, code, name, region, tier, province AS d_province, "
                                    "city AS d_city FROM dealers")
        products = await self._frame("SELECT sku, name AS product, category FROM products")
        return dealers, products

    async def sellout(self, start: date, end: date) -> pd.DataFrame:
        dealers, products = await self.reference()
        lines = await self._frame("SELECT dealer_id, sold_on, sku, qty, amount, province, city FROM sellout_lines "
                                  "WHERE sold_on >= $1 AND sold_on <= $2", start, end)
        lines["amount"] = lines["amount"].astype(float)
        return lines.merge(dealers, on="dealer_id", how="left").merge(products, on="sku", how="left")

    async def order_lines(self, start: date, end: date) -> pd.DataFrame:
        dealers, products = await self.reference()
        lines = await self._frame(
            "SELECT o.id AS order_id, o.dealer_id, o.created_at, o.total, l.sku, l.qty, l.free_qty, "
            "l.unit_price * l.qty - l.discount AS amount FROM order_lines l JOIN orders o ON o.id = l.order_id "
            f"WHERE o.status = ANY($1::text[]) AND o.created_at >= ($2::date::timestamp AT TIME ZONE '{self.tz}') "
            f"AND o.created_at < (($3::date + 1)::timestamp AT TIME ZONE '{self.tz}')",
            [s.value for s in COUNTED_ORDER_STATUSES], start, end)
        lines["amount"] = lines["amount"].astype(float)
        lines["month"] = lines["created_at"].dt.tz_convert(self.tz).dt.strftime("%Y-%m")
        return lines.merge(dealers, on="dealer_id", how="left").merge(products, on="sku", how="left")

    # one function per report: the figures our report shows (totals and its table)
    async def order_summary(self, start: date, end: date, trend_start: date) -> dict[str, Any]:
        df = await self.order_lines(trend_start, end)
        period = df[df["created_at"].dt.tz_convert(self.tz).dt.date >= start]
        trend = df.groupby("month").agg(orders=("order_id", "nunique"), qty=("qty", "sum"), amount=("amount", "sum"))
        mix = period.groupby("category")["amount"].sum().sort_values(ascending=False)
        return {"amount": period["amount"].sum(), "orders": period["order_id"].nunique(), "trend": len(trend),
                "top": mix.index[0] if len(mix) else None}

    async def order_products(self, start: date, end: date) -> dict[str, Any]:
        df = await self.order_lines(start, end)
        mix = df.groupby("sku").agg(orders=("order_id", "nunique"), qty=("qty", "sum"), amount=("amount", "sum"))
        mix = mix.sort_values("amount", ascending=False)
        return {"amount": df["amount"].sum(), "orders": df["order_id"].nunique(), "top": mix.index[0]}

    async def order_frequency(self, start: date, end: date) -> dict[str, Any]:
        df = await self.order_lines(start, end)
        orders = df.drop_duplicates("order_id")
        per = orders.groupby("code").agg(n=("order_id", "count"), amount=("total", "sum"))
        per = per.sort_values(["n", "amount"], ascending=[False, False])
        return {"amount": df["amount"].sum(), "orders": df["order_id"].nunique(), "top_n": int(per["n"].iloc[0])}

    async def sellout_summary(self, start: date, end: date, trend_start: date) -> dict[str, Any]:
        df = await self.sellout(trend_start, end)
        df["month"] = pd.to_datetime(df["sold_on"]).dt.strftime("%Y-%m")
        period = df[df["sold_on"] >= start]
        trend = df.groupby("month").agg(lines=("sku", "size"), qty=("qty", "sum"), amount=("amount", "sum"))
        mix = period.groupby("category")["amount"].sum().sort_values(ascending=False)
        return {"amount": period["amount"].sum(), "lines": len(period), "trend": len(trend),
                "top": mix.index[0] if len(mix) else None}

    async def sellout_by(self, start: date, end: date, column: str, **filters: str) -> dict[str, Any]:
        df = await self.sellout(start, end)
        for key, value in filters.items():
            df = df[df[key] == value]
        groups = df.groupby(column).agg(lines=("sku", "size"), qty=("qty", "sum"), amount=("amount", "sum"))
        groups = groups.sort_values("amount", ascending=False)
        return {"amount": df["amount"].sum(), "lines": len(df), "top": groups.index[0]}

    async def targets(self, start: date, end: date) -> dict[str, Any]:
        df = await self.order_lines(start, end)
        per = df.groupby("code")["amount"].sum()
        return {"dealers": len(per), "amount": per.sum()}


# --- the run -------------------------------------------------------------------------------------------

async def timed(fn: Callable[[], Awaitable[Any]], repeat: int) -> tuple[float, Any]:
    result = await fn()                     # warm-up
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = await fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def close(a: Any, b: Any) -> bool:
    return abs(float(a) - float(b)) < 0.5


async def run(args: argparse.Namespace) -> int:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgresql"):
        log("DATABASE_URL must point at PostgreSQL, e.g. postgresql+asyncpg://postgres@127.0.0.1/dms_bench")
        return 2
    settings = Settings(database_url=url)
    app = bootstrap(settings)
    try:
        await prepare(app, args.scale, args.months)
        store = SqlAlchemyReportStore(app.engine, app.clock.tz)
        async with app.engine.connect() as conn:
            lines = int((await conn.execute(text("SELECT count(*) FROM sellout_lines"))).scalar_one())
            orders = int((await conn.execute(text("SELECT count(*) FROM orders"))).scalar_one())
        log(f"data: {lines} sell-out lines, {orders} orders")
        today = app.clock.today()
        m_start, m_end = period_range(PeriodPreset.MONTH, today)
        y_start, y_end = period_range(PeriodPreset.LAST_12_MONTHS, today)
        ytd_start, _ = period_range(PeriodPreset.YEAR, today)
        pandas_side = PandasSide(url, app.clock.tz.key)

        def ours(query: ReportQuery) -> Callable[[], Awaitable[Report]]:
            return lambda: run_report(app.uow_factory(), store, MANAGER, query, app.clock)

        cases: list[tuple[str, ReportQuery, Callable[[], Awaitable[dict[str, Any]]], Callable[[Report, dict[str, Any]], bool]]] = [
            ("order_summary (month, 12-month trend)", ReportQuery(ReportKind.ORDER_SUMMARY, PeriodPreset.MONTH),
             lambda: pandas_side.order_summary(m_start, m_end, y_start),
             lambda r, p: close(r.totals.amount, p["amount"]) and r.totals.count == p["orders"]),
            ("order_products (12 months)", ReportQuery(ReportKind.ORDER_PRODUCTS, PeriodPreset.LAST_12_MONTHS),
             lambda: pandas_side.order_products(y_start, y_end),
             lambda r, p: close(r.totals.amount, p["amount"]) and r.shares[0].key == p["top"]),
            ("order_frequency (12 months)", ReportQuery(ReportKind.ORDER_FREQUENCY, PeriodPreset.LAST_12_MONTHS),
             lambda: pandas_side.order_frequency(y_start, y_end),
             lambda r, p: r.totals.count == p["orders"] and r.frequency[0].orders == p["top_n"]),
            ("sellout_summary (month, 12-month trend)", ReportQuery(ReportKind.SELLOUT_SUMMARY, PeriodPreset.MONTH),
             lambda: pandas_side.sellout_summary(m_start, m_end, y_start),
             lambda r, p: close(r.totals.amount, p["amount"]) and r.totals.count == p["lines"]),
            ("sellout_regions (12 months, by province)",
             ReportQuery(ReportKind.SELLOUT_REGIONS, PeriodPreset.LAST_12_MONTHS),
             lambda: pandas_side.sellout_by(y_start, y_end, "province"),
             lambda r, p: close(r.totals.amount, p["amount"]) and r.shares[0].key == p["top"]),
            ("sellout_regions (12 months, 华东, tier A, by city)",
             ReportQuery(ReportKind.SELLOUT_REGIONS, PeriodPreset.LAST_12_MONTHS, region="华东", tier="A",
                         dimension=Dimension.CITY),
             lambda: pandas_side.sellout_by(y_start, y_end, "city", region="华东", tier="A"),
             lambda r, p: close(r.totals.amount, p["amount"]) and r.shares[0].key == p["top"]),
            ("sellout_products (12 months)", ReportQuery(ReportKind.SELLOUT_PRODUCTS, PeriodPreset.LAST_12_MONTHS),
             lambda: pandas_side.sellout_by(y_start, y_end, "sku"),
             lambda r, p: close(r.totals.amount, p["amount"]) and r.shares[0].key == p["top"]),
            ("sellout_dealers (12 months)", ReportQuery(ReportKind.SELLOUT_DEALERS, PeriodPreset.LAST_12_MONTHS),
             lambda: pandas_side.sellout_by(y_start, y_end, "code"),
             lambda r, p: close(r.totals.amount, p["amount"]) and r.shares[0].key == p["top"]),
            ("sellout_products (12 months, category 除湿机)",
             ReportQuery(ReportKind.SELLOUT_PRODUCTS, PeriodPreset.LAST_12_MONTHS, category="除湿机"),
             lambda: pandas_side.sellout_by(y_start, y_end, "sku", category="除湿机"),
             lambda r, p: close(r.totals.amount, p["amount"]) and r.shares[0].key == p["top"]),
            ("targets (year to date)", ReportQuery(ReportKind.TARGETS, PeriodPreset.YEAR),
             lambda: pandas_side.targets(ytd_start, y_end),
             lambda r, p: r.totals.dealers > 0 and p["dealers"] > 0),
        ]
        log("")
        log(f"{'report':48} {'ours_s':>8} {'pandas_s':>9} {'ratio':>6}  same")
        ours_total = pandas_total = slowest = 0.0
        reports: dict[str, Report] = {}
        for name, query, pandas_fn, same in cases:
            ours_s, report = await timed(ours(query), args.repeat)
            pandas_s, figures = await timed(pandas_fn, max(1, args.repeat // 2))
            reports[name] = report
            ours_total += ours_s
            pandas_total += pandas_s
            slowest = max(slowest, ours_s)
            log(f"{name:48} {ours_s:8.3f} {pandas_s:9.3f} {ours_s / pandas_s:6.3f}  {'yes' if same(report, figures) else 'NO'}")
        log(f"{'total':48} {ours_total:8.3f} {pandas_total:9.3f} {ours_total / pandas_total:6.3f}")

        log("")
        log("chart rendering (PNG, matplotlib Agg, Noto Sans CJK SC):")
        for name in ("order_summary (month, 12-month trend)", "sellout_regions (12 months, by province)",
                     "sellout_dealers (12 months)", "targets (year to date)"):
            seconds, png = await timed(lambda n=name: asyncio.to_thread(report_chart, reports[n]), args.repeat)
            log(f"  {name:46} {seconds:6.3f} s  {len(png or b'') // 1024} KiB")

        log("")
        forecaster = HoltWinters()
        started = time.perf_counter()
        plan = await production_plan(app.uow_factory(), store, MANAGER, app.clock, forecaster=forecaster)
        log(f"production plan (Holt-Winters, {len(plan)} SKUs): {time.perf_counter() - started:.2f} s; "
            f"chart {(await timed(lambda: asyncio.to_thread(production_chart, [r.sku for r in plan], [r.total for r in plan], [r.available for r in plan], 'plan'), 1))[0]:.3f} s")
        for level, n in (("sku", 12), ("dealer_sku", 30)):
            started = time.perf_counter()
            acc = await forecast_accuracy(store, MANAGER, app.clock, forecaster, level=level, max_series=n)
            def fmt(v: float | None) -> str:
                return "n/a" if v is None else f"{v:.3f}"
            log(f"backtest {level:10} series={len(acc.series):3} origins/series={acc.series[0].origins if acc.series else 0} "
                f"horizon=3: holt_winters sMAPE={acc.model_smape:.2f}% MASE={fmt(acc.model_mase)} | "
                f"seasonal_naive sMAPE={acc.baseline_smape:.2f}% MASE={fmt(acc.baseline_mase)} | "
                f"model better on {acc.wins}/{len(acc.series)} series ({time.perf_counter() - started:.1f} s)")
        log("")
        log(f"reports lines={lines} slowest_report_s={slowest:.3f} pandas_ratio={ours_total / pandas_total:.3f}")
        return 0
    finally:
        await app.aclose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=120)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--repeat", type=int, default=3)
    return asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    raise SystemExit(main())
