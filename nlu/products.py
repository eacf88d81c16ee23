"""Products named in a message, from the catalogue passed in (never from code).

``ProductIndex`` is built once per catalogue (and dealer alias library) and cached: it knows every
SKU, name and alias, spelling variants of model codes ("AP-300", "ap 300", "AP300"), the generic
words in product names ("净化器", "滤网": one product or a category of several), and finds near
misses ("AP3000", "DH-2O", "净化气300") when exactly one product is that close, and Chinese words typed
with the wrong character of the same sound, as pinyin input produces them ("进化器" / "静化器" for 净化器,
"虑网" for 滤网: ``pypinyin``, with the usual fuzzy-pinyin pairs in/ing, en/eng, an/ang, z/zh, c/ch, s/sh).

This module is the one place that answers "which product did they mean": the parser's mentions
(``find``), the words it could not place (``unknown_codes``) and the suggestions the chat offers for
them (``suggest``).

``find`` returns ``Mention`` spans over the *normalized* text (``nlu.normalize``), longest names
first, so "AP300滤网" is the filter and not the purifier. A generic word next to a model code is
read together: "AP300的滤网" is the filter whose name has "AP300", "空气净化器AP300" is AP300.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import IntEnum
from functools import lru_cache
from itertools import islice, pairwise, product

from pypinyin import Style, pinyin
from rapidfuzz import fuzz, process, utils
from rapidfuzz.distance import Levenshtein

from nlu.glossary import GLOSSARY, MODIFIERS
from nlu.normalize import normalize
from nlu.numbers import QUANTITY, UNITS
from nlu.schema import CatalogueEntry


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


_CJK = re.compile(r"[\u4e00-\u9fff]+")
_MODEL = re.compile(r"[a-z]+(?:[- ]?[a-z]+)*[- ]?\d+[a-z0-9]*|[a-z]+-[a-z]+")
_LOOSE_MODEL = re.compile(r"(?<![a-z0-9])[a-z]{1,5}[- ]?[0-9oil]{1,5}(?:[a-z]{0,3})(?![a-z0-9])")
_CJK_MODEL = re.compile(r"[\u4e00-\u9fff]{2,5}\d{2,4}")
# sizes and specs inside names: "195/65R15", "600x1200", "800×800", "500ml"
_SPEC = re.compile(r"(?<![a-z0-9])\d+[a-z]{1,3}-?\d+[a-z]{0,3}(?![0-9a-z])"   # grades and codes: 5w-40, 48v12ah
                   r"|(?<![0-9.])(?<![a-z]\d)\d+(?:\.\d+)?\s?(?:ml|l|升|寸|kg|g|ah|mah|mm2|mm|cm|m|米|w|瓦|匹|p|hp|v|伏|平方|㎡)"
                   r"(?![a-z0-9])"
                   r"|(?<![a-z0-9])\d+(?:\s?[/x*\-]\s?\d+)+[a-z]{0,2}\d*(?:c(?![a-z0-9]))?(?![0-9])")
# a size or grade on its own: what tells siblings of one series apart ("19寸", "-45", "205 55 16", "195/75r16c")
_SIBLING_SPEC = re.compile(
    r"(?<![a-z0-9.])\d{3}\s?[/ ]\s?\d{2}\s?(?:z?r|\s)\s?\d{2}c?(?![a-z0-9])"
    r"|(?<![a-z0-9.])\d{3}r\d{2}c?(?![a-z0-9])"
    r"|(?:(?<![a-z0-9.])[-−]|零下|(?<![a-z0-9.]))\d{1,3}(?:\.\d)?\s?(?:寸|度|分|v|伏|w|瓦|kg|ml|l|g|平方|mm|公斤|斤|升|毫升|克)(?![a-z0-9])"
    r"|(?:(?<![a-z0-9.])[-−]|零下)\d{2}(?![a-z0-9.])"
    r"|(?<![a-z0-9.])\d{2,4}(?=\s?的)"
    r"|(?<=[和、跟或及])\d{2,4}(?=\s?(?:各|都))")          # "光瓶的42和52各10箱"
_SIZE = r"(?<![a-z0-9.])\d+(?:\.\d+)?\s?(?:ml|l|升|毫升|kg|g|克|公斤|寸|ah|mah|w|瓦|匹|hp|v|伏)(?![a-z0-9])"
_SIZE_AFTER = re.compile(rf"\s?(?:的)?\s?(?P<size>{_SIZE})")
_SIZE_BEFORE = re.compile(rf"(?P<size>{_SIZE})\s?(?:的)?\s?$")
_BIG_SMALL_AFTER = re.compile(r"\s?(?:\d{1,5}\s?)?(?:的)?\s?(?P<bs>[大小])(?:瓶|包|袋|桶|罐|盒|支|号|规格|装|听)")
_BIG_SMALL_BEFORE = re.compile(r"(?P<bs>[大小])(?:瓶|包|袋|桶|罐|盒|支|号|规格|装|听)(?:的|装的)?\s?(?:那个|这个)?\s?$")
_MEASURES = {"ml": ("ml", 1), "毫升": ("ml", 1), "l": ("ml", 1000), "升": ("ml", 1000), "g": ("g", 1), "克": ("g", 1),
             "kg": ("g", 1000), "公斤": ("g", 1000), "斤": ("g", 500)}
_MEASURE = re.compile(r"(?<![a-z0-9.])(\d+(?:\.\d+)?)\s?(ml|毫升|l|升|kg|公斤|g|克|斤)(?![a-z0-9])")


def _measure(name: str) -> tuple[str, Decimal] | None:
    """A product's size in one measure ("120ml" -> ("ml", 120), "1L" -> ("ml", 1000)), from its name."""
    found = [m for m in _MEASURE.finditer(normalize(name)) if not normalize(name)[m.end():m.end() + 1] == "/"]
    if not found:
        return None
    m = found[-1]               # "草铵膦 200g/L 1L": the pack, not the strength
    unit, factor = _MEASURES[m.group(2)]
    return unit, Decimal(m.group(1)) * factor


_OPPOSITE = {"前": "后", "后": "前", "内": "外", "外": "内", "左": "右", "右": "左", "上": "下", "下": "上", "冷": "热",
             "热": "冷", "黑": "白", "白": "黑", "单": "双", "双": "单"}
_OPPOSITE_CHARS = re.compile("[" + "".join(_OPPOSITE) + "]")
# characters that end the words naming a product: a verb or a number begins the rest of the line
_TELLING_STOP = frozenset("来要订拿配补整搞发给卖还也再和跟与及或的了吧呢啊吗么一二两三四五六七八九十百千")
_PARTICLES = frozenset("的了吗呢吧啊和跟与或")
# words of a variant line: a size, S/M/L, a Chinese run, an English word
_VARIANT_UNITS = r"(?:kg|公斤|斤|ml|毫升|l|升|g|克|寸|cm|mm2|mm|平方|mah|ah|w|瓦|v|伏|a|安|p|匹|分(?!钟)|米|公分|号)"
_VARIANT_TOKEN = re.compile(rf"\d+(?:\.\d+)?\s?{_VARIANT_UNITS}(?![a-z0-9])|(?<![a-z0-9])(?:xs|s|m|l|xl|xxl)"
                            r"(?![a-z])|[\u4e00-\u9fff]+|[a-z]{3,}")
_VARIANT_SIZE = re.compile(rf"\d+(?:\.\d+)?\s?{_VARIANT_UNITS}(?![a-z0-9])")
# a number and its measure word in an alias ("成犬20斤", "10公斤"): no word of the product's own
_MEASURE_WORD = re.compile(r"\d+(?:\.\d+)?\s?(?:公斤|千克|毫升|毫安|厘米|毫米|平方|[斤升克寸米号瓦伏安匹码层件个只支包袋箱盒瓶罐台套把口])")
# an alias that is a word of the kind and a size ("豆腐砂6L", "成犬3斤"): the word names the products of that kind
_KIND_AND_SIZE = re.compile(r"([\u4e00-\u9fff]{2,6})\s?\d+(?:\.\d+)?\s?(?:kg|公斤|千克|斤|l|升|ml|毫升|g|克|寸|cm|mm|米|w|瓦|v|伏|"
                            r"ah|匹|p|号|层|件套?)?")
_SIZE_AND_KIND = re.compile(r"\d+(?:\.\d+)?\s?(?:kg|公斤|斤|l|升|ml|毫升|g|克|寸|cm|mm|米|w|瓦|v|伏|a|安|ah|匹|p|平方|号)?\s?"
                            r"([\u4e00-\u9fff]{2,6})")
# a number alone that may be a size ("炒锅32的", "保温杯 500 粉"): not one of a run of numbers ("225 55 17", "24 26")
_BARE_NUMBER = re.compile(r"(?<![\d.a-z/\-])(?<!(?<![a-z])\d\d\s)(?<!(?<![a-z\d])\d\s)(?<!\d[/x*])(?:\d{1,2}\.\d{1,2}|\d{2,4})"
                          rf"(?=\s?[\u4e00-\u9fff]|\s+\d+\s?(?:{'|'.join(u for u in UNITS if not u.isascii())})|\s+[a-z]{{3,}}|\s?[x*]\s?\d)"
                          r"(?!\s?(?:公斤|斤|毫升|升|克|寸|瓦|伏|安|匹))")
# "不粘30/32/34各6口": numbers of some of the names in a list before 各, one line each
_NUMBER_LIST = re.compile(r"(?<![\d.])\d{1,4}(?:\s?[/、,，和]\s?\d{1,4})+(?=\s?的?\s?各)")
# a correction of the product just said: the words after it tell which product was meant
_CORRECTED = re.compile(r"(?:哦不对|哦不是|不对不对|不对|错了|写错了?|搞错了?|说错了?|弄错了?|打错了?|哦不|不不|等下|等一下|等等|\b(?:sorry|i mean|no wait|"
                        r"oops)\b)[\s,，.!！]*(?:是|要|应该是|应该要|换成|改成|改为)?\s*")
