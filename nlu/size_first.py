"""A size said before the kind's words, the English way: "need 500 #5 nylon zips and 300 #8", "sold 16fr foley 40"
name the product the catalogue calls "nylon zip #5", "foley 16fr".

The mention search reads the catalogue's words in their order: "#5" alone may be the nylon or the brass zip (named
back), and "nylon zips" after it names neither. Where a size with its mark ("5号" of "#5", "16fr") is followed by
words that, put before it, spell one product's alias ("nylon zip" + "5号"), the two are written in the alias' order;
the lines after it ("300 #8") then read as that product's siblings. A bare number is never moved: "8 brass zip" may
be eight of them.
"""

from __future__ import annotations

import re
from functools import lru_cache

from nlu.normalize import normalize
from nlu.products import ProductIndex

# a size with its mark ("5号", "16fr", "2.5mm"), then one to three English words
_SIZE_THEN_WORDS = re.compile(r"(?<![a-z0-9.])(\d{1,4}(?:\.\d{1,2})?(?:号|[a-z]{1,4}))((?:\s+[a-z]{2,}){1,3})")
_WORD = re.compile(r"[a-z]+")


def sizes_put_after(text: str, index: ProductIndex) -> str:
    """``text`` (normalized) with each size said before its kind's words written after them, where so written they
    are one product's alias."""
    if not _SIZE_THEN_WORDS.search(text):
        return text
    aliases = _aliases(index)
    out, pos = [], 0
    for said in _SIZE_THEN_WORDS.finditer(text):
        words = list(_WORD.finditer(text, said.start(2), said.end()))
        for n in range(len(words), 0, -1):
            kind = " ".join([*(w.group(0) for w in words[:n - 1]), _singular(words[n - 1].group(0))])
            if len(aliases.get(f"{kind} {said.group(1)}", ())) == 1:
                out.append(f"{text[pos:said.start()]}{kind} {said.group(1)}")
                pos = words[n - 1].end()
                break
    return "".join(out) + text[pos:] if out else text


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


@lru_cache(maxsize=16)
def _aliases(index: ProductIndex) -> dict[str, frozenset[str]]:
    """Each alias (normalized) with the products it names."""
    found: dict[str, set[str]] = {}
    for sku, entry in index.entries.items():
        for alias in entry.aliases:
            found.setdefault(normalize(alias).strip(), set()).add(sku)
    return {alias: frozenset(skus) for alias, skus in found.items()}
