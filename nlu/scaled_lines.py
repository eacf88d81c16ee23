"""Scaling an order's lines in words ("数量翻倍", "减半", "翻两倍", "double it", "cut it in half"): the lines the
message itself wrote are scaled where it says so; otherwise the cart gets a SCALE edit (``nlu.items`` calls ``scale``
once per message, after its lines are read)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from nlu.numbers import QUANTITY
from nlu.products import Mention
from nlu.schema import CartEdit, EditOp

# the lines read so far (``nlu.items._Lines``: ``.r`` its ItemResult); typed loosely: nlu.items imports this module
_Lines = Any

_SCALE = (
    (re.compile(r"翻倍|翻个倍|翻一倍|翻一番|加倍|翻番|乘以?2|x\s?2(?!\d)|\bdouble\b|\btwice\b"), Decimal(2)),
    (re.compile(r"减半|砍半|减一半|少一半|一半就|\bhalve\b|\bhalf\b|\bcut .{0,12}in half\b"), Decimal("0.5")),
    (re.compile(r"翻两倍|乘以?3|x\s?3(?!\d)|\btriple\b"), Decimal(3)),
)


def scale(text: str, mentions: list[Mention], clause_of, lines: _Lines) -> None:  # type: ignore[no-untyped-def]
    """"数量翻倍", "减半", "double it": the lines this message wrote scaled, else a SCALE edit of the cart (of the one
    product named with the word, or all of it)."""
    for pattern, factor in _SCALE:
        for m in pattern.finditer(text):
            if factor == 2 and text[m.end():m.end() + 1] == "倍" or text[max(0, m.start() - 1):m.start()] == "两":
                continue
            c = clause_of(m.start())
            named = [x.sku for x in mentions if clause_of(x.start) == c and x.sku]
            if re.match(r"\s*(?:a\s+)?doz", text[m.end():]):
                continue        # "half a dozen" is a count (6)
            if any(x.sku and (x.start <= m.start() < x.end or x.start == m.end() + 1 and m.group(0) == "half")
                   for x in mentions):
                continue        # "half matte", "6 half matte muyun": a word of the product's name, no halving
            if m.group(0)[:1] == "x" and any(x.end <= m.start() and not text[x.end:m.start()].strip() for x in mentions):
                continue        # "AP300 x2, DH20 4": the count of the product before it, not "double it"
            if m.group(0)[:1] not in "x乘" and not QUANTITY.search(text, m.end()) and _scaled_here(lines, [x for x in mentions if re.fullmatch(r"[\s的都也就]{0,3}", text[x.end:m.start()])],
                            factor):
                return
            sku = named[0] if len(named) == 1 else None
            lines.r.edits.append(CartEdit(op=EditOp.SCALE, sku=sku, factor=factor))
            return


def _scaled_here(lines: _Lines, named: list[Mention], factor: Decimal) -> bool:
    """"室内猫粮8袋 翻倍", "猫条20盒 冻干5袋 冻干翻倍", "30袋 算了减半吧": lines this message wrote are scaled in it
    (the products named right before the word, else every line of the message); the cart before it is not touched."""
    if not lines.r.items:
        return False
    words = {s for x in named for s in x.skus} & set(lines.r.items)
    lines.r.unresolved = [u for u in lines.r.unresolved
                          if not (u.qty is None and any(u.word == x.word for x in named) and words)]
    targets = words or set(lines.r.items)
    scaled = {sku: lines.r.items[sku] * factor for sku in targets}
    if any(q != q.to_integral_value() or q < 1 for q in scaled.values()):
        return False          # half of 15: the dealer is asked, never rounded here
    for sku, qty in scaled.items():
        lines.r.items[sku] = int(qty)
        for edit in lines.r.edits:
            if edit.sku == sku and edit.op in (EditOp.ADD, EditOp.SET) and edit.qty is not None:
                edit.qty = int(edit.qty * factor)
    return True
