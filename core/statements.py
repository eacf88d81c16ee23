"""What a monthly statement (对账单) holds, beyond ``core.ledger.build_statement``'s summary: pure rules.

- ``account_sections``: per money account (预存款, 保证金, 返利, 信用额度) the opening balance (every entry
  before the month), every entry of the month in business-date order with its running balance, and the
  closing balance; ``opening + sum(entries) == closing`` for each, by construction and checked by
  ``unbalanced_accounts``. Entry kinds are labelled through ``core.ledger.ENTRY_LABELS`` (a kind without a
  label shows its code), so new kinds appear without changes here.
- ``claim_lines``: the expense claims approved in the month (they credited the ledger).
- ``compose_statement``: the summary (opening/orders/payments/rebates/closing of the trading balance,
  deposit left out) plus the sections and claims.
- ``StatementPolicy``: when statements are issued (day of the month), how long the dealer has to confirm,
  when the reminder goes, and whether silence counts as confirmation.
- ``match_lines``: the lines a dealer names in a dispute ("11月8日那笔 55000 不对", "SO-20261105-0001"):
  by reference, amount or date; a dispute that names none is still a dispute.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from core.accounts import AccountKind, EntryKind, LedgerEntry, Statement
from core.expenses import ClaimStatus, ExpenseClaim
from core.ledger import ACCOUNT_LABELS, ENTRY_LABELS, build_statement, parse_period
from core.money import ZERO, fmt_cny, money
from core.orders import Order

# the order accounts appear in on a statement
ACCOUNT_ORDER: tuple[AccountKind, ...] = (AccountKind.PREPAYMENT, AccountKind.DEPOSIT, AccountKind.REBATE,
                                          AccountKind.CREDIT)
REBATE_KINDS = frozenset({EntryKind.REBATE_ACCRUAL, EntryKind.REBATE_SETTLEMENT})


@dataclass(frozen=True)
class StatementPolicy:
    issue_day: int = 3             # last month's statements go out on this day of the month (or the first run after)
    confirm_days: int = 10         # the dealer confirms or disputes within this many days of issue
    remind_days: int = 3           # one reminder this many days before the deadline
    auto_confirm: bool = True      # not disputed by the deadline: confirmed by the system

    def due_on(self, issued: date) -> date:
        return issued + timedelta(days=self.confirm_days)


def entry_label(kind: EntryKind | str) -> tuple[str, str]:
    """(zh, en) of an entry kind; a kind added later without a label shows its code in both."""
    try:
        return ENTRY_LABELS[EntryKind(kind)]
    except (KeyError, ValueError):
        value = kind.value if isinstance(kind, EntryKind) else str(kind)
        return value, value


def previous_period(today: date) -> str:
    """``"2026-11"`` on any day of December 2026."""
    last = today.replace(day=1) - timedelta(days=1)
    return f"{last.year:04d}-{last.month:02d}"


def _day(at: datetime | None, tz: ZoneInfo) -> date | None:
    return at.astimezone(tz).date() if at is not None else None


def account_sections(dealer_id: int, start: date, end: date, entries: Iterable[LedgerEntry],
                     tz: ZoneInfo) -> list[dict[str, Any]]:
    """One section per account: ``{account, label_zh, label_en, opening, closing, entries: [...]}``; amounts
    are strings with two decimals (JSON-safe), each entry ``{date, kind, label_zh, label_en, ref, note, amount,
    balance}`` with the running balance after it."""
    opening = {kind: ZERO for kind in AccountKind}
    moved: dict[AccountKind, list[tuple[date, LedgerEntry]]] = {kind: [] for kind in AccountKind}
    for entry in entries:
        day = _day(entry.created_at, tz)
        if entry.dealer_id != dealer_id or day is None or day > end:
            continue
        if day < start:
            opening[entry.account] += entry.amount
        else:
            moved[entry.account].append((day, entry))
    sections = []
    for account in ACCOUNT_ORDER:
        balance = money(opening[account])
        rows = []
        for day, entry in sorted(moved[account], key=lambda p: (p[0], p[1].created_at or datetime.min,
                                                               p[1].id or 0)):
            balance = money(balance + entry.amount)
            zh, en = entry_label(entry.kind)
            rows.append({"date": day.isoformat(), "kind": str(entry.kind.value if isinstance(entry.kind, EntryKind)
                                                                 else entry.kind),
                         "label_zh": zh, "label_en": en, "ref": entry.ref, "note": entry.note,
                         "amount": str(money(entry.amount)), "balance": str(balance)})
        zh, en = ACCOUNT_LABELS[account]
        sections.append({"account": account.value, "label_zh": zh, "label_en": en,
                         "opening": str(money(opening[account])), "closing": str(balance), "entries": rows})
    return sections


def unbalanced_accounts(statement: Statement) -> list[str]:
    """Accounts whose opening + entries != closing, or whose running balance breaks (empty: all good)."""
    bad = []
    for section in statement.accounts:
        balance = Decimal(section["opening"])
        ok = True
        for row in section["entries"]:
            balance += Decimal(row["amount"])
            ok = ok and balance == Decimal(row["balance"])
        if not ok or balance != Decimal(section["closing"]):
            bad.append(str(section["account"]))
    return bad


def claim_lines(dealer_id: int, start: date, end: date, claims: Iterable[ExpenseClaim],
                tz: ZoneInfo) -> list[dict[str, str]]:
    """Expense claims approved in the month (each credited the account it names)."""
    lines = []
    for claim in sorted(claims, key=lambda c: c.number):
        day = _day(claim.decided_at, tz)
        if claim.dealer_id != dealer_id or claim.status != ClaimStatus.APPROVED or day is None \
                or not start <= day <= end:
            continue
        lines.append({"type": "claim", "date": day.isoformat(), "ref": claim.number,
                      "amount": str(money(claim.amount)), "label_zh": "费用核销", "label_en": "Expense claim",
                      "account": claim.credit_account, "kind": "", "note": claim.description[:100],
                      "status": claim.status.value, "balance": ""})
    return lines


def compose_statement(dealer_id: int, period: str, entries: Sequence[LedgerEntry], orders: Sequence[Order],
                      claims: Sequence[ExpenseClaim], tz: ZoneInfo) -> Statement:
    """The whole statement of one dealer and month: the summary of ``build_statement`` (its lines: the
    trading entries and the orders), the claims, and the per-account sections."""
    start, end = parse_period(period)
    statement = build_statement(dealer_id, period, entries, orders, tz)
    statement.lines += claim_lines(dealer_id, start, end, claims, tz)
    statement.accounts = account_sections(dealer_id, start, end, entries, tz)
    return statement


def has_content(statement: Statement) -> bool:
    """Worth issuing: a movement or an order in the month, or a balance on any account."""
    return any(section["entries"] or Decimal(section["closing"]) != ZERO for section in statement.accounts) \
        or any(line.get("type") == "order" for line in statement.lines)


def section_lines(statement: Statement, kind: str) -> list[dict[str, str]]:
    """The statement's lines of one type: ``order`` or ``claim``."""
    return [line for line in statement.lines if line.get("type") == kind]


