"""/api/v1/sellout: dealers' sell-out lines — report a batch (row by row), read them back."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from admin.api.deps import ClockDep, Paging, SellOutRead, SellOutWrite, UowDep, UowFactoryDep
from admin.api.errors import preferred_language
from admin.api.idempotency import (
    IDEMPOTENCY_RESPONSES,
    REPLAYED_RESPONSE_HEADER,
    IdempotencyKeyHeader,
    idempotency_key,
    outcome_response,
)
from admin.api.references import dealer_by_code, dealer_codes, dealer_filter
from admin.api.schemas import (
    ErrorBody,
    IsoDay,
    Page,
    SellOutLinePublic,
    SellOutResult,
    SellOutRow,
    SellOutRowError,
)
from core.authz import DealerRecord
from core.errors import NotFound, PermissionDenied
from core.ports import AbstractUnitOfWork
from core.services import sellout as sellout_cases
from core.services.idempotency import run_once
from core.users import Permission

router = APIRouter(prefix="/sellout", tags=["sellout"])

MAX_ROWS = 5000
EXTRA_SCHEMAS: tuple[type[BaseModel], ...] = ()
"""Models documented in the OpenAPI components although no route parses them directly (none now: the batch's
rows are parsed by FastAPI as ``list[SellOutRow]``, so the schema and the validation are one)."""

# the use case numbers rows within one dealer's batch; the API answers with the request's index
_ROW_PREFIX = re.compile(r"^(第 \d+ 行：|Row \d+: )")


def _strip_row(text: str) -> str:
    return _ROW_PREFIX.sub("", text, count=1)


def _more_than_cents(amount: str | int) -> bool:
    """Money is never rounded silently: more than two decimals is a bad row, not 12.35 for 12.345. (A rule on
    the value, not the schema's: the row is refused in ``errors`` like any other bad value.)"""
    if not isinstance(amount, str):
        return False
    try:
        exponent = Decimal(amount.strip().replace(",", "").lstrip("¥")).as_tuple().exponent
    except ArithmeticError:
        return False                    # not a number at all: the use case reports it in zh/en
    return isinstance(exponent, int) and exponent < -2


@router.post(
    "", response_model=SellOutResult, summary="Report sell-out lines (a batch)",
    responses={200: {"headers": REPLAYED_RESPONSE_HEADER},
               207: {"model": SellOutResult, "description": "some rows were refused by the rules (unknown dealer "
                                                            "or SKU, quantity not above zero, a date in the "
                                                            "future, ...); the others are stored",
                     "headers": REPLAYED_RESPONSE_HEADER},
               422: {"model": ErrorBody, "description": "a body the schema does not allow (nothing stored; "
                                                        "`detail` names the row and the field), or an "
                                                        "Idempotency-Key already used for another request "
                                                        "(`idempotency_key_reused`)"},
               **IDEMPOTENCY_RESPONSES},
)
async def post_sellout(
    request: Request,
    rows: Annotated[list[SellOutRow], Body(max_length=MAX_ROWS, description="the rows, at most 5000")],
    actor: SellOutWrite,
    uow_factory: UowFactoryDep,
    clock: ClockDep,
    idempotency_header: IdempotencyKeyHeader = None,
) -> JSONResponse:
    """The body must fit the schema as a whole: a row with a field of the wrong type, a field missing or one
    the schema does not know is refused with 422 (``detail``: ``["body", row, field]``) and nothing is stored.
    Then each row is checked on its own (dealer known and visible to the key, SKU known, qty > 0, amount,
    date not in the future, customer type). Good rows are stored, all in one transaction; bad rows come
    back as ``{"row": index, "error": ...}``. 200 when every row was accepted, 207 when some were not.
    A key bound to a dealer may report only for that dealer.

    Send an ``Idempotency-Key`` to retry safely: the same key and body again within 24 h answers the first
    response (header ``Idempotent-Replayed: true``) and stores nothing twice.
    """
    lang = preferred_language(request.headers.get("accept-language"))

    def refusal(index: int, zh: str, en: str) -> SellOutRowError:
        return SellOutRowError(row=index, error=en if lang == "en" else zh, error_en=en)

    value_errors: list[SellOutRowError] = []
    by_dealer: dict[str, list[tuple[int, SellOutRow]]] = {}
    for index, row in enumerate(rows):
        if _more_than_cents(row.amount):
            value_errors.append(refusal(index, f"金额最多两位小数：{row.amount}", f"amount: at most 2 decimals: {row.amount}"))
            continue
        by_dealer.setdefault(row.dealer.strip().upper(), []).append((index, row))

    async def store(uow: AbstractUnitOfWork) -> tuple[int, dict[str, Any]]:
        errors = list(value_errors)
        accepted = 0
        for code, group in by_dealer.items():
            not_found = (f"未找到经销商 {code}", f"Dealer {code} not found")
            dealer = await dealer_by_code(uow, code)
            if dealer is None or dealer.id is None:
                errors.extend(refusal(index, *not_found) for index, _ in group)
                continue
            commands = [sellout_cases.SellOutRow(sold_on=row.date, sku=row.sku, qty=row.qty, amount=str(row.amount),
                                                 province=row.province, city=row.city,
                                                 customer_type=row.customer_type) for _, row in group]
            try:
                report = await sellout_cases.stage_sellout(uow, actor, dealer.id, commands, clock)
            except NotFound:            # a key bound to another dealer: exactly like an unknown code
                errors.extend(refusal(index, *not_found) for index, _ in group)
                continue
            except PermissionDenied as exc:
                errors.extend(refusal(index, exc.message("zh"), exc.message("en")) for index, _ in group)
                continue
            accepted += report.accepted
            errors.extend(refusal(group[e.index][0], _strip_row(e.zh), _strip_row(e.en)) for e in report.errors)
        errors.sort(key=lambda e: e.row)
        result = SellOutResult(accepted=accepted, errors=errors)
        return (207 if errors else 200), result.model_dump(mode="json")

    key = await idempotency_key(request, uow_factory, idempotency_header, await request.json())
    return outcome_response(await run_once(uow_factory, key, store, clock))


@router.get("", response_model=Page[SellOutLinePublic], summary="Sell-out lines, newest sale first")
async def list_sellout(
    actor: SellOutRead,
    uow: UowDep,
    paging: Paging,
    dealer: Annotated[str | None, Query(description="dealer code")] = None,
    sku: Annotated[str | None, Query()] = None,
    since: Annotated[IsoDay | None, Query(description="sold on or after (YYYY-MM-DD)")] = None,
    until: Annotated[IsoDay | None, Query(description="sold on or before (YYYY-MM-DD)")] = None,
) -> Page[SellOutLinePublic]:
    """A key bound to a dealer sees only that dealer's lines."""
    filters: dict[str, Any] = {}
    if sku:
        filters["sku"] = sku
    if since:
        filters["sold_on__gte"] = since
    if until:
        filters["sold_on__lte"] = until
    empty = Page[SellOutLinePublic](items=[], total=0, limit=paging.limit, offset=paging.offset)
    async with uow:
        scoped = await dealer_filter(uow, actor, DealerRecord.SELLOUT, dealer, Permission.SELLOUT_READ_ALL)
        if scoped is None:
            return empty
        filters.update(scoped)
        lines = await uow.sellout.list(order_by="sold_on", desc=True, limit=paging.limit, offset=paging.offset,
                                       **filters)
        total = await uow.sellout.count(**filters)
        codes = await dealer_codes(uow, (ln.dealer_id for ln in lines))
    items = [SellOutLinePublic(dealer=codes.get(ln.dealer_id, ""), date=ln.sold_on, sku=ln.sku, qty=ln.qty,
                               amount=ln.amount, province=ln.province, city=ln.city,
                               customer_type=ln.customer_type.value, reported_at=ln.reported_at) for ln in lines]
    return Page[SellOutLinePublic](items=items, total=total, limit=paging.limit, offset=paging.offset)
