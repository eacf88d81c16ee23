"""Lines of a family of series named by their attributes, each said once and kept until another of its own kind
replaces it: "星眸半球 400万2.8 18个 4mm 7个 800万 3个", "鹰瞳全彩 枪机400万 6台 半球400万 6台 半球800万 2台",
"400万半球2.8 鹰瞳的6台 星眸的12台", "紫铜盘管 2分15米5卷 3分15米5卷".

A catalogue whose names are "<maker><line><kind> <sizes>" ("瞰安星眸400万枪机4mm") lets a dealer name its products
by attributes: the line (星眸), the kind (枪机), each size (400万, 4mm). In a list the dealer says each attribute
once and then only the ones that change. Here the message is read as such a list: the words of the series' names
(``_series_words``: "星眸", "枪机", "鹰瞳全彩") and the variants of the series (``VariantTable.runs``) are the
attributes; a series word replaces those said before it that name none of its products ("半球" after "枪机", "星眸"
after "鹰瞳", never "半球" after "鹰瞳"), a variant replaces the one of its own dimension ("4mm" after "2.8"). At each
count the products left are those of every series word and of the variants said in that line; the variants carried
from the lines before only choose among those (the 800万 dome after "400万 4mm" is the 2.8mm one, the only 800万
dome). A line whose own words name no product ("守望 64路 1台" with no 64-channel recorder) is named back, never
read as another product; a line that stays ambiguous leaves the whole message to the other readings.

All or nothing, like ``nlu.series_lines``: every number is a count or a variant, every count comes after words of its
line, no product outside the family is named, and nothing corrects or takes a line out ("改成", "不要").
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from weakref import WeakKeyDictionary

from nlu.glued_sizes import SPELLED_SIZE, glued_series
from nlu.items import ItemResult
from nlu.normalize import normalize
from nlu.numbers import QUANTITY, UNITS, parse_quantity
from nlu.product_words import Mention
from nlu.schema import CartEdit, CatalogueEntry, EditOp, Unresolved
from nlu.variants import VariantTable, variant_dimension, variant_word

# words that change or take out a line, say one count for several, or a range: read by ``nlu.items`` and the
# readings after it
_EDITING = re.compile(r"改|换|不要|不用|删|去掉|取消|减|算了|不对|错|加|不变|各|分别|都\s*[\d一二两三四五六七八九十]|一共|总共|共|"
                      r"到|~|-|instead|change|swap|scrap|remove|cancel|drop|make it|each|total|\bx\s*\d+\s*[/x]")
# a bare count ends its line
_LINE_END = re.compile(r"\s*(?:$|[,，;；、/。\n]|\s|[a-z\u4e00-\u9fff])")
# a numeral with no unit is a count where a line ends
_SAID_END = re.compile(r"\s*(?:$|[,，;；、/。\n\s])")
# a count glued after a size written in letters ("4mm3台", "2t5块")
_COUNT_AFTER_LETTERS = re.compile(rf"(\d(?:\.\d+)?[a-z]{{1,3}})(\d{{1,4}}(?:{'|'.join(sorted(UNITS, key=len, reverse=True))}))")
_NUMBERS = re.compile(r"\d+|[一二两俩三四五六七八九十廿卅]+")
# a number and a unit in letters apart ("3 m"), what a count and the next line's word are as often
_SPACED_UNIT = re.compile(r"\d\s+[a-z]")
# after a bare whole number that is a size: 的, or its line's count ("70 9袋", "70 9")
_SIZE_AFTER = re.compile(rf"\s?的|\s*(?P<next>\d+|[一二两三四五六七八九十]+)\s*(?:{'|'.join(sorted(UNITS, key=len, reverse=True))}|$|[,，;；。\s])")
_NUMERAL_WORD = re.compile(r"[一二两三四五六七八九十百千半](?:斤|两|升|公斤|千克|克|米|寸)")
_CJK = re.compile(r"[\u4e00-\u9fff]+")
_LATIN = re.compile(r"[a-z]{2,}")
_SERIES = "series"
# the dimensions that are no size (a word, a size letter, a container): a line's lacking one is not named back here
_WORDS = frozenset({_SERIES, "word", "letter", "container", "grade"})


@dataclass(frozen=True)
class _Word:
    """An attribute said in the message: where, the products it is said of, and what it tells apart."""

    start: int
    end: int
    skus: frozenset[str]
    dimension: str          # "series" for a word of the series' names, else the variant's (``variant_dimension``)


@dataclass(frozen=True)
class _Vocabulary:
    words: dict[str, frozenset[str]]      # a word of the family's names and aliases -> the products said with it
    longest: int
    family: frozenset[str]                # the products of every series of the table


Read = tuple[list[CartEdit], list[Unresolved], frozenset[int]]

_VOCABULARIES: WeakKeyDictionary[VariantTable, _Vocabulary] = WeakKeyDictionary()


def _vocabulary(table: VariantTable, entries: Mapping[str, CatalogueEntry]) -> _Vocabulary:
    """The words of the names and aliases of the products of the table's series, the sizes taken out ("星眸枪机" of
    "星眸枪机200万4mm" and every piece of them: "星眸", "枪机", "眸枪"), and the products each is said of."""
    if (known := _VOCABULARIES.get(table)) is not None:
        return known
    found: dict[str, set[str]] = {}
    for sku in table.series:
        entry = entries.get(sku)
        for text in (entry.name, *entry.aliases) if entry is not None else ():
            text = normalize(text)
            glued = glued_series(text)
            text = SPELLED_SIZE.sub(" ", glued[0] if glued else text)
            for run in _CJK.findall(text):
                for i in range(len(run)):
                    for j in range(i + 1, len(run) + 1):
                        found.setdefault(run[i:j], set()).add(sku)
            for word in _LATIN.findall(text):
                found.setdefault(word, set()).add(sku)
    words = {w: frozenset(s) for w, s in found.items()}
    vocabulary = _Vocabulary(words, max(map(len, words), default=0), frozenset(table.series))
    _VOCABULARIES[table] = vocabulary
    return vocabulary


def attribute_lines(table: VariantTable, text: str, mentions: Sequence[Mention],
                    entries: Mapping[str, CatalogueEntry]) -> Read | None:
    """The lines of normalized ``text`` read attribute by attribute (see the module docstring), the lines whose
    words name no product and the numbers read as sizes; None when the message is not such a list."""
    if len(_NUMBERS.findall(text)) < 2 or _EDITING.search(text) or not table.series:
        return None           # (a count and a size at least)
    vocabulary = _vocabulary(table, entries)
    if any(m.skus and not set(m.skus) & vocabulary.family for m in mentions):
        return None           # another product named: not a list of the family's lines
    said = _series_said(vocabulary, table, text, [])
    if not said:
        return None
    named = {table.series[sku] for a, b in said for sku in vocabulary.words[text[a:b]]}
    # "4mm3台": the size is read with its count blanked (a size in letters ends where a letter or digit follows)
    # (and every count with its unit blanked: "1ml 10盒" is no 10 ml)
    sized = _COUNT_AFTER_LETTERS.sub(lambda m: m.group(1) + " " * len(m.group(2)), text)
    for q in QUANTITY.finditer(sized):
        if q.group("unit"):
            sized = sized[:q.start()] + " " * (q.end() - q.start()) + sized[q.end():]
    variants = _variants_said(table, sized, sorted(named & set(table.members)))
    said = _series_said(vocabulary, table, text, variants)
    # a word that is a variant of the products it names ("烟熏" of a floor, "光瓶" of a liquor) tells them apart within
    # their series: it replaces the words of its kind, never the series said
    words = variants + [_Word(a, b, vocabulary.words[text[a:b]],
                              "word" if _is_variant(table, text[a:b], vocabulary.words[text[a:b]]) else _SERIES)
                        for piece in said for a, b in _atoms(vocabulary, text, *piece)]
    counts = []
    blanked = text            # "4mm3台": the count glued after a size is read once the size is blanked
    for w in words:
        blanked = blanked[:w.start] + " " * (w.end - w.start) + blanked[w.end:]
    for q in QUANTITY.finditer(blanked):
        said_end = q.end("unit") if q.group("unit") else q.end("num")       # (the spaces after a bare count)
        if any(w.start < said_end and q.start() < w.end for w in words):
            continue
        if not q.group("unit") and not q.group("num")[:1].isdigit() and not _SAID_END.match(text, q.end("num")):
            continue          # a numeral in words ("报一下"), no count
        quantity = parse_quantity(q)
        if not quantity.usable or quantity.value is None:
            return None
        if not q.group("unit") and not _LINE_END.match(text, q.end("num")):
            return None
        counts.append((q.start("num"), said_end, int(quantity.value), quantity.unit))
    if len(counts) < 2:
        return None
    read = _read(text, sorted(words, key=lambda w: w.start), counts)
    if read is None:
        return None
    edits, unknown, spans = read
    for m in mentions:
        # a product's own words in a line besides the attributes read ("k11 5kg" after "防水侠 js 18kg 10"): that
        # line is of its products, or the message is not read here
        if not m.skus or not re.search(r"[^\s的]", "".join(c for i, c in enumerate(text[m.start:m.end], m.start)
                                                         if not any(w.start <= i < w.end for w in words))):
            continue
        line = next((k for k, (a, b) in enumerate(spans) if a <= m.start < b), None)
        if line is not None and (sku := edits[line].sku) is not None and sku not in m.skus:
            return None
    # the numbers read as sizes: a reading that took one of them for a count misread it ("单筒 20倍 2台": not 20)
    sizes = frozenset(int(n) for w in variants for n in re.findall(r"(?<![\d.])\d+(?![\d.])", text[w.start:w.end]))
    return [e for e in edits if e.sku is not None], unknown, sizes


def _series_said(vocabulary: _Vocabulary, table: VariantTable, text: str,
                 variants: Sequence[_Word]) -> list[tuple[int, int]]:
    """The longest words of the series' names said in ``text`` (two characters at least), outside ``variants``."""
    out = []
    i = 0
    while i < len(text):
        if any(w.start <= i < w.end for w in variants):
            i += 1
            continue
        hit = next((j for j in range(min(len(text), i + vocabulary.longest), i + 1, -1)
                    if text[i:j] in vocabulary.words and not any(i < w.end and w.start < j for w in variants)
                    and not _NUMERAL_WORD.search(text[i:j])       # "一斤", "半斤": sizes, no series' words
                    and not (text[i].isascii() and (text[i - 1:i].isalnum() or text[j:j + 1].isalnum()))), None)
        if hit is None:
            i += 1
            continue
        out.append((i, hit))
        i = hit
    return out


