"""Bank statement files: rows of cells in, incoming payments (``BankRow``) and per-row errors out,
then each row matched to a dealer. Pure: no I/O, no database.

A bank export is not a clean table: a title row or two (账户名称、查询区间) sit above the header, a
total row (合计) and blank rows below, outgoing payments (借方) are mixed in. ``parse_bank_rows`` finds
the header row by its names (Chinese or English), keeps credit rows only and reports a broken row
with its spreadsheet row number in both languages instead of raising, so one bad row never loses the
rest of the file.

``row_key`` identifies a row across files: a hash of (date, payer, amount, reference, account,
occurrence among identical rows in the file). The same file twice, or two files that overlap, give
the same keys, so a booking keyed on ``bank:<row key>`` happens once.

Matching (``match_row``) tries, in order: the reference names a dealer code or an order number; the
payer account is one of a dealer's known ``payer_accounts``; the payer name equals a dealer's name
after normalising (有限公司, brackets, spaces). More than one candidate is no match: a person
decides, the file never guesses.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from core.money import money

Cell = str | int | Decimal | date | datetime | None

# Column -> header names a bank export uses for it (compared after normalising case and spaces).
HEADER_NAMES: dict[str, tuple[str, ...]] = {
    "date": ("交易日期", "日期", "记账日期", "交易时间", "入账日期", "date", "transaction date", "value date",
             "posting date"),
    "payer": ("付款人", "对方户名", "付款方", "对方名称", "付款人名称", "对方账户名称", "payer", "payer name",
              "counterparty", "name"),
    "amount": ("金额", "贷方金额", "收入金额", "贷方发生额", "收入", "credit", "credit amount", "amount"),
    "debit": ("借方金额", "支出金额", "借方发生额", "支出", "debit", "debit amount"),
    "reference": ("摘要", "附言", "用途", "备注", "交易流水号", "reference", "memo", "remark", "description"),
    "account": ("对方账号", "付款账号", "付款人账号", "对方账户", "payer account", "account number", "account"),
}
REQUIRED = ("date", "payer", "amount")
_TOTAL_WORDS = ("合计", "总计", "小计", "本页合计", "total", "subtotal")


@dataclass(frozen=True)
class BankRow:
    """One incoming payment read from a bank file."""

    row_number: int          # spreadsheet row number (1-based, as Excel shows it)
    paid_on: date
    payer: str
    amount: Decimal          # > 0, 2 decimals
    reference: str = ""
    account: str = ""        # payer's account number, digits only
    key: str = ""            # row_key, filled by parse_bank_rows


@dataclass(frozen=True)
class RowError:
    row_number: int
    zh: str
    en: str


@dataclass(frozen=True)
class ParsedBankFile:
    rows: list[BankRow]
    errors: list[RowError]
    skipped: int             # blank, total and outgoing rows


def _norm_header(text: str) -> str:
    return re.sub(r"[\s:：()（）*]", "", unicodedata.normalize("NFKC", text)).lower()


_LOOKUP = {_norm_header(name): column for column, names in HEADER_NAMES.items() for name in names}


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, datetime):
        return cell.date().isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    return unicodedata.normalize("NFKC", str(cell)).strip()


def find_header(lines: Sequence[Sequence[Cell]]) -> tuple[int, dict[str, int]] | None:
    """Index of the first line naming the date, payer and amount columns, with each column's position."""
    for index, line in enumerate(lines[:30]):
        columns: dict[str, int] = {}
        for position, cell in enumerate(line):
            column = _LOOKUP.get(_norm_header(_text(cell)))
            if column is not None and column not in columns:
                columns[column] = position
        if all(c in columns for c in REQUIRED):
            return index, columns
    return None


_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y.%m.%d", "%Y年%m月%d日")


def parse_date(cell: Cell) -> date | None:
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    text = _text(cell).split(" ")[0].split("T")[0]
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def parse_amount(cell: Cell) -> Decimal | None:
    """¥12,345.60 / 12,345.6 / (RMB)12345 -> Decimal; None for empty, '-' or text that is no number."""
    if isinstance(cell, (int, Decimal)):
        return money(cell)
    text = re.sub(r"[\s,¥￥元]|RMB|CNY", "", _text(cell), flags=re.IGNORECASE)
    if text in ("", "-", "--"):
        return None
    try:
        return money(Decimal(text))
    except (InvalidOperation, ValueError):
        return None


def row_key(paid_on: date, payer: str, amount: Decimal, reference: str, account: str, occurrence: int) -> str:
    raw = "|".join((paid_on.isoformat(), payer, f"{amount:.2f}", reference, account, str(occurrence)))
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32]


