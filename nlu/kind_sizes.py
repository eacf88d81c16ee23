"""A kind word and a size said apart, the count after them: "冷水管二十 三十根", "弯头二十 两包", "PVC 50 20根",
"50 PPR管 5根".

A word of several products (every 冷水管) with a size right after it (in digits or Chinese numerals, with a space
between) or right before it, and then a count, names the one product the catalogue calls by the word and the size
together ("冷水管20", "20弯头" or "弯头20", "50PPR管"). A size with no count after the line, or a word and a size that
name no product or several, are left as they were.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping

from nlu.numbers import parse_int
from nlu.product_words import Mention, Strength, compact
from nlu.variants import counted_after

_CN = "一二两三四五六七八九十"
# a size right after the word: "二十", " 50", "25mm"; never glued to a unit ("三十根" is a count)
_AFTER = re.compile(rf"\s?(\d{{1,3}}|[{_CN}]{{1,3}})(?:\s?mm)?(?![\d.a-z{_CN}个根包盘箱卷袋盒只套件条支米])")
# a size right before the word: "50 PPR管", "20 弯头"
_BEFORE = re.compile(r"(?<![\d.x×*])(\d{1,3})(?:\s?mm)?\s?\Z")


def with_kind_sizes(text: str, mentions: list[Mention],
                    exact: Mapping[str, tuple[Strength, Collection[str]]]) -> list[Mention]:
    """``mentions`` with each kind word and the size said apart from it as the one product they name."""
    out = list(mentions)
    for n, m in enumerate(mentions):
        if m.sku is not None or len(m.skus) < 2 or not any(x is m for x in out):
            continue
        word = compact(m.word)
        if not word or word[-1:].isdigit():
            continue
        after = _AFTER.match(text, m.end)
        nxt = mentions[n + 1].start if n + 1 < len(mentions) else len(text)
        if after is not None and after.end() <= nxt and counted_after(text, after.end()):
            sku = _named(word, _digits(after.group(1)), m.skus, exact)
            if sku is not None:
                out = _put(out, Mention(m.start, after.end(), (sku,), Strength.NAME, text[m.start:after.end()]))
                continue
        prev = mentions[n - 1].end if n else 0
        before = _BEFORE.search(text, max(prev, m.start - 8), m.start)
        if before is not None and counted_after(text, m.end):
            sku = _named(word, before.group(1), m.skus, exact)
            if sku is not None:
                out = _put(out, Mention(before.start(), m.end, (sku,), Strength.NAME, text[before.start():m.end]))
    return out


def _digits(said: str) -> str:
    return said if said.isdigit() else str(parse_int(said) or "")


def _named(word: str, size: str, skus: tuple[str, ...],
           exact: Mapping[str, tuple[Strength, Collection[str]]]) -> str | None:
    if not size:
        return None
    hits = {sku for said in (word + size, size + word) if (h := exact.get(said)) is not None and len(h[1]) == 1
            for sku in h[1] if sku in skus}
    return hits.pop() if len(hits) == 1 else None


def _put(out: list[Mention], new: Mention) -> list[Mention]:
    kept = [x for x in out if not (x.start < new.end and new.start < x.end and x.strength < Strength.EXACT)]
    if any(x.start < new.end and new.start < x.end for x in kept):
        return out
    return sorted([*kept, new], key=lambda x: x.start)
