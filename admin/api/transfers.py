"""/api/v1/transfers: transfers (调拨) between maker warehouses and dealers (``core.services.transfers``).

``POST`` (scope ``transfers:write``, safe to retry with ``Idempotency-Key``) creates one: a key not bound to a
dealer is the maker (a warehouse's transfer is approved and its stock reserved at once; a transfer out of a
dealer waits for that dealer); a dealer's key asks for another dealer's shared stock or returns its own to the
maker, as the dealer would in chat. ``GET`` (scope ``transfers:read``) lists them: a dealer's key only those it
is a party to, and the other dealer named only when both agreed to show their names. Approving, shipping and
receiving happen in chat and the back office.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Security
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from admin.api.deps import ClockDep, Paging, UowFactoryDep, api_actor
from admin.api.idempotency import (
    IDEMPOTENCY_RESPONSES,
    REPLAYED_RESPONSE_HEADER,
    IdempotencyKeyHeader,
    idempotency_key,
    outcome_response,
)
from admin.api.references import dealer_by_code, warehouse_by_code
from admin.api.schemas import ErrorBody, Page
from core.errors import NotFound, ValidationFailed
from core.inventory import ThresholdScope, TransferStatus
from core.ports import AbstractUnitOfWork
from core.services.idempotency import run_once
from core.services.transfers import (
    CreateTransfer,
    Party,
    TransferView,
    describe,
    list_transfers,
    stage_transfer,
)
from core.users import Actor

router = APIRouter(prefix="/transfers", tags=["transfers"])

STATUS_PATTERN = rf"^ *({'|'.join(s.value for s in TransferStatus)}) *$"
"""Documents what the status filter accepts; the check itself stays in the route for its bilingual message."""

TransfersRead = Annotated[Actor, Security(api_actor, scopes=["transfers:read"])]
TransfersWrite = Annotated[Actor, Security(api_actor, scopes=["transfers:write"])]


class TransferEnd(BaseModel):
    kind: Literal["warehouse", "dealer"] = Field(description="a maker warehouse or a dealer")
    code: str = Field(min_length=1, max_length=32, examples=["WH-SH", "D0001"])


class TransferLineIn(BaseModel):
    sku: str = Field(min_length=1, max_length=64, examples=["AP300"])
    qty: int = Field(ge=1, le=99_999)


class TransferCreate(BaseModel):
    source: TransferEnd
    destination: TransferEnd
    lines: list[TransferLineIn] = Field(min_length=1, max_length=50)
    note: str = Field(default="", max_length=200)


class PartyPublic(BaseModel):
    kind: Literal["warehouse", "dealer"]
    code: str | None = Field(description="null: the other dealer did not agree to be named")
    label: str = Field(description="Chinese name as shown in chat")
    label_en: str


class TransferLinePublic(BaseModel):
    sku: str
    qty: int


class TransferPublic(BaseModel):
    number: str = Field(examples=["DB-20261205-0001"])
    status: str = Field(description="requested | approved | shipped | received | cancelled | refused")
    source: PartyPublic
    destination: PartyPublic
    lines: list[TransferLinePublic]
    needs_maker_approval: bool
    note: str
    close_reason: str
    created_at: datetime | None
    actions: list[str] = Field(description="what this key may do now (approve, refuse, ship, receive, cancel)")


def _party(p: Party) -> PartyPublic:
    return PartyPublic(kind=p.scope.value, code=p.code, label=p.zh, label_en=p.en)


def transfer_public(view: TransferView) -> TransferPublic:
    return TransferPublic(number=view.number, status=view.status.value, source=_party(view.source),
                          destination=_party(view.destination),
                          lines=[TransferLinePublic(sku=line.sku, qty=line.qty) for line in view.lines],
                          needs_maker_approval=view.needs_maker_approval, note=view.note,
                          close_reason=view.close_reason, created_at=view.created_at, actions=sorted(view.actions))


async def _end(uow: AbstractUnitOfWork, end: TransferEnd) -> tuple[ThresholdScope, int]:
    if end.kind == "warehouse":
        warehouse = await warehouse_by_code(uow, end.code)
        if warehouse is not None and warehouse.id is not None:
            return ThresholdScope.WAREHOUSE, warehouse.id
    else:
        dealer = await dealer_by_code(uow, end.code)
        if dealer is not None and dealer.id is not None:
            return ThresholdScope.DEALER, dealer.id
    raise NotFound(what=end.code)


@router.post(
    "", status_code=201, response_model=TransferPublic, summary="Create a transfer (调拨)",
    responses={201: {"headers": REPLAYED_RESPONSE_HEADER},
               404: {"model": ErrorBody, "description": "an unknown warehouse, dealer or product, or a dealer "
                                                        "this key may not move stock of"},
               422: {"model": ErrorBody, "description": "invalid input, not enough stock at the source "
                                                        "(`insufficient_stock`), or an Idempotency-Key already "
                                                        "used for another request (`idempotency_key_reused`)"},
               **IDEMPOTENCY_RESPONSES},
)
async def post_transfer(
    request: Request,
    body: TransferCreate,
    actor: TransfersWrite,
    uow_factory: UowFactoryDep,
    clock: ClockDep,
    idempotency_header: IdempotencyKeyHeader = None,
) -> JSONResponse:
    """Creates the transfer and answers 201 with it (status ``approved`` for the maker's own warehouse transfer,
    else ``requested``). The same ``Idempotency-Key`` and body again answers the first response and creates
    nothing; with another body: 422."""
    key = await idempotency_key(request, uow_factory, idempotency_header, body.model_dump(mode="json"))

    async def create(uow: AbstractUnitOfWork) -> tuple[int, dict[str, Any]]:
        source, destination = await _end(uow, body.source), await _end(uow, body.destination)
        transfer = await stage_transfer(uow, actor, CreateTransfer(
            source[0], source[1], destination[0], destination[1], [(line.sku, line.qty) for line in body.lines],
            body.note), clock)
        return 201, transfer_public(await describe(uow, actor, transfer)).model_dump(mode="json")

    return outcome_response(await run_once(uow_factory, key, create, clock))


@router.get("", response_model=Page[TransferPublic], summary="List transfers, newest first",
            responses={403: {"model": ErrorBody}})
async def get_transfers(
    actor: TransfersRead,
    uow_factory: UowFactoryDep,
    paging: Paging,
    status: Annotated[str | None, Query(description="requested | approved | shipped | received | cancelled | "
                                        "refused", json_schema_extra={"pattern": STATUS_PATTERN})] = None,
    dealer: Annotated[str | None, Query(min_length=1, max_length=32, description="dealer code: the transfers "
                                        "it is a party to (a dealer's key: always its own)")] = None,
) -> Page[TransferPublic]:
    wanted: TransferStatus | None = None
    if status is not None:
        try:
            wanted = TransferStatus(status.strip().lower())
        except ValueError:
            raise ValidationFailed(zh=f"输入有误：未知的调拨状态 {status}", en=f"Invalid input: unknown transfer "
                                   f"status {status}", reason="status") from None
    dealer_id = None
    if dealer is not None and actor.dealer_id is None:
        async with uow_factory() as uow:
            found = await dealer_by_code(uow, dealer)
        if found is None or found.id is None:
            return Page[TransferPublic](items=[], total=0, limit=paging.limit, offset=paging.offset)
        dealer_id = found.id
    views = await list_transfers(uow_factory(), actor, status=wanted, dealer_id=dealer_id, limit=10_000)
    page = views[paging.offset:paging.offset + paging.limit]
    return Page[TransferPublic](items=[transfer_public(v) for v in page], total=len(views), limit=paging.limit,
                                offset=paging.offset)