def parse_bank_rows(lines: Sequence[Sequence[Cell]]) -> ParsedBankFile:
    """All lines of the file (title rows and header included) -> credit rows, per-row errors, skipped count.

    No recognisable header is one error for the whole file (row 0)."""
    found = find_header(lines)
    if found is None:
        names = " / ".join(HEADER_NAMES["date"][:3] + HEADER_NAMES["payer"][:2] + HEADER_NAMES["amount"][:2])
        return ParsedBankFile([], [RowError(
            0,
            zh=f"找不到表头：需要日期、付款人、金额三列（如 {names}）",
            en="No header row found: the file needs date, payer and amount columns (e.g. 交易日期 or Date, "
               "付款人 or Payer, 贷方金额 or Amount)",
        )], 0)
    header_index, columns = found

    def cell(line: Sequence[Cell], column: str) -> Cell:
        position = columns.get(column)
        return line[position] if position is not None and position < len(line) else None

    rows: list[BankRow] = []
    errors: list[RowError] = []
    skipped = 0
    seen: Counter[tuple[date, str, Decimal, str, str]] = Counter()
    for index in range(header_index + 1, len(lines)):
        line, number = lines[index], index + 1
        texts = [_text(c) for c in line]
        if not any(texts):
            skipped += 1
            continue
        if any(t.replace(" ", "").lower().startswith(_TOTAL_WORDS) for t in texts[:3] if t):
            skipped += 1
            continue
        amount_cell, debit = cell(line, "amount"), parse_amount(cell(line, "debit"))
        amount = parse_amount(amount_cell)
        if amount is None and _text(amount_cell) in ("", "-", "--"):
            skipped += 1   # no credit amount: an outgoing row (or nothing to book)
            continue
        if amount is not None and amount <= 0 and (debit is not None or amount < 0):
            skipped += 1   # a signed single amount column: negative is money going out
            continue
        payer = str(cell(line, "payer") or "").strip()   # as the bank wrote it (full-width brackets kept)
        paid_on = parse_date(cell(line, "date"))
        if amount is None or amount <= 0:
            errors.append(RowError(number, zh=f"第 {number} 行：金额“{_text(amount_cell)}”不是有效金额",
                                   en=f"Row {number}: amount '{_text(amount_cell)}' is not a valid amount"))
            continue
        if paid_on is None:
            raw = _text(cell(line, "date"))
            errors.append(RowError(number, zh=f"第 {number} 行：日期“{raw}”无法识别（如 2026-12-04）",
                                   en=f"Row {number}: date '{raw}' is not a date (e.g. 2026-12-04)"))
            continue
        if not payer:
            errors.append(RowError(number, zh=f"第 {number} 行：缺少付款人", en=f"Row {number}: the payer is missing"))
            continue
        reference = str(cell(line, "reference") or "").strip()[:200]
        account = re.sub(r"\D", "", _text(cell(line, "account")))
        identity = (paid_on, payer, amount, reference, account)
        seen[identity] += 1
        key = row_key(paid_on, payer, amount, reference, account, seen[identity])
        rows.append(BankRow(number, paid_on, payer[:200], amount, reference, account, key))
    return ParsedBankFile(rows, errors, skipped)


# --- matching ---------------------------------------------------------------------------------------

class MatchReason(StrEnum):
    REFERENCE_DEALER_CODE = "reference_dealer_code"
    REFERENCE_ORDER = "reference_order"
    ACCOUNT = "account"
    NAME = "name"
    FUZZY_NAME = "fuzzy_name"


MATCH_REASON_LABELS: dict[MatchReason, dict[str, str]] = {
    MatchReason.REFERENCE_DEALER_CODE: {"zh": "摘要中的经销商编号", "en": "dealer code in the reference"},
    MatchReason.REFERENCE_ORDER: {"zh": "摘要中的订单号", "en": "order number in the reference"},
    MatchReason.ACCOUNT: {"zh": "付款账号", "en": "payer account number"},
    MatchReason.NAME: {"zh": "付款人名称", "en": "payer name"},
    MatchReason.FUZZY_NAME: {"zh": "付款人名称（近似）", "en": "payer name (close match)"},
}


@dataclass(frozen=True)
class DealerRef:
    """What matching needs of a dealer."""

    id: int
    code: str
    name: str
    payer_accounts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Match:
    dealer_id: int
    reason: MatchReason


_COMPANY_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司", "公司", "coltd", "co", "ltd", "limited", "inc")


