"""Import kinds, their columns (required/optional, header aliases, template help) and file-level errors."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import TypeVar

from core.errors import ValidationFailed
from core.products import LINE_QTY_CEILING

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
