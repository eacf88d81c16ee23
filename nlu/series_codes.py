"""A series named by its code letter once, then its models by what follows the letter: "H series 5k 3 units 10k 2
units", "grid tie G series: 3k 4, 5k 6", "X系列 6K 两台" are the H5K, H10K, G3K... of a catalogue whose models are
called "H5K", "G3K".

Said alone, "5k" may be the H5K or the G5K (the line is named back); after "H series" it is the H5K. Each size with
its unit letters said after "<letters> series" is written with the letters in front when, so written, it is a code
the catalogue's aliases give one product; the rest of the message (counts, corrections: "change 6k to 4") is read as
if the dealer had typed the codes.
"""

from __future__ import annotations

import re
from functools import lru_cache

from nlu.normalize import normalize
from nlu.products import ProductIndex

# "h series", "g-series:", "x系列": the code letters of a series, said once
_SERIES = re.compile(r"(?<![a-z0-9])([a-z]{1,3})\s?-?\s?(?:series|系列)\b\s?[:：]?")
# a size with its unit letters, said alone ("5k", "10k", "3.6kw"); not a code ("h5k"), not a count ("3")
_SIZE = re.compile(r"(?<![a-z0-9.#])(\d{1,4}(?:\.\d{1,2})?[a-z]{1,3})(?![a-z0-9.])")


def series_codes_spelled(text: str, index: ProductIndex) -> str:
    """``text`` (normalized) with the sizes said after a series' code letters written as that series' codes."""
    said = list(_SERIES.finditer(text))
    if not said:
        return text
    codes = _codes(index)
    out, pos = [], 0
    for k, series in enumerate(said):
        end = said[k + 1].start() if k + 1 < len(said) else len(text)
        letters = series.group(1)
        for size in _SIZE.finditer(text, series.end(), end):
            if len(codes.get(letters + size.group(1), ())) == 1:
                out.append(text[pos:size.start()] + letters + size.group(1))
                pos = size.end()
    return "".join(out) + text[pos:] if out else text


@lru_cache(maxsize=16)
def _codes(index: ProductIndex) -> dict[str, frozenset[str]]:
    """Each alias written as one code ("h5k" of "H5K", "YC-H5K" gives "ych5k"), with the products it names."""
    found: dict[str, set[str]] = {}
    for sku, entry in index.entries.items():
        for alias in entry.aliases:
            code = normalize(alias).replace(" ", "").replace("-", "")
            if re.fullmatch(r"[a-z]{1,3}\d[a-z0-9.]*", code):
                found.setdefault(code, set()).add(sku)
    return {code: frozenset(skus) for code, skus in found.items()}
