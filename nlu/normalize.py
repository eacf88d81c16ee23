"""One normal form for typed text: full-width to half-width (ＡＰ３００ -> AP300, ，-> ,), lower case.

Every offline step (product spans, quantities, dates, the classifier) works on the same normalized
string, so positions found by one step are valid for the others.
"""

from __future__ import annotations

import unicodedata

# NFKC leaves these Chinese marks alone; they separate clauses like their ASCII cousins
_PUNCT = str.maketrans({"。": ".", "～": "~", "【": "[", "】": "]", "「": '"', "」": '"', "“": '"',
                        "”": '"', "‘": "'", "’": "'", "—": "-", "－": "-", "×": "x", "＊": "*"})


def normalize(text: str) -> str:
    """Half-width, lower case, one line; the length may differ from ``text`` (NFKC)."""
    folded = unicodedata.normalize("NFKC", text).translate(_PUNCT).lower()
    return " ".join(folded.split())
