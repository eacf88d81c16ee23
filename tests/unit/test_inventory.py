"""Inventory use cases: stock writes, exact vs coarse availability, stocktakes, thresholds (transfers:
test_transfers.py)."""

from __future__ import annotations

import pytest

from core.errors import Conflict, NotFound, PermissionDenied, StockBelowReserved, ValidationFailed
from core.inventory import StockLevel, ThresholdScope
from core.services import inventory as svc
from core.services.inventory import (
    AdjustStock,
    Availability,
    ReportDealerStock,
    SetStock,
    SetThreshold,
)
from core.users import Role
from tests.factories import (
    api_key_actor,
    dealer_user,
    fixed_clock,
    make_dealer,
    make_product,
    make_warehouse,
    staff,
)
from tests.fakes import FakeUnitOfWork

CLOCK = fixed_clock("2026-11-26 10:00")
DESK = staff(Role.ORDER_DESK, "desk")
MGMT = staff(Role.MANAGEMENT, "boss")
MARKETING = staff(Role.MARKETING, "ma")
OWNER_1 = dealer_user(1, Role.DEALER_OWNER, "li")
CLERK_1 = dealer_user(1, Role.DEALER_CLERK, "xiaowang")
OWNER_2 = dealer_user(2, Role.DEALER_OWNER, "zhao")
W, DL = ThresholdScope.WAREHOUSE, ThresholdScope.DEALER


@pytest.fixture
async def uow() -> FakeUnitOfWork:
    uow = FakeUnitOfWork()
    await uow.dealers.add(make_dealer(code="D0001"))
    await uow.dealers.add(make_dealer(code="D0002"))
    await uow.products.add(make_product("AP-100"))
    await uow.products.add(make_product("AP-200"))
    await uow.warehouses.add(make_warehouse("SH", region="华东"))     # id 1
    await uow.warehouses.add(make_warehouse("NJ", region="华东"))     # id 2
    await uow.warehouses.add(make_warehouse("BJ", region="华北"))     # id 3
    await uow.stock.add(StockLevel(warehouse_id=1, sku="AP-100", on_hand=50, reserved=45))
    await uow.stock.add(StockLevel(warehouse_id=2, sku="AP-100", on_hand=3))
    await uow.stock.add(StockLevel(warehouse_id=3, sku="AP-100", on_hand=500, reserved=20))
    await uow.stock.add(StockLevel(warehouse_id=3, sku="AP-200", on_hand=4, reserved=4))
    await uow.commit()
    uow.commits = 0
    return uow


def _level(uow: FakeUnitOfWork, warehouse_id: int, sku: str) -> tuple[int, int]:
    row = next(r for r in uow.stock.rows if r.warehouse_id == warehouse_id and r.sku == sku)
    return row.on_hand, row.reserved


async def test_set_and_adjust_stock(uow: FakeUnitOfWork) -> None:
    row = await svc.set_stock(uow, DESK, SetStock(2, "AP-200", 30), CLOCK)
    assert (row.on_hand, row.reserved) == (30, 0)
    row = await svc.adjust_stock(uow, DESK, AdjustStock(2, "AP-200", -5, "破损"), CLOCK)
    assert _level(uow, 2, "AP-200") == (25, 0)
    audit = await uow.audit.list(action="stock.adjust")
    assert audit[0].after == {"on_hand": 25, "reserved": 0, "reason": "破损"}
    commits = uow.commits
    await svc.set_stock(uow, DESK, SetStock(2, "AP-200", 25), CLOCK)      # unchanged
    assert uow.commits == commits


