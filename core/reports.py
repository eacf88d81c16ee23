"""Sales and order analytics as pure types: what a report asks (``ReportFilter``, ``ReportKind``) and what
it answers (``Report`` with small row dataclasses, money as ``Decimal``).

Where the figures come from:

- orders (sell-in, what dealers bought from the maker): orders not cancelled or rejected, counted on their
  creation day in the business time zone; an order's amount is its ``total``; product mix sums the lines
  (``unit_price * qty - discount``);
- sell-out (what dealers sold to their customers): ``SellOutLine`` rows by ``sold_on``; the province and city
  are the line's own (where the customer was), the region and tier are the dealer's.

``core.ports.AbstractReportStore`` computes the aggregates (SQL in ``storage.reports``); the use cases in
``core.services.reports`` check who may see what and fill a ``Report``. ``report_table`` turns any report
into headers and rows (Excel, HTML tables); charts are drawn by ``analytics.charts``.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from core.contracts import ContractStatus
from core.errors import ValidationFailed
from core.money import ZERO, fmt_cny
from core.orders import OrderStatus

COUNTED_ORDER_STATUSES: tuple[OrderStatus, ...] = tuple(
    s for s in OrderStatus if s not in (OrderStatus.CANCELLED, OrderStatus.REJECTED))
"""Orders that count as sales (the same rule as contract execution)."""

TARGET_CONTRACTS: tuple[ContractStatus, ...] = (ContractStatus.ACTIVE, ContractStatus.SIGNED, ContractStatus.EXPIRED)
"""Contracts whose targets count in the target-achievement report."""

RATIO = Decimal("0.0001")


class ReportKind(StrEnum):
    ORDER_SUMMARY = "order_summary"          # counts, amounts, monthly trend
    ORDER_PRODUCTS = "order_products"        # product mix of what was ordered
    ORDER_FREQUENCY = "order_frequency"      # orders per dealer, days between orders
    ORDER_REGIONS = "order_regions"          # orders by the dealers' region (or province, city)
    ORDER_DEALERS = "order_dealers"          # dealer ranking by what they ordered
    SELLOUT_SUMMARY = "sellout_summary"      # sell-out totals and monthly trend
    SELLOUT_REGIONS = "sellout_regions"      # by province (or city, with a province filter)
    SELLOUT_PRODUCTS = "sellout_products"    # product ranking
    SELLOUT_DEALERS = "sellout_dealers"      # dealer ranking
    TARGETS = "targets"                      # contract target achievement per dealer

    @property
    def is_sellout(self) -> bool:
        return self.value.startswith("sellout")

    @property
    def is_orders(self) -> bool:
        return self.value.startswith("order")


REPORT_TITLES: dict[ReportKind, tuple[str, str]] = {
    ReportKind.ORDER_SUMMARY: ("订单概况", "Orders overview"),
    ReportKind.ORDER_PRODUCTS: ("订货产品结构", "Product mix of orders"),
    ReportKind.ORDER_FREQUENCY: ("经销商订货频次", "Order frequency per dealer"),
    ReportKind.ORDER_REGIONS: ("分地区订货", "Orders by region"),
    ReportKind.ORDER_DEALERS: ("经销商订货排行", "Dealer ranking (orders)"),
    ReportKind.SELLOUT_SUMMARY: ("动销概况", "Sell-out overview"),
    ReportKind.SELLOUT_REGIONS: ("分地区动销", "Sell-out by region"),
    ReportKind.SELLOUT_PRODUCTS: ("产品动销排行", "Product ranking (sell-out)"),
    ReportKind.SELLOUT_DEALERS: ("经销商动销排行", "Dealer ranking (sell-out)"),
    ReportKind.TARGETS: ("目标达成", "Target achievement"),
}


class Dimension(StrEnum):
    """What a breakdown groups by."""

    REGION = "region"            # the dealer's sales region (华东 ...)
    PROVINCE = "province"
    CITY = "city"
    SKU = "sku"
    CATEGORY = "category"
    DEALER = "dealer"


class PeriodPreset(StrEnum):
    """Periods named relative to today. A period is also written as a code that carries its dates
    (``period_range``): ``2025`` a year, ``2026Q3`` a quarter, ``202611`` a month, ``20261120`` a day,
    ``202610-202612`` the months from one to the other."""

    TODAY = "today"
    YESTERDAY = "yesterday"
    WEEK = "week"                # this week (from Monday) up to today
    LAST_WEEK = "last_week"
    MONTH = "month"              # this month up to today
    LAST_MONTH = "last_month"
    QUARTER = "quarter"          # this quarter up to today
    LAST_QUARTER = "last_quarter"
    YEAR = "year"                # this year up to today
    LAST_YEAR = "last_year"
    LAST_12_MONTHS = "12m"       # the 11 full months before this one and this month up to today


PERIOD_LABELS: dict[PeriodPreset, tuple[str, str]] = {
    PeriodPreset.TODAY: ("今天", "today"),
    PeriodPreset.YESTERDAY: ("昨天", "yesterday"),
    PeriodPreset.WEEK: ("本周", "this week"),
    PeriodPreset.LAST_WEEK: ("上周", "last week"),
    PeriodPreset.MONTH: ("本月", "this month"),
    PeriodPreset.LAST_MONTH: ("上月", "last month"),
    PeriodPreset.QUARTER: ("本季度", "this quarter"),
    PeriodPreset.LAST_QUARTER: ("上季度", "last quarter"),
    PeriodPreset.YEAR: ("今年", "this year"),
    PeriodPreset.LAST_YEAR: ("去年", "last year"),
    PeriodPreset.LAST_12_MONTHS: ("近12个月", "last 12 months"),
}

# the parser's words for periods relative to today (``nlu.report_periods``: the ``period`` slot)
PERIOD_WORDS: dict[str, PeriodPreset] = {
    "today": PeriodPreset.TODAY, "yesterday": PeriodPreset.YESTERDAY, "this_week": PeriodPreset.WEEK,
    "last_week": PeriodPreset.LAST_WEEK, "this_month": PeriodPreset.MONTH, "last_month": PeriodPreset.LAST_MONTH,
    "this_quarter": PeriodPreset.QUARTER, "last_quarter": PeriodPreset.LAST_QUARTER, "this_year": PeriodPreset.YEAR,
    "last_year": PeriodPreset.LAST_YEAR, "last_12_months": PeriodPreset.LAST_12_MONTHS}

_PERIOD_CODE = re.compile(r"(?P<y>\d{4})(?:Q(?P<q>[1-4])|(?P<m>0[1-9]|1[0-2])(?P<d>\d{2})?"
                          r"(?:-(?P<y2>\d{4})(?P<m2>0[1-9]|1[0-2])(?P<d2>\d{2})?)?)?")


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    """The first of the month ``months`` after ``day``'s month (negative: before)."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def month_key(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def months_between(start: date, end: date) -> list[str]:
    """``YYYY-MM`` keys of every month from ``start``'s to ``end``'s, inclusive."""
    keys, cursor = [], month_start(start)
    while cursor <= end:
        keys.append(month_key(cursor))
        cursor = add_months(cursor, 1)
    return keys


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _unknown_period(period: str) -> ValidationFailed:
    return ValidationFailed(zh=f"输入有误：未知期间 {period}", en=f"Invalid input: unknown period {period}",
                            reason="period")