def _is_variant(table: VariantTable, word: str, skus: frozenset[str]) -> bool:
    said = variant_word(word)
    return all(any(said in v for v in table.variants[sku] if variant_dimension(v) == "word") for sku in skus)


def _atoms(vocabulary: _Vocabulary, text: str, a: int, b: int) -> list[tuple[int, int]]:
    """``text[a:b]`` split into the words it is made of, each naming more products, that together name what it names
    ("星眸枪机" -> "星眸", "枪机"; "鹰瞳全彩" stays whole: 全彩 says nothing 鹰瞳 does not)."""
    whole = vocabulary.words[text[a:b]]
    for k in range(a + 1, b):
        left, right = vocabulary.words.get(text[a:k]), vocabulary.words.get(text[k:b])
        if left is not None and right is not None and left & right == whole and left != whole and right != whole \
                and b - a > 2:
            return _atoms(vocabulary, text, a, k) + _atoms(vocabulary, text, k, b)
    return [(a, b)]


def _variants_said(table: VariantTable, text: str, series: Sequence[str]) -> list[_Word]:
    """The variants of ``series`` said in ``text``, each with every product of the table that has it."""
    found: dict[tuple[int, int, str], None] = {}
    for s in series:
        for a, b, variants in table.runs(text, s, 0, len(text)):
            for v in variants:
                found[(a, b, v)] = None
    out = []
    for a, b, v in found:
        if any(a2 < b and a < b2 and (a2, b2) != (a, b) and b2 - a2 > b - a for a2, b2, _ in found):
            continue          # a shorter reading inside a longer run of another series
        said = text[a:b]
        after = _SIZE_AFTER.match(text, b) if re.fullmatch(r"\d+", said) else None
        if _SPACED_UNIT.search(said) or (re.fullmatch(r"\d+", said) and (
                after is None or any(a2 == after.start("next") and b2 - a2 > len(after.group("next") or "")
                                     for a2, b2, _ in found))):
            continue          # "s红3 m黑5": no 3 m; "9mm 12 12mm", "2kg 12 10kg": 12 is a count; "54的", "70 9袋" are sizes
        out.append(_Word(a, b, frozenset(s for s in table.variants if v in table.variants[s]), variant_dimension(v)))
    return out


