"""Bulk import (data migration) from spreadsheet rows: products, dealers, maker stock, contacts,
qualifications, price lists, historical orders and sell-out.

Keys (re-importing a file changes nothing): products by sku; dealers by code; stock by warehouse + sku;
contacts by dealer code + phone; qualifications by dealer code + doc type + number; prices by tier or
dealer code + sku; historical orders by order number (rows with the same number are one order's
lines); sell-out by the natural key (dealer, date, sku, qty, amount, city). Historical orders are
written as they were and touch neither stock nor the ledger (see ``import_historical_orders``).

Two steps, so that a file can be checked without touching anything:

1. ``validate_products`` / ``validate_dealers`` / ``validate_stock`` are pure: a header and rows of
   cells in, validated records and per-row errors out. A missing required column fails the whole
   file (``MissingColumns``); a bad row is reported and skipped.
2. ``import_products`` / ``import_dealers`` / ``import_stock`` are use cases: they upsert the records
   by their key in one unit of work, write an audit entry per created or changed thing and commit
   once. Records equal to what is stored change nothing, so re-importing a file is a no-op.
   ``import_table`` runs both steps; with ``strict`` any bad row means nothing is written.

Row numbers are spreadsheet row numbers: the header is row 1, the first data row is row 2, so the
number a user reads in an error is the number Excel shows. Blank rows are skipped but still counted.

Cells arrive as text (``bot.tabular`` converts spreadsheet cells); ints and Decimals are accepted
too, floats never: money read through a float is not money.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any, Generic, TypeVar

from core import authz
from core.auditing import record, snapshot
from core.clock import Clock
from core.dealer_flow import DEALER_TIERS, STATUS_LABELS
from core.dealers import (
    DOCUMENT_LABELS,
    Contact,
    Dealer,
    DealerStatus,
    DocumentType,
    Qualification,
    ReviewStatus,
)
from core.errors import DomainError, ValidationFailed
from core.inventory import StockLevel
from core.masking import mask_phone
from core.orders import ORDER_STATUS_LABELS, Order, OrderEvent, OrderLine, OrderStatus
from core.ports import AbstractUnitOfWork
from core.products import LINE_QTY_CEILING, DealerPrice, Product, TierPrice, check_line_quantities
from core.sellout import CustomerType, SellOutLine
from core.uscc import validate_uscc
from core.users import Actor, Permission

Cell = str | int | Decimal | None
R = TypeVar("R")

FIRST_DATA_ROW = 2


class ImportKind(StrEnum):
    PRODUCTS = "products"
    DEALERS = "dealers"
    STOCK = "stock"
    CONTACTS = "contacts"
    QUALIFICATIONS = "qualifications"
    PRICES = "prices"
    ORDERS = "orders"
    SELLOUT = "sellout"


class MissingColumns(ValidationFailed):
    """The header lacks required columns: the whole file is refused."""

    code = "missing_columns"
    zh = "文件缺少必需的列：{columns}（表头应为：{expected}）"
    en = "The file is missing required columns: {columns} (expected header: {expected})"


class EmptyFile(ValidationFailed):
    code = "empty_file"
    zh = "文件为空：第一行应为表头"
    en = "The file is empty: the first row must be the header"


class DuplicateColumn(ValidationFailed):
    code = "duplicate_column"
    zh = "表头中的列重复：{column}"
    en = "The header repeats the column {column}"


@dataclass(frozen=True)
class RowError:
    """Why one row was refused; ``row`` is the spreadsheet row number (header = 1)."""

    row: int
    zh: str
    en: str

    def message(self, lang: str = "zh") -> str:
        if lang.lower().startswith("en"):
            return f"row {self.row}: {self.en}"
        return f"第 {self.row} 行：{self.zh}"

    def __str__(self) -> str:
        return f"第 {self.row} 行：{self.zh}（row {self.row}: {self.en}）"


@dataclass(frozen=True)
class ColumnSpec:
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()

    @property
    def all(self) -> tuple[str, ...]:
        return self.required + self.optional


SPECS: dict[ImportKind, ColumnSpec] = {
    ImportKind.PRODUCTS: ColumnSpec(
        required=("sku", "name", "aliases", "category", "unit", "list_price"),
        optional=("pack_size", "moq", "active", "max_line_qty"),
    ),
    ImportKind.DEALERS: ColumnSpec(
        required=("code", "name", "uscc", "province", "city", "region", "tier"),
        optional=("parent_code", "credit_limit", "contact_name", "contact_phone", "contact_role", "status"),
    ),
    ImportKind.STOCK: ColumnSpec(required=("warehouse", "sku", "on_hand")),
    ImportKind.CONTACTS: ColumnSpec(required=("dealer_code", "name", "phone"), optional=("role",)),
    ImportKind.QUALIFICATIONS: ColumnSpec(required=("dealer_code", "doc_type", "number"),
                                          optional=("issued_on", "expires_on", "status")),
    ImportKind.PRICES: ColumnSpec(required=("sku", "price"), optional=("tier", "dealer_code")),
    # the same columns as ``dms export orders`` / ``dms export sellout`` write (extra ones are ignored)
    ImportKind.ORDERS: ColumnSpec(required=("order_number", "order_date", "dealer_code", "status", "sku", "qty",
                                            "unit_price"),
                                  optional=("product_name", "free_qty", "discount")),
    ImportKind.SELLOUT: ColumnSpec(required=("sold_on", "dealer_code", "sku", "qty", "amount", "city"),
                                   optional=("province", "customer_type")),
}

# Chinese headers that mean something else in one kind of file (数量 is on_hand in a stock file).
KIND_HEADER_ALIASES: dict[ImportKind, dict[str, str]] = {
    ImportKind.CONTACTS: {"经销商编码": "dealer_code", "姓名": "name", "联系人": "name", "电话": "phone",
                          "手机": "phone", "联系电话": "phone", "职务": "role"},
    ImportKind.QUALIFICATIONS: {"经销商编码": "dealer_code", "证照类型": "doc_type", "证件类型": "doc_type",
                                "证照编号": "number", "证件号码": "number", "发证日期": "issued_on",
                                "到期日期": "expires_on", "有效期至": "expires_on", "状态": "status"},
    ImportKind.PRICES: {"编码": "sku", "产品编码": "sku", "价格": "price", "单价": "price", "等级": "tier",
                        "经销商编码": "dealer_code"},
    ImportKind.ORDERS: {"订单号": "order_number", "下单日期": "order_date", "经销商编码": "dealer_code",
                        "状态": "status", "产品编码": "sku", "产品名称": "product_name", "数量": "qty",
                        "赠品数量": "free_qty", "单价": "unit_price", "折扣": "discount"},
    ImportKind.SELLOUT: {"销售日期": "sold_on", "经销商编码": "dealer_code", "产品编码": "sku", "数量": "qty",
                         "金额": "amount", "省份": "province", "城市": "city", "客户类型": "customer_type"},
}

# Chinese headers a user may type instead of the English ones.
HEADER_ALIASES: dict[str, str] = {
    "编码": "sku", "产品编码": "sku", "型号": "sku", "物料编码": "sku",
    "名称": "name", "产品名称": "name", "经销商名称": "name", "公司名称": "name",
    "别名": "aliases", "品类": "category", "类别": "category", "单位": "unit",
    "价格": "list_price", "标准价": "list_price", "指导价": "list_price", "零售价": "list_price",
    "箱规": "pack_size", "起订量": "moq", "启用": "active", "上架": "active",
    "单行上限": "max_line_qty", "每单上限": "max_line_qty",
    "经销商编码": "code", "统一社会信用代码": "uscc", "信用代码": "uscc",
    "省份": "province", "省": "province", "城市": "city", "市": "city", "大区": "region", "区域": "region",
    "等级": "tier", "级别": "tier", "上级编码": "parent_code", "上级经销商": "parent_code",
    "信用额度": "credit_limit", "联系人": "contact_name", "联系电话": "contact_phone", "电话": "contact_phone",
    "手机": "contact_phone", "职务": "contact_role", "状态": "status",
    "仓库": "warehouse", "仓库编码": "warehouse", "库存": "on_hand", "在库数量": "on_hand", "数量": "on_hand",
}


# Per-kind text for the Excel templates' instruction sheet: column -> (zh, en). Required columns first.
COLUMN_HELP: dict[ImportKind, dict[str, tuple[str, str]]] = {
    ImportKind.PRODUCTS: {
        "sku": ("产品编码，唯一", "product code, unique"), "name": ("产品名称", "product name"),
        "aliases": ("别名，用分号分隔", "aliases, ;-separated"), "category": ("品类", "category"),
        "unit": ("单位，如 台/箱", "unit, e.g. 台/箱"), "list_price": ("指导价，最多两位小数", "list price, 2 decimals"),
        "pack_size": ("箱规，正整数，默认 1", "pack size, default 1"), "moq": ("起订量，默认 1", "minimum order qty"),
        "active": ("是/否，默认 是", "yes/no, default yes"),
        "max_line_qty": (f"单行上限：一个订单行最多多少（单位同 unit，不低于起订量），留空为默认 箱规×1000（最多 {LINE_QTY_CEILING}）",
                         f"most units on one order line (not below moq); empty: pack size x 1000 "
                         f"(at most {LINE_QTY_CEILING})")},
    ImportKind.DEALERS: {
        "code": ("经销商编码，唯一", "dealer code, unique"), "name": ("公司名称", "company name"),
        "uscc": ("18位统一社会信用代码", "18-character USCC"), "province": ("省份", "province"),
        "city": ("城市", "city"), "region": ("大区", "region"), "tier": ("等级 A/B/C", "tier A/B/C"),
        "parent_code": ("上级经销商编码", "parent dealer code"), "credit_limit": ("信用额度", "credit limit"),
        "contact_name": ("联系人", "contact name"), "contact_phone": ("联系电话", "contact phone"),
        "contact_role": ("职务", "contact role"), "status": ("状态，留空不变", "status, empty: unchanged")},
    ImportKind.STOCK: {
        "warehouse": ("仓库编码或名称", "warehouse code or name"), "sku": ("产品编码（须已存在）", "existing sku"),
        "on_hand": ("在库数量，非负整数", "on hand, whole number >= 0")},
    ImportKind.CONTACTS: {
        "dealer_code": ("经销商编码（须已存在）", "existing dealer code"), "name": ("姓名", "name"),
        "phone": ("手机或座机；经销商编码+电话 为唯一键", "mobile or landline; dealer code + phone is the key"),
        "role": ("职务，如 老板/采购/财务", "role, e.g. owner/buyer/finance")},
    ImportKind.QUALIFICATIONS: {
        "dealer_code": ("经销商编码（须已存在）", "existing dealer code"),
        "doc_type": ("证照类型：business_license/operating_permit/authorization/tax_registration/other 或 营业执照 等",
                     "document type (value or Chinese label)"),
        "number": ("证照编号；经销商+类型+编号 为唯一键", "document number; dealer + type + number is the key"),
        "issued_on": ("发证日期 YYYY-MM-DD", "issue date"), "expires_on": ("到期日期，留空为长期", "expiry, empty: never"),
        "status": ("approved/pending/rejected，默认 approved（旧系统已审核）", "review status, default approved")},
    ImportKind.PRICES: {
        "sku": ("产品编码（须已存在）", "existing sku"), "price": ("价格，最多两位小数", "price, 2 decimals"),
        "tier": ("等级价：填等级 A/B/C", "tier price: the tier"),
        "dealer_code": ("经销商专属价：填经销商编码（tier 与 dealer_code 二选一）",
                        "dealer price: the dealer code (exactly one of tier / dealer_code)")},
    ImportKind.ORDERS: {
        "order_number": ("订单号；同一订单号的多行为同一订单的明细", "order number; rows sharing it are one order"),
        "order_date": ("下单日期 YYYY-MM-DD", "order date"), "dealer_code": ("经销商编码", "dealer code"),
        "status": ("状态，如 closed/已完成；原样导入，不影响库存与往来账", "status, imported as-is; no stock or ledger"),
        "sku": ("产品编码", "sku"), "qty": ("数量，正整数", "quantity"), "unit_price": ("单价", "unit price"),
        "product_name": ("产品名称（产品不在系统中时必填）", "name, required for a sku not in dms"),
        "free_qty": ("赠品数量", "free units"), "discount": ("折扣金额", "discount amount")},
    ImportKind.SELLOUT: {
        "sold_on": ("销售日期 YYYY-MM-DD", "date sold"), "dealer_code": ("经销商编码", "dealer code"),
        "sku": ("产品编码", "sku"), "qty": ("数量", "quantity"), "amount": ("金额", "amount"),
        "city": ("城市；经销商+日期+编码+数量+金额+城市 为唯一键，同日同城相同销售请合并为一行",
                 "city; (dealer, date, sku, qty, amount, city) is the key: sum identical sales into one row"),
        "province": ("省份，默认经销商所在省", "province, default the dealer's"),
        "customer_type": ("retail/project/online/subdealer 或 零售/工程/电商/分销", "customer type")},
}


def normalize_header(name: object) -> str:
    """``" List Price\\ufeff"`` -> ``list_price``; Chinese aliases map to the English column."""
    text = str(name or "").replace("\ufeff", "").strip()
    if text in HEADER_ALIASES:
        return HEADER_ALIASES[text]
    return re.sub(r"[\s\-]+", "_", text.lower())


# --- records ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProductRecord:
    row: int
    sku: str
    name: str
    aliases: tuple[str, ...]
    category: str
    unit: str
    list_price: Decimal
    pack_size: int = 1
    moq: int = 1
    active: bool = True
    max_line_qty: int | None = None
    has_max_line_qty: bool = False    # the file has the column: an empty cell sets the default back

    @property
    def label(self) -> str:
        return self.sku

    def fields(self) -> dict[str, Any]:
        """What the row sets; a file without ``max_line_qty`` leaves the stored one alone."""
        values = {"name": self.name, "aliases": list(self.aliases), "category": self.category,
                  "unit": self.unit, "list_price": self.list_price, "pack_size": self.pack_size,
                  "moq": self.moq, "active": self.active}
        if self.has_max_line_qty:
            values["max_line_qty"] = self.max_line_qty
        return values


@dataclass(frozen=True)
class DealerRecord:
    row: int
    code: str
    name: str
    uscc: str
    province: str
    city: str
    region: str
    tier: str
    parent_code: str | None = None
    credit_limit: Decimal = Decimal("0.00")
    contact_name: str | None = None
    contact_phone: str | None = None
    contact_role: str = ""
    status: DealerStatus | None = None   # None: prospect for a new dealer, unchanged for a known one

    @property
    def label(self) -> str:
        return self.code

    def fields(self) -> dict[str, Any]:
        data: dict[str, Any] = {"name": self.name, "uscc": self.uscc, "province": self.province,
                                "city": self.city, "region": self.region, "tier": self.tier,
                                "credit_limit": self.credit_limit}
        if self.status is not None:
            data["status"] = self.status
        return data


@dataclass(frozen=True)
class StockRecord:
    row: int
    warehouse: str
    sku: str
    on_hand: int

    @property
    def label(self) -> str:
        return f"{self.warehouse}/{self.sku}"


@dataclass
class ValidationResult(Generic[R]):
    records: list[R] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    rows_read: int = 0          # non-blank data rows

    @property
    def ok(self) -> bool:
        return not self.errors


# --- cell parsing ----------------------------------------------------------------------------------


class _Bad(Exception):
    """One cell is wrong; collected into the row's RowError."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh = zh
        self.en = en


