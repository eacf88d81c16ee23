"""Reading a table a user uploads in the chat: .xlsx (first sheet, or the one named), .csv in UTF-8, UTF-8 with a BOM
or GBK (GB18030). Every cell comes back as text (dates ISO, whole floats without ".0"); a file that is not a
table raises ``FileUnreadable`` with the reason in both languages. Used by the sell-out report and order files."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime

import openpyxl


@dataclass(frozen=True)
class Reason:
    zh: str
    en: str


class FileUnreadable(Exception):
    """The upload is not a sheet we can read; ``problem`` says why (zh, en)."""

    def __init__(self, problem: Reason) -> None:
        super().__init__(problem.en)
        self.problem = problem


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value).strip()


def read_table(data: bytes, file_name: str, *, sheet: str | None = None) -> list[list[str]]:
    """The rows of the uploaded ``data`` (cells as text); ``sheet``: the sheet to read when the workbook has it."""
    name = file_name.lower()
    if name.endswith(".xls"):
        raise FileUnreadable(Reason("请另存为 .xlsx 或 .csv", "save it as .xlsx or .csv"))
    if name.endswith((".xlsx", ".xlsm")) and not data.startswith(b"PK"):
        raise FileUnreadable(Reason("不是有效的 Excel 文件", "not a valid Excel file"))
    if name.endswith(".csv") or not data.startswith(b"PK"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise FileUnreadable(Reason("不是有效的 Excel/CSV 文件", "not a valid Excel/CSV file"))
        if "\x00" in text:
            raise FileUnreadable(Reason("不是有效的 Excel/CSV 文件", "not a valid Excel/CSV file"))
        return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text))]
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            ws = wb[sheet] if sheet and sheet in wb.sheetnames else wb.worksheets[0]
            return [[cell_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
        finally:
            wb.close()
    except Exception as exc:  # a damaged upload can fail inside zipfile, xml or openpyxl in many ways
        raise FileUnreadable(Reason("不是有效的 Excel/CSV 文件", "not a valid Excel/CSV file")) from exc
