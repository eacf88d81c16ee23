"""Corrections said after a list of lines, each naming its line by a word of that line's product: "520 黑4 青2
黑的改成6", "210X 黑6 青3 红3 黄3 红的不要了", "210 K3 C3 M3, drop the yellow", "雪峰黑 M5 L5 不对L改成8",
"JH full 200 half 100, make half 150", "打包带黄色的 10捆 蓝色的 10捆 蓝的减掉一半".

Dealers write the list first and correct it at the end, naming a line by what sets it apart (its colour, size or
code), not by the whole product. The list is read without its tail (``read``: the readings of a whole message), then
each correction of the tail is applied to the one line read whose product's name or aliases hold the word it names.
All or nothing: every clause of the tail is a correction (set a count, take the line out, scale it) naming exactly
one line read, and the list is read with no word left over.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from nlu.items import ItemResult
from nlu.normalize import normalize
from nlu.numbers import QUANTITY, parse_quantity
from nlu.schema import CartEdit, CatalogueEntry, EditOp
from nlu.variants import variant_word

# a word that corrects: the messages worth reading this way
_CUE = re.compile(r"改|换成|不要|删|去掉|拿掉|一半|减半|翻倍|翻个倍|加倍|写错|说错|打错|搞错|"
                  r"\b(?:make|change|drop|remove|scrap|delete|cancel)\b")
_LEAD = r"(?:(?:算了|不对|哦|噢|对了|刚才|还有|然后|再|\b(?:sorry|oh|wait|and|then|pls|please)\b)[\s,，]*)*"
# the word naming a line: letters ("l", "yellow", "half"), a number with its size unit ("42", "8号"), a few Chinese
# characters ("黑", "青", "双色")
_WORD = r"(?P<word>[a-z]+|\d+(?:\.\d+)?(?:号|度|寸|升|码|l|kg|ml|mm|g)?|[\u4e00-\u9fff]{1,4}?)"
_THE = r"(?:的|那个|那款|那行|那些)?\s*"
_SET = (re.compile(rf"{_LEAD}{_WORD}{_THE}(?:(?:(?:写|说|打|搞)错了?|不对)[\s,，]*(?:是|应该是|改成|要)?|"
                   rf"改成|改为|改到|调成|调到|换成|改)\s*"),
        re.compile(rf"{_LEAD}\b(?:make|change|set)\s+(?:the\s+)?{_WORD}\s+(?:to\s+|at\s+|into\s+)?"))
_REMOVE = (re.compile(rf"{_LEAD}{_WORD}{_THE}也?(?:不要了?|删掉|删了|删除|去掉|拿掉|取消)"),
           re.compile(rf"{_LEAD}\b(?:drop|remove|scrap|delete|cancel)\s+(?:the\s+)?{_WORD}(?:\s+ones?)?\b"))
_SCALE = re.compile(rf"{_LEAD}{_WORD}{_THE}(?:(?P<half>减掉一半|减一半|减半|砍半)|(?P<double>翻倍|翻个倍|翻一倍|加倍))")
_CLAUSE_END = re.compile(r"(?:吧|了|啊|就行|就好)?\s*(?:$|[\s,，;；.。!！]+)")
_SEPARATORS = re.compile(r"[\s,，;；.。!！]*")


@dataclass(frozen=True)
class _Correction:
    word: str
    qty: int | None = None           # set to this count
    factor: Decimal | None = None    # scaled by this factor
    # neither: the line is taken out


def corrected_lines(text: str, read: Callable[[int], ItemResult],
                    entries: Mapping[str, CatalogueEntry]) -> ItemResult | None:
    """The lines of normalized ``text`` read as a list and the corrections after it (see the module docstring), or
    None. ``read(end)``: the lines of ``text[:end]``."""
    if not _CUE.search(text):
        return None
    # the list ends after a count: one with its unit, or a number glued to its line's word ("l5")
    ends = sorted({q.end() for q in QUANTITY.finditer(text)} | {d.end() for d in re.finditer(r"\d+", text)})
    for end in ends:
        corrections = _tail(text, end)
        if not corrections:
            continue
        listed = read(end)
        if not listed.items or listed.unresolved or listed.unknown or listed.rejected or listed.negative \
                or listed.removed:
            return None
        return _applied(listed, corrections, entries)
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
        if (m := said.match(text, pos)) is not None and (q := QUANTITY.match(text, m.end())) is not None:
            quantity = parse_quantity(q)
            if quantity.usable and (end := _CLAUSE_END.match(text, q.end())) is not None:
                return _Correction(m.group("word"), qty=quantity.value), end.end()
    for said in _REMOVE:
        if (m := said.match(text, pos)) is not None and (end := _CLAUSE_END.match(text, m.end())) is not None:
            return _Correction(m.group("word")), end.end()
    if (m := _SCALE.match(text, pos)) is not None and (end := _CLAUSE_END.match(text, m.end())) is not None:
        return _Correction(m.group("word"), factor=Decimal("0.5") if m.group("half") else Decimal(2)), end.end()
    return None


def _applied(listed: ItemResult, corrections: list[_Correction],
             entries: Mapping[str, CatalogueEntry]) -> ItemResult | None:
    items = dict(listed.items)
    removed: list[str] = []
    for c in corrections:
        named = [sku for sku in items if sku in entries and names_word(entries[sku], c.word)]
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
    return ItemResult(items=items, removed=removed,
                      edits=[CartEdit(op=EditOp.ADD, sku=sku, qty=qty, unit=units.get(sku, ""))
                             for sku, qty in items.items()])


def names_word(entry: CatalogueEntry, word: str) -> bool:
    """Whether ``word`` is said in the product's name or aliases: Chinese anywhere in them ("青" of "210青"), letters
    and numbers as a whole word of them ("l" of "雪峰黑l", "42" of "青花42度礼盒")."""
    spelled = variant_word(word)
    said = [normalize(s) for s in (entry.name, *entry.aliases)]
    if re.fullmatch(r"[\u4e00-\u9fff]+", spelled):
        return any(spelled in s for s in said)
    number = re.match(r"\d+(?:\.\d+)?", spelled)
    token = number.group(0) if number is not None else spelled
    return any(token in re.findall(r"[a-z]+|\d+(?:\.\d+)?", s) for s in said)
