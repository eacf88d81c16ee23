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


# a weight or a volume in an alias ("面包粉1公斤", "白砂糖2斤", "淡奶油1L", "糖粉500g"), with no digit or letter after it
_MEASURE_IN_ALIAS = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s?(公斤|千克|kg|斤|克|g|毫升|ml|升|l)(?![a-z\d])")
# each unit as grams or millilitres, and its kind
_MEASURE_UNITS: dict[str, tuple[str, int]] = {
    "公斤": ("w", 1000), "千克": ("w", 1000), "kg": ("w", 1000), "斤": ("w", 500), "克": ("w", 1), "g": ("w", 1),
    "毫升": ("v", 1), "ml": ("v", 1), "升": ("v", 1000), "l": ("v", 1000)}


def _amount(value: float) -> str | None:
    """``value`` as a dealer writes it ("1", "2.5"), or None when it needs more than one decimal."""
    if value != round(value, 1) or value <= 0:
        return None
    return str(int(value)) if value == int(value) else str(value)


def measure_spellings(alias: str) -> list[str]:
    """``alias`` with its one weight or volume counted in another unit a dealer uses for it: "面包粉1公斤" ->
    "面包粉2斤", "面包粉1000g"; "白砂糖2斤" -> "白砂糖1kg", "白砂糖1公斤"; "淡奶油1L" -> "淡奶油1000ml". The same
    number in another spelling of its unit ("1kg" of "1公斤") is left to the names: "精准1ml" may be every 1 ml product
    of the series, whatever alias "精准1毫升" says. An alias with no such measure, or with two, has none."""
    found = list(_MEASURE_IN_ALIAS.finditer(alias))
    if len(found) != 1 or not (alias[:found[0].start()] + alias[found[0].end():]).strip():
        return []
    m = found[0]
    kind, per = _MEASURE_UNITS[m.group(2)]
    base = float(m.group(1)) * per
    out: list[str] = []
    for unit, (other_kind, other_per) in _MEASURE_UNITS.items():
        if other_kind != kind or unit == m.group(2):
            continue
        number = _amount(base / other_per)
        if number is None or number == _amount(float(m.group(1))) or len(number.replace(".", "")) > 4:
            continue
        out.append(alias[:m.start()] + number + unit + alias[m.end():])
    return out
