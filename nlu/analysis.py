"""What the offline parser finds in one message before the intent is decided (``analyze``), and the same message
with those spans masked for the intent classifier (``masked``).

Steps on the normalized text (``nlu.normalize``): order numbers, the delivery date (``nlu.dates``), product mentions
from the catalogue passed in and the dealer's own words (``nlu.products``), order lines with corrections and negations
(``nlu.items``). The classifier (``nlu.classifier``) trains on masked text and the parser (``nlu.offline``) predicts on
it, so both import this module and neither imports the other's internals.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, lru_cache
from importlib import resources

from nlu.asked_product import asked_product, other_variant_said
from nlu.attribute_lines import attribute_lines, read_attributes
from nlu.code_lines import code_lines
from nlu.dates import PeriodMatch, find_date, find_past_period
from nlu.each_clauses import each_clause_lines
from nlu.each_lines import each_lines
from nlu.generic_swaps import generic_swap
from nlu.glued_codes import glued_codes, lacking_variants
from nlu.glued_fronts import glued_fronts
from nlu.instead_lines import instead_lines
from nlu.items import ItemResult, extract_items, name_back_unread
from nlu.line_corrections import corrected_lines
from nlu.measure_counts import measures_as_counts
from nlu.moved_counts import better_lines, counts_put_after, sizes_put_first
from nlu.normalize import normalize
from nlu.number_series import number_series_spelled
from nlu.numbers import QUANTITY
from nlu.numeral_codes import numeral_codes_spelled
from nlu.own_variants import with_own_variants
from nlu.pack_siblings import pack_siblings
from nlu.part_words import parts_asked
from nlu.pinyin_text import looks_like_pinyin, respell_pinyin
from nlu.product_words import UNKNOWN_CODE
from nlu.products import Mention, ProductIndex
from nlu.replaced_lines import replaced_lines
from nlu.report_periods import ReportPeriod, read_report_period
from nlu.schema import CatalogueEntry
from nlu.sections import sections_spelled
from nlu.series_codes import series_codes_spelled
from nlu.series_lines import read_again, series_lines
from nlu.sibling_lines import sibling_lines
from nlu.size_first import sizes_put_after
from nlu.size_letters import size_letters_marked

ORDER_SUFFIX = re.compile(r"(?:尾号|末尾|后四位|后4位|后三位|后3位|结尾是?|最后几位是?|ending(?: in| with)?|ends? with)\s*"
                          r"(?:是|为|:)?\s*(\d{3,4})(?!\d)|(?<![\d-])(\d{4})\s*(?=结尾|那单|的单|那个单|的订单|号单)")
ORDER_NO = re.compile(r"(?<![a-z0-9])(so|as|qf)[-_ ]?(\d{8})[-_ ]?(\d{4})(?!\d)"
                      r"|(?<![a-z0-9-])()(20\d{6})-(\d{4})(?!\d)")      # "20261130-0045这单": an order number
PRODUCT_MARK, QTY_MARK, ORDER_MARK, DATE_MARK = "\ue000", "\ue001", "\ue002", "\ue003"
_REFERENCE_DAY = date(2026, 1, 1)      # masking only needs where a date is, not which day it is

# the same, written looser: "SO-2026-12-03-0002", "SO 2026 1201 0009", "qf 2026 12 02 0001", "20261120/0101",
# "so-20261202-18", Chinese digits (read on ``_ascii_digits``); without SO/AS/QF the serial has its four digits
_LOOSE_ORDER_NO = re.compile(r"(?<![a-z0-9])(?:(so|as|qf)\s?[-_/]?\s?)?(20\d\d)\s?[-_/]?\s?(0[1-9]|1[0-2])\s?[-_/]?\s?"
                             r"(0[1-9]|[12]\d|3[01])\s?[-_/]?\s?(\d{4}|(?<=[-_/])\d{1,3})(?!\d)")
_CN_DIGIT = str.maketrans("〇零一二三四五六七八九", "00123456789")
_TICKET_BEFORE = (("as", re.compile(r"售后|维修|报修|工单|\bas\b|after.?sales")),
                  ("qf", re.compile(r"质量|反馈|投诉|\bqf\b|quality")))


def _ascii_digits(text: str) -> str:
    """``text`` with runs of four or more Chinese digits as ASCII digits, one character for one (positions kept)."""
    return re.sub(r"[〇零一二三四五六七八九]{4,}", lambda r: r.group(0).translate(_CN_DIGIT), text)


def _kind_before(text: str, start: int) -> str:
    """A number written without SO/AS/QF: "as" after 售后/维修, "qf" after 质量/反馈, else "so"."""
    before = text[max(0, start - 8):start]
    return next((p for p, said in _TICKET_BEFORE if said.search(before)), "so")


def find_order_no(text: str) -> tuple[str, tuple[int, int]] | None:
    """The order or ticket number written in normalized ``text`` (``SO-/AS-/QF-YYYYMMDD-NNNN``) and where it is.
    Written without its letters, a number after 售后/维修 is an after-sales ticket, after 质量/反馈 a quality one."""
    if m := ORDER_NO.search(text):
        prefix, day, serial = (m.group(1), m.group(2), m.group(3)) if m.group(1) else ("so", m.group(5), m.group(6))
        if not m.group(1):
            prefix = _kind_before(text, m.start())
        return f"{prefix.upper()}-{day}-{serial}", (m.start(), m.end())
    digits = _ascii_digits(text)
    for m in _LOOSE_ORDER_NO.finditer(digits):
        prefix, serial = m.group(1), m.group(5)
        if prefix is None and len(serial) < 4:
            continue
        if prefix is None:
            prefix = _kind_before(digits, m.start())
        return f"{prefix.upper()}-{m.group(2)}{m.group(3)}{m.group(4)}-{serial.zfill(4)}", (m.start(), m.end())
    return None


@dataclass
class Analysis:
    """Everything found in one message before the intent is decided."""

    text: str                                   # normalized
    blanked: str                                # dates and order numbers blanked
    mentions: list[Mention]
    items: ItemResult
    order_no: str | None = None
    delivery_date: date | None = None
    date_span: tuple[int, int] | None = None
    order_span: tuple[int, int] | None = None
    unknown: list[str] = field(default_factory=list)
    order_suffix: str | None = None
    past: PeriodMatch | None = None
    report: ReportPeriod = field(default_factory=ReportPeriod)   # the period a question about figures asks for
    codes: list[Mention] = field(default_factory=list)      # model-like codes no product has ("XY123")
    doing: list[tuple[int, int]] = field(default_factory=list)     # words of doing inside a product's span
    asked: str | None = None        # the one product words naming several agree on (``nlu.asked_product``)
    others: bool = False            # another variant said after a product named alone ("黑L 没有的话 黑XL也行")

    @cached_property
    def quantities(self) -> list[re.Match[str]]:
        """The quantities said in ``blanked``, read once for the masks and for the result's ``qty``."""
        return list(QUANTITY.finditer(self.blanked))


