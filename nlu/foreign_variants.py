"""A variant word said alone in a list of one series, that the series does not have: "海岸 灰橡10箱 胡桃6箱 柚木4箱"
when only another floor series comes in 柚木, "栖霞18 黑色 10张" when only the edge bands come in black.

The dealer named the series once and goes on saying only the words that tell its products apart; a word that is
no variant of that series is a variant it lacks (named back, "没有找到“柚木”"), not the one product of another series
or size that the word alone would name: that product was never asked for, and the chat would show it as if it were.
A word said with words of its own kind or series ("柚木地板", "黑色封边条", "中筒混色") names its product as before, and
so does a word after a series that tells its products apart by sizes only (no word to miss).
"""

from __future__ import annotations

from collections.abc import Sequence

from nlu.product_words import CJK, Mention, Strength, named_back
from nlu.variants import VariantTable, counted_after, of_other_size, run_size, variant_dimension, variant_word


def foreign_variants(table: VariantTable, text: str, mentions: Sequence[Mention]) -> list[Mention]:
    """``mentions`` with each bare variant word of another series after a line of a series that tells its products
    apart by such words, with a count of its own, as a word named back (``Strength.UNKNOWN``, ``near`` the
    products of the series said)."""
    out = list(mentions)
    lead: Mention | None = None            # the last mention naming products of one series
    run: tuple[int, int, str | None] = (0, 0, None)      # the first mention of lead's series' run
    for n, m in enumerate(mentions):
        series = table.series_of(m.skus) if m.skus else None
        if series is None:
            continue
        if lead is not None and (word := _bare_variant(table, m)) is not None and counted_after(text, m.end) \
                and not CJK.match(text, m.start - 1):        # "中筒混色": a word of its own kind just before it
            home = table.series_of(lead.skus)
            assert home is not None
            if home != series and _tells_by(table, home, word):
                out[n] = Mention(m.start, m.end, (), Strength.UNKNOWN, named_back(m.word), near=table.members[home])
                continue
            if home == series and m.sku is not None and (size := run_size(table, text, *run)) is not None \
                    and of_other_size(table, m.sku, size):
                # "封边条45的 灰橡7卷 黑色3卷" when only the 22mm bands come in black: not the 22mm black
                near = tuple(s for s in table.members[home] if size in table.variants[s])
                out[n] = Mention(m.start, m.end, (), Strength.UNKNOWN, named_back(m.word), near=near)
                continue
        if lead is None or table.series_of(lead.skus) != series:
            run = (m.start, m.end, m.sku)
        lead = out[n]
    return out


def _bare_variant(table: VariantTable, m: Mention) -> str | None:
    """The variant word ``m`` is written as, when that is all it says ("柚木", "黑色", "natural", "烟熏" of 烟熏橡):
    a word of each of its products' variants (or, in Chinese, the start of one)."""
    if m.strength >= Strength.EXACT:
        return None
    word = variant_word(m.word.strip().removesuffix("的"))
    if variant_dimension(word) != "word":
        return None
    for sku in m.skus:
        own = table.variants.get(sku, frozenset())
        if word not in own and not (CJK.fullmatch(word) and len(word) >= 2 and any(v.startswith(word) for v in own)):
            return None
    return word


def _tells_by(table: VariantTable, series: str, word: str) -> bool:
    """Whether ``series`` tells its products apart by words like ``word`` (colours, grades) and not by this one."""
    members = table.members[series]
    words = [w for w in table.words.get(series, ()) if not all(w in table.variants[s] for s in members)]
    return bool(words) and word not in words and not any(w.startswith(word) for w in words)
