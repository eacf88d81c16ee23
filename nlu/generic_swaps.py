"""A line named by a word of several products, replaced by one product said in full: "把滤网换成两箱AP500滤网",
"除湿机换成DH50", "滤网换成AP500滤网 2箱"; and a line not named at all: "换成DH50" (the line the chat means).

"滤网" names no one product, but the cart holds (at most) one of them: the edit replaces the line of whichever of the
word's products the cart holds (``CartEdit.among``; the chat picks it, or asks when it holds several), with the count
said, else the line's own. Read before, "两箱" was the count of an unresolved "滤网" and the filter in the cart was set
to 2, the AP500 filter never ordered.

All or nothing: the word of several products, the words of swapping, then one product with at most one count (before
or after it) or "数量不变"; anything else is left to the other readings.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from nlu.items import ItemResult
from nlu.numbers import QUANTITY, parse_quantity
from nlu.product_words import Mention
from nlu.schema import CartEdit, EditOp

_LEAD = re.compile(r"\s*(?:把|将|我想把|帮我把)?\s*(?:那个|这个)?\s*")
_SWAP = re.compile(r"\s*(?:的|那个|那款)?\s*(?:全部|都)?\s*(?:换成|换为|改成|改为|换)\s*(?:了)?\s*")
_SAME = re.compile(r"\s*(?:数量不变|数量一样|数量照旧|一样的?数量)")
_TO = re.compile(r"\s*(?:那就|那|就|还是)?\s*(?:换成|换为|改成|改为)\s*")
_GAP = re.compile(r"[\s,，]*")
_END = re.compile(r"[\s,，;；.。!！~]*(?:吧|了|啊|哈)?[\s,，;；.。!！~]*")


def generic_swap(text: str, mentions: Sequence[Mention]) -> ItemResult | None:
    """The reading of normalized ``text`` as "the line of this word, replaced by that product" (see the module
    docstring), or None."""
    if len(mentions) == 1 and mentions[0].sku is not None:
        return _to_product(text, mentions[0])
    if len(mentions) != 2:
        return None
    word, new = mentions
    if word.sku is not None or len(word.skus) < 2 or new.sku is None:
        return None
    if _LEAD.fullmatch(text, 0, word.start) is None or (swap := _SWAP.match(text, word.end)) is None:
        return None
    said = _count(text, swap.end(), new)
    if said is None:
        return None
    among = [sku for sku in word.skus if sku != new.sku]
    return _replaced(new.sku, said, among) if among else None


def _to_product(text: str, new: Mention) -> ItemResult | None:
    """"换成DH50", "那就换成3台DH50": the line the chat means (the chat asks which when the cart has several),
    replaced by the product said."""
    if (swap := _TO.match(text)) is None or swap.end() > new.start:
        return None
    said = _count(text, swap.end(), new)
    return None if said is None or new.sku is None else _replaced(new.sku, said, [])


def _count(text: str, at: int, new: Mention) -> tuple[int | None, str] | None:
    """The count said before the new product (from ``at``) or after it, and its unit; None: other words said."""
    qty, unit = None, ""
    if at < new.start:          # "换成两箱AP500滤网": the count before the product
        q = QUANTITY.match(text, at)
        if q is None or text[q.end():new.start].strip() or not (count := parse_quantity(q)).usable:
            return None
        qty, unit = count.value, q.group("unit") or ""
    pos = new.end
    if (same := _SAME.match(text, pos)) is not None:
        pos = same.end()
    elif qty is None and (q := QUANTITY.match(text, _GAP.match(text, pos).end())) is not None:      # type: ignore[union-attr]
        if not (count := parse_quantity(q)).usable:
            return None
        qty, unit, pos = count.value, q.group("unit") or "", q.end()
    if _END.match(text, pos).end() != len(text):      # type: ignore[union-attr]
        return None
    return qty, unit


def _replaced(new: str, said: tuple[int | None, str], among: list[str]) -> ItemResult:
    qty, unit = said
    result = ItemResult(edits=[CartEdit(op=EditOp.REPLACE, to_sku=new, qty=qty, unit=unit, among=among)])
    if qty is not None:
        result.items[new] = qty
    return result
