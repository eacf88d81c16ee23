"""A size said in another spelling than the series' own: "星光 large 3 small 2" for a series whose names say 大号 /
小号, "kona large 3" for one whose names say L / S, "星光 大3 小2", "大的3个" (the bare 大 / 小 / 中 with a count or
的 right after it). Each size class is one size whatever the language; the series' own word for it is the one of
the class its variant words have (exactly one, else nothing is read)."""

from __future__ import annotations

import re
from collections.abc import Collection

# one class per size, every spelling of it (normalized: lower case)
_CLASSES: tuple[frozenset[str], ...] = (
    frozenset({"特大号", "加大号", "特大", "加大", "xl", "extra large"}),
    frozenset({"大号", "大码", "大", "l", "large", "big", "lg"}),
    frozenset({"中号", "中码", "中", "m", "medium", "med", "mid"}),
    frozenset({"小号", "小码", "小", "s", "small", "sm"}),
)
_CLASS_OF = {said: n for n, group in enumerate(_CLASSES) for said in group}
# the bare Chinese size character, with a count or 的 right after it ("大3", "大的3个", "小 2个"), not 大桶 / 小瓶
BARE_SIZE = re.compile(r"[大中小](?=\s?的|\s?\d|\s?[一二两三四五六七八九十])")


def series_size(said: str, words: Collection[str]) -> str | None:
    """The word of ``words`` (a series' variant words) for the size ``said`` spells, when exactly one is."""
    n = _CLASS_OF.get(said)
    if n is None:
        return None
    own = [w for w in words if _CLASS_OF.get(w) == n]
    return own[0] if len(own) == 1 and own[0] != said else None