# a word that says what is done, not which product ("chunsheng sold 330 cans 90", "晴雨盾 sold 白5L 10"): when a
# product's span runs over it (its words said on both sides), it stays visible to the classifier, as it would be
# said anywhere else
_DOING = re.compile(r"(?<![a-z])(?:sold|sell(?:s|ing)?(?:[\s-]?out)?|moved|ordered|order|need|want|send|buy|bought|"
                    r"returned|return)(?![a-z])|卖了|卖出|卖掉|卖咗|走了")


def _doing_inside(text: str, mentions: list[Mention], index: ProductIndex) -> list[tuple[int, int]]:
    out = []
    for m in mentions:
        for d in _DOING.finditer(text, m.start, m.end):
            if not any(d.group(0) in normalize(" ".join((e.name, *e.aliases)))
                       for sku in m.skus if (e := index.entries.get(sku)) is not None):
                out.append((d.start(), d.end()))
    return out


# a day said alone ("7号"), which a catalogue of numbered sizes may mean as its product; said before a delivery word
# ("7号到", "8号前送") it is the day
_DAY_ONLY = re.compile(r"\d{1,2}号")
_DECIMAL = re.compile(r"\d{1,2}\.\d{1,2}")
_DELIVERY_AFTER = re.compile(r"\s?(?:之?前|以前|左右)?\s?(?:到|送|发|交|提|要货|收)")

def analyze(text: str, index: ProductIndex, today: date, *, moved: bool = False) -> Analysis:
    """What ``text`` says about products, counts, dates and order numbers (``moved``: read once more with the
    counts written before a series word put after its phrase, ``nlu.moved_counts``)."""
    result = _analyze(text, index, today)
    if moved:
        return result
    if any(u.generic and u.qty for u in result.items.unresolved) \
            and (again := counts_put_after(result.blanked, result.mentions)) is not None:
        other = analyze(again, index, today, moved=True)
        if not other.items.unresolved and better_lines(result.items.items, other.items.items):
            result.items = other.items
    if (first := sizes_put_first(result.blanked, result.mentions)) is not None:
        other = analyze(first, index, today, moved=True)
        if not other.items.unresolved and len(other.items.items) > len(result.items.items):
            result.items = other.items
    return result


