"""/api/v1/orders: read orders and move them through the state machine (core.services.orders)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from admin.api.delegation import acting_actor
from admin.api.deps import (
    MOMENT_SCHEMA,
    ClockDep,
    OrdersRead,
    OrdersWrite,
    Paging,
    ReadUowDep,
    UowFactoryDep,
)
from admin.api.errors import conflict_response
from admin.api.references import dealer_codes, dealer_filter
from admin.api.schemas import ErrorBody, OrderLinePublic, OrderPublic, OrderStatusChange, Page
from core.authz import DealerRecord
from core.clock import Clock
from core.errors import InvalidTransition, ValidationFailed
from core.orders import Order, OrderStatus
from core.services import orders as order_cases
from core.users import Actor, Permission

router = APIRouter(prefix="/orders", tags=["orders"])

_STATUS = "|".join(s.value for s in OrderStatus)
STATUS_PATTERN = rf"^ *({_STATUS}) *(, *({_STATUS}) *)*$"
"""Documents what ``parse_statuses`` accepts; the check itself stays there for its bilingual message."""

NumberPath = Annotated[str, Path(min_length=1, max_length=40, description="order number",
                                 examples=["SO-20261126-0007"])]


def order_public(order: Order, dealer_code: str) -> OrderPublic:
    return OrderPublic(
        number=order.number, dealer=dealer_code, status=order.status.value,
        lines=[OrderLinePublic(sku=ln.sku, name=ln.name, qty=ln.qty, unit_price=ln.unit_price,
                               discount=ln.discount, free_qty=ln.free_qty, amount=ln.amount) for ln in order.lines],
        total=order.total, created_at=order.created_at, updated_at=order.updated_at,
        requested_delivery=order.requested_delivery, carrier=order.carrier, tracking_no=order.tracking_no,
        reject_reason=order.reject_reason,
    )


def parse_moment(text: str, clock: Clock, *, end_of_day: bool, name: str) -> datetime:
    """``YYYY-MM-DD`` (a business day in the configured zone) or an ISO datetime (naive = that zone).

    For ``until`` a plain date includes the whole day: the bound becomes the next midnight (exclusive).
    """
    text = text.strip()
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            if end_of_day:
                day += timedelta(days=1)
            return datetime.combine(day, time(0), tzinfo=clock.tz)
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValidationFailed(zh=f"输入有误：{name} 应为日期 YYYY-MM-DD 或 ISO 时间：{text}",
                               en=f"Invalid input: {name} must be YYYY-MM-DD or an ISO datetime: {text}",
                               reason=name) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=clock.tz)


def parse_statuses(text: str) -> list[OrderStatus]:
    statuses = []
    for part in text.split(","):
        part = part.strip().lower()
        if not part:
            continue
        try:
            statuses.append(OrderStatus(part))
        except ValueError:
            allowed = ", ".join(s.value for s in OrderStatus)
            raise ValidationFailed(zh=f"输入有误：未知的订单状态 {part}（可选：{allowed}）",
                                   en=f"Invalid input: unknown order status {part} (one of: {allowed})",
                                   reason="status") from None
    return statuses


@router.get("", response_model=Page[OrderPublic], summary="List orders, newest first")
async def list_orders(
    actor: OrdersRead,
    uow: ReadUowDep,
    clock: ClockDep,
    paging: Paging,
    dealer: Annotated[str | None, Query(description="dealer code")] = None,
    status: Annotated[str | None, Query(description="status, or several separated by commas",
                                        examples=["submitted,approved"],
                                        json_schema_extra={"pattern": STATUS_PATTERN})] = None,
    since: Annotated[str | None, Query(description="created at or after: YYYY-MM-DD or ISO datetime",
                                       json_schema_extra=MOMENT_SCHEMA)] = None,
    until: Annotated[str | None, Query(description="created before the end of this day (YYYY-MM-DD) "
                                                   "or before this ISO datetime",
                                       json_schema_extra=MOMENT_SCHEMA)] = None,
) -> Page[OrderPublic]:
    """A key bound to a dealer sees only that dealer's orders, whatever ``dealer`` says."""
    filters: dict[str, Any] = {}
    if status is not None:
        statuses = parse_statuses(status)
        if not statuses:
            raise ValidationFailed(zh="输入有误：status 不能为空", en="Invalid input: status must not be empty",
                                   reason="status")
        filters["status__in"] = statuses
    if since is not None:
        filters["created_at__gte"] = parse_moment(since, clock, end_of_day=False, name="since")
    if until is not None:
        filters["created_at__lt"] = parse_moment(until, clock, end_of_day=True, name="until")
    empty = Page[OrderPublic](items=[], total=0, limit=paging.limit, offset=paging.offset)
    async with uow:
        scoped = await dealer_filter(uow, actor, DealerRecord.ORDERS, dealer, Permission.ORDER_READ_ALL)
        if scoped is None:
            return empty
        filters.update(scoped)
        rows = await uow.orders.list(order_by="created_at", desc=True, limit=paging.limit,
                                     offset=paging.offset, **filters)
        total = await uow.orders.count(**filters)
        codes = await dealer_codes(uow, (o.dealer_id for o in rows))
    return Page[OrderPublic](items=[order_public(o, codes.get(o.dealer_id, "")) for o in rows], total=total,
                             limit=paging.limit, offset=paging.offset)


