"""The one product a question or a problem names with words that each name several: "防冻液-45小桶库存多少"
(the antifreeze series, then its -45 and small-drum variants), "电机 ... 800瓦那个" (the motors, and the 800 W ones
of any kind), "any 40 cold pipe in stock" (a size said before the series).

``nlu.offline`` takes a product named alone by one word first; this reading is asked only when no word names one
product by itself. Each word that names several products of one series is narrowed by the variant words said next
to it (``VariantTable.runs``, as the order lines of a series are read), and a product is *the* product when it is the
only one every such word agrees on: named by two words or more, no other product named as often, no word naming
only products besides it. Variants said twice ("2.0 price? 还有 1.5") name two products: none is *the* product.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence

from nlu.product_words import Mention, Strength
from nlu.variants import VariantTable


def _narrowed(text: str, table: VariantTable, mentions: Sequence[Mention], i: int) -> tuple[str, ...] | None:
    """The products ``mentions[i]`` names with the variants said next to it (before it, back to the word before,
    and after it, up to the word after); None when those variants name several products."""
    m = mentions[i]
    series = table.series_of(m.skus) if len(m.skus) > 1 else None
    if series is None:
        return m.skus
    lo = mentions[i - 1].end if i else 0
    hi = mentions[i + 1].start if i + 1 < len(mentions) else len(text)
    found: set[str] = set()
    like: str | None = None
    runs = [*table.runs(text, series, lo, m.start), *table.runs(text, series, m.end, hi)]
    for _, _, said in runs:
        # a run after another says what differs from the product before ("-40小桶和大桶": the big -40 one)
        picked = table.resolve(series, said, like, within=m.skus)
        if picked:
            found.update(picked)
            like = picked[0]
    if len(found) > 1:
        return None
    return tuple(found) or m.skus


def asked_product(text: str, mentions: Sequence[Mention], table: VariantTable,
                  piece_of_name: Callable[[str], bool]) -> str | None:
    """The product the words of ``mentions`` in ``text`` (blanked) agree on, or None."""
    named = [m for m in mentions if m.skus]
    if not named:
        return None
    strong = {s for m in named if m.strength >= Strength.NAME and len(m.skus) == 1 for s in m.skus}
    if len(strong) == 1:
        # "T7烟机 吸力很小", "210黑装上去打印有黑道": beside a product named by its own words, a piece of another
        # product's name ("吸力" of "大吸力") or a word only sounding like one is what is wrong, not a second product
        named = [m for m in named if not (m.strength == Strength.CATEGORY and len(m.skus) == 1
                                          and m.skus[0] not in strong
                                          and (piece_of_name(m.word) or m.word != text[m.start:m.end]))]
    sets: list[tuple[str, ...]] = []
    for i in range(len(named)):
        skus = _narrowed(text, table, named, i)
        if skus is None:
            return None
        sets.append(skus)
    if len(sets) == 1:
        return sets[0][0] if len(sets[0]) == 1 else None
    counts = Counter(s for skus in sets for s in set(skus))
    (best, most), *rest = counts.most_common(2) + [("", 0)]
    if most < 2 or rest[0][1] == most:
        return None
    # a word naming only other products ("AP300" said beside "电机 800瓦") is a second product named
    if any(best not in skus and len(skus) == 1 for skus in sets):
        return None
    return best


def other_variant_said(text: str, mentions: Sequence[Mention], table: VariantTable) -> bool:
    """Whether, after a product named alone, another variant of its series is said as well ("雪峰黑L 还有吗 没有的话
    黑XL也行", "yinsi 2.0 price? 还有 1.5", "校服150和160价格"): a second product asked about."""
    for i, m in enumerate(mentions):
        sku = m.sku
        series = table.series.get(sku or "")
        if sku is None or series not in table.members:
            continue
        hi = mentions[i + 1].start if i + 1 < len(mentions) else len(text)
        for a, b, said in table.runs(text, series, m.end, hi):
            # said as a second one ("和160", "还有 1.5", "黑XL也行", "128的跟160的"), not what is wrong with the first ("偏绿",
            # "尺寸不对 都是1.2的")
            if not (_JOINED_BEFORE.search(text, max(m.end, a - 6), a) or _JOINED_AFTER.match(text, b)):
                continue
            picked = table.resolve(series, said, sku)
            if picked and picked[0] != sku:
                return True
    return False


_JOINED_BEFORE = re.compile(r"(?:和|跟|与|或者?|还有|以及|、|/|(?<![a-z])(?:and|or|vs)(?![a-z]))[\s的]{0,2}$")
_JOINED_AFTER = re.compile(r"\s?(?:也|呢|的?\s?(?:和|跟|与|或|、|/))")
