"""Row validation (pure): a header and rows of cells in, validated records and per-row errors out."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from core.dealers import (
    DocumentType,
    ReviewStatus,
)
from core.errors import DomainError
from core.migration.cells import (
    _CUSTOMER_LABELS,
    _DOC_LABELS,
    _REVIEW_LABELS,
    _Bad,
    _choice,
    _code,
    _required,
    _text,
    parse_aliases,
    parse_bool,
    parse_date,
    parse_int,
    parse_money,
    parse_phone,
    parse_status,
    parse_tier,
    parse_uscc,
)
from core.migration.columns import (
    FIRST_DATA_ROW,
    KIND_HEADER_ALIASES,
    SPECS,
    Cell,
    DuplicateColumn,
    EmptyFile,
    ImportKind,
    MissingColumns,
    RowError,
    normalize_header,
)
from core.migration.records import (
    ContactRecord,
    DealerRecord,
    HistoricalOrderRecord,
    OrderLineRecord,
    PriceRecord,
    ProductRecord,
    QualificationRecord,
    SellOutRecord,
    StockRecord,
    ValidationResult,
)
from core.orders import ORDER_STATUS_LABELS, OrderStatus
from core.products import LINE_QTY_CEILING, check_line_quantities
from core.sellout import CustomerType

# --- validation ------------------------------------------------------------------------------------


def _columns(kind: ImportKind, header: Sequence[object]) -> list[str]:
    local = KIND_HEADER_ALIASES.get(kind, {})
    names = [local.get(str(h or "").replace("\ufeff", "").strip()) or normalize_header(h) for h in header]
    if not any(names):
        raise EmptyFile()
    seen: set[str] = set()
    for n in names:
        if n and n in seen:
            raise DuplicateColumn(column=n)
        seen.add(n)
    spec = SPECS[kind]
    missing = [c for c in spec.required if c not in seen]
    if missing:
        raise MissingColumns(columns=", ".join(missing), expected=",".join(spec.all))
    return names


def _rows(names: list[str], rows: Iterable[Sequence[Cell]],
          first_row: int) -> Iterable[tuple[int, dict[str, Cell]]]:
    for offset, row in enumerate(rows):
        cells = {n: (row[i] if i < len(row) else None) for i, n in enumerate(names) if n}
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in cells.values()):
            continue
        yield first_row + offset, cells


def _validate(kind: ImportKind, header: Sequence[object], rows: Iterable[Sequence[Cell]], first_row: int,
              build: Any, key: Any) -> ValidationResult[Any]:
    names = _columns(kind, header)
    result: ValidationResult[Any] = ValidationResult()
    first_seen: dict[Any, int] = {}
    for number, cells in _rows(names, rows, first_row):
        result.rows_read += 1
        problems: list[_Bad] = []
        rec = build(number, cells, problems)
        if problems:
            result.errors.append(RowError(number, "；".join(p.zh for p in problems),
                                          "; ".join(p.en for p in problems)))
            continue
        k = key(rec)
        if k in first_seen:
            shown = rec.label
            result.errors.append(RowError(number, f"{shown} 与第 {first_seen[k]} 行重复",
                                          f"{shown} duplicates row {first_seen[k]}"))
            continue
        first_seen[k] = number
        result.records.append(rec)
    return result


def _collect(problems: list[_Bad], fn: Any, *args: Any, **kwargs: Any) -> Any:
    try:
        return fn(*args, **kwargs)
    except _Bad as bad:
        problems.append(bad)
        return None


def _max_line_qty(cell: Cell, moq: int) -> int:
    value = parse_int(cell, "max_line_qty", minimum=1)
    try:
        check_line_quantities(moq, value)
    except DomainError as exc:
        raise _Bad(exc.message("zh"), exc.message("en")) from exc
    return value


def validate_products(header: Sequence[object], rows: Iterable[Sequence[Cell]],
                      *, first_row: int = FIRST_DATA_ROW) -> ValidationResult[ProductRecord]:
    def build(number: int, c: Mapping[str, Cell], problems: list[_Bad]) -> ProductRecord | None:
        values = {
            "sku": _collect(problems, _code, c, "sku"),
            "name": _collect(problems, _required, c, "name"),
            "aliases": _collect(problems, parse_aliases, c.get("aliases")),
            "category": _collect(problems, _required, c, "category", max_len=64),
            "unit": _collect(problems, _required, c, "unit", max_len=16),
            "list_price": _collect(problems, parse_money, c.get("list_price"), "list_price"),
            "pack_size": _collect(problems, parse_int, c.get("pack_size"), "pack_size", minimum=1, default=1),
            "moq": _collect(problems, parse_int, c.get("moq"), "moq", minimum=1, maximum=LINE_QTY_CEILING,
                            default=1),
            "active": _collect(problems, parse_bool, c.get("active"), "active"),
            "has_max_line_qty": "max_line_qty" in c,
        }
        if _text(c.get("max_line_qty")):
            values["max_line_qty"] = _collect(problems, _max_line_qty, c.get("max_line_qty"), values["moq"] or 1)
        return None if problems else ProductRecord(row=number, **values)

    return _validate(ImportKind.PRODUCTS, header, rows, first_row, build, lambda r: r.sku.upper())


def validate_dealers(header: Sequence[object], rows: Iterable[Sequence[Cell]],
                     *, first_row: int = FIRST_DATA_ROW) -> ValidationResult[DealerRecord]:
    def build(number: int, c: Mapping[str, Cell], problems: list[_Bad]) -> DealerRecord | None:
        code = _collect(problems, _code, c, "code")
        parent = _text(c.get("parent_code")) or None
        if parent is not None and parent == code:
            problems.append(_Bad("parent_code 不能是经销商自己", "parent_code must not be the dealer itself"))
        contact_name = _text(c.get("contact_name")) or None
        phone_cell = _text(c.get("contact_phone"))
        phone = _collect(problems, parse_phone, phone_cell, "contact_phone") if phone_cell else None
        if phone and not contact_name:
            problems.append(_Bad("填写了 contact_phone 时 contact_name 不能为空",
                                 "contact_name is required when contact_phone is given"))
        if contact_name and not phone_cell:
            problems.append(_Bad("填写了 contact_name 时 contact_phone 不能为空",
                                 "contact_phone is required when contact_name is given"))
        credit_cell = c.get("credit_limit")
        credit = (_collect(problems, parse_money, credit_cell, "credit_limit")
                  if _text(credit_cell) else Decimal("0.00"))
        values = {
            "code": code,
            "name": _collect(problems, _required, c, "name"),
            "uscc": _collect(problems, parse_uscc, c.get("uscc")),
            "province": _collect(problems, _required, c, "province", max_len=32),
            "city": _collect(problems, _required, c, "city", max_len=32),
            "region": _collect(problems, _required, c, "region", max_len=32),
            "tier": _collect(problems, parse_tier, c.get("tier")),
            "parent_code": parent,
            "credit_limit": credit,
            "contact_name": contact_name,
            "contact_phone": phone,
            "contact_role": _text(c.get("contact_role")),
            "status": _collect(problems, parse_status, c.get("status")),
        }
        return None if problems else DealerRecord(row=number, **values)

    result: ValidationResult[DealerRecord] = _validate(ImportKind.DEALERS, header, rows, first_row, build,
                                                       lambda r: r.code.upper())
    first_uscc: dict[str, int] = {}
    kept: list[DealerRecord] = []
    for rec in result.records:
        if rec.uscc in first_uscc:
            result.errors.append(RowError(rec.row, f"统一社会信用代码 {rec.uscc} 与第 {first_uscc[rec.uscc]} 行重复",
                                          f"USCC {rec.uscc} duplicates row {first_uscc[rec.uscc]}"))
            continue
        first_uscc[rec.uscc] = rec.row
        kept.append(rec)
    result.records = kept
    result.errors.sort(key=lambda e: e.row)
    return result


def validate_stock(header: Sequence[object], rows: Iterable[Sequence[Cell]],
                   *, first_row: int = FIRST_DATA_ROW) -> ValidationResult[StockRecord]:
    def build(number: int, c: Mapping[str, Cell], problems: list[_Bad]) -> StockRecord | None:
        values = {
            "warehouse": _collect(problems, _code, c, "warehouse"),
            "sku": _collect(problems, _code, c, "sku"),
            "on_hand": _collect(problems, parse_int, c.get("on_hand"), "on_hand", minimum=0),
        }
        return None if problems else StockRecord(row=number, **values)

    return _validate(ImportKind.STOCK, header, rows, first_row, build,
                     lambda r: (r.warehouse.upper(), r.sku.upper()))




def validate_contacts(header: Sequence[object], rows: Iterable[Sequence[Cell]],
                      *, first_row: int = FIRST_DATA_ROW) -> ValidationResult[ContactRecord]:
    def build(number: int, c: Mapping[str, Cell], problems: list[_Bad]) -> ContactRecord | None:
        values = {
            "dealer_code": _collect(problems, _code, c, "dealer_code"),
            "name": _collect(problems, _required, c, "name", max_len=64),
            "phone": _collect(problems, parse_phone, c.get("phone"), "phone"),
            "role": _text(c.get("role"))[:32],
        }
        return None if problems else ContactRecord(row=number, **values)

    return _validate(ImportKind.CONTACTS, header, rows, first_row, build,
                     lambda r: (r.dealer_code.upper(), r.phone))


def validate_qualifications(header: Sequence[object], rows: Iterable[Sequence[Cell]],
                            *, first_row: int = FIRST_DATA_ROW) -> ValidationResult[QualificationRecord]:
    def build(number: int, c: Mapping[str, Cell], problems: list[_Bad]) -> QualificationRecord | None:
        issued = _collect(problems, parse_date, c.get("issued_on"), "issued_on", required=False)
        expires = _collect(problems, parse_date, c.get("expires_on"), "expires_on", required=False)
        if issued and expires and expires < issued:
            problems.append(_Bad("expires_on 早于 issued_on", "expires_on is before issued_on"))
        values = {
            "dealer_code": _collect(problems, _code, c, "dealer_code"),
            "doc_type": _collect(problems, _choice, c.get("doc_type"), "doc_type", _DOC_LABELS, DocumentType),
            "number": _collect(problems, _required, c, "number", max_len=64),
            "issued_on": issued,
            "expires_on": expires,
            "status": _collect(problems, _choice, c.get("status"), "status", _REVIEW_LABELS, ReviewStatus,
                               ReviewStatus.APPROVED),
        }
        return None if problems else QualificationRecord(row=number, **values)

    return _validate(ImportKind.QUALIFICATIONS, header, rows, first_row, build,
                     lambda r: (r.dealer_code.upper(), r.doc_type, r.number))


def validate_prices(header: Sequence[object], rows: Iterable[Sequence[Cell]],
                    *, first_row: int = FIRST_DATA_ROW) -> ValidationResult[PriceRecord]:
    def build(number: int, c: Mapping[str, Cell], problems: list[_Bad]) -> PriceRecord | None:
        tier_cell, dealer = _text(c.get("tier")), _text(c.get("dealer_code")) or None
        tier = _collect(problems, parse_tier, tier_cell) if tier_cell else None
        if bool(tier_cell) == bool(dealer):
            problems.append(_Bad("tier 与 dealer_code 须且只能填写一个",
                                 "give exactly one of tier (tier price) or dealer_code (dealer price)"))
        values = {
            "sku": _collect(problems, _code, c, "sku"),
            "price": _collect(problems, parse_money, c.get("price"), "price"),
            "tier": tier,
            "dealer_code": dealer,
        }
        return None if problems else PriceRecord(row=number, **values)

    return _validate(ImportKind.PRICES, header, rows, first_row, build,
                     lambda r: (r.tier or "", (r.dealer_code or "").upper(), r.sku.upper()))


def validate_orders(header: Sequence[object], rows: Iterable[Sequence[Cell]],
                    *, first_row: int = FIRST_DATA_ROW) -> ValidationResult[HistoricalOrderRecord]:
    """One row per order line; rows with the same order_number form one order and must agree on its
    dealer, date and status. A bad line refuses its whole order (a half order would be wrong history)."""

    order_of_row: dict[int, str] = {}

    def build(number: int, c: Mapping[str, Cell], problems: list[_Bad]) -> OrderLineRecord | None:
        order_of_row[number] = _text(c.get("order_number"))
        discount = c.get("discount")
        values = {
            "order_number": _collect(problems, _code, c, "order_number"),
            "dealer_code": _collect(problems, _code, c, "dealer_code"),
            "order_date": _collect(problems, parse_date, c.get("order_date"), "order_date"),
            "status": _collect(problems, _choice, c.get("status"), "status",
                               {zh: s for s, (zh, _en) in ORDER_STATUS_LABELS.items()}, OrderStatus),
            "sku": _collect(problems, _code, c, "sku"),
            # as they were, so not today's per-product line limit; but never an absurd number
            "qty": _collect(problems, parse_int, c.get("qty"), "qty", minimum=1, maximum=LINE_QTY_CEILING),
            "unit_price": _collect(problems, parse_money, c.get("unit_price"), "unit_price"),
            "product_name": _text(c.get("product_name"))[:200],
            "free_qty": _collect(problems, parse_int, c.get("free_qty"), "free_qty", default=0),
            "discount": (_collect(problems, parse_money, discount, "discount") if _text(discount)
                         else Decimal("0.00")),
        }
        return None if problems else OrderLineRecord(row=number, **values)

    lines: ValidationResult[OrderLineRecord] = _validate(
        ImportKind.ORDERS, header, rows, first_row, build, lambda r: (r.order_number.upper(), r.sku.upper()))
    bad_orders = {order_of_row[e.row] for e in lines.errors if order_of_row.get(e.row)}
    groups: dict[str, list[OrderLineRecord]] = {}
    for line in lines.records:
        groups.setdefault(line.order_number, []).append(line)
    result: ValidationResult[HistoricalOrderRecord] = ValidationResult(errors=lines.errors,
                                                                       rows_read=lines.rows_read)
    for number, group in groups.items():
        first = group[0]
        for other in group[1:]:
            if (other.dealer_code, other.order_date, other.status) != (
                    first.dealer_code, first.order_date, first.status):
                result.errors.append(RowError(
                    other.row, f"订单 {number} 的经销商/日期/状态与第 {first.row} 行不一致",
                    f"order {number}: dealer/date/status differ from row {first.row}"))
                bad_orders.add(number)
        if number in bad_orders:
            for line in group:
                if not any(e.row == line.row for e in result.errors):
                    result.errors.append(RowError(line.row, f"订单 {number} 有错误行，整单未导入",
                                                  f"order {number} has a bad row: the whole order is skipped"))
            continue
        result.records.append(HistoricalOrderRecord(row=first.row, number=number, dealer_code=first.dealer_code,
                                                    order_date=first.order_date, status=first.status,
                                                    lines=tuple(group)))
    result.errors.sort(key=lambda e: e.row)
    return result


def validate_sellout(header: Sequence[object], rows: Iterable[Sequence[Cell]],
                     *, first_row: int = FIRST_DATA_ROW) -> ValidationResult[SellOutRecord]:
    def build(number: int, c: Mapping[str, Cell], problems: list[_Bad]) -> SellOutRecord | None:
        values = {
            "dealer_code": _collect(problems, _code, c, "dealer_code"),
            "sold_on": _collect(problems, parse_date, c.get("sold_on"), "sold_on"),
            "sku": _collect(problems, _code, c, "sku"),
            "qty": _collect(problems, parse_int, c.get("qty"), "qty", minimum=1),
            "amount": _collect(problems, parse_money, c.get("amount"), "amount"),
            "city": _collect(problems, _required, c, "city", max_len=32),
            "province": _text(c.get("province"))[:32],
            "customer_type": _collect(problems, _choice, c.get("customer_type"), "customer_type",
                                      _CUSTOMER_LABELS, CustomerType, CustomerType.RETAIL),
        }
        return None if problems else SellOutRecord(row=number, **values)

    return _validate(ImportKind.SELLOUT, header, rows, first_row, build, lambda r: r.key)


VALIDATORS: dict[ImportKind, Any] = {
    ImportKind.PRODUCTS: validate_products,
    ImportKind.DEALERS: validate_dealers,
    ImportKind.STOCK: validate_stock,
    ImportKind.CONTACTS: validate_contacts,
    ImportKind.QUALIFICATIONS: validate_qualifications,
    ImportKind.PRICES: validate_prices,
    ImportKind.ORDERS: validate_orders,
    ImportKind.SELLOUT: validate_sellout,
}