def _preset_range(preset: PeriodPreset, today: date) -> tuple[date, date]:
    if preset == PeriodPreset.TODAY:
        return today, today
    if preset == PeriodPreset.YESTERDAY:
        return today - timedelta(days=1), today - timedelta(days=1)
    if preset in (PeriodPreset.WEEK, PeriodPreset.LAST_WEEK):
        monday = today - timedelta(days=today.weekday())
        if preset == PeriodPreset.WEEK:
            return monday, today
        return monday - timedelta(days=7), monday - timedelta(days=1)
    if preset == PeriodPreset.MONTH:
        return month_start(today), today
    if preset == PeriodPreset.LAST_MONTH:
        first = add_months(today, -1)
        return first, month_end(first)
    if preset == PeriodPreset.QUARTER:
        return quarter_start(today), today
    if preset == PeriodPreset.LAST_QUARTER:
        first = add_months(quarter_start(today), -3)
        return first, month_end(add_months(first, 2))
    if preset == PeriodPreset.YEAR:
        return date(today.year, 1, 1), today
    if preset == PeriodPreset.LAST_YEAR:
        return date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)
    return add_months(today, -11), today


def _code_range(period: str) -> tuple[date, date] | None:
    """The whole period a code names (not cut at today), None when it is no code."""
    m = _PERIOD_CODE.fullmatch(period)
    if m is None:
        return None
    year = int(m["y"])
    try:
        if m["q"]:
            first = date(year, 3 * int(m["q"]) - 2, 1)
            return first, month_end(add_months(first, 2))
        if m["m"] is None:
            return date(year, 1, 1), date(year, 12, 31)
        first = date(year, int(m["m"]), 1)
        if m["d"]:            # a day, or days from one to the other, both inclusive ("20261101-20261107")
            day = first.replace(day=int(m["d"]))
            if m["y2"] is None:
                return day, day
            return (day, date(int(m["y2"]), int(m["m2"]), int(m["d2"]))) if m["d2"] else None
        if m["d2"]:
            return None
        if m["y2"]:
            return first, month_end(date(int(m["y2"]), int(m["m2"]), 1))
        return first, month_end(first)
    except ValueError:
        return None