_MONEY = re.compile(r"^\d+(\.\d+)?$")
_INT = re.compile(r"^[+]?\d+(\.0+)?$")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}\d{7,8}$")
_TRUE = {"1", "true", "yes", "y", "t", "是", "启用", "上架", "有效"}
_FALSE = {"0", "false", "no", "n", "f", "否", "停用", "下架", "无效"}
_STATUS_LABELS: dict[str, DealerStatus] = {
    "潜在": DealerStatus.PROSPECT, "意向": DealerStatus.PROSPECT, "审核中": DealerStatus.UNDER_REVIEW,
    "合作中": DealerStatus.ACTIVE, "正常": DealerStatus.ACTIVE, "启用": DealerStatus.ACTIVE,
    "暂停": DealerStatus.SUSPENDED, "终止": DealerStatus.TERMINATED,
}


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float):
        raise _Bad("数值不能是浮点数，请以文本填写", "numbers must not be floats; write them as text")
    return str(cell).strip()


def _required(cells: Mapping[str, Cell], column: str, *, max_len: int = 200) -> str:
    value = _text(cells.get(column))
    if not value:
        raise _Bad(f"{column} 不能为空", f"{column} must not be empty")
    if len(value) > max_len:
        raise _Bad(f"{column} 超过 {max_len} 个字符", f"{column} is longer than {max_len} characters")
    return value


