"""A series named by a bare number, then its products by their own words: "215硒鼓 黑5 青3 品红3 黄3",
"003墨水本月走了 黑60瓶 青30", "680 黑、彩各10个", "388 标准的15支 大容量的10支", "230 toner 1500页 4支 6000页 2支",
"630色带 架子卖了35个 芯120个", "1900 ribbon x20".

Catalogues of consumables, bearings, tyres or paints name their series by numbers ("215", "6205", "003"). Such a
number said alone where a product word stands is that series, never a count: each line after it (the words said
before a count) names the one product of the series whose name and aliases hold all of the line's words. When the
line's words fit several, the words of the first line said with the number narrow them ("215彩粉 黑10 青10": the
青 powder), then the plain model of the number (215, not 215X, when no X is said), then the product with an alias
that is the number and a word of the line ("215黑"). Each line so read is written as an alias of its product
("215黑 5 215青 3 …") and the number said alone is dropped, so the rest of the reading (counts, "各", corrections)
works as if the dealer had typed the aliases. A line none or several products fit is left as said.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from weakref import WeakKeyDictionary

from nlu.english_variants import CHINESE_OF
from nlu.normalize import normalize
from nlu.products import ProductIndex

# a number said alone (not inside a code "t215k", a size "1.5", "241-2", a count "x20"), with letters glued after it
_NUMBER = re.compile(r"(?<![a-z0-9.\-/:#×*])(\d{3,5})([a-z]{0,3})(?![a-z])(?![\d.]|-\d|\s?[*×/]\s?\d|x\d)")
# after the number: a count of it ("230个", "1900 pcs"), so no series
_COUNT_UNIT = re.compile(r"\s?(?:个|支|只|瓶|箱|盒|套|张|条|件|包|袋|卷|台|根|打|对|片|桶|pcs?\b|units?\b|ctns?\b|boxes\b)")
# the tokens after the number: a Chinese run, a word of letters, a number with its unit
_TOKEN = re.compile(r"[\u4e00-\u9fff]+|(?<![0-9])x(?=\s?\d)|[a-z]+(?:-[a-z]+)?|\d+(?:\.\d+)?(?:[a-z]+|[\u4e00-\u9fff])?")
# a number's units of measure: "1500页", "127ml", "80g" are sizes, not series
_UNITS = r"ml|g|kg|mm|cm|m\b|l\b|页|克|升|寸|斤|公分|公斤|毫升|毫米|米|w\b|v\b"
# a series' number in a product's words: alone, or with the letters of its code glued ("215x", "955xl")
_CODE_NUMBER = re.compile(rf"(?<![a-z0-9.\-])(\d{{3,5}})([a-z]*)(?![\d.])(?!\s?(?:{_UNITS}))")
# the number alone in a product's name ("墨驰215硒鼓"), not with the letters of another model ("215X")
_PLAIN_NUMBER = re.compile(rf"(?<![a-z0-9.\-])(\d{{3,5}})(?![\d.a-z])(?!\s?(?:{_UNITS}))")
# a count said in Chinese numerals ("五支", "两打"): a line ends there
_CN_COUNT = re.compile(r"[一二两三四五六七八九十百半]+(?:个|支|只|瓶|箱|盒|套|张|条|件|包|袋|卷|台|根|打|对|片|桶)")
# one count for each of the line's words ("黑、彩各10个", "青红黄各2")
_EACH = re.compile(r"[\s、,，/和跟及]*(?:各|每样|每种|每个)|\s*\d+\s*(?:[a-z]+\s)?each\b")
# a line said wrong and put right, letters and counts glued ("k2c1m1y1"): read as said (``nlu.code_lines``)
_WRONG = re.compile(r"错|不对|no wait|instead|[a-z]\d[a-z]\d")
# English words of variants the shared glossary does not hold
_ENGLISH = {"std": "标准", "standard": "标准", "hi-cap": "大容量", "high-cap": "大容量", "hicap": "大容量",
            "colour": "彩", "color": "彩", "refill": "芯", "powder": "粉", "refills": "芯", "frame": "架", "frames": "架"}


@dataclass(frozen=True)
class _Series:
    skus: tuple[str, ...]
    plain: frozenset[str]           # the products whose code is the number alone


class _Reading:
    """The numbers of one catalogue's series and what each product's words are."""

    def __init__(self, index: ProductIndex) -> None:
        self.text: dict[str, str] = {}              # sku -> its name and aliases, normalized, one text
        self.latin: dict[str, frozenset[str]] = {}  # sku -> its words of letters
        self.aliases: dict[str, list[str]] = {}
        owners: dict[str, set[str]] = {}
        for sku, e in index.entries.items():
            said = [normalize(x) for x in (e.name, *e.aliases)]
            self.text[sku] = " ".join(said + [e.category.lower()] if e.category else said)
            self.aliases[sku] = [normalize(a) for a in e.aliases]
            for a in self.aliases[sku]:
                owners.setdefault(re.sub(r"[\s\-]", "", a), set()).add(sku)
            self.latin[sku] = frozenset(re.findall(r"[a-z]+", self.text[sku]))
        self.unique = {a for a, skus in owners.items() if len(skus) == 1}
        numbers: dict[str, set[str]] = {}
        plain: dict[str, set[str]] = {}
        for sku, text in self.text.items():
            for m in _CODE_NUMBER.finditer(text):
                numbers.setdefault(m.group(1), set()).add(sku)
            for m in _PLAIN_NUMBER.finditer(normalize(index.entries[sku].name)):
                plain.setdefault(m.group(1), set()).add(sku)        # "墨驰215硒鼓": the 215 itself, not 215X
        # a series' number starts the aliases of its products ("215黑", "215青"), not a size after a word ("冰红茶500")
        leading: dict[str, int] = {}
        for said in self.aliases.values():
            for a in said:
                if (lead := re.match(r"(\d{3,5})(?![\d.])", a)) is not None and not re.match(rf"\s?(?:{_UNITS})", a[lead.end():]):
                    leading[lead.group(1)] = leading.get(lead.group(1), 0) + 1
        self.series = {n: _Series(tuple(sorted(skus)), frozenset(plain.get(n, set()))) for n, skus in numbers.items()
                       if len(skus) >= 2 and leading.get(n, 0) >= len(skus)}
        self.numbers = frozenset(numbers)
        self._held: dict[tuple[str, str], bool] = {}
        self.catalogue = " ".join(self.text.values())       # every product's words, for words of other products

    def holds(self, sku: str, word: str) -> bool:
        """Whether ``word`` (spelled) is one of the product's words."""
        key = (sku, word)
        if (known := self._held.get(key)) is None:
            known = self._held[key] = self._holds(sku, word)
        return known

    def _holds(self, sku: str, word: str) -> bool:
        if word.isascii() and not word[0].isdigit():
            return word in self.latin[sku] or (word.replace("-", "") in self.latin[sku])
        text = self.text[sku]
        at = text.find(word)
        while at >= 0:
            before = text[at - 1] if at else " "
            after = text[at + len(word):at + len(word) + 1] or " "
            if word[0].isdigit():       # "1500页", "127ml": a size with its unit, a whole number of the product's
                if not word[-1].isdigit() and not (before.isdigit() or before == "."):
                    return True
            elif len(word) == 1:        # one character: a word's end ("215黑", "品红", "630芯"), not "成" of "成像鼓"
                if not _cjk(after):
                    return True
            elif not _cjk(before) or not _cjk(after):
                return True
            at = text.find(word, at + 1)
        return False


