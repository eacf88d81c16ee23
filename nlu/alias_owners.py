"""A word several product lines share in their names, that the maker's aliases give to one line only.

"雪岭200g" reads as the 200 g of every 雪岭 butter (雪岭无盐发酵黄油, 雪岭有盐黄油), but the maker wrote the aliases
"雪岭小块", "雪岭一磅", "雪岭大块" for the unsalted line alone and named the others by the words that set them apart
("有盐黄油200g"): the bare word is what the trade calls that line. So a size read in several lines, said with such
a word, is read in that line. A word the aliases of two lines begin with ("通畅16" and "通畅10" of two kinds of
tube), or one product's alias alone begins with, tells no line: the mention stays as it was.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from nlu.normalize import normalize
from nlu.product_words import Mention
from nlu.schema import CatalogueEntry

# a word of the line: a run of Chinese characters (a brand, a series, a kind); two characters at least
_WORD = re.compile(r"[\u4e00-\u9fff]{2,}")
# what sets a line's products apart in its name: a token with a digit in it ("200g", "1kg", "6寸", "12连")
_SIZE_TOKEN = re.compile(r"\S*\d\S*")
# between a word and the size said after it: a space, 的
_JOINED = re.compile(r"[\s的]{0,2}")


def _line(name: str) -> str:
    return " ".join(_SIZE_TOKEN.sub(" ", normalize(name)).split())


@dataclass
class AliasOwners:
    """The catalogue's lines (the products whose names differ only in their sizes): their names and, per product,
    its aliases."""

    line_of: dict[str, str]
    aliases: dict[str, tuple[str, ...]]
    _owner: dict[str, str | None] = field(default_factory=dict)

    def owner(self, word: str) -> str | None:
        """The one line whose name has ``word`` and whose aliases begin with it, for two of its products or more;
        None when no line or several lines' aliases begin with it."""
        if word not in self._owner:
            if len(self._owner) > 4096:         # the words of many messages: keep the cache small
                self._owner.clear()
            begun: dict[str, int] = {}
            for sku, line in self.line_of.items():
                if word in line and any(a.startswith(word) for a in self.aliases[sku]):
                    begun[line] = begun.get(line, 0) + 1
            only = list(begun.items())
            self._owner[word] = only[0][0] if len(only) == 1 and only[0][1] >= 2 else None
        return self._owner[word]


def alias_owners_of(entries: Iterable[CatalogueEntry]) -> AliasOwners:
    """The lines of the catalogue and the aliases of its products, read once."""
    entries = list(entries)
    return AliasOwners({e.sku: _line(e.name) for e in entries},
                       {e.sku: tuple(normalize(a) for a in e.aliases) for e in entries})


def with_alias_owners(text: str, mentions: list[Mention], owners: AliasOwners) -> list[Mention]:
    """Each size read in several lines narrowed to the line that owns a word said with it ("雪岭200g", "雪岭 200g")."""
    out: list[Mention] = []
    for k, m in enumerate(mentions):
        said = text[m.start:m.end]
        # a size said, read in several lines: not a word of a kind ("啤酒", "遥控器"), which stays generic
        if len(m.skus) > 1 and all(s in owners.line_of for s in m.skus) and re.search(r"\d", said):
            if k and _JOINED.fullmatch(text[mentions[k - 1].end:m.start]):
                said = text[mentions[k - 1].start:mentions[k - 1].end] + " " + said
            lines = {owners.line_of[s] for s in m.skus}
            for word in _WORD.findall(said):
                line = owners.owner(word)
                if line is not None and line in lines and len(lines) > 1 and all(word in x for x in lines):
                    m = replace(m, skus=tuple(s for s in m.skus if owners.line_of[s] == line))
                    break
        out.append(m)
    return out