# one product of a line changed for another of its kind, named by the words that tell them apart
_SWAPPED = re.compile(r"(?:换成|换为|改成|改为|换|\b(?:change|switch|swap)(?: it| them)? (?:to|for)|\bmake (?:it|them))"
                      r"\s*(?:是|要|成)?\s*")
# between two words of several products read together: nothing, 的, a space, one short word ("2.5平方的线红色")
_JOINED = re.compile(r"[\s的]*(?:[\u4e00-\u9fff](?<![来要订拿配补整和跟与及或也还再]))?[\s的]*")
_VARIANT_FILLER = frozenset({"号", "味", "装", "款", "型", "色", "那个", "这个", "要", "来", "的"})
_SIZE_WORDS_CN: dict[str, str] = {}
_NUMERALS = frozenset("零〇一二两俩三四五六七八九十百千万廿卅壹贰叁肆伍陆柒捌玖拾")
_GRADE_HEADS = frozenset("一二三四五六七八九十大小中高低单双")
_CHINESE_UNITS = {"ah": "安", "v": "伏", "w": "瓦", "l": "升", "p": "匹"}
# "省油胎 205 55 16": 胎 between series and size; "65w gan charger": one English word between
_GROUP_GAP = re.compile(r"[\s的之\-/]{0,3}|[\u4e00-\u9fff]\s?|\s(?!and\b|or\b|with\b|plus\b)[a-z]{2,8}\s")
_SIZE_WORDS = {"升": "l", "l": "升", "寸": "in", "毫升": "ml", "ml": "毫升", "匹": "p", "p": "匹", "hp": "匹", "w": "瓦",
               "平方": "mm2", "mm2": "平方", "㎡": "平方",
               "瓦": "w", "米": "m", "m": "米", "mah": "毫安", "v": "伏", "伏": "v"}
_CN_DIGITS = str.maketrans("零〇一二三四五六七八九", "00123456789")
_CN_DIGIT_RUN = re.compile(r"[零〇一二三四五六七八九]{3,}|(?<=[a-z])[一二三四五六七八九]十(?![一二三四五六七八九])|"
                           r"(?<=[a-z])[零〇一二两三四五六七八九](?=[a-z0-9\s]|$)|[一二两三四五六七八九](?=[a-z])")


_CN_SIZE = re.compile(r"[零一二两三四五六七八九十百]{1,4}(?:点[零一二三四五六七八九]{1,2})?"
                      r"(?=\s?(?:寸|升|公斤|匹|米|平方|毫升|安|瓦|伏|mm|kg|l\b|[apwv](?![a-z])))")


def _size_digits(m: re.Match[str]) -> str:
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


def _as_digits(m: re.Match[str]) -> str:
    """Chinese digits written inside a code, one character each ("二二五四五一七" -> "2254517", "六qw六十" ->
    "6qw60"): the same length, so positions stay valid."""
    word = m.group(0).replace("两", "2")
    if word.endswith("十"):
        return word[0].translate(_CN_DIGITS) + "0"
    return word.translate(_CN_DIGITS)
def _ALNUM(ch: str) -> bool:  # noqa: N802 - read as a character class
    return ch.isascii() and ch.isalnum()


def _LATIN(ch: str) -> bool:  # noqa: N802
    return "a" <= ch <= "z"


_GENERIC = frozenset({"产品", "机器", "家用", "商用", "复合", "大通量", "免安装", "反渗透"})
# a model code no product has: "XY123", "BV10-R", "SW-4K-W", "CB-XL-BM" (letters and digits joined by dashes)
_UNKNOWN_CODE = re.compile(r"(?<![a-z0-9-])(?:(?=[a-z0-9-]*\d)[a-z][a-z0-9]{0,7}(?:-[a-z0-9]{1,6}){1,3}"
                           r"|[a-z]{1,5}-?\d{2,5}[a-z]{0,3}|[a-z]{2,4}(?:-[a-z]{1,4}){2,3})(?![a-z0-9-])")
_TIMES = re.compile(r"x\d+|q[1-4]|\d+x")       # "x20" is a quantity, "q4" a quarter: no product codes
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


def _compact(s: str) -> str:
    return re.sub(r"[\s\-_]", "", s)


def _spec_variants(spec: str) -> set[str]:
    """Ways people type a size: "195/65r15" -> 195/65r15, 19565r15, 1956515, 195 65 15, 195-65-15, 195*65r15;
    "5w-30" -> 5w30, 5w 30; "4l" -> 4 l, 4升."""
    if m := re.fullmatch(r"(\d+(?:\.\d+)?)\s?(ml|l|升|寸|kg|g|ah|mah|mm2|mm|cm|m|米|w|瓦|匹|p|hp|v|伏|平方|㎡)", spec):
        out = {m[1] + m[2], m[1] + " " + m[2]}
        if m[2] in _SIZE_WORDS:
            out.add(m[1] + _SIZE_WORDS[m[2]])
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


def _variants(key: str) -> set[str]:
    """Ways people type a code: "fl-ap300" -> fl-ap300, flap300, fl ap300; "ap300" -> ap-300, ap 300;
    "cl-sp135-yw" -> also cl-sp135yw, clsp135-yw (each dash kept or dropped)."""
    out = {key, _compact(key), key.replace("-", " ")}
    chunks = re.findall(r"[a-z]+|\d+", _compact(key))
    if 2 <= len(chunks) <= 4 and "".join(chunks) == _compact(key):     # "6qw60" -> 6-qw-60, 6 qw 60
        out |= {"-".join(chunks), " ".join(chunks)}
    pieces = key.split("-")
    if 2 < len(pieces) <= 4:
        for mask in range(1 << (len(pieces) - 1)):
            out.add(pieces[0] + "".join(("-" if mask >> i & 1 else "") + p for i, p in enumerate(pieces[1:])))
    m = re.fullmatch(r"([a-z]+)(\d+[a-z]*)", _compact(key))
    if m:
        out |= {f"{m[1]}-{m[2]}", f"{m[1]} {m[2]}"}
    return {v for v in out if v}


