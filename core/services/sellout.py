"""Sell-out reporting: what a dealer sold to its customers, row by row.

Rows come from chat, a spreadsheet upload or an ERP over the API, so values arrive loosely typed.
Good rows are stored, bad rows come back with a reason in zh and en; one bad row does not lose the
others. ``RowError.index`` is the 0-based position in the submitted ``rows`` (a file importer adds
its header offset when it shows line numbers).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from core.auditing import record
from core.authz import DealerRecord, readable_dealers
from core.clock import Clock
from core.errors import NotFound, PermissionDenied, ValidationFailed
from core.money import ZERO, money
from core.ports import AbstractUnitOfWork
from core.sellout import CustomerType, SellOutLine
from core.users import Actor, ActorKind, Permission

CUSTOMER_TYPE_ALIASES: dict[str, CustomerType] = {
    "零售": CustomerType.RETAIL, "工程": CustomerType.PROJECT, "电商": CustomerType.ONLINE,
    "分销": CustomerType.SUBDEALER, **{t.value: t for t in CustomerType},
}


@dataclass(frozen=True)
class SellOutRow:
    sold_on: date | datetime | str
    sku: str
    qty: int | float | str
    amount: Decimal | int | float | str
    province: str = ""             # empty: the dealer's own province / city
    city: str = ""
    customer_type: CustomerType | str = CustomerType.RETAIL


@dataclass(frozen=True)
class RowError:
    index: int
    zh: str
    en: str

    def message(self, lang: str = "zh") -> str:
        return self.en if lang.lower().startswith("en") else self.zh


@dataclass
class SellOutReport:
    accepted: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def rejected(self) -> int:
        return len(self.errors)


class _RowInvalid(Exception):
    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh, self.en = zh, en


def _parse_date(value: date | datetime | str, clock: Clock) -> date:
    if isinstance(value, datetime):
        return value.astimezone(clock.tz).date() if value.tzinfo else value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y.%m.%d"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise _RowInvalid(f"日期格式错误：{value}", f"bad date: {value}")


def _parse_qty(value: int | float | str) -> int:
    try:
        if isinstance(value, bool):
            raise ValueError
        if isinstance(value, float):
            if not value.is_integer():
                raise ValueError
            qty = int(value)
        else:
            qty = int(str(value).strip())
    except ValueError:
        raise _RowInvalid(f"数量格式错误：{value}", f"bad quantity: {value}") from None
    if qty <= 0:
        raise _RowInvalid(f"数量须大于 0：{value}", f"quantity must be above 0: {value}")
    return qty


def _parse_amount(value: Decimal | int | float | str) -> Decimal:
    try:
        # spreadsheet cells arrive as floats; go through their shortest text form, not binary
        amount = money(str(value).strip().replace(",", "").lstrip("¥") if not isinstance(value, Decimal) else value)
    except (ValidationFailed, TypeError):
        raise _RowInvalid(f"金额格式错误：{value}", f"bad amount: {value}") from None
    if amount < ZERO:
        raise _RowInvalid(f"金额不能为负：{value}", f"amount must not be negative: {value}")
    return amount


def _parse_customer_type(value: CustomerType | str) -> CustomerType:
    if isinstance(value, CustomerType):
        return value
    found = CUSTOMER_TYPE_ALIASES.get(str(value).strip().lower()) or CUSTOMER_TYPE_ALIASES.get(str(value).strip())
    if found is None:
        raise _RowInvalid(f"客户类型未知：{value}（零售/工程/电商/分销）",
                          f"unknown customer type: {value} (retail/project/online/subdealer)")
    return found


def _require_writer(actor: Actor, dealer_id: int) -> None:
    """A dealer for itself (SELLOUT_REPORT); an API key with ``sellout:write`` for any or its bound dealer."""
    not_found = NotFound(zh=f"未找到经销商 {dealer_id}", en=f"Dealer {dealer_id} not found", what=str(dealer_id))
    if actor.kind == ActorKind.SYSTEM:
        return
    if actor.kind == ActorKind.DEALER:
        if actor.dealer_id != dealer_id:
            raise not_found
        if Permission.SELLOUT_REPORT not in actor.permissions:
            raise PermissionDenied()
        return
    if actor.kind == ActorKind.API:
        if actor.dealer_id not in (None, dealer_id):
            raise not_found
        if "sellout:write" not in actor.scopes:
            raise PermissionDenied()
        return
    raise PermissionDenied()


async def record_sellout(uow: AbstractUnitOfWork, actor: Actor, dealer_id: int, rows: Sequence[SellOutRow],
                         clock: Clock) -> SellOutReport:
    """Store the valid rows, report the others. Nothing valid: nothing written."""
    async with uow:
        report = await stage_sellout(uow, actor, dealer_id, rows, clock)
        if report.accepted:
            await uow.commit()
        return report


async def stage_sellout(uow: AbstractUnitOfWork, actor: Actor, dealer_id: int, rows: Sequence[SellOutRow],
                        clock: Clock) -> SellOutReport:
    """:func:`record_sellout` inside the caller's open unit of work; the caller commits.

    The API commits a whole batch (every dealer's rows) with its idempotency record in one transaction
    (``core.services.idempotency``). NotFound / PermissionDenied come before anything is staged."""
    _require_writer(actor, dealer_id)
    dealer = await uow.dealers.get(dealer_id)
    if dealer is None:
        raise NotFound(zh=f"未找到经销商 {dealer_id}", en=f"Dealer {dealer_id} not found", what=str(dealer_id))
    wanted = sorted({v for r in rows for v in (r.sku.strip(), r.sku.strip().upper(), r.sku.strip().lower())})
    known = {p.sku.casefold(): p.sku for p in await uow.products.list(sku__in=wanted)}
    today = clock.today()
    now = clock.now()
    report = SellOutReport()
    for index, row in enumerate(rows):
        try:
            sku = known.get(row.sku.strip().casefold())
            if sku is None:
                raise _RowInvalid(f"未知产品：{row.sku}", f"unknown product: {row.sku}")
            sold_on = _parse_date(row.sold_on, clock)
            if sold_on > today:
                raise _RowInvalid(f"销售日期 {sold_on} 晚于今天", f"sale date {sold_on} is in the future")
            line = SellOutLine(dealer_id=dealer_id, sold_on=sold_on, sku=sku, qty=_parse_qty(row.qty),
                               amount=_parse_amount(row.amount),
                               province=row.province.strip() or dealer.province,
                               city=row.city.strip() or dealer.city,
                               customer_type=_parse_customer_type(row.customer_type), reported_at=now)
        except _RowInvalid as bad:
            report.errors.append(RowError(index, f"第 {index + 1} 行：{bad.zh}", f"Row {index + 1}: {bad.en}"))
            continue
        await uow.sellout.add(line)
        report.accepted += 1
    if report.accepted:
        await record(uow, actor, "sellout.record", "dealer", dealer_id, clock,
                     after={"accepted": report.accepted, "rejected": report.rejected})
    return report


async def list_sellout(uow: AbstractUnitOfWork, actor: Actor, *, dealer_id: int | None = None,
                       since: date | None = None, until: date | None = None, sku: str | None = None,
                       limit: int = 500, offset: int = 0) -> list[SellOutLine]:
    """Sell-out lines, newest sale first; a dealer sees only its own and, a parent dealer, its sub-dealers'
    (``core.authz.readable_dealer_ids``; ``until`` is inclusive)."""
    async with uow:
        scope = await readable_dealers(uow, actor, DealerRecord.SELLOUT, all_permission=Permission.SELLOUT_READ_ALL)
        if actor.kind == ActorKind.API and "sellout:read" not in actor.scopes:
            raise PermissionDenied()
        if scope is not None and dealer_id is not None and dealer_id not in scope:
            return []
        filters: dict[str, Any] = {}
        if dealer_id is not None:
            filters["dealer_id"] = dealer_id
        elif scope is not None:
            filters["dealer_id__in"] = sorted(scope)
        if since is not None:
            filters["sold_on__gte"] = since
        if until is not None:
            filters["sold_on__lte"] = until
        if sku is not None:
            filters["sku"] = sku
        return await uow.sellout.list(order_by="sold_on", desc=True, limit=min(max(limit, 1), 5000),
                                      offset=max(offset, 0), **filters)