def is_period(period: str) -> bool:
    """A preset's value or a code ``period_range`` reads."""
    return period in PeriodPreset._value2member_map_ or _code_range(period) is not None


def period_said(said: str | None) -> str | None:
    """The period of the parser's ``period`` slot: a preset's value for a word, the code itself, else None."""
    if not said:
        return None
    preset = PERIOD_WORDS.get(said)
    if preset is not None:
        return preset.value
    return said if is_period(said) else None


def period_range(preset: PeriodPreset | str, today: date) -> tuple[date, date]:
    """First and last day (inclusive) of a period as seen on ``today``: a preset, or a code (``2025``,
    ``2026Q3``, ``202611``, ``20261120``, ``202610-202612``) cut at today when it is still running. A period
    that has not started yet, or a code that names none, is refused: nothing falls back to another period."""
    if preset in PeriodPreset._value2member_map_:
        return _preset_range(PeriodPreset(preset), today)
    found = _code_range(str(preset))
    if found is None or found[0] > found[1]:
        raise _unknown_period(str(preset))
    start, end = found
    if start > today:
        raise ValidationFailed(zh=f"输入有误：{period_label(str(preset))}还没有到", en=f"Invalid input: "
                               f"{period_label(str(preset), 'en')} has not started yet", reason="period")
    return start, min(end, today)


def period_label(period: PeriodPreset | str, lang: str = "zh") -> str:
    """What people read for a period: ``本月``, ``2025年``, ``2026年第3季度``, ``2026年11月`` (en: ``Q3 2026`` ...)."""
    en = lang.lower().startswith("en")
    if period in PeriodPreset._value2member_map_:
        zh_label, en_label = PERIOD_LABELS[PeriodPreset(period)]
        return en_label if en else zh_label
    m = _PERIOD_CODE.fullmatch(str(period))
    if m is None or _code_range(str(period)) is None:
        return str(period)
    year = m["y"]
    if m["q"]:
        return f"Q{m['q']} {year}" if en else f"{year}年第{m['q']}季度"
    if m["m"] is None:
        return year if en else f"{year}年"
    month = int(m["m"])
    if m["d"] and m["d2"]:
        last = f"{m['y2']}年{int(m['m2'])}月{int(m['d2'])}日" if m["y2"] != year else f"{int(m['m2'])}月{int(m['d2'])}日"
        return (f"{year}-{m['m']}-{m['d']} to {m['y2']}-{m['m2']}-{m['d2']}" if en
                else f"{year}年{month}月{int(m['d'])}日至{last}")
    if m["d"]:
        return f"{year}-{m['m']}-{m['d']}" if en else f"{year}年{month}月{int(m['d'])}日"
    if m["y2"]:
        return (f"{year}-{m['m']} to {m['y2']}-{m['m2']}" if en
                else f"{year}年{month}月至{m['y2']}年{int(m['m2'])}月")
    return f"{year}-{m['m']}" if en else f"{year}年{month}月"


