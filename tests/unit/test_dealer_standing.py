"""Setting a dealer's parent (一级经销商) and suspending / reinstating it: core.services.dealers.set_standing,
the use case behind the admin dealer form's hierarchy and status fields."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.dealers import DealerStatus
from core.errors import (
    BusinessRuleViolation,
    DealerNotActive,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from core.inventory import StockLevel
from core.services import dealers as svc
from core.services import orders as order_cases
from core.users import Role
from tests.factories import (
    dealer_user,
    fixed_clock,
    make_dealer,
    make_product,
    make_valid_documents,
    make_warehouse,
    payment,
    staff,
)
from tests.fakes import FakeUnitOfWork

S = DealerStatus
CLOCK = fixed_clock("2026-12-04 10:00")
ADMIN = staff(Role.ADMIN, "zhang")


@pytest.fixture
async def uow() -> FakeUnitOfWork:
    uow = FakeUnitOfWork()
    await uow.dealers.add(make_dealer(code="P0001"))                   # id 1: a parent dealer
    await uow.dealers.add(make_dealer(code="S0001"))                   # id 2
    await uow.dealers.add(make_dealer(code="S0002", parent_id=2))      # id 3: a sub-dealer of S0001
    for doc in make_valid_documents(2):
        await uow.qualifications.add(doc)
    await uow.commit()
    uow.commits = 0
    return uow


async def _set(uow: FakeUnitOfWork, dealer_id: int = 2, **kw: object) -> object:
    return await svc.set_standing(uow, kw.pop("actor", ADMIN), svc.SetDealerStanding(  # type: ignore[arg-type]
        dealer_id=dealer_id, **kw), CLOCK)  # type: ignore[arg-type]


async def test_parent_set_by_code_is_audited(uow: FakeUnitOfWork) -> None:
    await _set(uow, parent_code=" p0001 ")
    dealer = await uow.dealers.get(2)
    assert dealer is not None and dealer.parent_id == 1
    [entry] = uow.audit.rows
    assert (entry.action, entry.entity_id, entry.actor) == ("dealer.set_parent", "S0001", "staff:zhang")
    assert entry.before["parent_id"] is None and entry.after["parent_id"] == 1
    assert uow.commits == 1

    await _set(uow, parent_code="")                # blank: a top-level dealer again
    dealer = await uow.dealers.get(2)
    assert dealer is not None and dealer.parent_id is None and len(uow.audit.rows) == 2 and uow.commits == 2
    await _set(uow, parent_code="")                # nothing changes: no audit line, no commit
    assert len(uow.audit.rows) == 2 and uow.commits == 2


@pytest.mark.parametrize(("code", "error", "text"), [
    ("S0001", BusinessRuleViolation, "不能是自己"),        # itself
    ("S0002", BusinessRuleViolation, "循环"),              # its own sub-dealer: a cycle
    ("X9999", NotFound, "X9999"),                          # no such dealer
])
async def test_bad_parent_is_refused(uow: FakeUnitOfWork, code: str, error: type[Exception], text: str) -> None:
    with pytest.raises(error) as exc:
        await _set(uow, parent_code=code)
    assert text in str(exc.value.message("zh"))  # type: ignore[attr-defined]
    dealer = await uow.dealers.get(2)
    assert dealer is not None and dealer.parent_id is None
    assert uow.audit.rows == [] and uow.commits == 0


async def test_suspension_needs_a_reason_is_audited_and_blocks_ordering(uow: FakeUnitOfWork) -> None:
    with pytest.raises(ValidationFailed):
        await _set(uow, status=S.SUSPENDED, reason="  ")
    await _set(uow, status=S.SUSPENDED, reason="回款逾期 overdue payments")
    dealer = await uow.dealers.get(2)
    assert dealer is not None and dealer.status == S.SUSPENDED
    assert dealer.status_reason == "回款逾期 overdue payments"
    [entry] = uow.audit.rows
    assert entry.action == "dealer.suspend" and entry.before["status"] == "active"
    assert entry.after["status"] == "suspended"

    await uow.products.add(make_product("AP-100", list_price=Decimal("100.00")))
    await uow.warehouses.add(make_warehouse("WH-E"))
    await uow.stock.add(StockLevel(warehouse_id=1, sku="AP-100", on_hand=100))
    await uow.ledger.add(payment(2, "10000"))
    await uow.commit()
    order = order_cases.SubmitOrder(dealer_id=2, items=[("AP-100", 2)])
    with pytest.raises(DealerNotActive) as exc:
        await order_cases.submit_order(uow, dealer_user(2), order, CLOCK)
    assert "账户已暂停" in exc.value.message("zh")
    assert uow.orders.rows == []

    await _set(uow, status=S.ACTIVE)               # reinstated: it orders again
    dealer = await uow.dealers.get(2)
    assert dealer is not None and dealer.status == S.ACTIVE and uow.audit.rows[-1].action == "dealer.reinstate"
    placed = await order_cases.submit_order(uow, dealer_user(2), order, CLOCK)
    assert placed.dealer_id == 2


async def test_parent_and_status_in_one_commit(uow: FakeUnitOfWork) -> None:
    await _set(uow, parent_code="P0001", status=S.SUSPENDED, reason="整顿 review")
    assert [e.action for e in uow.audit.rows] == ["dealer.set_parent", "dealer.suspend"]
    assert uow.commits == 1


async def test_only_active_or_suspended_and_only_by_the_machine(uow: FakeUnitOfWork) -> None:
    with pytest.raises(ValidationFailed):
        await _set(uow, status=S.TERMINATED, reason="x")
    dealer = await uow.dealers.get(2)
    assert dealer is not None
    dealer.status = S.PROSPECT
    await uow.commit()
    with pytest.raises(InvalidTransition):          # a prospect becomes active by onboarding review only
        await _set(uow, status=S.ACTIVE)
    assert uow.audit.rows == []


@pytest.mark.parametrize("role", [Role.ORDER_DESK, Role.FINANCE, Role.MARKETING, Role.MANAGEMENT])
async def test_roles_without_dealer_review_are_refused(uow: FakeUnitOfWork, role: Role) -> None:
    with pytest.raises(PermissionDenied):
        await _set(uow, actor=staff(role), parent_code="P0001")
    with pytest.raises(PermissionDenied):
        await _set(uow, actor=dealer_user(2), status=S.SUSPENDED, reason="x")
    assert uow.audit.rows == []
