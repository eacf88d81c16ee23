"""The order state machine: which action moves an order where, and who may take it.

::

    submitted ──approve──> approved ──allocate──> allocated ──ship──> shipped ──receive──> received ──close──> closed
        │                     │  └──produce──> in_production ──allocate──┘
        └──reject──> rejected │
    cancel: from submitted / approved / allocated / in_production, never once shipped

Who: approve/reject ORDER_APPROVE; allocate/produce ORDER_ALLOCATE; ship ORDER_SHIP; receive the
order's own dealer with ORDER_RECEIVE_OWN or staff with ORDER_SHIP; close ORDER_SHIP (or the system);
cancel the own dealer (ORDER_PLACE_OWN) while submitted/approved, staff with ORDER_CANCEL_ANY until
shipped. A dealer actor touching another dealer's order gets NotFound, as everywhere.

``apply`` changes the order in memory (status, event, updated_at, version); the use cases in
``core.services.orders`` do the stock and money side and persist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from core.errors import BusinessRuleViolation, InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from core.notes import note_text, system_note
from core.orders import ORDER_STATUS_LABELS, RECEIVED_WITH_EXCEPTIONS, Order, OrderEvent, OrderStatus
from core.users import Actor, ActorKind, Permission

S = OrderStatus


class OrderAction(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"
    ALLOCATE = "allocate"
    PRODUCE = "produce"          # not enough stock: goes into production
    SHIP = "ship"
    RECEIVE = "receive"
    CLOSE = "close"
    CANCEL = "cancel"


ACTION_LABELS: dict[OrderAction, tuple[str, str]] = {
    OrderAction.APPROVE: ("审核通过", "approve"),
    OrderAction.REJECT: ("驳回", "reject"),
    OrderAction.ALLOCATE: ("配货", "allocate"),
    OrderAction.PRODUCE: ("转生产", "send to production"),
    OrderAction.SHIP: ("发货", "ship"),
    OrderAction.RECEIVE: ("确认收货", "confirm receipt"),
    OrderAction.CLOSE: ("关闭订单", "close"),
    OrderAction.CANCEL: ("取消订单", "cancel"),
}

# Reasons an order waits for a person with ORDER_APPROVE (codes stored in Order.approval_reasons).
CREDIT_SHORTFALL = "credit_shortfall"
APPROVAL_REASON_LABELS: dict[str, tuple[str, str]] = {
    CREDIT_SHORTFALL: ("超出可用额度，需审批", "exceeds the available funds; needs approval"),
}


def approval_reason_text(code: str, lang: str = "zh") -> str:
    zh, en = APPROVAL_REASON_LABELS.get(code, (code, code))
    return en if lang.lower().startswith("en") else zh


@dataclass(frozen=True)
class Transition:
    sources: frozenset[OrderStatus]
    target: OrderStatus


TRANSITIONS: dict[OrderAction, Transition] = {
    OrderAction.APPROVE: Transition(frozenset({S.SUBMITTED}), S.APPROVED),
    OrderAction.REJECT: Transition(frozenset({S.SUBMITTED}), S.REJECTED),
    OrderAction.ALLOCATE: Transition(frozenset({S.APPROVED, S.IN_PRODUCTION}), S.ALLOCATED),
    OrderAction.PRODUCE: Transition(frozenset({S.APPROVED}), S.IN_PRODUCTION),
    OrderAction.SHIP: Transition(frozenset({S.ALLOCATED}), S.SHIPPED),
    OrderAction.RECEIVE: Transition(frozenset({S.SHIPPED}), S.RECEIVED),
    OrderAction.CLOSE: Transition(frozenset({S.RECEIVED}), S.CLOSED),
    OrderAction.CANCEL: Transition(frozenset({S.SUBMITTED, S.APPROVED, S.ALLOCATED, S.IN_PRODUCTION}),
                                   S.CANCELLED),
}

# The dealer itself may cancel only before the maker has started picking.
DEALER_CANCELLABLE = frozenset({S.SUBMITTED, S.APPROVED})

_STAFF_PERMISSION: dict[OrderAction, Permission] = {
    OrderAction.APPROVE: Permission.ORDER_APPROVE,
    OrderAction.REJECT: Permission.ORDER_APPROVE,
    OrderAction.ALLOCATE: Permission.ORDER_ALLOCATE,
    OrderAction.PRODUCE: Permission.ORDER_ALLOCATE,
    OrderAction.SHIP: Permission.ORDER_SHIP,
    OrderAction.RECEIVE: Permission.ORDER_SHIP,
    OrderAction.CLOSE: Permission.ORDER_SHIP,
    OrderAction.CANCEL: Permission.ORDER_CANCEL_ANY,
}


def status_label(status: OrderStatus, lang: str = "zh") -> str:
    zh, en = ORDER_STATUS_LABELS[status]
    return en if lang.lower().startswith("en") else zh


def order_status_label(order: Order, lang: str = "zh") -> str:
    """The order's status as shown: a receipt with goods short or damaged reads "已收货（有异常）", not 已收货."""
    if order.status == S.RECEIVED and order.receipt_exceptions:
        zh, en = RECEIVED_WITH_EXCEPTIONS
        return en if lang.lower().startswith("en") else zh
    return status_label(order.status, lang)


