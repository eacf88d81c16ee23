"""A code said once, then its products line by line by the ends of their aliases: "210 黑3 青2 品红2 黄2",
"T210X K 4 C 2 M 2 Y 2", "C68XL 黑12 彩6", "JJ128 black 30 gold 10", "sold JJ 160 grey 25 and 192 grey 10".

A catalogue whose names do not split into series and variants (``nlu.variants``: the colour glued inside a word,
"墨隼T210 黑色粉盒 标容") often says the family in its aliases instead: "210黑", "210青", "210K", "T210C",
"Falcon 210 cyan" are one code and, after it, what tells the products apart. Read from the aliases:

- a product's *own words*: what is left of an alias after the longest start it shares with another product's alias
  ("黑" and "k" of "210黑" and "t210k", "black" of "falcon 210 black"): its spellings of what sets it apart;
- a *head*: the start of aliases of two or more products ("210", "t210x", "jj"), said in the message;
- a *line*: the words after the head and a count; it names the product of the head whose alias is the head and
  those words (its own words standing for each other: "520" + "k" is "520黑"); a line may leave out the words of
  the line before it ("JJ 128 black 50 gold 30");
- a line of several products with one count said of each ("B70 青红黄 各24瓶", "cyan magenta yellow 12 each") gives
  each that count; the kind said in English after the code ("JJ handles 128 black 50") is no line's word.

All or nothing, as ``nlu.series_lines``: two lines at least, every line one product, no number before the head, no
other number or product after the lines, nothing that corrects or takes a line out.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from weakref import WeakKeyDictionary

from nlu.english_variants import CHINESE_OF
from nlu.normalize import normalize
from nlu.numbers import QUANTITY, parse_quantity
from nlu.product_words import Mention
from nlu.schema import CartEdit, CatalogueEntry, EditOp
from nlu.variants import size_key

# words that change a line already said, or give one count to several: those messages are read by ``nlu.items``
_EDITING = re.compile(r"改|换|不要|删|去掉|取消|减|算了|不对|错|再加|再来|加一|加\d|instead|change|swap|scrap|"
                      r"remove|cancel|drop|make it|no wait|分别|都|一共|总共|共")
# a run of one kind of characters: a number with its size unit, letters, Chinese
_TOKEN = re.compile(r"\d+(?:\.\d+)?(?:(?:mm|cm|ml|kg|inch|in|寸|毫米|公分|厘米|毫升|公斤|克|升|g|l|n)(?![a-z]))?(?![\d.])"
                    r"|[a-z]+|[\u4e00-\u9fff]+")
_SIZE = re.compile(r"(\d+(?:\.\d+)?)(mm|cm|ml|kg|in|inch|寸|毫米|公分|厘米|毫升|公斤|克|升|g|l|n)?")
# what may stand between a line's words and its count, and between lines
_GAP = re.compile(r"(?:\s|[,，、;；/:：+&]|的|嘅|卖了|卖出|卖掉|卖咗|来|要|还有|和|跟|各|每样|每种|\b(?:and|sold)\b|x(?=\s?\d)|[*×])*")
# "青红黄 各24瓶", "cyan magenta yellow 12 each": one count for each of the line's products
_EACH_BEFORE = re.compile(r"各|每样|每种")
_EACH_AFTER = re.compile(r"\s?(?:each|apiece)\b")
# the kind said after the code in English ("JJ handles 128 black 50", "XT stay 80N 20"): not a line's words
_KIND_AFTER = re.compile(r"(?:\s+[a-z]{3,}){1,2}(?=\s)")
_OWN = "\x00"             # a product's own words, whichever spelling


class _Codes:
    """The heads and line words of one catalogue's aliases."""

    def __init__(self, entries: Mapping[str, CatalogueEntry]) -> None:
        aliases = {sku: sorted({a for a in (_compact(x) for x in e.aliases) if len(a) >= 2})
                   for sku, e in entries.items()}
        starts: dict[str, set[str]] = {}       # a start of an alias (at a token border) -> the products it starts
        for sku, said in aliases.items():
            for a in said:
                for k in _borders(a):
                    starts.setdefault(a[:k], set()).add(sku)
        self.own: dict[str, set[str]] = {}
        for sku, said in aliases.items():
            for a in said:
                shared = [k for k in _borders(a) if starts.get(a[:k], set()) - {sku}]
                if shared and len(a) - max(shared) <= 8:
                    self.own.setdefault(sku, set()).add(_spelled(a[max(shared):]))
        for sku, own in self.own.items():
            # "xk" of "t210xk" (no border inside a word of letters): the "k" it ends with after another code letter
            self.own[sku] = {w for w in own if not any(w != o and w.endswith(o) and re.fullmatch(r"[a-z]+", w[:-len(o)])
                                                       for o in own)}
        # head -> product -> the word lists that follow it in that product's aliases
        self.heads: dict[str, dict[str, list[tuple[str, ...]]]] = {}
        for sku, said in aliases.items():
            for a in said:
                for k in _borders(a):
                    if len(starts[a[:k]]) >= 2:
                        self.heads.setdefault(a[:k], {}).setdefault(sku, []).append(self.words(sku, a[k:]))
        self.heads = {h: by for h, by in self.heads.items() if len(by) >= 2}
        self.firsts = frozenset(h[0] for h in self.heads)       # where no head starts, none is looked for
        self.vocabulary = {w for by in self.heads.values() for lists in by.values() for ws in lists for w in ws
                           if w != _OWN} | {w for own in self.own.values() for w in own}

    def words(self, sku: str, tail: str) -> tuple[str, ...]:
        """``tail``'s words, the product's own words as one mark."""
        spelled = _spelled(tail)
        if spelled in self.own.get(sku, ()):
            return (_OWN,)
        out = []
        for t in _TOKEN.findall(tail):
            w = _spelled(t)
            out.append(_OWN if w in self.own.get(sku, ()) else w)
        return tuple(sorted(out))


