"""A line said by its size or word alone after a counted line of the same kind: "电容 25uf 20个 35uf 20个 45的10个",
"随停8公斤的来30 10公斤20", "R32细瓶十支 仲有410细瓶五支", "comp 1hp x2 3hp x1".

``nlu.items`` keeps such a count off the line before and holds it as doubtful with its word (``ItemResult.doubtful``).
Here the word is looked up among the siblings of the line before: the products of its series (``nlu.variants``),
else of its category. Every part of the word (its number, its letters, its Chinese) must be said in the sibling's
name or aliases (``nlu.sibling_words``); with several such siblings, the one whose words share most with
the line before. One sibling found, not the line before and not yet a line of the message: the count is its line.
Otherwise the count stays doubtful and is named back (``nlu.items.name_back_unread``).
"""

from __future__ import annotations

from collections.abc import Mapping

from nlu.items import ItemResult
from nlu.schema import CartEdit, CatalogueEntry, EditOp
from nlu.sibling_words import sibling_named
from nlu.variants import VariantTable


def sibling_lines(result: ItemResult, table: VariantTable, entries: Mapping[str, CatalogueEntry]) -> None:
    """Each doubtful count of ``result`` whose word names one sibling of the line before made that sibling's line."""
    kept = []
    undone: dict[str, tuple[int | None, int]] = {}       # a line's count set by a count read here, and its count before
    for edit, before, unread in result.doubtful:
        sku = sibling_named(edit.sku, unread.word, table, entries) if edit in result.edits and edit.sku else None
        if sku is None or sku in result.items or unread.qty is None or edit.sku is None:
            kept.append((edit, before, unread))
            continue
        if edit.sku in undone and undone[edit.sku][0] == before:
            before = undone[edit.sku][1]     # "S 50 M 100 L 50": the count before M's, not M's own
        undone[edit.sku] = (edit.qty, before)
        result.items[edit.sku] = before
        result.items[sku] = int(unread.qty)
        result.edits[result.edits.index(edit)] = CartEdit(op=EditOp.ADD, sku=sku, qty=int(unread.qty), unit=unread.unit)
    result.doubtful = kept
