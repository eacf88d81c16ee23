"""One series, then one line per variant, read again as a whole: "金属漆 哑光1L 4桶 亮光1L 6桶 亮光5L 2桶",
"帐篷 3人 5顶 4人 2顶 6人 1顶", and the count written before the variant: "帐篷 5顶3人 2顶4人".

A catalogue that names its products "<series> <variant> ..." (``nlu.variants.VariantTable``) lets a message name
the series once and then say, line by line, only the variant words and a count. The mention search reads most of
these; where it read fewer lines than the message has counts (a size glued to a count, a variant that is also part
of another series' alias, counts said before their variants), this reading is asked. It is all or nothing: every
count after the series must have variant words that pick exactly one product of that series (the words a line
leaves out are those of the line before it), no other product may be named in between, and nothing in the message
may correct or take a line out ("改成", "不要": ``nlu.items`` reads those).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from nlu.items import ItemResult
from nlu.numbers import QUANTITY, parse_quantity
from nlu.product_words import Mention
from nlu.schema import CartEdit, EditOp
from nlu.variants import VariantTable

# words that change a line already said: those messages are read by ``nlu.items``
_EDITING = re.compile(r"改|换|不要|删|去掉|取消|减|算了|不对|错|再加|再来|加一|加\d|另外|还有|instead|change|swap|scrap|"
                      r"remove|cancel|drop|more|make it|each|各|分别|都\s*[\d一二两三四五六七八九十]|一共|总共|共|到|~|-")
# a count after a line: a number with a unit, or a bare number where the line ends
_LINE_END = re.compile(r"\s*(?:$|[,，;；、/。\n]|\s)")


def series_lines(table: VariantTable, text: str, mentions: Sequence[Mention]) -> list[CartEdit] | None:
    """The lines of one series said variant by variant in normalized ``text``, or None when the message is not
    only that (see the module docstring)."""
    if _EDITING.search(text):
        return None
    named = [m for m in mentions if m.skus]
    if not named:
        return None
    head = named[0]
    series = table.series_of(head.skus)
    if series is None:
        return None
    if len(QUANTITY.findall(text, head.end)) < 2:
        return None           # one count at most: nothing to read again
    runs = table.runs(text, series, 0, len(text))
    # "5箱330ml": a size right after a count is read as a size once the count is blanked
    bare = text
    for q in QUANTITY.finditer(text, head.end):
        if q.group("unit") and not any(a < q.end() and q.start() < b for a, b, _ in runs):
            bare = bare[:q.start()] + " " * (q.end() - q.start()) + bare[q.end():]
    if bare != text:
        runs = table.runs(bare, series, 0, len(text))
    # a variant word other products also have an alias for ("125ml") is still a word of this series here
    for m in named[1:]:
        if table.series_of(m.skus) != series and re.search(r"[^\W\d_]", _outside(text, m, runs)):
            return None
    if re.search(r"\d", text[:head.start]) and not any(a < head.start for a, _, _ in runs):
        return None           # numbers before the series that are not its variants: not a list of its lines
    counts: list[tuple[int, int, int]] = []
    units: list[str] = []
    for q in QUANTITY.finditer(text, head.end):
        if any(a < q.end() and q.start() < b for a, b, _ in runs):
            continue
        if not q.group("unit") and not _LINE_END.match(text, q.end()):
            continue
        quantity = parse_quantity(q)
        if not quantity.usable:
            return None
        counts.append((q.start(), q.end(), int(quantity.value or 0)))
        units.append(quantity.unit)
    if len(counts) < 2:
        return None
    paired = _paired(runs, counts, head)
    if paired is None:
        return None
    shared, lines = paired
    out: dict[str, int] = {}
    like: str | None = head.sku
    within: Sequence[str] = head.skus if len(head.skus) >= 2 else ()
    if shared:
        within = [s for s in table.members[series] if all(w in table.variants[s] for w in shared)]
        if not within:
            return None
    for k, (said, qty) in enumerate(lines):
        if not said:
            if k or head.sku is None:
                return None
            sku = head.sku
        else:
            picked = table.resolve(series, said, like, within) if within else None
            if not picked and not shared:       # a line may leave the head's narrower words ("38度" after "42度礼盒")
                picked = table.resolve(series, said, like)
            if not picked:
                return None
            sku = picked[0]
        if sku in out:
            return None
        out[sku] = qty
        like = sku
    return [CartEdit(op=EditOp.ADD, sku=sku, qty=qty, unit=unit) for (sku, qty), unit in zip(out.items(), units, strict=True)]


def read_again(result: ItemResult, lines: list[CartEdit] | None) -> None:
    """``result`` (what ``nlu.items`` read) with ``lines`` instead when they read more of the message: more lines,
    or the same products with other counts (a size's digits taken for a count)."""
    if lines is None or result.removed:
        return
    items = {str(e.sku): int(e.qty or 0) for e in lines}
    if len(items) > len(result.items) or (set(items) == set(result.items) and items != result.items):
        result.items, result.edits, result.unresolved, result.unknown = items, lines, [], []


def _outside(text: str, m: Mention, runs: list[tuple[int, int, list[str]]]) -> str:
    """What ``m`` says besides this series' variant words."""
    return "".join(c for i, c in enumerate(text[m.start:m.end], m.start) if not any(a <= i < b for a, b, _ in runs))


def _paired(runs: list[tuple[int, int, list[str]]], counts: list[tuple[int, int, int]],
            head: Mention) -> tuple[list[str], list[tuple[list[str], int]]] | None:
    """Each count with the variant words of its line: those before it ("哑光1L 4桶") or, when the first count comes
    before any variant word after the series, those after it ("5顶3人")."""
    tokens = sorted([(a, "run", words) for a, _, words in runs] + [(a, "count", qty) for a, _, qty in counts],
                    key=lambda t: t[0])
    first = next((k for k, t in enumerate(tokens) if t[1] == "count"), None)
    if first is None:
        return None
    lines: list[tuple[list[str], int]] = []
    said: list[str] = []
    if tokens[-1][1] == "run" and tokens[first][0] >= head.end:
        # the count first ("5顶3人"): every count, then the words of its variant up to the next count; the words
        # before the first count are said of every line ("碳素 4支3.6m 6支4.5m")
        shared = [w for t in tokens[:first] for w in t[2]]      # type: ignore[union-attr]
        pending: int | None = None
        for _, kind, value in tokens[first:]:
            if kind == "count":
                if pending is not None:
                    if not said:
                        return None
                    lines.append((said, pending))
                pending, said = value, []        # type: ignore[assignment]
            else:
                said = [*said, *value]           # type: ignore[misc]
        if pending is None or not said:
            return None
        return shared, [*lines, (said, pending)]
    for _, kind, value in tokens:
        if kind == "run":
            said += value              # type: ignore[arg-type]
        else:
            lines.append((said, value))    # type: ignore[arg-type]
            said = []
    if said:
        return None                    # variant words with no count after them
    return [], lines
