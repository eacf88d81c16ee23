"""Integer quantities the way dealers write them: "20", "二十", "两", "一百零五", "俩", "ten", "2k".

``parse_int`` reads a number on its own; ``parse_quantity`` reads one found by ``QUANTITY`` and says
whether it is a whole number (1.5, 一点五 and 1.5k are refused, never rounded).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "俩": 2, "三": 3, "仨": 3, "四": 4, "五": 5, "六": 6,
           "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
EN_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
              "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40,
              "fifty": 50, "hundred": 100, "a dozen": 12, "dozen": 12}

CN_NUM = "[零〇一二两俩三仨四五六七八九十][零〇一二两俩三仨四五六七八九十百千万点]*"
UNITS = ("台", "箱", "件", "个", "套", "支", "盒", "包", "片", "组", "pcs", "pc", "units", "unit", "boxes", "box",
         "sets", "set", "cartons", "carton", "ctns", "ctn", "pieces", "piece")
# a latin unit must end a word ("5 boxes", not "5 boxer"); a Chinese one may run into the next word ("5台AP500")
_UNIT = "|".join(u if not u.isascii() else u + "(?![a-z])" for u in sorted(UNITS, key=len, reverse=True))
_EN = "|".join(sorted(EN_NUMBERS, key=len, reverse=True))
#: a number with an optional unit, in normalized (lower case, half-width) text
QUANTITY = re.compile(
    rf"(?P<num>(?<![a-wyz0-9.])\d+(?:\.\d+)?k?(?![\d.])|{CN_NUM}|(?<![a-z])(?:{_EN})(?![a-z]))\s*(?P<unit>{_UNIT})?")


def parse_int(text: str) -> int | None:
    """The integer ``text`` spells, or None. Handles 十/百/千/万 positions as usually written."""
    text = text.strip()
    if not text:
        return None
    if text.isdigit():
        return int(text)
    if text.lower() in EN_NUMBERS:
        return EN_NUMBERS[text.lower()]
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _UNITS:
            section += (1 if digit is None else digit) * _UNITS[ch]
            digit = None
        elif ch == "万":
            total += (section + (digit or 0)) * 10000
            section, digit = 0, None
        else:
            return None
    return total + section + (digit or 0)


@dataclass(frozen=True)
class Quantity:
    value: int | None          # None: not a whole number (``raw`` says what was written)
    raw: str
    unit: str
    start: int
    end: int


def parse_quantity(m: re.Match[str]) -> Quantity:
    num, unit = m.group("num"), m.group("unit") or ""
    value: int | None
    if num.endswith("k") and num[:-1].replace(".", "", 1).isdigit():
        base = num[:-1]
        value = int(base) * 1000 if base.isdigit() else None
    elif "." in num or "点" in num:
        value = None
    else:
        value = parse_int(num)
    return Quantity(value=value, raw=m.group(0).strip(), unit=unit, start=m.start(), end=m.end())
