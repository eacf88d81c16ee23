"""A product taken out or replaced, then its sibling named by the word that sets it apart: "蓝盾S删掉 M加到30盒",
"drop the BV10 blue, keep red at 4", "棉拖粉色3637不要了 3839来15双", "栖霞胡桃换成灰橡 12张", "4个台上方盆换成台下盆",
"都市52换54 数量一样".

The dealer names the product once, whole, and then its replacement by what differs (its colour, size, grade): the
word is looked up among the siblings of the product taken out (``nlu.sibling_words``), else it is a product of its
own said in full ("青花38度的删掉 42度礼盒还是5箱"). A replacement naming no product at all takes the product out and
names the word back ("54": no such size), never a product of another series.

All or nothing: the message is the product taken out (one product), then lines each one sibling with its count, or
the replacement and at most one count; anything else is left to the plain reading (``nlu.items``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from nlu.english_swaps import count_first_line, english_swap
from nlu.items import ItemResult
from nlu.numbers import QUANTITY, parse_quantity
from nlu.product_words import Mention
from nlu.schema import CartEdit, CatalogueEntry, EditOp, Unresolved
from nlu.sibling_words import sibling_named
from nlu.variants import VariantTable

_SEP = r"[\s,，;；.。!！]*"
_OUT_BEFORE = re.compile(r"\s*(?:把|\b(?:pls|please)\s+)?(?:\b(?:drop|remove|scrap|scratch|delete|cancel)\s+(?:the\s+)?)?")
_OUT_AFTER = re.compile(r"\s*(?:的|那个|那款)?\s*(?:也|先|暂时)?(?:删掉|删了|删除|不要了?|别要了?|去掉|拿掉|取消)(?:了|吧)?")
_SWAP = re.compile(r"\s*(?:的|那个|那款)?\s*(?:换成|换为|换(?![货机新了个掉回退]))\s*")
# a word naming no product that is still a variant's word (a size, a code): named back, the product taken out
_VARIANT_LIKE = re.compile(r"[a-z0-9.]+[\u4e00-\u9fff]{0,2}")
# a line after the product taken out: "M加到30盒", "keep red at 4", "3839来15双", "换成黑41 3双"
_LINE = re.compile(rf"{_SEP}(?:换成|换为|改成|还有|再|\b(?:keep|add|then|and|make it|make)\b)?\s*"
                   r"(?P<word>[a-z0-9.]+(?:\s?(?!(?:at|to|x)\b)[a-z0-9.]+)?|[\u4e00-\u9fff]{1,4}?[a-z0-9.]*|[\u4e00-\u9fff]*\d+[\u4e00-\u9fff]*)"
                   r"\s*(?:的|那个)?\s*(?:加到|改成|改为|还是|来|要|拿|\b(?:at|to|x)\b|[x×*])?\s*"
                   rf"(?={QUANTITY.pattern})")
# the rest of the English words naming the product taken out, up to the comma ("scrap the 2.5l alcohol, ...")
_OLD_TAIL = re.compile(r"(?:\s+[a-z]+){1,3}(?=\s*[,;，；])")
_INSTEAD = re.compile(rf"\s*(?:\binstead\b)?{_SEP}")
_SAME = re.compile(r"\s*(?:数量一样|数量不变|一样的?数量|\bsame\s+(?:qty|quantity)\b)")


def replaced_lines(text: str, mentions: Sequence[Mention], table: VariantTable,
                   entries: Mapping[str, CatalogueEntry]) -> ItemResult | None:
    """The reading of normalized ``text`` as a product taken out or replaced, then its siblings (see the module
    docstring), or None."""
    if (swapped := english_swap(text, mentions, table, entries)) is not None:
        return swapped            # "swap the latte for americano, 10 cases"
    if not mentions:
        return None
    first = mentions[0]
    old = first.sku
    if old is None or old not in entries:
        return None
    lead = text[:first.start]
    before_qty = None
    if (q := QUANTITY.fullmatch(lead.strip())) is not None and parse_quantity(q).usable:
        before_qty = parse_quantity(q).value          # "4个台上方盆换成台下盆"
    elif not _OUT_BEFORE.fullmatch(lead):
        return None
    english_out = bool(re.search(r"[a-z]", lead))
    if (s := _SWAP.match(text, first.end)) is not None and not english_out:
        return _swapped(text, s.end(), old, before_qty, mentions, table, entries)
    if before_qty is not None:
        return None
    pos = first.end
    if not english_out:
        if (o := _OUT_AFTER.match(text, pos)) is None:
            return None
        pos = o.end()
    elif (tail := _OLD_TAIL.match(text, pos)) is not None:
        pos = tail.end()
    result = ItemResult(removed=[old], edits=[CartEdit(op=EditOp.REMOVE, sku=old)])
    pos = _INSTEAD.match(text, pos).end()       # type: ignore[union-attr]
    while pos < len(text):
        line = _line(text, pos, old, mentions, table, entries)
        if line is None:
            return None
        sku, qty, unit, pos = line
        if sku in result.items or sku == old:
            return None
        result.items[sku] = qty
        result.edits.append(CartEdit(op=EditOp.ADD, sku=sku, qty=qty, unit=unit))
    return result if result.items else None


def _line(text: str, pos: int, old: str, mentions: Sequence[Mention], table: VariantTable,
          entries: Mapping[str, CatalogueEntry]) -> tuple[str, int, str, int] | None:
    if (m := _LINE.match(text, pos)) is None or (q := QUANTITY.match(text, m.end())) is None:
        return _counted_first(text, pos, old, mentions, table, entries)
    quantity = parse_quantity(q)
    if not quantity.usable or quantity.value is None:
        return None
    sku = _named(m.group("word"), m.start("word"), m.end("word"), old, mentions, table, entries)
    if sku is None:
        return _counted_first(text, pos, old, mentions, table, entries)     # "add 4 black": "add" names nothing
    end = _INSTEAD.match(text, q.end()).end()       # type: ignore[union-attr]
    return sku, quantity.value, q.group("unit") or "", end


def _counted_first(text: str, pos: int, old: str, mentions: Sequence[Mention], table: VariantTable,
                   entries: Mapping[str, CatalogueEntry]) -> tuple[str, int, str, int] | None:
    """A line said count first after the product taken out: "scrap the yellow strap, 6 bundles of blue instead"."""
    if (line := count_first_line(text, pos)) is None:
        return None
    sku = _named(line.word, line.start, line.end, old, mentions, table, entries)
    return None if sku is None else (sku, line.qty, line.unit, _INSTEAD.match(text, line.line_end).end())  # type: ignore[union-attr]


def _named(word: str, start: int, end: int, old: str, mentions: Sequence[Mention], table: VariantTable,
           entries: Mapping[str, CatalogueEntry]) -> str | None:
    """The sibling of ``old`` the word names, else the one product a mention said in full over the word names."""
    if (sibling := sibling_named(old, word, table, entries)) is not None:
        return sibling
    said = [m for m in mentions if m.start <= start and end <= m.end and m.sku is not None]
    return said[0].sku if len(said) == 1 and said[0].sku != old else None


def _swapped(text: str, pos: int, old: str, before_qty: int | None, mentions: Sequence[Mention],
             table: VariantTable, entries: Mapping[str, CatalogueEntry]) -> ItemResult | None:
    """"P换成W [Q]": the sibling W instead of P, with the count said (before or after), else P's own."""
    rest = text[pos:]
    q = None
    for found in QUANTITY.finditer(rest):
        q = found
    word_end = len(rest)
    qty = before_qty
    if q is not None and not rest[q.end():].strip() and q.start() > 0 and parse_quantity(q).usable:
        word_end = q.start()
        if before_qty is not None:
            return None
        qty = parse_quantity(q).value
    if (same := _SAME.search(rest)) is not None and not rest[same.end():].strip():
        word_end = min(word_end, same.start())
    word = re.sub(r"(?:的|那个|那款)\s*$", "", rest[:word_end].strip(" ,，"))
    if not word or len(word) > 12 or (QUANTITY.fullmatch(word) and same is None):
        return None           # "换成10个": a count, not a sibling (unless "数量一样" says the count stays)
    new = _named(word, pos, pos + len(word), old, mentions, table, entries)
    result = ItemResult(removed=[old])
    if new is None:
        # "都市52换54", "DH20换成DH30": no such product; the word is named back with the products it may mean, the line
        # it would replace kept (was: the line taken out, the word said nowhere)
        if any(m.start >= pos and m.sku is not None for m in mentions) or not _VARIANT_LIKE.fullmatch(word):
            return None
        return ItemResult(unresolved=[Unresolved(word=word, qty=qty, replaces=old)])
    result.edits.append(CartEdit(op=EditOp.REPLACE, sku=old, to_sku=new, qty=qty))
    if qty is not None:
        result.items[new] = qty
    return result
