"""storage.reports on SQLite and PostgreSQL: the same hand-computed figures as the in-memory oracle, through
the store and through the use cases; time-zone buckets; the covering indexes exist."""

from __future__ import annotations

from datetime import date

from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import AsyncEngine

from core.reports import ReportFilter
from storage.reports import SqlAlchemyReportStore
from storage.uow import SqlAlchemyUnitOfWork
from tests.factories import seed_report_data
from tests.unit.test_reports import check_store_figures, check_use_case_figures


async def test_figures_match_the_hand_computed_values(engine: AsyncEngine, uow: SqlAlchemyUnitOfWork) -> None:
    ids = await seed_report_data(uow)
    store = SqlAlchemyReportStore(engine)
    await check_store_figures(store, ids)
    await check_use_case_figures(uow, store, ids)


async def test_an_order_at_half_past_midnight_shanghai_counts_on_that_day(engine: AsyncEngine,
                                                                           uow: SqlAlchemyUnitOfWork) -> None:
    await seed_report_data(uow)
    store = SqlAlchemyReportStore(engine)
    # SO-20261101-0001 was placed 2026-11-01 00:30 Shanghai = 2026-10-31 16:30 UTC
    first = await store.order_totals(ReportFilter(date(2026, 11, 1), date(2026, 11, 1)))
    assert (first.count, first.qty) == (1, 1)
    october_31 = await store.order_totals(ReportFilter(date(2026, 10, 31), date(2026, 10, 31)))
    assert october_31.count == 0
    trend = await store.order_trend(ReportFilter(date(2026, 10, 1), date(2026, 11, 1)))
    assert [(p.month, p.count) for p in trend] == [("2026-10", 1), ("2026-11", 1)]


async def test_empty_database_gives_zero_figures(engine: AsyncEngine) -> None:
    store = SqlAlchemyReportStore(engine)
    f = ReportFilter(date(2026, 11, 1), date(2026, 11, 26))
    totals = await store.sellout_totals(f)
    assert (totals.count, totals.qty, str(totals.amount), totals.dealers) == (0, 0, "0.00", 0)
    assert await store.order_trend(f) == [] and await store.order_frequency(f) == []


async def test_report_indexes_exist(engine: AsyncEngine) -> None:
    def names(connection: object) -> set[str]:
        inspector = inspect(connection)
        return {ix["name"] for table in ("sellout_lines", "orders", "order_lines")
                for ix in inspector.get_indexes(table)}

    async with engine.connect() as conn:
        found = await conn.run_sync(names)
    assert {"ix_sellout_lines_sold_on_cover", "ix_orders_created_at_cover", "ix_order_lines_order_id_cover"} <= found
