"""/api/v1/sellout: dealers' sell-out lines — report a batch (row by row), read them back."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request
from fastapi.responses import JSONResponse
from pydantic import ValidationError

from admin.api.deps import ClockDep, IsoDay, Paging, SellOutRead, SellOutWrite, UowDep, UowFactoryDep
from admin.api.errors import ApiError, preferred_language
from admin.api.references import dealer_by_code, dealer_codes
from admin.api.schemas import ErrorBody, Page, SellOutLinePublic, SellOutResult, SellOutRow, SellOutRowError
from core.authz import dealer_scope
from core.errors import DomainError
from core.services import sellout as sellout_cases
from core.users import Permission

router = APIRouter(prefix="/sellout", tags=["sellout"])

MAX_ROWS = 5000
EXTRA_SCHEMAS = (SellOutRow,)
"""Models documented in the OpenAPI components although no route parses them directly."""

# the use case numbers rows within one dealer's batch; the API answers with the request's index
_ROW_PREFIX = re.compile(r"^(第 \d+ 行：|Row \d+: )")


def _strip_row(text: str) -> str:
    return _ROW_PREFIX.sub("", text, count=1)


def _shape_error(exc: ValidationError) -> tuple[str, str]:
    parts = [(".".join(str(p) for p in e["loc"]) or "row", e["msg"]) for e in exc.errors()]
    en = "; ".join(f"{field}: {msg}" for field, msg in parts)
    zh = "；".join(f"字段 {field} 有误（{msg}）" for field, msg in parts)
    return zh, en


@router.post(
    "", response_model=SellOutResult, summary="Report sell-out lines (a batch)",
    responses={207: {"model": SellOutResult, "description": "some rows were refused; the others are stored"},
               422: {"model": ErrorBody}},
    openapi_extra={"requestBody": {"required": True, "content": {"application/json": {"schema": {
        "type": "array", "maxItems": MAX_ROWS, "items": {"$ref": "#/components/schemas/SellOutRow"}}}}}},
)
async def post_sellout(
    request: Request,
    rows: Annotated[list[Any], Body(description="the rows: an array of SellOutRow")],
    actor: SellOutWrite,
    uow_factory: UowFactoryDep,
    clock: ClockDep,
) -> JSONResponse:
    """Each row is checked on its own (dealer known and visible to the key, SKU known, qty > 0, amount,
    date not in the future, customer type). Good rows are stored, one unit of work per dealer; bad rows come
    back as ``{"row": index, "error": ...}``. 200 when every row was accepted, 207 when some were not.
    A key bound to a dealer may report only for that dealer.
    """
    if len(rows) > MAX_ROWS:
        raise ApiError(422, "validation_failed", f"输入有误：一次最多 {MAX_ROWS} 行",
                       f"Invalid input: at most {MAX_ROWS} rows per request")
    lang = preferred_language(request.headers.get("accept-language"))
    errors: list[SellOutRowError] = []

    def refuse(index: int, zh: str, en: str) -> None:
        errors.append(SellOutRowError(row=index, error=en if lang == "en" else zh, error_en=en))

    by_dealer: dict[str, list[tuple[int, SellOutRow]]] = {}
    for index, raw in enumerate(rows):
        try:
            row = SellOutRow.model_validate(raw)
        except ValidationError as exc:
            refuse(index, *_shape_error(exc))
            continue
        by_dealer.setdefault(row.dealer.strip().upper(), []).append((index, row))

    accepted = 0
    for code, group in by_dealer.items():
        async with uow_factory() as uow:
            dealer = await dealer_by_code(uow, code)
        if dealer is None or dealer.id is None:
            for index, _ in group:
                refuse(index, f"未找到经销商 {code}", f"Dealer {code} not found")
            continue
        commands = [sellout_cases.SellOutRow(sold_on=row.date, sku=row.sku, qty=row.qty, amount=str(row.amount),
                                             province=row.province, city=row.city,
                                             customer_type=row.customer_type) for _, row in group]
        try:
            report = await sellout_cases.record_sellout(uow_factory(), actor, dealer.id, commands, clock)
        except DomainError as exc:      # e.g. a key bound to another dealer: NotFound, like an unknown code
            for index, _ in group:
                refuse(index, exc.message("zh"), exc.message("en"))
            continue
        accepted += report.accepted
        for row_error in report.errors:
            refuse(group[row_error.index][0], _strip_row(row_error.zh), _strip_row(row_error.en))

    errors.sort(key=lambda e: e.row)
    result = SellOutResult(accepted=accepted, errors=errors)
    return JSONResponse(result.model_dump(mode="json"), status_code=207 if errors else 200)


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
        scope = dealer_scope(actor, all_permission=Permission.SELLOUT_READ_ALL)
        if dealer:
            found = await dealer_by_code(uow, dealer)
            if found is None or (scope is not None and found.id != scope):
                return empty
            filters["dealer_id"] = found.id
        elif scope is not None:
            filters["dealer_id"] = scope
        lines = await uow.sellout.list(order_by="sold_on", desc=True, limit=paging.limit, offset=paging.offset,
                                       **filters)
        total = await uow.sellout.count(**filters)
        codes = await dealer_codes(uow, (ln.dealer_id for ln in lines))
    items = [SellOutLinePublic(dealer=codes.get(ln.dealer_id, ""), date=ln.sold_on, sku=ln.sku, qty=ln.qty,
                               amount=ln.amount, province=ln.province, city=ln.city,
                               customer_type=ln.customer_type.value, reported_at=ln.reported_at) for ln in lines]
    return Page[SellOutLinePublic](items=items, total=total, limit=paging.limit, offset=paging.offset)
