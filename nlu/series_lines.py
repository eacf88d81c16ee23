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
from collections.abc import Mapping, Sequence
from decimal import Decimal
from weakref import WeakKeyDictionary

from nlu.items import ItemResult
from nlu.normalize import normalize
from nlu.numbers import QUANTITY, parse_quantity
from nlu.product_words import TELLING_LEAD, Mention, Strength, told_by
from nlu.schema import CartEdit, CatalogueEntry, EditOp
from nlu.variants import VariantTable, of_other_size, run_size, size_key, variant_dimension

# words that change a line already said: those messages are read by ``nlu.items``
_EDITING = re.compile(r"改|换|不要|删|去掉|取消|减|算了|不对|错|再加|再来|加一|加\d|另外|还有|instead|change|swap|scrap|"
                      r"remove|cancel|drop|more|make it|each|各|分别|都\s*[\d一二两三四五六七八九十]|一共|总共|共|到|~|-")
# a size in 斤 ("一斤装" of liquor, "半斤" of tea), not a count of 斤 (no digit or numeral before it)
_JIN = re.compile(r"(?:(?<![\d.])([1-5])|(?<![零一二两三四五六七八九十百])(半|[一二两三四五]))斤")
_JIN_COUNT = {"半": "0.5", "一": "1", "二": "2", "两": "2", "三": "3", "四": "4", "五": "5"}
# what a line says: a variant word of the series, or an English word of its aliases (the products it is said of)
Said = str | frozenset[str]
# a count after a line: a number with a unit, or a bare number where the line ends
_LINE_END = re.compile(r"\s*(?:$|[,，;；、/。\n]|\s)")
# "再来 / 再整" starting a line: one more line of the series ("…400 再整20副450"), not a change to a line said
_MORE_LINE = re.compile(r"(?:^|(?<=[\s,，;；。]))(?:帮我|给我)?再(?:来|整|弄|要|拿|订)个?")
_NUMERALS = "一二两俩三仨四五六七八九十"
# between a count said before the series and the series: nothing, a unit word ("20 spools yinsi"), "of the"
_LEAD_GAP = re.compile(r"\s*(?:的\s*)?(?:[a-z]{2,10}\s+)?(?:of\s+)?(?:the\s+)?")


