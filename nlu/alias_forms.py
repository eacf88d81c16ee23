"""The other forms of a catalogue alias a dealer writes (``nlu.product_keys`` makes keys of them): the plural of
its last English word, its count of layers in the other numeral ("三层" <-> "3层"), the unit its bare last number
has in the product's name ("栖霞暖白18" -> "栖霞暖白18mm"), and whether an English kind word is only some products'."""

from __future__ import annotations

import re
from collections.abc import Sequence

from nlu.schema import CatalogueEntry

_CN_SMALL = "一二三四五六七八九"
_LAYERS = re.compile(rf"(?<![\d{_CN_SMALL}十])([1-9{_CN_SMALL}])(?=层)")


def plural(alias: str) -> str | None:
    """``alias`` with its last English word of three letters or more in the plural ("heavy zip bag 12号" -> "heavy
    zip bags 12号"), or None when it has none."""
    words = list(re.finditer(r"(?<![a-z])[a-z]{3,}(?![a-z])", alias))
    if not words:
        return None
    w = words[-1]
    word = w.group(0)
    if re.search(r"(?:s|x|ch|sh)$", word):
        spelled = word + "es"
    elif re.search(r"[^aeiou]y$", word):
        spelled = word[:-1] + "ies"
    else:
        spelled = word + "s"
    return alias[:w.start()] + spelled + alias[w.end():]


def layer_numerals(key: str) -> list[str]:
    """``key`` with the count of its layers in the other numeral ("三层7号" <-> "3层7号"), when it has one."""
    def swap(m: re.Match[str]) -> str:
        c = m.group(1)
        return str(_CN_SMALL.index(c) + 1) if c in _CN_SMALL else _CN_SMALL[int(c) - 1]
    other = _LAYERS.sub(swap, key)
    return [other] if other != key else []


# an alias ending in a bare number ("E0颗粒板18", "栖霞暖白18") and the unit the product's name gives that number
_BARE_END = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)$")
_NAME_UNIT = r"\s?(mm|cm|kg|ml|l|g|m)(?![a-z])"


def unit_written(alias: str, name: str) -> str | None:
    """``alias`` with the unit its last number has in ``name`` ("e0颗粒板18" -> "e0颗粒板18mm" of a name saying
    "18mm"): a dealer writes the size with its unit where the catalogue's alias leaves it off."""
    end = _BARE_END.search(alias)
    if end is None or not re.search(r"\D", alias):
        return None
    unit = re.search(rf"(?<![\d.]){re.escape(end.group(1))}{_NAME_UNIT}", name)
    return alias + unit.group(1) if unit is not None else None


ENGLISH_SAID = re.compile(r"[a-z0-9.\s\-/+]+")


def partly_said(owners: set[str], english_said: set[str], catalogue: Sequence[CatalogueEntry]) -> bool:
    """"lock" of "sliding door lock" and "glass door lock" in a catalogue that says its other locks in Chinese only
    (木门锁 黑色, 卫生间锁 枪灰): the English word is no word of the kind, only of the products that happen to have
    English aliases; as a key it would read "bathroom lock black" as the one black lock with an English alias."""
    kinds = {e.category for e in catalogue if e.sku in owners and e.category}
    return any(e.category in kinds and e.sku not in owners and e.sku not in english_said for e in catalogue)
