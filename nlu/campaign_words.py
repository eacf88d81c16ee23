"""What marketing says when it sets up a campaign in chat (read only; the chat form keeps the answers).

- ``new_campaign_said("做个双旦促销，12月20号到1月3号，满10台减500", today)``: a new campaign asked for, with what
  was said with it: the name ("双旦促销"), the dates (2026-12-20 to 2027-01-03) and the rest as its rule
  ("满10台减500"); "新建一个活动" alone: all empty. ``NEW_CAMPAIGN`` is the shape the router tries;
- ``campaign_dates("12月20号到1月3号", today)``: a span of two days (a campaign is planned: a month already past
  this year is next year's; an end before its start is in the year after);
- ``campaign_products("AP系列、WP400")``: every product ("全部", "不限"), or the words of each product / series;
- ``campaign_targets("华东 A级 D0012 杭州嘉禾")``: every dealer, or the regions, tiers and dealer words named.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta

from nlu.numbers import parse_int

# "帮我新建一个活动 春节净水器促销 1月10号到2月底 …", "新建一个活动": the name (if any) after the words
_NEW_NAMED_AFTER = (r"^(?:帮我|请|给我|麻烦)?\s*(?:新建|创建|新开|新增|建|开|搞|做|策划)\s*(?:一)?(?:个|场|次)?\s*(?:新的?)?\s*"
                    r"(?:促销)?活动(?:吧)?(?:[\s:：，,]+(?P<rest>.*))?$")
# "做个双旦促销，12月20号到1月3号，满10台减500", "搞一场春节活动": the name is the words before 促销/活动
_NEW_NAMED_BEFORE = (r"^(?:帮我|请|给我|麻烦|我们|咱们)?\s*(?:新建|创建|新开|新增|建|开|搞|做|办|策划)\s*(?:一)?(?:个|场|次)\s*"
                     r"(?P<name>[^\s，,。:：;；]{0,20}?(?:促销|活动|推广|特惠|团购))(?:吧)?(?:[\s，,。:：;；]+(?P<more>.*))?$")
NEW_CAMPAIGN = f"{_NEW_NAMED_AFTER}|{_NEW_NAMED_BEFORE}"
# a name that is only the kind of thing ("做个促销"): no name said
_NO_NAME = re.compile(r"^(?:新的?)?(?:促销|活动|推广|特惠|团购|促销活动|推广活动)$")

_DAY = r"(?:\s*[日号])?"
_ONE_DATE = (r"(?:(?P<{p}y>\d{{4}})\s*[-/.年]\s*)?(?P<{p}m>\d{{1,2}}|[一二三四五六七八九十]{{1,3}})\s*(?:月|[-/.])\s*"
             r"(?:(?P<{p}d>\d{{1,2}}|[一二三四五六七八九十]{{1,3}})" + _DAY + r"|(?P<{p}part>底|末|初|中))")
_END_DAY_ONLY = r"(?P<bd_only>\d{1,2}|[一二三四五六七八九十]{1,3})\s*[日号]"
_SPAN = re.compile(_ONE_DATE.format(p="a") + r"\s*(?:到|至|~|～|-|—|–|\bto\b|\buntil\b)\s*"
                   + r"(?:" + _ONE_DATE.format(p="b") + r"|" + _END_DAY_ONLY + r")", re.IGNORECASE)


@dataclass(frozen=True)
class DateSpan:
    starts_on: date
    ends_on: date
    start: int          # where the words of the span are in the text
    end: int


@dataclass(frozen=True)
class NewCampaignSaid:
    name: str = ""
    dates: DateSpan | None = None
    rule: str = ""      # the rest said: the offer ("满10台减500", "AP和WP系列9折")
    products: str = ""  # the products the offer is of, as said ("DH20"): ``campaign_products`` reads them
    targets: str = ""   # the dealers it is for, as said ("A级", "所有"): ``campaign_targets`` reads them


# "DH20满10台减500", "AP300、AP500 每台直降200": the models the offer is of, at the start of a clause of the rule
_CODE = r"[A-Za-z]{1,4}\d{1,5}[A-Za-z]?"
_OFFER_OF = re.compile(rf"(?:^|(?<=[\s，,;；]))(?P<p>{_CODE}(?:\s*[、,，/和及]\s*{_CODE})*|[A-Za-z]{{1,4}}\s*(?:系列|全系列?))"
                       r"\s*(?=满|买|每|购|打|享|直降|立减|减|折|特价|送|返|\d)", re.IGNORECASE)
# "所有A级经销商", "面向华东A级经销商", "全部经销商": the dealers it is for (regions, tiers, or every one)
_TARGETS = re.compile(r"(?:面向|针对|仅限|只限|限|适用于?)?\s*(?P<t>(?:所有|全部|全体|各)?\s*的?\s*"
                      r"(?:(?:华东|华南|华北|华中|西南|西北|东北)(?:区|大区)?\s*[、,，/和及]?\s*)*"
                      r"(?:(?:[A-Ca-c]|一|二|三)\s*级\s*[、,，/和及]?\s*)*)\s*的?(?:经销商|客户|门店)(?:参加|参与)?")


def _clean(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def _num(words: str | None) -> int | None:
    return parse_int(words) if words else None


def _day(year: int, month: int, day: int | None, part: str | None) -> date | None:
    if not 1 <= month <= 12:
        return None
    if part in ("底", "末"):
        first_next = date(year + (month == 12), month % 12 + 1, 1)
        return first_next - timedelta(days=1)
    if part == "初":
        day = 1
    elif part == "中":
        day = 15
    try:
        return date(year, month, day or 1)
    except ValueError:
        return None


def campaign_dates(text: str, today: date) -> DateSpan | None:
    """The first span of two days written in ``text`` ("12月20号到1月3号", "2026-12-20 至 2027-01-03", "1月10号到2月底",
    "12月20号到25号"), else None. A start written without its year is this year's, or next year's when that day is
    more than a month past; an end before its start is in the year after."""
    m = _SPAN.search(_clean(text))
    if m is None:
        return None
    am, bm = _num(m.group("am")), _num(m.group("bm"))
    if am is None:
        return None
    year = int(m.group("ay")) if m.group("ay") else today.year
    start = _day(year, am, _num(m.group("ad")), m.group("apart"))
    if start is None:
        return None
    if not m.group("ay") and start < today - timedelta(days=31):
        start = _day(year + 1, am, _num(m.group("ad")), m.group("apart"))
        if start is None:
            return None
    if m.group("bd_only"):
        end = _day(start.year, start.month, _num(m.group("bd_only")), None)
    elif bm is not None:
        end_year = int(m.group("by")) if m.group("by") else start.year
        end = _day(end_year, bm, _num(m.group("bd")), m.group("bpart"))
        if end is not None and not m.group("by") and end < start:
            end = _day(end_year + 1, bm, _num(m.group("bd")), m.group("bpart"))
    else:
        end = None
    if end is None:
        return None
    return DateSpan(start, end, m.start(), m.end())


def new_campaign_said(text: str, today: date) -> NewCampaignSaid | None:
    """A new campaign asked for, with its name, dates and rule as said; None when the words ask for none."""
    said = _clean(text)
    m = re.match(_NEW_NAMED_BEFORE, said)
    if m is not None and _NO_NAME.match(m.group("name")) and re.match(_NEW_NAMED_AFTER, said):
        m = None             # "新建一个活动 春节净水器促销 …": the name comes after
    if m is not None:
        name, rest = m.group("name"), m.group("more") or ""
    elif (m := re.match(_NEW_NAMED_AFTER, said)) is not None:
        rest = (m.group("rest") or "").strip()
        name = re.split(r"[\s，,。;；]", rest, maxsplit=1)[0]
        if campaign_dates(name, today) is not None:      # "新建一个活动 12月20号到1月3号": no name said
            name = ""
        rest = rest[len(name):]
    else:
        return None
    name = "" if _NO_NAME.match(name) else name[:40]
    rest = rest.strip()
    dates = campaign_dates(rest, today)
    if dates is not None:
        rest = f"{rest[:dates.start]} {rest[dates.end:]}"
        dates = DateSpan(dates.starts_on, dates.ends_on, 0, 0)
    targets = ""
    if (t := _TARGETS.search(rest)) is not None and (t.group("t").strip() or t.group(0).startswith(("面向", "针对"))):
        targets = re.sub(r"^(?:所有|全部|全体|各)\s*的?\s*(?=\S)", "", t.group("t").strip()) or "所有"
        targets = re.sub(r"(华东|华南|华北|华中|西南|西北|东北)(?:大区|区)?", r"\1 ", targets).strip()   # "华东A级": two
        rest = f"{rest[:t.start()]} {rest[t.end():]}"
    products = ""
    if (o := _OFFER_OF.search(rest)) is not None:
        products = o.group("p")
        rest = f"{rest[:o.start()]} {rest[o.end():]}"
    rule = re.sub(r"\s+", " ", re.sub(r"^[\s，,。;；:：]+|[\s，,。;；:：]+$", "", rest))
    rule = re.sub(r"\s*[，,;；]\s*[，,;；]\s*", "，", rule)
    return NewCampaignSaid(name=name, dates=dates, rule=rule[:400], products=products, targets=targets)


_EVERY = re.compile(r"^(?:全部|所有|全部的|所有的|都参加|都行|不限|全部产品|所有产品|全部经销商|所有经销商|全国|全部门店|"
                    r"all|everything|everyone|every dealer|all dealers|all products|any)$", re.IGNORECASE)
_PIECES = re.compile(r"[,，、;；/\s]+|和|及|以及|与|还有|\band\b", re.IGNORECASE)


@dataclass(frozen=True)
class ProductWords:
    every: bool = False
    words: list[str] = field(default_factory=list)       # a product each ("WP400", "净水器AP300")
    series: list[str] = field(default_factory=list)      # a series each, by the letters its SKUs begin with ("AP")


def _pieces(text: str) -> list[str]:
    return [p for p in (w.strip(" 。.!！的") for w in _PIECES.split(_clean(text))) if p]


def campaign_products(text: str) -> ProductWords:
    """The products a campaign is for: "全部" every one; "AP系列、WP400" the series AP and the product WP400."""
    said = _clean(text).strip(" 。.!！")
    if _EVERY.match(said):
        return ProductWords(every=True)
    words: list[str] = []
    series: list[str] = []
    for piece in _pieces(said):
        if m := re.fullmatch(r"([A-Za-z]{1,4})\s*(?:系列|全系|全系列|系列产品|series)", piece, re.IGNORECASE):
            series.append(m.group(1).upper())
        else:
            words.append(piece)
    return ProductWords(words=words, series=series)


REGIONS = ("华东", "华南", "华北", "华中", "西南", "西北", "东北")
_TIER = re.compile(r"^(?:tier\s*)?([A-Ca-c])\s*(?:级|类|等)?(?:经销商|客户|的)?$|^(一|二|三)级(?:经销商|客户)?$", re.IGNORECASE)
_REGION_SUFFIX = re.compile(r"(?:区|大区|地区|区域)?(?:的)?(?:经销商|客户)?$")


@dataclass(frozen=True)
class TargetWords:
    every: bool = False
    regions: list[str] = field(default_factory=list)
    tiers: list[str] = field(default_factory=list)       # "A", "B", "C"
    dealers: list[str] = field(default_factory=list)     # a dealer's code or words of its name, each


def campaign_targets(text: str) -> TargetWords:
    """The dealers a campaign is for: "全部" every one; else the regions ("华东"), tiers ("A级") and dealers named
    ("D0012", "杭州嘉禾")."""
    said = _clean(text).strip(" 。.!！")
    if _EVERY.match(said):
        return TargetWords(every=True)
    regions: list[str] = []
    tiers: list[str] = []
    dealers: list[str] = []
    for piece in _pieces(said):
        region = _REGION_SUFFIX.sub("", piece)
        if region in REGIONS:
            regions.append(region)
        elif m := _TIER.match(piece):
            tiers.append(m.group(1).upper() if m.group(1) else "ABC"["一二三".index(m.group(2))])
        else:
            dealers.append(piece)
    return TargetWords(regions=list(dict.fromkeys(regions)), tiers=list(dict.fromkeys(tiers)),
                       dealers=list(dict.fromkeys(dealers)))
