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
from functools import lru_cache
from importlib import resources

from nlu.dates import PeriodMatch, find_date, find_past_period
from nlu.items import ItemResult, extract_items
from nlu.normalize import normalize
from nlu.numbers import QUANTITY
from nlu.pinyin_text import looks_like_pinyin, respell_pinyin
from nlu.products import Mention, ProductIndex
from nlu.schema import CatalogueEntry

ORDER_SUFFIX = re.compile(r"(?:尾号|末尾|后四位|后4位|后三位|后3位|结尾是?|最后几位是?|ending(?: in| with)?|ends? with)\s*"
                          r"(?:是|为|:)?\s*(\d{3,4})(?!\d)|(?<![\d-])(\d{4})\s*(?=结尾|那单|的单|那个单|的订单|号单)")
ORDER_NO = re.compile(r"(?<![a-z0-9])(so|as|qf)[-_ ]?(\d{8})[-_ ]?(\d{4})(?!\d)"
                      r"|(?<![a-z0-9-])()(20\d{6})-(\d{4})(?!\d)")      # "20261130-0045这单": an order number
PRODUCT_MARK, QTY_MARK, ORDER_MARK, DATE_MARK = "\ue000", "\ue001", "\ue002", "\ue003"
_REFERENCE_DAY = date(2026, 1, 1)      # masking only needs where a date is, not which day it is

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
    codes: list[Mention] = field(default_factory=list)      # model-like codes no product has ("XY123")


def analyze(text: str, index: ProductIndex, today: date) -> Analysis:
    norm = normalize(text)
    if looks_like_pinyin(norm):          # "dingdan dao na le": the Chinese it spells, product words kept
        norm = respell_pinyin(norm, [(m.start, m.end) for m in index.find(norm) if m.skus])
    blanked = norm
    order_no = None
    order_span = None
    if m := ORDER_NO.search(norm):
        prefix, day, serial = (m.group(1), m.group(2), m.group(3)) if m.group(1) else ("so", m.group(5), m.group(6))
        order_no = f"{prefix.upper()}-{day}-{serial}"
        order_span = (m.start(), m.end())
        blanked = blanked[:m.start()] + " " * (m.end() - m.start()) + blanked[m.end():]
    suffix = None
    if order_no is None and (s := ORDER_SUFFIX.search(blanked)):
        suffix = s.group(1) or s.group(2)
        order_span = (s.start(), s.end())
        blanked = blanked[:s.start()] + " " * (s.end() - s.start()) + blanked[s.end():]
    past = find_past_period(blanked, today)
    found = find_date(blanked, today)
    date_span = None
    if found is not None:
        date_span = (found.start, found.end)
        blanked = blanked[:found.start] + " " * (found.end - found.start) + blanked[found.end:]
    elif past is not None:
        date_span = (past.start, past.end)
        blanked = blanked[:past.start] + " " * (past.end - past.start) + blanked[past.end:]
    known = index.find(blanked)
    unknown_codes = index.unknown_codes(blanked, known)
    mentions = sorted(known + unknown_codes, key=lambda m: m.start)
    items = extract_items(blanked, mentions)
    for u in items.unresolved:        # a code no product has: the closest products, for "您是不是要…"
        if not u.candidates:
            u.candidates = [sku for sku, _ in index.suggest([u.word])]
        if re.fullmatch(r"[a-z]{1,5}-?\d{2,5}[a-z]{0,3}", u.word):
            u.word = u.word.upper()
    result = Analysis(text=norm, blanked=blanked, mentions=known, items=items, order_no=order_no,
                      delivery_date=found.value if found else None, date_span=date_span, order_span=order_span)
    words = [u.word for u in items.unresolved]
    words += [m.word.upper() for m in unknown_codes if m.word.upper() not in words]
    result.unknown = list(dict.fromkeys(list(items.unknown) + words))
    result.codes = unknown_codes
    result.order_suffix, result.past = suffix, past
    return result


def masked(text: str, index: ProductIndex, today: date = _REFERENCE_DAY) -> str:
    """``text`` with products, quantities, order numbers and dates as placeholder characters."""
    return masked_analysis(analyze(text, index, today))


def masked_analysis(a: Analysis) -> str:
    """``masked`` of a message already analyzed (product-like codes no product has are products too: the
    classifier must not learn this catalogue's codes)."""
    spans: list[tuple[int, int, str]] = [(m.start, m.end, PRODUCT_MARK) for m in a.mentions + a.codes]
    if a.order_span:
        spans.append((*a.order_span, ORDER_MARK))
    if a.date_span:
        spans.append((*a.date_span, DATE_MARK))
    for q in QUANTITY.finditer(a.blanked):
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
