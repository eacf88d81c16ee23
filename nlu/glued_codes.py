"""A model code the catalogue lacks glued to the words of a product ("AP3000滤网 5个", "订AP30滤网5个" when the
catalogue has AP300 and "AP300滤网"): the whole wording names no product, so it is named back with the products
of a code one edit away that have the word as suggestions ("AP300滤网"), never read as the product of the word
alone (a generic "滤网") nor dropped. A code the word's products have, or whose number they have, is left to the
other readings ("AP300的滤网", "dn20弯头" of a "弯头 20")."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from nlu.normalize import normalize
from nlu.product_words import TIMES, Mention, Strength, named_back
from nlu.schema import CatalogueEntry

# letters then digits right before the word, nothing or 的 between ("ap3000滤网", "ap3000的滤网")
_CODE_BEFORE = re.compile(r"(?<![a-z0-9.\-])(?P<code>[a-z]{1,5}-?(?P<n>\d{2,5})[a-z]{0,2})(?:的)?\Z")
_CODE_FRONT = re.compile(r"(?P<code>[a-z]{1,5}-?(?P<n>\d{2,5})[a-z]{0,2})(?:的)?(?P<word>[\u4e00-\u9fff].*)\Z")


def _label(entry: CatalogueEntry) -> str:
    return normalize(" ".join((entry.name, *entry.aliases))).replace(" ", "")


def _has(label: str, code: str, number: str) -> bool:
    return code in label or re.search(rf"(?<![\d.]){number}(?![\d])", label) is not None


def _near(code: str, word: str, entries: Mapping[str, CatalogueEntry],
          near_owners: Callable[[str], set[str]]) -> tuple[str, ...]:
    """The products of a code one edit away from ``code`` that have ``word`` in their words."""
    owners = near_owners(code)
    return tuple(sorted(s for s in owners if s in entries and word in _label(entries[s])))


def glued_codes(text: str, mentions: list[Mention], entries: Mapping[str, CatalogueEntry],
                near_owners: Callable[[str], set[str]]) -> list[Mention]:
    """``mentions`` with each CJK product word that a code no product has is glued in front of read with that code,
    as a wording named back."""
    out: list[Mention] = []
    for m in mentions:
        if not m.skus and m.near and m.strength == Strength.UNKNOWN:
            # "ap3000滤网" already named back as one wording: the suggestions of the code's near miss when it has them
            said = _CODE_FRONT.match(compact_word(m.word))
            if said is not None and (near := _near(said.group("code").replace("-", ""), said.group("word"), entries,
                                                   near_owners)):
                m = Mention(m.start, m.end, (), Strength.UNKNOWN, m.word, near=near)
            out.append(m)
            continue
        front = _CODE_BEFORE.search(text, max(0, m.start - 12), m.start) if m.skus and m.start else None
        if front is None or not re.match(r"[\u4e00-\u9fff]", text[m.start:m.start + 1]) \
                or TIMES.fullmatch(front.group("code")):
            out.append(m)
            continue
        a = front.start()
        if any(x.skus and x.start < m.start and x.end > a for x in mentions if x is not m):
            out.append(m)            # part of a product said before it
            continue
        code, number = front.group("code").replace("-", ""), front.group("n")
        if any(_has(_label(entries[s]), code, number) for s in m.skus if s in entries):
            out.append(m)            # the word's products have the code or its number: theirs to read
            continue
        out = [x for x in out if not (x.start >= a and x.end <= m.start)]      # the code read alone ("AP30")
        word = text[m.start:m.end].replace(" ", "")
        near = _near(code, word, entries, near_owners) or tuple(sorted(near_owners(code))) or m.skus
        out.append(Mention(a, m.end, (), Strength.UNKNOWN, named_back(text[a:m.end]), near=near))
    return out


def lacking_variants(text: str, mentions: list[Mention], entries: Mapping[str, CatalogueEntry]) -> list[Mention]:
    """"彩虹W-101下壶 2把" when the W-101 comes as 上壶 only and 下壶 is the word of the W-71's: a product's code with a
    word of its own kind glued after it that its words lack names no product (named back with both as suggestions),
    never the other product of that word."""
    out: list[Mention] = []
    for m in mentions:
        code = out[-1] if out else None
        if code is None or code.sku is None or code.end != m.start or m.strength != Strength.CATEGORY \
                or code.strength < Strength.EXACT or not re.search(r"[a-z]\s?-?\d", code.word) \
                or not re.match(r"[\u4e00-\u9fff]", m.word) or code.sku in m.skus \
                or code.sku not in entries or any(s not in entries for s in m.skus):
            out.append(m)
            continue
        kind = entries[code.sku].category
        if not kind or any(entries[s].category != kind for s in m.skus) \
                or m.word.replace(" ", "") in _label(entries[code.sku]):
            out.append(m)
            continue
        out[-1] = Mention(code.start, m.end, (), Strength.UNKNOWN, named_back(text[code.start:m.end]),
                          near=(code.sku, *m.skus))
    return out


def compact_word(word: str) -> str:
    return normalize(word).replace(" ", "")
