"""Products told apart by a cross spec: "2x1.5", "3*2.5", "3x6+1x4" (cores x section of a cable, width x length
of a board, bore x thread of a fitting).

A catalogue whose names carry such a spec ("RVV2x1.5 护套线", "3*2.5护套线") is read by its specs when a message
says one alone after a family word, a series' letters or another spec: "护套线 2x1.5 5卷 2x2.5 3卷",
"rvv3*1.5 两卷 3*4 一卷", "3x2.5 的 50米一盘的 来6盘". The spec is written with x, * or ×, whatever the name
used; it names the products whose names or aliases hold the same spec, narrowed by the letters said before it
("rvv"), by the family word of the line (a word of several products that holds some of them), and by a size said
next to it that only some of them have in their names ("100米", "50米"). A spec that still names several
products names nothing here (the words around it stay what they were); one that names no product is left alone
("20 x 10" is a size and its count).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from nlu.normalize import normalize
from nlu.product_words import SENTENCE_BREAK, Mention, Strength
from nlu.schema import CatalogueEntry
from nlu.variants import size_key

# "2x1.5", "3*2.5", "3×4+1×2.5": a number, a cross, a number; never a count ("x 10", "20 x 10": spaced)
_CROSS = re.compile(r"(?<![\d.])(\d{1,3}(?:\.\d{1,2})?)[x×*](\d{1,3}(?:\.\d{1,2})?)"
                    r"(?:\s?\+\s?(\d{1,3}(?:\.\d{1,2})?)[x×*](\d{1,3}(?:\.\d{1,2})?))?(?![\d.])")
# a size with its unit that only some products of one spec have ("100米", "50m", "305m")
_SIZED = re.compile(r"(?<![\d.])(\d{1,4}(?:\.\d{1,2})?)\s?(米|m|mm|cm|kg|l|升|公斤)(?![a-z])")
# the letters of a series said right before the spec ("rvv3*1.5", "yjv 3x6+1x4")
_LEAD = re.compile(r"(?<![a-z])([a-z]{2,5})\s?\Z")
# before the spec, where a line starts: a clause break or a count with its unit
_CLAUSE = re.compile(r"[,;，。；!?！？\n]")
#: how far before a spec its family word is looked for, and after it its size
_BACK = 24
_AHEAD = 10


def _canonical(m: re.Match[str]) -> str:
    def n(raw: str) -> str:
        return raw.rstrip("0").rstrip(".") if "." in raw else raw
    spec = f"{n(m.group(1))}x{n(m.group(2))}"
    return spec + (f"+{n(m.group(3))}x{n(m.group(4))}" if m.group(3) else "")


@dataclass(frozen=True)
class CrossSpecs:
    by_spec: Mapping[str, frozenset[str]]      # "2x1.5" -> the products whose names say it
    by_head: Mapping[str, frozenset[str]]      # "3x6" -> the products of "3x6+1x4"
    words: Mapping[str, str]                   # sku -> its name and aliases, compacted
    sizes: Mapping[str, frozenset[str]]        # sku -> the sizes with units in its name and aliases


def cross_specs_of(catalogue: Iterable[CatalogueEntry]) -> CrossSpecs:
    """The specs of the catalogue's names and aliases (built once per catalogue by the product index)."""
    by_spec: dict[str, set[str]] = {}
    by_head: dict[str, set[str]] = {}
    words: dict[str, str] = {}
    sizes: dict[str, frozenset[str]] = {}
    for e in catalogue:
        said = [normalize(w) for w in (e.name, *e.aliases) if w.lower() != e.sku.lower()]
        for w in said:
            for m in _CROSS.finditer(w):
                spec = _canonical(m)
                by_spec.setdefault(spec, set()).add(e.sku)
                if "+" in spec:
                    by_head.setdefault(spec.split("+")[0], set()).add(e.sku)
        words[e.sku] = " ".join(said).replace(" ", "")
        sizes[e.sku] = frozenset(size_key(m.group(1), m.group(2)) for w in said for m in _SIZED.finditer(w))
    return CrossSpecs({k: frozenset(v) for k, v in by_spec.items()}, {k: frozenset(v) for k, v in by_head.items()},
                  words, sizes)