def series_lines(table: VariantTable, text: str, mentions: Sequence[Mention],
                 entries: Mapping[str, CatalogueEntry] | None = None,
                 named_back: Sequence[str] = ()) -> list[CartEdit] | None:
    """The lines of one series said variant by variant in normalized ``text``, or None when the message is not
    only that (see the module docstring). With the catalogue's ``entries``, the English words of its aliases that
    tell products of a series apart ("gift", "plain", "can" in "… 500ml gift box", "… 330 can") are variant words
    too. ``named_back``: the words ``nlu.items`` could not name a product for; one with a word that is no variant
    of the series ("红色 5L" when the series has no red) keeps that reading (the chat names it back)."""
    if _EDITING.search(_MORE_LINE.sub(lambda m: " " * len(m.group(0)), text)):
        return None
    named = [m for m in mentions if m.skus]
    if not named:
        return None
    head = named[0]
    series = _series(table, head)
    if series is None:
        return None
    after = len(QUANTITY.findall(text, head.end))
    lead = _lead_count(text, head) if after else None
    if after + (lead is not None) < 2:
        return None           # one count at most: nothing to read again
    for word in named_back:
        # a count with its unit named back ("one carton" of "… and 8 one carton") is no other product's word
        left = QUANTITY.sub(lambda q: " " * len(q.group(0)) if q.group("unit") else q.group(0), word)
        for a, b, _ in table.runs(word, series, 0, len(word)):
            left = left[:a] + " " * (b - a) + left[b:]
        if re.search(r"[^\W\d_装的a-z]|[a-z]{3,}", left):       # "1000g装礼盒" is all the series' words
            return None
    runs = _with_jin(table, series, text, table.runs(text, series, 0, len(text)))
    if lead is not None and any(b == lead.start() for _, b, _ in runs):
        lead = None           # "902金3副 902枪灰2副": the count of the variant before it, not one said before the series
    jin = {(a, b) for a, b, _ in _with_jin(table, series, text, [])}
    # "5箱330ml": a size right after a count is read as a size once the count is blanked
    bare = text
    for q in QUANTITY.finditer(text, head.end):
        if q.group("unit") and not any(a < q.end() and q.start() < b for a, b, _ in runs):
            bare = bare[:q.start()] + " " * (q.end() - q.start()) + bare[q.end():]
    if bare != text:
        runs = _with_jin(table, series, text, table.runs(bare, series, 0, len(text)))
    said: list[tuple[int, int, list[Said]]] = [(a, b, list(w)) for a, b, w in runs]
    if entries is not None and (english := _english_words(table, entries).get(series)):
        # the words of the lines after the series is named ("pp strap white 12mm": "strap" is the kind said first)
        said = sorted(said + [(w.start(), w.end(), [skus]) for w in re.finditer(r"[a-z]{3,}", text)
                              if w.start() >= head.start
                              and (skus := english.get(w.group(0)) or english.get(w.group(0).removesuffix("s")))],
                      key=lambda r: r[0])
    # "ep2 1kg 12 and l3 15kg 3": a code no product of the series has starts another one (said before the words of
    # several products, or named back with them)
    later = [m for m in mentions if m.start >= head.end and (m.skus or m.strength == Strength.UNKNOWN)]
    for n, m in enumerate(later):
        code = TELLING_LEAD.search(text, later[n - 1].end if n else head.end, m.start) if m.skus else \
            TELLING_LEAD.search(text, m.start, m.start + len(m.word.split(" ")[0]) + 1)
        if entries is not None and code is not None and re.search(r"[a-z]", code.group(1)) \
                and not any(told_by(code.group(1), normalize(" ".join((s, entries[s].name, *entries[s].aliases))))
                            for s in table.members[series] if s in entries):
            return None
    # a variant word other products also have an alias for ("125ml") is still a word of this series here
    for m in named[1:]:
        if _series(table, m) != series and re.search(r"[^\W\d_]", _outside(text, m, said)):
            return None
    if re.search(r"\d", text[:lead.start() if lead else head.start]) and not any(a < head.start for a, _, _ in runs):
        return None           # numbers before the series that are not its variants: not a list of its lines
    counts: list[tuple[int, int, int]] = []
    units: list[str] = []
    for q in ([lead] if lead else []) + list(QUANTITY.finditer(text, head.end)):
        if any(a < q.end() and q.start() < b for a, b, _ in runs):
            continue
        quantity = parse_quantity(q)
        if not quantity.usable:
            return None       # (so every number read is a count or a variant word: ``read_again``'s numbers_read)
        if not q.group("unit") and not _LINE_END.match(text, q.end("num")) and q is not lead \
                and not (q.group("num")[:1] in _NUMERALS and any(a == q.end() for a, _, _ in runs)):
            continue          # (a numeral glued to a variant is its count: "再整仨6.3米")
        counts.append((q.start(), q.end(), int(quantity.value or 0)))
        units.append(quantity.unit)
    if len(counts) < 2:
        return None
    for m in named:
        if m.sku is not None and table.series.get(m.sku) == series \
                and not any(a < m.end and m.start < b for a, b, _ in counts):
            # a product's own words ("36亮白" of 300x600 亮光白): that product, whatever variant words it holds
            # (a mention over a count is a misreading: "3箱 dot")
            # sizes said in 斤 inside it, which product words never read ("半斤光瓶" taken for the 一斤 one), may
            # overrule it; its other words are its own
            inner = [w for r in said if m.start <= r[0] and r[1] <= m.end and (r[0], r[1]) in jin for w in r[2]]
            said = sorted([r for r in said if not (m.start <= r[0] and r[1] <= m.end)]
                          + [(m.start, m.end, [frozenset(m.skus), *inner])], key=lambda r: r[0])
    paired = _paired(said, counts, head)
    if paired is None:
        return None
    shared, lines = paired
    out: dict[str, int] = {}
    like: str | None = head.sku
    within: Sequence[str] = [s for s in head.skus if table.series.get(s) == series] if len(head.skus) >= 2 else ()
    if shared:
        within = _having(table, table.members[series], shared)
        if not within:
            return None
    size = run_size(table, text, head.start, head.end, head.sku)      # "封边条45的 暖白": the lines' size
    for k, (words, qty) in enumerate(lines):
        if not words:
            if k or head.sku is None:
                return None
            sku = head.sku
        else:
            picked = _pick(table, series, words, like, within) if within else None
            if not picked and not shared:       # a line may leave the head's narrower words ("38度" after "42度礼盒")
                picked = _pick(table, series, words, like, ())
            if not picked:
                return None
            sku = picked
        if sku in out:
            return None
        if k and size is not None and of_other_size(table, sku, size) \
                and not any(isinstance(w, str) and variant_dimension(w) == variant_dimension(size) for w in words):
            return None           # "封边条45的 暖白10卷 黑色4卷" when only the 22mm band is black: not the 22mm one
        out[sku] = qty
        like = sku
    return [CartEdit(op=EditOp.ADD, sku=sku, qty=qty, unit=unit) for (sku, qty), unit in zip(out.items(), units, strict=True)]


