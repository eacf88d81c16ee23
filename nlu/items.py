"""Order lines in a message: products with quantities, corrections and negations.

Works on normalized text (``nlu.normalize``) with product mentions from ``nlu.products`` and with dates
and order numbers already blanked out (their digits are not quantities). Rules, in order:

- a quantity right after a product ("AP300 20台", "AP300来二十台", "AP300 x20", "AP300，20台") belongs to
  it; otherwise one right before it ("5台AP500", "两箱滤网", "20 AP300", "4 boxes of FL-WP400");
- "各": "AP300和AP500各10台" gives each product of the clause without a quantity that quantity;
- negation next to a product removes it ("不要AP300了", "净化器的不要了", "AP300去掉", "drop the AP500");
  a clause that is only a negation ("不要了") removes what the clause before it added;
- correction: a quantity with no product of its own after "改成 / 不对 / instead" (or alone in its
  clause) replaces the quantity of the product before it ("AP300 20台 改成30台", "二十台，不对，二十五台");
  "换成AP500" after a removed product takes its quantity over;
- the same product twice adds up ("DH20 10台，DH20再加5台");
- a quantity that is not a whole number ("1.5k", "2.5台", "一点五台") is never rounded: it is reported
  in ``rejected`` and the product gets no line;
- a generic word naming several products ("滤网" with two filters in the catalogue) makes no line:
  the word is reported in ``unknown`` so the chat can offer the candidates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from nlu.numbers import QUANTITY, Quantity, parse_quantity
from nlu.products import Mention, Strength

_CLAUSE = re.compile(r"[,.;!?\n，。；！？]+|\s+(?:then|and then)\s+|然后")
_RIGHT_GAP = re.compile(r"^(?:\s|来|要|订|再来|再要|再加|还要|加|共计|一共|总共|共|先来|x|\*|:|×|,|的话|卖了|卖出|卖掉|出了|"
                        r"零售了?|成交了?|装了|sold|-)*$")
_LEFT_GAP = re.compile(r"^(?:\s|of|the|x|\*)*$")
_NEGATION = re.compile(r"不要了?|不要|别要|别|去掉|删掉|删除|拿掉|取消|不用了?|砍掉|\b(?:remove|drop|delete|no more|"
                       r"don't want|do not want|without|cancel)\b")
_NEG_GAP = re.compile(r"^(?:\s|的|了|吧|啊|呢|the)*$")
_CORRECTION = re.compile(r"改成|改为|换成|换为|变成|改|不对|错了|\b(?:instead|make it|change to|change it to|actually)\b")
_EACH = re.compile(r"各|\beach\b")


@dataclass
class ItemResult:
    items: dict[str, int] = field(default_factory=dict)        # sku -> qty, in order of appearance
    removed: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)           # generic words for several products
    rejected: list[str] = field(default_factory=list)          # quantities that are not whole numbers


def _clauses(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in _CLAUSE.finditer(text):
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def extract_items(text: str, mentions: list[Mention]) -> ItemResult:
    """``text``: normalized, dates and order numbers blanked; ``mentions``: products found in it."""
    result = ItemResult()
    quantities = _quantities(text, mentions)
    used: set[int] = set()                          # indexes of quantities taken
    qty_of: dict[int, Quantity] = {}                # mention index -> quantity
    negated: set[int] = set()

    # negation binds to the product right next to it
    for neg in _NEGATION.finditer(text):
        for i, m in enumerate(mentions):
            if (m.end <= neg.start() and _NEG_GAP.match(text[m.end:neg.start()])) or \
               (m.start >= neg.end() and _NEG_GAP.match(text[neg.end():m.start])):
                negated.add(i)
    # right, then left
    for i, m in enumerate(mentions):
        if i in negated:
            continue
        nxt = mentions[i + 1].start if i + 1 < len(mentions) else len(text)
        for k, q in enumerate(quantities):
            if k not in used and m.end <= q.start <= nxt and _RIGHT_GAP.match(text[m.end:q.start]):
                qty_of[i] = q
                used.add(k)
                break
    for i, m in enumerate(mentions):
        if i in negated or i in qty_of:
            continue
        prev = mentions[i - 1].end if i else 0
        for k in reversed(range(len(quantities))):
            q = quantities[k]
            if k in used or not prev <= q.start or q.end > m.start:
                continue
            gap = text[q.end:m.start]
            if _LEFT_GAP.match(gap) and (q.unit or not _is_cjk(gap + text[q.start:q.end])):
                qty_of[i] = q
                used.add(k)
            break
    clauses = _clauses(text)

    def clause_of(pos: int) -> int:
        return next((n for n, (a, b) in enumerate(clauses) if a <= pos < b), -1)

    # 各 / each
    for each in _EACH.finditer(text):
        c = clause_of(each.start())
        shared = next((x for k, x in enumerate(quantities) if k not in used and x.start >= each.end()
                       and _RIGHT_GAP.match(text[each.end():x.start])), None)
        if shared is None:
            continue
        used.add(quantities.index(shared))
        for i, m in enumerate(mentions):
            if clause_of(m.start) == c and i not in qty_of and i not in negated and m.start < each.start():
                qty_of[i] = shared

    # a clause that is only a negation drops what the clause before it added
    mention_clauses = {clause_of(m.start) for m in mentions}
    for neg in _NEGATION.finditer(text):
        c = clause_of(neg.start())
        if c > 0 and c not in mention_clauses:
            for i, m in enumerate(mentions):
                if clause_of(m.start) == c - 1:
                    negated.add(i)
                    qty_of.pop(i, None)

    # build the lines in order; corrections and replacements as they come
    last: str | None = None
    events: list[tuple[int, str, int]] = [(m.start, "m", i) for i, m in enumerate(mentions)]
    events += [(q.start, "q", k) for k, q in enumerate(quantities) if k not in used]
    events.sort()
    pending_qty: int | None = None           # quantity of a product removed just before ("换成AP500")
    for pos, kind, idx in events:
        if kind == "q":
            q = quantities[idx]
            before = text[max(0, pos - 12):pos]
            if last is None or before.endswith(("instead of ", "instead of")):
                continue          # "make it 25 AP300 instead of 20": 20 is the old number
            alone = not any(clause_of(m.start) == clause_of(pos) for m in mentions)
            if _CORRECTION.search(before) or (alone and q.unit):
                if q.value is None:
                    result.rejected.append(q.raw)
                elif last in result.items:
                    result.items[last] = q.value
            continue
        m = mentions[idx]
        if idx in negated:
            for dropped in m.skus:
                if dropped in result.items:
                    pending_qty = result.items.pop(dropped)
                if dropped not in result.removed:
                    result.removed.append(dropped)
            continue
        sku = m.sku
        if sku is None:
            if m.strength == Strength.CATEGORY and m.word not in result.unknown:
                result.unknown.append(m.word)
            continue
        found = qty_of.get(idx)
        if found is None:
            if pending_qty is not None and _CORRECTION.search(text[max(0, m.start - 8):m.start]):
                result.items[sku] = pending_qty
                pending_qty = None
            last = sku if sku in result.items else last
            continue
        if found.value is None or found.value < 1:
            result.rejected.append(found.raw)
            continue
        result.items[sku] = result.items.get(sku, 0) + found.value
        last = sku
    for sku in result.removed:
        result.items.pop(sku, None)
    return result


def _is_cjk(s: str) -> bool:
    return bool(re.search(r"[\u4e00-\u9fff]", s))


def _quantities(text: str, mentions: list[Mention]) -> list[Quantity]:
    taken = [(m.start, m.end) for m in mentions]
    out = []
    for m in QUANTITY.finditer(text):
        if any(a < m.end() and m.start() < b for a, b in taken):
            continue
        out.append(parse_quantity(m))
    return out
