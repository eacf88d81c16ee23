"""The period a question about figures asks for ("去年全年订货多少", "Q3的数据", "11月卖了多少", "近3个月"), and
what it compares ("同比", "跟去年比呢") or splits by ("各季度", "每个月").

``read_report_period`` returns the period as the parser's ``period`` slot: a word for a period relative to
today (``today``, ``yesterday``, ``this_week``, ``last_week``, ``this_month``, ``last_month``, ``this_quarter``,
``last_quarter``, ``this_year``, ``last_year``, ``last_12_months``) or a code that carries its dates (``2025``
a year, ``2026Q3`` a quarter, ``202611`` a month, ``20261120`` a day, ``202610-202612`` months from one to
the other, ``20261101-20261107`` days from one to the other, both inclusive; ``core.reports.period_range`` reads them). A quarter or month said without a year is this year's,
or last year's when it has not started yet. Words that look like a period but name none the reader knows
("上上季度", "Q5", "财年") come back in ``unknown`` so the chat says so instead of answering another period.
The base of a comparison ("跟去年比" -> 去年) is not the period asked for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from nlu.numbers import parse_int

_CN = "一二两三四五六七八九十"
_YEAR = r"(?:(?P<yn>(?:19|20)\d{2})\s*年?|(?P<yw>今年|本年|去年|上一?年|前年|明年|this year|last year))"
_RELATIVE: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p, re.IGNORECASE), v) for p, v in (
    (r"今天|今日|today", "today"),
    (r"昨天|昨日|yesterday", "yesterday"),
    (r"本周|这周|这个?星期|这个?礼拜|this week", "this_week"),
    (r"上周|上个?星期|上个?礼拜|last week", "last_week"),
    (r"本月|这个?月|当月|this month", "this_month"),
    (r"上个?月|last month", "last_month"),
    (r"本季度?|这个?季度|当季|this quarter", "this_quarter"),
    (r"上一?个?季度|上季|last quarter", "last_quarter"),
    (r"(?:最近|过去|近)\s*(?:12|十二)\s*个?月|(?:最近|过去|近)\s*一年|(?:last|past) 12 months", "last_12_months"),
    (r"今年|本年度?|年度|this year|year to date|ytd", "this_year"),
    (r"去年|上一?年度?|last year", "last_year"),
))
_QUARTER = re.compile(rf"(?:{_YEAR}\s*的?\s*)?(?:第\s*(?P<qa>[1-4一二三四])\s*季度?|(?P<qb>[1-4一二三四])\s*季度"
                      r"|(?<![a-z])q(?P<qc>[1-4])(?!\d)(?:\s*(?P<yq>(?:19|20)\d{2}))?)", re.IGNORECASE)
_HALF = re.compile(rf"(?:{_YEAR}\s*的?\s*)?(?P<h>上半年|下半年)")
_MONTH = re.compile(rf"(?:{_YEAR}\s*的?\s*)?(?<![\d个上下本这当每各])(?P<m>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])\s*月份?"
                    rf"(?:\s*(?P<d>[12]\d|3[01]|0?[1-9]|[{_CN}]{{1,3}})\s*[号日])?")
_ISO_MONTH = re.compile(r"(?<!\d)(?P<yn>(?:19|20)\d{2})\s*[-/.]\s*(?P<m>1[0-2]|0?[1-9])(?![\d])(?!\s*[-/.]\s*\d)")
# days from one to the other, both inclusive: "11月1号到11月7号", "11月1日至7日", "11.1-11.7", "from 1 Nov to 7 Nov",
# "Nov 1 - Nov 7", "Nov 1-7"
_DAY = rf"(?:[12]\d|3[01]|0?[1-9]|[{_CN}]{{1,3}})"
_MON = r"(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
_EN_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_EN_MON = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t|tember)?|"
           r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?(?![a-z])")
_TO = r"\s*(?:到|至|~|～|-|—|－|–|to|till|until|through|thru)\s*"
_DAY_RANGE = re.compile(
    rf"(?P<m1>{_MON})\s*月\s*(?P<d1>{_DAY})\s*[号日]?{_TO}(?:(?P<m2>{_MON})\s*月\s*)?(?P<d2>{_DAY})\s*[号日]"
    rf"|(?<![\d.])(?P<m3>1[0-2]|0?[1-9])[./](?P<d3>[12]\d|3[01]|0?[1-9]){_TO}(?:(?P<m4>1[0-2]|0?[1-9])[./])?"
    rf"(?P<d4>[12]\d|3[01]|0?[1-9])(?![\d.])"
    rf"|(?:from\s+)?(?P<d5>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<n5>{_EN_MON}){_TO}"
    rf"(?P<d6>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?:\s+(?:of\s+)?(?P<n6>{_EN_MON}))?"
    rf"|(?:from\s+)?(?P<n7>{_EN_MON})\s*(?P<d7>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?{_TO}(?:(?P<n8>{_EN_MON})\s*)?"
    rf"(?P<d8>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?![\d])", re.IGNORECASE)
_YEAR_ONLY = re.compile(r"(?<!\d)(?P<yn>(?:19|20)\d{2})\s*年(?:度|全年)?|(?P<yw>前年|明年)")
_RECENT_MONTHS = re.compile(rf"(?:最近|过去|近)\s*(?P<n>\d{{1,2}}|[{_CN}]{{1,3}})\s*个月")
_TWO_BACK = re.compile(r"上上个?(?P<what>月|季度|季)")
_NEXT = re.compile(r"下个?月|下一?个?季度|next (?:month|quarter|year)", re.IGNORECASE)
# looks like a period but is none of the above: said back, never replaced by another period
_UNKNOWN = re.compile(r"上上\S{0,2}?(?:季度|年|月|周)|大前年|财年|下周|下个?星期|next week|fy\s*\d*|(?<![a-z])q\s*\d+|第?[五六七八九\d]+\s*季度|"
                      r"\d+\s*年|\d+\s*月份?", re.IGNORECASE)
# the base of a comparison: "跟去年比", "和去年同期", "比上个月", "vs last year" (its period is not the one asked)
_BASE_BEFORE = re.compile(r"(?:跟|和|与|同|较|对比|相比|比|比起|vs\.?|versus|compared (?:to|with))\s*$", re.IGNORECASE)
_YOY = re.compile(r"同比|同期|year[- ]on[- ]year|year[- ]over[- ]year|yoy|(?:跟|和|与|同|较|对比|相比|比起?)\s*(?:去年|上一?年)"
                  r"|(?:vs\.?|versus|compared (?:to|with))\s*last year", re.IGNORECASE)
_MOM = re.compile(r"环比|(?:跟|和|与|同|较|对比|相比|比起?)\s*上个?月|(?:vs\.?|versus|compared (?:to|with))\s*last month",
                  re.IGNORECASE)
_BY_QUARTER = re.compile(r"(?:各|每个?|分|按|逐)\s*季度|各季|每季|季度(?:分布|拆分|明细|对比)|by quarter|per quarter|quarterly",
                         re.IGNORECASE)
_BY_MONTH = re.compile(r"(?:各|每个?|分|按|逐)\s*月份?(?!份额)|月度(?:分布|明细|趋势)?|by month|per month|monthly|month by month",
                       re.IGNORECASE)


_BY_AREA: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"大区|各区|分区|by region|per region", re.IGNORECASE), "region"),
    (re.compile(r"各省|省份|分省|按省|每个?省|by province|per province", re.IGNORECASE), "province"),
    (re.compile(r"各城市|按城市|分城市|每个?城市|各市|by city|per city", re.IGNORECASE), "city"),
)
# what is measured: the dealers' orders (sell-in) or what they sold on (sell-out); "卖了多少" from the maker's
# side is what dealers ordered, so it names neither
_SELLOUT = re.compile(r"动销|终端|零售|sell-?out|sold on", re.IGNORECASE)
_ORDERS = re.compile(r"订货|订单|进货|下单|采购|拿货|\b(?:sell-?in|orders?|ordered|purchases?)\b", re.IGNORECASE)


@dataclass(frozen=True)
class ReportPeriod:
    period: str | None = None        # the slot value (see the module docstring); None: no period said
    unknown: str | None = None       # the words of a period not understood
    compare: str | None = None       # "yoy" (同比) / "mom" (环比)
    split: str | None = None         # "quarter" / "month" (the period's parts), "region" / "province" / "city"
    measure: str | None = None       # "orders" / "sellout"


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + months
    return index // 12, index % 12 + 1


def _year_of(m: re.Match[str], today: date) -> int | None:
    """The year said before a quarter or month (None: not said)."""
    groups = m.groupdict()
    if groups.get("yn") or groups.get("yq"):
        return int(groups.get("yn") or groups["yq"])
    word = (groups.get("yw") or "").lower()
    if not word:
        return None
    if word in ("今年", "本年", "this year"):
        return today.year
    if word in ("去年", "上年", "上一年", "last year"):
        return today.year - 1
    return today.year - 2 if word == "前年" else today.year + 1


def _quarter(m: re.Match[str], today: date) -> str | None:
    q = parse_int(m["qa"] or m["qb"] or m["qc"] or "")
    if q is None or not 1 <= q <= 4:
        return None
    year = _year_of(m, today)
    if year is None:        # this year's, or last year's when it has not started yet
        year = today.year if 3 * q - 2 <= today.month else today.year - 1
    return f"{year}Q{q}"


def _half(m: re.Match[str], today: date) -> str:
    year = _year_of(m, today)
    first = 1 if m["h"] == "上半年" else 7
    if year is None:
        year = today.year if first <= today.month else today.year - 1
    return f"{year}{first:02d}-{year}{first + 5:02d}"


def _month(m: re.Match[str], today: date) -> str | None:
    month = parse_int(m["m"])
    if month is None or not 1 <= month <= 12:
        return None
    year = _year_of(m, today)
    if year is None:
        year = today.year if month <= today.month else today.year - 1
    day = parse_int(m.groupdict().get("d") or "") if m.groupdict().get("d") else None
    if day is not None:
        try:
            day_said = date(year, month, day)
            if day_said > today and _year_of(m, today) is None:
                day_said = date(year - 1, month, day)
            return day_said.strftime("%Y%m%d")
        except ValueError:
            return None
    return f"{year}{month:02d}"


def _en_month(word: str | None) -> int | None:
    return _EN_MONTHS.index(word[:3].lower()) + 1 if word else None


def _day_range(m: re.Match[str], today: date) -> str | None:
    """"11月1号到11月7号": the days from one to the other, both inclusive, "20261101-20261107" (this year's, or
    last year's when they have not come yet); a range that ends before it begins is none."""
    g = m.groupdict()
    if g["m1"]:
        first_m, first_d, last_m, last_d = parse_int(g["m1"]), parse_int(g["d1"]), parse_int(g["m2"] or g["m1"]), \
            parse_int(g["d2"])
    elif g["m3"]:
        first_m, first_d, last_m, last_d = int(g["m3"]), int(g["d3"]), int(g["m4"] or g["m3"]), int(g["d4"])
    elif g["n5"]:
        first_m, first_d = _en_month(g["n5"]), int(g["d5"])
        last_m, last_d = _en_month(g["n6"] or g["n5"]), int(g["d6"])
    else:
        first_m, first_d = _en_month(g["n7"]), int(g["d7"])
        last_m, last_d = _en_month(g["n8"] or g["n7"]), int(g["d8"])
    if None in (first_m, first_d, last_m, last_d):
        return None
    assert first_m is not None and first_d is not None and last_m is not None and last_d is not None
    year = today.year
    try:
        first, last = date(year, first_m, first_d), date(year + (last_m < first_m), last_m, last_d)
        if first > today:
            first, last = date(year - 1, first_m, first_d), date(year - 1 + (last_m < first_m), last_m, last_d)
    except ValueError:
        return None
    if last < first:
        return None
    return f"{first:%Y%m%d}-{last:%Y%m%d}"


def _year(m: re.Match[str], today: date) -> str | None:
    year = _year_of(m, today)
    return str(year) if year is not None else None


def _recent(m: re.Match[str], today: date) -> str | None:
    n = parse_int(m["n"])
    if n is None or not 1 <= n <= 60:
        return None
    if n == 12:
        return "last_12_months"
    year, month = _add_months(today.year, today.month, -(n - 1))
    return f"{year}{month:02d}-{today.year}{today.month:02d}"


def _next(m: re.Match[str], today: date) -> str:
    """A period still to come: its code (the report refuses it with words, never another period)."""
    word = m.group(0).lower()
    if "季" in word or "quarter" in word:
        q = (today.month - 1) // 3 + 2
        return f"{today.year + (q > 4)}Q{(q - 1) % 4 + 1}"
    if "year" in word:
        return str(today.year + 1)
    year, month = _add_months(today.year, today.month, 1)
    return f"{year}{month:02d}"


def _two_back(m: re.Match[str], today: date) -> str:
    if m["what"] == "月":
        year, month = _add_months(today.year, today.month, -2)
        return f"{year}{month:02d}"
    index = today.year * 4 + (today.month - 1) // 3 - 2
    return f"{index // 4}Q{index % 4 + 1}"


def read_report_period(text: str, today: date) -> ReportPeriod:
    """The period, comparison and split of a question about figures in normalized ``text``."""
    found: list[tuple[int, int, str]] = []
    for pattern, reader in ((_DAY_RANGE, _day_range), (_QUARTER, _quarter), (_HALF, _half), (_ISO_MONTH, _month),
                            (_MONTH, _month),
                            (_RECENT_MONTHS, _recent), (_YEAR_ONLY, _year), (_NEXT, _next),
                            (_TWO_BACK, _two_back)):
        for m in pattern.finditer(text):
            value = reader(m, today)
            if value is not None:
                found.append((m.start(), m.end(), value))
    for pattern, word in _RELATIVE:
        found += [(m.start(), m.end(), word) for m in pattern.finditer(text)]
    # the longest reading of each stretch ("去年Q3" over "去年"), then in the order written
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    kept: list[tuple[int, int, str]] = []
    for start, end, value in found:
        if all(end <= s or start >= e for s, e, _ in kept):
            kept.append((start, end, value))
    compare = "yoy" if _YOY.search(text) else "mom" if _MOM.search(text) else None
    asked = [f for f in kept if not (compare and _BASE_BEFORE.search(text[:f[0]]))] if compare else kept
    if compare and len(asked) > 1 and "同期" in text[asked[-1][1]:asked[-1][1] + 3]:
        asked = asked[:-1]            # "今年11月和去年同期": the last one is the base
    split = next((area for pattern, area in _BY_AREA if pattern.search(text)), None) or (
        "quarter" if _BY_QUARTER.search(text) else "month" if _BY_MONTH.search(text) else None)
    measure = "sellout" if _SELLOUT.search(text) else "orders" if _ORDERS.search(text) else None
    if asked:
        return ReportPeriod(period=asked[0][2], compare=compare, split=split, measure=measure)
    rest = text
    for start, end, _ in kept:
        rest = rest[:start] + " " * (end - start) + rest[end:]
    unknown = _UNKNOWN.search(rest) if not kept else None
    return ReportPeriod(unknown=unknown.group(0).strip() if unknown else None, compare=compare, split=split,
                        measure=measure)


# what figures are asked ("订货多少", "销售额", "数据", "同比"): with a period said, a question about figures
_FIGURES = re.compile(r"订货(?:多少|额|量|金额|情况|总额)|订单(?:额|金额|总额)|进货(?:多少|额|金额)|销售额|营业额|业绩|数据|"
                      r"同比|环比|增长|\b(?:sales figures|figures|revenue|turnover)\b", re.IGNORECASE)
_REPORTING = re.compile(r"上报|填报|报数|报一下|\b(?:report|sold|slow)\b", re.IGNORECASE)
# what may be said around a period in a follow-up ("上个月呢", "去年的呢", "Q3怎么样", "按大区看看")
_FILLER = re.compile(r"[\s,，.。?？!！~]|那|的|呢|吗|吧|啊|呀|么|了|怎么样|如何|情况|看看|看下|看一下|来看|再|按|分|呢|and|what about|how about",
                     re.IGNORECASE)


def asks_for_figures(text: str, found: ReportPeriod) -> bool:
    """A question about figures by its period: a period (or comparison, split) with figure words ("近12个月订货多少"),
    or nothing else but a follow-up's particles ("上个月呢", "去年的呢", "跟去年比呢", "按大区看看")."""
    if not (found.period or found.compare or found.split) or _REPORTING.search(text):
        return False
    return bool(_FIGURES.search(text)) or said_alone(text)


def said_alone(text: str) -> bool:
    """Nothing but a period, comparison or split and a follow-up's particles: "上个月呢", "Q3的", "华北呢" is not
    (a region is more than a period), "跟去年比呢", "按大区看看"."""
    rest = text
    for pattern in (*(p for p, _ in _RELATIVE), _QUARTER, _HALF, _ISO_MONTH, _MONTH, _RECENT_MONTHS, _YEAR_ONLY,
                    _TWO_BACK, _YOY, _MOM, _BY_QUARTER, _BY_MONTH, *(p for p, _ in _BY_AREA)):
        rest = pattern.sub(" ", rest)
    rest = _FILLER.sub("", rest)
    return rest != text and (not rest or rest in ("比", "对比", "相比"))


# "前十", "前20名", "top 10": how many of the ranking to list
_TOP_SAID = re.compile(r"前\s*(\d{1,3}|[一二三四五六七八九十百]{1,4})\s*(?:名|位|家|个)?|top\s*(\d{1,2})", re.IGNORECASE)


def top_said(text: str) -> int | None:
    """How many of a ranking the words ask for ("前十" 10, "前20名" 20, "top 5" 5), None when they say none."""
    m = _TOP_SAID.search(text)
    return parse_int(m.group(1) or m.group(2)) if m else None