def _read(text: str, words: list[_Word], counts: list[tuple[int, int, int, str]]
          ) -> tuple[list[CartEdit], list[Unresolved], list[tuple[int, int]]] | None:
    """Each count's line (an edit with no product for a line named back), and where each line starts (where the
    one before ends) and ends (its count)."""
    series: list[_Word] = []
    spans: list[tuple[int, int]] = []
    carried: dict[str, _Word] = {}
    edits: list[CartEdit] = []
    unknown: list[Unresolved] = []
    line: list[_Word] = []
    tokens = sorted([(w.start, w) for w in words] + [(c[0], c) for c in counts], key=lambda t: t[0])
    for _, token in tokens:
        if isinstance(token, _Word):
            if token.dimension == _SERIES:
                series = [w for w in series if w.skus & token.skus] + [token]
            else:
                carried[token.dimension] = token
            line.append(token)
            continue
        start, end, qty, unit = token
        if not line or not series:
            return None           # a count with no words of its own
        spans.append((spans[-1][1] if spans else 0, end))
        own = {w.dimension for w in line}
        hard = series + [carried[d] for d in own if d != _SERIES]
        soft = [w for d, w in carried.items() if d not in own]
        left = frozenset.intersection(*(w.skus for w in hard))
        if not left:
            # a size the series lacks ("守望 64路"): named back; words read otherwise leave the message to others
            kinds = frozenset.intersection(*(w.skus for w in series))
            if not kinds or not any(w.dimension not in _WORDS and not w.skus & kinds for w in line):
                return None
            unknown.append(Unresolved(word=text[line[0].start:start].strip(), qty=qty, unit=unit))
            edits.append(CartEdit(op=EditOp.ADD, sku=None, qty=qty, unit=unit))
        else:
            best = max(sum(sku in w.skus for w in soft) for sku in left)
            picked = [sku for sku in left if sum(sku in w.skus for w in soft) == best]
            if len(picked) != 1 or any(e.sku == picked[0] for e in edits):
                return None
            edits.append(CartEdit(op=EditOp.ADD, sku=picked[0], qty=qty, unit=unit))
        line = []
    if line or not any(e.sku for e in edits):
        return None               # words with no count after them
    return edits, unknown, spans


def read_attributes(result: ItemResult, read: Read | None) -> None:
    """``result`` with the lines ``read`` instead when they read more of the message than it did: more lines, the
    same lines and more named back, the same products with other counts, the same counts of other products, or no
    line counted by a number ``read`` takes for a size."""
    if read is None or result.removed:
        return
    lines, unknown, sizes = read
    items = {str(e.sku): int(e.qty or 0) for e in lines}
    if items == result.items and not unknown:
        result.doubtful = []      # every number read: no count is in doubt ("单筒20倍 2台": 2, not 20 named back)
        return
    if len(items) > len(result.items) or (items == result.items and len(unknown) > len(result.unresolved)) \
            or any(qty in sizes and items.get(sku) != qty for sku, qty in result.items.items()) \
            or (set(items) == set(result.items) and items != result.items) \
            or (items != result.items and sorted(items.values()) == sorted(result.items.values())):
        result.items, result.edits, result.unresolved = items, lines, unknown
        result.unknown, result.rejected = [u.word for u in unknown], []
