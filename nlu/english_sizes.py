"""An English kind word with a size, for a catalogue written in Chinese: "elbow 20 三包", "need 20 elbows 200pcs and
25 elbows 100pcs", "hot pipe 20 40 pcs, 25 20 pcs, 32 10 pcs".

The glossary (``nlu.glossary``) gives an English word the products of its Chinese words ("elbow": every 弯头); the
size said next to it ("20", "20mm", before or after the word) names the one of them the catalogue calls by the
Chinese word and that size together ("20弯头" or "弯头20", an alias or a name). A size said alone after such a line,
with a count of its own ("25 20 pcs"), is the same kind in that size. Nothing is named when the Chinese word and
the size name no product, or several.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping

from nlu.glossary import GLOSSARY
from nlu.product_words import SENTENCE_BREAK, Mention, Strength, compact
from nlu.variants import counted_after

# a size: a bare number (millimetres, said or not), a weight or volume glued to its unit ("1kg", "2.5kg", "500ml"),
# or a number with the Chinese unit names glue to it, as ``nlu.english_units`` writes the English ones ("16口" of
# "16 port", "8路" of "8ch")
_SIZE = r"\d{1,3}(?:\.\d{1,2})?(?:kg|g|ml|l)(?![a-z])|\d{1,3}(?:路|口|寸)?"
# a size said right after the word ("elbow 20", "hot pipe 20mm"), never glued to a count's x
_AFTER = re.compile(rf"\s?({_SIZE})(?:\s?mm)?(?![\d.a-z])")
# a size said right before it ("20 elbows", "20mm cold pipe"), not a count with its unit
_BEFORE = re.compile(rf"(?<![\d.x×*])({_SIZE})(?:\s?mm)?\s?(?:the\s)?\Z")
# a size alone after a line, with its own count ("25 20 pcs", ", 32 x10")
_ALONE = re.compile(rf"(?:^|(?<=[\s,，;；]))({_SIZE})(?:\s?mm)?(?=\s)")
# the English words right before a size ("hot pipe " of "hot pipe 20")
_WORDS_BEFORE = re.compile(r"(?<![a-z])((?:[a-z]+ ){1,3})\Z")
#: how far after a line its sizes alone are looked for
_AHEAD = 40


def with_english_sizes(text: str, mentions: list[Mention],
                       exact: Mapping[str, tuple[Strength, Collection[str]]]) -> list[Mention]:
    """``mentions`` with each English kind word and its size as the one product they name together."""
    if not re.search(r"[a-z]{3}", text):
        return mentions
    out = list(mentions)
    for m in list(out):
        kind = _kind_word(m.word) or _kind_before(text, m)
        if kind is None or not any(x is m for x in out):
            continue
        word, size = kind
        chinese = GLOSSARY[word]
        skus = m.skus if m.sku is None else ()

        def named(size: str, chinese: tuple[str, ...] = chinese, skus: tuple[str, ...] = skus) -> str | None:
            hits = {sku for c in chinese for said in (c + size, size + c)
                    if (h := exact.get(compact(said))) is not None and len(h[1]) == 1 for sku in h[1]}
            hits = {s for s in hits if s in skus} if skus else hits
            return hits.pop() if len(hits) == 1 else None

        if size is not None:
            # "elbow 20", "hot pipe 20": the word and its size read as one already
            sku = m.sku if m.sku is not None and named(size) in (m.sku, None) else named(size)
            if sku is None or not counted_after(text, m.end):
                continue
            if m.sku is None:
                out = _put(out, Mention(m.start, m.end, (sku,), Strength.NAME, m.word))
            out = _alone_after(text, m.end, named, out)
            continue
        after = _AFTER.match(text, m.end)
        before = _BEFORE.search(text, max(0, m.start - 8), m.start)
        line: tuple[int, int, str] | None = None
        if after is not None and (sku := named(after.group(1))) is not None and counted_after(text, after.end()):
            line = (m.start, after.end(), sku)
        elif before is not None and (sku := named(before.group(1))) is not None and counted_after(text, m.end):
            # "20 elbows 200pcs": a number before the word is its size only when a count follows ("need 4 tyres":
            # the 4 is how many)
            line = (before.start(), m.end, sku)
        if line is None:
            continue
        a, b, sku = line
        out = _put(out, Mention(a, b, (sku,), Strength.NAME, text[a:b]))
        out = _alone_after(text, b, named, out)
    return out


def _kind_before(text: str, m: Mention) -> tuple[str, str | None] | None:
    """"hot pipe 20" read as the product of "20" alone: the glossary words right before its size."""
    if m.sku is None or not re.fullmatch(rf"(?:{_SIZE})(?:mm)?", m.word):
        return None
    words = _WORDS_BEFORE.search(text, max(0, m.start - 24), m.start)
    if words is None:
        return None
    said = words.group(1).split()
    for k in range(len(said)):
        if " ".join(said[k:]) in GLOSSARY:
            return " ".join(said[k:]), re.sub(r"mm$", "", m.word)
    return None


def _kind_word(word: str) -> tuple[str, str | None] | None:
    """The glossary word of a mention's words and the size said with it ("elbow 20" -> elbow, 20), or None."""
    if word in GLOSSARY:
        return word, None
    sized = re.fullmatch(rf"([a-z][a-z ]*[a-z])\s?({_SIZE})(?:mm)?", word)
    if sized is not None and sized.group(1) in GLOSSARY:
        return sized.group(1), sized.group(2)
    return None


def _put(out: list[Mention], new: Mention) -> list[Mention]:
    kept = [x for x in out if not (x.start < new.end and new.start < x.end and x.strength < Strength.EXACT)]
    if any(x.start < new.end and new.start < x.end for x in kept):
        return out
    return sorted([*kept, new], key=lambda x: x.start)


def _alone_after(text: str, b: int, named: Callable[[str], str | None], out: list[Mention]) -> list[Mention]:
    """"hot pipe 20 40 pcs, 25 20 pcs": the sizes said alone after the line, each with its count."""
    stop = min(len(text), b + _AHEAD)
    brk = SENTENCE_BREAK.search(text, b, stop)
    stop = brk.start() if brk else stop
    nxt = next((x.start for x in out if x.start >= b and x.strength >= Strength.CATEGORY and x.skus
                and not x.word[:1].isdigit()), stop)
    for t in _ALONE.finditer(text, b, min(stop, nxt)):
        if not counted_after(text, t.end()) or (sku := named(t.group(1))) is None:
            continue
        before = text[b:t.start()]
        if not re.search(r"\d", before):
            continue                       # the line's own count comes first
        out = _put(out, Mention(t.start(), t.end(), (sku,), Strength.NAME, t.group(0)))
    return out
