"""Integer quantities the way dealers write them: "20", "二十", "两", "一百零五", "俩", "ten", "2k",
financial numerals ("贰拾伍", "伍拾"), "廿五" / "卅", "1百", dozens ("一打" = 12, "半打" = 6, "2 dozen").

``parse_int`` reads a number on its own; ``parse_quantity`` reads one found by ``QUANTITY`` and says
whether it is a whole number (1.5, 一点五, 1.5k and "两台半" are refused, never rounded) and whether it was
written negative ("-5台", "负5台": refused, never read as 5).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from core.money import money

_DIGITS = {"零": 0, "〇": 0, "幺": 1, "一": 1, "二": 2, "两": 2, "俩": 2, "三": 3, "仨": 3, "四": 4, "五": 5, "六": 6,
           "七": 7, "八": 8, "九": 9,
           # financial (大写) numerals, as on invoices and in some dealers' habits
           "壹": 1, "贰": 2, "貳": 2, "叁": 3, "參": 3, "肆": 4, "伍": 5, "陆": 6, "陸": 6, "柒": 7, "捌": 8, "玖": 9,
           **{str(d): d for d in range(10)}}
_UNITS = {"十": 10, "百": 100, "千": 1000, "拾": 10, "佰": 100, "仟": 1000}
_TENS = {"廿": "二十", "卅": "三十", "卌": "四十"}
DOZEN_UNITS = ("打", "dozen", "dozens", "doz")
EN_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
              "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40,
              "fifty": 50, "hundred": 100, "a dozen": 12, "dozen": 12, "half a dozen": 6, "half dozen": 6, "a couple of": 2, "a couple": 2,
              "a pair of": 2}
# "thirteen", "sixty", "twenty four", "forty-five": every English number to ninety-nine
_EN_UNITS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
EN_NUMBERS.update({"thirteen": 13, "fourteen": 14, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
                   "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90})
# "two hundred", "fifteen hundred", "a hundred and fifty": hundreds as said aloud
_EN_HUNDREDS = {"a": 1, **{w: EN_NUMBERS[w] for w in (*_EN_UNITS, "ten", "eleven", "twelve", "thirteen", "fourteen",
                                                     "fifteen", "sixteen", "seventeen", "eighteen", "nineteen")}}
EN_NUMBERS.update({f"{word} hundred": n * 100 for word, n in _EN_HUNDREDS.items()})
EN_NUMBERS.update({f"{word} hundred and {tens}": n * 100 + EN_NUMBERS[tens] for word, n in _EN_HUNDREDS.items()
                   for tens in ("ten", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")})
EN_NUMBERS.update({f"{tens}{sep}{unit}": EN_NUMBERS[tens] + n
                   for tens in ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
                   for n, unit in enumerate(_EN_UNITS, 1) for sep in (" ", "-")})

_CN = "零〇幺一二两俩三仨四五六七八九十壹贰貳叁參肆伍陆陸柒捌玖拾廿卅卌"
# ("1百2十", "1千5百": digits with the Chinese units between them, one number)
CN_NUM = (f"[{_CN}][{_CN}百千万佰仟点]*|半(?=\\s*打)"
          f"|\\d+\\s*[百千万](?:\\d[十拾百千](?:\\d(?![{_CN}\\d]))?|[{_CN}\\d](?![{_CN}\\d]))?")
UNITS = ("打半", "台", "箱", "件", "个", "套", "支", "盒", "包", "片", "组", "条", "瓶", "桶", "袋", "卷", "只", "根", "块",
         "打", "部", "张", "双", "对", "罐", "听", "提", "扎", "把", "副", "樘", "平米", "平", "吨", "公斤", "斤", "卷",
         "饼", "捆", "筒", "口", "顶", "盏", "盘", "轴", "托", "罗",
         "pcs", "pc", "units", "unit", "boxes", "box", "sets", "set", "cartons", "carton", "ctns", "ctn", "cs",
         "pieces", "piece", "dozens", "dozen", "bottles", "bottle", "cases", "case", "pairs", "pair", "packs", "pack",
         "cans", "can", "rolls", "roll", "bags", "bag", "sqm", "kg", "tons", "ton", "buckets", "bucket", "pails", "pail",
         "drums", "drum", "sheets", "sheet", "tins", "tin", "doz", "tubes", "tube", "btls", "btl", "jars", "jar",
         "kits", "kit", "pouches", "pouch", "bundles", "bundle",
         # the shorthands and trade units of English order sheets: "10 prs", "30 tubs", "10 kegs", "5 reels"
         "prs", "pr", "tubs", "tub", "kegs", "keg", "reels", "reel", "coils", "coil", "packets", "packet", "pkts", "pkt",
         "sacks", "sack", "crates", "crate", "trays", "tray",
         # a gross of buttons or snaps, pallets of panels or tiles, bolts of cloth: "20 gross", "2 pallets", "5 bolts"
         "gross", "pallets", "pallet", "bolts", "bolt")
# a latin unit must end a word ("5 boxes", not "5 boxer"); a Chinese one may run into the next word ("5台AP500")
# "两口" of woks and pots, "三顶" of tents, "五盏" of lamps, "十轴" of fishing line or thread (spools); not 口味,
# 口径, 口罩, 轴承
# "两托" of pallets (not 托运, 托盘 said as a product, 托架), "二十罗" of a gross of buttons (not 罗纹, 罗马)
_UNIT_AFTER = {"口": "(?![味径罩感袋腔红香号碑])", "盘": "(?![子点管])", "轴": "(?![承心套距])",
               "托": "(?![运盘架管底板])", "罗": "(?![纹马汉盘拉])"}
_UNIT = "|".join(u + _UNIT_AFTER.get(u, "") if not u.isascii() else u + "(?![a-z])"
                 for u in sorted(UNITS, key=len, reverse=True))
_EN = "|".join(sorted(EN_NUMBERS, key=len, reverse=True))
#: a number with an optional unit, in normalized (lower case, half-width) text
# a number glued to a size unit ("4L", "24寸", "18升") or written inside a code or a size ("225/45R17", "5W-30",
# "L2-400", "55B24L") is part of a product's name, never a quantity
_SIZE_UNITS = r"(?:ml|l|升|毫升|寸|英寸|公分|分(?![钟之别])|inch|in|mm2|mm|cm|kg|g|克|千克|ah|mah|v|w|瓦|p|匹|平方|㎡|a|型)(?![a-z0-9])(?!\s?[码号])"   # "M码50 L码30": L is a size letter
# "2000型" of a reel or a pump is its model size, never 2000 of it; "50片装", "6瓶装", "5斤装": what one pack holds
# (a count says its unit without 装: "50片装 10盒" is 10 boxes)
# "24%" is a strength; "225/45", "200-250" are sizes and ranges, but "200 / 20mm conduit 100" is a list's separator
_NOT_A_COUNT = rf"(?!\s?{_SIZE_UNITS})(?!(?:{_UNIT})装(?![车好上进满]))(?![a-wyz]\d)(?![/\-]\s?\d)(?!\s[/\-]\d)(?!\s?[%％])"
QUANTITY = re.compile(
    rf"(?:(?<![a-z0-9])(?P<neg>[-−](?!\s)|负)\s*)?"     # "K11 - 10": a dash with a space after it is a separator
    rf"(?P<num>{CN_NUM}|(?<![a-wyz0-9./])(?<![a-z0-9]-)\d+(?:\.\d+)?k?(?![\d.]){_NOT_A_COUNT}|"
    rf"(?<![a-z])(?:{_EN})(?![a-z]))\s*(?P<unit>{_UNIT})?")


# "三四台", "七八个": two neighbouring digits are a guess between them, not a number read digit by digit
_GUESS = re.compile(r"[一二两三四五六七八]{2}")
_CN_ONLY_DIGITS = re.compile(r"[零〇幺一二两三四五六七八九]{2,}")
_CLIPPED = re.compile(r".*[一二两三四五六七八九壹贰叁肆伍陆柒捌玖]([百千万佰仟])[一二两三四五六七八九壹贰叁肆伍陆柒捌玖]")
_NEXT_UNIT = {"百": "十", "千": "百", "万": "千", "佰": "拾", "仟": "佰"}


def parse_int(text: str) -> int | None:
    """The integer ``text`` spells, or None. Handles 十/百/千/万 positions as usually written."""
    text = text.strip()
    if not text:
        return None
    if text.isdigit():
        return int(text)
    if text.lower() in EN_NUMBERS:
        return EN_NUMBERS[text.lower()]
    if text == "半":
        return None
    for short, long in _TENS.items():
        text = text.replace(short, long)
    if _CN_ONLY_DIGITS.fullmatch(text) and not _is_guess(text):
        return int("".join(str(_DIGITS[ch]) for ch in text))     # "一二零" read out digit by digit is 120
    if m := _CLIPPED.fullmatch(text):       # "一百二" is 120 and "三千五" 3500, as said aloud ("一百零二" is 102)
        text += _NEXT_UNIT[m.group(1)]
    text = text.replace(" ", "")
    if text.isdigit():
        return int(text)
    if re.fullmatch(r"\d{2,}[百千万].*", text):      # "12万" is fine, "12百" is not how numbers are written
        head = re.match(r"\d+", text)
        if head and text[len(head.group(0))] != "万":
            return None
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in _DIGITS:
            if digit is not None and ch.isdigit():      # "12万": several Arabic digits before a unit
                digit = digit * 10 + _DIGITS[ch]
                continue
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


def _is_guess(text: str) -> bool:
    """"一两", "三四", "七八": two neighbouring numbers said as a rough amount (the larger is kept)."""
    return bool(_GUESS.fullmatch(text)) and _DIGITS[text[1]] - _DIGITS[text[0]] == 1


@dataclass(frozen=True)
class Quantity:
    value: int | None          # None: not a whole positive number (``raw`` says what was written)
    raw: str
    unit: str
    start: int
    end: int
    negative: bool = False     # written with a minus sign: never a quantity

    @property
    def usable(self) -> bool:
        return self.value is not None and self.value >= 1


def parse_quantity(m: re.Match[str]) -> Quantity:
    num, unit = m.group("num"), m.group("unit") or ""
    value: int | None
    if num == "半" and unit in DOZEN_UNITS:
        value = 6
        unit = "打"
    elif num.endswith("k") and num[:-1].replace(".", "", 1).isdigit():
        base = num[:-1]
        value = int(base) * 1000 if base.isdigit() else None
    elif "." in num or "点" in num:
        value = None
    else:
        value = parse_int(num)
    if unit in DOZEN_UNITS and value is not None and num != "半":
        value *= 12
    elif unit == "打半" and value is not None:       # "一打半": a dozen and a half
        value, unit = value * 12 + 6, "打"
    negative = bool(m.group("neg"))
    if negative:
        value = None
    end = m.end()
    # "两台半", "3箱半", "一个半": a half after the unit is not a whole number (refused, never read as 2)
    if unit and unit not in DOZEN_UNITS and _HALF_AFTER.match(m.string, end):
        value, end = None, end + 1
    return Quantity(value=value, raw=m.string[m.start():end].strip(), unit=unit, start=m.start(), end=end,
                    negative=negative)


# the 半 of "两台半" (not "半球", "半年" or "半自动": a word of its own after the count)
_HALF_AFTER = re.compile(r"半(?=$|[\s,，。;；、!！?？.]|吧|的|了|就|呢|啊|左右|[a-z0-9])")


def written_zero(raw: str) -> bool:
    """A refused quantity (``Quantity.raw``) that is zero ("0台", "零个"): refused as zero, not as not whole."""
    m = QUANTITY.fullmatch(raw.strip())
    return m is not None and parse_quantity(m).value == 0


_ALONE = re.compile(rf"^\s*(?:{QUANTITY.pattern})\s*(?:就行|就好|吧|了)?\s*$")


def typed_quantity(text: str) -> int | None:
    """A quantity typed on its own, as the answer to "how many?" ("20", "二十台", "廿五", "一打"), else None
    (also for "-5", "2.5" and anything that is not only a number)."""
    from nlu.normalize import normalize

    m = _ALONE.match(normalize(text))
    if m is None:
        return None
    q = parse_quantity(m)
    return q.value if q.usable else None


def read_amount(text: str) -> Decimal | None:
    """"300000" / "¥300,000" / "30万" / "30万元" / "3千" / "3k" / "1.5w" / "三千" / "两万五" -> Decimal (2 decimals);
    None when it is no amount. Money typed in a chat, wherever it is typed (a payment booked, a credit asked for,
    a dealer asking whether a transfer arrived)."""
    cleaned = text.strip().replace(",", "").replace("，", "").replace("¥", "").replace("￥", "").rstrip("元").strip()
    lowered = cleaned.lower()
    factor = Decimal(1)
    if re.fullmatch(r"\d+(?:\.\d+)?\s*[万w千k]", lowered):
        factor = Decimal(10000) if lowered[-1] in "万w" else Decimal(1000)
        cleaned = cleaned[:-1]
    try:
        value = Decimal(cleaned.strip()) * factor
    except InvalidOperation:
        spelled = parse_int(cleaned) if re.fullmatch(r"[零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟廿卅]+", cleaned) else None
        if spelled is None:
            return None
        value = Decimal(spelled)
    return money(value) if value.is_finite() and value >= 0 else None


# a count said on its own, roughly as people say it: "3", "三台", "五六个吧", "大概三四台", "5到6个", "差不多10台左右"
_ROUGH = r"(?:大概|大约|估计|差不多|约|有|一共|总共|共)?"
_SAID_NUMBER = r"\d+|[零〇一二两三四五六七八九十百千万]+"
_SAID_UNIT = r"台|箱|件|个|套|支|盒|包|家|位|人|pcs|units?"
_COUNT_SAID = re.compile(
    rf"^\s*{_ROUGH}\s*(?:(?P<low>{_SAID_NUMBER})\s*(?:{_SAID_UNIT})?\s*(?:-|~|～|到|至)\s*)?(?P<num>{_SAID_NUMBER})\s*"
    rf"(?:{_SAID_UNIT})?\s*(?:左右|上下|的样子)?\s*(?:吧|啊|呀|哈|的|了)?\s*[。.!！~～]?\s*$", re.IGNORECASE)


def count_said(text: str) -> int | None:
    """The whole number a message that is only a count says ("五六个吧" -> 6, "5到6个" -> 6: the larger of a rough
    pair, as an order reads it), else None."""
    m = _COUNT_SAID.match(text)
    return parse_int(m.group("num")) if m is not None else None
