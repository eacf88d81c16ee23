"""A number glued in front of a product's words that the search read without it: "2段小罐" (found as 段小罐, the 2段
one), "33倍" (found as 倍), "224黑的10个" (found as 黑 of the 160 line). The number is the size said with the word,
never a count of its own (the line's count comes after it): with the product that has the number and the word
together it is that product's span; with one that lacks it the words name a size the catalogue lacks and are
named back, never that product's line."""

from __future__ import annotations

import re
from collections.abc import Mapping

from nlu.normalize import normalize
from nlu.product_words import Mention, Strength, named_back
from nlu.schema import CatalogueEntry
from nlu.variants import counted_after

# digits right before the word, nothing between, not inside a code or a decimal ("c68", "1.5")
_FRONT = re.compile(r"(?<![\d.a-z])\d+(?:\.\d+)?\Z")


def glued_fronts(text: str, mentions: list[Mention], entries: Mapping[str, CatalogueEntry]) -> list[Mention]:
    """``mentions`` with each CJK word of one product that a number is glued in front of read with that number."""
    out: list[Mention] = []
    for m in mentions:
        front = _FRONT.search(text, max(0, m.start - 8), m.start) if m.sku is not None and m.start else None
        entry = entries.get(m.sku or "")
        if front is None or entry is None or not re.match(r"[\u4e00-\u9fff]", m.word) \
                or any(x.end > front.start() and x.start < m.start for x in mentions):
            out.append(m)
            continue
        label = normalize(" ".join((entry.name, *entry.aliases))).replace(" ", "")
        said = text[front.start():m.end]
        if front.group(0) + m.word[0] in label:
            out.append(Mention(front.start(), m.end, m.skus, m.strength, said))
        elif len(front.group(0)) >= 2 and front.group(0) not in label and counted_after(text, m.end):
            out.append(Mention(front.start(), m.end, (), Strength.UNKNOWN, named_back(said), near=m.skus))
        else:
            out.append(m)
    return out
