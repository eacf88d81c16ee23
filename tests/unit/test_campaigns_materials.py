"""Marketing materials: tier rule, requests, approval against stock, allocation by rule."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from core.campaigns import MarketingMaterial, RequestStatus
from core.dealers import DealerStatus
from core.errors import (
    BusinessRuleViolation,
    InsufficientStock,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from core.sellout import SellOutLine
from core.services import materials as svc
from core.services.materials import Allocation, RequestMaterial, allocate_by_rule, tier_allows
from core.users import Role
from tests.factories import dealer_user, fixed_clock, make_dealer, staff
from tests.fakes import FakeUnitOfWork

CLOCK = fixed_clock("2026-11-26 10:00")
MKT = staff(Role.MARKETING, "mei")


@pytest.mark.parametrize(("min_tier", "tier", "ok"), [
    (None, "C", True), ("B", "A", True), ("B", "B", True), ("B", "C", False), ("A", "B", False),
    ("C", "C", True), ("b", "a", True), ("二级", "一级", True), ("一级", "二级", False), ("B", "X", False),
])
def test_tier_rule(min_tier: str | None, tier: str, ok: bool) -> None:
    assert tier_allows(min_tier, tier) is ok


@pytest.fixture
async def uow() -> FakeUnitOfWork:
    uow = FakeUnitOfWork()
    await uow.dealers.add(make_dealer(code="D0001", tier="A"))   # 1
    await uow.dealers.add(make_dealer(code="D0002", tier="B"))   # 2
    await uow.dealers.add(make_dealer(code="D0003", tier="C"))   # 3
    await uow.dealers.add(make_dealer(code="D0004", tier="A", status=DealerStatus.SUSPENDED))   # 4
    await uow.materials.add(MarketingMaterial(code="M-POSTER", name="海报", stock=100))          # 1
    await uow.materials.add(MarketingMaterial(code="M-STAND", name="展架", stock=5, min_tier="B"))  # 2
    await uow.commit()
    uow.commits = 0
    return uow


A = dealer_user(1, Role.DEALER_CLERK, "a")
B = dealer_user(2, Role.DEALER_OWNER, "b")
C = dealer_user(3, Role.DEALER_OWNER, "c")


async def test_request_approve_reserves_and_dispatch_takes_stock(uow: FakeUnitOfWork) -> None:
    request = await svc.request_material(uow, B, RequestMaterial(material_id=2, qty=3, reason=" 新店开业 "), CLOCK)
    assert (request.dealer_id, request.qty, request.status, request.reason) == (2, 3, RequestStatus.PENDING, "新店开业")
    approved = await svc.approve_material_request(uow, MKT, request.id or 0, CLOCK)
    assert approved.status == RequestStatus.APPROVED and approved.decided_by == "staff:mei"
    assert (await uow.materials.get(2)).stock == 5  # type: ignore[union-attr]   # reserved, not yet out
    assert await svc.available_stock(uow, (await uow.materials.get(2))) == 2  # type: ignore[arg-type]
    with pytest.raises(InvalidTransition):
        await svc.approve_material_request(uow, MKT, request.id or 0, CLOCK)
    dispatched = await svc.dispatch_material_request(uow, MKT, request.id or 0, CLOCK)
    assert (dispatched.status, dispatched.dispatched_by) == (RequestStatus.DISPATCHED, "staff:mei")
    assert (await uow.materials.get(2)).stock == 2  # type: ignore[union-attr]
    assert [e.action for e in uow.audit.rows] == ["material_request.create", "material_request.approve",
                                                  "material_request.dispatch", "material.stock_out"]
    assert uow.audit.rows[-1].before == {"stock": 5} and uow.audit.rows[-1].after["stock"] == 2
    with pytest.raises(InvalidTransition):                   # twice: the stock goes down once
        await svc.dispatch_material_request(uow, MKT, request.id or 0, CLOCK)
    assert (await uow.materials.get(2)).stock == 2  # type: ignore[union-attr]


async def test_dispatch_denied_and_pending_not_dispatchable(uow: FakeUnitOfWork) -> None:
    request = await svc.request_material(uow, B, RequestMaterial(material_id=1, qty=4), CLOCK)
    with pytest.raises(InvalidTransition):
        await svc.dispatch_material_request(uow, MKT, request.id or 0, CLOCK)
    await svc.approve_material_request(uow, MKT, request.id or 0, CLOCK)
    with pytest.raises(PermissionDenied):
        await svc.dispatch_material_request(uow, B, request.id or 0, CLOCK)
    with pytest.raises(NotFound):
        await svc.dispatch_material_request(uow, MKT, 999, CLOCK)
    assert (await uow.materials.get(1)).stock == 100  # type: ignore[union-attr]


async def test_approval_counts_earlier_approvals_not_yet_dispatched(uow: FakeUnitOfWork) -> None:
    first = await svc.request_material(uow, A, RequestMaterial(material_id=2, qty=4), CLOCK)
    second = await svc.request_material(uow, B, RequestMaterial(material_id=2, qty=2), CLOCK)
    await svc.approve_material_request(uow, MKT, first.id or 0, CLOCK)
    with pytest.raises(InsufficientStock) as err:
        await svc.approve_material_request(uow, MKT, second.id or 0, CLOCK)
    assert err.value.message("zh") == "M-STAND 库存不足：可用 1，需要 2"


async def test_approval_refused_when_stock_short(uow: FakeUnitOfWork) -> None:
    request = await svc.request_material(uow, A, RequestMaterial(material_id=2, qty=6), CLOCK)
    with pytest.raises(InsufficientStock) as err:
        await svc.approve_material_request(uow, MKT, request.id or 0, CLOCK)
    assert err.value.message("zh") == "M-STAND 库存不足：可用 5，需要 6"
    assert (await uow.materials.get(2)).stock == 5  # type: ignore[union-attr]
    assert (await uow.material_requests.get(request.id or 0)).status == RequestStatus.PENDING  # type: ignore[union-attr]


async def test_tier_c_dealer_cannot_request_b_material(uow: FakeUnitOfWork) -> None:
    with pytest.raises(BusinessRuleViolation) as err:
        await svc.request_material(uow, C, RequestMaterial(material_id=2, qty=1), CLOCK)
    assert "B 级及以上" in err.value.message("zh")
    assert (await svc.request_material(uow, C, RequestMaterial(material_id=1, qty=1), CLOCK)).dealer_id == 3


@pytest.mark.parametrize("qty", [0, -1, 10_001])
async def test_request_qty_checked(uow: FakeUnitOfWork, qty: int) -> None:
    with pytest.raises(ValidationFailed):
        await svc.request_material(uow, B, RequestMaterial(material_id=1, qty=qty), CLOCK)


async def test_request_denials(uow: FakeUnitOfWork) -> None:
    with pytest.raises(NotFound):          # another dealer
        await svc.request_material(uow, B, RequestMaterial(material_id=1, qty=1, dealer_id=1), CLOCK)
    with pytest.raises(NotFound):          # no such material
        await svc.request_material(uow, B, RequestMaterial(material_id=99, qty=1), CLOCK)
    with pytest.raises(PermissionDenied):  # staff do not request
        await svc.request_material(uow, MKT, RequestMaterial(material_id=1, qty=1, dealer_id=1), CLOCK)
    assert uow.material_requests.rows == []


async def test_reject_with_reason_and_who_may_decide(uow: FakeUnitOfWork) -> None:
    request = await svc.request_material(uow, B, RequestMaterial(material_id=1, qty=10), CLOCK)
    rid = request.id or 0
    with pytest.raises(PermissionDenied):
        await svc.approve_material_request(uow, B, rid, CLOCK)
    with pytest.raises(PermissionDenied):
        await svc.reject_material_request(uow, staff(Role.AFTER_SALES), rid, "no", CLOCK)
    with pytest.raises(ValidationFailed):
        await svc.reject_material_request(uow, MKT, rid, " ", CLOCK)
    rejected = await svc.reject_material_request(uow, staff(Role.CHANNEL_MANAGER, "chen"), rid, "本季度已发放", CLOCK)
    assert (rejected.status, rejected.reject_reason, rejected.decided_by) == (
        RequestStatus.REJECTED, "本季度已发放", "staff:chen")
    assert (await uow.materials.get(1)).stock == 100  # type: ignore[union-attr]


async def test_dealer_lists_only_own_requests(uow: FakeUnitOfWork) -> None:
    await svc.request_material(uow, A, RequestMaterial(material_id=1, qty=1), fixed_clock("2026-11-25 10:00"))
    await svc.request_material(uow, B, RequestMaterial(material_id=1, qty=2), fixed_clock("2026-11-26 10:00"))
    assert [r.dealer_id for r in await svc.list_material_requests(uow, B)] == [2]
    assert [r.dealer_id for r in await svc.list_material_requests(uow, MKT)] == [2, 1]
    assert await svc.list_material_requests(uow, MKT, status=RequestStatus.APPROVED) == []


# --- allocation -------------------------------------------------------------------------------------

def test_allocate_by_rule_tier_then_performance_until_stock_runs_out() -> None:
    dealers = [make_dealer(id=10, code="D10", tier="C"), make_dealer(id=11, code="D11", tier="B"),
               make_dealer(id=12, code="D12", tier="B"), make_dealer(id=13, code="D13", tier="A"),
               make_dealer(id=14, code="D14", tier="B")]
    material = MarketingMaterial(code="M", name="样机", stock=7, min_tier="B")
    plan = allocate_by_rule(material, dealers, 2, {11: Decimal("100"), 12: Decimal("900")})
    # A first, then B by sell-out (12 before 11), 14 has none; C is not eligible; stock 7 -> 3 x 2
    assert plan == [Allocation(13, 2), Allocation(12, 2), Allocation(11, 2)]
    no_rule = MarketingMaterial(code="P", name="海报", stock=100)
    assert [a.dealer_id for a in allocate_by_rule(no_rule, dealers, 1)] == [13, 11, 12, 14, 10]
    with pytest.raises(ValueError):
        allocate_by_rule(no_rule, dealers, 0)


async def test_allocate_material_use_case(uow: FakeUnitOfWork) -> None:
    await uow.dealers.add(make_dealer(code="D0005", tier="B"))          # 5
    for dealer_id, amount, day in [(2, "100.00", "2026-11-01"), (5, "900.00", "2026-11-02"),
                                   (2, "5000.00", "2026-09-01")]:      # before the window
        await uow.sellout.add(SellOutLine(dealer_id=dealer_id, sold_on=date.fromisoformat(day), sku="AP-100", qty=1,
                                          amount=Decimal(amount), province="上海", city="上海"))
    requests = await svc.allocate_material(uow, MKT, 2, 2, CLOCK, performance_since=date(2026, 10, 1))
    # active dealers with tier <= B: 1 (A), then 5 and 2 by sell-out; stock 5 covers two of them
    assert [(r.dealer_id, r.qty, r.status) for r in requests] == [(1, 2, RequestStatus.APPROVED),
                                                                   (5, 2, RequestStatus.APPROVED)]
    assert requests[0].decided_by == "staff:mei" and requests[0].reason == svc.ALLOCATION_REASON
    assert (await uow.materials.get(2)).stock == 5  # type: ignore[union-attr]   # reserved until dispatch
    assert [e.action for e in uow.audit.rows] == ["material_request.allocate", "material_request.allocate"]
    assert uow.commits == 1
    assert await svc.allocate_material(uow, MKT, 2, 2, CLOCK) == []        # 1 left unpromised < 2: nobody
    assert uow.commits == 1


async def test_allocate_to_named_dealers(uow: FakeUnitOfWork) -> None:
    requests = await svc.allocate_material(uow, MKT, 1, 10, CLOCK, dealer_ids=[3, 2])
    assert [r.dealer_id for r in requests] == [2, 3]
    with pytest.raises(ValidationFailed):
        await svc.allocate_material(uow, MKT, 1, 10, CLOCK, dealer_ids=[2, 42])
    with pytest.raises(PermissionDenied):
        await svc.allocate_material(uow, B, 1, 10, CLOCK)