_SEPARATORS = re.compile(r"[\s\-_/.]+")


def _compact(alias: str) -> str:
    return _SEPARATORS.sub(" ", normalize(alias)).strip()


def _borders(a: str) -> list[int]:
    """Where ``a`` may be cut into a start and an end: between two kinds of characters, at a space, or between two
    Chinese characters (never inside a number or a word of letters)."""
    out = []
    for k in range(1, len(a)):
        x, y = a[k - 1], a[k]
        if y == " " or x == " ":
            if y == " ":
                out.append(k)
            continue
        if _kind(x) != _kind(y) or _kind(x) == "cjk":
            out.append(k)
    return out


def _kind(c: str) -> str:
    return "digit" if c.isdigit() else "latin" if c.isascii() and c.isalpha() else "cjk" if "\u4e00" <= c <= "\u9fff" else "other"


def _spelled(tail: str) -> str:
    """One spelling of a line word: "黑色" and "black" -> "黑", "10in" -> "10寸", "250mm" -> "250mm"."""
    t = tail.replace(" ", "")
    if (size := _SIZE.fullmatch(t)) is not None:
        return size_key(size.group(1), size.group(2))
    t = CHINESE_OF.get(t, t)
    return t[:-1] if len(t) >= 2 and t.endswith("色") else t


_CODES: WeakKeyDictionary[object, _Codes] = WeakKeyDictionary()


def _codes(owner: object, entries: Mapping[str, CatalogueEntry]) -> _Codes:
    if (known := _CODES.get(owner)) is None:
        known = _CODES[owner] = _Codes(entries)
    return known


def code_lines(owner: object, entries: Mapping[str, CatalogueEntry], text: str,
               mentions: Sequence[Mention]) -> list[CartEdit] | None:
    """The lines of one code said product by product in normalized ``text`` (see the module docstring), or None.
    ``owner``: what the catalogue's reading is kept with (the product index)."""
    if _EDITING.search(text):
        return None
    codes = _codes(owner, entries)
    if not codes.heads:
        return None
    digit = re.search(r"\d", text)        # the code is said before any number
    for head in re.finditer(r"(?<![a-z0-9])[a-z0-9]|[\u4e00-\u9fff]", text):
        i = head.start()
        if digit is not None and digit.start() < i:
            return None
        if text[i] not in codes.firsts:
            continue
        piece = text[i:i + 16]
        for j in sorted({*_borders(piece), len(piece)}, reverse=True):
            said = _SEPARATORS.sub(" ", text[i:i + j]).strip()      # ``text`` is normalized already
            if said in codes.heads:
                lines = _lines(codes, said, text, i + j, mentions)
                if lines is not None:
                    return lines
    return None


