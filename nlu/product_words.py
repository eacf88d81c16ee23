"""The words, patterns and small helpers that ``nlu.products`` reads product names with: mention spans
(``Mention``, ``Strength``), sizes and measures, model-code spellings, English words of a kind, sounds of Chinese words."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import IntEnum
from functools import lru_cache
from itertools import islice, pairwise, product

from pypinyin import Style, pinyin

from nlu.normalize import normalize
from nlu.numbers import UNITS
from nlu.schema import CatalogueEntry

#: where a sentence ends: the lines of one order are looked for within it
SENTENCE_BREAK = re.compile(r"[;。；!?！？\n]")


class Strength(IntEnum):
    UNKNOWN = 0       # a model-like code no product has ("XY123"): takes its quantity, names no product
    CATEGORY = 1      # a generic word of product names: maybe several products
    FUZZY = 2         # a near miss of exactly one product's code or alias
    NAME = 3          # a model code written inside another product's name (weak)
    EXACT = 4         # SKU, alias, full name, a dealer's own word


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    skus: tuple[str, ...]
    strength: Strength
    word: str                     # the text as written (normalized)
    near: tuple[str, ...] = ()    # named nothing, but meant one of these ("草甘膦200ml" when only 1L exists)

    @property
    def sku(self) -> str | None:
        return self.skus[0] if len(self.skus) == 1 else None


CJK = re.compile(r"[\u4e00-\u9fff]+")
MODEL = re.compile(r"[a-z]+(?:[- ]?[a-z]+)*[- ]?\d+[a-z0-9]*|[a-z]+-[a-z]+")
LOOSE_MODEL = re.compile(r"(?<![a-z0-9])[a-z]{1,5}[- ]?[0-9oil]{1,5}(?:[a-z]{0,3})(?![a-z0-9])")
CJK_MODEL = re.compile(r"[\u4e00-\u9fff]{2,5}\d{2,4}")
# sizes and specs inside names: "195/65R15", "600x1200", "800×800", "500ml"
SPEC = re.compile(r"(?<![a-z0-9])\d+[a-z]{1,3}-?\d+[a-z]{0,3}(?![0-9a-z])"   # grades and codes: 5w-40, 48v12ah
                   r"|(?<![0-9.])(?<![a-z]\d)\d+(?:\.\d+)?\s?(?:ml|l|升|寸|kg|g|ah|mah|mm2|mm|cm|m|米|kw|千瓦|w|瓦|匹|p|hp|v|伏|平方|㎡)"
                   r"(?![a-z0-9])"
                   r"|(?<![a-z0-9])\d+(?:\s?[/x*\-]\s?\d+)+[a-z]{0,2}\d*(?:c(?![a-z0-9]))?(?![0-9])")
# a size or grade on its own: what tells siblings of one series apart ("19寸", "-45", "205 55 16", "195/75r16c")
SIBLING_SPEC = re.compile(
    r"(?<![a-z0-9.])\d{3}\s?[/ ]\s?\d{2}\s?(?:z?r|\s)\s?\d{2}c?(?![a-z0-9])"
    r"|(?<![a-z0-9.])\d{3}r\d{2}c?(?![a-z0-9])"
    r"|(?:(?<![a-z0-9.])[-−]|零下|(?<![a-z0-9.]))\d{1,3}(?:\.\d)?\s?(?:寸|度|分(?![钟别])|v|伏|w|瓦|kg|ml|l|g|平方|mm|公斤|斤|升|毫升|克)(?![a-z0-9])"
    r"|(?:(?<![a-z0-9.])[-−]|零下)\d{2}(?![a-z0-9.])"
    r"|(?<![a-z0-9.])\d{2,4}(?=\s?的)"
    # "连体马桶305 4个 405 2个": a bare number, then its count with a unit
    r"|(?<![a-z0-9.])(?<=\s)\d{2,4}(?=\s(?:\d{1,4}|[一二两三四五六七八九十]{1,3})\s?[个台箱件套支盒包片组条瓶桶袋卷只根块张双对罐提把副饼])"
    r"|(?<=[和、跟或及])\d{2,4}(?=\s?(?:各|都))"          # "光瓶的42和52各10箱"
    # "疾风黑白41 42 43各3双", "42 两双 43一双", "41 sold 2 42 sold 2", "36x4 37x4", "41/42/43", "42码 3双": a bare
    # number after a product, then its own count, a shared one or the next number of a list (the sibling must exist;
    # not a size with its unit after it: "9mm 12 12mm的6张": 12 is the count of 9mm); "0.8 and 1.0, 15 each": a
    # number with nothing after "each" is the count
    r"|(?<![a-z0-9.])(?<=[\s,，、/和跟及])\d{2,4}(?![\d.%])(?=\s?(?:码|号|[x×*]\s?\d|各|都|分别|每样|每种|每款|每个|each\b(?=\s?\d)|respectively\b|一样|一码"
    r"|[,，]?\s?(?:sold|卖了|卖|出了|要|来|拿|配|补)?\s?(?:\d{1,4}|[一二两三四五六七八九十]{1,3})(?![\d.])(?!mm|cm)"
    r"|[\s,，、/]\d{2,4}(?![\d.])(?!mm|cm)))"
    # "藤席1.5 4张 1.8 6张", "冰丝 1.5要10 2米的5套", "卷尺3米50个 5米40个": a width or length, then its count
    r"|(?<![a-z0-9.])(?<=[\s要来,，、])\d{1,2}(?:\.\d{1,2}|米|m)(?=\s?(?:的|要|来)?\s?(?:\d{1,4}|[一二两三四五六七八九十]{1,3})"
    r"\s?[个台箱件套支盒包片组条瓶桶袋卷只根块张双对罐提把副饼]|\s?的?(?:要|来)\s?(?:\d{1,4}|[一二两三四五六七八九十]{1,3}))")
_SIZE = r"(?<![a-z0-9.])\d+(?:\.\d+)?\s?(?:ml|l|升|毫升|kg|g|克|公斤|寸|ah|mah|w|瓦|匹|hp|v|伏)(?![a-z0-9])"
SIZE_AFTER = re.compile(rf"\s?(?:的)?\s?(?P<size>{_SIZE})")
SIZE_BEFORE = re.compile(rf"(?P<size>{_SIZE})\s?(?:的)?\s?$")
# the measures a product is sold by, as its catalogue unit says ("公斤": 5公斤 and 50kg of it are how much of it)
# ("5匹" of a fabric sold by weight or length is 5 bolts: such a product has no horsepower)
_SOLD_BY = {"公斤": ("公斤", "kg", "千克", "匹"), "千克": ("公斤", "kg", "千克", "匹"), "kg": ("公斤", "kg", "千克", "匹"),
            "米": ("匹",), "m": ("匹",), "升": ("升", "l"), "l": ("升", "l"), "克": ("克", "g"), "g": ("克", "g")}


def size_said(text: str, start: int, end: int, unit: str, *, before: bool = False) -> re.Match[str] | None:
    """A size written right after (or before) a product's words ("草甘膦 200ml"), unless it is in the measure the
    product is sold by ("卫衣布麻灰 5公斤" of a knit fabric sold by the 公斤): that is how much of it, not a size."""
    said = SIZE_BEFORE.search(text, start, end) if before else SIZE_AFTER.match(text, start, end)
    if said is None or re.sub(r"[\d.\s]", "", said.group("size")) not in _SOLD_BY.get(unit.strip().lower(), ()):
        return said
    return None
BIG_SMALL_AFTER = re.compile(r"\s?(?:\d{1,5}\s?)?(?:的)?\s?(?P<bs>[大小])(?P<unit>瓶|包|袋|桶|罐|盒|支|号|规格|装|听)")
BIG_SMALL_BEFORE = re.compile(r"(?P<bs>[大小])(?P<unit>瓶|包|袋|桶|罐|盒|支|号|规格|装|听)(?:的|装的)?\s?(?:那个|这个)?\s?$")
_MEASURES = {"ml": ("ml", 1), "毫升": ("ml", 1), "l": ("ml", 1000), "升": ("ml", 1000), "g": ("g", 1), "克": ("g", 1),
             "kg": ("g", 1000), "公斤": ("g", 1000), "斤": ("g", 500)}
_MEASURE = re.compile(r"(?<![a-z0-9.])(\d+(?:\.\d+)?)\s?(ml|毫升|l|升|kg|公斤|g|克|斤)(?![a-z0-9])")


def measure_of(name: str) -> tuple[str, Decimal] | None:
    """A product's size in one measure ("120ml" -> ("ml", 120), "1L" -> ("ml", 1000)), from its name."""
    found = [m for m in _MEASURE.finditer(normalize(name)) if not normalize(name)[m.end():m.end() + 1] == "/"]
    if not found:
        return None
    m = found[-1]               # "草铵膦 200g/L 1L": the pack, not the strength
    unit, factor = _MEASURES[m.group(2)]
    return unit, Decimal(m.group(1)) * factor