def parse_money(cell: Cell, column: str) -> Decimal:
    """A non-negative amount with at most 2 decimals: ``1299``, ``1299.5``, ``¥1,299.00``."""
    if isinstance(cell, float):
        raise _Bad(f"{column} 不能是浮点数", f"{column} must not be a float")
    if isinstance(cell, int | Decimal):
        text = str(cell)
    else:
        text = _text(cell).replace(",", "").replace("，", "").replace("¥", "").replace("￥", "").strip()
    if not text:
        raise _Bad(f"{column} 不能为空", f"{column} must not be empty")
    if text.startswith("-"):
        raise _Bad(f"{column} 不能为负数：{text}", f"{column} must not be negative: {text}")
    if not _MONEY.match(text):
        raise _Bad(f"{column} 不是有效金额：{text}", f"{column} is not a valid amount: {text}")
    value = Decimal(text)
    if value.as_tuple().exponent < -2:  # type: ignore[operator]
        raise _Bad(f"{column} 最多两位小数：{text}", f"{column} has more than 2 decimals: {text}")
    return value.quantize(Decimal("0.01"))


def parse_int(cell: Cell, column: str, *, minimum: int = 0, maximum: int | None = None,
              default: int | None = None) -> int:
    if isinstance(cell, float):
        raise _Bad(f"{column} 不能是浮点数", f"{column} must not be a float")
    text = _text(cell)
    if not text:
        if default is not None:
            return default
        raise _Bad(f"{column} 不能为空", f"{column} must not be empty")
    if not _INT.match(text):
        raise _Bad(f"{column} 应为整数：{text}", f"{column} must be a whole number: {text}")
    try:
        value = int(Decimal(text))
    except InvalidOperation as exc:  # pragma: no cover - the pattern guards it
        raise _Bad(f"{column} 应为整数：{text}", f"{column} must be a whole number: {text}") from exc
    if value < minimum:
        raise _Bad(f"{column} 不能小于 {minimum}：{text}", f"{column} must be at least {minimum}: {text}")
    if maximum is not None and value > maximum:
        raise _Bad(f"{column} 不能大于 {maximum}：{text}", f"{column} must be at most {maximum}: {text}")
    return value


