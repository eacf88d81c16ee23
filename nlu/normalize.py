"""One normal form for typed text: full-width to half-width (ＡＰ３００ -> AP300, ，-> ,), traditional characters
to simplified (空調被1.8 十條 -> 空调被1.8 十条: dealers in Guangdong, Hong Kong and Taiwan type them; zhconv, the
MediaWiki conversion tables), lower case.

Every offline step (product spans, quantities, dates, the classifier) works on the same normalized
string, so positions found by one step are valid for the others.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from zhconv import convert

from nlu.english_units import units_in_chinese
from nlu.spoken_sizes import sizes_in_digits

# NFKC leaves these Chinese marks alone; they separate clauses like their ASCII cousins
_PUNCT = str.maketrans({"。": ".", "～": "~", "【": "[", "】": "]", "「": '"', "」": '"', "“": '"',
                        "”": '"', "‘": "'", "’": "'", "—": "-", "－": "-", "×": "x", "＊": "*"})


#: the texts normalized while one message is handled (``one_message``): the hooks that look for their words before
#: the parser (a reopened ticket, an order number, a transfer) and the parser itself each normalize the same text
_MEMO: ContextVar[dict[str, str] | None] = ContextVar("normalized", default=None)
_MEMO_MAX = 64


@contextmanager
def one_message() -> Iterator[None]:
    """While one message is handled: a text is normalized once, however many steps ask (forgotten at the end)."""
    token = _MEMO.set({})
    try:
        yield
    finally:
        _MEMO.reset(token)


def normalize(text: str) -> str:
    """Half-width, lower case, one line; the length may differ from ``text`` (NFKC)."""
    memo = _MEMO.get()
    if memo is None:
        return _normalize(text)
    found = memo.get(text)
    if found is None:
        found = _normalize(text)
        if len(memo) < _MEMO_MAX:
            memo[text] = found
    return found


def _normalize(text: str) -> str:
    folded = _simplified(_DEGREES.sub("度", unicodedata.normalize("NFKC", text).translate(_PUNCT).lower()))
    lines = folded.splitlines()
    if sum(1 for line in lines if _LIST_INDEX.match(line)) >= 2:    # "1 刀具7件套 4套\n2 磨刀器 24个": a numbered list
        lines = [_LIST_INDEX.sub("", line, count=1) for line in lines]
    joined = units_in_chinese(" ".join(" ".join(lines).split()))     # "8ch", "22 inch": the catalogue's 8路, 22寸
    spoken = _EACH_KIND.sub("各", sizes_in_digits(joined))     # "四米五", "零点八", "十九调": sizes said in Chinese numerals
    numbered = _NUMBERED.sub(lambda m: next(g for g in m.groups() if g) + "号", _PLY.sub(r"\1ply", spoken))
    sized = _METRE_AND_TENTHS.sub(r"\1.\2米", _CN_SIZE.sub(_size_in_digits, _JIN_SIZE.sub(_jin_in_grams, numbered)))
    sized = _CN_FEN.sub(lambda m: str(_CN[m.group(1)]) + "分", sized)
    sized = _THICKNESS.sub(_thickness_in_mm, _SHARED_UNIT.sub(_each_with_unit, sized))
    return _SLASHED_SIZES.sub(_sizes_spaced, _GLUED_COUNT.sub(r"\1 ", sized))


# "每个长度两支", "每种口味20包": one count for each variant listed before, as "各" says it (not "每个码": every size)
_EACH_KIND = re.compile(r"每(?:个|种|样|款)(?:长度|口味|味道|型号|规格|尺寸|颜色|号数)(?:的)?(?:都)?")


# sizes listed with slashes, "S/M/L/XL 4 each", "41/42/43 3 pairs each": a list, as with spaces (two sizes joined,
# "42/43", may be one product's size and stay)
_SLASHED_SIZES = re.compile(r"(?<![\w/])(?:(?:xs|s|m|l|xl|xxl|xxxl|[2-5]xl)(?:/(?:xs|s|m|l|xl|xxl|xxxl|[2-5]xl)){2,}"
                            r"|\d{2}(?:/\d{2}){2,})(?![\w/])")


def _sizes_spaced(m: re.Match[str]) -> str:
    parts = m.group(0).split("/")
    if parts[0].isdigit() and any(int(b) <= int(a) for a, b in zip(parts, parts[1:], strict=False)):
        return m.group(0)          # "12/10/26": numbers that do not go up are no list of sizes (a date)
    return " ".join(parts)

# "45°弯头", "-10℃" (NFKC: "°c") as dealers type them: "45度弯头", "-10度"
_DEGREES = re.compile(r"°c?")


def _simplified(text: str) -> str:
    """Traditional characters as simplified ones; Cantonese 嗰 (that) stays itself (the tables make it 𠮶)."""
    if text.isascii():
        return text
    return str(convert(text, "zh-cn")).replace("𠮶", "嗰")


# "半斤装", "一斤装的", "2斤的", "半斤20盒": a package size in 斤 (500 g), as the grams catalogue names give ("250g");
# "来一斤" stays a count
_JIN_SIZE = re.compile(r"(?<![\d.零一二两三四五六七八九十半几])(半|[一二两三四五]|[1-5])斤(?=装|的|\s?\d+\s?[盒包袋箱罐瓶桶提])")


def _jin_in_grams(m: re.Match[str]) -> str:
    jin = {"半": 0.5, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}.get(m.group(1)) or int(m.group(1))
    glued = m.string[m.end():m.end() + 1].isdigit()
    return f"{int(jin * 500)}g" + (" " if glued else "")


# a size in Chinese numerals ("十公斤", "两升", "二十四寸", "一点五升"): written in digits, as in the catalogue's names
_CN_SIZE = re.compile(r"(?<![零〇一二两三四五六七八九十百几])([一二两三四五六七八九十]{1,3}(?:点[零一二三四五六七八九])?)"
                      r"(?=公斤|千克|毫升|升|寸|公分|厘(?!米)|号[箱袋码]|段(?!时间)|kg(?![a-z])|ml(?![a-z]))")     # "二段" (a formula stage): 2段
# a size by its number, the way it is written in English and on shop floors: "#4", "no.3", "no3", "1#", "size 5"
# -> "4号" (as "4号箱"): never a longer number ("#0056" of an order)
_NUMBERED = re.compile(r"(?<![\w#])#\s?(\d{1,2})(?![\d.])|(?<![a-z])no\.\s?(\d{1,2})(?![\d.])|(?<![a-z])no(\d{1,2})(?![\d.])"
                       r"|(?<![\d.#])(\d{1,2})#(?![a-z#])"
                       r"|(?<![a-z])size\s?(\d{1,2})(?![\d.])(?!\s?(?:[盒个箱包袋件套支瓶桶卷只捆]|pcs|boxes|packs|rolls|bags))")
# "3 ply", "3-ply" -> "3ply" (cartons)
_PLY = re.compile(r"(?<![\d.])(\d)\s?-?\s?ply\b")
# "1米2", "1米8": 1.2 m, 1.8 m, as widths and bed sizes are said (not "1米2卷": one metre, two rolls)
_METRE_AND_TENTHS = re.compile(r"(?<![\d.])([1-9])米([1-9])(?![\d.])(?!\s?[卷个箱包件套条张根盒袋只捆片床])")
# a size glued to the count after it ("豆腐砂10l10包", "1.5公斤20包"; "3t4块", "4mm3台", "200万6个", "24口1台", "15米5卷",
# the count glued to its unit too: not "2.5mm2 双色", a cable's mm²): a space between them
_GLUED_COUNT = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?(?:(?:公斤|千克|毫升|升|寸|公分|厘米|kg|ml|l|cm)"
                          r"(?=\d+\s?[包袋箱盒个台套支瓶桶件卷片条提罐只把块副根张对组部捆])|(?:毫米|mm|tb|t|g|w|p|万|路|口|倍|米|匹)"
                          r"(?=\d+[包袋箱盒个台套支瓶桶件卷片条提罐只把块副根张对组部捆])))")
_CN = {c: n for n, c in enumerate("零一二三四五六七八九")} | {"两": 2, "〇": 0}
# "四分的三十根", "六分弯头": a pipe size in eighths of an inch (3/8, 1/2, 3/4), as the catalogue writes it ("4分")
_CN_FEN = re.compile(r"(?<![零〇一二两三四五六七八九十百几点])([三四六])分(?=的|管|[铜球弯直内外堵三活水]|\s?\d"
                     r"|\s?[一二两三四五六七八九十百]+\s?[根个只条包盘卷米])")


def _size_in_digits(m: re.Match[str]) -> str:
    whole, _, tenths = m.group(1).partition("点")
    value: int | None
    if len(whole) == 1:
        value = 10 if whole == "十" else _CN[whole]
    elif whole[0] == "十":                                  # 十五
        value = 10 + _CN[whole[1]] if whole[1] in _CN else None
    elif whole[1] == "十":                                  # 二十, 二十四
        value = _CN.get(whole[0], 0) * 10 + (_CN.get(whole[2], -99) if len(whole) == 3 else 0)
    else:
        value = None                                        # 一二, 十十: not a size
    if value is None or value <= 0 or (whole[0] not in "十" and whole[0] not in _CN):
        return m.group(0)
    # "10w40四升": the size's digits kept apart from a grade's before it (not "10w404升")
    apart = " " if m.start() > 0 and m.string[m.start() - 1].isalnum() and m.string[m.start() - 1].isascii() else ""
    return apart + str(value) + ("." + str(_CN[tenths]) if tenths in _CN else "")


# a board's thickness as the trade says it: "18厘", "9个厚", "12厘厚" are millimetres (厘米 is not)
# ("18厘E1": a space before the letters or numerals glued after it, "18mm e1", as the names write them)
_THICKNESS = re.compile(r"(?<![\d.])(\d{1,2}(?:\.\d)?)\s?(?:厘(?!米)厚?|个厚|mm厚)(?=([a-z0-9零一二两三四五六七八九十])?)")


# sizes listed with their unit written once, after the last: "5、9、12厘", "15和18mm" -> "5厘 9厘 12厘"
_SHARED_UNIT = re.compile(r"(?<![\d.])(\d{1,3}(?:\s?[、和跟及]\s?\d{1,3})+)\s?(厘(?!米)|mm|cm)(?![a-z])"
                          # "6 8 10寸 各来5个", "5 7.5 10公分各10卷": sizes listed with spaces, the unit said once, then 各
                          r"|(?<![\d.])(?<![\d.]\s)(\d{1,3}(?:\.\d)?(?:\s\d{1,3}(?:\.\d)?)+)\s?(寸|公分|厘(?!米)|mm|cm|ml|毫升|kg|公斤|g|克|升)"
                          r"(?=\s?(?:的)?\s?(?:都)?\s?各)")


def _each_with_unit(m: re.Match[str]) -> str:
    if m.group(1) is None:
        return " ".join(n + m.group(4) for n in m.group(3).split())
    return " ".join(n + m.group(2) for n in re.findall(r"\d+", m.group(1)))


def _thickness_in_mm(m: re.Match[str]) -> str:
    return m.group(1) + ("mm " if m.group(2) else "mm")


# the number of a list's line: 1-2 digits, a mark or a space, then a line that has a count of its own
_LIST_INDEX = re.compile(r"^\s*\d{1,2}(?:\s*[.、)）:：]\s*|\s+)(?=[^\d\s].*(?<![a-wyz\d\-])\d)")
