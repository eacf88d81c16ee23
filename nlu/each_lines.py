"""One series, a list of its variants, then one count for each: "city hoodie grey S/M/L/XL 4 each", "蓝色飞翼 s m l
各3条", "飞翼 M码 粉的蓝的黑的各两条", "JF BW 41/42/43 3 pairs each", "精酿500听 白啤 IPA 黑啤 各6件".

The mention search reads a run of variant words as one product's words ("蓝色飞翼 s m l" as the S one) and loses the
others; here the variant words of the series (``nlu.variants.VariantTable.runs``) are read as a list: the runs at its
end that tell the same kind of thing (sizes, colours, words), each one line, and the words said before them (the
colour of "grey S/M/L", the size of "M码 粉的蓝的") said of every line. A word said first that names no one product
with the others ("听" of "精酿500听 白啤 IPA 黑啤") is said of every line too. Where a line leaves a word out, the
product is the one most like the line before (the mention's product for the first line).

All or nothing, as ``nlu.series_lines``: one count at the end said of each, every line one product of the series
and no two the same, nothing between the lines but separators, no number that is not a variant word, no product of
another series, nothing that corrects.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from nlu.numbers import QUANTITY, parse_quantity
from nlu.product_words import Mention
from nlu.schema import CartEdit, EditOp
from nlu.variants import VariantTable, variant_dimension

_EDITING = re.compile(r"改|换|不要|删|去掉|取消|减|算了|不对|错|再加|再来|另外|还有|分别|instead|change|swap|scrap|"
                      r"remove|cancel|drop|make it|\bmore\b|\bexcept\b|除了")
# one count for each line, ending the message: "各3条", "各来一捆", "4 each", "each 5"
_EACH_COUNT = (re.compile(r"(?:各|每样|每种|每款|每个)\s*(?:来|要|拿|订|配|补|卖了|卖|出了|走了)?\s*"),
               re.compile(r"\beach\s*"))
_EACH_SAID = re.compile(r"各|每[样种款个]|\beach\b")
_EACH_AFTER = re.compile(r"\s*(?:[a-z]{2,10}\s+)?(?:of\s+)?(?:each|apiece)\b")       # "15 spools of each"
_END = re.compile(r"[\s,，.。!！~]*(?:吧|了|pls|please|thanks|thx|ok)?[\s,，.。!！~]*$")
# how far before the first product word its variant words may be said ("蓝色飞翼"), and how long a list is read
_BEFORE, _LONGEST = 16, 64
# between two lines of the list
_LIST_GAP = re.compile(r"(?:[\s,，、/&+]|的|和|跟|与|及|\band\b)*")


def each_lines(table: VariantTable, text: str, mentions: Sequence[Mention]) -> list[CartEdit] | None:
    """The lines of one series' variants said with one count for each in normalized ``text`` (see the module
    docstring), or None."""
    if not _EACH_SAID.search(text) or _EDITING.search(text):
        return None
    counted = _each_count(text)
    if counted is None:
        return None
    end, qty, unit = counted
    named = [m for m in mentions if m.skus and m.start < end]
    if not named or any(m.end > end for m in mentions if m.skus):
        return None
    series = next((s for s in (table.series.get(sku) for sku in named[0].skus) if s in table.members), None)
    if series is None or any(not set(m.skus) & set(table.members[series]) for m in named):
        return None
    start = max(0, named[0].start - _BEFORE)
    if end - start > _LONGEST:
        return None           # a list of one series' variants is short: a long message is not scanned for one
    runs = table.runs(text, series, start, end)
    if len(runs) < 2:
        return None
    covered = [(a, b) for a, b, _ in runs] + [(m.start, m.end) for m in named]
    if any(not any(a <= d.start() and d.end() <= b for a, b in covered) for d in re.finditer(r"\d+", text[:end])):
        return None           # a number that is no variant word: a count of a line, not a list
    lines = _listed(text, runs)
    if lines is None:
        return None
    shared, listed = lines
    like = named[0].skus[0] if len(named[0].skus) == 1 else None
    while len(listed) >= 2:
        picked = _picked(table, series, shared, listed, like)
        if picked is not None:
            return [CartEdit(op=EditOp.ADD, sku=sku, qty=qty, unit=unit) for sku in picked]
        # the first word names no one product with the others: said of every line ("听" of "500听 白啤 IPA 黑啤")
        shared, listed = [*shared, *listed[0]], listed[1:]
    return None


def _each_count(text: str) -> tuple[int, int, str] | None:
    """Where the count said of each line starts, the count and its unit, when it ends the message."""
    for q in QUANTITY.finditer(text):
        before = next((m for said in _EACH_COUNT if (m := _ending(said, text, q.start())) is not None), None)
        after = _EACH_AFTER.match(text, q.end())
        if before is None and after is None:
            continue
        if not _END.match(text, after.end() if after is not None else q.end()):
            continue
        quantity = parse_quantity(q)
        if not quantity.usable:
            return None
        return (before if before is not None else q.start()), int(quantity.value or 0), quantity.unit
    return None


def _ending(said: re.Pattern[str], text: str, at: int) -> int | None:
    """Where a match of ``said`` ending at ``at`` starts."""
    for start in range(max(0, at - 8), at):
        m = said.match(text, start)
        if m is not None and m.end() == at:
            return start
    return None


def _listed(text: str, runs: list[tuple[int, int, list[str]]]) -> tuple[list[str], list[list[str]]] | None:
    """The words said of every line and the list's lines: the runs at the end telling the same kinds of thing,
    with only separators between them."""
    def kinds(words: list[str]) -> frozenset[str]:
        return frozenset(variant_dimension(w) for w in words)

    after: list[str] = []
    if len(runs) >= 3 and kinds(runs[-1][2]) != kinds(runs[-2][2]) == kinds(runs[-3][2]) \
            and len(kinds(runs[-2][2])) == 1:
        # the words of every line said after the list ("38 and 42 gift 500ml, 4 each"), or glued to its last word
        # ("96 128 160 黑色各20个")
        listed_kind = kinds(runs[-2][2])
        a, b, words = runs[-1]
        last_words = [w for w in words if variant_dimension(w) in listed_kind]
        after = [w for w in words if variant_dimension(w) not in listed_kind]
        runs = runs[:-1] + ([(a, b, last_words)] if last_words else [])
    last = kinds(runs[-1][2])
    k = len(runs) - 1
    while k > 0 and kinds(runs[k - 1][2]) == last and _LIST_GAP.fullmatch(text, runs[k - 1][1], runs[k][0]):
        k -= 1
    listed = [list(r[2]) for r in runs[k:]]
    shared = [w for r in runs[:k] for w in r[2]] + after
    if k > 0 and len(last) == 1 and _LIST_GAP.fullmatch(text, runs[k - 1][1], runs[k][0]):
        # the list's first word said with the words of every line ("grey s/m/l/xl")
        first = [w for w in runs[k - 1][2] if variant_dimension(w) in last]
        if len(first) == 1:
            listed.insert(0, first)
            shared = [w for w in shared if w not in first]
    said: dict[str, set[str]] = {}
    for w in shared:
        said.setdefault(variant_dimension(w), set()).add(w)
    if any(len(words) > 1 for kind, words in said.items() if kind != "word"):
        return None           # two sizes before the list: lines of each of them ("1.5和2.5 红蓝 各10卷"), not read here
    return shared, listed


def _picked(table: VariantTable, series: str, shared: list[str], listed: list[list[str]],
            like: str | None) -> list[str] | None:
    out: list[str] = []
    for words in listed:
        found = table.resolve(series, [*shared, *words], like)
        if not found or found[0] in out:
            return None
        out.append(found[0])
        like = found[0]
    return out
