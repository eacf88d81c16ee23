"""/api/v1 dealer accounts: balances (with what open orders hold), ledger entries by business day, and
payments received (``POST /payments``, safe to retry with ``Idempotency-Key``). Scopes ``accounts:read`` and
``accounts:write``; a key bound to a dealer reads only that dealer and posts nothing."""

from __future__ import annotations

import datetime as dt
from datetime import tzinfo
from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, StrictBool

from admin.api.deps import AccountsRead, AccountsWrite, ClockDep, Paging, UowFactoryDep
from admin.api.errors import ApiError
from admin.api.idempotency import (
    IDEMPOTENCY_RESPONSES,
    REPLAYED_RESPONSE_HEADER,
    IdempotencyKeyHeader,
    idempotency_key,
    outcome_response,
)
from admin.api.references import dealer_by_code
from admin.api.schemas import ErrorBody, IsoDay, Money, Page
from core import authz
from core.accounts import AccountKind, LedgerEntry, PaymentMethod
from core.dealers import Dealer
from core.errors import NotFound, PermissionDenied
from core.ports import AbstractUnitOfWork
from core.services import payments
from core.services.idempotency import run_once
from core.users import Actor, Permission

router = APIRouter(tags=["accounts"])

CodePath = Annotated[str, Path(min_length=1, max_length=32, description="dealer code", examples=["D0001"])]


class AccountBalancePublic(BaseModel):
    account: str = Field(description="prepayment (预存款) | deposit (保证金) | rebate (返利) | credit (信用额度: credit "
                                     "used, zero or negative)")
    balance: Money = Field(description="the sum of the account's ledger entries")
    available: Money = Field(description="what a new order can use now: the prepayment balance (not below zero), "
                                         "the rebate balance (an order uses at most its rebate share), the unused "
                                         "credit (limit + credit used); the deposit is a guarantee and pays no "
                                         "order: 0")
    frozen: Money = Field(description="what orders that can still be cancelled or rejected (submitted, approved, "
                                      "allocated, in production) were charged on this account. It is already "
                                      "taken from `balance` and comes back to the account if the order is "
                                      "cancelled or rejected; it is final when the order ships")


class DealerBalancesPublic(BaseModel):
    dealer: str
    accounts: list[AccountBalancePublic]
    credit_limit: Money = Field(description="the effective limit: temporary credit included while it lasts")
    credit_headroom: Money = Field(description="credit limit + credit used, not below zero")
    temporary_credit: Money = Field(description="the part of the limit that is temporary (0: none)")
    temporary_credit_until: dt.date | None = Field(default=None, description="the last day temporary credit counts")


class LedgerEntryPublic(BaseModel):
    id: int
    dealer: str
    account: str
    kind: str = Field(description="payment | order_charge | order_refund | rebate_accrual | rebate_settlement | "
                                  "credit_repayment | adjustment | refund | reversal")
    amount: Money = Field(description="signed: positive adds to the dealer's funds")
    reference: str = Field(description="bank reference, order number ...")
    method: str = Field(description="payments: bank_transfer | acceptance_bill | cash; else empty")
    paid_on: dt.date | None = Field(default=None, description="payments: the day the money was paid")
    note: str
    reverses_id: int | None = Field(default=None, description="reversals: the entry they counter")
    booked_at: dt.datetime | None = Field(default=None, description="when it was booked (Asia/Shanghai offset)")


class PaymentCreate(BaseModel):
    """A payment received from a dealer, booked into its prepayment or deposit account."""

    model_config = ConfigDict(extra="forbid")

    dealer: str = Field(min_length=1, max_length=32, description="dealer code", examples=["D0001"])
    account: Literal["prepayment", "deposit"] = Field(description="prepayment (预存款) or deposit (保证金)")
    amount: Money = Field(description="CNY as a string with at most 2 decimals, above zero", examples=["50000.00"])
    method: Literal["bank_transfer", "acceptance_bill", "cash"] = Field(
        description="bank_transfer (银行转账) | acceptance_bill (承兑汇票) | cash (现金)")
    reference: str = Field(default="", max_length=64, description="bank reference, bill number, receipt number",
                           examples=["HX20261204001"])
    paid_on: IsoDay = Field(description="the day the money was paid (YYYY-MM-DD), not in the future")
    note: str = Field(default="", max_length=500)
    same_reference_ok: StrictBool = Field(
        default=False, description="book it although a payment of this dealer with the same reference is booked "
                                   "(otherwise 409: one bank slip, bill or receipt is one payment)")


def entry_public(entry: LedgerEntry, code: str, tz: tzinfo) -> LedgerEntryPublic:
    """``booked_at`` in business time (the same offset whether read back from the database or just booked)."""
    return LedgerEntryPublic(id=entry.id or 0, dealer=code, account=entry.account.value, kind=entry.kind.value,
                             amount=entry.amount, reference=entry.ref, method=entry.method, paid_on=entry.paid_on,
                             note=entry.note, reverses_id=entry.reverses_id,
                             booked_at=entry.created_at.astimezone(tz) if entry.created_at else None)


