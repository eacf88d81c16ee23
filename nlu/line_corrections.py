"""Corrections said after a list of lines, each naming its line by a word of that line's product: "520 黑4 青2
黑的改成6", "210X 黑6 青3 红3 黄3 红的不要了", "210 K3 C3 M3, drop the yellow", "雪峰黑 M5 L5 不对L改成8",
"JH full 200 half 100, make half 150", "打包带黄色的 10捆 蓝色的 10捆 蓝的减掉一半".

Dealers write the list first and correct it at the end, naming a line by what sets it apart (its colour, size or
code), not by the whole product. The list is read without its tail (``read``: the readings of a whole message), then
each correction of the tail is applied to the one line read whose product's name or aliases hold the word it names.
A correction naming no line listed may name a sibling of the lines (``nlu.sibling_words``): taken out ("210 K3 C3
M3, drop the yellow": the yellow is removed, the lines stay) or given its count ("净味10桶 底漆还是4桶"). One naming no
line at all ("手用膜 10卷 改成15卷", "change to 12", "算了翻个倍") corrects the line just before it.
All or nothing: every clause of the tail is a correction (set a count, keep one, take the line out, scale it) naming
exactly one line read or sibling, and the list is read with no word left over. A list never ends inside a word
("25直接不要了": the 25 is the next product's).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from nlu.items import ItemResult
from nlu.normalize import normalize
from nlu.numbers import QUANTITY, UNITS, Quantity, parse_quantity
from nlu.schema import CartEdit, CatalogueEntry, EditOp
from nlu.sibling_words import names_word, sibling_named
from nlu.variants import VariantTable

# a word that corrects: the messages worth reading this way
_CUE = re.compile(r"改|换成|不要|删|去掉|拿掉|一半|减半|翻倍|翻个倍|加倍|写错|说错|打错|搞错|"
                  r"\b(?:make|change|drop|remove|scrap|delete|cancel)\b")
_LEAD = r"(?:(?:算了|不对|哦|噢|对了|刚才|还有|还是|然后|再|\b(?:sorry|oh|wait|and|then|pls|please)\b)[\s,，]*)*"
# the word naming a line: letters ("l", "yellow", "half"), a number with its size unit ("42", "8号"), a few Chinese
# characters ("黑", "青", "双色")
_WORD = r"(?P<word>[a-z]+|\d+(?:\.\d+)?(?:号|度|寸|升|码|l|kg|ml|mm|g)?|[\u4e00-\u9fff]{1,4}?)"
_THE = r"(?:的|那个|那款|那行|那些)?\s*"
_SET = (re.compile(rf"{_LEAD}{_WORD}{_THE}(?:(?:(?:写|说|打|搞)错了?|不对)[\s,，]*(?:是|应该是|改成|要)?|"
                   rf"改成|改为|改到|调成|调到|换成|改)\s*"),
        re.compile(rf"{_LEAD}\b(?:make|change|set)\s+(?:the\s+)?{_WORD}\s+(?:to\s+|at\s+|into\s+)?"),
        # a line said again as it stands ("底漆不变还是4桶", "keep red at 4"): its count, whatever was read before
        re.compile(rf"{_LEAD}{_WORD}{_THE}(?:不变|照旧)?\s*(?:还是|仍然|依然)\s*"),
        re.compile(rf"{_LEAD}\bkeep\s+(?:the\s+)?{_WORD}\s+(?:at\s+)?"))
# "青的换成标容的 2个", "金的换成银的 数量一样", "64的换70": the line's sibling instead
_SWAP = re.compile(rf"{_LEAD}{_WORD}{_THE}(?:换成|换为|换(?![货机新了个掉回退]))\s*"
                   r"(?P<new>[a-z0-9.]+|[\u4e00-\u9fff]{1,4}?)(?:的|那个|那款)?(?=[\s,，;；.。!！\d]|$)\s*"
                   r"(?P<same>数量一样|数量不变|\bsame\s+(?:qty|quantity)\b)?")
# "红色那10卷不变": the count said before the word that keeps it
_KEEP = re.compile(rf"{_LEAD}{_WORD}{_THE}(?P<qty>{QUANTITY.pattern})\s*(?:不变|照旧|保持不变)")
_REMOVE = (re.compile(rf"{_LEAD}{_WORD}{_THE}(?:也|先|暂时)?(?:不要了?|别要了?|删掉|删了|删除|去掉|拿掉|取消)"),
           re.compile(rf"{_LEAD}\b(?:drop|remove|scrap|delete|cancel)\s+(?:the\s+)?{_WORD}(?:\s+ones?)?\b"))
_SCALE = re.compile(rf"{_LEAD}{_WORD}{_THE}(?:(?P<half>减掉一半|减一半|减半|砍半)|(?P<double>翻倍|翻个倍|翻一倍|加倍))")
# a correction naming no line: the line just before it ("手用膜 10卷 改成15卷", "2.5 red 10 rolls, change to 12",
# "200g来40块 算了翻个倍")
_BARE_SET = re.compile(rf"{_LEAD}(?:改成|改为|改到|调成|\b(?:change|make)\s+(?:it\s+)?to\b|\bmake\s+(?:it|that|those)\b)\s*")
_BARE_SCALE = re.compile(rf"{_LEAD}(?:(?P<half>减掉一半|减一半|减半|砍半)|(?P<double>翻倍|翻个倍|翻一倍|加倍))")
_GLUED_COUNT = re.compile(rf"(?<=[a-z\u4e00-\u9fff])\d{{1,4}}(?:{'|'.join(sorted(UNITS, key=len, reverse=True))})"
                          r"(?![a-z\u4e00-\u9fff\d])")
_CLAUSE_END = re.compile(r"(?:吧|了|啊|就行|就好)?\s*(?:$|[\s,，;；.。!！]+)")
_WORD_CHAR = re.compile(r"[a-z0-9\u4e00-\u9fff]")
_REFERRING = frozenset({"it", "that", "those", "these", "this", "them"})      # "make that 10": the line before
_SEPARATORS = re.compile(r"[\s,，;；.。!！]*")


@dataclass(frozen=True)
class _Correction:
    word: str                        # "": the line just before the corrections
    new: str = ""                    # the word of the sibling that replaces the line
    same: bool = False               # the sibling keeps the line's count
    qty: int | None = None           # set to this count
    factor: Decimal | None = None    # scaled by this factor
    # neither: the line is taken out


def corrected_lines(text: str, read: Callable[[int], ItemResult], entries: Mapping[str, CatalogueEntry],
                    table: VariantTable) -> ItemResult | None:
    """The lines of normalized ``text`` read as a list and the corrections after it (see the module docstring), or
    None. ``read(end)``: the lines of ``text[:end]``."""
    if not _CUE.search(text):
        return None
    # the list ends after a count: one with its unit, or a number glued to its line's word ("l5")
    # ("6mm3台": a count glued after a size)
    glued = {c.end() for c in _GLUED_COUNT.finditer(text)}
    # ("8 cyl, make that 10": a count then a word of its own for the unit)
    worded = {w.end() for w in re.finditer(r"(?<![a-z\d.])\d+\s?[a-z]{2,5}\b(?=\s*[,，;；.])", text)}
    ends = sorted({q.end() for q in QUANTITY.finditer(text)} | {d.end() for d in re.finditer(r"\d+", text)} | glued
                  | worded)
    with_unit = {q.end() for q in QUANTITY.finditer(text) if q.group("unit")} | glued
    for end in ends:
        if end < len(text) and end not in with_unit and _WORD_CHAR.match(text, end - 1) and _WORD_CHAR.match(text, end):
            continue          # "25直接不要了", "32三通", "15箱": the number is its next word's or has its unit after it
        corrections = _tail(text, end)
        if not corrections:
            continue
        listed = read(end)
        if not listed.items or listed.unresolved or listed.unknown or listed.rejected or listed.negative \
                or listed.removed:
            continue
        if (applied := _applied(listed, corrections, entries, table)) is not None:
            return applied
    return None


def _tail(text: str, pos: int) -> list[_Correction] | None:
    """The corrections that make up all of ``text[pos:]``, or None."""
    out: list[_Correction] = []
    pos = _SEPARATORS.match(text, pos).end()          # type: ignore[union-attr]
    while pos < len(text):
        found = _clause(text, pos)
        if found is None:
            return None
        correction, pos = found
        out.append(correction)
    return out or None


def _clause(text: str, pos: int) -> tuple[_Correction, int] | None:
    for said in _SET:
        if (m := said.match(text, pos)) is not None and (q := QUANTITY.match(text, m.end())) is not None \
                and m.group("word") not in _REFERRING:
            quantity = parse_quantity(q)
            if quantity.usable and (end := _CLAUSE_END.match(text, q.end())) is not None:
                return _Correction(m.group("word"), qty=quantity.value), end.end()
    if (m := _KEEP.match(text, pos)) is not None and (end := _CLAUSE_END.match(text, m.end())) is not None \
            and (q := QUANTITY.match(text, m.start("qty"))) is not None and (quantity := parse_quantity(q)).usable:
        return _Correction(m.group("word"), qty=quantity.value), end.end()
    if (m := _SWAP.match(text, pos)) is not None:
        q = None if m.group("same") else QUANTITY.match(text, m.end())
        count: Quantity | None = parse_quantity(q) if q is not None else None
        after = q.end() if q is not None and count is not None and count.usable else m.end()
        if (end := _CLAUSE_END.match(text, after)) is not None:
            return _Correction(m.group("word"), new=m.group("new"), same=bool(m.group("same")),
                               qty=count.value if after != m.end() and count is not None else None), end.end()
    for said in _REMOVE:
        if (m := said.match(text, pos)) is not None and (end := _CLAUSE_END.match(text, m.end())) is not None:
            return _Correction(m.group("word")), end.end()
    if (m := _SCALE.match(text, pos)) is not None and (end := _CLAUSE_END.match(text, m.end())) is not None:
        return _Correction(m.group("word"), factor=Decimal("0.5") if m.group("half") else Decimal(2)), end.end()
    if pos == _SEPARATORS.match(text, 0).end() or not _follows_count(text, pos):   # type: ignore[union-attr]
        return None
    if (m := _BARE_SET.match(text, pos)) is not None and (q := QUANTITY.match(text, m.end())) is not None:
        quantity = parse_quantity(q)
        if quantity.usable and (end := _CLAUSE_END.match(text, q.end())) is not None:
            return _Correction("", qty=quantity.value), end.end()
    if (m := _BARE_SCALE.match(text, pos)) is not None and (end := _CLAUSE_END.match(text, m.end())) is not None:
        return _Correction("", factor=Decimal("0.5") if m.group("half") else Decimal(2)), end.end()
    return None


def _follows_count(text: str, pos: int) -> bool:
    """Whether only separators stand between a count and ``pos``: a correction naming no line corrects the line
    just before it, never one further back."""
    before = text[:pos].rstrip(" ,，;；.。!！")
    return bool(re.search(r"\d\s*[^\d\s,，;；.。!！]{0,3}$", before)) and not re.search(r"[\u4e00-\u9fff]{4,}$", before)


def _applied(listed: ItemResult, corrections: list[_Correction], entries: Mapping[str, CatalogueEntry],
             table: VariantTable) -> ItemResult | None:
    items = dict(listed.items)
    removed: list[str] = []
    unknown: list[str] = []
    last = next((e.sku for e in reversed(listed.edits) if e.sku in items), None)
    for c in corrections:
        if not c.word:
            named = [last] if last is not None and last in items else []
        else:
            named = [sku for sku in items if sku in entries and names_word(entries[sku], c.word)]
            if named and _own_product(c.word, entries) - set(items):
                return None       # "超五类不要了" after "室外网线" (alias 室外超五类): the 超五类 itself, not that line
            if len(named) > 1:        # "5kg" of "低筋5kg", not of "低筋2.5kg" whose alias says "5斤"
                named = [sku for sku in named if _says_whole(entries[sku], c.word)] or named
        if len(named) == 1 and c.new:
            if (done := _swapped(items, named[0], c, entries, table)) is None:
                return None
            removed.append(named[0])
            unknown.extend(done)
            continue
        if not named and c.word and c.factor is None and not c.new:
            # "210 K3 C3 M3, drop the yellow", "净味10桶 底漆还是4桶": a sibling of the lines said, taken out or
            # given its count although never listed
            siblings = {sibling_named(sku, c.word, table, entries) for sku in items}
            if len(siblings) == 1 and (sibling := siblings.pop()) is not None and sibling not in removed:
                if c.qty is None:
                    removed.append(sibling)
                else:
                    items[sibling] = c.qty
                continue
        if len(named) != 1:
            return None
        sku = named[0]
        if c.qty is not None:
            items[sku] = c.qty
        elif c.factor is not None:
            scaled = items[sku] * c.factor
            if scaled != int(scaled) or scaled < 1:
                return None
            items[sku] = int(scaled)
        else:
            del items[sku]
            removed.append(sku)
    if not items:
        return None
    units = {e.sku: e.unit for e in listed.edits if e.sku is not None}
    return ItemResult(items=items, removed=removed, unknown=unknown,
                      edits=[CartEdit(op=EditOp.ADD, sku=sku, qty=qty, unit=units.get(sku, ""))
                             for sku, qty in items.items()])


def _own_product(word: str, entries: Mapping[str, CatalogueEntry]) -> set[str]:
    """The products whose whole name or alias ``word`` is ("超五类"), not a piece of one ("室外超五类")."""
    said = normalize(word).replace(" ", "")
    return {sku for sku, e in entries.items() for s in (e.name, *e.aliases)
            if said in s.lower().replace(" ", "") and normalize(s).replace(" ", "") == said}


def _says_whole(entry: CatalogueEntry, word: str) -> bool:
    """Whether ``word`` is said as written, not inside a longer number, in the product's name or aliases."""
    spelled = re.escape(normalize(word).replace(" ", ""))
    return any(re.search(rf"(?<![\d.]){spelled}(?![\d.])", normalize(s).replace(" ", ""))
               for s in (entry.name, *entry.aliases))


def _swapped(items: dict[str, int], sku: str, c: _Correction, entries: Mapping[str, CatalogueEntry],
             table: VariantTable) -> list[str] | None:
    """The line ``sku`` replaced by the sibling ``c.new`` names, in ``items``; the words named back (a sibling no
    product is: the line goes, the word is said back), or None when the word is no variant's."""
    had = items.pop(sku)
    new = sibling_named(sku, c.new, table, entries)
    if new is None:
        return [c.new] if re.fullmatch(r"[a-z0-9.]+|[\u4e00-\u9fff]{1,2}", c.new) else None
    if new in items:
        return None
    if c.qty is not None or c.same:
        items[new] = c.qty if c.qty is not None else had
    return []