def parse_bool(cell: Cell, column: str, *, default: bool = True) -> bool:
    text = _text(cell).lower()
    if not text:
        return default
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise _Bad(f"{column} 应为 是/否：{text}", f"{column} must be yes/no: {text}")


def parse_aliases(cell: Cell) -> tuple[str, ...]:
    """``AP300;净化器300；ap-300`` -> three aliases, order kept, duplicates dropped."""
    parts = [p.strip() for p in re.split(r"[;；]", _text(cell))]
    seen: dict[str, None] = {}
    for p in parts:
        if p and p.lower() not in {k.lower() for k in seen}:
            seen[p] = None
    return tuple(seen)


def parse_phone(cell: Cell, column: str) -> str:
    """A mainland mobile (13812345678) or landline (021-12345678 -> 02112345678); ``+86``, spaces, dashes ok."""
    raw = _text(cell)
    digits = re.sub(r"[\s\-()（）]", "", raw)
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    if _MOBILE.match(digits):
        return digits
    if _LANDLINE.match(digits):
        return digits      # digits only, like core.dealers.normalize_phone (the blind index relies on it)
    raise _Bad(f"{column} 不是有效的电话号码", f"{column} is not a valid phone number")


def parse_uscc(cell: Cell) -> str:
    code = _text(cell)
    if not code:
        raise _Bad("uscc 不能为空", "uscc must not be empty")
    try:
        return validate_uscc(code)
    except DomainError as exc:
        raise _Bad(exc.message("zh"), exc.message("en")) from exc


def parse_tier(cell: Cell) -> str:
    tier = _text(cell).upper()
    if tier not in DEALER_TIERS:
        allowed = "/".join(DEALER_TIERS)
        raise _Bad(f"tier 须为 {allowed}：{tier or '空'}", f"tier must be one of {allowed}: {tier or 'empty'}")
    return tier


def parse_status(cell: Cell) -> DealerStatus | None:
    text = _text(cell)
    if not text:
        return None
    if text in _STATUS_LABELS:
        return _STATUS_LABELS[text]
    for status, (zh, _en) in STATUS_LABELS.items():
        if text == zh:
            return status
    try:
        return DealerStatus(text.lower())
    except ValueError:
        allowed = ", ".join(s.value for s in DealerStatus)
        raise _Bad(f"状态无效：{text}（可选：{allowed}）", f"unknown status {text} (one of {allowed})") from None


def _code(cells: Mapping[str, Cell], column: str) -> str:
    value = _required(cells, column, max_len=64)
    if re.search(r"\s", value):
        raise _Bad(f"{column} 不能包含空格：{value}", f"{column} must not contain spaces: {value}")
    return value


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


# --- data migration: contacts, qualifications, prices, historical orders, sell-out ------------------


@dataclass(frozen=True)
class ContactRecord:
    """Keyed by dealer code + phone: the same phone again updates the name/role."""

    row: int
    dealer_code: str
    name: str
    phone: str
    role: str = ""

    @property
    def label(self) -> str:
        return f"{self.dealer_code}/{mask_phone(self.phone)}"


@dataclass(frozen=True)
class QualificationRecord:
    """Keyed by dealer code + document type + document number."""

    row: int
    dealer_code: str
    doc_type: DocumentType
    number: str
    issued_on: date | None = None
    expires_on: date | None = None
    status: ReviewStatus = ReviewStatus.APPROVED

    @property
    def label(self) -> str:
        return f"{self.dealer_code}/{self.doc_type.value}/{self.number}"


@dataclass(frozen=True)
class PriceRecord:
    """A tier price (``tier`` set) or a dealer price (``dealer_code`` set), keyed by it + SKU."""

    row: int
    sku: str
    price: Decimal
    tier: str | None = None
    dealer_code: str | None = None

    @property
    def label(self) -> str:
        return f"{self.tier or self.dealer_code}/{self.sku}"


@dataclass(frozen=True)
class OrderLineRecord:
    row: int
    order_number: str
    dealer_code: str
    order_date: date
    status: OrderStatus
    sku: str
    qty: int
    unit_price: Decimal
    product_name: str = ""
    free_qty: int = 0
    discount: Decimal = Decimal("0.00")

    @property
    def label(self) -> str:
        return f"{self.order_number}/{self.sku}"


@dataclass(frozen=True)
class HistoricalOrderRecord:
    """One historical order: the lines of every row with its number, in file order."""

    row: int                     # first row of the order
    number: str
    dealer_code: str
    order_date: date
    status: OrderStatus
    lines: tuple[OrderLineRecord, ...]

    @property
    def label(self) -> str:
        return self.number


@dataclass(frozen=True)
class SellOutRecord:
    """Keyed by the natural key (dealer, date, sku, qty, amount, city): the old systems we migrate from
    have no stable line id, so two identical sales on one day in one city must be summed into one row."""

    row: int
    dealer_code: str
    sold_on: date
    sku: str
    qty: int
    amount: Decimal
    city: str
    province: str = ""
    customer_type: CustomerType = CustomerType.RETAIL

    @property
    def label(self) -> str:
        return f"{self.dealer_code}/{self.sold_on.isoformat()}/{self.sku}"

    @property
    def key(self) -> tuple[str, date, str, int, Decimal, str]:
        return (self.dealer_code.upper(), self.sold_on, self.sku.upper(), self.qty, self.amount, self.city)


