"""A monthly statement (对账单) as the files a dealer keeps: an Excel workbook and a PDF.

Both are drawn from one list of tables (``statement_tables``) in the reader's language: the summary, one
table per money account (opening, every entry with its running balance, closing), the month's orders,
rebates and expense claims. Amounts are numbers in Excel (two decimals) and ``¥1,234.50`` in the PDF. The
PDF embeds the CJK font the contract PDFs use (``documents.contract_pdf``).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from core.accounts import AccountKind, Statement
from core.ledger import ACCOUNT_LABELS
from core.money import fmt_cny
from core.notes import note_text
from core.orders import ORDER_STATUS_LABELS, OrderStatus
from core.statements import rebate_entries, section_lines


@dataclass
class Table:
    title: str
    header: list[str]
    rows: list[list[str | Decimal]] = field(default_factory=list)


_WORDS: dict[str, tuple[str, str]] = {
    "title": ("{period} 对账单", "Statement {period}"),
    "dealer": ("经销商", "Dealer"),
    "period": ("账期", "Period"),
    "status": ("状态", "Status"),
    "due": ("确认期限", "Confirm by"),
    "summary": ("汇总", "Summary"),
    "account": ("账户", "Account"),
    "opening": ("期初余额", "Opening balance"),
    "closing": ("期末余额", "Closing balance"),
    "in": ("本期增加", "In"),
    "out": ("本期减少", "Out"),
    "date": ("日期", "Date"),
    "kind": ("类型", "Kind"),
    "ref": ("单号", "Reference"),
    "note": ("备注", "Note"),
    "amount": ("金额", "Amount"),
    "balance": ("余额", "Balance"),
    "orders": ("本期订单", "Orders of the month"),
    "rebates": ("本期返利", "Rebates of the month"),
    "claims": ("本期费用核销", "Expense claims of the month"),
    "none": ("（无）", "(none)"),
    "totals": ("订货 {orders}，回款 {payments}，返利 {rebates}（预存款+返利+信用额度：期初 {opening}，期末 {closing}）",
               "Orders {orders}, payments {payments}, rebates {rebates} (prepayment + rebate + credit: opening "
               "{opening}, closing {closing})"),
    "answer": ("财务答复", "Finance's answer"),
}
_STATUS: dict[str, tuple[str, str]] = {"issued": ("待确认", "awaiting confirmation"),
                                       "confirmed": ("已确认", "confirmed"), "disputed": ("有异议", "disputed")}


def _label(labels: Mapping[Any, tuple[str, str]], kind: Callable[[str], Any], value: str, en: bool) -> str:
    """A stored code (``allocated``, ``prepayment``) in the reader's words; an unknown code as it is."""
    try:
        zh, eng = labels[kind(value)]
    except (KeyError, ValueError):
        return value
    return eng if en else zh


def _w(key: str, en: bool, **params: str) -> str:
    zh, eng = _WORDS[key]
    return (eng if en else zh).format(**params)


def statement_tables(statement: Statement, dealer: str, lang: str = "zh") -> tuple[list[tuple[str, str]], list[Table]]:
    """(heading pairs, tables) of the statement in ``lang``."""
    en = lang.lower().startswith("en")
    status_zh, status_en = _STATUS.get(statement.status.value, (statement.status.value, statement.status.value))
    head = [(_w("dealer", en), dealer), (_w("period", en), statement.period),
            (_w("status", en), status_en if en else status_zh),
            (_w("due", en), statement.due_on.isoformat() if statement.due_on else "-"),
            ("", _w("totals", en, orders=fmt_cny(statement.orders_total), payments=fmt_cny(statement.payments_total),
                    rebates=fmt_cny(statement.rebates_total), opening=fmt_cny(statement.opening_balance),
                    closing=fmt_cny(statement.closing_balance)))]
    if statement.answer:
        head.append((_w("answer", en), statement.answer))
    summary = Table(_w("summary", en), [_w(k, en) for k in ("account", "opening", "in", "out", "closing")])
    tables = [summary]
    for section in statement.accounts:
        label = str(section["label_en"] if en else section["label_zh"])
        amounts = [Decimal(row["amount"]) for row in section["entries"]]
        summary.rows.append([label, Decimal(section["opening"]), sum((a for a in amounts if a > 0), Decimal("0.00")),
                             sum((a for a in amounts if a < 0), Decimal("0.00")), Decimal(section["closing"])])
        table = Table(label, [_w(k, en) for k in ("date", "kind", "ref", "note", "amount", "balance")])
        table.rows.append([statement.period_start.isoformat(), _w("opening", en), "", "", "",
                           Decimal(section["opening"])])
        for row in section["entries"]:
            table.rows.append([row["date"], row["label_en"] if en else row["label_zh"], row["ref"], note_text(row["note"], lang),
                               Decimal(row["amount"]), Decimal(row["balance"])])
        table.rows.append([statement.period_end.isoformat(), _w("closing", en), "", "", "",
                           Decimal(section["closing"])])
        tables.append(table)
    orders = Table(_w("orders", en), [_w(k, en) for k in ("date", "ref", "status", "amount")])
    orders.rows = [[o["date"], o["ref"], _label(ORDER_STATUS_LABELS, OrderStatus, o.get("status", ""), en),
                    Decimal(o["amount"])] for o in section_lines(statement, "order")]
    rebates = Table(_w("rebates", en), [_w(k, en) for k in ("date", "kind", "ref", "amount", "balance")])
    rebates.rows = [[r["date"], r["label_en"] if en else r["label_zh"], r["ref"], Decimal(r["amount"]),
                     Decimal(r["balance"])] for r in rebate_entries(statement)]
    claims = Table(_w("claims", en), [_w(k, en) for k in ("date", "ref", "account", "note", "amount")])
    claims.rows = [[c["date"], c["ref"], _label(ACCOUNT_LABELS, AccountKind, c.get("account", ""), en),
                    c.get("note", ""), Decimal(c["amount"])] for c in section_lines(statement, "claim")]
    return head, tables + [orders, rebates, claims]


