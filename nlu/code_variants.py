"""A product code's head said with the product's variant word in place of the code's letters: "QX18 walnut",
"FB22 暖白", "ZQ12 smoked oak" for the products coded "QX18-WN", "FB22-WW", "ZQ12-SM".

Makers code siblings "<head>-<letters>" (the head their series and size, the letters their colour in the maker's own
shorthand: WN, WW, SM); dealers keep the head and say the colour as the name does, in Chinese or English. The letters
are whatever the maker chose, so they are never read: the product's own name says which word it is. Only words of
the name that no other product of the same head has are keys (a word every sibling has tells nothing).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from nlu.english_variants import english_spellings
from nlu.normalize import normalize
from nlu.schema import CatalogueEntry

# a code of a head with digits and a few letters after it: "qx18-wn", "qx18wn", "fb22-ww", "st-qx18-wn" (maker's
# prefix dropped before)
_CODE = re.compile(r"([a-z]{1,4}\d{1,3})-?([a-z]{1,3})")
# a variant word of a name: Chinese, up to four characters, after the name's first word
_WORD = re.compile(r"[\u4e00-\u9fff]{1,4}")


def head_variant_keys(catalogue: Sequence[CatalogueEntry]) -> dict[str, set[str]]:
    """Keys "<head> <variant word>" (also glued, and in English) -> the products they name."""
    heads: dict[str, dict[str, frozenset[str]]] = {}       # head -> sku -> the Chinese variant words of its name
    for e in catalogue:
        words = frozenset(w for token in normalize(e.name).split()[1:] if _WORD.fullmatch(w := token))
        for code in _codes(e):
            if (m := _CODE.fullmatch(code)) is not None:
                heads.setdefault(m.group(1), {})[e.sku] = words
    out: dict[str, set[str]] = {}
    for head, skus in heads.items():
        for sku, words in skus.items():
            others = set().union(*(w for s, w in skus.items() if s != sku))
            for word in words - others:
                for key in (f"{head} {word}", f"{head}{word}", *english_spellings(f"{head}{word}")):
                    out.setdefault(key, set()).add(sku)
    return out


def _codes(e: CatalogueEntry) -> list[str]:
    """The product's codes: its aliases, and its SKU with and without the maker's letters before the first dash."""
    sku = normalize(e.sku)
    rest = sku.split("-", 2)[-1] if sku.count("-") >= 2 else sku
    return [sku, rest, *(normalize(a) for a in e.aliases)]
