"""A product's own variant words said right after it are its words, never counts.

"金樽53度500礼盒3件" where 金樽 alone already names the one 53° 500 ml gift box (the line's words told it), or
"青花42 gift box 10箱": the degree, the volume, the section said after the product are of its name, so "53" is no
count (it was read as 53 and added to the 3 of the gift box word after it, "56"). The words after a one-product
mention that are all among that product's variants (``nlu.variants``) are taken into its span, and a mention of the
same product right after them (the 礼盒 of "金樽53度500礼盒") joins it: one line, one count.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

from nlu.normalize import normalize
from nlu.product_words import Mention
from nlu.schema import CatalogueEntry
from nlu.variants import VariantTable

# between a product's words and its variants: a space, 的, the 装 of a size ("金樽 53度", "青花的42度", "一斤装 礼盒")
_GAP = re.compile(r"[\s的装]{0,2}")
# between two words of one product: its variant gap, or the + of a cable's cores ("3x6+1x4")
_JOINED = re.compile(r"[\s的装+]{0,2}")
# a length said alone ("100m", "80米", "五十米"), which the coils of several products have in their names
_LENGTH = re.compile(r"(?:\d{1,5}|[一二两三四五六七八九十百]{1,4})\s?(?:米|m)")
# a size said right before a product's words: with its unit, or with a decimal point ("1.5软线 红", "6方硬线")
_SIZE_BEFORE = re.compile(r"(?<![\d.a-z])(\d+(?:\.\d+)?)\s?(平方|平|方|mm2|mm²|ml|l|升|度|米|m)?\s?的?\s?$")
#: how far after a mention its variant words are looked for
_LOOK = 24


def with_own_variants(table: VariantTable, text: str, mentions: list[Mention],
                      names: Mapping[str, CatalogueEntry]) -> list[Mention]:
    """``mentions`` with each one-product mention spanning the variant words of that product said right after it,
    and a size of its name said right before it ("1.5软线 红": 1.5 is no count, and a count is never 1.5)."""
    if not table.members:
        return mentions
    out: list[Mention] = []
    for n, m in enumerate(mentions):
        if _metres_of(text, m, mentions[n - 1] if n else None, mentions[n + 1] if n + 1 < len(mentions) else None, names):
            continue
        m = _sized_before(text, m, names, out[-1].end if out else 0)
        if out and out[-1].sku is not None and out[-1].skus == m.skus and _JOINED.fullmatch(text[out[-1].end:m.start]):
            last = out.pop()       # the 礼盒 of "金樽53度500礼盒", reached by the variant words before it
            out.append(Mention(last.start, max(last.end, m.end), last.skus, max(last.strength, m.strength), last.word))
            continue
        nxt = mentions[n + 1] if n + 1 < len(mentions) else None
        out.append(_spanning(table, text, m, nxt if nxt is not None and nxt.skus == m.skus else None))
    return out


def _spanning(table: VariantTable, text: str, m: Mention, same: Mention | None) -> Mention:
    """``m`` up to the end of its own variant words ("金樽" of "金樽53度500礼盒"); a bare number ("500" of 500ml) only
    when more of the line follows it (a count, a word of the product: "青花42 gift box 10箱"), never as the last word
    (the "5" of "jwb-y5 5" is its count)."""
    sku = m.sku
    series = table.series.get(sku or "")
    if sku is None or series is None or series not in table.members:
        return m
    own = table.variants[sku]
    numbers = {re.match(r"[\d.]+", v).group(0) for v in own if re.match(r"\d", v)}  # type: ignore[union-attr]
    stop = min(len(text), m.end + _LOOK)
    runs = [(a, b, said) for a, b, said in table.runs(text, series, m.start, stop) if b > m.end]
    end = kept = m.end
    while True:
        at = _GAP.match(text, end).end()       # type: ignore[union-attr]
        run = next((r for r in runs if r[0] <= at < r[1]), None)
        if run is not None and all(w in own for w in run[2]):
            # "黄色的 10" read as yellow 10kg: the bare number at its end is a size only as ``_BARE`` allows
            tail = re.search(r"(?<![\d.])[\d.]+$", text[run[0]:run[1]])
            if tail is None:
                end = kept = run[1]
                continue
            if run[0] + tail.start() > at:
                end = kept = run[0] + tail.start()
                continue
        bare = _BARE.match(text, at)
        if bare is not None and bare.group(1) in numbers:
            end = bare.end()
            continue
        if end > kept and (re.match(r"\d", text[at:at + 1]) or same is not None and same.start == at):
            kept = end             # the bare number had more of its line after it
        break
    if kept == m.end:
        return m
    return Mention(m.start, kept, m.skus, m.strength, m.word, m.near)


# a number said without its unit, not a count with its unit ("500", never "500箱")
_BARE = re.compile(r"(\d+(?:\.\d+)?)(?![\d.])(?!\s?[个台箱件套支盒包片组条瓶桶袋卷只根块张双对罐提把副盘捆听打])")


def _sized_before(text: str, m: Mention, names: Mapping[str, CatalogueEntry], floor: int) -> Mention:
    entry = names.get(m.sku or "")
    size = _SIZE_BEFORE.search(text, max(floor, m.start - 12), m.start) if entry is not None else None
    if size is None or entry is None or not (size.group(2) or "." in size.group(1)):
        return m
    if not re.search(rf"(?<![\d.]){re.escape(size.group(1))}(?![\d.])", _name(entry.name)):
        return m
    return Mention(size.start(), m.end, m.skus, m.strength, m.word, m.near)


@lru_cache(maxsize=4096)
def _name(name: str) -> str:
    return normalize(name)


def _metres_of(text: str, m: Mention, before: Mention | None, after: Mention | None,
               names: Mapping[str, CatalogueEntry]) -> bool:
    """Whether ``m`` is a length said of a product sold by the metre next to it ("YJV 3x6+1x4 100m", "卖了80米 yjv
    3*4+1*2.5"): its count, in the unit written, not the 100 m coils of the wires."""
    if m.sku is not None or len(m.skus) < 2 or not _LENGTH.fullmatch(m.word.strip()):
        return False
    near = [x for x in (before, after) if x is not None and x.sku is not None and not re.search(
        r"[,，;；。\n]", text[min(x.end, m.end):max(x.start, m.start)])]
    return any((entry := names.get(x.sku or "")) is not None and entry.unit == "米" for x in near)
