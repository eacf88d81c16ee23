"""Wire sections said the short way: "6方硬线", "4平软线", "六方" are 6 / 4 平方 (mm²) when the catalogue names its
products by 平方, as electricians say them; anywhere else "方" and "平" stay what they are ("方舟", "平板")."""

from __future__ import annotations

import re
from functools import lru_cache

from nlu.products import ProductIndex

# a number, then 方 or 平 alone (not 平方 itself, not 平米 / 方米 of an area)
_SHORT_SECTION = re.compile(r"(?<![\d.a-z])(\d{1,3}(?:\.\d{1,2})?|[一二两三四五六七八九十]{1,2}(?:点[一二三四五六七八九])?)"
                            r"([方平])(?![方米])")


def sections_spelled(text: str, index: ProductIndex) -> str:
    """``text`` with "6方" / "4平" written "6平方" / "4平方" when the catalogue of ``index`` sells by 平方."""
    if "方" not in text and "平" not in text:
        return text
    if not _sells_by_section(index):
        return text
    return _SHORT_SECTION.sub(lambda m: m.group(1) + "平方", text)


@lru_cache(maxsize=16)
def _sells_by_section(index: ProductIndex) -> bool:
    return any("平方" in e.name for e in index.entries.values())
