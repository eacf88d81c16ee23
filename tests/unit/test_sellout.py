"""Sell-out reporting: per-row errors, who may report for whom, scoped reading."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from core.errors import NotFound, PermissionDenied
from core.sellout import CustomerType
from core.services import sellout as svc
from core.services.sellout import SellOutRow
from core.users import Actor, Role
from tests.factories import api_key_actor, dealer_user, fixed_clock, make_dealer, make_product, staff
from tests.fakes import FakeUnitOfWork

CLOCK = fixed_clock("2026-11-26 10:00")
OWNER_1 = dealer_user(1, Role.DEALER_OWNER, "li")
CLERK_1 = dealer_user(1, Role.DEALER_CLERK, "xiaowang")
OWNER_2 = dealer_user(2, Role.DEALER_OWNER, "zhao")
MARKETING = staff(Role.MARKETING, "ma")
DESK = staff(Role.ORDER_DESK, "desk")


@pytest.fixture
async def uow() -> FakeUnitOfWork:
    uow = FakeUnitOfWork()
    await uow.dealers.add(make_dealer(code="D0001", province="江苏", city="南京"))
    await uow.dealers.add(make_dealer(code="D0002"))
    await uow.products.add(make_product("AP-100"))
    await uow.products.add(make_product("AP-200"))
    await uow.commit()
    uow.commits = 0
    return uow


async def test_good_rows_stored_bad_rows_reported(uow: FakeUnitOfWork) -> None:
    rows = [
        SellOutRow("2026-11-20", "AP-100", 2, "3998", "上海", "上海", "工程"),
        SellOutRow("2026/11/21", "ap-200", "1", 1299.5),
        SellOutRow("2026-11-21", "XX-1", 1, "10"),
        SellOutRow("2026-11-21", "AP-100", 0, "10"),
        SellOutRow("2026-11-21", "AP-100", 1, "abc"),
        SellOutRow("11/21", "AP-100", 1, "10"),
        SellOutRow("2026-11-27", "AP-100", 1, "10"),
        SellOutRow("2026-11-21", "AP-100", 1.5, "10"),
        SellOutRow("2026-11-21", "AP-100", 1, "-5"),
        SellOutRow("2026-11-21", "AP-100", 1, "10", customer_type="批发"),
    ]
    report = await svc.record_sellout(uow, CLERK_1, 1, rows, CLOCK)
    assert report.accepted == 2 and report.rejected == 8
    assert [e.index for e in report.errors] == [2, 3, 4, 5, 6, 7, 8, 9]
    messages = [e.message("en") for e in report.errors]
    assert "unknown product: XX-1" in messages[0]
    assert "quantity must be above 0" in messages[1]
    assert "bad amount" in messages[2]
    assert "bad date" in messages[3]
    assert "in the future" in messages[4]
    assert "bad quantity" in messages[5]
    assert "must not be negative" in messages[6]
    assert "unknown customer type" in messages[7]
    assert report.errors[0].zh.startswith("第 3 行：未知产品")
    stored = uow.sellout.rows
    assert [(s.sku, s.qty, s.amount, s.province, s.city, s.customer_type) for s in stored] == [
        ("AP-100", 2, Decimal("3998.00"), "上海", "上海", CustomerType.PROJECT),
        ("AP-200", 1, Decimal("1299.50"), "江苏", "南京", CustomerType.RETAIL)]
    assert stored[1].sold_on == date(2026, 11, 21)
    assert uow.commits == 1
    audit = await uow.audit.list(action="sellout.record")
    assert audit[0].after == {"accepted": 2, "rejected": 8}


async def test_nothing_valid_writes_nothing(uow: FakeUnitOfWork) -> None:
    report = await svc.record_sellout(uow, OWNER_1, 1, [SellOutRow("2026-11-21", "XX", 1, "1")], CLOCK)
    assert (report.accepted, report.rejected, uow.commits, uow.audit.rows) == (0, 1, 0, [])


async def test_who_may_report(uow: FakeUnitOfWork) -> None:
    row = [SellOutRow("2026-11-21", "AP-100", 1, "100")]
    with pytest.raises(NotFound):
        await svc.record_sellout(uow, OWNER_2, 1, row, CLOCK)
    with pytest.raises(PermissionDenied):
        await svc.record_sellout(uow, MARKETING, 1, row, CLOCK)
    with pytest.raises(PermissionDenied):
        await svc.record_sellout(uow, api_key_actor(scopes=("sellout:read",)), 1, row, CLOCK)
    with pytest.raises(NotFound):
        await svc.record_sellout(uow, api_key_actor(scopes=("sellout:write",), dealer_id=2), 1, row, CLOCK)
    with pytest.raises(NotFound):
        await svc.record_sellout(uow, Actor.system(), 99, row, CLOCK)
    assert uow.sellout.rows == []
    erp = api_key_actor(scopes=("sellout:write",))
    assert (await svc.record_sellout(uow, erp, 1, row, CLOCK)).accepted == 1
    assert (await svc.record_sellout(uow, erp, 2, row, CLOCK)).accepted == 1
    bound = api_key_actor(scopes=("sellout:write",), dealer_id=2)
    assert (await svc.record_sellout(uow, bound, 2, row, CLOCK)).accepted == 1
    assert [s.dealer_id for s in uow.sellout.rows] == [1, 2, 2]


async def test_list_sellout_scoped(uow: FakeUnitOfWork) -> None:
    await svc.record_sellout(uow, OWNER_1, 1, [SellOutRow("2026-11-01", "AP-100", 1, "1"),
                                               SellOutRow("2026-11-20", "AP-200", 1, "1")], CLOCK)
    await svc.record_sellout(uow, OWNER_2, 2, [SellOutRow("2026-11-20", "AP-100", 3, "1")], CLOCK)
    assert [s.sku for s in await svc.list_sellout(uow, OWNER_1)] == ["AP-200", "AP-100"]
    assert await svc.list_sellout(uow, OWNER_1, dealer_id=2) == []
    assert len(await svc.list_sellout(uow, MARKETING)) == 3
    assert [s.qty for s in await svc.list_sellout(uow, MARKETING, dealer_id=2)] == [3]
    assert [s.sku for s in await svc.list_sellout(uow, MARKETING, since=date(2026, 11, 10), sku="AP-200")] == [
        "AP-200"]
    with pytest.raises(PermissionDenied):
        await svc.list_sellout(uow, DESK)
