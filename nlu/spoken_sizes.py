"""Sizes said in Chinese numerals the way they are spoken or typed by voice, written in digits as the catalogue's
names write them: "四米五" -> "4米5" (4.5 m, read on by ``nlu.normalize``), "零点八" -> "0.8", "十九调" -> "19调",
"三千型" -> "3000型", "伊势尼四号的三十包" -> "伊势尼4号的三十包"; a count glued after the size is kept apart
("五米四两支" -> "5米4 两支").

Only where the words can be nothing but a size: a metre with its tenths, a decimal that is no clock time ("三点半",
"三点五十", "三点五分" stay), a number glued to 调 (a rod's action) or 型 (a model size), and a number with 号 that
has a count right after it ("四号三十包"; "四号到", "四号的订单" stay a day).
"""

from __future__ import annotations

import re

_CN = {c: n for n, c in enumerate("零一二三四五六七八九")} | {"两": 2, "〇": 0}
_DIGIT = "零〇一二两三四五六七八九"
_NUMERAL = f"[{_DIGIT}十]{{1,3}}"
_NOT_AFTER = f"(?<![{_DIGIT}十百千万点几第])"
# a count after a size: a number and a unit ("三十包", "20支", "十轴")
_COUNT = rf"[{_DIGIT}十百\d]+\s?[轴支包个台盒箱把条卷袋件套只瓶桶枚根副]"
# "四米五", "五米四": metres and tenths (not "两米布": no tenths)
_METRE_TENTHS = re.compile(rf"{_NOT_AFTER}([一二两三四五六七八九])米([一二三四五六七八九])"
                           rf"(?=(?:{_COUNT})|[^{_DIGIT}十百千万点]|$)")
# "零点八", "一点五", "零点六二十轴"; not "三点半", "三点五十", "三点五分", "两点一刻"
_DECIMAL = re.compile(rf"{_NOT_AFTER}({_NUMERAL})点([{_DIGIT}])(?=(?:{_COUNT})|[^{_DIGIT}十百千万分钟刻半点]|$)")
# "十九调", "三十七调" (a rod's action), "三千型", "一千型" (a reel's size)
_ACTION = re.compile(rf"{_NOT_AFTER}({_NUMERAL})(?=调)")
_THOUSANDS = re.compile(rf"{_NOT_AFTER}([一二两三四五六七八九])千(?=型)")
# "四号的三十包", "一号十支": a numbered size with its count (a day is said with 到 / 前 / 的订单 after it)
_NUMBERED = re.compile(rf"{_NOT_AFTER}({_NUMERAL})(?=号\s?的?\s?{_COUNT})")
# "七号半", "7号半": the half size between two numbered sizes (gloves, shoes), as the catalogue writes it "7.5号"; not a
# day and a half of it ("3号半价", "4号半天", "5号半夜")
_HALF = re.compile(rf"{_NOT_AFTER}(?<![\d.])({_NUMERAL}|\d{{1,2}})号半(?![价天夜年月点钟小斤])")


def _value(said: str) -> int | None:
    """"十九" -> 19, "三十七" -> 37, "八" -> 8; None for what is no number said so ("一二")."""
    if said == "十":
        return 10
    if len(said) == 1:
        return _CN.get(said)
    if said[0] == "十":
        return 10 + _CN[said[1]] if len(said) == 2 and said[1] in _CN else None
    if said[1] == "十" and said[0] in _CN:
        tail = _CN.get(said[2]) if len(said) == 3 else 0
        return None if tail is None else _CN[said[0]] * 10 + tail
    return None


def _whole(m: re.Match[str]) -> str:
    value = _value(m.group(1))
    return m.group(0) if value is None else str(value)


def _decimal(m: re.Match[str]) -> str:
    value = _value(m.group(1))
    return m.group(0) if value is None else f"{value}.{_CN[m.group(2)]}"


def sizes_in_digits(text: str) -> str:
    """``text`` (lower case, half-width) with spoken sizes in digits; a count glued after a decimal is kept apart
    ("零点六二十轴" -> "0.6 二十轴")."""
    if "号半" in text:
        text = _HALF.sub(lambda m: f"{m.group(1) if m.group(1).isdigit() else _value(m.group(1)) or m.group(1)}.5号",
                         text)
    if not re.search(rf"[{_DIGIT}十]", text):
        return text
    text = _METRE_TENTHS.sub(lambda m: f"{_CN[m.group(1)]}米{_CN[m.group(2)]}"
                             + (" " if re.match(_COUNT, m.string[m.end():]) else ""), text)
    text = _DECIMAL.sub(lambda m: _decimal(m) + (" " if re.match(_COUNT, m.string[m.end():]) else ""), text)
    text = _ACTION.sub(_whole, text)
    text = _THOUSANDS.sub(lambda m: f"{_CN[m.group(1)]}000", text)
    return _NUMBERED.sub(_whole, text)