OPPOSITE = {"前": "后", "后": "前", "内": "外", "外": "内", "左": "右", "右": "左", "上": "下", "下": "上", "冷": "热",
             "热": "冷", "黑": "白", "白": "黑", "单": "双", "双": "单"}
OPPOSITE_CHARS = re.compile("[" + "".join(OPPOSITE) + "]")
# characters that end the words naming a product: a verb or a number begins the rest of the line
# characters that alone tell no product apart; "家", "户", "客": "客户家的除湿机" is a customer's home, not the 家用
# model ("家用" and "户外" still tell, as two characters)
TELLING_STOP = frozenset("来要订拿配补整搞发给卖还也再和跟与及或的了吧呢啊吗么一二两三四五六七八九十百千家户客")
PARTICLES = frozenset("的了吗呢吧啊和跟与或")
# words of a variant line: a size, S/M/L, a Chinese run, an English word
_VARIANT_UNITS = r"(?:kg|公斤|斤|ml|毫升|l|升|g|克|寸|inch(?:es)?|英寸|cm|mm2|mm|平方|mah|ah|w|瓦|v|伏|a|安|p|匹|分(?!钟|别)|米|公分|号)"
# a unit in letters ends the size where no letter or digit follows ("5w-30" is no 5W); a Chinese one anywhere ("4分6分")
_UNIT_END = r"(?:(?<=[a-z])(?![a-z0-9])|(?<![a-z]))"
VARIANT_TOKEN = re.compile(rf"\d+(?:\.\d+)?\s?{_VARIANT_UNITS}{_UNIT_END}|(?<![a-z0-9])(?:xs|s|m|l|xl|xxl)"
                            r"(?![a-z])|[\u4e00-\u9fff]+|[a-z]{3,}|(?<![a-z0-9])[a-z]{1,2}\d(?![a-z0-9.])")
