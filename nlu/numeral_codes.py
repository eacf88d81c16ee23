"""Sizes said in Chinese numerals before a unit letter, written in digits the way the catalogue writes them:
"曜储 六K 2台 十二K 1台" -> "曜储 6k 2台 12k 1台", "十二V的" -> "12v的", when the catalogue has products called
"…6K", "…12K" or "…12V"; and before a Chinese unit glued in names: "鹰瞳半球八百万的" -> "鹰瞳半球800万的", "四毫米"
-> "4毫米", "十六路" -> "16路", when the catalogue has products called "…800万…", "…4mm", "…16路…".

Read as Chinese, "十二K" is a count (12) and a stray letter: the line's own count after it is then lost. Only the
numbers and letters the catalogue's names and aliases write together are respelled ("五W" stays where nothing is
sold as 5W: "5w" is also 5万), so this is a matter of spelling, never a guess.
"""

from __future__ import annotations

import re
from functools import lru_cache

from nlu.normalize import normalize
from nlu.numbers import parse_int
from nlu.products import ProductIndex

_NUMERALS = "零一二两三四五六七八九十百"
# a number in Chinese numerals (not the end of a longer one), then a unit letter or two ("六k", "十二 v", "三kw")
_SAID = re.compile(rf"(?<![{_NUMERALS}\d.])([{_NUMERALS}]{{1,4}})\s?([a-z]{{1,3}})(?![a-z])")
# a number and its unit letters as names and aliases write them ("6k" of "H6K", "12v" of "12V 7Ah")
_WRITTEN = re.compile(r"(?<![\d.])(\d{1,4})([a-z]{1,3})(?![a-z])")
# a number in Chinese numerals before a Chinese unit of a size ("八百万", "四毫米", "十六路"), and the units as names
# write them glued to digits ("800万", "4mm", "16路")
_UNIT_SAID = re.compile(rf"(?<![{_NUMERALS}千\d.])([{_NUMERALS}千]{{1,5}})(万|路|口|倍|匹|寸|毫米|公分|厘米)")
_UNIT_WRITTEN = re.compile(r"(?<![\d.])(\d{1,5})(万|路|口|倍|匹|寸|毫米|mm|公分|厘米|cm)")
_UNIT_SPELLED = {"毫米": "mm", "公分": "cm", "厘米": "cm"}
# a decimal in Chinese numerals right after such a size ("四百万二点八": 400万, 2.8mm), which ``nlu.spoken_sizes`` leaves
_DECIMAL_SAID = re.compile(r"(?<=[\d万路口倍匹寸米])([一二三四五六七八九十]{1,3})点([零一二三四五六七八九])")
_DECIMAL_WRITTEN = re.compile(r"(?<![\d.])\d{1,3}\.\d(?!\d)")


def numeral_codes_spelled(text: str, index: ProductIndex) -> str:
    """``text`` (normalized) with each Chinese-numeral size before unit letters in digits, where the catalogue of
    ``index`` writes that number with those letters."""
    if _UNIT_SAID.search(text) and (sized := _written_with_units(index)):
        text = _UNIT_SAID.sub(lambda m: _unit_in_digits(m, sized), text)
        text = _DECIMAL_SAID.sub(lambda m: _decimal_in_digits(m, sized), text)
    if not _SAID.search(text):
        return text
    written = _written(index)
    if not written:
        return text
    return _SAID.sub(lambda m: _in_digits(m, written), text)


def _unit_in_digits(m: re.Match[str], written: frozenset[str]) -> str:
    value = parse_int(m.group(1))
    return f"{value}{m.group(2)}" if value is not None \
        and f"{value}{_UNIT_SPELLED.get(m.group(2), m.group(2))}" in written else m.group(0)


def _decimal_in_digits(m: re.Match[str], written: frozenset[str]) -> str:
    value = parse_int(m.group(1))
    said = f"{value}.{parse_int(m.group(2)) or 0}"
    return said if value is not None and said in written else m.group(0)


@lru_cache(maxsize=16)
def _written_with_units(index: ProductIndex) -> frozenset[str]:
    """The numbers with Chinese size units written in the catalogue's names and aliases ("800万", "4mm", "16路"), and
    their decimals ("2.8")."""
    found: set[str] = set()
    for entry in index.entries.values():
        for said in (entry.name, *entry.aliases):
            found.update(n + _UNIT_SPELLED.get(unit, unit) for n, unit in _UNIT_WRITTEN.findall(normalize(said)))
            found.update(_DECIMAL_WRITTEN.findall(normalize(said)))
    return frozenset(found)


def _in_digits(m: re.Match[str], written: frozenset[str]) -> str:
    value = parse_int(m.group(1))
    said = f"{value}{m.group(2)}"
    return said if value is not None and said in written else m.group(0)


@lru_cache(maxsize=16)
def _written(index: ProductIndex) -> frozenset[str]:
    """The numbers with unit letters written in the catalogue's names and aliases ("6k", "12v")."""
    found: set[str] = set()
    for entry in index.entries.values():
        for said in (entry.name, *entry.aliases):
            found.update(n + letters for n, letters in _WRITTEN.findall(normalize(said).replace(" ", "")))
    return frozenset(found)