def _lines(codes: _Codes, head: str, text: str, pos: int, mentions: Sequence[Mention]) -> list[CartEdit] | None:
    by = codes.heads[head]
    out: dict[str, int] = {}
    units: list[str] = []
    like: tuple[str, ...] = ()
    kind = _KIND_AFTER.match(text, pos)
    if kind is not None and not any(_spelled(w) in codes.vocabulary for w in kind.group(0).split()):
        pos = kind.end()
    while True:
        gap = _GAP.match(text, pos)
        at = gap.end() if gap else pos
        words, end = _words(codes, text, at)
        if not words:
            break
        gap = _GAP.match(text, end)
        at = gap.end() if gap else end
        counted = _count(codes, text, at, head)
        if counted is None:
            return None
        qty, unit, after = counted
        each_after = _EACH_AFTER.match(text, after)
        each = each_after is not None or _EACH_BEFORE.search(text, end, at) is not None
        after = each_after.end() if each_after is not None else after
        picked = _pick(codes, by, words, like)
        lines = [picked] if picked is not None or not each else [_pick(codes, by, [w], ()) for w in words]
        for line in lines:
            if line is None or line[0] in out:
                return None
            sku, like = line
            out[sku] = qty
            units.append(unit)
        pos = after
    if len(out) < 2 or re.search(r"\d", text[pos:]) or any(m.skus and m.start >= pos for m in mentions):
        return None
    return [CartEdit(op=EditOp.ADD, sku=sku, qty=qty, unit=unit) for (sku, qty), unit in zip(out.items(), units, strict=True)]


def _count(codes: _Codes, text: str, at: int, head: str) -> tuple[int, str, int] | None:
    """The count at ``at``: its value, unit and end. "k4": a count glued to the line's letter is still one; "2 g*2":
    a number before the next line's word is a count, though the word is also a unit (grams); the code said again
    before the next line's word ("870黑、870彩各6个") is none."""
    if head.isdigit() and re.match(rf"{head}(?![\d.])", text[at:]):
        return None
    q = QUANTITY.match(text[at:])
    if q is not None and q.group("num"):
        quantity = parse_quantity(q)
        return (int(quantity.value or 0), quantity.unit, at + q.end()) if quantity.usable else None
    bare = re.match(r"\d{1,5}(?![\d.])", text[at:])
    if bare is None:
        return None
    gap = _GAP.match(text, at + bare.end())
    if not _words(codes, text, gap.end() if gap else at + bare.end())[0]:
        return None
    return int(bare.group(0)), "", at + bare.end()


def _words(codes: _Codes, text: str, pos: int) -> tuple[list[str], int]:
    """The line words said from ``pos`` (spelled) and where they end."""
    words: list[str] = []
    while pos < len(text):
        space = re.match(r"\s?", text[pos:])
        at = pos + (space.end() if space else 0)
        m = re.match(r"[a-z]+ [a-z]+(?![a-z])", text[at:])        # "gun grey", "full overlay": two words, one
        if m is not None and m.group(0) in CHINESE_OF and _spelled(m.group(0)) in codes.vocabulary:
            words.append(_spelled(m.group(0)))
            pos = at + m.end()
            continue
        m = re.match(r"(?!x\s?\d)[a-z]+|\d+(?:\.\d+)?(?:\s?(?:mm|cm|ml|kg|inch|in|寸|毫米|公分|厘米|毫升|公斤|克|升|g|l|n)(?![a-z]))?"
                     r"(?![\d.a-z])", text[at:])
        if m is not None and text[at:at + 1].isascii():
            w = _spelled(m.group(0))
            if w not in codes.vocabulary or (m.group(0).isdigit() and (words or _counted(text, at + m.end()))):
                break
            words.append(w)
            pos = at + m.end()
            continue
        hit = next((w for n in range(6, 0, -1) if (w := text[at:at + n]) and "\u4e00" <= w[0] <= "\u9fff"
                    and _spelled(w) in codes.vocabulary), None)
        if hit is None:
            break
        words.append(_spelled(hit))
        pos = at + len(hit)
    return words, pos


def _counted(text: str, end: int) -> bool:
    """Whether a bare number ending at ``end`` is a count (the line ends after it), not a word of the line."""
    return re.match(r"\s*(?:$|[,，;；、/\n])", text[end:]) is not None


def _pick(codes: _Codes, by: Mapping[str, list[tuple[str, ...]]], words: list[str],
          like: tuple[str, ...]) -> tuple[str, tuple[str, ...]] | None:
    """The one product of the head the line's words name, and the words it is named by; the words a line leaves out
    may be those of the line before (``like``)."""
    found = []
    for sku, lists in by.items():
        own = codes.own.get(sku, set())
        said = Counter(_OWN if w in own else w for w in words)
        for listed in lists:
            left = Counter(listed) - said
            if not said - Counter(listed) and _OWN not in left and all(w in like for w in left):
                found.append((sku, listed))
                break
    return found[0] if len(found) == 1 else None