async def _public(uow_factory: UowFactoryDep, order: Order) -> OrderPublic:
    async with uow_factory().autocommit() as uow:
        codes = await dealer_codes(uow, [order.dealer_id])
    return order_public(order, codes.get(order.dealer_id, ""))


@router.get("/{number}", response_model=OrderPublic, summary="One order",
            responses={404: {"model": ErrorBody}})
async def get_order(number: NumberPath, actor: OrdersRead, uow: ReadUowDep,
                    uow_factory: UowFactoryDep) -> OrderPublic:
    """Another dealer's order answers 404 for a dealer-bound key, exactly like a missing one."""
    order = await order_cases.get_order(uow, actor, number)
    return await _public(uow_factory, order)


async def _change(actor: Actor, number: str, body: OrderStatusChange, uow_factory: UowFactoryDep,
                  clock: Clock) -> Order:
    uow = uow_factory()
    if body.action == "approve":
        return await order_cases.approve_order(uow, actor, order_cases.ApproveOrder(
            number=number, note=body.reason or "", over_limit=body.over_limit), clock)
    if body.action == "reject":
        return await order_cases.reject_order(uow, actor, order_cases.RejectOrder(
            number=number, reason=body.reason or ""), clock)
    if body.action == "allocate":
        return await order_cases.allocate_order(uow, actor, order_cases.AllocateOrder(number=number), clock)
    if body.action == "ship":
        return await order_cases.ship_order(uow, actor, order_cases.ShipOrder(
            number=number, carrier=body.carrier or "", tracking_no=body.tracking_no or ""), clock)
    if body.action == "receive":
        return await order_cases.confirm_receipt(uow, actor, order_cases.ConfirmReceipt(
            number=number, note=body.reason or ""), clock)
    if body.action == "close":
        return await order_cases.close_order(uow, actor, order_cases.CloseOrder(number=number), clock)
    return await order_cases.cancel_order(uow, actor, order_cases.CancelOrder(
        number=number, reason=body.reason or ""), clock)


@router.post("/{number}/status", response_model=OrderPublic, summary="Move an order to its next status",
             responses={403: {"model": ErrorBody}, 404: {"model": ErrorBody},
                        409: conflict_response(
                            "the order's status does not allow the action (rule `invalid_transition`: the order "
                            "state machine; e.g. an order shipped cannot be cancelled)",
                            InvalidTransition(current="shipped", action="cancel")),
                        422: {"model": ErrorBody}})
async def change_status(number: NumberPath, body: OrderStatusChange, actor: OrdersWrite,
                        uow_factory: UowFactoryDep, clock: ClockDep) -> OrderPublic:
    """Actions: approve, reject (reason), allocate (reserves stock; short stock sends the order to
    production), ship (carrier, tracking_no), receive, close, cancel (reason).

    An unbound key acts as the order desk; a dealer-bound key acts as that dealer (receive, and cancel
    while submitted/approved). An invalid move answers 409 with the reason in zh and en.
    """
    order = await _change(acting_actor(actor), number, body, uow_factory, clock)
    return await _public(uow_factory, order)