VARIANT_SIZE = re.compile(rf"\d+(?:\.\d+)?\s?{_VARIANT_UNITS}{_UNIT_END}")
# a number and its measure word in an alias ("成犬20斤", "10公斤"): no word of the product's own
MEASURE_WORD = re.compile(r"\d+(?:\.\d+)?\s?(?:公斤|千克|毫升|毫安|厘米|毫米|平方|[斤升克寸米号瓦伏安匹码层件个只支包袋箱盒瓶罐台套把口])")
# an alias that is a word of the kind and a size ("豆腐砂6L", "成犬3斤"): the word names the products of that kind
KIND_AND_SIZE = re.compile(r"([\u4e00-\u9fff]{2,6}|[\u4e00-\u9fff]{1,5}[a-z](?=\s))\s?\d+(?:\.\d+)?\s?(?:kg|公斤|千克|斤|l|升|ml|毫升|g|克|寸|cm|mm|米|w|瓦|v|伏|"
                            r"ah|匹|p|号|层|件套?)?")
SIZE_AND_KIND = re.compile(r"\d+(?:\.\d+)?\s?(?:kg|公斤|斤|l|升|ml|毫升|g|克|寸|cm|mm|米|w|瓦|v|伏|a|安|ah|匹|p|平方|号)?\s?"
                            r"([\u4e00-\u9fff]{2,6})")