def _cjk(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff"


_READINGS: WeakKeyDictionary[ProductIndex, _Reading] = WeakKeyDictionary()


def _reading(index: ProductIndex) -> _Reading:
    if (known := _READINGS.get(index)) is None:
        known = _READINGS[index] = _Reading(index)
    return known


def number_series_spelled(text: str, index: ProductIndex) -> str:
    """``text`` (normalized) with the lines said after a series' bare number written as their products' aliases."""
    if not re.search(r"\d{3}", text):
        return text
    reading = _reading(index)
    anchors = [m for m in _NUMBER.finditer(text) if m.group(1) in reading.series and _stands_alone(reading, text, m)]
    if not anchors:
        return text
    edits: list[tuple[int, int, str]] = []
    for k, anchor in enumerate(anchors):
        stop = anchors[k + 1].start() if k + 1 < len(anchors) else len(text)
        edits += _series_edits(reading, text, anchor, stop)
    for a, b, said in sorted(edits, reverse=True):
        text = text[:a] + said + text[b:]
    return text


def _stands_alone(reading: _Reading, text: str, m: re.Match[str]) -> bool:
    """Whether the number stands where a product word stands: not a count of the word before it, nor one with its
    unit after it."""
    if _COUNT_UNIT.match(text, m.end()) and not m.group(2):
        return False
    before = re.search(r"([\u4e00-\u9fff]{1,6}|[a-z]+)\s?$", text[:m.start()])
    said = before.group(1) if before is not None else ""
    words = [said] if said.isascii() else [said[-k:] for k in range(1, len(said) + 1)]
    if any(reading.holds(sku, w) for w in words if w for sku in reading.series[m.group(1)].skus):
        return False
    if said.isascii() and len(said) >= 2 and re.search(rf"(?<![a-z]){said}(?![a-z])", reading.catalogue) \
            or any(len(w) >= 2 and w in reading.catalogue for w in words if not w.isascii()):
        return False            # "FL 192", "天合550": the size of another series' word            # "银燕603", "极简 128": the size of the series word said before it
    return not re.search(r"(?:x|×|\*)\s?$", text[:m.start()])


def _series_edits(reading: _Reading, text: str, anchor: re.Match[str], stop: int) -> list[tuple[int, int, str]]:
    series = reading.series[anchor.group(1)]
    number = anchor.group(1)
    lines: list[list[tuple[int, int, str]]] = [[]]       # each line: its words (start, end, spelled)
    if anchor.group(2):
        glued = re.compile(rf"(?<![a-z0-9]){anchor.group(0)}(?![a-z])")
        skus = tuple(sku for sku in series.skus if glued.search(reading.text[sku]))
        if not skus:
            return []           # "215a": a code of no series product
        series = _Series(skus, frozenset())         # "2612a": the 2612A, not the 2612 drum
        lines[0].append((anchor.start(2), anchor.end(2), anchor.group(2)))
    pos = anchor.end()
    for t in _TOKEN.finditer(text, pos, stop):
        tok = t.group(0)
        if tok == "x" or tok[0].isdigit():
            if tok[0].isdigit() and any(reading.holds(sku, tok) for sku in series.skus):
                lines[-1].append((t.start(), t.end(), tok))          # "1500页", "127ml": a word of the line
            elif (code := re.match(r"\d{3,5}(?![\d.])", tok)) is not None and not _COUNT_UNIT.match(text, t.start() + code.end()) \
                    and (code.group(0) in reading.numbers or code.end() < len(tok)
                         and re.search(rf"(?<!\d){code.group(0)}(?!\d)", reading.catalogue)):
                break           # "1900色带", "381 二联": another product's code, the series' lines end
            elif lines[-1]:
                lines.append([])
            elif tok[0].isdigit() and len(lines) == 1:
                return []               # "4820配4组": the number is a product, counted
            continue
        if tok[0].isascii():
            if re.match(r"\d", text[t.end():t.end() + 1]):
                break           # "r22": another product's code
            word = _ENGLISH.get(tok, CHINESE_OF.get(tok, tok))
            if any(reading.holds(sku, word) for sku in series.skus):
                lines[-1].append((t.start(), t.end(), word))
            elif len(tok) >= 2 and re.search(rf"(?<![a-z]){re.escape(tok)}(?![a-z])", reading.catalogue):
                break           # another product's word: the series' lines end
            continue
        i = 0
        while i < len(tok):            # the longest words of the series' products, filler skipped
            if (cn := _CN_COUNT.match(tok, i)) is not None:
                if not lines[-1] and len(lines) == 1:
                    return []
                if lines[-1]:
                    lines.append([])
                i = cn.end()
                continue
            n = next((n for n in range(min(6, len(tok) - i), 0, -1)
                      if any(reading.holds(sku, tok[i:i + n]) for sku in series.skus)), 0)
            if n == 1 and not _alone(tok, i, lambda c: any(reading.holds(sku, c) for sku in series.skus)):
                n = 0
            if n:
                lines[-1].append((t.start() + i, t.start() + i + n, tok[i:i + n]))
                i += n
            elif tok[i:i + 2] in reading.catalogue and len(tok[i:i + 2]) == 2:
                break           # another product's word ("防滑砖"): the series' lines end
            else:
                i += 1
        else:
            continue
        break
    if not lines[-1]:
        lines.pop()
    if _WRONG.search(text, anchor.end(), stop):
        return []               # "写错了": a line corrected, read as said
    first = [w for _, _, w in lines[0]] if lines else []
    edits: list[tuple[int, int, str]] = []
    for n, line in enumerate(lines):
        if not line:
            continue
        words = [w for _, _, w in line]
        sku = _product(reading, series, number, words, first if n else [])
        if sku is not None:
            picked = [(sku, line)]
        elif len(words) > 1 and _EACH.match(text, line[-1][1]):     # "黑、彩各10个": each word its own line
            picked = [(s, [w]) for w in line if (s := _product(reading, series, number, [w[2]], first)) is not None]
            if len(picked) < len(line) or len({s for s, _ in picked}) < len(picked):
                continue
        else:
            continue
        for sku, said in picked:
            if (alias := _alias(reading, sku, number)) is not None:
                edits += [(a, b, "") for a, b, _ in said[:-1]]
                end = said[-1][1]
                edits.append((said[-1][0], end, alias + ("" if text[end:end + 1] in (" ", "") else " ")))
    if edits and not any(a <= anchor.start() < b or a == anchor.start() for a, b, _ in edits):
        edits.append((anchor.start(), anchor.start() + len(number), ""))     # the number said alone: dropped
    edits = _apart(edits)
    before = text[anchor.start():max((b for _, b, _ in edits), default=anchor.start())]
    after = before
    for a, b, new in sorted(edits, reverse=True):
        after = after[:a - anchor.start()] + new + after[b - anchor.start():]
    return edits if re.sub(r"\s", "", after) != re.sub(r"\s", "", before) else []    # "350控制器": as said


_FILLER = set("的了来要个也还和跟各是就都卖出走色子呢吧啊嗯后有那这改换删加再把给配")
_COUNTED = _FILLER | set("一二两三四五六七八九十百半几")      # after a word: its count ("黑十只"), never before ("四联")


def _alone(run: str, i: int, held: Callable[[str], bool]) -> bool:
    """Whether the one character at ``i`` of a Chinese run is a word of its own: not glued to an unknown word
    ("玫瑰金" is no 金, "鼓驾" no 鼓); "青红黄" are three."""
    return (i == 0 or run[i - 1] in _FILLER or held(run[i - 1])) \
        and (i + 1 == len(run) or run[i + 1] in _COUNTED or held(run[i + 1]))


def _apart(edits: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """The edits, none overlapping another (the first kept)."""
    out: list[tuple[int, int, str]] = []
    for e in sorted(edits):
        if out and e[0] < out[-1][1]:
            continue
        out.append(e)
    return out


def _product(reading: _Reading, series: _Series, number: str, words: list[str], first: list[str]) -> str | None:
    """The one product of the series ``words`` name (see the module docstring)."""
    found = [sku for sku in series.skus if all(reading.holds(sku, w) for w in words)]
    for w in first:
        if len(found) < 2:
            break
        narrowed = [sku for sku in found if reading.holds(sku, w)]
        found = narrowed or found
    if len(found) > 1:
        found = [sku for sku in found if sku in series.plain] or found
    if len(found) > 1:
        found = [sku for sku in found if any(re.sub(r"[\s\-]", "", a) in {number + w for w in words}
                                             for a in reading.aliases[sku])] or found
    return found[0] if len(found) == 1 else None


def _alias(reading: _Reading, sku: str, number: str) -> str | None:
    """The shortest alias of the product with the number in it that names it alone."""
    said = sorted((a for a in reading.aliases[sku] if number in a and re.sub(r"[\s\-]", "", a) in reading.unique),
                  key=len)
    return said[0] if said else None