def year_before(day: date) -> date:
    """The same day a year before (28 February for 29 February)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


@dataclass(frozen=True)
class ReportFilter:
    """The rows a report covers. ``end`` is inclusive. Every filter is optional except the period."""

    start: date
    end: date
    region: str | None = None
    province: str | None = None
    city: str | None = None
    tier: str | None = None
    category: str | None = None
    sku: str | None = None
    dealer_id: int | None = None

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValidationFailed(zh="输入有误：结束日期早于开始日期", en="Invalid input: the period ends before it starts",
                                   reason="period")
        if (self.end - self.start).days > 366 * 5:
            raise ValidationFailed(zh="输入有误：期间最长 5 年", en="Invalid input: a period spans at most 5 years",
                                   reason="period")

    def previous(self) -> ReportFilter:
        """The same filter over the period before this one (环比, for comparisons). A period that begins on the
        first of a month is compared month for month, like with like: this month so far (1–7 December) with the same
        first days of the month before (1–7 November), a whole month with the whole month before, a quarter (or half
        year, year) so far with the same days of the one before; any other period with the days of equal length
        just before."""
        if self.start.day != 1:
            days = (self.end - self.start).days + 1
            return replace(self, start=self.start - timedelta(days=days), end=self.start - timedelta(days=1))
        months = (self.end.year * 12 + self.end.month) - (self.start.year * 12 + self.start.month) + 1
        # the calendar unit the period is (part of): a month, a quarter (so far), a half year, a year (to date)
        shift = next((u for u in (1, 3, 6, 12) if u >= months and (self.start.month - 1) % u == 0), months)
        start = add_months(self.start, -shift)
        last_month = add_months(self.end, -shift)
        if self.end == month_end(self.end):
            return replace(self, start=start, end=month_end(last_month))
        return replace(self, start=start, end=last_month.replace(day=min(self.end.day, month_end(last_month).day)))

    def year_ago(self) -> ReportFilter:
        """The same filter over the same days a year before (同比)."""
        return replace(self, start=year_before(self.start), end=year_before(self.end))

    def describe(self, lang: str = "zh") -> str:
        """``2026-11-01~2026-11-26 · 华东 · A级`` for titles and sheet headers."""
        en = lang.lower().startswith("en")
        parts = [f"{self.start.isoformat()}~{self.end.isoformat()}"]
        for value in (self.region, self.province, self.city, self.category, self.sku):
            if value:
                parts.append(value)
        if self.tier:
            parts.append(f"tier {self.tier}" if en else f"{self.tier}级")
        return " · ".join(parts)


# --- results ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Totals:
    """Headline figures. For orders ``count`` is orders; for sell-out it is lines."""

    count: int = 0
    qty: int = 0
    amount: Decimal = ZERO
    dealers: int = 0                 # distinct dealers with at least one row

    @property
    def average(self) -> Decimal:
        """Amount per order (per line for sell-out)."""
        if not self.count:
            return ZERO
        return (self.amount / self.count).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class MonthPoint:
    month: str                       # "2026-11"
    count: int
    qty: int
    amount: Decimal


@dataclass(frozen=True)
class Share:
    """One group of a breakdown: a region, a product, a dealer ..."""

    key: str                         # the value grouped by (SKU, province, dealer code ...)
    label: str                       # what people read (product or dealer name; the key otherwise)
    count: int
    qty: int
    amount: Decimal
    share: Decimal = Decimal("0")    # of the amount of all groups, 0.2513 = 25.13 %


@dataclass(frozen=True)
class DealerFrequency:
    dealer_id: int
    code: str
    name: str
    orders: int
    amount: Decimal
    first_day: date
    last_day: date

    @property
    def average_gap_days(self) -> Decimal | None:
        """Mean days between consecutive orders; None with a single order."""
        if self.orders < 2:
            return None
        return (Decimal((self.last_day - self.first_day).days) / (self.orders - 1)).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class TargetRow:
    dealer_id: int
    code: str
    name: str
    target: Decimal                  # CNY, the contract's amount targets falling in the period
    actual: Decimal                  # CNY ordered (sell-in) in the same windows
    sell_out: Decimal                # CNY sold on, for comparison

    @property
    def achievement(self) -> Decimal:
        if self.target <= 0:
            return Decimal("0")
        return (self.actual / self.target).quantize(RATIO, rounding=ROUND_HALF_UP)


def below_target(rows: tuple[TargetRow, ...]) -> tuple[TargetRow, ...]:
    """The rows under 100 % of their target ("哪些经销商没完成目标"), in the order given."""
    return tuple(r for r in rows if r.target > 0 and r.actual < r.target)


@dataclass(frozen=True)
class Report:
    kind: ReportKind
    filter: ReportFilter
    totals: Totals = field(default_factory=Totals)
    previous: Totals | None = None           # the same filter over the period before (summaries: 环比)
    year_ago: Totals | None = None           # the same filter over the same days a year before (summaries: 同比)
    trend: tuple[MonthPoint, ...] = ()
    shares: tuple[Share, ...] = ()
    frequency: tuple[DealerFrequency, ...] = ()
    targets: tuple[TargetRow, ...] = ()
    dimension: Dimension | None = None       # what ``shares`` group by
    lowest_first: bool = False               # a ranking from the bottom ("完成率最低", "卖得最差")

    def title(self, lang: str = "zh") -> str:
        zh, en = REPORT_TITLES[self.kind]
        if self.lowest_first:
            zh, en = zh + "·从低到高", en + ", lowest first"
        return en if lang.lower().startswith("en") else zh


def with_shares(rows: list[Share]) -> tuple[Share, ...]:
    """The rows with ``share`` set to each one's part of the total amount."""
    total = sum((r.amount for r in rows), ZERO)
    if total <= 0:
        return tuple(rows)
    return tuple(replace(r, share=(r.amount / total).quantize(RATIO, rounding=ROUND_HALF_UP)) for r in rows)