# a number alone that may be a size ("炒锅32的", "保温杯 500 粉"): not one of a run of numbers ("225 55 17", "24 26")
BARE_NUMBER = re.compile(r"(?<![\d.a-z/\-])(?<!(?<![a-z])\d\d\s)(?<!(?<![a-z\d])\d\s)(?<!\d[/x*])(?:\d{1,2}\.\d{1,2}|\d{2,4})"
                          rf"(?=\s?[\u4e00-\u9fff]|\s+\d+\s?(?:{'|'.join(u for u in UNITS if not u.isascii())})|\s+[a-z]{{3,}}|\s?[x*]\s?\d)"
                          r"(?!\s?(?:公斤|斤|毫升|升|克|寸|瓦|伏|安|匹))")
# "不粘30/32/34各6口": numbers of some of the names in a list before 各, one line each
NUMBER_LIST = re.compile(r"(?<![\d.])\d{1,4}(?:\s?[/、,，和]\s?\d{1,4})+(?=\s?的?\s?各)")
# a correction of the product just said: the words after it tell which product was meant
CORRECTED = re.compile(r"(?:哦不对|哦不是|不对不对|不对|错了|写错了?|搞错了?|说错了?|弄错了?|打错了?|哦不|不不|等下|等一下|等等|\b(?:sorry|i mean|no wait|"
                        r"oops)\b)[\s,，.!！]*(?:是|要|应该是|应该要|换成|改成|改为)?\s*")
# one product of a line changed for another of its kind, named by the words that tell them apart
SWAPPED = re.compile(r"(?:换成|换为|改成|改为|换|\b(?:change|switch|swap)(?: it| them)? (?:to|for)|\bmake (?:it|them))"
                      r"\s*(?:是|要|成)?\s*")
# between two words of several products read together: nothing, 的, a space, one short word ("2.5平方的线红色")
JOINED = re.compile(r"[\s的]*(?:[\u4e00-\u9fff](?<![来要订拿配补整和跟与及或也还再]))?[\s的]*")
VARIANT_FILLER = frozenset({"号", "味", "装", "款", "型", "色", "那个", "这个", "要", "来", "的"})
SIZE_WORDS_CN: dict[str, str] = {}
NUMERALS = frozenset("零〇一二两俩三四五六七八九十百千万廿卅壹贰叁肆伍陆柒捌玖拾")
GRADE_HEADS = frozenset("一二三四五六七八九十大小中高低单双")
_CHINESE_UNITS = {"ah": "安", "v": "伏", "w": "瓦", "l": "升", "p": "匹"}
# "省油胎 205 55 16": 胎 between series and size; "65w gan charger": one English word between
GROUP_GAP = re.compile(r"[\s的之\-/]{0,3}|[\u4e00-\u9fff]\s?|\s(?!and\b|or\b|with\b|plus\b)[a-z]{2,8}\s")
_SIZE_WORDS = {"升": "l", "l": "升", "寸": "in", "inch": "寸", "inches": "寸", "英寸": "寸", "毫升": "ml", "ml": "毫升", "匹": "p", "p": "匹", "hp": "匹", "w": "瓦",
               "平方": "mm2", "mm2": "平方", "㎡": "平方", "kg": "公斤", "公斤": "kg", "kw": "千瓦", "千瓦": "kw", "千克": "公斤", "g": "克", "克": "g",
               "瓦": "w", "米": "m", "m": "米", "mah": "毫安", "v": "伏", "伏": "v"}
_CN_DIGITS = str.maketrans("零〇一二三四五六七八九", "00123456789")
CN_DIGIT_RUN = re.compile(r"[零〇一二三四五六七八九]{3,}|(?<=[a-z])[一二三四五六七八九]十(?![一二三四五六七八九])|"
                           r"(?<=[a-z])[零〇一二两三四五六七八九](?=[a-z0-9\s]|$)|[一二两三四五六七八九](?=[a-z])")