def _lead_count(text: str, head: Mention) -> re.Match[str] | None:
    """The count said right before the series' first mention ("要10轴银丝1.5的", "整俩悍鳍", "3 hanqi 19 tone 4.5m"),
    if any. Without a unit, a numeral is glued to the series, digits have a space after them ("鹤小二 42度": a name)."""
    lead = None
    for q in QUANTITY.finditer(text, max(0, head.start - 24), head.start):
        gap = _LEAD_GAP.fullmatch(text, q.end(), head.start)
        spaced = q.end() > q.end("num") or (gap is not None and gap.end() > gap.start())
        bare = not q.group("unit") and (q.group("num")[:1] in _NUMERALS) == spaced
        glued = re.match(r"[a-z\d.]", text[q.start() - 1:q.start()]) is not None     # inside a code or a size
        lead = q if gap is not None and not bare and not glued else None
    return lead


def read_again(result: ItemResult, lines: list[CartEdit] | None, *, numbers_read: bool = False) -> None:
    """``result`` (what ``nlu.items`` read) with ``lines`` instead when they read more of the message: more lines,
    the same products with other counts (a size's digits taken for a count), or the same counts of other products
    (a line's words the mention search left: "500 bottles 40" after "330 cans 90"). ``numbers_read``: every number
    of the message is a count or a variant word of ``lines`` (``series_lines``), so a size refused as a count
    ("5轴2.0的") is no longer named back."""
    if lines is None or result.removed:
        return
    items = {str(e.sku): int(e.qty or 0) for e in lines}
    if len(items) > len(result.items) or (set(items) == set(result.items) and items != result.items) \
            or (items != result.items and sorted(items.values()) == sorted(result.items.values())):
        result.items, result.edits, result.unresolved, result.unknown = items, lines, [], []
        if numbers_read:
            result.rejected = []


def _with_jin(table: VariantTable, series: str, text: str,
              runs: list[tuple[int, int, list[str]]]) -> list[tuple[int, int, list[str]]]:
    """``runs`` and the package sizes said in 斤 ("一斤礼盒", "半斤光瓶", "2斤"): 500 g a 斤, or 500 ml where the series
    is sold by volume, when the series has that size."""
    found = []
    for jin in _JIN.finditer(text):
        if any(a < jin.end() and jin.start() < b for a, b, _ in runs):
            continue
        grams = Decimal(jin.group(1) or _JIN_COUNT[jin.group(2)]) * 500
        sizes = {v for sku in table.members[series] for v in table.variants[sku]}
        said = next((v for unit in ("ml", "g") if (v := size_key(str(grams), unit)) in sizes), None)
        if said is not None:
            found.append((jin.start(), jin.end(), [said]))
    return sorted(runs + found, key=lambda r: r[0]) if found else runs


def _having(table: VariantTable, skus: Sequence[str], said: Sequence[Said]) -> list[str]:
    """Those of ``skus`` with every variant word and of every English word's products ``said``."""
    return [s for s in skus if all(s in w if isinstance(w, frozenset) else w in table.variants[s] for w in said)]