def _analyze(text: str, index: ProductIndex, today: date) -> Analysis:
    norm = numeral_codes_spelled(sections_spelled(normalize(text), index), index)
    norm = series_codes_spelled(norm, index)        # "H series 5k 3 units": the H5K
    norm = number_series_spelled(norm, index)       # "215硒鼓 黑5 青3": the 215黑, the 215青
    norm = size_letters_marked(norm, index)         # "hoodie M 5 L 5": the L, not 5 litres
    norm = sizes_put_after(norm, index)             # "#5 nylon zips": the "nylon zip #5"
    if looks_like_pinyin(norm):          # "dingdan dao na le": the Chinese it spells, product words kept
        norm = respell_pinyin(norm, [(m.start, m.end) for m in index.find(norm) if m.skus])
    else:                                # "haian grey oak 8": a series typed in pinyin, read as its Chinese word
        norm = index.pinyin_spelled(norm)
    blanked = norm
    order_no = None
    order_span = None
    if found_no := find_order_no(norm):
        order_no, order_span = found_no
        blanked = blanked[:order_span[0]] + " " * (order_span[1] - order_span[0]) + blanked[order_span[1]:]
    suffix = None
    if order_no is None and (s := ORDER_SUFFIX.search(blanked)):
        suffix = s.group(1) or s.group(2)
        order_span = (s.start(), s.end())
        blanked = blanked[:s.start()] + " " * (s.end() - s.start()) + blanked[s.end():]
    past = find_past_period(blanked, today)
    report = read_report_period(blanked, today)
    found = find_date(blanked, today)
    known = None
    looked = blanked
    while found is not None and _DAY_ONLY.fullmatch(blanked[found.start:found.end]) \
            and not _DELIVERY_AFTER.match(blanked, found.end):
        # "三层箱 3号50 7号也来20": 7号 is a carton size of the catalogue, not the 7th (unless "7号到")
        known = index.find(blanked) if known is None else known
        if not any(m.skus and m.start <= found.start and found.end <= m.end for m in known):
            break
        looked = looked[:found.start] + " " * (found.end - found.start) + looked[found.end:]
        found = find_date(looked, today)          # a day said after it ("三层5号 100个 7号前到")
        if found is not None and not _DELIVERY_AFTER.match(looked, found.end):
            found = None
    if found is not None:
        known = None                              # the products are found again with the date blanked
    date_span = None
    if found is not None:
        date_span = (found.start, found.end)
        blanked = blanked[:found.start] + " " * (found.end - found.start) + blanked[found.end:]
    elif past is not None:
        date_span = (past.start, past.end)
        blanked = blanked[:past.start] + " " * (past.end - past.start) + blanked[past.end:]
    known = glued_fronts(blanked, index.find(blanked) if known is None else known, index.entries)   # "2段小罐"
    known = glued_codes(blanked, known, index.entries, index.near_owners)       # "AP3000滤网": named back
    known = lacking_variants(blanked, known, index.entries)      # "W-101下壶" when the W-101 has no 下壶
    blanked = measures_as_counts(blanked, known, index.entries)      # "rib 50kg" of a knit sold by the 公斤
    unknown_codes = index.unknown_codes(blanked, known)
    # the product's own variant words after it are no counts (the masks the classifier reads keep the mentions found)
    own = with_own_variants(index.variant_table, blanked, known, index.entries)
    mentions = sorted(own + unknown_codes, key=lambda m: m.start)
    items = _lines(blanked, index, mentions)
    if (instead := instead_lines(blanked, mentions)) is not None:
        items = instead         # "不是DH20 是DH50 数量不变": the line of the one said wrongly, replaced
    elif (generic := generic_swap(blanked, mentions)) is not None:
        items = generic         # "把滤网换成两箱AP500滤网": the line of the filter the cart holds, replaced
    # a list, then corrections naming its lines by their own words ("520 黑4 青2 黑的改成6")
    elif (corrected := corrected_lines(blanked, lambda end: _lines(blanked[:end], index,
                                                                 [m for m in mentions if m.end <= end]),
                                     index.entries, index.variant_table)) is not None \
            and not set(items.items) - set(corrected.items) - set(corrected.removed):
        items = corrected       # (never one that loses a line the plain reading had, without a word taking it out)
    # a product taken out or replaced, then its siblings by their own words ("蓝盾S删掉 M加到30盒")
    elif (replaced := replaced_lines(blanked, mentions, index.variant_table, index.entries)) is not None:
        items = replaced
    parts_asked(items.edits, items.items, items.unresolved, mentions, index.part_hosts)      # "WP600要8台 滤芯来3箱": which 滤芯, not the WP400's
    for u in items.unresolved:        # a code no product has: the closest products, for "您是不是要…"
        if not u.candidates:
            u.candidates = [sku for sku, _ in index.suggest([u.word])]
        if re.fullmatch(r"[a-z]{1,5}-?\d{2,5}[a-z]{0,3}", u.word):
            u.word = u.word.upper()
    result = Analysis(text=norm, blanked=blanked, mentions=known, items=items, order_no=order_no,
                      delivery_date=found.value if found else None, date_span=date_span, order_span=order_span)
    words = [u.word for u in items.unresolved]
    words += [m.word.upper() for m in unknown_codes if m.word.upper() not in words]
    # "AP3000有货吗": a near miss of one code is a code no product has too (named back, never read as that one)
    words += [m.word for m in known if m.near and not m.skus and UNKNOWN_CODE.fullmatch(m.word.lower())]
    result.unknown = list(dict.fromkeys(list(items.unknown) + words))
    result.codes = unknown_codes
    result.doing = _doing_inside(blanked, known, index)
    result.order_suffix, result.past, result.report = suffix, past, report
    sized = blanked
    if date_span is not None and _DECIMAL.fullmatch(norm, *date_span):
        # "溪灵2.7 发出来没": a decimal read as a day may be the size said after a series
        sized = blanked[:date_span[0]] + norm[date_span[0]:date_span[1]] + blanked[date_span[1]:]
    result.asked = asked_product(sized, known, index.variant_table, index.piece_of_name)
    result.others = other_variant_said(sized, known, index.variant_table)
    return result


