"""Excel templates for ``dms import``: one workbook per kind, the header row on the first sheet and
the column instructions (Chinese, then English) on a second sheet named 说明.

Served by the admin (``/admin-templates``) and written by ``dms export templates DIR``; both use
:func:`template_workbook` so the file a user downloads is the one the CLI writes.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from core.migration import COLUMN_HELP, SPECS, ImportKind

KIND_TITLES: dict[ImportKind, tuple[str, str]] = {
    ImportKind.PRODUCTS: ("产品", "Products"),
    ImportKind.DEALERS: ("经销商", "Dealers"),
    ImportKind.STOCK: ("工厂库存", "Maker stock"),
    ImportKind.CONTACTS: ("联系人", "Contacts"),
    ImportKind.QUALIFICATIONS: ("资质证照", "Qualifications"),
    ImportKind.PRICES: ("价格表（等级价/经销商价）", "Price lists (tier and dealer prices)"),
    ImportKind.ORDERS: ("历史订单", "Historical orders"),
    ImportKind.SELLOUT: ("动销数据", "Sell-out"),
}


def template_filename(kind: ImportKind | str) -> str:
    return f"dms-import-{ImportKind(kind).value}.xlsx"


def template_workbook(kind: ImportKind | str) -> bytes:
    """The .xlsx template of one import kind: header row, then a 说明 sheet (column, required, zh, en)."""
    kind = ImportKind(kind)
    spec = SPECS[kind]
    wb = Workbook()
    data = wb.active
    data.title = kind.value
    data.append(list(spec.all))
    for cell in data[1]:
        cell.font = Font(bold=True)
    notes = wb.create_sheet("说明")
    zh, en = KIND_TITLES[kind]
    notes.append([f"{zh}导入模板 ({en} import template)"])
    notes.append([f"命令 Command: dms import {kind.value} FILE [--dry-run] [--strict]"])
    notes.append(["第一个工作表的第一行为表头，从第 2 行起每行一条记录；错误行会带行号报告。"])
    notes.append(["The first sheet's first row is the header; one record per row from row 2; bad rows are "
                  "reported by row number."])
    notes.append([])
    notes.append(["列 column", "必填 required", "说明", "description"])
    for column, (text_zh, text_en) in COLUMN_HELP[kind].items():
        required = column in spec.required
        notes.append([column, "是 yes" if required else "否 no", text_zh, text_en])
    for width, letter in zip((18, 12, 60, 60), "ABCD", strict=True):
        notes.column_dimensions[letter].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