_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")
_DOC_LABELS: dict[str, DocumentType] = {zh: t for t, (zh, _en) in DOCUMENT_LABELS.items()} | {
    "营业执照副本": DocumentType.BUSINESS_LICENSE, "授权证书": DocumentType.AUTHORIZATION,
    "税务登记": DocumentType.TAX_REGISTRATION}
_REVIEW_LABELS: dict[str, ReviewStatus] = {"待审核": ReviewStatus.PENDING, "已通过": ReviewStatus.APPROVED,
                                           "通过": ReviewStatus.APPROVED, "有效": ReviewStatus.APPROVED,
                                           "已驳回": ReviewStatus.REJECTED, "驳回": ReviewStatus.REJECTED}
_CUSTOMER_LABELS: dict[str, CustomerType] = {"零售": CustomerType.RETAIL, "工程": CustomerType.PROJECT,
                                             "电商": CustomerType.ONLINE, "分销": CustomerType.SUBDEALER}


def parse_date(cell: Cell, column: str, *, required: bool = True) -> date | None:
    """``2026-03-01``, ``2026/3/1``, ``2026年3月1日``; an Excel date arrives as ISO text."""
    text = _text(cell)
    if not text:
        if required:
            raise _Bad(f"{column} 不能为空", f"{column} must not be empty")
        return None
    match = _DATE.match(text[:10] if re.match(r"^\d{4}-\d{2}-\d{2}T", text) else text)
    try:
        if match is None:
            raise ValueError(text)
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise _Bad(f"{column} 不是有效日期（应为 YYYY-MM-DD）：{text}",
                   f"{column} is not a valid date (YYYY-MM-DD): {text}") from None


def _choice(cell: Cell, column: str, labels: Mapping[str, Any], enum: Any, default: Any = None) -> Any:
    text = _text(cell)
    if not text:
        if default is not None:
            return default
        raise _Bad(f"{column} 不能为空", f"{column} must not be empty")
    if text in labels:
        return labels[text]
    try:
        return enum(text.lower())
    except ValueError:
        allowed = ", ".join(m.value for m in enum)
        raise _Bad(f"{column} 无效：{text}（可选：{allowed}）", f"unknown {column} {text} (one of {allowed})") from None


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


# --- use cases -------------------------------------------------------------------------------------


@dataclass
class ImportReport:
    kind: ImportKind
    rows_read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    committed: bool = False
    dry_run: bool = False       # validated and compared with the database, nothing written

    @property
    def bad_rows(self) -> int:
        return len({e.row for e in self.errors})

    def summary(self, lang: str = "zh") -> str:
        if lang.lower().startswith("en"):
            state = " dry run, nothing written, would be:" if self.dry_run else (
                "" if self.committed or not self.errors else " nothing imported:")
            return (f"{self.kind.value}:{state} {self.rows_read} rows read, {self.created} created, "
                    f"{self.updated} updated, {self.unchanged} unchanged, {self.bad_rows} bad rows")
        if self.dry_run:
            state = "试运行，未写入任何数据；将会："
        else:
            state = "" if self.committed or not self.errors else "未导入任何数据："
        return (f"{state}读取 {self.rows_read} 行，新增 {self.created}，更新 {self.updated}，"
                f"未变 {self.unchanged}，错误 {self.bad_rows} 行")


def _changes(obj: Any, wanted: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in wanted.items() if getattr(obj, k) != v}


async def _upsert_products(uow: AbstractUnitOfWork, actor: Actor, clock: Clock,
                           records: Sequence[ProductRecord], report: ImportReport) -> None:
    authz.require(actor, Permission.PRODUCT_WRITE)
    for rec in records:
        existing = await uow.products.get_by(sku=rec.sku)
        if existing is None:
            product = Product(sku=rec.sku, **rec.fields())
            await uow.products.add(product)
            await record(uow, actor, "product.import", "product", rec.sku, clock, after=snapshot(product))
            report.created += 1
            continue
        changes = _changes(existing, rec.fields())
        if not changes:
            report.unchanged += 1
            continue
        before = snapshot(existing, tuple(changes))
        for k, v in changes.items():
            setattr(existing, k, v)
        await record(uow, actor, "product.import", "product", rec.sku, clock,
                     before=before, after=snapshot(existing, tuple(changes)))
        report.updated += 1


_DEALER_AUDIT_FIELDS = ("code", "name", "uscc", "province", "city", "region", "tier", "parent_id",
                        "credit_limit", "status")


async def _upsert_dealers(uow: AbstractUnitOfWork, actor: Actor, clock: Clock,
                          records: Sequence[DealerRecord], report: ImportReport) -> None:
    """Rows are checked first (USCC held by another dealer, unknown parent), then written; parents are
    linked after a flush so a sub-dealer may come before its parent in the file."""
    authz.require(actor, Permission.DEALER_WRITE)
    accepted: list[DealerRecord] = []
    for rec in records:
        holder = await uow.dealers.get_by(uscc=rec.uscc)
        if holder is not None and holder.code != rec.code:
            report.errors.append(RowError(rec.row, f"统一社会信用代码 {rec.uscc} 已被经销商 {holder.code} 使用",
                                          f"USCC {rec.uscc} is already used by dealer {holder.code}"))
        else:
            accepted.append(rec)
    known_parents: dict[str, bool] = {}
    while True:   # dropping a row may orphan its sub-dealers in the file: repeat until stable
        in_file = {r.code for r in accepted}
        keep = []
        for rec in accepted:
            parent = rec.parent_code
            if parent and parent not in in_file:
                if parent not in known_parents:
                    known_parents[parent] = await uow.dealers.get_by(code=parent) is not None
                if not known_parents[parent]:
                    report.errors.append(RowError(rec.row, f"上级经销商 {parent} 不存在",
                                                  f"parent dealer {parent} does not exist"))
                    continue
            keep.append(rec)
        if len(keep) == len(accepted):
            break
        accepted = keep

    dealers: dict[str, tuple[Dealer, dict[str, Any] | None]] = {}   # code -> (dealer, before; None if new)
    changed: set[str] = set()
    for rec in accepted:
        existing = await uow.dealers.get_by(code=rec.code)
        if existing is None:
            dealer = Dealer(code=rec.code, created_at=clock.now(),
                            **({"status": DealerStatus.PROSPECT} | rec.fields()))
            await uow.dealers.add(dealer)
            dealers[rec.code] = (dealer, None)
        else:
            dealer = existing
            dealers[rec.code] = (dealer, snapshot(dealer, _DEALER_AUDIT_FIELDS))
            changes = _changes(dealer, rec.fields())
            for k, v in changes.items():
                setattr(dealer, k, v)
            if changes:
                changed.add(rec.code)
        if rec.contact_name and rec.contact_phone and _merge_contact(dealer, rec):
            changed.add(rec.code)
    await uow.flush()
    for rec in accepted:
        dealer = dealers[rec.code][0]
        parent_id: int | None = None
        if rec.parent_code:
            linked = dealers[rec.parent_code][0] if rec.parent_code in dealers else (
                await uow.dealers.get_by(code=rec.parent_code))
            parent_id = linked.id if linked is not None else None
        if dealer.parent_id != parent_id:
            dealer.parent_id = parent_id
            changed.add(rec.code)
    for rec in accepted:
        dealer, original = dealers[rec.code]
        after = snapshot(dealer, _DEALER_AUDIT_FIELDS)
        if original is None:
            await record(uow, actor, "dealer.import", "dealer", rec.code, clock, after=after)
            report.created += 1
        elif rec.code in changed:
            await record(uow, actor, "dealer.import", "dealer", rec.code, clock, before=original, after=after)
            report.updated += 1
        else:
            report.unchanged += 1