def _lines(blanked: str, index: ProductIndex, mentions: list[Mention], *, clauses: bool = True) -> ItemResult:
    """The order lines of ``blanked`` with the products ``mentions`` found in it (``clauses``: a list with one
    count for each may be one clause of several, each read on its own)."""
    items = extract_items(blanked, mentions)
    # one series, then its lines variant by variant: read again as a whole
    read_again(items, series_lines(index.variant_table, blanked, mentions, index.entries,
                                   [u.word for u in items.unresolved if not u.generic]), numbers_read=True)
    # one code, then its products by the ends of their aliases ("210 黑3 青2", "JJ128 black 30 gold 10")
    read_again(items, code_lines(index, index.entries, blanked, mentions))
    # one series, its variants listed, one count for each ("city hoodie grey S/M/L/XL 4 each")
    read_again(items, each_lines(index.variant_table, blanked, mentions), numbers_read=True)
    if clauses:           # "4平方红黑各卖了6卷 6平方红的2卷": the list, then another line
        read_again(items, each_clause_lines(blanked, mentions, lambda text, inside: _lines(text, index, inside,
                                                                                            clauses=False)))
    # a size or word said alone after a counted line: the sibling of that line it names ("35uf 20个 45的10个")
    sibling_lines(items, index.variant_table, index.entries)
    # a pack size said alone after a counted line: that product in that pack ("雪岭 200g 40 1kg 10")
    pack_siblings(items, mentions, index.variant_table, index.entries)
    # a family's lines by their attributes, each kept until one of its kind replaces it ("星眸半球 400万2.8 18个 4mm 7个")
    read_attributes(items, attribute_lines(index.variant_table, blanked, mentions, index.entries))
    name_back_unread(items)       # what neither read again: a count's own word named back
    return items


def masked(text: str, index: ProductIndex, today: date = _REFERENCE_DAY) -> str:
    """``text`` with products, quantities, order numbers and dates as placeholder characters."""
    return masked_analysis(analyze(text, index, today))


def masked_analysis(a: Analysis) -> str:
    """``masked`` of a message already analyzed (product-like codes no product has are products too: the
    classifier must not learn this catalogue's codes)."""
    spans: list[tuple[int, int, str]] = []
    for m in a.mentions + a.codes:
        start = m.start
        for d0, d1 in sorted(d for d in a.doing if m.start <= d[0] and d[1] <= m.end):
            if d0 > start:
                spans.append((start, d0, PRODUCT_MARK))
            start = d1
        if m.end > start:
            spans.append((start, m.end, PRODUCT_MARK))
    if a.order_span:
        spans.append((*a.order_span, ORDER_MARK))
    if a.date_span:
        spans.append((*a.date_span, DATE_MARK))
    for q in a.quantities:
        if all(q.end() <= s or q.start() >= e for s, e, _ in spans) and (q.group("unit") or q.group("num").isdigit()):
            spans.append((q.start(), q.end(), QTY_MARK))
    out, pos = [], 0
    for s, e, mark in sorted(spans):
        if s < pos:
            continue
        out.append(a.text[pos:s])
        out.append(f" {mark} ")
        pos = e
    out.append(a.text[pos:])
    return "".join(out)


@lru_cache(maxsize=1)
def training_index() -> ProductIndex:
    """The product vocabulary the labelled set was written against (``nlu/data/catalogue.json``)."""
    raw = json.loads(resources.files("nlu").joinpath("data", "catalogue.json").read_text("utf-8"))
    return ProductIndex([CatalogueEntry(**p) for p in raw["products"]])