def with_cross_specs(text: str, mentions: list[Mention], specs: CrossSpecs) -> list[Mention]:
    """``mentions`` with each cross spec that names one product (with the words around it) as that product's
    mention; the family word that only led the specs after it is dropped."""
    if "x" not in text and "*" not in text and "×" not in text:
        return mentions
    if not specs.by_spec:
        return mentions
    out = list(mentions)
    made: list[Mention] = []
    for t in _CROSS.finditer(text):
        spec = _canonical(t)
        cands = specs.by_spec.get(spec) or specs.by_head.get(spec)
        if not cands:
            continue
        a, b = t.start(), t.end()
        over = [m for m in out if m.start < b and a < m.end]
        if any(m.strength == Strength.EXACT and m.sku and m.sku not in cands for m in over):
            continue                       # part of another product's own exact words
        picked = set(cands)
        lead = _LEAD.search(text, max(0, a - 6), a)
        if lead is not None:
            narrowed = {s for s in picked if lead.group(1) in specs.words[s]}
            if narrowed:
                picked, a = narrowed, lead.start()
        clause = max((c.end() for c in _CLAUSE.finditer(text, max(0, a - _BACK), a)), default=max(0, a - _BACK))
        family = [m for m in out if clause <= m.start and m.end <= a and m.sku is None and len(m.skus) > 1
                  and picked & set(m.skus)]
        # "3*2.5护套 100米的": the family word glued after the spec is of its line
        after = [m for m in out if b <= m.start <= b + 1 and m.sku is None and len(m.skus) > 1
                 and not m.word[:1].isdigit() and picked & set(m.skus)]
        if after:
            picked &= set(after[0].skus)
        elif family:
            picked &= set(family[-1].skus)
        if len(picked) > 1 and made and made[-1].end <= a and clause <= made[-1].start:
            # "rvv3*1.5 两卷 3*4 一卷": a spec of several kinds after a line of one takes that line's kind
            kin = {s for s in picked if _same_kind(specs.words[s], specs.words[made[-1].skus[0]])}
            picked = kin or picked
        several = set(picked)
        end = max([b, *(m.end for m in over if m.sku in picked), *(m.end for m in after)])
        if len(picked) > 1:
            end, picked = _by_size(text, end, picked, specs)
        if len(picked) > 1:
            # "50米一盘的3x2.5护套线": the size said before the spec, in its clause
            start, picked = _size_before(text, max(clause, a - _AHEAD), a, picked, specs)
            a = min(a, start)
        longer = specs.by_head.get(spec, frozenset()) - cands
        prior = next((m.sku for m in reversed(out) if m.end <= a and m.sku), None)
        if longer and picked == set(cands) and lead is None and not (family or after) and end == b \
                and not (prior and any(_same_kind(specs.words[prior], specs.words[s]) for s in cands)):
            # "3*6 两盘": the 3x6 cable and the head of "3x6+1x4", nothing said tells which (no line of its kind
            # before it either): several products
            out = [m for m in out if not (m.start < b and a < m.end and m.strength < Strength.EXACT)]
            out = sorted([*out, Mention(a, b, tuple(sorted(cands | longer)), Strength.CATEGORY, text[a:b])],
                         key=lambda m: m.start)
            continue
        if len(picked) != 1:
            continue
        a = min([a, *(m.start for m in over if m.sku in picked)])
        new = Mention(a, end, tuple(picked), Strength.NAME, text[a:end])
        gone = [m for m in out if m.start < end and a < m.end and (m.strength < Strength.EXACT or m.sku in picked)]
        gone += [m for m in family if not re.search(r"\d", text[m.end:a])] + after
        kept = [m for m in out if not any(m is g for g in gone)]
        if any(m.start < end and a < m.end for m in kept):
            continue
        out = sorted([*kept, new, *_other_sizes(text, end, several - picked, specs, kept)], key=lambda m: m.start)
        made.append(new)
    return out


def _other_sizes(text: str, b: int, others: set[str], specs: CrossSpecs, mentions: list[Mention]) -> list[Mention]:
    """"rvv 3x2.5 100米的3卷 50米的4盘": the other sizes of the spec said after its first line, each the product of
    that spec in that size (the 50 m coil), when only weak words were read there."""
    out: list[Mention] = []
    if not others:
        return out
    stop = min(len(text), b + _BACK)
    brk = _CROSS.search(text, b, stop) or SENTENCE_BREAK.search(text, b, stop)
    stop = brk.start() if brk else stop
    for s in _SIZED.finditer(text, b, stop):
        size = size_key(s.group(1), s.group(2))
        named = [sku for sku in others if size in specs.sizes[sku]]
        over = [m for m in mentions if m.start < s.end() and s.start() < m.end]
        if len(named) == 1 and all(m.strength < Strength.EXACT or m.sku is None for m in over):
            for m in over:
                mentions.remove(m)
            out.append(Mention(s.start(), s.end(), (named[0],), Strength.NAME, s.group(0)))
    return out


def _same_kind(one: str, other: str) -> bool:
    """Two products' words share the letters of a series ("rvv") or a kind word of two characters."""
    letters = set(re.findall(r"[a-z]{2,5}", one)) & set(re.findall(r"[a-z]{2,5}", other))
    return bool(letters)


def _size_before(text: str, a: int, b: int, picked: set[str], specs: CrossSpecs) -> tuple[int, set[str]]:
    """The products of ``picked`` whose size is said in ``text[a:b]``, right before the spec, and where it starts."""
    for s in _SIZED.finditer(text, a, b):
        size = size_key(s.group(1), s.group(2))
        named = {sku for sku in picked if size in specs.sizes[sku]}
        if named and named != picked and not re.search(r"\d", text[s.end():b]):
            return s.start(), named
    return b, picked


def _by_size(text: str, b: int, picked: set[str], specs: CrossSpecs) -> tuple[int, set[str]]:
    """The products of ``picked`` whose size the words right after the spec say ("3x2.5 100米的"), and where it ends."""
    stop = min(len(text), b + _AHEAD)
    nxt = _CROSS.search(text, b, stop)
    stop = nxt.start() if nxt else stop
    for s in _SIZED.finditer(text, b, stop):
        size = size_key(s.group(1), s.group(2))
        named = {sku for sku in picked if size in specs.sizes[sku]}
        if named and named != picked:
            return s.end(), named
    return b, picked