def fill_months(points: list[MonthPoint], start: date, end: date) -> tuple[MonthPoint, ...]:
    """One point per month of the period, zero where nothing happened, in order."""
    by_month = {p.month: p for p in points}
    return tuple(by_month.get(m, MonthPoint(m, 0, 0, ZERO)) for m in months_between(start, end))


def change(now: Decimal, before: Decimal) -> Decimal | None:
    """Relative change ``now / before - 1`` (0.125 = +12.5 %); None when there was nothing before."""
    if before <= 0:
        return None
    return (now / before - 1).quantize(RATIO, rounding=ROUND_HALF_UP)


def percent(ratio: Decimal) -> str:
    return f"{(ratio * 100).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"


# --- as a table ---------------------------------------------------------------------------------------

Cell = str | int | Decimal | date | None

_HEAD: dict[str, tuple[str, str]] = {
    "month": ("月份", "Month"), "count_orders": ("订单数", "Orders"), "count_lines": ("行数", "Lines"),
    "qty": ("数量", "Quantity"), "amount": ("金额(元)", "Amount (CNY)"), "share": ("占比", "Share"),
    "key": ("编码", "Key"), "label": ("名称", "Name"), "dealer": ("经销商", "Dealer"), "code": ("编码", "Code"),
    "first": ("首单", "First order"), "last": ("末单", "Last order"), "gap": ("平均间隔(天)", "Avg. days between"),
    "target": ("目标(元)", "Target (CNY)"), "actual": ("进货(元)", "Sell-in (CNY)"),
    "achievement": ("达成率", "Achievement"), "sell_out": ("动销(元)", "Sell-out (CNY)"),
    "region": ("大区", "Region"), "province": ("省份", "Province"), "city": ("城市", "City"),
    "sku": ("产品", "Product"), "category": ("品类", "Category"),
}


def _h(key: str, lang: str) -> str:
    zh, en = _HEAD[key]
    return en if lang.lower().startswith("en") else zh


def report_table(report: Report, lang: str = "zh") -> tuple[list[str], list[list[Cell]]]:
    """Headers and rows of the report's main table (the trend for summaries)."""
    count = "count_lines" if report.kind.is_sellout else "count_orders"
    if report.kind in (ReportKind.ORDER_SUMMARY, ReportKind.SELLOUT_SUMMARY):
        return ([_h(k, lang) for k in ("month", count, "qty", "amount")],
                [[p.month, p.count, p.qty, p.amount] for p in report.trend])
    if report.kind == ReportKind.ORDER_FREQUENCY:
        return ([_h(k, lang) for k in ("code", "dealer", "count_orders", "amount", "first", "last", "gap")],
                [[f.code, f.name, f.orders, f.amount, f.first_day, f.last_day, f.average_gap_days]
                 for f in report.frequency])
    if report.kind == ReportKind.TARGETS:
        return ([_h(k, lang) for k in ("code", "dealer", "target", "actual", "achievement", "sell_out")],
                [[t.code, t.name, t.target, t.actual, percent(t.achievement), t.sell_out] for t in report.targets])
    dim = (report.dimension or Dimension.SKU).value
    return ([_h(dim, lang), _h("label", lang), _h(count, lang), _h("qty", lang), _h("amount", lang),
             _h("share", lang)],
            [[s.key, s.label, s.count, s.qty, s.amount, percent(s.share)] for s in report.shares])


