"""A size said once for the kinds listed after it: "20的弯头 三通 直接 各两包", "都要20的 弯头300 三通200".

A size said with 的 (or a unit) and no count of its own, then words of several products each (kinds of one trade:
every 弯头, every 三通): each kind is the one of that size, as the catalogue calls it by the kind and the size
together ("20弯头" or "弯头20"). The size reaches the kinds up to the end of the sentence or another size; a kind
the catalogue has no product of that size for stays what it was (asked about).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping

from nlu.numbers import parse_int
from nlu.product_words import SENTENCE_BREAK, Mention, Strength, compact
from nlu.variants import counted_after

# "20的", "二十的", "20mm的": a size said as a size (the 的 of "the 20 one"), never a count
_SIZE = re.compile(r"(?<![\d.a-z])(\d{1,3}|[一二两三四五六七八九十]{1,3})(?:\s?mm)?\s?的")
# a kind word with its own size or count glued after it
_OWN_SIZE = re.compile(r"\s?(?:\d|[一二两三四五六七八九十])")
#: how far after the size its kinds are looked for
_AHEAD = 32


def with_shared_sizes(text: str, mentions: list[Mention],
                      exact: Mapping[str, tuple[Strength, Collection[str]]]) -> list[Mention]:
    """``mentions`` with each kind listed after a shared size as the product of that size."""
    if "的" not in text:
        return mentions
    out = list(mentions)
    for s in _SIZE.finditer(text):
        if counted_after(text, s.end()):
            continue                       # "弯头 20的 200个": the size of the line before, with its count
        size = s.group(1) if s.group(1).isdigit() else str(parse_int(s.group(1)) or "")
        if not size:
            continue
        stop = min(len(text), s.end() + _AHEAD)
        brk = SENTENCE_BREAK.search(text, s.end(), stop)
        stop = brk.start() if brk else stop
        if (other := _SIZE.search(text, s.end(), stop)) is not None:
            stop = other.start()
        kinds = [m for m in out if s.end() <= m.start < stop and m.sku is None and len(m.skus) > 1]
        named: list[tuple[Mention, str]] = []
        for m in kinds:
            word = compact(m.word)
            hits = {sku for said in (word + size, size + word)
                    if (h := exact.get(said)) is not None and len(h[1]) == 1 for sku in h[1] if sku in m.skus}
            if len(hits) == 1:
                named.append((m, hits.pop()))
        if len(named) < 1 or (len(named) == 1 and len(kinds) == 1 and not _own_count(text, named[0][0])):
            continue
        for m, sku in named:
            out = [x if x is not m else Mention(m.start, m.end, (sku,), Strength.NAME, m.word) for x in out]
        # the size only led its lines: a weak mention of it names nothing
        out = [x for x in out if not (s.start() <= x.start and x.end <= s.end() and x.strength < Strength.EXACT)]
    return out


def _own_count(text: str, m: Mention) -> bool:
    """"20的 弯头300": the kind has its count right after it."""
    return _OWN_SIZE.match(text, m.end) is not None
