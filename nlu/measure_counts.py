"""How much of a cloth, a yarn or a cable was said in a measure the quantity reader keeps for sizes: "50kg" of a
knit sold by the 公斤 is 50 公斤 of it, "5匹" of a fabric sold by the 公斤 or the 米 is 5 bolts (a product sold by
weight or length has no horsepower). Rewritten in place, one character for one, so every span found stays put."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from nlu.product_words import Mention
from nlu.schema import CatalogueEntry

_WEIGHT = frozenset({"公斤", "千克", "kg"})
_BY_WEIGHT_OR_LENGTH = _WEIGHT | {"米", "m"}
# a count in a measure unit: "50kg", "25 kg", "五匹", "3匹"
_MEASURED = re.compile(r"(?<![\d.a-z])(\d{1,5}|[一二两三四五六七八九十百千]{1,4})\s?(kg|匹)(?![a-z\d])")


def measures_as_counts(text: str, mentions: Sequence[Mention], entries: Mapping[str, CatalogueEntry]) -> str:
    """``text`` with "NNkg" written "NN公斤" and "NN匹" written "NN卷" where the product said last before them is
    sold by weight (kg) or by weight or length (匹)."""
    def sold_by(pos: int) -> set[str]:
        before = [m for m in mentions if m.skus and m.end <= pos]
        if not before:
            return set()
        last = max(before, key=lambda m: m.end)
        return {(entries[s].unit or "").strip().lower() for s in last.skus if s in entries}

    def rewrite(m: re.Match[str]) -> str:
        units = sold_by(m.start())
        if not units:
            return m.group(0)
        if m.group(2) == "kg" and units <= _WEIGHT:
            return m.group(0)[:-2] + "公斤"
        if m.group(2) == "匹" and units <= _BY_WEIGHT_OR_LENGTH:
            return m.group(0)[:-1] + "卷"
        return m.group(0)

    return _MEASURED.sub(rewrite, text) if ("kg" in text or "匹" in text) else text
