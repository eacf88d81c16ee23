"""A series word that another series' name carries with a model letter glued on: "守望" of 守望 (录像机) and 守望P
(PoE 录像机), "X5" of X5 and X5s.

Said without the letter, the word names the plain series: "守望 4路" is the 守望 4-channel one, not the 守望P's, as
"X5 黑色" is no X5s. ``plain_series`` keeps, of the series a word and its variants fit, those whose name has the word
as said; when none or all of them do, it keeps them all.
"""

from __future__ import annotations

import re
from collections.abc import Sequence


def plain_series(word: str, fits: Sequence[str]) -> list[str]:
    """Those of the series names ``fits`` that carry ``word`` with no model letter or digit glued after it."""
    if not word:
        return list(fits)
    lettered = re.compile(re.escape(word) + r"[a-z0-9]")
    plain = [name for name in fits if word in name.replace(" ", "") and not lettered.search(name.replace(" ", ""))]
    return plain if plain and len(plain) < len(fits) else list(fits)