async def test_stock_never_below_reserved_and_needs_permission(uow: FakeUnitOfWork) -> None:
    with pytest.raises(StockBelowReserved) as below:
        await svc.set_stock(uow, DESK, SetStock(1, "AP-100", 40), CLOCK)      # 45 reserved
    assert below.value.message("en") == ("AP-100: on hand 40 cannot be below the 45 reserved by orders "
                                         "(rule: on hand >= reserved)")
    assert isinstance(below.value, Conflict)                                  # 409 over the API
    with pytest.raises(StockBelowReserved):
        await svc.adjust_stock(uow, DESK, AdjustStock(1, "AP-100", -10, "盘亏"), CLOCK)
    with pytest.raises(ValidationFailed):
        await svc.set_stock(uow, DESK, SetStock(1, "AP-100", -1), CLOCK)
    with pytest.raises(ValidationFailed):
        await svc.adjust_stock(uow, DESK, AdjustStock(1, "AP-100", 5, " "), CLOCK)
    with pytest.raises(PermissionDenied):
        await svc.set_stock(uow, MGMT, SetStock(1, "AP-100", 60), CLOCK)
    with pytest.raises(PermissionDenied):
        await svc.set_stock(uow, OWNER_1, SetStock(1, "AP-100", 60), CLOCK)
    with pytest.raises(NotFound):
        await svc.set_stock(uow, DESK, SetStock(9, "AP-100", 60), CLOCK)
    with pytest.raises(NotFound):
        await svc.set_stock(uow, DESK, SetStock(1, "NOPE", 60), CLOCK)
    assert _level(uow, 1, "AP-100") == (50, 45) and uow.commits == 0
    row = await svc.set_stock(uow, api_key_actor(scopes=("stock:write",)), SetStock(1, "AP-100", 60), CLOCK)
    assert row.on_hand == 60


async def test_staff_see_exact_stock(uow: FakeUnitOfWork) -> None:
    rows = await svc.list_stock(uow, MGMT, sku="AP-100")
    assert [(r.warehouse_code, r.available, r.level) for r in rows] == [
        ("BJ", 480, Availability.AMPLE), ("NJ", 3, Availability.LOW), ("SH", 5, Availability.LOW)]
    with pytest.raises(PermissionDenied):
        await svc.list_stock(uow, OWNER_1)
    with pytest.raises(PermissionDenied):
        await svc.list_stock(uow, MARKETING)


async def test_dealers_see_coarse_levels_per_region(uow: FakeUnitOfWork) -> None:
    levels = await svc.stock_availability(uow, OWNER_1)
    assert [(a.sku, a.region, a.level, a.available) for a in levels] == [
        ("AP-100", "华东", Availability.LOW, None),        # 5 + 3 available, at or below 10 + 10
        ("AP-100", "华北", Availability.AMPLE, None),
        ("AP-200", "华北", Availability.OUT, None)]
    assert levels[0].label("zh") == "紧张" and levels[2].label("en") == "out of stock"
    exact = await svc.stock_availability(uow, DESK, sku="AP-100", region="华东")
    assert [(a.level, a.available) for a in exact] == [(Availability.LOW, 8)]
    with pytest.raises(PermissionDenied):
        await svc.stock_availability(uow, api_key_actor(scopes=()))


async def test_thresholds_change_levels_and_raise_alerts(uow: FakeUnitOfWork) -> None:
    await svc.set_threshold(uow, DESK, SetThreshold(W, 3, "AP-100", low=600, high=None), CLOCK)
    level = await svc.stock_availability(uow, OWNER_1, sku="AP-100", region="华北")
    assert level[0].level == Availability.LOW
    await svc.set_threshold(uow, OWNER_1, SetThreshold(DL, 1, "AP-100", low=5, high=20), CLOCK)
    await svc.report_dealer_stock(uow, CLERK_1, ReportDealerStock(1, [("AP-100", 25)]), CLOCK)
    alerts = await svc.stock_alerts(uow, DESK)
    assert sorted((a.scope, a.scope_id, a.kind, a.qty) for a in alerts) == [(DL, 1, "high", 25), (W, 3, "low", 480)]
    assert [(a.scope, a.kind) for a in await svc.stock_alerts(uow, OWNER_1)] == [(DL, "high")]
    assert await svc.stock_alerts(uow, OWNER_2) == []
    with pytest.raises(PermissionDenied):
        await svc.set_threshold(uow, OWNER_2, SetThreshold(DL, 1, "AP-100", low=1), CLOCK)
    with pytest.raises(PermissionDenied):
        await svc.set_threshold(uow, OWNER_1, SetThreshold(W, 1, "AP-100", low=1), CLOCK)
    with pytest.raises(ValidationFailed):
        await svc.set_threshold(uow, DESK, SetThreshold(W, 1, "AP-100", low=10, high=5), CLOCK)