def _own_dealer(order: Order, actor: Actor) -> bool:
    return actor.kind == ActorKind.DEALER and actor.dealer_id == order.dealer_id


def ensure_visible(order: Order, actor: Actor) -> None:
    """A dealer (or dealer-bound API key) asking about another dealer's order: NotFound."""
    if actor.kind in (ActorKind.DEALER, ActorKind.API) and actor.dealer_id not in (None, order.dealer_id):
        raise NotFound(what=order.number)
    if actor.kind == ActorKind.DEALER and actor.dealer_id is None:
        raise NotFound(what=order.number)
    if actor.kind == ActorKind.ANONYMOUS:
        raise NotFound(what=order.number)


def permitted(order: Order, actor: Actor, action: OrderAction) -> bool:
    """May ``actor`` take ``action`` on ``order`` as far as *who* is concerned (state aside)?"""
    perms = actor.permissions
    if _own_dealer(order, actor):
        if action == OrderAction.RECEIVE:
            return Permission.ORDER_RECEIVE_OWN in perms
        if action == OrderAction.CANCEL:
            return Permission.ORDER_PLACE_OWN in perms and order.status in DEALER_CANCELLABLE
        return False
    if actor.kind not in (ActorKind.STAFF, ActorKind.SYSTEM):
        return False
    return _STAFF_PERMISSION[action] in perms


def _invalid(order: Order, action: OrderAction) -> InvalidTransition:
    action_zh, action_en = ACTION_LABELS[action]
    cur_zh, cur_en = ORDER_STATUS_LABELS[order.status]
    return InvalidTransition(
        zh=f"订单 {order.number} 当前状态“{cur_zh}”不能{action_zh}",
        en=f"Cannot {action_en} order {order.number} while it is {cur_en.lower()}",
        current=order.status.value, action=action.value)


# the maker's steps an order on hold (its dealer suspended) or waiting for the parent dealer may not take
HELD_ACTIONS = frozenset({OrderAction.APPROVE, OrderAction.ALLOCATE, OrderAction.PRODUCE, OrderAction.SHIP})
PARENT_PENDING = "pending"
PARENT_APPROVED = "approved"


def check_not_waiting(order: Order, action: OrderAction) -> None:
    """An order held for review (``held_reason``) takes none of the maker's steps; one waiting for its parent
    dealer's approval (``parent_approval`` pending) is not approved by the maker first."""
    if action in HELD_ACTIONS and order.held_reason:
        raise BusinessRuleViolation(
            zh=f"订单 {order.number} 因经销商暂停合作而暂缓处理（{order.held_reason}），恢复合作后才能继续",
            en=f"Order {order.number} is on hold while its dealer is suspended ({note_text(order.held_reason, 'en')}); "
               "it goes on once the dealer is reinstated", reason="order on hold")
    if action == OrderAction.APPROVE and order.parent_approval == PARENT_PENDING:
        raise BusinessRuleViolation(zh=f"订单 {order.number} 正等待上级经销商审批，审批后才能由厂家审核",
                                    en=f"Order {order.number} waits for its parent dealer's approval first",
                                    reason="parent approval pending")


