"""Sell-out rows checked one by one, the same for a typed line and a row of an uploaded sheet, and the sheet itself:
the template (``so.tpl``) and reading an uploaded .xlsx/.csv (``handlers.flows.sellout`` holds the conversation)."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

import openpyxl

from core.errors import ValidationFailed
from core.money import money
from core.products import Product
from core.sellout import CustomerType
from core.services.sellout import CUSTOMER_TYPE_ALIASES
from handlers.tables import FileUnreadable, read_table
from handlers.tables import Reason as Problem
from nlu.numbers import parse_int

TEMPLATE_HEADER = ("date", "sku", "qty", "amount", "province", "city", "customer_type")
MAX_ROWS = 1000

HEADER_ALIASES: dict[str, frozenset[str]] = {
    "date": frozenset({"date", "日期", "销售日期", "sold_on"}),
    "sku": frozenset({"sku", "型号", "产品型号", "产品", "product"}),
    "qty": frozenset({"qty", "数量", "quantity", "台数"}),
    "amount": frozenset({"amount", "金额", "销售额", "总额", "总金额"}),
    "province": frozenset({"province", "省份", "省"}),
    "city": frozenset({"city", "城市", "市"}),
    "customer_type": frozenset({"customer_type", "客户类型", "类型", "customer type"}),
}
REQUIRED_COLUMNS = ("sku", "qty", "amount")


# --- checking one row (typed or from a file) ---------------------------------------------------------

def _problem(zh: str, en: str) -> Problem:
    return Problem(zh, en)


def _parse_date(text: str, today: date) -> date | Problem:
    value = text.strip()
    if not value or value in ("今天", "today"):
        return today
    if value in ("昨天", "yesterday"):
        return today - timedelta(days=1)
    value = value.split("T")[0].split(" ")[0]
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日"):
        try:
            day = datetime.strptime(value, fmt).date()
        except ValueError:
            continue
        if day > today:
            return _problem(f"销售日期 {day} 晚于今天", f"sale date {day} is in the future")
        return day
    return _problem(f"日期格式错误：{text}", f"bad date: {text}")


def _parse_qty(text: str) -> int | Problem:
    raw = text.strip()
    value: int | None
    try:
        number = Decimal(raw)
        value = int(number) if number.is_finite() and number == number.to_integral_value() else None
    except InvalidOperation:
        value = parse_int(raw)
    if value is None or value <= 0:
        return _problem(f"数量须为正整数：{text or '空'}", f"quantity must be a whole number above 0: {text or 'empty'}")
    return value


def _parse_amount(text: str) -> Decimal | Problem:
    raw = text.strip().replace(",", "").replace("，", "").replace("¥", "").replace("￥", "").removesuffix("元")
    try:
        value = money(Decimal(raw))
    except (InvalidOperation, ValidationFailed):
        return _problem(f"金额格式错误：{text or '空'}", f"bad amount: {text or 'empty'}")
    if value < 0:
        return _problem(f"金额不能为负：{text}", f"amount must not be negative: {text}")
    return value


def _parse_customer_type(text: str) -> CustomerType | Problem:
    raw = text.strip()
    if not raw:
        return CustomerType.RETAIL
    found = CUSTOMER_TYPE_ALIASES.get(raw) or CUSTOMER_TYPE_ALIASES.get(raw.lower())
    if found is None:
        return _problem(f"客户类型未知：{raw}（零售/工程/电商/分销）",
                        f"unknown customer type: {raw} (retail/project/online/subdealer)")
    return found


def check_row(raw: dict[str, str], line: int, skus: dict[str, str], today: date) -> dict[str, Any] | Problem:
    """A JSON-safe draft row, or the first problem with it. ``skus`` maps casefolded SKU -> SKU."""
    sku = skus.get(raw.get("sku", "").strip().casefold())
    if sku is None:
        shown = raw.get("sku", "").strip()
        return _problem(f"未知产品：{shown or '空'}", f"unknown product: {shown or 'empty'}")
    sold_on = _parse_date(raw.get("date", ""), today)
    qty = _parse_qty(raw.get("qty", ""))
    amount = _parse_amount(raw.get("amount", ""))
    customer_type = _parse_customer_type(raw.get("customer_type", ""))
    for value in (sold_on, qty, amount, customer_type):
        if isinstance(value, Problem):
            return value
    assert isinstance(sold_on, date) and isinstance(qty, int) and isinstance(amount, Decimal)
    assert isinstance(customer_type, CustomerType)
    return {"line": line, "sold_on": sold_on.isoformat(), "sku": sku, "qty": qty, "amount": str(amount),
            "province": raw.get("province", "").strip(), "city": raw.get("city", "").strip(),
            "customer_type": customer_type.value}


# --- files ---------------------------------------------------------------------------------------

def template_bytes() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "sellout"
    ws.append(list(TEMPLATE_HEADER))
    for column, width in zip("ABCDEFG", (12, 12, 8, 12, 10, 10, 14), strict=True):
        ws.column_dimensions[column].width = width
    notes = wb.create_sheet("说明")
    for row in (("列", "说明", "示例"),
                ("date", "销售日期 YYYY-MM-DD", "2026-11-25"),
                ("sku", "产品型号", "AP300"),
                ("qty", "数量（正整数）", "3"),
                ("amount", "该行销售总额（元）", "5997.00"),
                ("province", "省份（可空：默认贵司所在省）", "浙江"),
                ("city", "城市（可空：默认贵司所在市）", "杭州"),
                ("customer_type", "零售/工程/电商/分销（可空：零售）", "零售")):
        notes.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def parse_file(data: bytes, file_name: str, products: list[Product], today: date
               ) -> tuple[list[dict[str, Any]], list[tuple[int, Problem]]]:
    """Rows of an uploaded sheet; raises FileUnreadable when the file itself is unusable."""
    table = read_table(data, file_name, sheet="sellout")
    start = next((i for i, row in enumerate(table) if any(row)), None)
    if start is None:
        raise FileUnreadable(_problem("表格里没有数据行", "the sheet has no data rows"))
    columns: dict[str, int] = {}
    for index, title in enumerate(table[start]):
        key = title.strip().lower()
        for field_name, aliases in HEADER_ALIASES.items():
            if key in aliases and field_name not in columns:
                columns[field_name] = index
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise FileUnreadable(_problem(f"缺少列：{', '.join(missing)}（表头应为 {','.join(TEMPLATE_HEADER)}）",
                                      f"missing column(s): {', '.join(missing)} (the header is "
                                      f"{','.join(TEMPLATE_HEADER)})"))
    body = [(start + 2 + i, row) for i, row in enumerate(table[start + 1:]) if any(c.strip() for c in row)]
    if not body:
        raise FileUnreadable(_problem("表格里没有数据行", "the sheet has no data rows"))
    if len(body) > MAX_ROWS:
        raise FileUnreadable(_problem(f"超过 {MAX_ROWS} 行，请分批上报", f"more than {MAX_ROWS} rows; please split it"))
    skus = {p.sku.casefold(): p.sku for p in products}
    rows: list[dict[str, Any]] = []
    problems: list[tuple[int, Problem]] = []
    for line, row in body:
        raw = {name: (row[i] if i < len(row) else "") for name, i in columns.items()}
        result = check_row(raw, line, skus, today)
        if isinstance(result, Problem):
            problems.append((line, result))
        else:
            rows.append(result)
    return rows, problems
