"""Words of a sell-out report read here, not in the chat flow. The day a sale was made, as dealers say it in a sell-out report: "昨天", "前天", "12月5号", "2026-11-25",
"上周五", "周五" (the last one past), "5号" (this month, or last month's when still ahead), and a vague stretch:
"上周", "这周" (a week: which day is the dealer's to say). Days are never in the future: a sale is made.

``redate_said`` reads a message that only changes the day of lines already given ("日期不对 都是12月5号卖的",
"是上周五卖的"): a day and no count of anything.
"""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta

from nlu.dates import find_past_period
from nlu.numbers import parse_int


@dataclass(frozen=True)
class SaleDay:
    """The days a sale may have been made (``first`` to ``last``; one day when equal), written at
    ``text[start:end]``."""

    first: date
    last: date
    start: int
    end: int

    @property
    def vague(self) -> bool:
        """A stretch ("上周"), not one day: the dealer is asked which."""
        return self.first != self.last


_WD = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "七": 6,
       "1": 0, "2": 1, "3": 2, "4": 3, "5": 4, "6": 5, "7": 6}
_ISO = re.compile(r"(?<!\d)(?P<y>20\d{2})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})(?!\d)\s*[日号]?")
# "上周五", "上个礼拜三", "上上周一", "这周二", "周五" (the last such day, today included)
_WEEKDAY = re.compile(r"(?P<back>上上|上个?|这个?|本)?(?:周|星期|礼拜)(?P<wd>[一二三四五六日天七1-7])(?![\d一二三四五六七八九十])")
# "5号", "五号": a day of this month (last month's when still ahead); not "5号线", "3层5号" (a product's size)
_DAY_ONLY = re.compile(r"(?<![\d月/\-.A-Za-z层])(?P<d>[12]?\d|3[01]|[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九])\s*[号日]"
                       r"(?![\d装份款量用线楼])")
_EN_MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
                                         "dec"), 1)}
_MONTH_WORDS = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?"
                r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?![a-z])")
# "Dec 5", "5 Dec", "december 5th"
_EN_DAY = re.compile(r"(?<![a-z])(?P<mon>" + _MONTH_WORDS + r")\.?\s*(?P<d>\d{1,2})"
                     r"(?:st|nd|rd|th)?(?!\d)|(?<!\d)(?P<d2>\d{1,2})(?:st|nd|rd|th)?\s*(?:of\s+)?"
                     r"(?P<mon2>" + _MONTH_WORDS + r")", re.IGNORECASE)
_EN_WEEKDAY = re.compile(r"(?<![a-z])(?:last|on)\s+(?P<en>mon|tue|wed|thu|fri|sat|sun)[a-z]*(?![a-z])", re.IGNORECASE)
_EN_WD = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}


def _en_day(m: re.Match[str], today: date) -> date | None:
    month = _EN_MONTHS[(m.group("mon") or m.group("mon2")).lower()[:3]]
    d = int(m.group("d") or m.group("d2"))
    year = today.year if (month, d) <= (today.month, today.day) else today.year - 1
    return date(year, month, d) if 1 <= d <= monthrange(year, month)[1] else None


_ANY_DAY_WORDS = re.compile(r"今天|今日|昨天|昨日|前天|大前天|\d+天前|上上?(?:周|星期|礼拜)|这(?:周|星期|礼拜)|本周"
                            r"|\d{1,2}\s*月|[一二三四五六七八九十]{1,3}\s*月|last week|this week|yesterday|today")


def _weekday(m: re.Match[str], today: date) -> date:
    monday = today - timedelta(days=today.weekday())
    back = m.group("back") or ""
    weeks = 2 if back == "上上" else 1 if back.startswith("上") else 0
    day = monday - timedelta(weeks=weeks) + timedelta(days=_WD[m.group("wd")])
    if not back and day > today:          # "周五" said on a Tuesday: last week's
        day -= timedelta(weeks=1)
    return day


def _day_only(m: re.Match[str], today: date) -> date | None:
    d = parse_int(m.group("d"))
    if d is None or not 1 <= d <= 31:
        return None
    year, month = today.year, today.month
    if d > today.day:
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return date(year, month, d) if d <= monthrange(year, month)[1] else None