def check(order: Order, actor: Actor, action: OrderAction) -> None:
    """Raise NotFound (other dealer's order), InvalidTransition, PermissionDenied, or BusinessRuleViolation for
    an order on hold or waiting for its parent dealer (``check_not_waiting``)."""
    ensure_visible(order, actor)
    if order.status not in TRANSITIONS[action].sources:
        raise _invalid(order, action)
    check_not_waiting(order, action)
    if not permitted(order, actor, action):
        if (action == OrderAction.CANCEL and _own_dealer(order, actor)
                and Permission.ORDER_PLACE_OWN in actor.permissions):
            # The dealer may not cancel once picking started; say why in the dealer's terms.
            raise _invalid(order, action)
        raise PermissionDenied()


def allowed_actions(order: Order, actor: Actor) -> list[str]:
    """Actions ``actor`` may take on ``order`` now, in display order (for buttons)."""
    try:
        ensure_visible(order, actor)
    except NotFound:
        return []
    return [action.value for action, transition in TRANSITIONS.items()
            if order.status in transition.sources and permitted(order, actor, action)]


def parent_decide(order: Order, actor: Actor, approve: bool, at: datetime, reason: str = "") -> OrderEvent:
    """The parent dealer's decision on its sub-dealer's order waiting for it (the caller checked that
    ``actor``'s dealer is the order dealer's parent): approved, it goes to the maker's usual approval;
    rejected (a reason needed), the order is rejected."""
    if order.status != S.SUBMITTED or order.parent_approval != PARENT_PENDING:
        raise InvalidTransition(zh=f"订单 {order.number} 已不在等待上级经销商审批", current=order.status.value,
                                en=f"Order {order.number} no longer waits for the parent dealer's approval",
                                action="parent_approve" if approve else "parent_reject")
    if approve:
        order.parent_approval = PARENT_APPROVED
        event = OrderEvent(status=order.status, actor=actor.label, at=at, note=system_note("上级经销商已审批"))
    else:
        if not reason.strip():
            raise ValidationFailed.because("驳回需填写原因", "a reason is required to reject")
        order.parent_approval = None
        order.status = S.REJECTED
        order.reject_reason = reason.strip()
        event = OrderEvent(status=order.status, actor=actor.label, at=at, note=system_note("上级经销商驳回", reason))
    order.events.append(event)
    order.updated_at = at
    order.version += 1
    return event


def apply(order: Order, actor: Actor, action: OrderAction, at: datetime, note: str = "", *,
          carrier: str | None = None, tracking_no: str | None = None, reason: str | None = None) -> OrderEvent:
    """Check, then move ``order``: status, timeline event, ``updated_at``, ``version``.

    Shipping needs a carrier and a tracking number; rejecting needs a reason.
    """
    check(order, actor, action)
    if action == OrderAction.SHIP:
        if not (carrier and carrier.strip()) or not (tracking_no and tracking_no.strip()):
            raise ValidationFailed.because("发货需填写承运商和运单号", "carrier and tracking number are required")
        if len(carrier.strip()) > 64 or len(tracking_no.strip()) > 64:
            raise ValidationFailed.because("承运商或运单号过长（最多 64 字）", "carrier or tracking number too long (max 64)")
        order.carrier = carrier.strip()
        order.tracking_no = tracking_no.strip()
    if action == OrderAction.REJECT:
        if not (reason and reason.strip()):
            raise ValidationFailed.because("驳回需填写原因", "a reason is required to reject")
        order.reject_reason = reason.strip()
    order.status = TRANSITIONS[action].target
    event = OrderEvent(status=order.status, actor=actor.label, at=at, note=note)
    order.events.append(event)
    order.updated_at = at
    order.version += 1
    return event
