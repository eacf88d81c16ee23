"""CSV and XLSX files: read a table for ``dms import``, write one for ``dms export``.

Reading: ``.csv`` in UTF-8 with or without BOM (GB18030 as a fallback: Excel on a Chinese Windows
saves CSV that way) or ``.xlsx`` (first sheet). The first row is the header. Every cell comes back as
text or None; numeric Excel cells are turned into text here so that ``core.migration`` never sees a
float (1299.5 typed in Excel arrives as ``"1299.5"``).

Writing: by extension. CSV is written with a BOM so that Excel opens Chinese text correctly; XLSX is
written in openpyxl's write-only mode so big exports stream. Money is written as 2-decimal text.

Exports (``export_orders`` / ``export_sellout`` / ``export_dealers``) page through the database by id
in fresh units of work, so a million sell-out lines do not sit in one session.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import Enum
from pathlib import Path
from types import TracebackType
from typing import Any

from openpyxl import Workbook, load_workbook

from core import authz
from core.clock import Clock
from core.errors import ValidationFailed
from core.ports import AbstractUnitOfWork
from core.users import Actor, Permission

SUPPORTED = (".csv", ".xlsx")
PAGE = 2000

UowFactory = Callable[[], AbstractUnitOfWork]


def unsupported(path: Path) -> ValidationFailed:
    return ValidationFailed(
        zh=f"不支持的文件类型：{path.suffix or path.name}（请使用 .csv 或 .xlsx）",
        en=f"Unsupported file type {path.suffix or path.name!r}: use .csv or .xlsx",
    )


@dataclass
class Table:
    header: list[str]
    rows: list[list[str | None]] = field(default_factory=list)


# --- reading ---------------------------------------------------------------------------------------


def cell_text(value: Any) -> str | None:
    """A spreadsheet cell as text; integral floats lose their ``.0``; None and blanks stay None."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        # Excel stores numbers as doubles; repr is the shortest text that reads back the same,
        # which is what the user typed (1299.5, not 1299.4999999).
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    return text if text.strip() else None


def read_table(path: Path) -> Table:
    """The header and rows of ``path`` (.csv or .xlsx). Raises ValidationFailed for an unreadable file."""
    if not path.is_file():
        raise ValidationFailed(zh=f"文件不存在：{path}", en=f"No such file: {path}")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path)
    if suffix == ".xlsx":
        return _read_xlsx(path)
    raise unsupported(path)


def _read_csv(path: Path) -> Table:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes almost anything
        raise ValidationFailed(zh="无法识别文件编码，请另存为 UTF-8 CSV", en="Unknown encoding: save the file as UTF-8 CSV")
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, [])
    rows = [[cell if cell.strip() else None for cell in row] for row in reader]
    return Table(header=list(header), rows=list(rows))


def _read_xlsx(path: Path) -> Table:
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile/KeyError/InvalidFileException for bad files
        raise ValidationFailed(zh=f"无法读取 Excel 文件：{path.name}", en=f"Cannot read the Excel file {path.name}") \
            from exc
    try:
        sheet = wb.worksheets[0]
        it = sheet.iter_rows(values_only=True)
        header = [cell_text(v) or "" for v in next(it, ())]
        rows = [[cell_text(v) for v in row] for row in it]
    finally:
        wb.close()
    while header and not header[-1]:
        header.pop()
    return Table(header=header, rows=rows)


# --- writing ---------------------------------------------------------------------------------------


def format_cell(value: Any) -> str:
    """Text for a cell: money with 2 decimals, dates ISO, enums by value, None empty."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value.quantize(Decimal('0.01')):.2f}"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class TableWriter:
    """``with TableWriter(path, header) as w: w.write(row)``; format chosen by the extension."""

    def __init__(self, path: Path, header: Sequence[str]) -> None:
        self.path = path
        self.header = list(header)
        self.rows = 0
        suffix = path.suffix.lower()
        if suffix not in SUPPORTED:
            raise unsupported(path)
        self._xlsx = suffix == ".xlsx"
        self._file: io.TextIOWrapper | None = None
        self._csv: Any = None
        self._wb: Workbook | None = None
        self._ws: Any = None

    def __enter__(self) -> TableWriter:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if self._xlsx:
            self._wb = Workbook(write_only=True)
            self._ws = self._wb.create_sheet(self.path.stem[:31] or "data")
            self._ws.append(self.header)
        else:
            self._file = self.path.open("w", encoding="utf-8-sig", newline="")
            self._csv = csv.writer(self._file)
            self._csv.writerow(self.header)
        return self

    def write(self, row: Sequence[Any]) -> None:
        cells = [format_cell(v) for v in row]
        if self._xlsx:
            self._ws.append(cells)
        else:
            self._csv.writerow(cells)
        self.rows += 1

    def write_all(self, rows: Iterable[Sequence[Any]]) -> None:
        for row in rows:
            self.write(row)

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._xlsx and self._wb is not None:
            if exc_type is None:
                self._wb.save(self.path)
            self._wb.close()
        elif self._file is not None:
            self._file.close()


def write_table(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Write a whole table; returns the number of data rows."""
    with TableWriter(path, header) as writer:
        writer.write_all(rows)
        return writer.rows