def _merge_contact(dealer: Dealer, rec: DealerRecord) -> bool:
    """Add the row's contact or update the one with the same name/phone; True when something changed."""
    for contact in dealer.contacts:
        if contact.phone == rec.contact_phone or contact.name == rec.contact_name:
            wanted = {"name": rec.contact_name, "phone": rec.contact_phone, "role": rec.contact_role}
            changes = _changes(contact, wanted)
            for k, v in changes.items():
                setattr(contact, k, v)
            return bool(changes)
    dealer.contacts.append(Contact(name=rec.contact_name or "", phone=rec.contact_phone or "",
                                   role=rec.contact_role))
    return True


async def _upsert_stock(uow: AbstractUnitOfWork, actor: Actor, clock: Clock,
                        records: Sequence[StockRecord], report: ImportReport) -> None:
    authz.require(actor, Permission.STOCK_WRITE)
    warehouses: dict[str, int | None] = {}
    known_skus: dict[str, bool] = {}
    for rec in records:
        if rec.warehouse not in warehouses:
            wh = await uow.warehouses.get_by(code=rec.warehouse) or await uow.warehouses.get_by(
                name=rec.warehouse)
            warehouses[rec.warehouse] = wh.id if wh is not None else None
        if rec.sku not in known_skus:
            known_skus[rec.sku] = await uow.products.get_by(sku=rec.sku) is not None
        warehouse_id = warehouses[rec.warehouse]
        problems = []
        if warehouse_id is None:
            problems.append((f"仓库 {rec.warehouse} 不存在", f"warehouse {rec.warehouse} does not exist"))
        if not known_skus[rec.sku]:
            problems.append((f"产品 {rec.sku} 不存在", f"product {rec.sku} does not exist"))
        if problems or warehouse_id is None:
            report.errors.append(RowError(rec.row, "；".join(p[0] for p in problems),
                                          "; ".join(p[1] for p in problems)))
            continue
        level = await uow.stock.get_by(warehouse_id=warehouse_id, sku=rec.sku)
        if level is None:
            level = StockLevel(warehouse_id=warehouse_id, sku=rec.sku, on_hand=rec.on_hand, updated_at=clock.now())
            await uow.stock.add(level)
            await record(uow, actor, "stock.import", "stock", f"{rec.warehouse}/{rec.sku}", clock,
                         after={"on_hand": rec.on_hand})
            report.created += 1
        elif level.on_hand == rec.on_hand:
            report.unchanged += 1
        elif rec.on_hand < level.reserved:
            report.errors.append(RowError(
                rec.row, f"在库数量 {rec.on_hand} 小于已预留的 {level.reserved}",
                f"on_hand {rec.on_hand} is below the {level.reserved} already reserved"))
        else:
            before = {"on_hand": level.on_hand}
            level.on_hand = rec.on_hand
            level.updated_at = clock.now()
            await record(uow, actor, "stock.import", "stock", f"{rec.warehouse}/{rec.sku}", clock,
                         before=before, after={"on_hand": rec.on_hand})
            report.updated += 1


async def _dealer_ids(uow: AbstractUnitOfWork, codes: Iterable[str]) -> dict[str, int | None]:
    ids: dict[str, int | None] = {}
    for code in codes:
        if code not in ids:
            dealer = await uow.dealers.get_by(code=code)
            ids[code] = dealer.id if dealer is not None else None
    return ids


def _no_dealer(rec: Any) -> RowError:
    return RowError(rec.row, f"经销商 {rec.dealer_code} 不存在", f"dealer {rec.dealer_code} does not exist")


async def _upsert_contacts(uow: AbstractUnitOfWork, actor: Actor, clock: Clock,
                           records: Sequence[ContactRecord], report: ImportReport) -> None:
    authz.require(actor, Permission.DEALER_WRITE)
    for rec in records:
        dealer = await uow.dealers.get_by(code=rec.dealer_code)
        if dealer is None:
            report.errors.append(_no_dealer(rec))
            continue
        existing = next((c for c in dealer.contacts if c.phone == rec.phone), None)
        wanted = {"name": rec.name, "role": rec.role}
        if existing is None:
            dealer.contacts.append(Contact(name=rec.name, phone=rec.phone, role=rec.role))
            await record(uow, actor, "contact.import", "dealer", rec.dealer_code, clock,
                         after=wanted | {"phone": mask_phone(rec.phone)})
            report.created += 1
            continue
        changes = _changes(existing, wanted)
        if not changes:
            report.unchanged += 1
            continue
        before = snapshot(existing, tuple(changes))
        for k, v in changes.items():
            setattr(existing, k, v)
        await record(uow, actor, "contact.import", "dealer", rec.dealer_code, clock,
                     before=before | {"phone": mask_phone(rec.phone)}, after=changes)
        report.updated += 1


