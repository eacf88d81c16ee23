"""A product said wrongly, corrected by naming the right one: "不是DH20 是DH50 数量不变", "不对不对 不是DH20 是DH30",
"DH20不对 应该是DH50 30台", "不是DH20是DH50".

The same as "DH20换成DH50": the line of the product said first is replaced by the product said second, with the count
said after it, else the line's own ("数量不变", or nothing). A second product that is no product ("DH30" when there
is none) is named back as the word to pick a product for, the line it would replace kept (``Unresolved.replaces``).

All or nothing: the words of correcting, the product said wrongly, the words of "it is", the right product, then at
most one count or "数量不变" (and "其他不变"); anything else is left to the other readings.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from nlu.items import ItemResult
from nlu.numbers import QUANTITY, parse_quantity
from nlu.product_words import Mention
from nlu.schema import CartEdit, EditOp, Unresolved

_LEAD = re.compile(r"\s*(?:(?:哦|噢|啊|呃|等等|等一下|sorry|不对|错了|搞错了|写错了|说错了|打错了|弄错了)[\s,，!！.。]*)*"
                   r"(?:不是|并不是|\bnot\b)\s*")
_IS = re.compile(r"\s*(?:的|那个)?\s*[\s,，;；.。!！]*\s*(?:而|其实|应该|我要的|要的)?\s*(?:是|要|\bit'?s\b|\bbut\b)\s*")
_WRONG = re.compile(r"\s*(?:的|那个)?\s*(?:不对|错了|写错了|说错了|打错了|搞错了)\s*[\s,，;；.。!！]*\s*"
                    r"(?:应该是|应该|其实是|是|要的是|要)\s*")
_SAME = re.compile(r"\s*(?:数量不变|数量一样|数量照旧|数量还是一样|一样的?数量|\bsame\s+(?:qty|quantity)\b)")
_REST = re.compile(r"\s*(?:其他|其它|别的|其余)(?:的)?(?:都)?(?:不变|照旧|一样)")
_END = re.compile(r"[\s,，;；.。!！~]*(?:吧|了|啊|哈)?[\s,，;；.。!！~]*")


def instead_lines(text: str, mentions: Sequence[Mention]) -> ItemResult | None:
    """The reading of normalized ``text`` as "not this product, that one" (see the module docstring), or None."""
    said = [m for m in mentions if m.skus or not m.near and re.fullmatch(r"[a-z]{1,5}-?\d{2,5}[a-z]{0,3}", m.word)
            or m.near]
    if len(said) != 2 or (old := said[0].sku) is None or said[1].sku == old:
        return None
    wrong, right = said
    if (lead := _LEAD.fullmatch(text, 0, wrong.start)) is not None:
        joined = _IS.fullmatch(text, wrong.end, right.start)
    else:
        lead = re.fullmatch(r"\s*(?:(?:哦|噢|啊|等等|不对)[\s,，]*)*", text[:wrong.start])
        joined = _WRONG.fullmatch(text, wrong.end, right.start)
    if lead is None or joined is None:
        return None
    pos, qty, unit = right.end, None, ""
    if (same := _SAME.match(text, pos)) is not None:
        pos = same.end()
    elif (q := QUANTITY.match(text, pos)) is not None or (q := QUANTITY.match(text, _END.match(text, pos).end())):  # type: ignore[union-attr]
        count = parse_quantity(q)
        if not count.usable or count.value is None:
            return None
        qty, unit, pos = count.value, q.group("unit") or "", q.end()
    pos = _END.match(text, pos).end()       # type: ignore[union-attr]
    if (rest := _REST.match(text, pos)) is not None:
        pos = _END.match(text, rest.end()).end()       # type: ignore[union-attr]
    if pos != len(text):
        return None
    if right.sku is None:
        # "是DH30" with no DH30: the word named back with the products it may mean, the DH20 line kept
        return ItemResult(unresolved=[Unresolved(word=right.word.upper(), qty=qty, candidates=list(right.skus or right.near),
                                                 replaces=old, unit=unit)])
    result = ItemResult(removed=[old], edits=[CartEdit(op=EditOp.REPLACE, sku=old, to_sku=right.sku, qty=qty)])
    if qty is not None:
        result.items[right.sku] = qty
    return result
