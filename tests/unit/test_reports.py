"""Report figures against hand-computed values (tests.factories.seed_report_data), dealer isolation,
permissions, tables and summaries. The same checks run on SQLite and PostgreSQL in
tests/integration/test_reports_store.py."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from core.dealers import DealerStatus
from core.errors import NotFound, PermissionDenied, ValidationFailed
from core.ports import AbstractReportStore, AbstractUnitOfWork
from core.reports import (
    Dimension,
    PeriodPreset,
    ReportFilter,
    ReportKind,
    Totals,
    add_months,
    period_range,
    report_table,
    summary_lines,
)
from core.services.reports import ReportQuery, run_report
from core.users import Actor, Role
from tests.factories import dealer_user, fixed_clock, make_dealer, make_uscc, seed_report_data, staff
from tests.fakes import FakeReportStore, FakeUnitOfWork

NOV = ReportFilter(date(2026, 11, 1), date(2026, 11, 26))
CLOCK = fixed_clock("2026-11-26 10:00")
M = Decimal


# --- checks shared with the SQL store tests ---------------------------------------------------------------

async def check_store_figures(store: AbstractReportStore, ids: dict[str, int]) -> None:
    """Every store method against the hand-computed figures of seed_report_data."""
    assert await store.order_totals(NOV) == Totals(count=4, qty=21, amount=M("19600.00"), dealers=2)
    oct_ = ReportFilter(date(2026, 10, 1), date(2026, 10, 31))
    assert await store.order_totals(oct_) == Totals(count=1, qty=4, amount=M("3600.00"), dealers=1)
    trend = await store.order_trend(ReportFilter(date(2026, 1, 1), date(2026, 11, 26)))
    assert [(p.month, p.count, p.qty, p.amount) for p in trend] == [
        ("2026-10", 1, 4, M("3600.00")), ("2026-11", 4, 21, M("19600.00"))]
    mix = await store.order_breakdown(NOV, Dimension.SKU)
    assert [(s.key, s.label, s.count, s.qty, s.amount) for s in mix] == [
        ("AP300", "空气净化器AP300", 3, 13, M("13000.00")), ("DH20", "除湿机DH20", 2, 8, M("6600.00"))]
    assert [(s.key, s.amount) for s in await store.order_breakdown(NOV, Dimension.CATEGORY)] == [
        ("空气净化器", M("13000.00")), ("除湿机", M("6600.00"))]
    assert [(s.key, s.label, s.amount) for s in await store.order_breakdown(NOV, Dimension.DEALER)] == [
        ("RPT-D1", "上海恒信电器", M("16900.00")), ("RPT-D2", "北京金鼎家电", M("2700.00"))]
    assert [(s.key, s.amount) for s in await store.order_breakdown(NOV, Dimension.REGION, limit=1)] == [
        ("华东", M("16900.00"))]
    # "the lowest": ordered in the query, before the limit
    assert [(s.key, s.amount) for s in await store.order_breakdown(NOV, Dimension.REGION, limit=1,
                                                                    lowest_first=True)] == [("华北", M("2700.00"))]
    assert [s.key for s in await store.sellout_breakdown(NOV, Dimension.DEALER, limit=1, lowest_first=True)] == [
        "RPT-D2"]
    east = ReportFilter(NOV.start, NOV.end, region="华东")
    assert await store.order_totals(east) == Totals(count=3, qty=18, amount=M("16900.00"), dealers=1)
    dh = ReportFilter(NOV.start, NOV.end, category="除湿机")
    assert await store.order_totals(dh) == Totals(count=2, qty=8, amount=M("6600.00"), dealers=2)
    freq = await store.order_frequency(NOV)
    assert [(f.code, f.orders, f.amount, f.first_day, f.last_day, f.average_gap_days) for f in freq] == [
        ("RPT-D1", 3, M("16900.00"), date(2026, 11, 1), date(2026, 11, 20), M("9.5")),
        ("RPT-D2", 1, M("2700.00"), date(2026, 11, 10), date(2026, 11, 10), None)]
    only_d2 = ReportFilter(NOV.start, NOV.end, dealer_id=ids["d2"])
    assert await store.order_totals(only_d2) == Totals(count=1, qty=3, amount=M("2700.00"), dealers=1)

    assert await store.sellout_totals(NOV) == Totals(count=3, qty=6, amount=M("11594.00"), dealers=2)
    so_trend = await store.sellout_trend(ReportFilter(date(2026, 1, 1), date(2026, 11, 26)))
    assert [(p.month, p.count, p.qty, p.amount) for p in so_trend] == [
        ("2026-10", 1, 5, M("9995.00")), ("2026-11", 3, 6, M("11594.00"))]
    assert [(s.key, s.amount) for s in await store.sellout_breakdown(NOV, Dimension.PROVINCE)] == [
        ("上海", M("5997.00")), ("北京", M("3998.00")), ("江苏", M("1599.00"))]
    assert [(s.key, s.amount) for s in await store.sellout_breakdown(NOV, Dimension.CITY)] == [
        ("上海", M("5997.00")), ("北京", M("3998.00")), ("苏州", M("1599.00"))]
    assert [(s.key, s.amount) for s in await store.sellout_breakdown(NOV, Dimension.REGION)] == [
        ("华东", M("7596.00")), ("华北", M("3998.00"))]
    assert [(s.key, s.label, s.count, s.qty, s.amount) for s in await store.sellout_breakdown(NOV, Dimension.SKU)] == [
        ("AP300", "空气净化器AP300", 2, 5, M("9995.00")), ("DH20", "除湿机DH20", 1, 1, M("1599.00"))]
    assert [(s.key, s.amount) for s in await store.sellout_breakdown(NOV, Dimension.DEALER)] == [
        ("RPT-D1", M("7596.00")), ("RPT-D2", M("3998.00"))]
    tier_a = ReportFilter(NOV.start, NOV.end, tier="A")
    assert await store.sellout_totals(tier_a) == Totals(count=2, qty=4, amount=M("7596.00"), dealers=1)
    jiangsu = ReportFilter(NOV.start, NOV.end, province="江苏")
    assert await store.sellout_totals(jiangsu) == Totals(count=1, qty=1, amount=M("1599.00"), dealers=1)

    assert await store.dealer_labels(ReportFilter(NOV.start, NOV.end, region="华北")) == {
        ids["d2"]: ("RPT-D2", "北京金鼎家电")}
    year = ReportFilter(date(2026, 1, 1), date(2026, 11, 30))
    assert sorted(await store.monthly_quantities("orders", year)) == [
        (None, "AP300", "2026-11", 13), (None, "DH20", "2026-10", 4), (None, "DH20", "2026-11", 8)]
    assert sorted(await store.monthly_quantities("sellout", year, by_dealer=True)) == sorted([
        (ids["d1"], "AP300", "2026-11", 3), (ids["d1"], "DH20", "2026-11", 1),
        (ids["d2"], "AP300", "2026-11", 2), (ids["d2"], "AP300", "2026-10", 5)])


async def check_use_case_figures(uow: AbstractUnitOfWork, store: AbstractReportStore, ids: dict[str, int]) -> None:
    manager = staff(Role.MANAGEMENT)
    summary = await run_report(uow, store, manager, ReportQuery(ReportKind.ORDER_SUMMARY, PeriodPreset.MONTH), CLOCK)
    assert summary.totals.amount == M("19600.00") and summary.totals.average == M("4900.00")
    assert summary.previous is not None and summary.previous.amount == M("3600.00")   # 10-01..10-26
    assert len(summary.trend) == 12 and summary.trend[0].month == "2025-12"
    assert summary.trend[-1].amount == M("19600.00") and summary.trend[-2].amount == M("3600.00")
    assert [(s.key, s.share) for s in summary.shares] == [("空气净化器", M("0.6633")), ("除湿机", M("0.3367"))]
    assert "环比 +444.4%（11-01~11-26 vs 10-01~10-26）" in summary_lines(summary)     # like with like (QA s28)

    targets = await run_report(uow, store, manager, ReportQuery(ReportKind.TARGETS, PeriodPreset.MONTH), CLOCK)
    assert [(t.code, t.target, t.actual, t.achievement) for t in targets.targets] == [
        ("RPT-D1", M("1000000.00"), M("16900.00"), M("0.0169"))]

    regions = await run_report(uow, store, manager, ReportQuery(ReportKind.SELLOUT_REGIONS, PeriodPreset.MONTH,
                                                                dimension=Dimension.REGION), CLOCK)
    assert [(s.key, s.share) for s in regions.shares] == [("华东", M("0.6552")), ("华北", M("0.3448"))]

    # orders by the dealers' region and by dealer; a period as a code; 同比 against the same days a year before
    by_region = await run_report(uow, store, manager, ReportQuery(ReportKind.ORDER_REGIONS, PeriodPreset.MONTH), CLOCK)
    assert [(s.key, s.amount, s.count) for s in by_region.shares] == [("华东", M("16900.00"), 3),
                                                                       ("华北", M("2700.00"), 1)]
    by_dealer = await run_report(uow, store, manager, ReportQuery(ReportKind.ORDER_DEALERS, "2026Q4"), CLOCK)
    assert [(s.key, s.amount) for s in by_dealer.shares] == [("RPT-D1", M("16900.00")), ("RPT-D2", M("6300.00"))]
    assert (by_dealer.filter.start, by_dealer.filter.end) == (date(2026, 10, 1), date(2026, 11, 26))
    assert summary.year_ago is not None and summary.year_ago.amount == M("0.00")
    assert (summary.filter.year_ago().start, summary.filter.year_ago().end) == (date(2025, 11, 1), date(2025, 11, 26))
    assert "同比 —（去年同期无数据）" in summary_lines(summary)

    # the dealer ranking from the bottom starts with the active dealers that sold nothing (a suspended one is
    # nobody's worst seller); from the top, and in a province (where the goods were sold), only who sold
    async with uow:
        for n, status in ((3, DealerStatus.ACTIVE), (4, DealerStatus.SUSPENDED)):
            await uow.dealers.add(make_dealer(code=f"RPT-D{n}", name=f"静默{n}", region="华东", tier="A",
                                              uscc=make_uscc(51000000 + n), status=status))
        await uow.commit()
    tier_a = ReportFilter(NOV.start, NOV.end, tier="A")
    assert sorted(c for c, _ in (await store.dealer_labels(tier_a)).values()) == ["RPT-D1", "RPT-D3", "RPT-D4"]
    assert sorted(c for c, _ in (await store.dealer_labels(tier_a, active_only=True)).values()) == ["RPT-D1", "RPT-D3"]

    def ranking(**kw: object) -> ReportQuery:
        return ReportQuery(ReportKind.SELLOUT_DEALERS, PeriodPreset.MONTH, **kw)  # type: ignore[arg-type]

    bottom = await run_report(uow, store, manager, ranking(lowest_first=True), CLOCK)
    assert [(s.key, s.amount) for s in bottom.shares] == [
        ("RPT-D3", M("0.00")), ("RPT-D2", M("3998.00")), ("RPT-D1", M("7596.00"))]
    assert bottom.totals.dealers == 2 and bottom.lowest_first
    assert [s.key for s in (await run_report(uow, store, manager, ranking(lowest_first=True, limit=1),
                                             CLOCK)).shares] == ["RPT-D3"]
    assert [s.key for s in (await run_report(uow, store, manager, ranking(), CLOCK)).shares] == ["RPT-D1", "RPT-D2"]
    assert [s.key for s in (await run_report(uow, store, manager, ranking(lowest_first=True, province="北京"),
                                             CLOCK)).shares] == ["RPT-D2"]


# --- the fake store -------------------------------------------------------------------------------------

@pytest.fixture
async def world() -> tuple[FakeUnitOfWork, FakeReportStore, dict[str, int]]:
    uow = FakeUnitOfWork()
    ids = await seed_report_data(uow)
    return uow, FakeReportStore(uow), ids


async def test_fake_store_figures(world: tuple[FakeUnitOfWork, FakeReportStore, dict[str, int]]) -> None:
    _, store, ids = world
    await check_store_figures(store, ids)


async def test_use_case_figures(world: tuple[FakeUnitOfWork, FakeReportStore, dict[str, int]]) -> None:
    uow, store, ids = world
    await check_use_case_figures(uow, store, ids)


async def test_targets_lowest_first_are_ordered_before_the_limit(
        world: tuple[FakeUnitOfWork, FakeReportStore, dict[str, int]]) -> None:
    """"哪个经销商完成率最低" with one row: the lowest dealer, not the first of the highest rows."""
    from core.contracts import ContractStatus
    from tests.factories import make_contract

    uow, store, ids = world
    async with uow:
        await uow.contracts.add(make_contract(ids["d2"], status=ContractStatus.ACTIVE))
        await uow.commit()
    manager = staff(Role.MANAGEMENT)
    lowest = await run_report(uow, store, manager, ReportQuery(ReportKind.TARGETS, PeriodPreset.MONTH, limit=1,
                                                               lowest_first=True), CLOCK)
    assert [t.code for t in lowest.targets] == ["RPT-D2"] and lowest.totals.dealers == 2
    assert lowest.title() == "目标达成·从低到高"
    highest = await run_report(uow, store, manager, ReportQuery(ReportKind.TARGETS, PeriodPreset.MONTH, limit=1), CLOCK)
    assert [t.code for t in highest.targets] == ["RPT-D1"]


async def test_rankings_lowest_first_are_ordered_before_the_limit(
        world: tuple[FakeUnitOfWork, FakeReportStore, dict[str, int]]) -> None:
    """"卖得最差的产品" with one row: the smallest, not the first of the largest rows."""
    uow, store, _ = world
    manager = staff(Role.MANAGEMENT)
    for kind, lowest, highest in ((ReportKind.SELLOUT_PRODUCTS, "DH20", "AP300"),
                                  (ReportKind.SELLOUT_DEALERS, "RPT-D2", "RPT-D1"),
                                  (ReportKind.ORDER_PRODUCTS, "DH20", "AP300")):
        worst = await run_report(uow, store, manager, ReportQuery(kind, PeriodPreset.MONTH, limit=1, lowest_first=True),
                                 CLOCK)
        best = await run_report(uow, store, manager, ReportQuery(kind, PeriodPreset.MONTH, limit=1), CLOCK)
        assert ([s.key for s in worst.shares], [s.key for s in best.shares]) == ([lowest], [highest]), kind
        assert worst.lowest_first and not best.lowest_first


async def test_a_dealer_sees_only_its_own_figures(world: tuple[FakeUnitOfWork, FakeReportStore, dict[str, int]]) -> None:
    uow, store, ids = world
    d1 = dealer_user(ids["d1"])
    ranking = await run_report(uow, store, d1, ReportQuery(ReportKind.SELLOUT_DEALERS, PeriodPreset.MONTH), CLOCK)
    assert [s.key for s in ranking.shares] == ["RPT-D1"]
    assert ranking.totals.amount == M("7596.00")
    orders = await run_report(uow, store, d1, ReportQuery(ReportKind.ORDER_SUMMARY, PeriodPreset.MONTH), CLOCK)
    assert orders.totals.amount == M("16900.00") and orders.filter.dealer_id == ids["d1"]
    regions = await run_report(uow, store, d1, ReportQuery(ReportKind.SELLOUT_REGIONS, PeriodPreset.MONTH), CLOCK)
    assert {s.key for s in regions.shares} == {"上海", "江苏"}          # 北京 is D2's
    with pytest.raises(NotFound):
        await run_report(uow, store, d1, ReportQuery(ReportKind.ORDER_SUMMARY, dealer_id=ids["d2"]), CLOCK)
    targets = await run_report(uow, store, dealer_user(ids["d2"]), ReportQuery(ReportKind.TARGETS), CLOCK)
    assert targets.targets == ()                                     # D2 has no contract, and D1's stays hidden


@pytest.mark.parametrize(("role", "kind", "allowed"), [
    (Role.ORDER_DESK, ReportKind.ORDER_SUMMARY, True),       # ORDER_READ_ALL
    (Role.ORDER_DESK, ReportKind.SELLOUT_SUMMARY, False),
    (Role.MARKETING, ReportKind.SELLOUT_PRODUCTS, True),     # SELLOUT_READ_ALL and REPORT_READ_ALL
    (Role.AFTER_SALES, ReportKind.TARGETS, False),
    (Role.QUALITY, ReportKind.ORDER_SUMMARY, False),
    (Role.FINANCE, ReportKind.TARGETS, True),
])
async def test_staff_need_a_reading_permission(world: tuple[FakeUnitOfWork, FakeReportStore, dict[str, int]],
                                               role: Role, kind: ReportKind, allowed: bool) -> None:
    uow, store, _ = world
    if allowed:
        report = await run_report(uow, store, staff(role), ReportQuery(kind, PeriodPreset.MONTH), CLOCK)
        assert report.kind == kind
    else:
        with pytest.raises(PermissionDenied):
            await run_report(uow, store, staff(role), ReportQuery(kind, PeriodPreset.MONTH), CLOCK)


async def test_anonymous_and_unscoped_api_keys_are_refused(world: tuple[FakeUnitOfWork, FakeReportStore,
                                                                          dict[str, int]]) -> None:
    uow, store, ids = world
    from tests.factories import api_key_actor

    with pytest.raises(PermissionDenied):
        await run_report(uow, store, Actor.anonymous(), ReportQuery(ReportKind.ORDER_SUMMARY), CLOCK)
    with pytest.raises(PermissionDenied):
        await run_report(uow, store, api_key_actor(scopes=("orders:read",)), ReportQuery(ReportKind.SELLOUT_SUMMARY),
                         CLOCK)
    bound = api_key_actor(scopes=("sellout:read",), dealer_id=ids["d2"])
    report = await run_report(uow, store, bound, ReportQuery(ReportKind.SELLOUT_SUMMARY), CLOCK)
    assert report.totals.amount == M("3998.00")


def test_periods() -> None:
    today = date(2026, 11, 26)
    assert period_range(PeriodPreset.MONTH, today) == (date(2026, 11, 1), today)
    assert period_range(PeriodPreset.LAST_MONTH, today) == (date(2026, 10, 1), date(2026, 10, 31))
    assert period_range(PeriodPreset.QUARTER, today) == (date(2026, 10, 1), today)
    assert period_range(PeriodPreset.YEAR, today) == (date(2026, 1, 1), today)
    assert period_range("12m", today) == (date(2025, 12, 1), today)
    assert period_range(PeriodPreset.LAST_MONTH, date(2026, 1, 5)) == (date(2025, 12, 1), date(2025, 12, 31))
    assert add_months(date(2026, 1, 31), -1) == date(2025, 12, 1)
    assert NOV.previous() == ReportFilter(date(2026, 10, 1), date(2026, 10, 26))    # like with like (QA s28)
    with pytest.raises(ValidationFailed):
        period_range("fortnight", today)
    with pytest.raises(ValidationFailed):
        ReportFilter(date(2026, 11, 2), date(2026, 11, 1))


async def test_tables_for_excel(world: tuple[FakeUnitOfWork, FakeReportStore, dict[str, int]]) -> None:
    uow, store, _ = world
    report = await run_report(uow, store, staff(Role.MANAGEMENT), ReportQuery(ReportKind.SELLOUT_PRODUCTS), CLOCK)
    headers, rows = report_table(report)
    assert headers == ["产品", "名称", "行数", "数量", "金额(元)", "占比"]
    assert rows == [["AP300", "空气净化器AP300", 2, 5, M("9995.00"), "86.2%"],
                    ["DH20", "除湿机DH20", 1, 1, M("1599.00"), "13.8%"]]
    headers_en, _ = report_table(report, "en")
    assert headers_en[-1] == "Share"
    freq = await run_report(uow, store, staff(Role.MANAGEMENT), ReportQuery(ReportKind.ORDER_FREQUENCY), CLOCK)
    _, freq_rows = report_table(freq)
    assert freq_rows[0][:3] == ["RPT-D1", "上海恒信电器", 3] and freq_rows[0][-1] == M("9.5")