class ProductIndex:
    def __init__(self, catalogue: Sequence[CatalogueEntry], dealer_aliases: dict[str, str] | None = None) -> None:
        self.entries = {e.sku: e for e in catalogue}
        keys: dict[str, tuple[Strength, set[str]]] = {}

        def add(key: str, sku: str, strength: Strength, *, digits: int = 6) -> None:
            key = normalize(key)
            if len(key) < 2 or key.isdigit() and len(key) < digits:    # a short number is a quantity, not a name
                return
            if re.fullmatch(r"[x*×]\s?\d+", key):           # "x 24" of "罐×24" is how a count is written
                return
            old = keys.get(key)
            if old is None or strength > old[0]:
                keys[key] = (strength, {sku})
            elif strength == old[0]:
                old[1].add(sku)

        kinds: set[str] = set()
        for e in catalogue:
            name = normalize(e.name)
            for key in (e.sku, *e.aliases):
                for v in _variants(normalize(key)):
                    add(v, e.sku, Strength.EXACT, digits=3)      # an alias "958" the maker chose is a name
            head, _, rest = normalize(e.sku).partition("-")     # "HN-H6-70": dealers drop the maker's prefix
            if rest and head.isalpha() and re.search(r"\d", rest) and len(_compact(rest)) >= 3 \
                    and not (rest.isdigit() and _sizes_of(catalogue).get(rest, 0) > 1):   # "EN-500": 500 is a size
                for v in _variants(rest):
                    add(v, e.sku, Strength.NAME)
            add(name, e.sku, Strength.EXACT)
            add(name.replace(" ", ""), e.sku, Strength.EXACT)
            for m in _MODEL.finditer(name):
                for v in _variants(m.group(0)):
                    add(v, e.sku, Strength.NAME)
            for m in _SPEC.finditer(name):
                for v in _spec_variants(m.group(0)):
                    add(v, e.sku, Strength.NAME)
            for run in _CJK.findall(name):
                for i in range(len(run) - 1):
                    word = run[i:]
                    if word not in _GENERIC and len(word) >= 2:
                        add(word, e.sku, Strength.CATEGORY)
                if len(run) > 2 and run[0] in _GRADE_HEADS:     # "一级" of "一级能效", "大桶" of "大桶装": a grade
                    add(run[:2], e.sku, Strength.CATEGORY)
                if len(run) > 2 and run[-1] in "味型款色号装":        # "鸡肉" of "鸡肉味", "米黄" of "米黄色"
                    kinds.add(run[:-1])
                for a in range(len(run) - 2):          # "无骨雨刮" inside "净视无骨雨刮器": words within a name
                    for b in range(a + 3, len(run)):
                        if run[a:b] not in _GENERIC:
                            add(run[a:b], e.sku, Strength.CATEGORY)
            # the maker's word for the kind ("狗粮" of every dog food) and the Chinese words of its aliases
            # ("成猫" of "成猫10公斤"): words of the product, several products when they share them
            said_whole = [normalize(a) for a in e.aliases]
            said = [_MEASURE_WORD.sub(" ", a) for a in said_whole]
            kinds.update(w for w in (*_CJK.findall(normalize(e.category)),
                                     *(w for a in said for w in _CJK.findall(a) if w in name),
                                     *(f.group(1) for f in map(_KIND_AND_SIZE.fullmatch, said_whole) if f),
                                     *(f.group(1) for f in map(_SIZE_AND_KIND.fullmatch, said_whole) if f))
                         if len(w) >= 2 and w not in _GENERIC)
        for word, owners in _english_kinds(catalogue).items():     # "kettle", "air fryer": English words of a kind
            if word not in keys:
                for sku in owners:
                    add(word, sku, Strength.CATEGORY)
        labels = {e.sku: normalize(" ".join((e.name, e.category, *e.aliases))) for e in catalogue}
        kind_words = kinds - keys.keys()
        for word in kind_words:               # every product whose words have it, not only the one alias
            for sku, label in labels.items():
                if word in label:
                    add(word, sku, Strength.CATEGORY)
        for word, sku in (dealer_aliases or {}).items():
            if sku in self.entries:
                for v in _variants(normalize(word)):
                    add(v, sku, Strength.EXACT)
        self._labels = {sku: normalize(" ".join((e.sku, e.name, *e.aliases))) for sku, e in self.entries.items()}
        if any(_CJK.search(label) for label in self._labels.values()):
            for english, words in GLOSSARY.items():          # "brake fluid" for a catalogue in Chinese
                if english not in keys:
                    owners = {sku for sku, label in self._labels.items() if any(w in label for w in words)}
                    if owners:
                        keys[english] = (Strength.NAME if len(owners) == 1 else Strength.CATEGORY, owners)
        self.keys = {k: (s, tuple(sorted(skus))) for k, (s, skus) in keys.items()}
        # keys by their first two characters, longest first: at each position of a message only the keys that
        # can start there are tried (one regex alternation of thousands of keys is linear in the keys)
        self._by_head: dict[str, list[str]] = {}
        for k in sorted(self.keys, key=len, reverse=True):
            self._by_head.setdefault(k[:2], []).append(k)
        self._compact_exact = {_compact(k): v for k, v in self.keys.items() if v[0] >= Strength.NAME}
        # near-miss candidates by (leading letters, length): a typo keeps the series letters and about the length
        self._near: dict[tuple[str, int], list[str]] = {}
        for key, (strength, _) in self._compact_exact.items():
            if strength == Strength.EXACT:
                lead = re.match(r"[a-z]*", key).group(0) if key.isascii() else "\u4e00"  # type: ignore[union-attr]
                self._near.setdefault((lead, len(key)), []).append(key)
        self._names = {sku: _compact(normalize(e.name)) for sku, e in self.entries.items()}
        # Chinese keys by sound, for words typed with a homophone; a sound shared by keys of other products
        # names no one of them
        self._by_sound: dict[tuple[str, ...], str] = {}
        shared: set[tuple[str, ...]] = set()
        for k in self.keys:
            if k in kind_words:       # "批酒" is no typo of the kind word 啤酒: only product words by sound
                continue
            if 2 <= len(k) <= 8 and all("\u4e00" <= c <= "\u9fff" for c in k):
                for snd in sounds(k):
                    old = self._by_sound.get(snd)
                    if old is not None and self.keys[old][1] != self.keys[k][1]:
                        shared.add(snd)
                    elif old is None or len(k) > len(old):
                        self._by_sound[snd] = k
        for snd in shared:
            self._by_sound.pop(snd, None)
        self._sound_lengths = sorted({len(s) for s in self._by_sound}, reverse=True)

    # --- finding --------------------------------------------------------------------------------
    def find(self, text: str, *, siblings: bool = True) -> list[Mention]:
        """Product mentions in normalized ``text``, left to right, not overlapping."""
        found: list[Mention] = []
        # "二二五四五一七" and "六qw六十" as digits (same length: a position in one is a position in the other)
        spelled = _CN_DIGIT_RUN.sub(_as_digits, _CN_SIZE.sub(_size_digits, self.respell(text)))
        for start, end, key in self._extended(self._scan(spelled, text), spelled, text):
            strength, skus = self.keys[key]
            if spelled[start:end] != text[start:end] and len(skus) == 1:
                strength = min(strength, Strength.FUZZY)
            found.append(Mention(start, end, skus, strength, key))
        english = self._english_words(spelled, [m for m in found if len(m.skus) == 1])
        if english:            # "black tumbler 500ml": the words of one product over the size of several
            found = [m for m in found if not any(e.start <= m.start and m.end <= e.end for e in english)] + english
        found += self._near_misses(spelled, found)
        found += self._model_numbers(spelled, found)
        found += self._typed_in_pinyin(spelled, found)
        found.sort(key=lambda x: x.start)
        mentions = [self._by_number(spelled, m) for m in self._combine(spelled, found)]
        mentions = [self._absorbed(spelled, m) for m in self._told_apart(
            spelled, [self._modified(spelled, self._big_or_small(spelled, m)) for m in mentions])]
        if not siblings:
            return self._described(spelled, mentions)
        mentions = self._corrected(spelled, self._described(spelled, self._group_variants(spelled, mentions)))
        return self._other_sizes(spelled, self._opposites(spelled, self._siblings(spelled, mentions)))

    def _narrow(self, skus: set[str], word: str) -> set[str]:
        """The products of ``skus`` whose names or aliases have ``word`` (a size in any of its spellings)."""
        if _VARIANT_SIZE.fullmatch(word):
            spellings = {re.sub(r"\s", "", v) for v in _spec_variants(_SIZE_WORDS_CN.get(word, word))}
            return {s for s in skus if any(v in re.sub(r"\s", "", self._labels[s]) for v in spellings)}
        if re.fullmatch(r"[a-z]{1,3}", word):          # S / M / L / XL: a whole token of the name
            return {s for s in skus if re.search(rf"(?<![a-z]){word}(?![a-z])", self._labels[s])}
        return {s for s in skus if word in self._labels[s]}

    def _family(self, m: Mention) -> set[str]:
        """The products of the kind a one-product mention names ("狗罐头" of "狗罐头 牛肉味"): the longest key that
        begins its words and names several products including it; empty when there is none."""
        word = m.word
        for size in range(len(word) - 1, 1, -1):
            key = self.keys.get(word[:size].strip())
            if key is not None and len(key[1]) >= 2 and m.sku in key[1]:
                return set(key[1])
        return set()

    def _descriptors(self, text: str, base: set[str], *, numbers: bool = True) -> list[tuple[int, int, set[str]]]:
        """Words of ``text`` that pick some (not all) of ``base``: sizes, S/M/L, Chinese words (the longest piece
        of each run that narrows), as (start, end, products)."""
        out = []
        for n in _BARE_NUMBER.finditer(text) if numbers else ():
            hit = {s for s in base if re.search(rf"(?<![\d.]){re.escape(n.group(0))}(?![\d])", self._labels[s])}
            if hit and hit != base:           # "炒锅32的": the number some of the names have
                out.append((n.start(), n.end(), hit))
        for m in _VARIANT_TOKEN.finditer(text):
            word = m.group(0)
            if _CJK.fullmatch(word):
                best = None
                for size in range(len(word), 0, -1):
                    for i in range(len(word) - size + 1):
                        piece = word[i:i + size]
                        if piece in _TELLING_STOP or piece in _VARIANT_FILLER:
                            continue
                        hit = self._narrow(base, piece)
                        if hit and hit != base:
                            best = (m.start() + i, m.start() + i + size, hit)
                            break
                    if best:
                        break
                if best:
                    out.append(best)
                continue
            hit = self._narrow(base, word)
            if not hit and re.fullmatch(r"[a-z]{3,}", word):      # "blue", "warm": the Chinese words they stand for
                hit = {s for w in MODIFIERS.get(word, ()) for s in self._narrow(base, w)}
            if not hit and (number := re.match(r"\d+(?:\.\d+)?(?=\s?[a-z\u4e00-\u9fff])", word)):
                # "2.5mm" for a wire named 2.5平方: the number of the size, when its unit is written otherwise
                hit = {s for s in base if re.search(rf"(?<![\d.]){re.escape(number.group(0))}(?![\d])", self._labels[s])}
            if hit and hit != base:
                out.append((m.start(), m.end(), hit))
        return out

    def _group_variants(self, text: str, mentions: list[Mention]) -> list[Mention]:
        """"狗罐头 牛肉味的来5箱 鸡肉的来3箱", "猫抓板大的6个 小的12个", "牵引绳S10 M15 L5", "豆腐砂 6L的30包 10L的15包": a word
        of several products, then one line per variant, each named by the words that tell the products apart
        (a size said once before the lines holds for every line)."""
        out = list(mentions)
        for n, head in enumerate(mentions):
            base, end, first = set(head.skus), head.end, 0
            if len(base) < 2:
                family = self._family(head)          # "狗罐头 牛肉味的来5箱 鸡肉的来3箱": the first line named the kind
                if not family:
                    continue
                base, first = family, 1
            nxt = mentions[n + 1] if n + 1 < len(mentions) else None
            if first == 0 and nxt is not None and nxt.start - end <= 1 and len(base & set(nxt.skus)) >= 2:
                base, end = base & set(nxt.skus), nxt.end          # "2L饮水机": a size and a word, still several
            limit = next((m.start for m in mentions[n + 1:] if m.start >= end and (not set(m.skus) <= base or m.sku)),
                         len(text))
            tail = text[end:limit]
            counts = [q for q in QUANTITY.finditer(tail) if q.group("unit") or re.match(r"\s?[,，;；、]|\s*$", tail[q.end():])]
            if len(counts) < 2 - first:
                continue
            made: list[Mention] = []
            start, carry = (counts[0].end(), set(base)) if first else (0, set(base))
            for q in counts[first:]:
                found = self._descriptors(tail[start:q.start()], base)
                picked = set(base)
                for _, _, hit in found:
                    picked &= hit
                if len(picked) > 1:
                    picked &= carry
                if found and len(picked) == 1:
                    a, b = end + start + found[0][0], end + start + found[-1][1]
                    made.append(Mention(a, b, tuple(picked), Strength.NAME, text[a:b]))
                elif found and not made:
                    carry = picked or carry         # "狗粮10kg的 幼犬的…": the size holds for the lines after it
                start = q.end()
            if len(made) >= 2 - first:
                drop = set() if first else {id(head), id(nxt) if nxt is not None and end == nxt.end else 0}
                out = [m for m in out if id(m) not in drop and not any(m.start < x.end and x.start < m.end for x in made)]
                out += made
        return sorted(out, key=lambda x: x.start)

    def _described(self, text: str, mentions: list[Mention]) -> list[Mention]:
        """"牵引绳要M号的，10根", "猫粮要幼猫的 10袋", "成猫的10公斤来5袋", "暖光的球泡 20个": a word of several products
        and, on its line (before it, or after it up to its count), words that tell those products apart: the
        products all those words leave; one product is that product. "磨牙棒 牛肉的鸡肉的各15包": words that each
        leave a different one product name one line each."""
        out: list[Mention] = []
        skip: set[int] = set()
        for n, m in enumerate(mentions):
            if n in skip:
                continue
            base = set(m.skus)
            nxt = mentions[n + 1].start if n + 1 < len(mentions) else len(text)
            if len(base) < 2:
                out.append(m)
                out += self._also(text, m, nxt)
                continue
            last = out[-1] if out else None
            later = mentions[n + 1] if n + 1 < len(mentions) else None
            if (later is not None and later.sku in base and _JOINED.fullmatch(text[m.end:later.start])) or (
                    last is not None and last.sku in base and _JOINED.fullmatch(text[last.end:m.start])):
                continue             # "bulb 9w warm": the word of the kind is read with the one product next to it
            if last is not None and len(last.skus) > 1 and _JOINED.fullmatch(text[last.end:m.start]) \
                    and 0 < len(set(last.skus) & base) < min(len(base), len(last.skus)):
                out.pop()            # "白色的乳胶漆 18升": two words of several products, read together
                base = set(last.skus) & base
                m = Mention(last.start, m.end, tuple(sorted(base)),
                            Strength.NAME if len(base) == 1 else m.strength, text[last.start:m.end])
                if len(base) == 1:
                    out.append(m)
                    continue
            prev = out[-1].end if out else 0
            after, after_at = self._line_words(text, m.end, nxt, forward=True, base=base)
            before, before_at = self._line_words(text, prev, m.start, forward=False)
            found = self._words_telling(before, before_at, base, text) + self._words_telling(after, after_at, base, text)
            singles = [f for f in found if len(f[2]) == 1]
            if len(singles) >= 2 and len({next(iter(f[2])) for f in singles}) == len(singles) \
                    and all(f[0] >= m.end for f in singles):
                out += [Mention(a, b, tuple(hit), Strength.NAME, text[a:b]) for a, b, hit in singles]
                continue
            picked = set(base)
            for _, _, hit in found:
                if picked & hit:
                    picked &= hit
            listed = _NUMBER_LIST.search(text, m.end, min(nxt, m.end + 20))
            if listed is not None and listed.start() - m.end <= 4 and len(picked) > 1:
                lines = [(n.start(), n.end(), {s for s in picked if re.search(rf"(?<![\d.]){n.group(0)}(?!\d)",
                                                                            self._labels[s])})
                         for n in re.finditer(r"\d{1,4}", listed.group(0))]
                if all(len(hit) == 1 for _, _, hit in lines) and len({next(iter(h)) for _, _, h in lines}) == len(lines):
                    out += [Mention(listed.start() + a, listed.start() + b, tuple(hit), Strength.NAME,
                                    text[listed.start() + a:listed.start() + b]) for a, b, hit in lines]
                    continue
            if len(picked) > 1:        # "狗粮10kg的 幼犬的来5包 成犬的3包": a size said before holds for the lines after
                for size in reversed(_VARIANT_SIZE.findall(text, 0, m.start)):
                    held = self._narrow(picked, size.replace(" ", ""))
                    if len(held) == 1:
                        picked = held
                        break
            if len(picked) > 1:        # "成犬粮来8包 要20kg的", "豆腐猫砂20包，10L的": the telling words after the count
                after_count = self._after_count(text, m.end, nxt, picked)
                later = mentions[n + 1] if n + 1 < len(mentions) else None
                if after_count is None and later is not None and len(picked & set(later.skus)) == 1 \
                        and self._after_count(text, m.end, len(text), picked) is not None:
                    after_count = picked & set(later.skus)
                    skip.add(n + 1)      # "20kg" there tells this line's product, it is no line of its own
                if after_count is not None:
                    picked = after_count
            later = mentions[n + 1] if n + 1 < len(mentions) else None
            if len(picked) > 1 and not _VARIANT_SIZE.fullmatch(m.word.strip()) and not (
                    later is not None and later.start - m.end <= 8 and picked & set(later.skus)):
                # "猫罐 金枪鱼的4箱，鸡肉的6箱": a word of several products on the line after a line of one product
                picked = self._of_the_line_before(text, out, m, nxt, picked)
            if picked == base:
                out.append(m)
                continue
            start, end = min([m.start, *(f[0] for f in found)]), max([m.end, *(f[1] for f in found)])
            out.append(Mention(start, end, tuple(sorted(picked)), Strength.NAME if len(picked) == 1 else m.strength,
                               text[start:end]))
        return out

    def _after_count(self, text: str, start: int, nxt: int, picked: set[str]) -> set[str] | None:
        """The one product of ``picked`` that words right after the line's count tell ("来8包 要20kg的"): the words
        up to the next product or clause end, with no other count among them; None when they tell none."""
        line = text[start:min(nxt, start + 24)]
        counts = list(QUANTITY.finditer(line))
        usable = [q for q in counts if q.group("unit")]
        if len(usable) != 1:
            return None
        tail_at = start + usable[0].end()
        tail = text[tail_at:min(nxt, tail_at + 10)]
        tail = re.split(r"[。；;！!？?\n]|还有|另外|然后|再来|再要", tail)[0]
        if not tail.strip(" ,，") or QUANTITY.search(tail.replace("的", "")) and not _VARIANT_SIZE.search(tail) \
                and not re.match(r"[\s,，]*(?:要|是)?\d{2,4}(?:\.\d+)?\s?的", tail):      # "来20箱 500的"
            return None
        found = self._words_telling(tail, tail_at, picked, text)
        if not found:
            return None
        kept = set(picked)
        for _, _, hit in found:
            if kept & hit:
                kept &= hit
        return kept if len(kept) == 1 else None

    def _of_the_line_before(self, text: str, before: list[Mention], m: Mention, nxt: int,
                            picked: set[str]) -> set[str]:
        """The products of ``picked`` of the same kind as the last one product named before (its line ended with
        a count), when that leaves one other product; of several, the one that shares most of its other words."""
        last = next((x for x in reversed(before) if x.sku), None)
        if last is None or last.sku is None or last.sku in picked:      # "猫砂" after 豆腐砂10L: the wider word
            return picked
        gap = text[last.end:m.start]
        line = text[m.end:nxt]
        if not (QUANTITY.search(gap) or re.search(r"不要|删|去掉|换成|改成|换", gap)
                or re.fullmatch(r"[\s的和跟与及、,，]*", gap)) or not re.search(r"各|\d|[一二两三四五六七八九十]", line[:12]):
            return picked        # the line before has ended, and this word has a count of its own
        kind = picked & (self._family(last) | {last.sku})
        if not kind or kind == picked:
            # "猫罐 金枪鱼的4箱，鸡肉的6箱": the smallest word of several products the last one shares that leaves one
            for group in self._kinds_of(last.sku):
                if len(picked & group) == 1:
                    return picked & group
            return picked
        chosen = self._most_alike(last.sku, kind)
        return {chosen} if chosen is not None else picked

    def _corrected(self, text: str, mentions: list[Mention]) -> list[Mention]:
        """"白胶布50卷 不对是黑的", "圆吸顶灯大的8套 哦不 小的", "6平方红色4卷 搞错了 是4平方的": after a product's
        line, a correction word and words that tell another product of its kind apart (no product named) name
        that product: the one the words leave that shares most of the first one's other words."""
        out = list(mentions)
        marks = sorted([*_CORRECTED.finditer(text), *_SWAPPED.finditer(text)], key=lambda c: c.start())
        for c in marks:
            before = [m for m in out if m.end <= c.start() and m.sku]
            if not before:
                continue
            anchor = before[-1]
            if c.re is _SWAPPED:          # "白桃气泡水换成青柠的 8箱", "change stainless floor drain to brass"
                if len(text[anchor.end:c.start()].strip(" 的")) > 0:
                    continue
            elif not QUANTITY.search(text, anchor.end, c.start()):
                continue                  # "64二铵颜色不对": no line was said, nothing to correct
            said = next((m for m in out if c.end() <= m.start < c.end() + 2), None)
            if said is not None:          # "双开金色20个 写错了 是灰色": a word of several products, of the kind
                if len(said.skus) > 1 and anchor.sku not in said.skus:      # "5W暖光20 不对5W要30": its count
                    for group in self._kinds_of(anchor.sku or ""):
                        others = (set(said.skus) & group) - {anchor.sku or ""}
                        chosen = self._most_alike(anchor.sku or "", others) if others else None
                        if chosen is not None:
                            out = [m for m in out if m is not said] + [
                                Mention(said.start, said.end, (chosen,), Strength.NAME, said.word)]
                            break
                continue
            nxt = next((m.start for m in out if m.start >= c.end()), len(text))
            words, at = self._line_words(text, c.end(), min(nxt, c.end() + 10), forward=True)
            for group in self._kinds_of(anchor.sku or ""):
                found = self._words_telling(words, at, group)
                picked = set(group)
                for _, _, hit in found:
                    picked &= hit
                if not found or not picked or anchor.sku in picked:
                    continue
                chosen = self._most_alike(anchor.sku or "", picked)
                if chosen is not None:
                    a, b = found[0][0], found[-1][1]
                    out.append(Mention(a, b, (chosen,), Strength.NAME, text[a:b]))
                    break
        return sorted(out, key=lambda x: x.start)

    def _most_alike(self, sku: str, candidates: set[str]) -> str | None:
        """Of ``candidates``, the one whose name shares most words with ``sku``'s; None when two tie."""
        if len(candidates) == 1:
            return next(iter(candidates))
        words = set(re.findall(r"[a-z0-9.]+|[\u4e00-\u9fff]", self._labels[sku]))
        shared = {c: len(words & set(re.findall(r"[a-z0-9.]+|[\u4e00-\u9fff]", self._labels[c]))) for c in candidates}
        best = max(shared.values())
        top = [c for c, n in shared.items() if n == best]
        return top[0] if len(top) == 1 else None

    def _english_sets(self) -> dict[str, list[tuple[frozenset[str], str]]]:
        """English aliases and names as word sets, by each of their words ("nonstick wok 32" -> {nonstick, wok,
        32}): built at first need."""
        table: dict[str, list[tuple[frozenset[str], str]]] | None = self.__dict__.get("_english_table")
        if table is None:
            table = {}
            for sku, e in self.entries.items():
                for said in (e.name, *e.aliases):
                    said = normalize(said)
                    if not re.fullmatch(r"[a-z0-9.\s\-/+]+", said) or not re.search(r"[a-z]{3,}", said):
                        continue
                    words = frozenset(_english_word(w) for w in re.findall(r"[a-z]+|\d+(?:\.\d+)?", said))
                    if len(words) >= 2:
                        for w in words:
                            table.setdefault(w, []).append((words, sku))
            self._english_table = table
        return table

    def _english_words(self, text: str, taken: list[Mention]) -> list[Mention]:
        """"wok 32 nonstick x20", "need the black tumbler 500ml, 48 pcs", "cast iron wok, the 34cm one": the words
        of a product's English alias said in any order, plural or with their units, within a few words; the
        product whose alias has the most of them (one product, else none)."""
        if not re.search(r"[a-z]{3,}", text):
            return []
        table = self._english_sets()
        if not table:
            return []
        tokens = [(t.start(), t.end(), _english_word(t.group(0))) for t in re.finditer(r"[a-z]+|\d+(?:\.\d+)?", text)
                  if all(t.end() <= m.start or t.start() >= m.end for m in taken)]
        out: list[Mention] = []
        i = 0
        while i < len(tokens):
            best: tuple[int, int, str] | None = None       # (words, end token, sku)
            tie = False
            for words, sku in table.get(tokens[i][2], ()):
                span = [k for k in range(i, min(len(tokens), i + 8)) if tokens[k][2] in words]
                if {tokens[k][2] for k in span} != words:
                    continue
                end = max(next(k for k in span if tokens[k][2] == w) for w in words)
                if best is None or len(words) > best[0]:
                    best, tie = (len(words), end, sku), False
                elif len(words) == best[0] and sku != best[2]:
                    tie = True
            if best is None or tie or not any(c.isalpha() for _, _, w in tokens[i:best[1] + 1] for c in w):
                i += 1
                continue
            a, b = tokens[i][0], tokens[best[1]][1]
            out.append(Mention(a, b, (best[2],), Strength.NAME, text[a:b]))
            i = best[1] + 1
        return out

    def _kinds_of(self, sku: str) -> list[set[str]]:
        """The words of several products that ``sku`` is one of, as product sets, smallest first (built at first
        need: most messages never ask)."""
        table: dict[str, list[set[str]]] | None = self.__dict__.get("_kinds_table")
        if table is None:
            table = {}
            seen: set[tuple[str, ...]] = set()
            for strength, skus in self.keys.values():
                if strength == Strength.CATEGORY and len(skus) >= 2 and skus not in seen:
                    seen.add(skus)
                    for owner in skus:
                        table.setdefault(owner, []).append(set(skus))
            for groups in table.values():
                groups.sort(key=len)
            self._kinds_table = table
        return table.get(sku, [])

    def _also(self, text: str, m: Mention, nxt: int) -> list[Mention]:
        """"羊毛刷 S的M的各10把": after one product, words joined to it by 和/的…各 that each name another product
        of its kind name those too."""
        family = self._family(m)
        if not family:
            return []
        words, at = self._line_words(text, m.end, nxt, forward=True)
        if not re.search(r"各|和|跟|、|及", text[m.end:min(nxt, m.end + 14)]):
            return []
        return [Mention(a, b, tuple(hit), Strength.NAME, text[a:b]) for a, b, hit in self._words_telling(words, at, family)
                if len(hit) == 1 and m.sku not in hit]

    def _words_telling(self, words: str, at: int, base: set[str], text: str | None = None) -> list[tuple[int, int, set[str]]]:
        """``_descriptors`` of each piece of ``words`` between particles ("牛肉的鸡肉的": 牛肉, 鸡肉), placed at ``at``
        (bare numbers read in ``text``, the whole message, when given: what follows them tells a size from a count)."""
        out = []
        for n in _BARE_NUMBER.finditer(text if text is not None else words, at if text is not None else 0):
            a, b = (n.start(), n.end()) if text is not None else (n.start() + at, n.end() + at)
            if b > at + len(words):
                break
            hit = {s for s in base if re.search(rf"(?<![\d.]){re.escape(n.group(0))}(?![\d])", self._labels[s])}
            if hit and hit != base:
                out.append((a, b, hit))
        for piece in re.finditer(r"[^的和跟与及、/\s要来拿配补整搞]+", words):
            whole = re.sub(r"[号码款型色味装]$", "", re.sub(r"[^\u4e00-\u9fff]", "", piece.group(0)))
            # one Chinese character tells products apart only said on its own ("白的"), not inside a word ("外包装")
            out += [(a + at + piece.start(), b + at + piece.start(), hit)
                    for a, b, hit in self._descriptors(piece.group(0), base, numbers=False)
                    if b - a > 1 or not _CJK.match(piece.group(0)[a:b]) or len(whole) == 1]
        return out

    def _line_words(self, text: str, start: int, end: int, *, forward: bool,
                    base: set[str] | None = None) -> tuple[str, int]:
        """The words next to a product on its line, as (words, where they begin): after it up to its count (a
        number that is no size; "炒锅32的不粘 20口": a bare number of some of ``base``'s names before another
        count is a size too) or the next product, at most 14 characters; before it back to the last count,
        product or clause, at most 8."""
        if forward:
            reach = 24 if re.search(r"[a-z]{3,}", text[start:start + 14]) else 14     # "32 stainless 6口": longer words
            window = text[start:min(end, start + reach)]
            sizes = [(s.start(), s.end()) for s in _VARIANT_SIZE.finditer(window)]
            counts = [q for q in QUANTITY.finditer(window) if not any(a <= q.start() < b for a, b in sizes)]
            # "5.5的" / "32的": a number of some names that cannot be a count (a fraction, or said with 的) is a size
            while counts and base and not counts[0].group("unit") and self._numbered(base, counts[0]) and (
                    len(counts) > 1 or "." in counts[0].group("num") or window[counts[0].end():].startswith("的")
                    or _CJK.match(window[counts[0].end():counts[0].end() + 1])
                    and window[counts[0].end()] not in _TELLING_STOP):        # "炒锅32不粘还有吗"
                counts.pop(0)
            count = counts[0].start() if counts else len(window)
            window = window[:count]
            stop = re.search(r"[。；;！!？?\n]|(?:还有|另外|然后|再来|再要)", window)
            return (window[:stop.start()] if stop else window), start
        # English words are longer: "single gang switch" needs more than "白色的开关"
        begin = max(start, end - (18 if re.search(r"[a-z]{3,}\s*$", text[max(start, end - 18):end]) else 8))
        window = text[begin:end]
        cut = max((x.end() for x in (*re.finditer(r"[,，。；;！!？?、\n]", window), *QUANTITY.finditer(window))),
                  default=0)
        return window[cut:], begin + cut

    def _numbered(self, base: set[str], q: re.Match[str]) -> bool:
        """Some but not all of ``base`` have the bare number ``q`` in their names ("32" of 32cm)."""
        digits = q.group(0).strip()
        bare = _BARE_NUMBER.match(q.string, q.start())
        if not re.fullmatch(r"\d+(?:\.\d+)?", digits) or bare is None or bare.group(0) != digits:
            return False
        hit = {s for s in base if re.search(rf"(?<![\d.]){re.escape(digits)}(?![\d])", self._labels[s])}
        return bool(hit) and hit != base

    def _absorbed(self, text: str, m: Mention) -> Mention:
        """"20寸无骨30支": Chinese words right after a product that its own name has (无骨 of 净视无骨雨刮器) belong to
        the product's words, so the count after them is its count."""
        sku = m.sku
        if sku is None or m.strength == Strength.UNKNOWN:
            return m
        start = m.start
        # "200 pcs 86 back boxes": a number between a count and the product, that the product's name has (86型)
        lead = re.search(r"(?<![\d.])\d+\s?(?:pcs|pc|units?|boxes|box|sets?|cases?|cs|ctns?|个|只|套|盒|箱)\s?"
                         r"(\d{1,5})\s?$", text[:m.start])
        if lead is not None and re.search(rf"(?<!\d){lead.group(1)}(?!\d)", self._labels[sku]):
            start = lead.start(1)
        end = m.end
        while end < len(text) and end - m.end < 6 and _CJK.match(text[end]) and text[end] not in _TELLING_STOP \
                and text[m.end:end + 1] in self._labels[sku]:
            end += 1
        if end - m.end < 2:          # one character alone ("20寸的", "AP300来") is no word of the name
            end = m.end
        if (start, end) == (m.start, m.end):
            return m
        return Mention(start, end, m.skus, m.strength, text[start:end], m.near)

    def _modified(self, text: str, m: Mention) -> Mention:
        """"black pens", "rear brake pads", "the summer washer fluid": an English colour, position or size word
        next to a word of several products keeps those whose names have it."""
        if len(m.skus) < 2:
            return m
        start, end, skus = m.start, m.end, set(m.skus)
        before = re.search(r"([a-z]+)\s$", text[:start])
        after = re.match(r"\s([a-z]+)(?![a-z])", text[end:])
        for found, at_start in ((before, True), (after, False)):
            words = MODIFIERS.get(found.group(1)) if found is not None else None
            if found is None or words is None:
                continue
            narrowed = {s for s in skus if any(w in self._labels[s] for w in words)}
            if narrowed and narrowed != skus:
                skus = narrowed
                if at_start:
                    start = found.start(1)
                else:
                    end += found.end(1)
        if skus == set(m.skus):
            return m
        return Mention(start, end, tuple(sorted(skus)), Strength.NAME if len(skus) == 1 else m.strength,
                       text[start:end])

    def _told_apart(self, text: str, mentions: list[Mention]) -> list[Mention]:
        """"哈弗H6后片", "朗逸那个前刹车片": a word of several products followed by a character that only one of them
        has in its name or aliases (后 of 后轮) is that one; a generic word right after it is read with it."""
        out: list[Mention] = []
        n = 0
        while n < len(mentions):
            m = mentions[n]
            n += 1
            if len(m.skus) < 2:
                out.append(m)
                continue
            chosen = None
            for i in range(m.end, min(len(text), m.end + 4)):
                ch = text[i]
                if not _CJK.match(ch) or ch in _TELLING_STOP:
                    break
                owners = [s for s in m.skus if ch in self._labels[s]]
                if len(owners) == 1:
                    chosen = (i + 1, owners[0])
                    break
            if chosen is None:
                out.append(m)
                continue
            end, sku = chosen
            start = m.start
            if out and sku in out[-1].skus and len(out[-1].skus) > 1 and m.start - out[-1].end <= 1:
                start = out.pop().start                     # "哈弗|H6后片"
            while n < len(mentions) and mentions[n].start <= end and sku in mentions[n].skus:
                end = max(end, mentions[n].end)             # "朗逸那个前|刹车片"
                n += 1
            out.append(Mention(start, end, (sku,), Strength.NAME, text[start:end]))
        return out

    def _opposites(self, text: str, mentions: list[Mention]) -> list[Mention]:
        """"速腾前片10套 后片5套", "胎压内置的不要了 换外置": after a product, the opposite word (后 for 前, 外 for 内)
        names the product whose words are the first one's with that word swapped, when exactly one is."""
        out = list(mentions)
        for o in _OPPOSITE_CHARS.finditer(text):
            at = o.start()
            if any(m.start <= at < m.end and m.sku for m in out):
                continue
            before = [m for m in out if m.end <= at and m.sku]
            if not before:
                continue
            anchor = max(before, key=lambda m: m.end)
            k = anchor.word.rfind(_OPPOSITE[o.group(0)])
            if k < 0:
                continue
            wording = anchor.word[:k] + o.group(0) + anchor.word[k + 1:]
            named = [m for m in self.find(wording, siblings=False) if m.sku and m.sku != anchor.sku]
            if len(named) != 1:
                continue
            suffix = anchor.word[k + 1:]
            end = at + 1
            while end - at - 1 < len(suffix) and end < len(text) and text[end] == suffix[end - at - 1]:
                end += 1
            if end == at + 1 and _CJK.match(text[end:end + 1] or " "):
                if text[end] in suffix:
                    end += 1          # "后片" after "朗逸前刹车片"
                elif text[end] not in "的了":
                    continue          # "前天", "后来": the character begins another word
            over = [m for m in out if m.start < end and at < m.end]
            out = [m for m in out if m not in over] + [Mention(at, end, named[0].skus, Strength.NAME, text[at:end])]
        return sorted(out, key=lambda x: x.start)

    def _big_or_small(self, text: str, m: Mention) -> Mention:
        """"嘧菌酯小瓶的", "大袋的尿素": a word of several products of one kind in several sizes, said with 大 or 小,
        is the biggest or the smallest of them (when their sizes are written in one measure)."""
        if len(m.skus) < 2:
            return m
        after = _BIG_SMALL_AFTER.match(text, m.end)
        before = _BIG_SMALL_BEFORE.search(text, 0, m.start)
        said = after or before
        if said is None:
            return m
        sizes: dict[str, tuple[str, Decimal]] = {}
        for sku in m.skus:
            size = _measure(self.entries[sku].name)
            if size is None:
                return m
            sizes[sku] = size
        if len({unit for unit, _ in sizes.values()}) != 1:
            return m
        pick = max if said.group("bs") == "大" else min
        best = pick(sizes.values(), key=lambda s: s[1])
        chosen = [sku for sku, size in sizes.items() if size == best]
        if len(chosen) != 1:
            return m
        start, end = (m.start, after.end()) if after is not None else (said.start(), m.end)
        return Mention(start, end, (chosen[0],), Strength.NAME, text[start:end])

    def _other_sizes(self, text: str, mentions: list[Mention]) -> list[Mention]:
        """"草甘膦200ml的来3箱" when the one 草甘膦 is 1L: a size written with a product that the product does not
        have names no product (the dealer is asked, with the product as a suggestion), never the other size."""
        out = []
        for n, m in enumerate(mentions):
            sku = m.sku
            if sku is None:
                out.append(m)
                continue
            nxt = mentions[n + 1].start if n + 1 < len(mentions) else len(text)
            prev = mentions[n - 1].end if n else 0
            after = _SIZE_AFTER.match(text, m.end, nxt)
            before = _SIZE_BEFORE.search(text, prev, m.start)
            sizes = [x.group("size") for x in (after, before) if x is not None]
            label = re.sub(r"\s", "", self._labels[sku])
            if any(not any(re.sub(r"\s", "", v) in label for v in _spec_variants(size)) for size in sizes):
                start = before.start("size") if before is not None else m.start
                end = after.end("size") if after is not None else m.end
                out.append(Mention(start, end, (), Strength.UNKNOWN, text[start:end], near=(sku,)))
            else:
                out.append(m)
        return out

    def _siblings(self, text: str, mentions: list[Mention]) -> list[Mention]:
        """"SP9 19寸的要4条 20寸的要4条", "-25防冻液 12桶 -45的 8桶", "雪狼 225 55 17 配12条 205 55 16 配8条": a size or
        grade written on its own after a product names that product's sibling, the product named by the first
        product's words with the size swapped, when exactly one is (else what it named on its own stays)."""
        out = list(mentions)
        made: list[Mention] = []
        for t in _SIBLING_SPEC.finditer(text):
            over = [m for m in out if m.start < t.end() and t.start() < m.end]
            if any(m.start < t.start() or m.end > t.end() for m in over):
                continue               # the size is part of a longer product word
            before = [m for m in out if m.end <= t.start() and m.sku and m not in made
                      and not _SIBLING_SPEC.fullmatch(m.word.strip())]
            if not before:
                continue
            anchor = max(before, key=lambda m: m.end)
            spec = next(reversed(list(_SIBLING_SPEC.finditer(anchor.word))), None) or \
                re.search(r"(?<![a-z0-9.])\d{2,4}$", anchor.word)                     # its last size
            if spec is None:
                continue
            wording = anchor.word[:spec.start()] + t.group(0) + anchor.word[spec.end():]
            named = [m for m in self.find(wording, siblings=False) if m.sku and m.sku != anchor.sku]
            if len(named) != 1 or named[0].end - named[0].start < len(wording) - 2:
                continue
            sibling = Mention(t.start(), t.end(), named[0].skus, Strength.NAME, t.group(0))
            made.append(sibling)
            out = [m for m in out if m not in over] + [sibling]
        return sorted(out, key=lambda x: x.start)

    def _pinyin_keys(self) -> dict[str, str]:
        """Chinese product words by their pinyin, digits kept ("纯生小罐" -> "chunshengxiaoguan", "三个15" ->
        "sange15"): names, aliases and whole Chinese words of names; a spelling shared by words of different
        products names none. Built at first need: most messages have no pinyin in them."""
        table = self.__dict__.get("_pinyin_table")
        if table is not None:
            return table  # type: ignore[no-any-return]
        words = {k for k, (strength, _) in self.keys.items() if strength >= Strength.NAME and _CJK.search(k)}
        for e in self.entries.values():
            for text in (e.name, *e.aliases):
                words.update(w for w in _CJK.findall(normalize(text)) if len(w) >= 2 and w in self.keys)
        table = {}
        shared: set[str] = set()
        for word in words:
            spelled = "".join(p[0] for p in pinyin(word, style=Style.NORMAL, errors="default"))
            spelled = re.sub(r"[^a-z0-9]", "", spelled)
            if len(re.sub(r"\d", "", spelled)) < 5 or not re.search(r"[a-z]", spelled):
                continue
            old = table.get(spelled)
            if old is not None and self.keys[old][1] != self.keys[word][1]:
                shared.add(spelled)
            elif old is None or len(self.keys[word][1]) < len(self.keys[old][1]):
                table[spelled] = word
        for spelled in shared:
            table.pop(spelled, None)
        self._pinyin_table = table
        return table

    def _typed_in_pinyin(self, text: str, taken: list[Mention]) -> list[Mention]:
        """"chunsheng xiaoguan 20 jian", "hongzuan 52": a product word typed in pinyin (no Chinese input at hand)."""
        if not re.search(r"[a-z]{5,}", text):
            return []
        table = self._pinyin_keys()
        tokens = [t for t in re.finditer(r"[a-z0-9]+", text)
                  if all(t.end() <= m.start or t.start() >= m.end for m in taken)]
        out: list[Mention] = []
        i = 0
        while i < len(tokens):
            hit = None
            for j in range(min(len(tokens), i + 5) - 1, i - 1, -1):
                if any(text[tokens[n].end():tokens[n + 1].start()].strip() for n in range(i, j)):
                    continue
                word = table.get("".join(t.group(0) for t in tokens[i:j + 1]))
                if word is not None:
                    hit = (j, word)
                    break
            if hit is None:
                i += 1
                continue
            start, end = tokens[i].start(), tokens[hit[0]].end()
            out.append(Mention(start, end, self.keys[hit[1]][1], Strength.FUZZY, text[start:end]))
            i = hit[0] + 1
        return out

    def _model_numbers(self, text: str, taken: list[Mention]) -> list[Mention]:
        """"300的改成十五台": a bare number said with 的 is the product whose code is that number after its series
        letters (AP300), when exactly one is; never a quantity."""
        out = []
        for m in re.finditer(r"(?<![\d.a-z/x*-])(\d{2,5})(?=\s?的)", text):
            if any(t.start < m.end() and m.start() < t.end for t in taken):
                continue
            owners = [sku for sku in self.entries if re.fullmatch(rf"[a-z]+-?{m.group(1)}", sku.lower())]
            if len(owners) == 1 and _sizes_of(self.entries.values()).get(m.group(1), 0) <= 1:   # "500的": a size
                out.append(Mention(m.start(), m.end(), (owners[0],), Strength.NAME, m.group(1)))
        return out

    def _by_number(self, text: str, m: Mention) -> Mention:
        """"浴室柜900的", "800的鱼肚白": a word of several products next to a bare number that only one of them
        has in its name or aliases is that product."""
        if len(m.skus) < 2:
            return m
        after = re.match(r"\s?的?\s?(?:[-−]|零下)?(\d{2,5}|[一二两三四五六七八九十百千]{2,4})(?![\d.a-z/x*])", text[m.end:])
        # "-40的玻璃水", "零下40的": a grade written with its minus sign (not the "-30" of "5w-30")
        before = re.search(r"(?:(?<![\w.])[-−]|零下)?(?<![\d.a-z/x*])(?<![a-z0-9][-−])"
                           r"(\d{2,5}|[一二两三四五六七八九十百千]{2,4})\s?(?:v|伏|w|瓦|寸|升|l|ml|kg|g)?\s?的?$",
                           text[:m.start])
        for found, start, end in ((after, m.start, m.end + after.end()) if after else (None, 0, 0),
                                  (before, before.start() if before else 0, m.end) if before else (None, 0, 0)):
            if found is None:
                continue
            number = found.group(1)
            if not number.isdigit():          # "三百的净化器"
                from nlu.numbers import parse_int

                value = parse_int(number.replace("两", "二"))
                if value is None or value < 10:
                    continue
                number = str(value)
            owners = [s for s in m.skus if re.search(rf"(?<!\d){number}(?!\d)", self._labels[s])]
            if len(owners) == 1:
                return Mention(start, end, (owners[0],), Strength.EXACT, text[start:end])
        return m

    def respell(self, text: str) -> str:
        """``text`` with Chinese words that sound like a product word but are written otherwise ("进化器",
        "虑网") written as that product word; same length, so positions stay valid."""
        if not self._by_sound:
            return text
        out = list(text)
        for run in _CJK.finditer(text):
            i = run.start()
            while i < run.end():
                step = 1
                for n in self._sound_lengths:
                    j = i + n
                    if j > run.end():
                        continue
                    word = text[i:j]
                    if word[0] in _NUMERALS or word[0] in _PARTICLES:
                        break             # "三桶" is three buckets, not the "三通" it sounds like; "的线" no "地线"
                    key = next((k for snd in sounds(word) if (k := self._by_sound.get(snd)) is not None), None)
                    if key is None:
                        continue
                    # a two-character word must share a character with the key ("虑网"/"滤网"): two syllables
                    # alone match too much ordinary speech
                    if key != word and (n >= 3 or set(word) & set(key)):
                        out[i:j] = key
                    step = n
                    break
                i += step
        return "".join(out)

    def unknown_codes(self, text: str, mentions: list[Mention]) -> list[Mention]:
        """Model-like codes in ``text`` that are no product ("XY123"), as mentions naming nothing: they take
        the quantity written with them, so it is never given to another product."""
        def free(a: int, b: int) -> bool:
            return all(b <= m.start or a >= m.end for m in mentions)

        return [Mention(m.start(), m.end(), (), Strength.UNKNOWN, m.group(0))
                for m in _UNKNOWN_CODE.finditer(text) if free(m.start(), m.end()) and not _TIMES.fullmatch(m.group(0))]

    def suggest(self, words: Sequence[str], limit: int = 3) -> list[tuple[str, float]]:
        """Up to ``limit`` SKUs closest to ``words`` (unknown product words), best first, with a 0-100 score
        (rapidfuzz WRatio over SKUs, names and aliases; a word that sounds like a product word scores 90)."""
        if not self.entries:
            return []
        choices, owners = self._choices()
        best: dict[str, float] = {}
        for word in [w for w in words if w.strip()][:8]:
            query = utils.default_process(word)
            if not query:
                continue
            pool = self._sharing(query)
            for _, score, index in process.extract(query, {i: choices[i] for i in pool}, scorer=fuzz.WRatio,
                                                   processor=None, limit=limit * 3, score_cutoff=SUGGEST_CUTOFF):
                sku = owners[index]
                best[sku] = max(best.get(sku, 0.0), float(score))
            spelled = self.respell(normalize(word))
            if spelled != normalize(word):
                for m in self.find(spelled):
                    for sku in m.skus:
                        best[sku] = max(best.get(sku, 0.0), 90.0)
        return sorted(best.items(), key=lambda pair: (-pair[1], pair[0]))[:limit]

    def _sharing(self, query: str, cap: int = 400) -> list[int]:
        """Indexes of the choices that share a character pair (or, for one character, that character) with
        ``query``, most shared first: WRatio over 2,000 products' names for every unknown word is too slow."""
        choices, _ = self._choices()
        grams = self.__dict__.get("_grams")
        if grams is None:
            grams = {}
            for i, c in enumerate(choices):
                for g in {c[j:j + 2] for j in range(len(c) - 1)} | set(c):
                    grams.setdefault(g, []).append(i)
            self._grams = grams
        shared: dict[int, int] = {}
        for g in {query[j:j + 2] for j in range(len(query) - 1)} or set(query):
            for i in grams.get(g, ()):
                shared[i] = shared.get(i, 0) + 1
        return sorted(shared, key=lambda i: -shared[i])[:cap]

    def _choices(self) -> tuple[list[str], list[str]]:
        cached = getattr(self, "_choice_cache", None)
        if cached is None:
            choices: list[str] = []
            owners: list[str] = []
            for e in self.entries.values():
                for name in dict.fromkeys((e.sku, e.name, *e.aliases)):
                    if name:
                        choices.append(utils.default_process(name))     # once, not per suggestion
                        owners.append(e.sku)
            cached = (choices, owners)
            self._choice_cache = cached
        return cached

    def _extended(self, hits: list[tuple[int, int, str]], text: str, written: str) -> list[tuple[int, int, str]]:
        """"eco 185 65 15": a key ("eco 185") that a longer key starting inside it ("185 65 15") continues, with a
        product in common, is read as the longer span (named by the longer key)."""
        out: list[tuple[int, int, str]] = []
        for n, (start, end, key) in enumerate(hits):
            limit = hits[n + 1][0] if n + 1 < len(hits) else len(text)
            best = None
            for inner in range(start + 1, end):
                for later in self._scan(text[inner:limit], written[inner:limit])[:1]:
                    if later[0] == 0 and inner + later[1] > end and \
                            set(self.keys[later[2]][1]) & set(self.keys[key][1]):
                        best = (inner + later[1], later[2])
                if best:
                    break
            if best is None:
                out.append((start, end, key))
                continue
            other = self.keys[best[1]][1]
            mine = self.keys[key][1]
            # the span named by whichever key names fewer products
            out.append((start, best[0], best[1] if len(other) < len(mine) else key))
        return out

    def _scan(self, text: str, written: str | None = None) -> list[tuple[int, int, str]]:
        """Leftmost-longest keys in ``text``, not overlapping. A latin/digit key must not start or end inside a
        longer code ("ap300" in "ap3000"); "x20" may follow one ("ap300x20"). ``written``: the text before
        Chinese digits became digits: "s7二二五四五一七" is two words though "s72254517" would be one."""
        written = written or text
        out: list[tuple[int, int, str]] = []
        pos, n = 0, len(text)
        while pos < n - 1:
            hit = None
            for key in self._by_head.get(text[pos:pos + 2], ()):
                if not text.startswith(key, pos):
                    continue
                end = pos + len(key)
                if key[0].isascii() and key[0].isalnum() and pos and _ALNUM(text[pos - 1]) and _ALNUM(written[pos]):
                    continue
                if key[0].isascii() and key[0].isalnum() and pos > 1 and text[pos - 1] == "-" and _ALNUM(text[pos - 2]) \
                        and re.match(r"-[a-z0-9]", text[pos + len(key):pos + len(key) + 2]):
                    continue          # "16r" of "cb-16r-x": inside another code
                if (_LATIN(key[-1]) and len(key) > 3 or key[-1].isdigit() and _LATIN(key[0]) and len(key) > 2) \
                        and text[end:end + 1] == "s" and not _ALNUM(text[end + 1:end + 2] or " "):
                    end += 1          # "shower heads", "3 AP12s": a plural of an English name or of a code
                if key[-1].isascii() and key[-1].isalnum() and end < n and _ALNUM(written[end - 1]) and (
                        text[end].isdigit() and text[end].isascii()
                        or _LATIN(text[end]) and not (text[end] == "x" and end + 1 < n and text[end + 1].isdigit())):
                    continue
                if "-" in key and re.match(r"-[a-z0-9]", text[end:end + 2]) and not re.match(r"-\d+(?:[a-z]{0,3})?\b(?!-)",
                                                                                         text[end:end + 8]):
                    continue          # "cb-16r-x": a longer code than the product's "cb-16r", not that product
                hit = (pos, end, key)
                break
            if hit is None:
                pos += 1
            else:
                out.append(hit)
                pos = hit[1]
        return out

    def _near_misses(self, text: str, taken: list[Mention]) -> list[Mention]:
        def free(a: int, b: int) -> bool:
            return all(b <= t.start or a >= t.end for t in taken)

        out: list[Mention] = []
        for m in _LOOSE_MODEL.finditer(text):
            if not free(m.start(), m.end()) or re.match(r"-[a-z0-9]", text[m.end():m.end() + 2]) \
                    or text[m.start() - 1:m.start()] == "-":
                continue          # "cb-16r" of "cb-16r-x": part of a longer code
            word = m.group(0)
            head = re.match(r"[a-z]+", word)
            letters = head.group(0) if head else ""
            rest = _compact(word[len(letters):]).replace("o", "0").replace("i", "1").replace("l", "1")
            if not rest[:1].isdigit():
                continue
            candidate = letters + rest
            if candidate in self._compact_exact and self._compact_exact[candidate][0] == Strength.EXACT:
                out.append(Mention(m.start(), m.end(), self._compact_exact[candidate][1], Strength.FUZZY, word))
                continue
            hit = self._closest(candidate, latin=True)
            if hit:
                out.append(Mention(m.start(), m.end(), hit, Strength.FUZZY, word))
        for m in _CJK_MODEL.finditer(text):
            if free(m.start(), m.end()):
                hit = self._closest(m.group(0), latin=False)
                if hit:
                    out.append(Mention(m.start(), m.end(), hit, Strength.FUZZY, m.group(0)))
        return out

    def _closest(self, word: str, *, latin: bool) -> tuple[str, ...] | None:
        """The one product whose exact key is one edit away from ``word`` (4+ characters), else None."""
        if len(word) < 4:
            return None
        owners: set[str] = set()
        # "XP300" is another series, not a typo of "AP300"; "AP3000" and "AP30O" are
        lead = re.match(r"[a-z]*", word).group(0) if latin else "\u4e00"  # type: ignore[union-attr]
        for size in (len(word) - 1, len(word), len(word) + 1):
            for key in self._near.get((lead, size), ()):
                if key.isascii() == latin and Levenshtein.distance(word, key, score_cutoff=1) <= 1 \
                        and not _other_number(word, key):
                    owners.update(self._compact_exact[key][1])
        return (owners.pop(),) if len(owners) == 1 else None

    def _combine(self, text: str, found: list[Mention]) -> list[Mention]:
        """Read a generic word and an adjacent model code as one product ("AP300的滤网", "除湿机DH12")."""
        out: list[Mention] = []
        i = 0
        while i < len(found):
            group = self._group(text, found, i)     # "金装 5W-40 4L", "哈弗H6 前刹车片": several words, one product
            if group is not None:
                out.append(group[0])
                i = group[1]
                continue
            cur = found[i]
            nxt = found[i + 1] if i + 1 < len(found) else None
            if nxt is not None and re.fullmatch(r"[\s的之\-/]{0,3}", text[cur.end:nxt.start]):
                merged = self._merge(cur, nxt)
                if merged is not None:
                    out.append(merged)
                    i += 2
                    continue
            out.append(cur)
            i += 1
        return out

    def _group(self, text: str, found: list[Mention], i: int) -> tuple[Mention, int] | None:
        """Adjacent words whose products have exactly one in common (each word naming several): that one."""
        common = set(found[i].skus)
        if not common:
            return None
        j = i + 1
        while j < len(found) and _GROUP_GAP.fullmatch(text[found[j - 1].end:found[j].start]):
            narrowed = common & set(found[j].skus)
            if not narrowed:
                break
            common = narrowed
            j += 1
            if len(common) == 1:
                break
        if j - i < 2 or len(common) != 1:
            return None
        if len(found[i].skus) == 1 and j - i == 2 and len(found[j - 1].skus) == 1:
            return None          # two products named one after the other: not one product
        word = text[found[i].start:found[j - 1].end]
        return Mention(found[i].start, found[j - 1].end, tuple(common), Strength.EXACT, word), j

    def _merge(self, a: Mention, b: Mention) -> Mention | None:
        both = set(a.skus) & set(b.skus)
        if a.strength >= Strength.NAME and b.strength >= Strength.NAME and len(both) == 1 and (
                a.sku is None or b.sku is None):          # "PC7 205/55R16": a series and a size, one product
            return Mention(a.start, b.end, tuple(both), Strength.EXACT, a.word + b.word)
        kinds = {a.strength, b.strength}
        if Strength.CATEGORY not in kinds or kinds == {Strength.CATEGORY}:
            return None
        category, model = (a, b) if a.strength == Strength.CATEGORY else (b, a)
        start, end, word = a.start, b.end, a.word + b.word
        if model.sku and model.sku in category.skus:                    # 除湿机DH12, 空气净化器AP300
            return Mention(start, end, (model.sku,), Strength.EXACT, word)
        code = _compact(model.word)
        named = tuple(s for s in category.skus if code in self._names[s])
        if len(named) == 1:                                             # AP300的滤网 -> the AP300 filter
            return Mention(start, end, named, Strength.EXACT, word)
        return None

    def best(self, text: str) -> Mention | None:
        """The one product mention of normalized ``text`` that names a product best (exact names before near
        misses, then the longest), else None."""
        found = [m for m in self.find(text) if m.sku]
        return max(found, key=lambda m: (m.strength, m.end - m.start)) if found else None

    # --- for prompts and suggestions ----------------------------------------------------------------
    def label(self, sku: str) -> str:
        e = self.entries.get(sku)
        return f"{e.name}（{e.sku}）" if e else sku