CN_SIZE = re.compile(r"[零一二两三四五六七八九十百]{1,4}(?:点[零一二三四五六七八九]{1,2})?"
                      r"(?=\s?(?:寸|腰|码|升|公斤|匹|米|平方|毫升|安|瓦|伏|mm|kg|l\b|[apwv](?![a-z])))")


def size_digits(m: re.Match[str]) -> str:
    """"二十四寸" -> " 24寸", "十八升" -> "18升": a size written in Chinese numerals, as digits padded to the same
    length (a position in one text is a position in the other); left alone when the digits would be longer."""
    from nlu.numbers import parse_int

    whole, _, tenths = m.group(0).replace("两", "二").partition("点")     # "四点五升" -> "4.5升"
    value = parse_int(whole)
    digits = str(value) if value is not None else ""
    if digits and tenths:
        digits += "." + tenths.translate(_CN_DIGITS)
    if not digits or len(digits) > len(m.group(0)):
        return m.group(0)
    return " " * (len(m.group(0)) - len(digits)) + digits


_COUNTING = frozenset(u for u in UNITS if len(u) == 1 and not u.isascii())


def as_digits(m: re.Match[str]) -> str:
    """Chinese digits written inside a code, one character each ("二二五四五一七" -> "2254517", "六qw六十" ->
    "6qw60"): the same length, so positions stay valid."""
    word = m.group(0).replace("两", "2")
    if len(word) >= 4 and m.string[m.end():m.end() + 1] in _COUNTING:
        # "一六七三副": a size said digit by digit, then the count of its unit (no one counts 1673 that way)
        return word[:-1].translate(_CN_DIGITS) + word[-1]
    if word.endswith("十"):
        return word[0].translate(_CN_DIGITS) + "0"
    return word.translate(_CN_DIGITS)
def ALNUM(ch: str) -> bool:  # noqa: N802 - read as a character class
    return ch.isascii() and ch.isalnum()


def LATIN(ch: str) -> bool:  # noqa: N802
    return "a" <= ch <= "z"


# (and the words of a measure, "厚度不够": its "度" is not the "度" of 密度板)
GENERIC = frozenset({"产品", "机器", "家用", "商用", "复合", "大通量", "免安装", "反渗透", "厚度", "长度", "宽度", "高度"})
# a model code no product has: "XY123", "BV10-R", "SW-4K-W", "CB-XL-BM" (letters and digits joined by dashes)
UNKNOWN_CODE = re.compile(r"(?<![a-z0-9-])(?:(?=[a-z0-9-]*\d)[a-z][a-z0-9]{0,7}(?:-[a-z0-9]{1,6}){1,3}"
                           r"|[a-z]{1,5}-?\d{2,5}[a-z]{0,3}|[a-z]{2,4}(?:-[a-z]{1,4}){2,3})(?![a-z0-9-])")
TIMES = re.compile(r"x\d+|q[1-4]|\d+x")       # "x20" is a quantity, "q4" a quarter: no product codes
_FUZZY_INITIALS = (("zh", "z"), ("ch", "c"), ("sh", "s"))
_FUZZY_FINALS = (("ing", "in"), ("eng", "en"), ("ang", "an"))
SUGGEST_CUTOFF = 50.0


def _fold(py: str) -> str:
    for long, short in _FUZZY_INITIALS:
        if py.startswith(long):
            py = short + py[len(long):]
            break
    for long, short in _FUZZY_FINALS:
        if py.endswith(long):
            py = py[: -len(long)] + short
            break
    return py


@lru_cache(maxsize=8192)
def _readings(ch: str) -> tuple[str, ...]:
    """Every toneless reading of one character with the fuzzy pairs folded ("净" and "进" both "jin"; "长" both
    "zan" and "can", so "火腿长" sounds like "火腿肠")."""
    found = pinyin(ch, style=Style.NORMAL, heteronym=True, errors="default")[0]
    return tuple(dict.fromkeys(_fold(p) for p in found[:3]))


