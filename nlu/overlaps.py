"""Mentions that cannot both be right: a word inside a product's own words ("平方红" inside "bvr6平方红"), and two
numbers read as a code where the second is a size with its unit ("红3 6平方": the count 3, then 6 mm², not "3x6").

Run last over ``ProductIndex.find``'s mentions: each rule drops the weaker reading, never adds one.
"""

from __future__ import annotations

import re

from nlu.product_words import Mention

# two numbers with a space, read as one code ("3 6" of "3x6")
_SPACED = re.compile(r"\d+(?:\.\d+)?\s\d+(?:\.\d+)?")
# a size's unit right after a number ("6平方", "6mm2", "50米")
_SIZE_UNIT = re.compile(r"\s?(?:平方|平|方|mm2|mm²|mm|cm|米|m(?![a-z])|kg|公斤|升|l(?![a-z])|寸|号)")


def without_overlaps(text: str, mentions: list[Mention]) -> list[Mention]:
    """``mentions`` without those nested in a stronger one-product mention, and without spaced-number codes whose
    last number is a size with its unit."""
    out: list[Mention] = []
    for m in mentions:
        if any(o is not m and o.sku is not None and o.start <= m.start and m.end <= o.end
               and o.end - o.start > m.end - m.start and o.strength > m.strength for o in mentions):
            continue
        if _SPACED.fullmatch(m.word) and _SIZE_UNIT.match(text, m.end):
            continue
        out.append(m)
    return out
