"""A colour said in one character with a count of its own after a product ("云朵2.0 粉3套 白3套"): the products of
that colour, split out of ``nlu.products``."""

from __future__ import annotations

import re
from collections.abc import Callable

from nlu.product_words import Mention, Strength

# a colour said in one character, then its count ("粉3套", "白的 3", "灰4"): not inside a word ("明白", "白天")
_LONE_COLOUR = re.compile(r"(?:^|(?<=[\s,，、;；/]))([灰白黑红蓝粉绿黄紫棕])(?=\s?的?\s?(?:\d|[一两二三四五六七八九十]))")


def lone_colours(text: str, mentions: list[Mention], labels: dict[str, str],
                 family: Callable[[Mention], set[str]]) -> list[Mention]:
    """"云朵2.0 粉3套 白3套": a colour of one character with a count of its own, after a product, names the
    products of that colour (the line before then tells which one, ``_continued``; none told: the dealer is
    asked), never the line before again."""
    if not any(m.sku for m in mentions):
        return []
    out = []
    for c in _LONE_COLOUR.finditer(text):
        at = c.start(1)
        before = [m for m in mentions if m.sku and m.end <= at]
        if any(m.start <= at < m.end for m in mentions) or not before:
            continue
        skus = tuple(sku for sku, label in labels.items() if c.group(1) in label)
        if len(skus) >= 2:
            out.append(Mention(at, at + 1, skus, Strength.CATEGORY, c.group(1)))
        elif skus and skus[0] in family(before[-1]):
            out.append(Mention(at, at + 1, skus, Strength.NAME, c.group(1)))     # the one grey of the family
        else:      # "T恤M白 3件 紫2件" with no purple: named back with its count, not the white line's new count
            out.append(Mention(at, at + 1, (), Strength.UNKNOWN, c.group(1), near=skus))
    return out