def rebate_entries(statement: Statement) -> list[dict[str, Any]]:
    """The rebate account's entries of the month (accruals, settlements, rebate used by orders)."""
    return next((list(s["entries"]) for s in statement.accounts if s["account"] == AccountKind.REBATE.value), [])


# --- disputes: which lines the dealer means --------------------------------------------------------------

_REF = re.compile(r"[A-Za-z]{1,5}-?\d[\w-]{3,}|\d{8}-\d{3,}")
_AMOUNT = re.compile(r"(?<![\d.\-/])[¥￥]?\s*(\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d+(?:\.\d{1,2})?)(?![\d/\-月号日])")
_DATE_CN = re.compile(r"(?:(\d{1,2})\s*月\s*)?(\d{1,2})\s*[日号]")
_DATE_NUM = re.compile(r"(?:\d{4}[-/.])?(\d{1,2})[-/.](\d{1,2})(?![\d])")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH_WORD = "(" + "|".join(_MONTHS) + r")[a-z]*\.?"
_DAY_WORD = r"(\d{1,2})(?:st|nd|rd|th)?"
_DATE_EN = re.compile(rf"\b(?:{_DAY_WORD}\s+{_MONTH_WORD}|{_MONTH_WORD}\s+{_DAY_WORD})\b", re.IGNORECASE)