async def _upsert_qualifications(uow: AbstractUnitOfWork, actor: Actor, clock: Clock,
                                 records: Sequence[QualificationRecord], report: ImportReport) -> None:
    """Documents reviewed in the old system come in approved (or as the status column says); the scan
    itself is uploaded later in the admin or the chat."""
    authz.require(actor, Permission.DEALER_WRITE)
    ids = await _dealer_ids(uow, (r.dealer_code for r in records))
    for rec in records:
        dealer_id = ids[rec.dealer_code]
        if dealer_id is None:
            report.errors.append(_no_dealer(rec))
            continue
        wanted: dict[str, Any] = {"issued_on": rec.issued_on, "expires_on": rec.expires_on, "status": rec.status}
        existing = await uow.qualifications.get_by(dealer_id=dealer_id, doc_type=rec.doc_type, number=rec.number)
        fields = ("doc_type", "number", "issued_on", "expires_on", "status")
        if existing is None:
            reviewed = rec.status != ReviewStatus.PENDING
            doc = Qualification(dealer_id=dealer_id, doc_type=rec.doc_type, number=rec.number,
                                issued_on=rec.issued_on, expires_on=rec.expires_on, status=rec.status,
                                reviewed_by=actor.label if reviewed else None,
                                reviewed_at=clock.now() if reviewed else None, created_at=clock.now())
            await uow.qualifications.add(doc)
            await record(uow, actor, "qualification.import", "qualification", rec.label, clock,
                         after=snapshot(doc, fields))
            report.created += 1
            continue
        changes = _changes(existing, wanted)
        if not changes:
            report.unchanged += 1
            continue
        before = snapshot(existing, tuple(changes))
        for k, v in changes.items():
            setattr(existing, k, v)
        await record(uow, actor, "qualification.import", "qualification", rec.label, clock,
                     before=before, after=snapshot(existing, tuple(changes)))
        report.updated += 1


async def _upsert_prices(uow: AbstractUnitOfWork, actor: Actor, clock: Clock,
                         records: Sequence[PriceRecord], report: ImportReport) -> None:
    authz.require(actor, Permission.PRICE_WRITE)
    ids = await _dealer_ids(uow, (r.dealer_code for r in records if r.dealer_code))
    known: dict[str, bool] = {}
    for rec in records:
        if rec.sku not in known:
            known[rec.sku] = await uow.products.get_by(sku=rec.sku) is not None
        if not known[rec.sku]:
            report.errors.append(RowError(rec.row, f"产品 {rec.sku} 不存在", f"product {rec.sku} does not exist"))
            continue
        existing: TierPrice | DealerPrice | None
        if rec.tier is not None:
            existing = await uow.tier_prices.get_by(tier=rec.tier, sku=rec.sku)
            new: TierPrice | DealerPrice = TierPrice(tier=rec.tier, sku=rec.sku, price=rec.price)
            repo: Any = uow.tier_prices
        else:
            dealer_id = ids.get(rec.dealer_code or "")
            if dealer_id is None:
                report.errors.append(_no_dealer(rec))
                continue
            existing = await uow.dealer_prices.get_by(dealer_id=dealer_id, sku=rec.sku)
            new = DealerPrice(dealer_id=dealer_id, sku=rec.sku, price=rec.price)
            repo = uow.dealer_prices
        if existing is None:
            await repo.add(new)
            await record(uow, actor, "price.import", "price", rec.label, clock, after={"price": rec.price})
            report.created += 1
        elif existing.price == rec.price:
            report.unchanged += 1
        else:
            before = {"price": existing.price}
            existing.price = rec.price
            await record(uow, actor, "price.import", "price", rec.label, clock, before=before,
                         after={"price": rec.price})
            report.updated += 1


def _order_shape(order: Order) -> tuple[Any, ...]:
    """What an imported order is compared on: status and lines (sku, qty, free, price, discount)."""
    return (order.status, tuple((ln.sku, ln.qty, ln.free_qty, ln.unit_price, ln.discount) for ln in order.lines))


HISTORY_NOTE = "历史订单导入 (imported history)"


async def import_historical_orders(uow: AbstractUnitOfWork, actor: Actor, clock: Clock,
                                   records: Sequence[HistoricalOrderRecord], report: ImportReport) -> None:
    """Write orders from an old system as they were: the given status, lines and prices, dated on
    their order date. Stock, reservations, credit and the ledger are NOT touched (the old system already
    booked them; the opening balances come in with the account migration), and no notification is sent.

    Keyed by order number: an order already imported with the same content is unchanged, a different
    one is replaced; a number held by an order placed in this system is refused. Needs
    ``order.place_on_behalf`` and ``dealer.write`` (the CLI runs as the system actor).
    """
    authz.require(actor, Permission.ORDER_PLACE_ON_BEHALF)
    authz.require(actor, Permission.DEALER_WRITE)
    ids = await _dealer_ids(uow, (r.dealer_code for r in records))
    names: dict[str, str | None] = {}
    for rec in records:
        dealer_id = ids[rec.dealer_code]
        if dealer_id is None:
            report.errors.append(_no_dealer(rec))
            continue
        lines: list[OrderLine] = []
        problems: list[RowError] = []
        for ln in rec.lines:
            if ln.sku not in names:
                product = await uow.products.get_by(sku=ln.sku)
                names[ln.sku] = product.name if product is not None else None
            name = ln.product_name or names[ln.sku]
            if not name:
                problems.append(RowError(ln.row, f"产品 {ln.sku} 不存在且未填写 product_name",
                                         f"product {ln.sku} does not exist and product_name is empty"))
                continue
            lines.append(OrderLine(sku=ln.sku, name=name, qty=ln.qty, unit_price=ln.unit_price,
                                   discount=ln.discount, free_qty=ln.free_qty))
        if problems:
            report.errors.extend(problems)
            continue
        at = datetime.combine(rec.order_date, time(0), tzinfo=clock.tz).astimezone(UTC)
        order = Order(number=rec.number, dealer_id=dealer_id, lines=lines, status=rec.status,
                      placed_by=actor.label, note=HISTORY_NOTE, created_at=at, updated_at=at,
                      events=[OrderEvent(status=rec.status, actor=actor.label, at=at, note=HISTORY_NOTE)])
        order.total = sum((ln.amount for ln in lines), Decimal("0.00"))
        existing = await uow.orders.get_by(number=rec.number)
        if existing is None:
            await uow.orders.add(order)
            await record(uow, actor, "order.import", "order", rec.number, clock,
                         after={"status": rec.status, "total": order.total, "lines": len(lines)})
            report.created += 1
        elif existing.note != HISTORY_NOTE:
            report.errors.append(RowError(rec.row, f"订单号 {rec.number} 已被系统内订单使用",
                                          f"order number {rec.number} is used by an order placed in dms"))
        elif (existing.dealer_id, existing.created_at, _order_shape(existing)) == (
                dealer_id, at, _order_shape(order)):
            report.unchanged += 1
        else:
            before = {"status": existing.status, "total": existing.total, "lines": len(existing.lines)}
            existing.dealer_id, existing.status, existing.total = dealer_id, order.status, order.total
            existing.lines = lines
            existing.created_at = existing.updated_at = at
            await record(uow, actor, "order.import", "order", rec.number, clock, before=before,
                         after={"status": rec.status, "total": order.total, "lines": len(lines)})
            report.updated += 1