async def _readable_dealer(uow: AbstractUnitOfWork, actor: Actor, code: str) -> Dealer:
    """The dealer by code; NotFound for an unknown code and for a dealer the key may not read the money of (another
    dealer; a sub-dealer unless the parent's contract opens it: ``core.authz``), the same answer."""
    async with uow:
        dealer = await dealer_by_code(uow, code)
        readable = dealer is not None and dealer.id is not None and await authz.may_read_dealer(
            uow, actor, dealer.id, authz.DealerRecord.ACCOUNTS, all_permission=Permission.ACCOUNT_READ_ALL)
    if dealer is None or dealer.id is None or not readable:
        raise NotFound(zh=f"未找到经销商 {code}", en=f"Dealer {code} not found", what=code)
    return dealer


@router.get("/dealers/{code}/balances", response_model=DealerBalancesPublic, summary="A dealer's account balances",
            responses={404: {"model": ErrorBody}})
async def get_balances(code: CodePath, actor: AccountsRead, uow_factory: UowFactoryDep,
                       clock: ClockDep) -> DealerBalancesPublic:
    """Each account (prepayment, deposit, rebate, credit): its balance, what a new order can use of it
    (`available`), and what open orders hold of it (`frozen`: charged to orders that can still be cancelled
    or rejected, already out of `balance`, back if the order is cancelled or rejected); and the credit limit
    and its headroom."""
    dealer = await _readable_dealer(uow_factory(), actor, code)
    found = await payments.dealer_balances(uow_factory(), actor, dealer.id or 0, clock)
    return DealerBalancesPublic(
        dealer=dealer.code,
        accounts=[AccountBalancePublic(account=a.account.value, balance=a.balance, available=a.available,
                                       frozen=a.frozen) for a in found.accounts],
        credit_limit=found.credit_limit, credit_headroom=found.credit_headroom,
        temporary_credit=found.temporary_credit, temporary_credit_until=found.temporary_credit_until)


@router.get("/dealers/{code}/ledger", response_model=Page[LedgerEntryPublic], summary="A dealer's ledger entries",
            responses={404: {"model": ErrorBody}})
async def get_ledger(
    code: CodePath,
    actor: AccountsRead,
    uow_factory: UowFactoryDep,
    clock: ClockDep,
    paging: Paging,
    since: Annotated[IsoDay | None, Query(alias="from", description="booked on or after (YYYY-MM-DD, Asia/Shanghai "
                                                                    "business day)")] = None,
    until: Annotated[IsoDay | None, Query(alias="to", description="booked on or before (YYYY-MM-DD, Asia/Shanghai "
                                                                  "business day)")] = None,
) -> Page[LedgerEntryPublic]:
    """Entries newest first; ``from``/``to`` are business days (both included) of when each was booked."""
    if since is not None and until is not None and since > until:
        raise ApiError(422, "validation_failed", "输入有误：from 不能晚于 to", "Invalid input: from is after to")
    dealer = await _readable_dealer(uow_factory(), actor, code)
    page = await payments.ledger_page(uow_factory(), actor, dealer.id or 0, clock, since=since, until=until,
                                      limit=paging.limit, offset=paging.offset)
    return Page[LedgerEntryPublic](items=[entry_public(e, dealer.code, clock.tz) for e in page.entries], total=page.total,
                                   limit=paging.limit, offset=paging.offset)


@router.post(
    "/payments", status_code=201, response_model=LedgerEntryPublic, summary="Record a payment received",
    responses={201: {"headers": REPLAYED_RESPONSE_HEADER},
               404: {"model": ErrorBody, "description": "unknown dealer"},
               422: {"model": ErrorBody, "description": "invalid input, or an Idempotency-Key already used for "
                                                        "another request (`idempotency_key_reused`)"},
               409: {"model": ErrorBody, "description": "a payment of this dealer with this reference is booked "
                     "already (send `same_reference_ok` if this is another one), or "
                     + IDEMPOTENCY_RESPONSES[409]["description"]}},
)
async def post_payment(
    request: Request,
    body: PaymentCreate,
    actor: AccountsWrite,
    uow_factory: UowFactoryDep,
    clock: ClockDep,
    idempotency_header: IdempotencyKeyHeader = None,
) -> JSONResponse:
    """Books the payment into the dealer's prepayment or deposit account (the dealer is told in chat) and
    answers 201 with the entry. A key bound to a dealer may not post (403).

    Send an ``Idempotency-Key`` to retry safely: the same key and body again answers the first response
    (header ``Idempotent-Replayed: true``) and books nothing twice; the same key with another body: 422. The
    entry also remembers the key (``api:<key>``), so even after the 24 h a replay books nothing."""
    if actor.dealer_id is not None:      # a dealer's own key reads its accounts, it never books money
        raise PermissionDenied()
    key = await idempotency_key(request, uow_factory, idempotency_header, body.model_dump(mode="json"))
    source = f"api:{key.api_key_id}:{key.key}" if key is not None else None

    async def book(uow: AbstractUnitOfWork) -> tuple[int, dict[str, Any]]:
        dealer = await dealer_by_code(uow, body.dealer)
        if dealer is None or dealer.id is None:
            raise NotFound(zh=f"未找到经销商 {body.dealer}", en=f"Dealer {body.dealer} not found", what=body.dealer)
        entry = await payments.stage_payment(uow, actor, payments.RecordPayment(
            dealer_id=dealer.id, account=AccountKind(body.account), amount=Decimal(body.amount),
            method=PaymentMethod(body.method), reference=body.reference, paid_on=body.paid_on, note=body.note,
            source=source, same_reference_ok=body.same_reference_ok), clock)
        return 201, entry_public(entry, dealer.code, clock.tz).model_dump(mode="json")

    return outcome_response(await run_once(uow_factory, key, book, clock))