def file_stem(statement: Statement, dealer_code: str) -> str:
    return f"statement-{dealer_code}-{statement.period}"


def statement_xlsx(statement: Statement, dealer: str, lang: str = "zh") -> bytes:
    """The workbook: a cover sheet with the summary, then one sheet per table."""
    import openpyxl
    from openpyxl.styles import Font

    head, tables = statement_tables(statement, dealer, lang)
    en = lang.lower().startswith("en")
    wb = openpyxl.Workbook()
    cover = wb.active
    assert cover is not None
    cover.title = _w("summary", en)[:31]
    cover.append([_w("title", en, period=statement.period)])
    cover["A1"].font = Font(bold=True, size=14)
    for key, value in head:
        cover.append([key, value])
    cover.append([])
    used = {cover.title}
    for i, table in enumerate(tables):
        if i == 0:
            sheet = cover
            sheet.append([table.title])
        else:
            name = table.title[:31]
            while name in used:
                name = f"{name[:28]}-{i}"
            used.add(name)
            sheet = wb.create_sheet(name)
        sheet.append(table.header)
        for header_cell in sheet[sheet.max_row]:
            header_cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append(list(row))
            for amount_cell, item in zip(sheet[sheet.max_row], row, strict=False):
                if isinstance(item, Decimal):
                    amount_cell.number_format = "#,##0.00"
        for column, width in zip("ABCDEF", (14, 18, 22, 30, 16, 16), strict=False):
            sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def statement_pdf(statement: Statement, dealer: str, lang: str = "zh") -> bytes:
    """The PDF: the heading lines, then each table (A4, CJK font embedded when available)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, TableStyle
    from reportlab.platypus import Table as PdfTable

    from documents.contract_pdf import TTF_FONT, _register_font

    font = _register_font()
    head, tables = statement_tables(statement, dealer, lang)
    en = lang.lower().startswith("en")

    def money_text(value: str | Decimal) -> str:
        text = fmt_cny(value) if isinstance(value, Decimal) else str(value)
        return text.replace("¥", "￥") if font == TTF_FONT else text   # SimHei has the full-width yen only

    body = ParagraphStyle("body", fontName=font, fontSize=9, leading=13, wordWrap="CJK")
    cell = ParagraphStyle("cell", parent=body, fontSize=8, leading=10)
    title = ParagraphStyle("title", parent=body, fontSize=16, leading=22, spaceAfter=6)
    section = ParagraphStyle("section", parent=body, fontSize=11, leading=16, spaceBefore=8, spaceAfter=3)
    story: list[object] = [Paragraph(escape(_w("title", en, period=statement.period)), title)]
    for key, value in head:
        story.append(Paragraph(escape(f"{key}：{value}" if key and not en else f"{key}: {value}" if key
                                      else money_text(value)), body))
    for table in tables:
        story.append(Paragraph(escape(table.title), section))
        if not table.rows:
            story.append(Paragraph(escape(_w("none", en)), body))
            continue
        data = [[Paragraph(escape(h), cell) for h in table.header]]
        data += [[Paragraph(escape(money_text(v)), cell) for v in row] for row in table.rows]
        grid = PdfTable(data, repeatRows=1, hAlign="LEFT")
        grid.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                                  ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
                                  ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        story += [grid, Spacer(1, 2 * mm)]
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, title=_w("title", en, period=statement.period), author="DMS",
                            leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm, bottomMargin=15 * mm,
                            invariant=1)
    doc.build(story)
    return buffer.getvalue()
