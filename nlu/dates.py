"""Delivery dates written the way dealers write them, resolved against a business day.

Understood (Chinese and a little English): 今天 / 明天 / 后天 / 大后天, N天后, 周X / 星期X / 礼拜X
(the next such day), 这周X / 本周X, 下周X / 下下周X, 下周 (next Monday), X月X号 / X月X日 (this
year, or next year once passed), X号 (this month, or next month once passed), YYYY-MM-DD /
YYYY/MM/DD / YYYY年M月D日, today / tomorrow / day after tomorrow / next monday / monday.

``today`` is the caller's business date (Asia/Shanghai, from ``Clock.today()``); nothing here reads
the system clock. Whether a date is acceptable (not in the past, not too far ahead) is the caller's
rule, not this module's.
"""

from __future__ import annotations

import re
from calendar import monthrange
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from nlu.numbers import parse_int


@dataclass(frozen=True)
class DateMatch:
    """A date found in a text and where it was written (``text[start:end]``)."""

    value: date
    start: int
    end: int


_NUM = r"\d{1,2}|[一二两三四五六七八九十]{1,3}"
_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "七": 6,
             "1": 0, "2": 1, "3": 2, "4": 3, "5": 4, "6": 5, "7": 6}
_EN_WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
                "sunday": 6, "mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
_WEEK = r"(?:周|星期|礼拜)"
_WD = r"(?P<wd>[一二三四五六日天七1-7])"


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


def _full(m: re.Match[str], today: date) -> date | None:
    return _safe_date(int(m["y"]), int(m["m"]), int(m["d"]))


def _month_day(m: re.Match[str], today: date) -> date | None:
    month, day = parse_int(m["m"]), parse_int(m["d"])
    if month is None or day is None:
        return None
    found = _safe_date(today.year, month, day)
    if found is not None and found < today:
        found = _safe_date(today.year + 1, month, day)
    return found


def _day_only(m: re.Match[str], today: date) -> date | None:
    day = parse_int(m["d"])
    if day is None or not 1 <= day <= 31:
        return None
    if day >= today.day and day <= monthrange(today.year, today.month)[1]:
        return today.replace(day=day)
    year, month = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
    return _safe_date(year, month, day)


def _days_later(m: re.Match[str], today: date) -> date | None:
    n = parse_int(m["n"])
    return today + timedelta(days=n) if n is not None and n <= 366 else None


def _week_day(weeks: int) -> Callable[[re.Match[str], date], date | None]:
    def resolve(m: re.Match[str], today: date) -> date | None:
        return _monday(today) + timedelta(weeks=weeks, days=_WEEKDAYS[m["wd"]])
    return resolve


def _next_weekday(m: re.Match[str], today: date) -> date | None:
    """周三 on a Thursday: next week's Wednesday; on a Monday: this Wednesday (never today)."""
    wanted = _WEEKDAYS[m["wd"]] if m.groupdict().get("wd") else _EN_WEEKDAYS[m["en"].lower()]
    ahead = (wanted - today.weekday()) % 7 or 7
    return today + timedelta(days=ahead)


def _en_next_weekday(m: re.Match[str], today: date) -> date | None:
    return _monday(today) + timedelta(weeks=1, days=_EN_WEEKDAYS[m["en"].lower()])