def sounds(word: str, limit: int = 8) -> list[tuple[str, ...]]:
    """The ways ``word`` can sound (a few: most characters have one reading)."""
    return list(islice(product(*(_readings(ch) for ch in word)), limit))


def compact(s: str) -> str:
    return re.sub(r"[\s\-_]", "", s)


def spec_variants(spec: str) -> set[str]:
    """Ways people type a size: "195/65r15" -> 195/65r15, 19565r15, 1956515, 195 65 15, 195-65-15, 195*65r15;
    "5w-30" -> 5w30, 5w 30; "4l" -> 4 l, 4升."""
    if m := re.fullmatch(r"(\d+(?:\.\d+)?)\s?(ml|l|升|寸|inch(?:es)?|英寸|kg|公斤|千克|g|克|ah|mah|mm2|mm|cm|m|米|kw|千瓦|w|瓦|匹|p|hp|v|伏|平方|㎡)", spec):
        out = {m[1] + m[2], m[1] + " " + m[2]}
        if m[2] in _SIZE_WORDS:
            out.add(m[1] + _SIZE_WORDS[m[2]])
        if m[2] in ("kw", "千瓦"):
            out.add(m[1] + "k")          # "5K逆变器": kW said as K
        return out
    parts = [p for p in re.split(r"[\s/x*\-.]+", spec) if p]
    out = {spec, "".join(parts), re.sub(r"\s", "", spec)}
    if re.fullmatch(r"\d+[a-z]+\d+[a-z]*", spec):      # "48v20ah" -> 48伏20安, 48v20安
        chinese = re.sub(r"(?<=\d)(ah|v|w|l|p)(?![a-z])", lambda u: _CHINESE_UNITS[u.group(1)], spec)
        out |= {chinese, spec.replace("ah", "安")}
    if len(parts) > 1:
        for sep in (" ", "-", "*", "x", "/"):
            out.add(sep.join(parts))
        digits = re.split(r"[a-z]+", "".join(parts))
        if len(digits) > 1:
            out.add("".join(digits))
            for sep in (" ", "/"):
                out.add(sep.join(re.split(r"[\s/x*\-.a-z]+", spec)))
    return {v for v in out if len(v) >= 3}


# a code or a grade written right before a line's size ("r410 3kg", "d6 4l", "37调 5.4"), not a count
TELLING_LEAD = re.compile(r"(?<![a-z0-9.])((?!x\d)[a-z]{1,4}\d{1,4}[a-z]?|\d{1,3}(?:度|调))\s?的?\s?\Z")     # not "x6"


def told_by(word: str, label: str) -> bool:
    """Whether the code or grade ``word`` is written in a product's ``label`` (its code, name and aliases), as a word
    of its own ("r410" of "r410 3公斤" and of "r410a", not of "r4100")."""
    edge = r"(?![\d.])" if word[-1].isdigit() else ""
    return re.search(rf"(?<![a-z0-9.]){re.escape(word)}{edge}", label) is not None


def named_back(word: str) -> str:
    """A wording said back to the dealer as it is usually written: litres with a capital L ("米黄1L" of the
    normalized "米黄1l")."""
    return re.sub(r"(?<=\d)l(?![a-z])", "L", word)


def spelling_variants(key: str) -> set[str]:
    """Ways people type a code: "fl-ap300" -> fl-ap300, flap300, fl ap300; "ap300" -> ap-300, ap 300;
    "cl-sp135-yw" -> also cl-sp135yw, clsp135-yw (each dash kept or dropped)."""
    out = {key, compact(key), key.replace("-", " ")}
    if "-" in key:      # "jf-bk40" -> also "jf bk 40": every letter-digit boundary spaced
        out.add(re.sub(r"(?<=[a-z])(?=\d)", " ", key.replace("-", " ")))
    chunks = re.findall(r"[a-z]+|\d+", compact(key))
    if 2 <= len(chunks) <= 4 and "".join(chunks) == compact(key):     # "6qw60" -> 6-qw-60, 6 qw 60
        out |= {"-".join(chunks), " ".join(chunks)}
    pieces = key.split("-")
    if 2 < len(pieces) <= 4:
        for mask in range(1 << (len(pieces) - 1)):
            out.add(pieces[0] + "".join(("-" if mask >> i & 1 else "") + p for i, p in enumerate(pieces[1:])))
    m = re.fullmatch(r"([a-z]+)(\d+[a-z]*)", compact(key))
    if m:
        out |= {f"{m[1]}-{m[2]}", f"{m[1]} {m[2]}"}
    # "8口poe" is typed "8口 poe", "4路poe录像机" "4路 poe 录像机": a space where Chinese and letters meet
    out.add(_CJK_LATIN.sub(" ", key))
    return {v for v in out if v}


