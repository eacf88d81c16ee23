"""One normal form for typed text: full-width to half-width (ＡＰ３００ -> AP300, ，-> ,), lower case.

Every offline step (product spans, quantities, dates, the classifier) works on the same normalized
string, so positions found by one step are valid for the others.
"""

from __future__ import annotations

import re
import unicodedata

# NFKC leaves these Chinese marks alone; they separate clauses like their ASCII cousins
_PUNCT = str.maketrans({"。": ".", "～": "~", "【": "[", "】": "]", "「": '"', "」": '"', "“": '"',
                        "”": '"', "‘": "'", "’": "'", "—": "-", "－": "-", "×": "x", "＊": "*"})


def normalize(text: str) -> str:
    """Half-width, lower case, one line; the length may differ from ``text`` (NFKC)."""
    folded = unicodedata.normalize("NFKC", text).translate(_PUNCT).lower()
    lines = folded.splitlines()
    if sum(1 for line in lines if _LIST_INDEX.match(line)) >= 2:    # "1 刀具7件套 4套\n2 磨刀器 24个": a numbered list
        lines = [_LIST_INDEX.sub("", line, count=1) for line in lines]
    return " ".join(" ".join(lines).split())


# the number of a list's line: 1-2 digits, a mark or a space, then a line that has a count of its own
_LIST_INDEX = re.compile(r"^\s*\d{1,2}(?:\s*[.、)）:：]\s*|\s+)(?=[^\d\s].*(?<![a-wyz\d\-])\d)")
