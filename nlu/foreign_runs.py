"""Variant words said together after a line of a series, that name only another series' product: "弹力王 白18L 6
米黄18L 3" when only another exterior paint comes in beige 18 L, "银盾5w40 4升 9桶 5w40 1升 6瓶" when only the other
brand's 5W-40 comes in 1 L, "双层气泡 1米 10卷 50cm 4卷" when only the single-layer film is 50 cm wide.

The dealer named the series once and goes on with the words that tell its products apart (a grade, a colour, a
size, or several of them); words the series has no product for are a variant it lacks, named back, not the one
product of another series the words alone would name (``nlu.foreign_variants`` does the same for one word). The
words must be all the mention says (no series word of its own), and of the kinds the series tells its products
apart by (a width after a film sold by widths, not a colour after a series with none).
"""

from __future__ import annotations

from collections.abc import Sequence

from nlu.english_variants import VARIANT_WORDS
from nlu.product_words import CJK, Mention, Strength, named_back
from nlu.variants import VariantTable, counted_after, variant_dimension, variant_word


def foreign_runs(table: VariantTable, text: str, mentions: Sequence[Mention]) -> list[Mention]:
    """``mentions`` with each run of another series' variant words that the series said before lacks (see the
    module docstring) as a word named back (``Strength.UNKNOWN``, ``near`` the products of the series said)."""
    out = list(mentions)
    lead: Mention | None = None            # the last mention naming products of one series
    for n, m in enumerate(mentions):
        if not m.skus or table.series_of(m.skus) is None:
            continue
        if lead is not None and foreign_run(table, text, lead, m):
            home = table.series_of(lead.skus)
            assert home is not None
            out[n] = Mention(m.start, m.end, (), Strength.UNKNOWN, named_back(m.word), near=table.members[home])
            continue
        lead = m
    return out


def foreign_run(table: VariantTable, text: str, lead: Mention, m: Mention) -> bool:
    """Whether ``m``, said with a count of its own after ``lead`` (a line of one series), is only variant words of a
    product of another series that ``lead``'s series has no product for (see the module docstring)."""
    home = table.series_of(lead.skus)
    series = table.series.get(m.sku or "")
    if home is None or series is None or series == home or series not in table.members \
            or home.startswith(series) or series.startswith(home):       # a brand's catch-all series: no sibling
        return False
    if not counted_after(text, m.end) or CJK.match(text, m.start - 1):
        return False
    runs = table.runs(text, series, m.start, m.end)
    if len(runs) != 1 or text[m.start:runs[0][0]].strip() or text[runs[0][1]:m.end].strip(" 的"):
        return False
    said = runs[0][2]
    return len(said) >= 2 and all(_continues(table, home, word) for word in said) \
        and table.resolve(home, said, lead.sku) == ()


def _continues(table: VariantTable, home: str, word: str) -> bool:
    """Whether ``word`` is one of the kind ``home`` tells its products apart by, said as a line of ``home``: a
    colour or finish (not "藤席", "白啤": a product of its own), a size or grade of a kind its products come in, and
    not another value of a kind all of them share ("12丝" after the 8丝 bags names the thicker series on purpose)."""
    kind = variant_dimension(word)
    if kind == "word" and variant_word(word) not in VARIANT_WORDS:
        return False
    values = {v for sku in table.members[home] for v in table.variants[sku] if variant_dimension(v) == kind}
    return bool(values) and (len(values) > 1 or word in values)
