"""A pack size said alone with its count after a counted line: another pack of the same product ("雪岭 200g 40
1kg 10", "sugar 1kg 40 bags 25kg 2 bags", "四眼扣 24L 30罗 28L 20").

A pack size ("1kg", "454g", "28l") names many products of a catalogue, so ``nlu.items`` names it back with all of
them as candidates. Said right after a line of a product, it is that product in another pack: the one sibling of
that line (``nlu.sibling_words``) the size names, when it is one of the products of that size the mention search found. Otherwise it stays named back.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from nlu.items import ItemResult
from nlu.product_words import Mention
from nlu.schema import CartEdit, CatalogueEntry, EditOp, Unresolved
from nlu.sibling_words import sibling_named
from nlu.variants import VariantTable

# a pack's size alone: a number and a unit of weight or volume
_PACK_SIZE = re.compile(r"\d+(?:\.\d+)?\s?(?:kg|g|ml|l|lb|升|毫升|公斤|千克|克|斤|磅)")


def pack_siblings(result: ItemResult, mentions: Sequence[Mention], table: VariantTable,
                  entries: Mapping[str, CatalogueEntry]) -> None:
    """Each pack size of ``result.unresolved`` said after a counted line made that line's sibling of that size."""
    if result.removed:
        return
    for unresolved in list(result.unresolved):
        sku = _sibling_said(unresolved, result, mentions, table, entries)
        if sku is None or unresolved.qty is None:
            continue
        result.items[sku] = unresolved.qty
        result.edits.append(CartEdit(op=EditOp.ADD, sku=sku, qty=unresolved.qty, unit=unresolved.unit))
        result.unresolved.remove(unresolved)
        if unresolved.word in result.unknown and all(u.word != unresolved.word for u in result.unresolved):
            result.unknown.remove(unresolved.word)


def _sibling_said(unresolved: Unresolved, result: ItemResult, mentions: Sequence[Mention], table: VariantTable,
                  entries: Mapping[str, CatalogueEntry]) -> str | None:
    if unresolved.qty is None or unresolved.sets or unresolved.less or not _PACK_SIZE.fullmatch(unresolved.word):
        return None
    said = [m for m in mentions if m.word == unresolved.word]
    if len(said) != 1:
        return None
    before = _line_before(said[0], result, mentions)
    if before is None:
        return None
    sku = sibling_named(before, unresolved.word, table, entries)
    # the products of that size the mention found must hold it ("20kg" is no pack of those of "20斤", "10kg")
    if sku is None or sku in result.items or sku not in said[0].skus:
        return None
    return sku


def _line_before(size: Mention, result: ItemResult, mentions: Sequence[Mention]) -> str | None:
    """The product of the nearest mention before ``size`` when it is a line of the message."""
    earlier = [m for m in mentions if m.end <= size.start and m.skus]
    if not earlier:
        return None
    last = max(earlier, key=lambda m: m.end)
    return last.sku if last.sku in result.items else None