def _other_number(word: str, key: str) -> bool:
    """"AF55" against "AF45": one digit written for another is another model, not a typo (a digit more or less,
    "AP3000", or a letter for a digit, "AP30O", are typos)."""
    return len(word) == len(key) and any(a != b and a.isdigit() and b.isdigit() for a, b in zip(word, key, strict=True))


_EN_SAME = {"large": "l", "big": "l", "small": "s", "medium": "m", "mid": "m", "grey": "gray", "non": "nonstick",
            "stainless": "steel", "ss": "steel"}


def _english_word(word: str) -> str:
    """One spelling per English word of a product: singular ("woks" -> "wok", "boxes" -> "box"), the size
    letter for large/small/medium."""
    if len(word) > 4 and word.endswith("es") and word[-3] in "sxz":
        word = word[:-2]
    elif len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    return _EN_SAME.get(word, word)


_EN_NOT_A_KIND = {"the", "and", "for", "with", "per", "new", "one", "type", "size", "pro", "plus", "max", "mini", "inch",
                  "litre", "liter", "ltr", "pcs", "piece", "kit", *(u for u in UNITS if u.isascii())}


def _sizes_of(catalogue: Iterable[CatalogueEntry]) -> dict[str, int]:
    """How many products have each number in their names outside a code ("500" of 冰红茶500ml and 绿茶500ml: 2;
    not the "300" of "AP300滤网")."""
    return _sizes_cached(_catalogue_key(catalogue))


