"""POST /api/v1/orders: an ERP places a dealer's order through the same use cases as the chat's confirm.

``quote_order`` prices it and runs every check (the chat's summary), ``submit_order`` re-checks, charges the
dealer's accounts, routes the approval and audits (the chat's 确认下单): the same input gives the same order,
lines, prices, promotions and checks, whichever way it came in.

``Idempotency-Key`` is required. It becomes the order's ``client_request_key`` (hashed with the API key, so
two keys never meet), so a retry gets the same order even when the first response was lost, and the response
is stored under it (``core.services.idempotency.run_recorded``): the same key and body answer the first
response with ``Idempotent-Replayed: true``; another body under the same key is 422.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Header, Request
from fastapi.responses import JSONResponse

from admin.api.delegation import acting_actor
from admin.api.deps import ClockDep, OrdersWrite, UowFactoryDep
from admin.api.idempotency import (
    IDEMPOTENCY_RESPONSES,
    REPLAYED_RESPONSE_HEADER,
    idempotency_key,
    outcome_response,
)
from admin.api.orders import order_public
from admin.api.references import dealer_by_code
from admin.api.schemas import ErrorBody, OrderCheckPublic, OrderCreate, OrderCreated, OrderPromotionPublic
from core.clock import Clock
from core.errors import NotFound, ValidationFailed
from core.idempotency import MAX_KEY_LENGTH
from core.orders import Order
from core.pricing import Quote
from core.services.idempotency import IdempotencyKey, run_recorded
from core.services.orders import QuoteOrder, SubmitOrder, quote_order, submit_order

router = APIRouter(prefix="/orders", tags=["orders"])

MAX_DAYS_AHEAD = 180       # as far ahead as the chat's delivery date (handlers.flows.cart.MAX_DAYS_AHEAD)

RequiredIdempotencyKey = Annotated[str, Header(
    alias="Idempotency-Key", min_length=1, max_length=MAX_KEY_LENGTH, pattern=r"^[!-~]([ -~]*[!-~])?$",
    description="Required: a unique value per order (e.g. a UUID, quoted or not). Sent again with the same body "
                "within 24 h, the first response comes back (header `Idempotent-Replayed: true`) and no second "
                "order is made; with a different body: 422 `idempotency_key_reused`. Keys are scoped to the API key.",
    examples=['"8e03978e-40d5-43e8-bc93-6894a57f9324"'],
)]


def order_request_key(key: IdempotencyKey) -> str:
    """The order's ``client_request_key`` for an Idempotency-Key: 64 characters at most, per API key."""
    digest = hashlib.sha256(f"{key.api_key_id}\x00{key.key}".encode()).hexdigest()
    return f"api-{digest[:56]}"


def _merged(body: OrderCreate) -> list[tuple[str, int]]:
    """Lines of one SKU added up, in the order first named (as the chat's cart adds a product twice)."""
    out: dict[str, int] = {}
    for line in body.lines:
        sku = line.sku.strip()
        out[sku] = out.get(sku, 0) + line.qty
    return list(out.items())


def _check_delivery(body: OrderCreate, clock: Clock) -> None:
    if body.delivery_date is None:
        return
    today = clock.today()
    if body.delivery_date <= today:
        raise ValidationFailed(zh=f"输入有误：交货日期须晚于今天 {today.isoformat()}",
                               en=f"Invalid input: the delivery date must be after today {today.isoformat()}",
                               reason="delivery_date")
    if body.delivery_date > today + timedelta(days=MAX_DAYS_AHEAD):
        raise ValidationFailed(zh=f"输入有误：交货日期最多在 {MAX_DAYS_AHEAD} 天之内",
                               en=f"Invalid input: the delivery date must be within {MAX_DAYS_AHEAD} days",
                               reason="delivery_date")


def order_created(order: Order, dealer_code: str, quote: Quote) -> OrderCreated:
    return OrderCreated(
        **order_public(order, dealer_code).model_dump(),
        checks=[OrderCheckPublic(code=c.code, ok=c.ok, blocking=c.blocking, sku=c.sku, message=c.zh, message_en=c.en)
                for c in quote.checks],
        promotions=[OrderPromotionPublic(code=p.code, name=p.name, discount=p.discount, free_units=p.free_units)
                    for p in quote.promotions],
        approval_reasons=list(order.approval_reasons), on_behalf=order.on_behalf)


@router.post(
    "", response_model=OrderCreated, status_code=201, summary="Place an order (priced and checked as in chat)",
    responses={201: {"headers": REPLAYED_RESPONSE_HEADER},
               403: {"model": ErrorBody}, 404: {"model": ErrorBody, "description": "unknown dealer, or one the key "
                                                                                    "may not order for"},
               422: {"model": ErrorBody, "description": "invalid input, a check that refuses the order (MOQ, "
                                                        "product not allowed, dealer suspended ...), or an "
                                                        "Idempotency-Key already used for another request"},
               **IDEMPOTENCY_RESPONSES},
)
async def create_order(request: Request, body: OrderCreate, actor: OrdersWrite, uow_factory: UowFactoryDep,
                       clock: ClockDep, idempotency_header: RequiredIdempotencyKey) -> JSONResponse:
    """Prices the lines for the dealer (its tier and own prices, today's promotions), runs the chat's checks
    (dealer status and documents, allowed products, MOQ, line limits, stock, funds and credit) and submits:
    the order starts ``submitted`` and goes to the approvals it needs (``approval_reasons``). A refusing check
    answers 422 with every failing check in the message.

    An unbound key with ``orders:write`` orders for any dealer as the order desk does (代客下单, ``on_behalf``); a
    key bound to a dealer orders as that dealer's owner would in chat, only for that dealer (another code answers
    404, as an unknown one does).
    """
    key = await idempotency_key(request, uow_factory, idempotency_header, body.model_dump(mode="json"))
    assert key is not None      # the header is required
    actor = acting_actor(actor)   # a dealer-bound key orders as its dealer (as in chat), an unbound one as the desk

    async def work() -> tuple[int, dict[str, object]]:
        async with uow_factory() as uow:
            dealer = await dealer_by_code(uow, body.dealer)
        if dealer is None or dealer.id is None:
            raise NotFound(zh=f"未找到经销商 {body.dealer}", en=f"Dealer {body.dealer} not found", what=body.dealer)
        _check_delivery(body, clock)
        items = _merged(body)
        quote = await quote_order(uow_factory(), actor, QuoteOrder(dealer_id=dealer.id, items=items), clock)
        order = await submit_order(uow_factory(), actor, SubmitOrder(
            dealer_id=dealer.id, items=items, requested_delivery=body.delivery_date,
            client_request_key=order_request_key(key), note=body.note.strip()), clock)
        return 201, order_created(order, dealer.code, quote).model_dump(mode="json")

    return outcome_response(await run_recorded(uow_factory, key, work, clock))
