"""Sizes written inside a product name with no space around them: "瞰安星眸400万半球2.8mm", "安存监控硬盘4T",
"瞰安守望16路录像机", "飞链8口PoE交换机".

``nlu.variants`` reads a name as "<series> <variant> ..." split by spaces. Many catalogues glue everything together,
the resolution, the lens, the channels, the capacity or the ports said as numbers with their units in the middle of
the name. Those numbers are what tells the products of one family apart all the same: the name without them is the
series ("瞰安星眸半球"), they are its variants ("400万", "2.8mm"). ``glued_series`` makes that reading; a name with no
size glued in it gives none.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

# a number and its unit inside a word: not part of a code ("q1", "rvv2") nor of a voltage and current ("12v2a")
# (a Chinese unit may run into the next word, "4路poe", "400万25倍"; a latin one ends where its letters do; "100米/卷"
# is what one roll holds, no variant; "2万毫安" is 20000 of another unit). Weights and volumes are not read here:
# "洗衣液3kg", "酱油1.8L" glued in a name are the pack the product comes in, which the pack rules read
# (``nlu.pack_siblings``, ``nlu.measure_counts``); taken as a series' variants they cost other readings
_GLUED = re.compile(r"(?<![a-z0-9.*/\-])(\d+(?:\.\d+)?)(?:(毫米|公分|厘米|万(?![毫安瓦伏米元千克吨])|路|口|倍|匹|寸|米)(?!/)"
                    r"|(mm|cm|tb|t)(?![a-z0-9.*/]))")


def has_glued_size(word: str) -> bool:
    """Whether ``word`` holds a size glued in it ("4路poe录像机"; not "50米/卷", what a roll holds)."""
    return _GLUED.search(word) is not None


def glued_series(name: str) -> tuple[str, list[str]] | None:
    """The series and the sizes of a normalized ``name`` whose sizes are glued into its words
    ("瞰安星眸400万半球2.8mm" -> ("瞰安星眸半球", ["400万", "2.8mm"])), or None when it has none."""
    sizes = [m.group(0) for m in _GLUED.finditer(name)]
    if not sizes:
        return None
    series = re.sub(r"\s+", " ", _GLUED.sub("", name)).strip()
    return (series, sizes) if series else None


# a number and a unit in letters glued to it as an alias may write a size ("2mp", "400w", "4tb"; "超5类", "4寸球机"
# are words, "500 can" a size and a word)
SPELLED_SIZE = re.compile(r"(?<![a-z0-9.*/\-])(\d+(?:\.\d+)?)([a-z]{1,3})(?![a-z])")


def size_spellings(variants: dict[str, frozenset[str]], aliases: dict[str, list[str]],
                   spell: Callable[[str], Iterable[str]]) -> dict[str, str]:
    """Other spellings of the sizes of the names, read from the aliases: "星眸2MP枪机4mm" of "瞰安星眸200万枪机4mm" says
    2mp is 200万 (the one size of the name its alias lacks, the one size of the alias its name lacks). A spelling
    read as two sizes is none."""
    found: dict[str, set[str]] = {}
    for sku, own in variants.items():
        sizes = {v for v in own if v[:1].isdigit()}
        for alias in aliases.get(sku, ()):
            said = {m.group(0): m for m in SPELLED_SIZE.finditer(alias)}
            spelled = {word: next(iter(spell(word)), word) for word in said}
            missing = {v for v in sizes if v not in alias} - set(spelled.values())
            other = [word for word, size in spelled.items() if size not in sizes]
            if len(missing) == 1 and len(other) == 1:
                found.setdefault(other[0], set()).add(next(iter(missing)))
    return {word: sizes.pop() for word, sizes in found.items() if len(sizes) == 1}
