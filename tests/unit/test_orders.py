"""Order use cases on the fake unit of work: submission, approval, stock, money, access."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.accounts import AccountKind, DeductionRules, EntryKind
from core.dealers import DealerStatus
from core.errors import (
    BelowMinimumOrder,
    BusinessRuleViolation,
    Conflict,
    DealerNotActive,
    InsufficientStock,
    InvalidTransition,
    NotFound,
    OverCreditLimit,
    PermissionDenied,
    QuantityOutOfRange,
    SkuNotAllowed,
    ValidationFailed,
)
from core.inventory import StockLevel
from core.ledger import Balances
from core.order_states import CREDIT_SHORTFALL
from core.orders import OrderStatus
from core.products import DealerAllowedSku, PromotionKind, TierPrice
from core.services import orders as svc
from core.services.orders import (
    AllocateOrder,
    ApproveOrder,
    CancelOrder,
    CloseOrder,
    ConfirmReceipt,
    QuoteOrder,
    RejectOrder,
    ShipOrder,
    SubmitOrder,
)
from core.users import Actor, Role
from tests.factories import (
    api_key_actor,
    dealer_user,
    fixed_clock,
    make_dealer,
    make_product,
    make_promotion,
    make_valid_documents,
    make_warehouse,
    payment,
    staff,
)
from tests.fakes import FakeUnitOfWork

D = Decimal
CLOCK = fixed_clock("2026-11-26 10:00")
OWNER_1 = dealer_user(1, Role.DEALER_OWNER, "li")
CLERK_1 = dealer_user(1, Role.DEALER_CLERK, "xiaowang")
OWNER_2 = dealer_user(2, Role.DEALER_OWNER, "zhao")
DESK = staff(Role.ORDER_DESK, "desk")
DESK_2 = staff(Role.ORDER_DESK, "desk2")
FINANCE = staff(Role.FINANCE, "qian")
QUALITY = staff(Role.QUALITY, "zhou")


@pytest.fixture
async def uow() -> FakeUnitOfWork:
    uow = FakeUnitOfWork()
    await uow.dealers.add(make_dealer(code="D0001", region="华东", tier="B"))   # id 1
    await uow.dealers.add(make_dealer(code="D0002", region="华北", tier="A"))   # id 2
    for dealer_id in (1, 2):
        for doc in make_valid_documents(dealer_id):
            await uow.qualifications.add(doc)
    await uow.products.add(make_product("AP-100", list_price=D("1000.00"), moq=2))
    await uow.products.add(make_product("AP-200", list_price=D("500.00")))
    await uow.tier_prices.add(TierPrice(tier="B", sku="AP-100", price=D("900.00")))
    await uow.warehouses.add(make_warehouse("WH-N", region="华北"))   # id 1
    await uow.warehouses.add(make_warehouse("WH-E", region="华东"))   # id 2
    await uow.stock.add(StockLevel(warehouse_id=1, sku="AP-100", on_hand=100))
    await uow.stock.add(StockLevel(warehouse_id=1, sku="AP-200", on_hand=100))
    await uow.stock.add(StockLevel(warehouse_id=2, sku="AP-100", on_hand=10))
    await uow.stock.add(StockLevel(warehouse_id=2, sku="AP-200", on_hand=5))
    await uow.ledger.add(payment(1, "10000"))
    await uow.ledger.add(payment(2, "1000"))
    await uow.commit()
    uow.commits = 0
    return uow


async def _submit(uow: FakeUnitOfWork, actor: Actor = OWNER_1, dealer_id: int = 1,
                  items: list[tuple[str, int]] | None = None, **kw: object):  # type: ignore[no-untyped-def]
    cmd = SubmitOrder(dealer_id=dealer_id, items=items if items is not None else [("AP-100", 2), ("AP-200", 1)], **kw)  # type: ignore[arg-type]
    return await svc.submit_order(uow, actor, cmd, CLOCK)


async def _balances(uow: FakeUnitOfWork, dealer_id: int = 1) -> Balances:
    return Balances.from_entries(await uow.ledger.list(dealer_id=dealer_id))


def _stock(uow: FakeUnitOfWork, warehouse_id: int, sku: str) -> tuple[int, int]:
    row = next(r for r in uow.stock.rows if r.warehouse_id == warehouse_id and r.sku == sku)
    return row.on_hand, row.reserved


# --- submission ---------------------------------------------------------------------------------

async def test_dealer_submits_an_order(uow: FakeUnitOfWork) -> None:
    order = await _submit(uow, note="月底前到货")
    assert order.number == "SO-20261126-0001"
    assert order.status == OrderStatus.SUBMITTED
    assert order.total == D("2300.00")            # 2 x 900 (tier B) + 500
    assert (order.placed_by, order.on_behalf, order.needs_approval) == ("dealer:1:li", False, False)
    assert order.paid_from_prepayment == D("2300.00")
    assert [e.status for e in order.events] == [OrderStatus.SUBMITTED]
    assert uow.commits == 1
    stored = await uow.orders.get_by(number=order.number)
    assert stored is not None and stored.total == D("2300.00")
    charges = await uow.ledger.list(ref=order.number)
    assert [(e.account, e.amount, e.kind) for e in charges] == [
        (AccountKind.PREPAYMENT, D("-2300.00"), EntryKind.ORDER_CHARGE)]
    assert (await _balances(uow)).prepayment == D("7700.00")
    audit = await uow.audit.list(action="order.submit")
    assert len(audit) == 1 and audit[0].entity_id == order.number and audit[0].after["total"] == "2300.00"


async def test_numbers_are_sequential(uow: FakeUnitOfWork) -> None:
    first = await _submit(uow)
    second = await _submit(uow, actor=CLERK_1)
    assert (first.number, second.number) == ("SO-20261126-0001", "SO-20261126-0002")


async def test_same_client_request_key_returns_the_same_order_and_writes_nothing(uow: FakeUnitOfWork) -> None:
    first = await _submit(uow, client_request_key="tg-42-777")
    entries = len(uow.ledger.rows)
    again = await _submit(uow, client_request_key="tg-42-777", items=[("AP-200", 9)])
    assert again.number == first.number and again.total == first.total
    assert (len(uow.orders.rows), len(uow.ledger.rows), uow.commits) == (1, entries, 1)
    # the same key from another dealer is another order
    other = await _submit(uow, actor=OWNER_2, dealer_id=2, items=[("AP-200", 1)], client_request_key="tg-42-777")
    assert other.number != first.number


async def test_staff_places_on_behalf(uow: FakeUnitOfWork) -> None:
    order = await _submit(uow, actor=DESK)
    assert (order.on_behalf, order.placed_by) == (True, "staff:desk")
    assert order.events[0].note == "代客下单"


async def test_who_may_place(uow: FakeUnitOfWork) -> None:
    with pytest.raises(NotFound):
        await _submit(uow, actor=OWNER_2, dealer_id=1)
    with pytest.raises(PermissionDenied):
        await _submit(uow, actor=FINANCE)
    with pytest.raises(PermissionDenied):
        await _submit(uow, actor=api_key_actor(scopes=("orders:read",)))
    with pytest.raises(NotFound):
        await _submit(uow, actor=api_key_actor(scopes=("orders:write",), dealer_id=2))
    order = await _submit(uow, actor=api_key_actor(scopes=("orders:write",), dealer_id=1))
    assert order.placed_by == "api:erp"
    assert len(uow.orders.rows) == 1


async def test_blocked_dealer_cannot_order(uow: FakeUnitOfWork) -> None:
    dealer = await uow.dealers.get(1)
    assert dealer is not None
    dealer.status = DealerStatus.SUSPENDED
    await uow.commit()
    with pytest.raises(DealerNotActive) as exc:
        await _submit(uow)
    assert "账户已暂停" in exc.value.message("zh") and "suspended" in exc.value.message("en")
    assert uow.orders.rows == []


async def test_missing_documents_block_ordering(uow: FakeUnitOfWork) -> None:
    uow.qualifications.rows = [q for q in uow.qualifications.rows if q.dealer_id != 1]
    await uow.commit()
    with pytest.raises(DealerNotActive) as exc:
        await _submit(uow)
    assert "营业执照" in exc.value.message("zh")


async def test_hard_checks_raise_the_matching_error_and_write_nothing(uow: FakeUnitOfWork) -> None:
    commits = uow.commits
    with pytest.raises(BelowMinimumOrder) as moq:
        await _submit(uow, items=[("AP-100", 1)])
    assert "起订量" in moq.value.message("zh")
    with pytest.raises(BusinessRuleViolation) as unknown:
        await _submit(uow, items=[("NOPE-1", 1)])
    assert "NOPE-1" in unknown.value.message("zh") and unknown.value.params["check"] == "sku_known"
    with pytest.raises(ValidationFailed):
        await _submit(uow, items=[])
    with pytest.raises(ValidationFailed):
        await _submit(uow, client_request_key="k" * 65)
    await uow.allowed_skus.add(DealerAllowedSku(dealer_id=1, sku="AP-100"))
    await uow.commit()
    commits += 1
    with pytest.raises(SkuNotAllowed):
        await _submit(uow, items=[("AP-200", 1)])
    uow.products.rows[0].active = False
    await uow.commit()
    commits += 1
    with pytest.raises(BusinessRuleViolation) as inactive:
        await _submit(uow, items=[("AP-100", 2)])
    assert inactive.value.params["check"] == "product_active"
    assert (uow.orders.rows, uow.commits) == ([], commits)
    assert len(uow.ledger.rows) == 2


async def test_quantities_out_of_range_are_refused_and_write_nothing(uow: FakeUnitOfWork) -> None:
    quote = await svc.quote_order(uow, OWNER_1, QuoteOrder(dealer_id=1, items=[("AP-100", 99_999_999)]), CLOCK)
    assert not quote.can_submit and quote.lines == [] and quote.total == D("0.00")
    with pytest.raises(QuantityOutOfRange) as above:
        await _submit(uow, items=[("AP-100", 99_999_999), ("AP-200", 1)])
    assert above.value.message("zh") == "AP-100 每单最多 1000台，当前 99999999"
    assert above.value.message("en") == "AP-100: at most 1000 per order line, you ordered 99999999"
    assert above.value.params == {"sku": "AP-100", "qty": 99_999_999, "limit": 1000, "check": "line_limit"}
    assert above.value.code == "qty_out_of_range" and isinstance(above.value, BusinessRuleViolation)
    with pytest.raises(QuantityOutOfRange) as negative:
        await _submit(uow, items=[("AP-200", -5)])
    assert negative.value.params["check"] == "qty_positive" and "-5" in negative.value.message("zh")
    with pytest.raises(QuantityOutOfRange):
        await _submit(uow, items=[("AP-200", 0)])
    uow.products.rows[1].max_line_qty = 3          # the admin lowered AP-200's limit
    with pytest.raises(QuantityOutOfRange) as own:
        await _submit(uow, items=[("AP-200", 4)])
    assert own.value.params["limit"] == 3
    assert (uow.orders.rows, uow.commits, len(uow.ledger.rows)) == ([], 0, 2)


async def test_the_stored_order_holds_the_quantity_asked_for(uow: FakeUnitOfWork) -> None:
    """At the limit: the line, the total and the stored order are the same number."""
    await uow.stock.add(StockLevel(warehouse_id=1, sku="AP-200", on_hand=5000))
    await uow.ledger.add(payment(1, "1000000"))
    quote = await svc.quote_order(uow, OWNER_1, QuoteOrder(dealer_id=1, items=[("AP-200", 1000)]), CLOCK)
    order = await _submit(uow, items=[("AP-200", 1000)])
    assert [(ln.sku, ln.qty) for ln in order.lines] == [(ln.sku, ln.qty) for ln in quote.lines] == [("AP-200", 1000)]
    assert order.total == quote.total == D("500000.00")


async def test_quote_writes_nothing(uow: FakeUnitOfWork) -> None:
    quote = await svc.quote_order(uow, OWNER_1, QuoteOrder(dealer_id=1, items=[("AP-100", 2), ("XX", 1)]), CLOCK)
    assert quote.total == D("1800.00") and quote.unknown_skus == ["XX"]
    assert (uow.commits, uow.orders.rows, len(uow.ledger.rows)) == (0, [], 2)
    with pytest.raises(NotFound):
        await svc.quote_order(uow, OWNER_2, QuoteOrder(dealer_id=1, items=[("AP-100", 2)]), CLOCK)


# --- money ----------------------------------------------------------------------------------------

async def test_credit_shortfall_needs_approval_and_is_booked_as_overdraft(uow: FakeUnitOfWork) -> None:
    # dealer 2: 1000 prepayment, no credit limit; order 1500
    order = await _submit(uow, actor=OWNER_2, dealer_id=2, items=[("AP-200", 3)])
    assert order.status == OrderStatus.SUBMITTED
    assert order.approval_reasons == [CREDIT_SHORTFALL] and order.needs_approval
    assert (order.paid_from_prepayment, order.paid_from_credit) == (D("1000.00"), D("0.00"))
    with pytest.raises(PermissionDenied):
        await svc.approve_order(uow, Actor.system(), ApproveOrder(order.number), CLOCK)
    with pytest.raises(OverCreditLimit):            # never past the limit without saying so
        await svc.approve_order(uow, DESK, ApproveOrder(order.number), CLOCK)
    approved = await svc.approve_order(uow, DESK, ApproveOrder(order.number, over_limit=True), CLOCK)
    assert approved.status == OrderStatus.APPROVED and approved.paid_from_credit == D("500.00")
    b = await _balances(uow, 2)
    assert (b.prepayment, b.credit) == (D("0.00"), D("-500.00"))
    # rejecting would have refunded; cancelling now refunds everything incl. the overdraft
    await svc.cancel_order(uow, DESK, CancelOrder(order.number, "客户取消"), CLOCK)
    b = await _balances(uow, 2)
    assert (b.prepayment, b.credit) == (D("1000.00"), D("0.00"))


async def test_system_may_approve_orders_without_reasons(uow: FakeUnitOfWork) -> None:
    order = await _submit(uow)
    approved = await svc.approve_order(uow, Actor.system(), ApproveOrder(order.number), CLOCK)
    assert approved.status == OrderStatus.APPROVED and approved.events[-1].actor == "system"


async def test_reject_refunds_and_needs_permission(uow: FakeUnitOfWork) -> None:
    order = await _submit(uow)
    with pytest.raises(PermissionDenied):
        await svc.reject_order(uow, FINANCE, RejectOrder(order.number, "价格有误"), CLOCK)
    with pytest.raises(PermissionDenied):
        await svc.reject_order(uow, OWNER_1, RejectOrder(order.number, "价格有误"), CLOCK)
    rejected = await svc.reject_order(uow, DESK, RejectOrder(order.number, "价格有误"), CLOCK)
    assert rejected.status == OrderStatus.REJECTED and rejected.reject_reason == "价格有误"
    assert (await _balances(uow)).prepayment == D("10000.00")
    refunds = await uow.ledger.list(ref=order.number, kind=EntryKind.ORDER_REFUND)
    assert [e.amount for e in refunds] == [D("2300.00")]
    audit = await uow.audit.list(action="order.reject")
    assert audit[0].before["status"] == "submitted" and audit[0].after["status"] == "rejected"


async def test_rebate_pays_up_to_its_share(uow: FakeUnitOfWork) -> None:
    await uow.ledger.add(payment(1, "5000", AccountKind.REBATE, kind=EntryKind.REBATE_ACCRUAL))
    await uow.commit()
    order = await _submit(uow, items=[("AP-200", 4)])       # 2000: rebate 30 % = 600
    assert (order.paid_from_rebate, order.paid_from_prepayment) == (D("600.00"), D("1400.00"))
    half = await svc.submit_order(uow, OWNER_1, SubmitOrder(1, [("AP-200", 2)]), CLOCK,
                                  rules=DeductionRules(D("0.5")))
    assert (half.paid_from_rebate, half.paid_from_prepayment) == (D("500.00"), D("500.00"))


# --- promotions -----------------------------------------------------------------------------------

async def test_promotion_spent_grows_and_budget_caps_across_orders(uow: FakeUnitOfWork) -> None:
    await uow.promotions.add(make_promotion("P10", percent=D("10"), skus=["AP-200"], budget=D("150.00")))
    await uow.commit()
    first = await _submit(uow, items=[("AP-200", 2)])          # 100 off
    second = await _submit(uow, items=[("AP-200", 2)])         # only 50 left
    assert (first.total, second.total) == (D("900.00"), D("950.00"))
    promo = await uow.promotions.get_by(code="P10")
    assert promo is not None and promo.spent == D("150.00")
    await svc.reject_order(uow, DESK, RejectOrder(first.number, "重复下单"), CLOCK)
    promo = await uow.promotions.get_by(code="P10")
    assert promo is not None and promo.spent == D("50.00")


async def test_free_units_are_reserved_and_shipped(uow: FakeUnitOfWork) -> None:
    await uow.promotions.add(make_promotion("B2G1", PromotionKind.BUY_X_GET_Y, buy_qty=2, free_qty=1,
                                            skus=["AP-200"]))
    await uow.commit()
    order = await _submit(uow, items=[("AP-200", 4)])
    assert order.lines[0].free_qty == 2 and order.total == D("2000.00")
    await svc.approve_order(uow, DESK, ApproveOrder(order.number), CLOCK)
    await svc.allocate_order(uow, DESK, AllocateOrder(order.number, warehouse_id=1), CLOCK)
    assert _stock(uow, 1, "AP-200") == (100, 6)


# --- concurrency ----------------------------------------------------------------------------------

async def test_two_staff_approve_at_once_one_decision_one_conflict(uow: FakeUnitOfWork) -> None:
    order = await _submit(uow)
    seen_version = order.version
    await svc.approve_order(uow, DESK, ApproveOrder(order.number, expected_version=seen_version), CLOCK)
    with pytest.raises(Conflict) as exc:
        await svc.reject_order(uow, DESK_2, RejectOrder(order.number, "no", expected_version=seen_version), CLOCK)
    assert "staff:desk" in exc.value.message("zh")
    stored = await uow.orders.get_by(number=order.number)
    assert stored is not None and stored.status == OrderStatus.APPROVED and stored.version == seen_version + 1
    assert len(await uow.audit.list(action="order.approve")) == 1
    assert await uow.audit.list(action="order.reject") == []


# --- stock ----------------------------------------------------------------------------------------

async def test_full_flow_reserve_ship_receive_close(uow: FakeUnitOfWork) -> None:
    order = await _submit(uow)
    await svc.approve_order(uow, DESK, ApproveOrder(order.number), CLOCK)
    allocated = await svc.allocate_order(uow, DESK, AllocateOrder(order.number), CLOCK)
    # dealer 1 is in 华东: WH-E (id 2) first
    assert allocated.status == OrderStatus.ALLOCATED and allocated.warehouse_id == 2
    assert (_stock(uow, 2, "AP-100"), _stock(uow, 2, "AP-200")) == ((10, 2), (5, 1))
    with pytest.raises(ValidationFailed):
        await svc.ship_order(uow, DESK, ShipOrder(order.number, "顺丰", ""), CLOCK)
    shipped = await svc.ship_order(uow, DESK, ShipOrder(order.number, "顺丰", "SF1234567890"), CLOCK)
    assert (shipped.carrier, shipped.tracking_no) == ("顺丰", "SF1234567890")
    assert (_stock(uow, 2, "AP-100"), _stock(uow, 2, "AP-200")) == ((8, 0), (4, 0))
    with pytest.raises(NotFound):
        await svc.confirm_receipt(uow, OWNER_2, ConfirmReceipt(order.number), CLOCK)
    received = await svc.confirm_receipt(uow, CLERK_1, ConfirmReceipt(order.number, damaged=True, note="外箱破损"),
                                         CLOCK)
    assert received.status == OrderStatus.RECEIVED and "有破损" in received.events[-1].note
    with pytest.raises(PermissionDenied):
        await svc.close_order(uow, OWNER_1, CloseOrder(order.number), CLOCK)
    closed = await svc.close_order(uow, DESK, CloseOrder(order.number), CLOCK)
    assert closed.status == OrderStatus.CLOSED
    assert [e.status for e in closed.events] == [OrderStatus.SUBMITTED, OrderStatus.APPROVED, OrderStatus.ALLOCATED,
                                                 OrderStatus.SHIPPED, OrderStatus.RECEIVED, OrderStatus.CLOSED]
    assert closed.version == 6
    actions = [a.action for a in await uow.audit.list()]
    assert actions == ["order.submit", "order.approve", "order.allocate", "order.ship", "order.receive",
                       "order.close"]


async def test_short_stock_goes_to_production_then_allocates(uow: FakeUnitOfWork) -> None:
    order = await _submit(uow, items=[("AP-100", 200)])
    await svc.approve_order(uow, DESK, ApproveOrder(order.number, over_limit=True), CLOCK)
    produced = await svc.allocate_order(uow, DESK, AllocateOrder(order.number), CLOCK)
    assert produced.status == OrderStatus.IN_PRODUCTION and produced.warehouse_id is None
    assert (_stock(uow, 1, "AP-100"), _stock(uow, 2, "AP-100")) == ((100, 0), (10, 0))
    with pytest.raises(InsufficientStock):
        await svc.allocate_order(uow, DESK, AllocateOrder(order.number), CLOCK)
    uow.stock.rows[0].on_hand = 300
    await uow.commit()
    allocated = await svc.allocate_order(uow, DESK, AllocateOrder(order.number), CLOCK)
    assert allocated.status == OrderStatus.ALLOCATED and _stock(uow, 1, "AP-100") == (300, 200)


async def test_cancel_releases_reservation_and_refunds(uow: FakeUnitOfWork) -> None:
    order = await _submit(uow)
    await svc.approve_order(uow, DESK, ApproveOrder(order.number), CLOCK)
    await svc.allocate_order(uow, DESK, AllocateOrder(order.number, warehouse_id=1), CLOCK)
    assert _stock(uow, 1, "AP-100") == (100, 2)
    with pytest.raises(InvalidTransition):
        await svc.cancel_order(uow, OWNER_1, CancelOrder(order.number), CLOCK)
    cancelled = await svc.cancel_order(uow, DESK, CancelOrder(order.number, "客户取消"), CLOCK)
    assert cancelled.status == OrderStatus.CANCELLED
    assert _stock(uow, 1, "AP-100") == (100, 0)
    assert (await _balances(uow)).prepayment == D("10000.00")


async def test_dealer_cancels_own_submitted_order(uow: FakeUnitOfWork) -> None:
    order = await _submit(uow)
    with pytest.raises(NotFound):
        await svc.cancel_order(uow, OWNER_2, CancelOrder(order.number), CLOCK)
    cancelled = await svc.cancel_order(uow, CLERK_1, CancelOrder(order.number, "买错了"), CLOCK)
    assert cancelled.status == OrderStatus.CANCELLED and cancelled.events[-1].actor == "dealer:1:xiaowang"


async def test_cancel_after_shipped_is_refused(uow: FakeUnitOfWork) -> None:
    order = await _submit(uow)
    await svc.approve_order(uow, DESK, ApproveOrder(order.number), CLOCK)
    await svc.allocate_order(uow, DESK, AllocateOrder(order.number), CLOCK)
    await svc.ship_order(uow, DESK, ShipOrder(order.number, "德邦", "DB1"), CLOCK)
    with pytest.raises(InvalidTransition) as exc:
        await svc.cancel_order(uow, DESK, CancelOrder(order.number), CLOCK)
    assert "已发货" in exc.value.message("zh")
    stored = await uow.orders.get_by(number=order.number)
    assert stored is not None and stored.status == OrderStatus.SHIPPED
    assert (await _balances(uow)).prepayment == D("7700.00")


# --- reading --------------------------------------------------------------------------------------

async def test_get_order_access(uow: FakeUnitOfWork) -> None:
    order = await _submit(uow)
    assert (await svc.get_order(uow, CLERK_1, order.number)).number == order.number
    assert (await svc.get_order(uow, FINANCE, order.number)).number == order.number
    with pytest.raises(NotFound) as exc:
        await svc.get_order(uow, OWNER_2, order.number)
    assert order.number in exc.value.message("zh")
    with pytest.raises(NotFound):
        await svc.get_order(uow, OWNER_1, "SO-20261126-9999")
    with pytest.raises(PermissionDenied):
        await svc.get_order(uow, QUALITY, order.number)


async def test_list_orders_is_scoped(uow: FakeUnitOfWork) -> None:
    mine = await _submit(uow)
    theirs = await _submit(uow, actor=OWNER_2, dealer_id=2, items=[("AP-200", 1)])
    assert [o.number for o in await svc.list_orders(uow, OWNER_1)] == [mine.number]
    assert await svc.list_orders(uow, OWNER_1, dealer_id=2) == []
    assert {o.number for o in await svc.list_orders(uow, DESK)} == {mine.number, theirs.number}
    assert [o.number for o in await svc.list_orders(uow, DESK, dealer_id=2)] == [theirs.number]
    await svc.approve_order(uow, DESK, ApproveOrder(mine.number), CLOCK)
    assert [o.number for o in await svc.list_orders(uow, DESK, status=OrderStatus.APPROVED)] == [mine.number]
    with pytest.raises(PermissionDenied):
        await svc.list_orders(uow, QUALITY)


async def test_allowed_actions_reexported(uow: FakeUnitOfWork) -> None:
    order = await _submit(uow)
    assert svc.allowed_actions(order, OWNER_1) == ["cancel"]
    assert svc.allowed_actions(order, DESK) == ["approve", "reject", "cancel"]