def find_sale_day(text: str, today: date, *, day_alone: bool = False) -> SaleDay | None:
    """The day (or stretch of days) said in normalized ``text``, else None. A date ahead of ``today`` is kept as
    written (the caller says it cannot be a sale's day). ``day_alone``: "5号" read as a day too (only in a message
    that counts nothing: in a sales line it may be a product's size, "7号卖了150个")."""
    if m := _ISO.search(text):
        try:
            day = date(int(m["y"]), int(m["m"]), int(m["d"]))
        except ValueError:
            return None
        return SaleDay(day, day, m.start(), m.end())
    if m := _WEEKDAY.search(text):
        day = _weekday(m, today)
        return SaleDay(day, day, m.start(), m.end())
    if (m := _EN_DAY.search(text)) and (found := _en_day(m, today)) is not None:
        return SaleDay(found, found, m.start(), m.end())
    if m := _EN_WEEKDAY.search(text):          # "last Friday", "on Friday": the last one past
        back = (today.weekday() - _EN_WD[m.group("en").lower()[:3]]) % 7 or 7
        day = today - timedelta(days=back)
        return SaleDay(day, day, m.start(), m.end())
    if _ANY_DAY_WORDS.search(text) and (period := find_past_period(text, today)) is not None:
        return SaleDay(period.first, period.last, period.start, period.end)
    if day_alone and (m := _DAY_ONLY.search(text)):
        found = _day_only(m, today)
        if found is not None:
            return SaleDay(found, found, m.start(), m.end())
    return None


# "AP300 12台", "卖了五个", "1699": a count or an amount, i.e. a sales line rather than a day said again
_COUNT = re.compile(r"\d+\s*(?:台|个|件|套|箱|只|支|盒|包|瓶|袋|桶|卷|条|元|块)|[¥￥]\s*\d|\d{3,}(?![-/.年月日号\d])")


def redate_said(text: str, today: date) -> SaleDay | None:
    """"日期不对 都是12月5号卖的", "是上周五卖的", "12月5号": the day of the lines already given, when the message
    says a day and counts nothing (normalized ``text``); else None."""
    found = find_sale_day(text, today, day_alone=True)
    if found is None:
        return None
    rest = text[:found.start] + " " + text[found.end:]
    if _COUNT.search(rest):
        return None
    return found


# "还有滤网卖了20个", "另外DH20 5台": words joining one sale to the last, no place or customer
_JOINING = re.compile(r"^(?:还有|另外|以及|然后|再有|加上|and|also)\s*|(?<=\s)(?:还有|另外|以及|然后|再有|加上)")


def drop_joining_words(text: str) -> str:
    """Normalized ``text`` of one sale without the words that only join it to the one before."""
    return _JOINING.sub(" ", text)


_N = r"(\d+|[零〇一二两三四五六七八九十百千]+)"
_UNIT = r"\s*(?:台|个|件|套|箱|只|支|盒|包|瓶|袋|桶|卷|条|units?|pcs)?"
# "DH20 不是3台是5台", "AP300 数量改成5", "DH20应该是5台": the count of a line already given, said again
_CORRECTED = re.compile(r"不是\s*" + _N + _UNIT + r"\s*[，,]?\s*(?:而)?是\s*" + _N
                        + r"|(?:数量)?(?:改成|改为|改到|应该是|应是|应为|实际是|其实是)\s*" + _N + _UNIT + r"(?![\d.]|\s*(?:元|块))",
                        re.IGNORECASE)

_OF_MONEY = re.compile(r"(?:金额|价格?|总额|合计|钱)\s*$")     # "金额改成8000": the amount, not the count


def corrected_qty(text: str) -> int | None:
    """"DH20 不是3台是5台", "AP300 改成5台": the count a line of the report already given should have (normalized
    ``text``), else None."""
    m = _CORRECTED.search(text)
    if m is None or (m.group(3) and _OF_MONEY.search(text[:m.start()])):
        return None
    return parse_int(m.group(2) or m.group(3))


_LINE_NO = r"第\s*(\d+|[一二两三四五六七八九十]+)\s*(?:行|条)"
_LINE_DROPPED = re.compile(r"^(?:把\s*)?" + _LINE_NO + r"\s*(?:那行|这行)?\s*(?:不要了?|删掉?了?|删除|去掉|不报了?|不算了?|取消)\s*$"
                           r"|^(?:删掉?|删除|去掉|不要|不报)\s*" + _LINE_NO + r"\s*$")


def dropped_line(text: str) -> int | None:
    """"第2行不要了", "删掉第4行": the number of the report's line taken back (normalized ``text``), else None."""
    m = _LINE_DROPPED.search(text.strip(" 。.!！~"))
    return parse_int(m.group(1) or m.group(2)) if m else None