_CJK_LATIN = re.compile(r"(?<=[\u4e00-\u9fff])(?=[a-z])|(?<=[a-z])(?=[\u4e00-\u9fff])")


def other_number(word: str, key: str) -> bool:
    """"AF55" against "AF45": one digit written for another is another model, not a typo (a digit more or less,
    "AP3000", or a letter for a digit, "AP30O", are typos)."""
    return len(word) == len(key) and any(a != b and a.isdigit() and b.isdigit() for a, b in zip(word, key, strict=True))


_EN_SAME = {"choc": "chocolate", "large": "l", "big": "l", "small": "s", "medium": "m", "mid": "m", "med": "m", "grey": "gray", "non": "nonstick",
            "stainless": "steel", "ss": "steel"}


def english_word(word: str) -> str:
    """One spelling per English word of a product: singular ("woks" -> "wok", "boxes" -> "box"), the size
    letter for large/small/medium."""
    if len(word) > 4 and word.endswith("es") and word[-3] in "sxz":
        word = word[:-2]
    elif len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    return _EN_SAME.get(word, word)


_EN_NOT_A_KIND = {"the", "and", "for", "with", "per", "new", "one", "type", "size", "pro", "plus", "max", "mini", "inch",
                  "litre", "liter", "ltr", "pcs", "piece", "kit", *(u for u in UNITS if u.isascii())}


def sizes_of(catalogue: Iterable[CatalogueEntry]) -> dict[str, int]:
    """How many products have each number in their names outside a code ("500" of 冰红茶500ml and 绿茶500ml: 2;
    not the "300" of "AP300滤网")."""
    return _sizes_cached(catalogue_key(catalogue))


@lru_cache(maxsize=8)
def _sizes_cached(key: CatalogueKey) -> dict[str, int]:
    counts: dict[str, int] = {}
    for _, name, _, _, _ in key:
        for n in set(re.findall(r"(?<![\d.a-z])\d+(?![\d.])", normalize(name))):
            counts[n] = counts.get(n, 0) + 1
    return counts


def english_kinds(catalogue: Iterable[CatalogueEntry]) -> dict[str, set[str]]:
    """English words (and two words said together) that several products' English names or aliases share:
    "kettle" of "kettle 1.5 white" and "kettle 1.7 black", "air fryer" of "air fryer 4.5L" and "air fryer 6L"."""
    owners: dict[str, set[str]] = {}
    for e in catalogue:
        for said in (e.name, *e.aliases):
            said = normalize(said)
            if not re.fullmatch(r"[a-z0-9.\s\-/+]+", said):
                continue
            tokens = re.findall(r"[a-z]+|\d+(?:\.\d+)?", said)
            words = [t if t.isalpha() and len(t) >= 3 and t not in _EN_NOT_A_KIND else "" for t in tokens]
            said_words = {w for w in words if w} | {f"{a} {b}" for a, b in pairwise(words) if a and b}
            for w in said_words:
                owners.setdefault(w, set()).add(e.sku)
    return {w: skus for w, skus in owners.items() if len(skus) >= 2}


CatalogueKey = tuple[tuple[str, str, tuple[str, ...], str, str], ...]


def catalogue_key(catalogue: Iterable[CatalogueEntry]) -> CatalogueKey:
    """What the index is built from (the unit too: "小桶" picks among the products sold by the 桶)."""
    return tuple((e.sku, e.name, tuple(e.aliases), e.category, e.unit) for e in catalogue)