def _pick(table: VariantTable, series: str, said: Sequence[Said], like: str | None, within: Sequence[str]) -> str | None:
    """The one product of ``series`` (of ``within`` when given) a line's words name, the words it leaves out
    being ``like``'s; None when none or several."""
    words = [w for w in said if isinstance(w, str)]
    named = [w for w in said if isinstance(w, frozenset)]
    if words and any(len(w) == 1 for w in named):
        # the product a mention named, unless the line's words say another ("半斤光瓶" read as the 一斤 one)
        agreed = _pick_named(table, series, words, named, like, within)
        return agreed or _pick(table, series, words + [w for w in named if len(w) > 1], like, within)
    return _pick_named(table, series, words, named, like, within)


def _pick_named(table: VariantTable, series: str, words: list[str], named: list[frozenset[str]], like: str | None,
                within: Sequence[str]) -> str | None:
    if not named:
        picked = table.resolve(series, words, like, within)
        return picked[0] if picked else None
    pool = [s for s in (within or table.members[series]) if all(s in w for w in named)]
    if words:
        picked = table.resolve(series, words, like, pool) if pool else None
        return picked[0] if picked else None
    if len(pool) > 1 and like is not None and like in table.variants:
        best = max(len(table.variants[s] & table.variants[like]) for s in pool)
        pool = [s for s in pool if len(table.variants[s] & table.variants[like]) == best]
    return pool[0] if len(pool) == 1 else None


_ENGLISH_WORDS: WeakKeyDictionary[VariantTable, dict[str, dict[str, Said]]] = WeakKeyDictionary()


def _english_words(table: VariantTable, entries: Mapping[str, CatalogueEntry]) -> dict[str, dict[str, Said]]:
    """Per series, the English words of its products' aliases that some of its products have and others not
    ("gift" of "Laojiao 42 500ml gift box", not "laojiao"): the one variant word (not a size) those products share
    and others lack ("礼盒"), else the products it is said of."""
    if (known := _ENGLISH_WORDS.get(table)) is not None:
        return known
    out: dict[str, dict[str, Said]] = {}
    for series, skus in table.members.items():
        said: dict[str, set[str]] = {}
        for sku in skus:
            entry = entries.get(sku)
            for alias in entry.aliases if entry is not None else ():
                for word in re.findall(r"[a-z]{3,}", normalize(alias)):
                    said.setdefault(word, set()).add(sku)
        words: dict[str, Said] = {}
        for w, having in said.items():
            if len(having) == len(skus):
                continue
            # "plain" of the products that are 光瓶: that word, so it also names those with no English alias
            common = set.intersection(*(set(table.variants[s]) for s in having))
            named = [v for v in common if not v[:1].isdigit() and not v[:1] == "-"
                     and any(v not in table.variants[s] for s in skus)]
            words[w] = named[0] if len(named) == 1 else frozenset(having)
        out[series] = words
    _ENGLISH_WORDS[table] = out
    return out


def _series(table: VariantTable, m: Mention) -> str | None:
    """The one series ``m`` names: a series word may also name a product whose name the table could not split
    ("金樽" of a jar set "<series> 53度 1.5L 坛装礼盒" too)."""
    found = {table.series.get(s) for s in m.skus} - {None}
    if len(found) != 1:
        return None
    series = found.pop()
    return series if series in table.members else None


def _outside(text: str, m: Mention, runs: Sequence[tuple[int, int, list[Said]]]) -> str:
    """What ``m`` says besides this series' variant words."""
    return "".join(c for i, c in enumerate(text[m.start:m.end], m.start) if not any(a <= i < b for a, b, _ in runs))


def _paired(runs: list[tuple[int, int, list[Said]]], counts: list[tuple[int, int, int]],
            head: Mention) -> tuple[list[Said], list[tuple[list[Said], int]]] | None:
    """Each count with the variant words of its line: those before it ("哑光1L 4桶") or, when the first count comes
    before any variant word after the series, those after it ("5顶3人")."""
    tokens = sorted([(a, "run", words) for a, _, words in runs] + [(a, "count", qty) for a, _, qty in counts],
                    key=lambda t: t[0])
    first = next((k for k, t in enumerate(tokens) if t[1] == "count"), None)
    if first is None:
        return None
    lines: list[tuple[list[Said], int]] = []
    said: list[Said] = []
    if tokens[-1][1] == "run":
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
