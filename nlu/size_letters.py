"""Size letters said between counts: "burgundy hoodie M 5 L 5", "piping bags S 50 M 100 L 50", "nitrile gloves S 10
M 30 L 30" list the M and the L of the product before, not 5 litres and 50 metres.

After a number, "l" and "m" are read as litres and metres (a size: "coolant 4 l 10" is ten of the 4 L can), so the
line they start is lost. Where the product said before is one of a family told apart by size letters (its names or
aliases end with "M", "L": "City hoodie burgundy L", "裱花袋L") and the letter is one of them, the letter is marked a
size letter as dealers write it in Chinese ("L码"), and the count before it stays a count.
"""

from __future__ import annotations

import re
from functools import lru_cache

from nlu.normalize import normalize
from nlu.products import ProductIndex

# "m" or "l" alone between two numbers: a size letter or a unit ("s4 m4 l2": glued to its count, a letter)
_BETWEEN = re.compile(r"(?<=\d)(\s+)([ml])(?=\s+\d)")
# a name or alias ending with a size letter ("city hoodie burgundy m", "裱花袋l", "t恤 白 xl")
_ENDS_WITH_LETTER = re.compile(r"(?<![a-z0-9])(xs|s|m|l|xl|xxl|\dxl)$")


def size_letters_marked(text: str, index: ProductIndex) -> str:
    """``text`` (normalized) with "m" / "l" between counts written "m码" / "l码" where the product said before
    them comes in that size letter."""
    if not _BETWEEN.search(text):
        return text
    mentions = [m for m in index.find(text) if m.skus]
    out, pos = [], 0
    for said in _BETWEEN.finditer(text):
        before = [m for m in mentions if m.end <= said.start()]
        if before and said.group(2) in _letters(index, _family(index, before[-1].skus)):
            out.append(text[pos:said.end()] + "码")
            pos = said.end()
    return "".join(out) + text[pos:] if out else text


def _family(index: ProductIndex, skus: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """The products of the series ``skus`` belong to, else of their one category, else ``skus``."""
    table = index.variant_table
    series = table.series_of(list(skus))
    if series is not None:
        return tuple(table.members[series])
    kinds = {e.category for s in skus if (e := index.entries.get(s)) is not None}
    if len(kinds) == 1 and (kind := kinds.pop()):
        return tuple(sorted(s for s, e in index.entries.items() if e.category == kind))
    return tuple(skus)


@lru_cache(maxsize=256)
def _letters(index: ProductIndex, family: tuple[str, ...]) -> frozenset[str]:
    """The size letters the names and aliases of ``family`` end with."""
    found = set()
    for sku in family:
        entry = index.entries.get(sku)
        for said in (entry.name, *entry.aliases) if entry is not None else ():
            if (letter := _ENDS_WITH_LETTER.search(normalize(said).strip())) is not None:
                found.add(letter.group(1))
    return frozenset(found)