def normalise_name(name: str) -> str:
    """合肥新锐（商贸）有限公司 / 合肥新锐商贸 有限公司 -> 合肥新锐商贸"""
    text = re.sub(r"[\s()（）\[\]【】.,，·]", "", unicodedata.normalize("NFKC", name)).lower()
    for suffix in _COMPANY_SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix):
            text = text[: -len(suffix)]
            break
    return text


_ORDER_NUMBER = re.compile(r"SO-?\d{8}-?\d{4}", re.IGNORECASE)


def order_numbers_in(reference: str) -> list[str]:
    """Order numbers named in a reference, in the stored form SO-YYYYMMDD-NNNN."""
    found = []
    for raw in _ORDER_NUMBER.findall(reference.upper()):
        digits = re.sub(r"\D", "", raw)
        found.append(f"SO-{digits[:8]}-{digits[8:]}")
    return found


def _unique(ids: Iterable[int]) -> int | None:
    distinct = set(ids)
    return distinct.pop() if len(distinct) == 1 else None


def match_row(
    row: BankRow,
    dealers: Sequence[DealerRef],
    order_dealers: Mapping[str, int] | None = None,
) -> Match | None:
    """The one dealer ``row`` was paid by and how that was decided, or None (nothing, or more than one).

    ``order_dealers`` maps the order numbers named in references (see ``order_numbers_in``) to their
    dealer; the caller looks them up."""
    reference = unicodedata.normalize("NFKC", row.reference).upper()
    if reference:
        codes = {d.code.upper(): d.id for d in dealers if d.code}
        by_code = [codes[c] for c in re.findall(r"(?<![A-Z0-9])[A-Z]\d{3,}(?![0-9])", reference) if c in codes]
        found = _unique(by_code)
        if found is not None:
            return Match(found, MatchReason.REFERENCE_DEALER_CODE)
        if order_dealers:
            found = _unique(order_dealers[n] for n in order_numbers_in(reference) if n in order_dealers)
            if found is not None:
                return Match(found, MatchReason.REFERENCE_ORDER)
    if row.account:
        found = _unique(d.id for d in dealers if row.account in d.payer_accounts)
        if found is not None:
            return Match(found, MatchReason.ACCOUNT)
        if any(row.account in d.payer_accounts for d in dealers):
            return None   # the account is known to several dealers: a person decides
    payer = normalise_name(row.payer)
    if payer:
        exact = [d.id for d in dealers if normalise_name(d.name) == payer]
        if len(exact) == 1:
            return Match(exact[0], MatchReason.NAME)
    return None


def parse_payer_accounts(text: str) -> tuple[str, ...]:
    """'6222 0210 0100 1234, 6228-4800-1234' -> ('6222021001001234', '622848001234'): digits, one per item."""
    items = re.split(r"[,，;；\n/、]+", text)
    return tuple(dict.fromkeys(d for d in (re.sub(r"\D", "", i) for i in items) if len(d) >= 6))


# --- stored rows ------------------------------------------------------------------------------------

class BankRowStatus(StrEnum):
    BOOKED = "booked"          # matched on import and booked as a payment
    UNMATCHED = "unmatched"    # waiting for a person
    ASSIGNED = "assigned"      # a person chose the dealer; booked
    IGNORED = "ignored"        # a person decided it is no dealer's payment


BANK_ROW_STATUS_LABELS: dict[BankRowStatus, dict[str, str]] = {
    BankRowStatus.BOOKED: {"zh": "已入账", "en": "Booked"},
    BankRowStatus.UNMATCHED: {"zh": "待匹配", "en": "Unmatched"},
    BankRowStatus.ASSIGNED: {"zh": "已指定入账", "en": "Assigned"},
    BankRowStatus.IGNORED: {"zh": "已忽略", "en": "Ignored"},
}


@dataclass
class BankRowRecord:
    """A bank file row as stored (table ``bank_rows``); ``key`` is unique across files."""

    key: str
    file_name: str
    file_sha256: str
    row_number: int
    paid_on: date
    payer: str
    amount: Decimal
    reference: str
    account: str
    status: BankRowStatus
    dealer_id: int | None = None
    entry_id: int | None = None        # the ledger entry booked for it
    match_reason: str = ""             # a MatchReason, or "" (unmatched / assigned by a person)
    imported_by: str = ""
    imported_at: datetime | None = None
    decided_by: str | None = None      # who assigned or ignored it
    decided_at: datetime | None = None
    note: str = ""
    id: int | None = None
