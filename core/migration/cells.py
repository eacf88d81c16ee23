"""Cell parsing: one spreadsheet cell to money, int, bool, phone, USCC, date... or a row error."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from core.dealer_states import DEALER_TIERS, STATUS_LABELS
from core.dealers import (
    DOCUMENT_LABELS,
    DealerStatus,
    DocumentType,
    ReviewStatus,
)
from core.errors import DomainError
from core.migration.columns import Cell
from core.sellout import CustomerType
from core.uscc import validate_uscc

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