# --- exports ---------------------------------------------------------------------------------------

ORDER_COLUMNS = ["order_number", "order_date", "dealer_code", "dealer_name", "status", "sku", "product_name",
                 "qty", "free_qty", "unit_price", "discount", "line_amount", "order_total"]
SELLOUT_COLUMNS = ["sold_on", "dealer_code", "dealer_name", "sku", "qty", "amount", "province", "city",
                   "customer_type"]
DEALER_COLUMNS = ["code", "name", "uscc", "province", "city", "region", "tier", "parent_code", "credit_limit",
                  "status"]
CONTACT_COLUMNS = ["contact_name", "contact_phone", "contact_role"]


async def _dealer_index(uow_factory: UowFactory) -> dict[int, tuple[str, str]]:
    """dealer id -> (code, name); dealers are few compared to orders and sell-out lines."""
    index: dict[int, tuple[str, str]] = {}
    async for dealer in _paged(uow_factory, "dealers", {}):
        if dealer.id is not None:
            index[dealer.id] = (dealer.code, dealer.name)
    return index


async def _paged(uow_factory: UowFactory, repo: str, filters: dict[str, Any]) -> Any:
    """Rows of one repository in id order, a page per unit of work (keyset paging: no OFFSET)."""
    last_id = 0
    while True:
        async with uow_factory() as uow:
            page = await getattr(uow, repo).list(order_by="id", limit=PAGE, id__gt=last_id, **filters)
        for obj in page:
            yield obj
        if len(page) < PAGE:
            return
        last_id = page[-1].id


def _scope_filter(actor: Actor, permission: Permission) -> dict[str, Any]:
    dealer_id = authz.dealer_scope(actor, all_permission=permission)
    return {} if dealer_id is None else {"dealer_id": dealer_id}


def _day_bounds(clock: Clock, since: date | None, until: date | None) -> dict[str, datetime]:
    """Business dates (inclusive) to a created_at range in the business time zone."""
    bounds: dict[str, datetime] = {}
    if since is not None:
        bounds["created_at__gte"] = datetime.combine(since, time(0), tzinfo=clock.tz)
    if until is not None:
        bounds["created_at__lt"] = datetime.combine(until + timedelta(days=1), time(0), tzinfo=clock.tz)
    return bounds


async def export_orders(uow_factory: UowFactory, actor: Actor, clock: Clock, path: Path, *,
                        since: date | None = None, until: date | None = None) -> int:
    """One row per order line; orders created between ``since`` and ``until`` (business dates, inclusive)."""
    filters = _scope_filter(actor, Permission.ORDER_READ_ALL) | _day_bounds(clock, since, until)
    dealers = await _dealer_index(uow_factory)
    with TableWriter(path, ORDER_COLUMNS) as out:
        async for order in _paged(uow_factory, "orders", filters):
            code, name = dealers.get(order.dealer_id, ("", ""))
            day = order.created_at.astimezone(clock.tz).date() if order.created_at else None
            for line in order.lines:
                out.write([order.number, day, code, name, order.status, line.sku, line.name, line.qty,
                           line.free_qty, line.unit_price, line.discount, line.amount, order.total])
        return out.rows


async def export_sellout(uow_factory: UowFactory, actor: Actor, clock: Clock, path: Path, *,
                         since: date | None = None, until: date | None = None) -> int:
    """One row per sell-out line sold between ``since`` and ``until`` (inclusive)."""
    filters = _scope_filter(actor, Permission.SELLOUT_READ_ALL)
    if since is not None:
        filters["sold_on__gte"] = since
    if until is not None:
        filters["sold_on__lte"] = until
    dealers = await _dealer_index(uow_factory)
    with TableWriter(path, SELLOUT_COLUMNS) as out:
        async for line in _paged(uow_factory, "sellout", filters):
            code, name = dealers.get(line.dealer_id, ("", ""))
            out.write([line.sold_on, code, name, line.sku, line.qty, line.amount, line.province, line.city,
                       line.customer_type])
        return out.rows


async def export_dealers(uow_factory: UowFactory, actor: Actor, clock: Clock, path: Path, *,
                         since: date | None = None, until: date | None = None,
                         with_contacts: bool = False) -> int:
    """Dealers in the import format, so the file can be edited and imported back.

    Contacts are personal data: only with ``with_contacts`` (the first contact of each dealer).
    """
    filters = _scope_filter(actor, Permission.DEALER_READ_ALL) | _day_bounds(clock, since, until)
    if "dealer_id" in filters:
        filters["id"] = filters.pop("dealer_id")
    codes = {dealer_id: code for dealer_id, (code, _) in (await _dealer_index(uow_factory)).items()}
    header = DEALER_COLUMNS + (CONTACT_COLUMNS if with_contacts else [])
    with TableWriter(path, header) as out:
        async for d in _paged(uow_factory, "dealers", filters):
            row: list[Any] = [d.code, d.name, d.uscc, d.province, d.city, d.region, d.tier,
                              codes.get(d.parent_id) if d.parent_id else "", d.credit_limit, d.status]
            if with_contacts:
                first = d.contacts[0] if d.contacts else None
                row += [first.name, first.phone, first.role] if first else ["", "", ""]
            out.write(row)
        return out.rows