_EN_MONTHS = {"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
              "september": 9, "october": 10, "november": 11, "december": 12, "jan": 1, "feb": 2, "mar": 3,
              "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12}


def _en_month_day(m: re.Match[str], today: date) -> date | None:
    month, day = _EN_MONTHS[m["mon"].lower()], int(m["d"])
    found = _safe_date(today.year, month, day)
    if found is not None and found < today:
        found = _safe_date(today.year + 1, month, day)
    return found


def _en_this_weekday(m: re.Match[str], today: date) -> date | None:
    """"this Friday": the Friday of this week, or the next one when it has passed."""
    wanted = _EN_WEEKDAYS[m["en"].lower()]
    return today + timedelta(days=(wanted - today.weekday()) % 7)


def _next_month_day(m: re.Match[str], today: date) -> date | None:
    day = parse_int(m["d"])
    year, month = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
    return _safe_date(year, month, day) if day is not None else None


def _month_end(m: re.Match[str], today: date) -> date | None:
    return today.replace(day=monthrange(today.year, today.month)[1])


def _offset(days: int) -> Callable[[re.Match[str], date], date | None]:
    return lambda m, today: today + timedelta(days=days)


def _next_monday(m: re.Match[str], today: date) -> date | None:
    return _monday(today) + timedelta(weeks=1)


# Most specific first: "大后天" before "后天", "下下周三" before "下周三" before "周三".
_RULES: list[tuple[re.Pattern[str], Callable[[re.Match[str], date], date | None]]] = [
    (re.compile(r"(?<!\d)(?P<y>\d{4})\s*(?:[-/.]|年)\s*(?P<m>\d{1,2})\s*(?:[-/.]|月)\s*(?P<d>\d{1,2})(?!\d)\s*[日号]?"),
     _full),
    (re.compile(rf"(?<![\d年])(?P<m>{_NUM})\s*月\s*(?P<d>{_NUM})\s*[日号]?"), _month_day),
    # "12.10之前", "12/10到": month.day, only with a word that says it is a date (12.10 may be a price)
    (re.compile(r"(?<![\d.])(?P<m>1[0-2]|0?[1-9])[./](?P<d>3[01]|[12]\d|0?[1-9])(?![\d.])"
                r"(?=\s*[号日]?\s*(?:之前|以前|前|到|送|交|发|before|by))"), _month_day),
    (re.compile(r"大后天"), _offset(3)),
    (re.compile(r"后天|day after tomorrow", re.IGNORECASE), _offset(2)),
    (re.compile(r"(?<![a-z])in\s+(?P<n>\d{1,3}|two|three|four|five|six|seven|ten)\s+days?(?![a-z])", re.IGNORECASE),
     _days_later),
    (re.compile(r"明天|明日|tomorrow", re.IGNORECASE), _offset(1)),
    (re.compile(r"今天|今日|today", re.IGNORECASE), _offset(0)),
    (re.compile(r"(?P<n>\d{1,3}|[一二两三四五六七八九十]{1,3})\s*天(?:以)?后"), _days_later),
    (re.compile(rf"下下个?{_WEEK}{_WD}"), _week_day(2)),
    (re.compile(rf"下个?{_WEEK}{_WD}"), _week_day(1)),
    (re.compile(rf"(?:这|本|这个){_WEEK}{_WD}"), _week_day(0)),
    (re.compile(rf"{_WEEK}{_WD}"), _next_weekday),
    (re.compile(r"下个?月\s*(?P<d>" + _NUM + r")\s*[号日]"), _next_month_day),
    (re.compile(r"月底|月末|end of (?:the|this) month", re.IGNORECASE), _month_end),
    (re.compile(r"(?<![a-z])(?P<mon>" + "|".join(_EN_MONTHS) + r")\.?\s*(?P<d>\d{1,2})(?:st|nd|rd|th)?(?![\d])",
                re.IGNORECASE), _en_month_day),
    (re.compile(r"(?<![\d])(?P<d>\d{1,2})(?:st|nd|rd|th)?\s*(?:of\s+)?(?P<mon>" + "|".join(_EN_MONTHS) + r")(?![a-z])",
                re.IGNORECASE), _en_month_day),
    (re.compile(r"下个?(?:周|星期|礼拜)|next week", re.IGNORECASE), _next_monday),
    (re.compile(r"(?<![a-z])next\s+(?P<en>" + "|".join(_EN_WEEKDAYS) + r")(?![a-z])", re.IGNORECASE), _en_next_weekday),
    (re.compile(r"(?<![a-z])this\s+(?P<en>" + "|".join(_EN_WEEKDAYS) + r")(?![a-z])", re.IGNORECASE), _en_this_weekday),
    (re.compile(r"(?<![a-z])(?:on\s+)?(?P<en>monday|tuesday|wednesday|thursday|friday|saturday|sunday)(?![a-z])",
                re.IGNORECASE), _next_weekday),
    # "大一号的", "小两号": a size up or down, no day of the month
    (re.compile(rf"(?<![\d月/\-.A-Za-z大小])(?P<d>{_NUM})\s*[号日](?![\d装份款量用码])"), _day_only),
]


def find_date(text: str, today: date) -> DateMatch | None:
    """The first date written in ``text`` (by the most specific rule that matches), else None."""
    for pattern, resolve in _RULES:
        for m in pattern.finditer(text):
            value = resolve(m, today)
            if value is not None:
                return DateMatch(value=value, start=m.start(), end=m.end())
    return None


# "deliver before Dec 20", "最晚12月20号", "12月20号之前送到": the date is the latest, not the day
_LATEST_BEFORE = re.compile(r"(?:before|by|no later than|not later than|at the latest|latest|最晚|最迟|不晚于|不迟于|截止)"
                            r"\s*(?:on\s+|the\s+)?$", re.IGNORECASE)
_LATEST_AFTER = re.compile(r"^\s*[号日]?\s*(?:之前|以前|前(?!天)|为止|at the latest)", re.IGNORECASE)


def latest_date_said(text: str, today: date) -> bool:
    """Whether the date ``find_date`` reads in ``text`` is a latest one ("before Dec 20", "20号之前"), not the day."""
    found = find_date(text, today)
    if found is None:
        return False
    return bool(_LATEST_BEFORE.search(text[:found.start]) or _LATEST_AFTER.match(text[found.end:]))


def parse_date(text: str, today: date) -> date | None:
    """Just the date of ``find_date``."""
    found = find_date(text, today)
    return found.value if found else None


# --- when something happened (an order placed "前天", "11月初"): periods in the past --------------------

_EARLY_MID_LATE = {"初": (1, 10), "上旬": (1, 10), "头": (1, 10), "中": (11, 20), "中旬": (11, 20), "底": (21, 31),
                   "末": (21, 31), "下旬": (21, 31)}
_MONTH_PART = re.compile(rf"(?P<m>{_NUM})月(?:份)?(?:(?P<d>{_NUM})(?:号|日)|(?P<part>初|上旬|中旬|下旬|中|底|末|头))?")
_DAYS_AGO = re.compile(rf"(?P<n>{_NUM})天(?:前|之前)|(?P<word>大前天|前天|昨天|昨日|今天|今日|yesterday|today)")
_WEEK_AGO = re.compile(r"上上(?:周|星期|礼拜)|上(?:周|星期|礼拜)|这(?:周|星期|礼拜)|本周|last week|this week")
_MONTH_AGO = re.compile(r"上上个?月|上个?月|这个月|本月|last month|this month")
_FULL_MONTHS = {m: i for i, m in enumerate(("january", "february", "march", "april", "may", "june", "july", "august",
                                          "september", "october", "november", "december"), 1)}
_EN_MONTH_PART = re.compile(r"(?P<part>early|mid|late|end of|beginning of)?\s*(?P<m>" + "|".join(_FULL_MONTHS) + r")")


@dataclass(frozen=True)
class PeriodMatch:
    """A stretch of past days found in a text (``first`` to ``last``, both included)."""

    first: date
    last: date
    start: int
    end: int


def _month_back(today: date, month: int) -> int:
    """The year of ``month`` that is not in the future."""
    return today.year if month <= today.month else today.year - 1


def _month_span(year: int, month: int, lo: int = 1, hi: int = 31) -> tuple[date, date]:
    end = monthrange(year, month)[1]
    return date(year, month, min(lo, end)), date(year, month, min(hi, end))


def find_past_period(text: str, today: date) -> PeriodMatch | None:
    """When something happened, in normalized ``text``: "前天", "3天前", "上周", "上个月", "11月初", "11月20号",
    "early november". Dates are never in the future (a month later than this one is last year's)."""
    if m := _DAYS_AGO.search(text):
        word = m.group("word")
        back = {"大前天": 3, "前天": 2, "昨天": 1, "昨日": 1, "yesterday": 1, "今天": 0, "今日": 0, "today": 0}.get(
            word or "", None)
        n = back if back is not None else parse_int(m.group("n") or "")
        if n is not None:
            day = today - timedelta(days=n)
            return PeriodMatch(day, day, m.start(), m.end())
    if m := _MONTH_PART.search(text):
        month = parse_int(m.group("m"))
        if month and 1 <= month <= 12:
            year = _month_back(today, month)
            if m.group("d"):
                d = parse_int(m.group("d"))
                if d and 1 <= d <= monthrange(year, month)[1]:
                    day = date(year, month, d)
                    if day > today:
                        day = date(year - 1, month, min(d, monthrange(year - 1, month)[1]))
                    return PeriodMatch(day, day, m.start(), m.end())
            lo, hi = _EARLY_MID_LATE.get(m.group("part") or "", (1, 31))
            first, last = _month_span(year, month, lo, hi)
            return PeriodMatch(first, min(last, today), m.start(), m.end())
    if m := _EN_MONTH_PART.search(text):
        month = _FULL_MONTHS[m.group("m")]
        part = {"early": (1, 10), "beginning of": (1, 10), "mid": (11, 20), "late": (21, 31), "end of": (21, 31)}
        lo, hi = part.get(m.group("part") or "", (1, 31))
        first, last = _month_span(_month_back(today, month), month, lo, hi)
        return PeriodMatch(first, min(last, today), m.start(), m.end())
    if m := _WEEK_AGO.search(text):
        monday = today - timedelta(days=today.weekday())
        word = m.group(0)
        weeks = 2 if word.startswith("上上") else 1 if word.startswith(("上", "last")) else 0
        first = monday - timedelta(weeks=weeks)
        return PeriodMatch(first, min(first + timedelta(days=6), today), m.start(), m.end())
    if m := _MONTH_AGO.search(text):
        word = m.group(0)
        back = 2 if word.startswith("上上") else 1 if word.startswith(("上", "last")) else 0
        year, month = today.year, today.month - back
        while month < 1:
            year, month = year - 1, month + 12
        first, last = _month_span(year, month)
        return PeriodMatch(first, min(last, today), m.start(), m.end())
    return None