def summary_lines(report: Report, lang: str = "zh", top: int = 5) -> list[str]:
    """A few short lines for a phone screen: the headline figures and the top rows."""
    en = lang.lower().startswith("en")
    t = report.totals
    lines: list[str] = []
    if report.kind.is_orders or report.kind.is_sellout:
        unit = ("orders" if en else "单") if report.kind.is_orders else ("lines" if en else "行")
        lines.append(f"Amount {fmt_cny(t.amount)} · {t.count} {unit} · {t.qty} units · {t.dealers} dealers"
                      if en else f"金额 {fmt_cny(t.amount)} · {t.count} {unit} · {t.qty} 件 · {t.dealers} 家经销商")
        if report.previous is not None:
            delta = change(t.amount, report.previous.amount)
            if delta is not None:
                sign = "+" if delta >= 0 else ""
                lines.append(f"vs previous period {sign}{percent(delta)} ({_compared(report.filter)})" if en
                             else f"环比 {sign}{percent(delta)}（{_compared(report.filter)}）")
        if report.year_ago is not None:
            lines.append(year_on_year_line(report, lang))
    for s in report.shares[:top]:
        lines.append(f"• {s.label} {fmt_cny(s.amount)} ({percent(s.share)})")
    for f in report.frequency[:top]:
        gap = f.average_gap_days
        every = "" if gap is None else (f", every {gap} days" if en else f"，平均 {gap} 天一单")
        lines.append(f"• {f.name}: {f.orders} {'orders' if en else '单'} {fmt_cny(f.amount)}{every}")
    for row in report.targets[:top]:
        lines.append(f"• {row.name}: {percent(row.achievement)} ({fmt_cny(row.actual)} / {fmt_cny(row.target)})")
    return lines


def _compared(f: ReportFilter) -> str:
    """The days a 环比 compares, so a month not over reads as such: "12-01~12-07 vs 11-01~11-07"."""
    before = f.previous()

    def days(first: date, last: date) -> str:
        return f"{first:%m-%d}" if first == last else f"{first:%m-%d}~{last:%m-%d}"
    return f"{days(f.start, f.end)} vs {days(before.start, before.end)}"


def year_on_year_line(report: Report, lang: str = "zh") -> str:
    """同比: the change against the same days a year before, with that period's amount and count."""
    en = lang.lower().startswith("en")
    before = report.year_ago or Totals()
    unit = ("orders" if en else "单") if report.kind.is_orders else ("lines" if en else "行")
    delta = change(report.totals.amount, before.amount)
    said = "" if delta is None else ("+" if delta >= 0 else "") + percent(delta)
    if en:
        head = f"vs a year before {said}" if said else "vs a year before: nothing then"
        return f"{head} (same period last year {fmt_cny(before.amount)} · {before.count} {unit})"
    head = f"同比 {said}" if said else "同比 —（去年同期无数据）"
    return f"{head}（去年同期 {fmt_cny(before.amount)} · {before.count} {unit}）" if said else head


@dataclass(frozen=True)
class PeriodPart:
    """One quarter or month of a period (a summary split "各季度" / "每个月")."""

    label: str
    count: int
    qty: int
    amount: Decimal


def split_trend(report: Report, by: str, lang: str = "zh") -> list[PeriodPart]:
    """The summary's period split by ``"quarter"`` or ``"month"``, from its monthly trend (no other query):
    every part of the period in order, zero where nothing happened."""
    en = lang.lower().startswith("en")
    wanted = set(months_between(report.filter.start, report.filter.end))
    parts: dict[str, list[int | Decimal]] = {}
    for point in report.trend:
        if point.month not in wanted:
            continue
        year, month = int(point.month[:4]), int(point.month[5:])
        if by == "quarter":
            q = (month - 1) // 3 + 1
            label = f"Q{q} {year}" if en else f"{year}年第{q}季度"
        else:
            label = point.month if en else f"{year}年{month}月"
        row = parts.setdefault(label, [0, 0, ZERO])
        row[0] = int(row[0]) + point.count
        row[1] = int(row[1]) + point.qty
        row[2] = Decimal(row[2]) + point.amount
    return [PeriodPart(label, int(c), int(q), Decimal(a)) for label, (c, q, a) in parts.items()]
