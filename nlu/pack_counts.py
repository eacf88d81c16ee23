"""How many a pack holds, said to tell packs of one product apart: "24盒的那个纯奶整6箱", "纯奶250 12盒的20箱 24盒的也来20".

A catalogue that sells one product in packs of several sizes says the count in its names ("250ml×12盒",
"250ml 24盒装"). "24盒的" or "24盒装" is never a count of the line (the 的 and the 装 make it a description): said right
before a product of such a family it names the sibling in that pack; said alone after a line of the family, with its
own count, it is that sibling's line. Siblings are the products whose names start with the same word.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from nlu.normalize import normalize
from nlu.product_words import SENTENCE_BREAK, Mention, Strength
from nlu.schema import CatalogueEntry
from nlu.variants import counted_after

_PACK_UNITS = "盒瓶袋包罐听支片卷只杯"
# in a name: "×12盒", "12盒装", "24瓶"
_IN_NAME = re.compile(rf"(?<![\d.])(\d{{1,3}})\s?([{_PACK_UNITS}])")
# in a message: "24盒的", "12盒装", "24盒装的": a pack described, not counted
_SAID = re.compile(rf"(?<![\d.x×*])(\d{{1,3}})\s?([{_PACK_UNITS}])(?:装的?|\s?的)")
#: how far a pack said before a product may stand from it ("24盒的那个纯奶")
_GAP = re.compile(r"[\s的那个这种款]{0,4}")
_BACK = 32


@dataclass(frozen=True)
class PackCounts:
    packs: Mapping[str, frozenset[str]]       # sku -> {"12盒"}
    family: Mapping[str, str]                 # sku -> the first word of its name


def pack_counts_of(catalogue: Iterable[CatalogueEntry]) -> PackCounts:
    """The pack counts the catalogue's names say, for the families sold in packs of more than one size."""
    packs: dict[str, frozenset[str]] = {}
    family: dict[str, str] = {}
    for e in catalogue:
        name = normalize(e.name)
        found = frozenset(f"{m.group(1)}{m.group(2)}" for m in _IN_NAME.finditer(name))
        if found:
            packs[e.sku] = found
            family[e.sku] = name.split()[0]
    kinds: dict[str, set[frozenset[str]]] = {}
    for sku, f in family.items():
        kinds.setdefault(f, set()).add(packs[sku])
    keep = {sku for sku, f in family.items() if len(kinds[f]) > 1}
    return PackCounts({s: packs[s] for s in keep}, {s: family[s] for s in keep})


def with_pack_counts(text: str, mentions: list[Mention], counts: PackCounts) -> list[Mention]:
    """``mentions`` with packs said by their count read as the sibling in that pack."""
    if not counts.packs or not _SAID.search(text):
        return mentions
    out = list(mentions)
    for t in _SAID.finditer(text):
        pack = f"{t.group(1)}{t.group(2)}"
        if any(m.start <= t.start() and t.end() - 1 <= m.end for m in out if m.sku):
            continue                       # "纯奶250 12盒" of one product's own words
        after = next((m for m in out if m.start >= t.end()), None)
        if after is not None and after.sku in counts.family and _GAP.fullmatch(text[t.end():after.start]):
            sibling = _sibling(counts, after.sku, pack)
            if sibling is not None:        # "24盒的那个纯奶": the pack said before the product
                new = Mention(t.start(), after.end, (sibling,), Strength.NAME, text[t.start():after.end])
                out = sorted([m for m in out if m is not after and not (t.start() <= m.start < after.end)] + [new],
                             key=lambda m: m.start)
                continue
        if not counted_after(text, t.end()):
            continue
        brk = max((s.end() for s in SENTENCE_BREAK.finditer(text, max(0, t.start() - _BACK), t.start())), default=0)
        before = [m for m in out if m.end <= t.start() and m.start >= brk and m.sku in counts.family]
        if not before or any(m.start < t.end() and t.start() < m.end for m in out):
            continue
        sibling = _sibling(counts, before[-1].sku, pack)
        if sibling is not None:            # "纯奶250 12盒的20箱 24盒的也来20": the other pack of the line before
            out = sorted([*out, Mention(t.start(), t.end(), (sibling,), Strength.NAME, t.group(0))],
                         key=lambda m: m.start)
    return out


def _sibling(counts: PackCounts, sku: str | None, pack: str) -> str | None:
    """The one product of ``sku``'s family in ``pack`` (itself when it is so packed)."""
    if sku is None:
        return None
    named = [s for s, f in counts.family.items() if f == counts.family[sku] and pack in counts.packs[s]]
    return named[0] if len(named) == 1 else None