@lru_cache(maxsize=8)
def _sizes_cached(key: tuple[tuple[str, str, tuple[str, ...], str], ...]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for _, name, _, _ in key:
        for n in set(re.findall(r"(?<![\d.a-z])\d+(?![\d.])", normalize(name))):
            counts[n] = counts.get(n, 0) + 1
    return counts


def _english_kinds(catalogue: Iterable[CatalogueEntry]) -> dict[str, set[str]]:
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


def _catalogue_key(catalogue: Iterable[CatalogueEntry]) -> tuple[tuple[str, str, tuple[str, ...], str], ...]:
    return tuple((e.sku, e.name, tuple(e.aliases), e.category) for e in catalogue)


@lru_cache(maxsize=64)
def _cached(key: tuple[tuple[str, str, tuple[str, ...], str], ...],
            aliases: tuple[tuple[str, str], ...]) -> ProductIndex:
    return ProductIndex([CatalogueEntry(sku=s, name=n, aliases=list(a), category=c) for s, n, a, c in key],
                        dict(aliases))


_LAST: list[tuple[Sequence[CatalogueEntry], int, tuple[tuple[str, str], ...], ProductIndex]] = []


def product_index(catalogue: Sequence[CatalogueEntry], dealer_aliases: dict[str, str] | None = None) -> ProductIndex:
    """The index for this catalogue and alias library, built once and reused (the chat parses every message).
    The same list object as the last call (the chat's catalogue cache hands out one) skips building the key."""
    aliases = tuple(sorted((dealer_aliases or {}).items()))
    for seen, size, known, index in _LAST:      # the object itself is held, so its id cannot be reused
        if seen is catalogue and size == len(catalogue) and known == aliases:
            return index
    index = _cached(_catalogue_key(catalogue), aliases)
    _LAST.insert(0, (catalogue, len(catalogue), aliases, index))
    del _LAST[4:]
    return index


def find_product(text: str, catalogue: Sequence[CatalogueEntry],
                 dealer_aliases: dict[str, str] | None = None) -> str | None:
    """The SKU of the one product ``text`` names best (exact names before near misses), else None."""
    best = product_index(catalogue, dealer_aliases).best(normalize(text))
    return best.sku if best else None


def suggest_products(words: Sequence[str], catalogue: Sequence[CatalogueEntry],
                     limit: int = 3) -> list[tuple[CatalogueEntry, float]]:
    """Up to ``limit`` catalogue entries closest to ``words``, best first, with a 0-100 score ("did you mean")."""
    index = product_index(catalogue)
    return [(index.entries[sku], score) for sku, score in index.suggest(words, limit)]
