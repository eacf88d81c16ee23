"""A dealer's words about its statement (``handlers.flows.account``, ``handlers.flows.statements``): the month named
("11月的对账单", "上月对账单"), whether it agrees ("确认对账", "没问题") or disputes it ("账不对"), and finance's
adjustment typed as an amount and a reason ("+500 收款少记").

The handlers take what was said from the functions here; they read no words themselves.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from core.money import money
from core.statements import previous_period

# said about a statement: the dealer disputes it ("账不对") / agrees ("确认对账", "没问题")
DISPUTE_WORDS = ("不对", "有误", "错", "对不上", "有问题", "异议", "wrong", "dispute")
CONFIRM_WORDS = ("确认", "没问题", "无误", "没错", "confirm")
_LAST_MONTH = ("上个月", "上月", "last month")
_MONTH = re.compile(r"(\d{1,2})\s*月")


class StatementAnswer(StrEnum):
    CONFIRM = "confirm"
    DISPUTE = "dispute"


def statement_answer(text: str) -> StatementAnswer | None:
    """"确认对账", "没问题": agrees (checked first); "账不对", "有误": disputes; else None."""
    said = text.lower()
    if any(w in said for w in CONFIRM_WORDS):
        return StatementAnswer.CONFIRM
    if any(w in said for w in DISPUTE_WORDS):
        return StatementAnswer.DISPUTE
    return None


def statement_month_asked(text: str, today: date, *, last_month: bool = False) -> str | None:
    """The month of the statement asked for ("上月对账单" or ``last_month`` read by the parser: the month before
    ``today``'s; "11月的对账单": the latest November before this month), as ``"2026-11"``, else None."""
    if last_month or any(w in text for w in _LAST_MONTH):
        return previous_period(today)
    found = _MONTH.search(text)
    if found and 1 <= int(found.group(1)) <= 12:
        month = int(found.group(1))
        return f"{today.year if month < today.month else today.year - 1:04d}-{month:02d}"
    return None


_AMOUNT = re.compile(r"^\s*([+\-－]?)\s*[¥￥]?\s*(\d[\d,]*(?:\.\d{1,2})?)\s*(?:元)?\s*(.*)$", re.DOTALL)


def read_adjustment(text: str) -> tuple[Decimal, str] | None:
    """``+500 收款少记`` -> (500.00, "收款少记"); ``-1,200.5 多退`` -> (-1200.50, "多退"); no amount: None."""
    found = _AMOUNT.match(text)
    if found is None:
        return None
    sign, digits, words = found.groups()
    try:
        value = money(Decimal(digits.replace(",", "")))
    except (InvalidOperation, ValueError):
        return None
    return (-value if sign in ("-", "－") else value), words.strip()
