"""English attributes written with a number: "1 gang 2 way", "5 hole", "3 pin", as the catalogue's aliases write
them hyphenated ("white 1-gang 2-way", "black 5-hole").

Said with a space the number reads as a count and the word as a kind word of every product that has it. Here a run
of such attributes names the products whose aliases have them all, told apart by the other words of the line said
before the run (a colour, a series' letters or characters: "悦白 1 gang 2 way 12个", "JY black 2 gang 2 way x15,
5 hole x30"): the nearest words that leave one product decide; words every candidate has tell nothing. A run that
still names several products, or none, is left as it was.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from nlu.normalize import normalize
from nlu.numbers import UNITS
from nlu.product_words import CJK, SENTENCE_BREAK, Mention, Strength
from nlu.schema import CatalogueEntry

# "1-gang", "5-hole" in an alias: a number glued to an English word by a hyphen
_HYPHENED = re.compile(r"(?<![a-z0-9.])(\d{1,2})-([a-z]{2,8})(?![a-z])")
# where the words before a run stop: the end of a sentence
# between the words of one run
_GAP = re.compile(r"[\s,/]{0,2}")
# "30-pack", "6-can": a count and its unit, however an alias writes it ("30 packs" is 30 of something)
_COUNT_WORDS = frozenset(u for u in UNITS if u.isascii()) | frozenset(u + "s" for u in UNITS if u.isascii())
#: how far before a run its line's words are looked for
_BACK = 40


@dataclass(frozen=True)
class NumberedWords:
    words: frozenset[str]                          # "gang", "way", "hole"
    attributes: Mapping[str, frozenset[str]]       # sku -> {"1-gang", "2-way"}
    tokens: Mapping[str, frozenset[str]]           # sku -> its other words: English words, Chinese characters
    said: re.Pattern[str] | None                   # "1 gang", "2-way", "5 holes" in a message


def _tokens(text: str) -> set[str]:
    return set(re.findall(r"[a-z][a-z0-9]{1,}|[a-z]\d+", text)) | {c for w in CJK.findall(text) for c in w}


def numbered_words_of(catalogue: Iterable[CatalogueEntry]) -> NumberedWords:
    """The attributes the catalogue's aliases write as a number and a word (built once per catalogue)."""
    attributes: dict[str, frozenset[str]] = {}
    tokens: dict[str, frozenset[str]] = {}
    words: set[str] = set()
    for e in catalogue:
        said = " ".join(normalize(w) for w in (e.name, *e.aliases) if w.lower() != e.sku.lower())
        found = {f"{m.group(1)}-{m.group(2)}" for m in _HYPHENED.finditer(said) if m.group(2) not in _COUNT_WORDS}
        if not found:
            continue
        words |= {a.split("-")[1] for a in found} - _COUNT_WORDS
        attributes[e.sku] = frozenset(found)
        tokens[e.sku] = frozenset(_tokens(_HYPHENED.sub(" ", said)))
    if not attributes:
        return NumberedWords(frozenset(), {}, {}, None)
    alternatives = "|".join(sorted(map(re.escape, words), key=len, reverse=True))
    said_re = re.compile(rf"(?<![a-z0-9.])(\d{{1,2}})\s?-?\s?({alternatives})s?(?![a-z])")
    return NumberedWords(frozenset(words), attributes, tokens, said_re)


def with_numbered_words(text: str, mentions: list[Mention], words: NumberedWords) -> list[Mention]:
    """``mentions`` with each run of numbered attributes that names one product as that product's mention."""
    if words.said is None or not any(w in text for w in words.words):
        return mentions
    runs: list[tuple[int, int, set[str]]] = []
    for m in words.said.finditer(text):
        attribute = f"{m.group(1)}-{m.group(2)}"
        if runs and _GAP.fullmatch(text[runs[-1][1]:m.start()]) and attribute.split("-")[1] not in \
                {a.split("-")[1] for a in runs[-1][2]}:
            runs[-1] = (runs[-1][0], m.end(), runs[-1][2] | {attribute})
        else:
            runs.append((m.start(), m.end(), {attribute}))
    out = list(mentions)
    for a, b, said in runs:
        over = [m for m in out if m.start < b and a < m.end]
        if any(m.strength == Strength.EXACT and m.sku for m in over):
            continue                       # said as the alias is written
        cands = {sku for sku, have in words.attributes.items() if said <= have}
        if not cands:
            continue
        brk = max((s.end() for s in SENTENCE_BREAK.finditer(text, max(0, a - _BACK), a)), default=max(0, a - _BACK))
        picked = _told_by_words(text, brk, a, cands, words, [r for r in runs if brk <= r[0] and r[1] <= a])
        if picked is None:
            continue
        start = a
        lead = [m for m in out if m.end <= a and m.start >= brk and re.fullmatch(r"[\s:：]{0,2}(?:[a-z]{2,6}[\s:：]{1,2})?", text[m.end:a])
                and picked in m.skus and m.strength < Strength.EXACT]
        if lead:
            start = lead[-1].start          # "简影黑 1 gang": the family word said right before is of this line
        # "7 speed red x1": the product's own words said right after the run are of it too
        tail = [m for m in out if b <= m.start <= b + 1 and m.strength < Strength.EXACT
                and _tokens(m.word) and _tokens(m.word) <= words.tokens[picked]]
        b = tail[0].end if tail else b
        gone = [m for m in out if m.start < b and start < m.end and m.strength < Strength.EXACT]
        kept = [m for m in out if not any(m is g for g in gone)]
        if any(m.start < b and start < m.end for m in kept):
            continue
        out = sorted([*kept, Mention(start, b, (picked,), Strength.NAME, text[start:b])], key=lambda m: m.start)
    return out


def _told_by_words(text: str, lo: int, a: int, cands: set[str], words: NumberedWords,
                   before: list[tuple[int, int, set[str]]]) -> str | None:
    """The one of ``cands`` the words before the run name, nearest first: the words since the run before, then
    since the one before that, and so on back to the sentence's start."""
    if len(cands) == 1:
        return next(iter(cands))
    shared = set.intersection(*(set(words.tokens[s]) for s in cands))
    starts = [lo] + [r[1] for r in before]
    stops = [r[0] for r in before] + [a]
    heard: set[str] = set()
    for s, e in reversed(list(zip(starts, stops, strict=True))):
        heard |= _tokens(text[s:e]) - shared - words.words
        if not heard:
            continue
        scores = {sku: len(heard & words.tokens[sku]) for sku in cands}
        best = max(scores.values())
        top = [sku for sku, n in scores.items() if n == best]
        if best and len(top) == 1:
            return top[0]
    return None
