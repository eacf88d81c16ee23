"""A product named by a word of its own ("青" of "210青", "l" of "雪峰黑l", "42" of "青花42度礼盒"), and the sibling of
a product a word names: the one product of its series (``nlu.variants``), else of its category, whose name or aliases
say every part of the word (with several, the one whose words share most with the product).

Shared by the lines said by their word after a counted line (``nlu.sibling_lines``), the corrections after a list
(``nlu.line_corrections``) and the lines said after a product taken out (``nlu.removal_lines``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from nlu.normalize import normalize
from nlu.schema import CatalogueEntry
from nlu.variants import VariantTable, variant_word

_PARTS = re.compile(r"\d+(?:\.\d+)?|[a-z]+|[\u4e00-\u9fff]+")


def names_word(entry: CatalogueEntry, word: str) -> bool:
    """Whether ``word`` is said in the product's name or aliases: Chinese anywhere in them ("青" of "210青"), letters
    and numbers as a whole word of them ("l" of "雪峰黑l", "42" of "青花42度礼盒")."""
    spelled = variant_word(word)
    said = [normalize(s) for s in (entry.name, *entry.aliases)]
    if re.fullmatch(r"[\u4e00-\u9fff]+", spelled):
        return any(spelled in s for s in said)
    number = re.match(r"\d+(?:\.\d+)?", spelled)
    token = number.group(0) if number is not None else spelled
    return any(token in re.findall(r"[a-z]+|\d+(?:\.\d+)?", s) for s in said)


def sibling_named(sku: str | None, word: str, table: VariantTable,
                  entries: Mapping[str, CatalogueEntry]) -> str | None:
    """The one other product of ``sku``'s series, else of its category, that ``word`` names, or None."""
    entry = entries.get(sku or "")
    parts = _PARTS.findall(normalize(word))
    if entry is None or not parts:
        return None
    series = table.series.get(entry.sku)
    groups = [table.members.get(series or "", ()),
              [s for s, e in entries.items() if entry.category and e.category == entry.category]]
    for group in groups:
        named = [s for s in group if s != entry.sku and all(names_word(entries[s], p) for p in parts)]
        if len(named) > 1:
            said = _tokens(entry)
            best = max(len(_tokens(entries[s]) & said) for s in named)
            named = [s for s in named if len(_tokens(entries[s]) & said) == best]
        if len(named) == 1:
            return named[0]
        if named:
            return None
    return None


def _tokens(entry: CatalogueEntry) -> set[str]:
    return {t for s in (entry.name, *entry.aliases) for t in _PARTS.findall(normalize(s))}