def _amounts(text: str) -> set[Decimal]:
    found = set()
    for raw in _AMOUNT.findall(text):
        try:
            value = Decimal(raw.replace(",", ""))
        except InvalidOperation:
            continue
        if value >= 10:          # "3笔", "第2行" are not amounts
            found.add(money(value))
    return found


def _days(text: str, start: date) -> set[date]:
    found = set()
    for month_s, day_s in _DATE_CN.findall(text):
        month = int(month_s) if month_s else start.month
        try:
            found.add(date(start.year, month, int(day_s)))
        except ValueError:
            continue
    for month_s, day_s in _DATE_NUM.findall(text):
        try:
            found.add(date(start.year, int(month_s), int(day_s)))
        except ValueError:
            continue
    for day_a, month_a, month_b, day_b in _DATE_EN.findall(text):      # "8 Nov", "Nov 8th"
        try:
            found.add(date(start.year, _MONTHS.index((month_a or month_b).lower()[:3]) + 1, int(day_a or day_b)))
        except ValueError:
            continue
    return found


def line_key(line: dict[str, Any], account: str = "") -> str:
    """A language-neutral description of one line: ``2026-11-08 · prepayment · PAY-1 · ¥55,000.00``."""
    parts = [str(line.get("date", "")), account or str(line.get("type", "")), str(line.get("ref") or ""),
             fmt_cny(Decimal(str(line.get("amount") or "0")))]
    return " · ".join(p for p in parts if p)


_LINE_LABELS: dict[str, tuple[str, str]] = {**{a.value: ACCOUNT_LABELS[a] for a in AccountKind},
                                             "order": ("订单", "Order"), "claim": ("费用核销", "Expense claim")}


def describe_line(key: str, en: bool = False) -> str:
    """A ``line_key`` for a reader: the account or line type in their language (``预存款`` / ``Prepayment``)."""
    parts = key.split(" · ")
    if len(parts) > 1 and parts[1] in _LINE_LABELS:
        zh, eng = _LINE_LABELS[parts[1]]
        parts[1] = eng if en else zh
    return " · ".join(parts)


def match_lines(statement: Statement, text: str) -> list[str]:
    """The statement lines the dealer's words name: by reference first; else by amount (and date when both
    are said); else by date. Each as ``line_key``."""
    candidates: list[tuple[dict[str, Any], str]] = []
    for section in statement.accounts:
        candidates += [(row, str(section["account"])) for row in section["entries"]]
    candidates += [(line, "") for line in statement.lines if line.get("type") in ("order", "claim")]
    lowered = text.lower()
    refs = {m.lower() for m in _REF.findall(text)}
    by_ref = [(row, acc) for row, acc in candidates
              if row.get("ref") and (str(row["ref"]).lower() in lowered
                                     or any(r in str(row["ref"]).lower() for r in refs))]
    amounts = _amounts(_REF.sub(" ", text))
    days = _days(_REF.sub(" ", text), statement.period_start)
    by_amount = [(row, acc) for row, acc in candidates if abs(Decimal(str(row.get("amount") or "0"))) in amounts]
    if by_amount and days:
        by_amount = [(row, acc) for row, acc in by_amount if date.fromisoformat(str(row["date"])) in days] \
            or by_amount
    by_day = [(row, acc) for row, acc in candidates if date.fromisoformat(str(row["date"])) in days]
    chosen = by_ref or by_amount or by_day
    out: list[str] = []
    for row, account in chosen:
        key = line_key(row, account)
        if key not in out:
            out.append(key)
    return out[:20]
