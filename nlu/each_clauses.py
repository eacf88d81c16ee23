"""A list with one count for each, said as one clause among other lines: "光伏线 4平方红黑各卖了6卷 6平方红的2卷",
"电缆 6平方红的8卷 黑的8卷 4平方红黑各4卷", "硬线红蓝各5 软线红蓝各2".

``nlu.each_lines`` reads a list of variants with "各 <count>" when it is the whole message; the mention search reads
the clause as its first product alone ("4平方红") and loses the others. Here the message is cut into clauses, each
ending at its count: every clause whose count is said of each ("各6卷") is read on its own, the other clauses
together, each with the words before the first product (the series word: "光伏线"), and the readings are joined.

All or nothing: every reading clean (no word named back, nothing taken out), each list two products or more with its
one count, no product read twice, nothing in the message that corrects a line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from nlu.items import ItemResult
from nlu.numbers import QUANTITY, parse_quantity
from nlu.product_words import Mention
from nlu.schema import CartEdit, EditOp

# words that change a line already said: those messages are read by ``nlu.items``
_EDITING = re.compile(r"改|换|不要|删|去掉|取消|减|算了|不对|错|instead|change|swap|scrap|remove|cancel|drop|make it")
# right before a count: that count is said of each product of its clause ("红黑各卖了6卷", "各来5")
_EACH_BEFORE = re.compile(r"各\s*(?:来|要|拿|配|补|订|卖了|卖|出了|走了)?\s*$")
_CLAUSE_START = re.compile(r"[\s,，;；、。]*")

Reader = Callable[[str, list[Mention]], ItemResult]
Span = tuple[int, int]


def each_clause_lines(text: str, mentions: Sequence[Mention], read: Reader) -> list[CartEdit] | None:
    """The lines of normalized ``text`` read clause by clause (see the module docstring), or None. ``read`` reads
    the lines of a text (the clauses kept, the rest blanked) with the mentions inside it."""
    if "各" not in text or _EDITING.search(text):
        return None
    named = [m for m in mentions if m.skus]
    if not named:
        return None
    clauses = _clauses(text, named)
    if clauses is None:
        return None
    lead = (0, named[0].start)
    each = [(span, qty) for span, qty in clauses if qty is not None]
    rest = [span for span, qty in clauses if qty is None]
    readings: list[tuple[int, list[CartEdit]]] = []
    for span, qty in each:
        lines = _clean(_read(text, mentions, [lead, span], read))
        if lines is None or len(lines) < 2 or any(e.qty != qty for e in lines):
            return None
        readings.append((span[0], lines))
    if rest:
        lines = _clean(_read(text, mentions, [lead, *rest], read))
        if lines is None:
            return None
        readings.append((rest[0][0], lines))
    if not each or len(readings) < 2:
        return None
    out = [e for _, lines in sorted(readings, key=lambda r: r[0]) for e in lines]
    if len({e.sku for e in out}) != len(out):
        return None
    return out


def _clauses(text: str, named: list[Mention]) -> list[tuple[Span, int | None]] | None:
    """The clauses of ``text``, each ending at its count, with that count when it is said of each ("各6卷")."""
    out: list[tuple[Span, int | None]] = []
    start = 0
    for q in QUANTITY.finditer(text):
        if any(m.start < q.end() and q.start() < m.end for m in named):
            continue          # a size inside a product's words ("4平方")
        quantity = parse_quantity(q)
        if not quantity.usable:
            return None
        each = _EACH_BEFORE.search(text, max(start, q.start() - 8), q.start()) is not None
        out.append(((start, q.end()), int(quantity.value or 0) if each else None))
        start = _CLAUSE_START.match(text, q.end()).end()       # type: ignore[union-attr]
    if len(out) < 2 or text[start:].strip():
        return None           # one clause, or words after the last count: not a list of lines
    return out


def _read(text: str, mentions: Sequence[Mention], kept: list[Span], read: Reader) -> ItemResult:
    """``read`` of ``text`` with only the ``kept`` spans (same positions, the rest blanked)."""
    blanked = "".join(c if any(a <= i < b for a, b in kept) else " " for i, c in enumerate(text))
    inside = [m for m in mentions if any(a <= m.start and m.end <= b for a, b in kept)]
    return read(blanked, inside)


def _clean(result: ItemResult) -> list[CartEdit] | None:
    """The lines of ``result`` when it read nothing doubtful: no word named back, nothing taken out."""
    if not result.items or result.unresolved or result.unknown or result.removed or result.doubtful:
        return None
    if any(e.op != EditOp.ADD for e in result.edits):
        return None
    units = {e.sku: e.unit for e in result.edits}
    return [CartEdit(op=EditOp.ADD, sku=sku, qty=qty, unit=units.get(sku, "")) for sku, qty in result.items.items()]
