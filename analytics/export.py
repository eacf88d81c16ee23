"""Excel workbooks (.xlsx, openpyxl) of every report, the demand forecast, the production plan and a dealer's
price list.

Sheets start with a title row and a row describing the filter, then the table; money cells are numbers
with two decimals (``#,##0.00``), never text, so the figures can be summed in Excel.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from core.dealer_states import tier_label
from core.reports import Cell, Report, ReportKind, report_table
from core.services.prices import PriceSheet
from core.services.reports import ProductionRow, SeriesForecast

MONEY_FORMAT = "#,##0.00"


def _en(lang: str) -> bool:
    return lang.lower().startswith("en")


def _table(ws: Worksheet, title: str, subtitle: str, headers: Sequence[str], rows: Sequence[Sequence[Cell]]) -> None:
    ws.append([title])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([subtitle])
    ws.append(list(headers))
    for cell in ws[3]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(list(row))
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, Decimal):
                cell.number_format = MONEY_FORMAT
            elif isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
    for i, header in enumerate(headers, start=1):
        width = max([len(str(header)) * 2] + [len(str(r[i - 1])) + 2 for r in rows[:200] if len(r) >= i])
        ws.column_dimensions[ws.cell(row=3, column=i).column_letter].width = min(max(width, 8), 40)
    ws.freeze_panes = "A4"


def _bytes(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def report_workbook(report: Report, lang: str = "zh") -> bytes:
    """The report's table; summaries add their breakdown on a second sheet."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = report.title(lang)[:31]
    headers, rows = report_table(report, lang)
    t = report.totals
    totals = (f"Amount {t.amount} · count {t.count} · units {t.qty} · dealers {t.dealers}" if _en(lang)
              else f"金额 {t.amount} · 笔数 {t.count} · 数量 {t.qty} · 经销商 {t.dealers}")
    _table(ws, report.title(lang), f"{report.filter.describe(lang)} · {totals}", headers, rows)
    if report.kind in (ReportKind.ORDER_SUMMARY, ReportKind.SELLOUT_SUMMARY) and report.shares:
        mix = wb.create_sheet("By category" if _en(lang) else "品类结构")
        _table(mix, "By category" if _en(lang) else "品类结构", report.filter.describe(lang),
               ["Category" if _en(lang) else "品类", "Count" if _en(lang) else "笔数", "Units" if _en(lang) else "数量",
                "Amount (CNY)" if _en(lang) else "金额(元)", "Share" if _en(lang) else "占比"],
               [[s.label, s.count, s.qty, s.amount, f"{s.share * 100:.1f}%"] for s in report.shares])
    return _bytes(wb)


def forecast_workbook(series: Sequence[SeriesForecast], lang: str = "zh") -> bytes:
    """One row per series: history months then forecast months."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Forecast" if _en(lang) else "需求预测"
    months = list(series[0].months) if series else []
    ahead = list(series[0].forecast_months) if series else []
    headers = ["SKU", "Product" if _en(lang) else "产品", *months, *[f"{m} (fc)" if _en(lang) else f"{m}预测" for m in ahead]]
    rows: list[list[Cell]] = [[s.sku, s.name, *s.history, *s.forecast] for s in series]
    method = series[0].method if series else ""
    _table(ws, "Monthly demand forecast" if _en(lang) else "月度需求预测", f"method: {method}", headers, rows)
    return _bytes(wb)


def production_workbook(plan: Sequence[ProductionRow], lang: str = "zh") -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Production plan" if _en(lang) else "生产计划"
    months = list(plan[0].months) if plan else []
    en = _en(lang)
    headers = ["SKU", "Product" if en else "产品", *months, "Total" if en else "合计",
               "Available stock" if en else "可用库存", "Shortfall" if en else "缺口", "Months covered" if en else "可供月数"]
    rows: list[list[Cell]] = [[r.sku, r.name, *r.demand, r.total, r.available, r.shortfall, r.cover_months]
                              for r in plan]
    method = plan[0].method if plan else ""
    _table(ws, "Production planning: next 3 months" if en else "生产计划：未来3个月需求 vs 成品库存",
           f"method: {method}", headers, rows)
    return _bytes(wb)


def price_list_workbook(sheet: PriceSheet, lang: str = "zh",
                        promotions: Mapping[str, str] | None = None) -> bytes:
    """The dealer's own price list, one row per product it may order; ``promotions``: SKU -> the promotions
    running on it today, as the chat words them (empty cell when none)."""
    en = _en(lang)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Price list" if en else "价格表"
    headers = ["SKU", "Product" if en else "产品", "Unit" if en else "单位", "List price (CNY)" if en else "目录价(元)",
               "Your price (CNY)" if en else "您的价格(元)", "Minimum order" if en else "起订量",
               "Promotion" if en else "促销"]
    notes = promotions or {}
    rows: list[list[Cell]] = [[p.sku, p.name, p.unit, p.list_price, p.price, p.moq, notes.get(p.sku, "")]
                              for p in sheet.lines]
    tier = tier_label(sheet.tier, lang)
    title = (f"Price list {sheet.dealer_code} {sheet.dealer_name} ({tier})" if en
             else f"价格表 {sheet.dealer_code} {sheet.dealer_name}（{tier}）")
    subtitle = (f"as of {sheet.as_of.isoformat()}; a guide, the order quote decides" if en
                else f"截至 {sheet.as_of.isoformat()}；仅供参考，以下单报价为准")
    _table(ws, title, subtitle, headers, rows)
    return _bytes(wb)