async def test_warehouse_threshold_is_validated_audited_and_listed(uow: FakeUnitOfWork) -> None:
    for low, high, zh in [(-1, None, "预警下限不能小于 0"), (10, 10, "上限须大于下限 10"), (10, 4, "上限须大于下限 10")]:
        with pytest.raises(ValidationFailed) as refused:
            await svc.set_threshold(uow, DESK, SetThreshold(W, 1, "AP-100", low=low, high=high), CLOCK)
        assert zh in refused.value.message("zh") and "Invalid input" in refused.value.message("en")
    assert await uow.audit.list(action="stock.threshold") == []
    with pytest.raises(PermissionDenied):
        await svc.set_threshold(uow, MGMT, SetThreshold(W, 1, "AP-100", low=5), CLOCK)    # reads stock, no writes
    await svc.set_threshold(uow, DESK, SetThreshold(W, 1, "AP-100", low=0), CLOCK)
    await svc.set_threshold(uow, DESK, SetThreshold(W, 1, "AP-100", low=40, high=90), CLOCK)
    await svc.set_threshold(uow, DESK, SetThreshold(W, 1, "AP-100", low=40, high=90), CLOCK)   # unchanged: no entry
    audit = await uow.audit.list(action="stock.threshold")
    assert [(a.entity_id, a.before, a.after) for a in audit] == [
        ("warehouse:1:AP-100", {}, {"low": 0, "high": None}),
        ("warehouse:1:AP-100", {"low": 0, "high": None}, {"low": 40, "high": 90})]
    row = next(r for r in await svc.list_stock(uow, MGMT) if (r.warehouse_id, r.sku) == (1, "AP-100"))
    assert (row.low_mark, row.high_mark) == (40, 90)


async def test_dealer_stocktake_own_dealer_only(uow: FakeUnitOfWork) -> None:
    rows = await svc.report_dealer_stock(uow, CLERK_1, ReportDealerStock(1, [("AP-100", 7), ("AP-200", 0)]), CLOCK)
    assert [(r.sku, r.qty) for r in rows] == [("AP-100", 7), ("AP-200", 0)]
    await svc.report_dealer_stock(uow, OWNER_1, ReportDealerStock(1, [("AP-100", 4)]), CLOCK)
    assert [(r.sku, r.qty) for r in await svc.list_dealer_stock(uow, OWNER_1, 1)] == [("AP-100", 4), ("AP-200", 0)]
    audit = await uow.audit.list(action="dealer_stock.report")
    assert audit[-1].before == {"AP-100": 7} and audit[-1].after == {"AP-100": 4}
    with pytest.raises(NotFound):
        await svc.report_dealer_stock(uow, OWNER_2, ReportDealerStock(1, [("AP-100", 1)]), CLOCK)
    with pytest.raises(PermissionDenied):
        await svc.report_dealer_stock(uow, DESK, ReportDealerStock(1, [("AP-100", 1)]), CLOCK)
    with pytest.raises(ValidationFailed):
        await svc.report_dealer_stock(uow, OWNER_1, ReportDealerStock(1, [("AP-100", -1)]), CLOCK)
    with pytest.raises(NotFound):
        await svc.list_dealer_stock(uow, OWNER_2, 1)
    assert len(await svc.list_dealer_stock(uow, MGMT, 1)) == 2