async def _upsert_sellout(uow: AbstractUnitOfWork, actor: Actor, clock: Clock,
                          records: Sequence[SellOutRecord], report: ImportReport) -> None:
    """Sell-out lines are facts, never updated: a line with the same natural key is already there."""
    authz.require(actor, Permission.SELLOUT_READ_ALL)
    authz.require(actor, Permission.DEALER_WRITE)
    dealers: dict[str, Dealer | None] = {}
    for rec in records:
        if rec.dealer_code not in dealers:
            dealers[rec.dealer_code] = await uow.dealers.get_by(code=rec.dealer_code)
        dealer = dealers[rec.dealer_code]
        if dealer is None or dealer.id is None:
            report.errors.append(_no_dealer(rec))
            continue
        same = await uow.sellout.get_by(dealer_id=dealer.id, sold_on=rec.sold_on, sku=rec.sku, qty=rec.qty,
                                        amount=rec.amount, city=rec.city)
        if same is not None:
            report.unchanged += 1
            continue
        line = SellOutLine(dealer_id=dealer.id, sold_on=rec.sold_on, sku=rec.sku, qty=rec.qty, amount=rec.amount,
                           province=rec.province or dealer.province, city=rec.city,
                           customer_type=rec.customer_type, reported_at=clock.now())
        await uow.sellout.add(line)
        report.created += 1
    if report.created:   # one audit line for the batch: sell-out files run to a million rows
        await record(uow, actor, "sellout.import", "sellout", None, clock, after={"created": report.created})


_UPSERTS: dict[ImportKind, Any] = {
    ImportKind.PRODUCTS: _upsert_products,
    ImportKind.DEALERS: _upsert_dealers,
    ImportKind.STOCK: _upsert_stock,
    ImportKind.CONTACTS: _upsert_contacts,
    ImportKind.QUALIFICATIONS: _upsert_qualifications,
    ImportKind.PRICES: _upsert_prices,
    ImportKind.ORDERS: import_historical_orders,
    ImportKind.SELLOUT: _upsert_sellout,
}


async def _apply(kind: ImportKind, uow: AbstractUnitOfWork, actor: Actor, clock: Clock,
                 result: ValidationResult[Any], *, strict: bool, dry_run: bool = False) -> ImportReport:
    """``dry_run`` runs the same upserts (so the report counts what would be created/updated and names
    rows the database refuses) and leaves the unit of work without committing: nothing is written."""
    report = ImportReport(kind=kind, rows_read=result.rows_read, errors=list(result.errors), dry_run=dry_run)
    if strict and report.errors:
        return report
    async with uow:
        await _UPSERTS[kind](uow, actor, clock, result.records, report)
        if dry_run:
            report.errors.sort(key=lambda e: e.row)
            return report   # leaving the unit of work rolls back
        if strict and report.errors:
            report.created = report.updated = report.unchanged = 0
            return report   # leaving the unit of work rolls back
        await uow.commit()
        report.committed = True
    report.errors.sort(key=lambda e: e.row)
    return report


async def import_products(uow: AbstractUnitOfWork, actor: Actor, clock: Clock,
                          result: ValidationResult[ProductRecord], *, strict: bool = False) -> ImportReport:
    """Upsert validated products by SKU. Needs ``product.write``."""
    return await _apply(ImportKind.PRODUCTS, uow, actor, clock, result, strict=strict)


async def import_dealers(uow: AbstractUnitOfWork, actor: Actor, clock: Clock,
                         result: ValidationResult[DealerRecord], *, strict: bool = False) -> ImportReport:
    """Upsert validated dealers by code (their contact too). Needs ``dealer.write``."""
    return await _apply(ImportKind.DEALERS, uow, actor, clock, result, strict=strict)


async def import_stock(uow: AbstractUnitOfWork, actor: Actor, clock: Clock,
                       result: ValidationResult[StockRecord], *, strict: bool = False) -> ImportReport:
    """Set on-hand quantities per (warehouse code, SKU). Needs ``stock.write``."""
    return await _apply(ImportKind.STOCK, uow, actor, clock, result, strict=strict)


async def import_table(uow: AbstractUnitOfWork, actor: Actor, clock: Clock, kind: ImportKind | str,
                       header: Sequence[object], rows: Iterable[Sequence[Cell]], *,
                       strict: bool = False, dry_run: bool = False,
                       first_row: int = FIRST_DATA_ROW) -> ImportReport:
    """Validate and import one table. Raises ``MissingColumns``/``EmptyFile`` for a bad header."""
    kind = ImportKind(kind)
    result = VALIDATORS[kind](header, rows, first_row=first_row)
    return await _apply(kind, uow, actor, clock, result, strict=strict, dry_run=dry_run)
