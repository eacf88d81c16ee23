"""The order state machine: transitions, who may take them, timeline, version."""

from __future__ import annotations

import pytest

from core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from core.order_states import OrderAction, allowed_actions, apply, check
from core.orders import Order, OrderStatus
from core.users import Actor, Role
from tests.factories import at, dealer_user, staff

S = OrderStatus
DESK = staff(Role.ORDER_DESK, "desk")
FINANCE = staff(Role.FINANCE, "qian")
MGMT = staff(Role.MANAGEMENT, "boss")
OWNER = dealer_user(1, Role.DEALER_OWNER, "li")
CLERK = dealer_user(1, Role.DEALER_CLERK, "xiaowang")
OTHER = dealer_user(2, Role.DEALER_OWNER, "zhao")


def _order(status: OrderStatus = S.SUBMITTED) -> Order:
    return Order(number="SO-20261126-0001", dealer_id=1, status=status)


@pytest.mark.parametrize(("status", "action", "target"), [
    (S.SUBMITTED, OrderAction.APPROVE, S.APPROVED),
    (S.SUBMITTED, OrderAction.REJECT, S.REJECTED),
    (S.APPROVED, OrderAction.ALLOCATE, S.ALLOCATED),
    (S.APPROVED, OrderAction.PRODUCE, S.IN_PRODUCTION),
    (S.IN_PRODUCTION, OrderAction.ALLOCATE, S.ALLOCATED),
    (S.ALLOCATED, OrderAction.SHIP, S.SHIPPED),
    (S.SHIPPED, OrderAction.RECEIVE, S.RECEIVED),
    (S.RECEIVED, OrderAction.CLOSE, S.CLOSED),
    (S.SUBMITTED, OrderAction.CANCEL, S.CANCELLED),
    (S.APPROVED, OrderAction.CANCEL, S.CANCELLED),
    (S.ALLOCATED, OrderAction.CANCEL, S.CANCELLED),
    (S.IN_PRODUCTION, OrderAction.CANCEL, S.CANCELLED),
])
def test_valid_transitions(status: OrderStatus, action: OrderAction, target: OrderStatus) -> None:
    order = _order(status)
    apply(order, Actor.system(), action, at(), "n", carrier="顺丰", tracking_no="SF1", reason="r")
    assert order.status == target
    assert order.version == 2
    assert order.updated_at == at()
    assert (order.events[-1].status, order.events[-1].actor, order.events[-1].note) == (target, "system", "n")


@pytest.mark.parametrize(("status", "action"), [
    (S.SHIPPED, OrderAction.CANCEL), (S.RECEIVED, OrderAction.CANCEL), (S.CLOSED, OrderAction.CANCEL),
    (S.SUBMITTED, OrderAction.SHIP), (S.APPROVED, OrderAction.APPROVE), (S.REJECTED, OrderAction.APPROVE),
    (S.ALLOCATED, OrderAction.PRODUCE), (S.SUBMITTED, OrderAction.ALLOCATE), (S.SHIPPED, OrderAction.CLOSE),
])
def test_invalid_transitions_name_the_status_in_both_languages(status: OrderStatus, action: OrderAction) -> None:
    order = _order(status)
    with pytest.raises(InvalidTransition) as exc:
        apply(order, Actor.system(), action, at())
    assert order.status == status and order.version == 1 and order.events == []
    assert order.number in exc.value.message("zh")
    assert status.value.replace("_", " ") in exc.value.message("en")


def test_cancel_after_shipped_message() -> None:
    with pytest.raises(InvalidTransition) as exc:
        check(_order(S.SHIPPED), DESK, OrderAction.CANCEL)
    assert "已发货" in exc.value.message("zh") and "shipped" in exc.value.message("en")


def test_ship_needs_carrier_and_tracking_number() -> None:
    order = _order(S.ALLOCATED)
    with pytest.raises(ValidationFailed):
        apply(order, DESK, OrderAction.SHIP, at(), carrier="顺丰", tracking_no=" ")
    with pytest.raises(ValidationFailed):
        apply(order, DESK, OrderAction.SHIP, at(), carrier="顺丰", tracking_no="9" * 65)
    assert order.status == S.ALLOCATED
    apply(order, DESK, OrderAction.SHIP, at(), carrier=" 顺丰 ", tracking_no="SF123")
    assert (order.carrier, order.tracking_no) == ("顺丰", "SF123")


def test_reject_needs_a_reason() -> None:
    with pytest.raises(ValidationFailed):
        apply(_order(), DESK, OrderAction.REJECT, at(), reason="")


def test_permissions() -> None:
    with pytest.raises(PermissionDenied):
        check(_order(), FINANCE, OrderAction.APPROVE)
    with pytest.raises(PermissionDenied):
        check(_order(), OWNER, OrderAction.APPROVE)
    with pytest.raises(PermissionDenied):
        check(_order(S.APPROVED), MGMT, OrderAction.ALLOCATE)
    check(_order(), MGMT, OrderAction.APPROVE)
    with pytest.raises(NotFound):
        check(_order(S.SHIPPED), OTHER, OrderAction.RECEIVE)
    check(_order(S.SHIPPED), CLERK, OrderAction.RECEIVE)
    check(_order(S.SHIPPED), DESK, OrderAction.RECEIVE)


def test_dealer_cancels_only_before_picking_staff_until_shipped() -> None:
    check(_order(S.SUBMITTED), CLERK, OrderAction.CANCEL)
    check(_order(S.APPROVED), OWNER, OrderAction.CANCEL)
    with pytest.raises(InvalidTransition):
        check(_order(S.ALLOCATED), OWNER, OrderAction.CANCEL)
    check(_order(S.ALLOCATED), DESK, OrderAction.CANCEL)
    check(_order(S.IN_PRODUCTION), DESK, OrderAction.CANCEL)
    with pytest.raises(PermissionDenied):
        check(_order(S.SUBMITTED), FINANCE, OrderAction.CANCEL)


def test_allowed_actions() -> None:
    assert allowed_actions(_order(), DESK) == ["approve", "reject", "cancel"]
    assert allowed_actions(_order(), OWNER) == ["cancel"]
    assert allowed_actions(_order(), OTHER) == []
    assert allowed_actions(_order(), FINANCE) == []
    assert allowed_actions(_order(S.APPROVED), DESK) == ["allocate", "produce", "cancel"]
    assert allowed_actions(_order(S.ALLOCATED), OWNER) == []
    assert allowed_actions(_order(S.SHIPPED), OWNER) == ["receive"]
    assert allowed_actions(_order(S.SHIPPED), DESK) == ["receive"]
    assert allowed_actions(_order(S.RECEIVED), DESK) == ["close"]
    assert allowed_actions(_order(S.CLOSED), Actor.system()) == []
