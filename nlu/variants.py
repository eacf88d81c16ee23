"""The variants of a series said after it: "晴雨盾砖红18L 5桶 白5L 10桶", "木韵 亮光1L 卖了10 哑光1L 8",
"铁卫铁红1kg 卖了20 3kg 5", "净味宝 白18L 米黄18L 浅灰18L 各2桶".

A catalogue that names its products "<series> <variant> <variant>" ("彩岚净味宝内墙乳胶漆 白色 5L", "踏远疾风跑鞋
黑白 41码") says which words tell the products of one series apart. ``VariantTable`` reads that from the names
(the first word is the series, the words after it its variants: colours, grades, sizes with their units), and
``chunks`` finds, after a product or a series word of the line, the runs of variant words that have a count of
their own: each names the product of that series with those variants, the variants not said being those of the
product before it ("3kg" after "铁卫铁红1kg": the red 3 kg). A run the series has no product for ("砖红5L" when red
comes only in 18 L) is named back as unknown, never read as another product.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from nlu.english_variants import CHINESE_OF
from nlu.glued_sizes import SPELLED_SIZE, glued_series, has_glued_size, size_spellings
from nlu.normalize import normalize
from nlu.numbers import parse_int
from nlu.schema import CatalogueEntry
from nlu.size_words import BARE_SIZE, series_size

# a number and its unit as written in names and messages -> the unit's one spelling
# ("2000型" of a reel is its size 2000, as "5号" is 5)
_UNITS = {"l": "l", "升": "l", "公升": "l", "ml": "ml", "毫升": "ml", "kg": "kg", "公斤": "kg", "千克": "kg",
          "斤": "斤", "g": "g", "克": "g", "mm": "mm", "毫米": "mm", "cm": "cm", "公分": "cm", "厘米": "cm",
          "m": "m", "米": "m", "寸": "寸", "in": "寸", "inch": "寸", '"': "寸", "码": "", "号": "", "分": "分", "丝": "丝",
          "度": "度", "fr": "fr", "件套": "件套", "连包": "连", "连": "连", "格": "格", "人": "人", "孔": "孔", "门": "门",
          "档": "档", "挡": "档", "头": "头", "槽": "槽", "腰": "", "型": "",
          # the resolution, channels, ports, zoom and capacity of a name's glued sizes (``nlu.glued_sizes``)
          "万": "万", "路": "路", "ch": "路", "口": "口", "倍": "倍", "匹": "匹", "t": "t", "tb": "t"}
_NUMBER = re.compile(r"(?<![a-z0-9.])(\d+(?:\.\d+)?)(?:\s?(毫升|公升|公斤|千克|毫米|公分|厘米|inch|ml|kg|mm|cm|in|fr|件套|连包|升|斤|克|米|寸|码|号|腰|型|丝|度|连|格|人|孔|门|档|挡|头|槽|万|路|口|倍|匹|分(?!钟|别)|tb|ch|l|g|m|t|\"))?"
                     # "5件套10套": a count may be glued after a unit in Chinese, never after a letter or a digit
                     r"(?(2)(?:(?<=[\u4e00-\u9fff])(?![a-z])|(?![a-z0-9]))|(?![a-z0-9]))")
# English colour and finish words dealers use for the Chinese ones of names
_ENGLISH = {"white": "白", "black": "黑", "grey": "灰", "gray": "灰", "red": "红", "blue": "蓝", "pink": "粉",
            "green": "绿", "yellow": "黄", "beige": "米黄", "ivory": "象牙白", "brown": "棕", "purple": "紫",
            "gloss": "亮光", "matte": "哑光", "matt": "哑光", "silver": "银", "gold": "金", "orange": "橙",
            "chrome": "铬", "navy": "藏青", "khaki": "卡其", "clear": "透明", "can": "听", "cans": "听", "bottle": "瓶",
            "bottles": "瓶", "walnut": "胡桃", "oak": "橡", "teak": "柚木", "cherry": "樱桃", "maple": "枫木",
            "natural": "原木", "smoked": "烟熏", "cream": "米白"}
# two English words for one Chinese variant word ("light oak" 浅橡, "warm white" 暖白: english_variants' vocabulary)
_ENGLISH_PAIRS = {said: chinese for said, chinese in CHINESE_OF.items() if " " in said}
# the words at the end of a name that tell its series' products apart: a size ("1.8m", "41码", "8杯"), a short word
# ("白色", "荧光绿", "哑光"), a short code ("xl")
_VARIANT_WORD = re.compile(r"-\d+(?:\.\d+)?度|\d[^\s]*|[\u4e00-\u9fff]{1,3}|[a-z]{1,3}|[a-z]{1,4}-?\d[a-z0-9/-]*")
# a size said in Chinese numerals before 的 ("二十的", "二十五的")
_CN_DIGITS = "零一二两三四五六七八九十百"
_CN_SIZE = re.compile(rf"[{_CN_DIGITS}]{{1,4}}(?=\s?[的嘅])")
# between the words of one run: a space, 的
_GLUE = re.compile(r"[\s的]{0,2}")
# after a run: its own count ("5桶", "卖了10", "x8", "要两双") or the count of the runs before it ("各2桶")
_COUNTED = re.compile(r"\s?(?:装的?|[的嘅码号])?\s?(?:也|还|再|都)?(?:卖了|卖咗|卖出|出了|走了|要|来|补|拿|配|整|改成|改为|改到|加到|减到|变成|实际是|其实是|应该是|改)?\s?(?:[x×*]\s?)?"
                      r"(?:\d{1,5}(?![\d.])(?!\s?(?:ml|l(?![a-z\u4e00-\u9fff]|\s?\d)|kg|g|mm|cm|升|公斤|寸|码))|[一二两三四五六七八九十百壹贰叁肆伍陆柒捌玖拾廿卅]{1,4}(?![升斤寸码米]))"
                      r"|\s?(?:各|都|each\b)"
                      r"|\s?[的嘅]?\s?(?:也|就)?(?:不要|删掉|删了|去掉|取消|不用|先不要|不订|拿掉|砍掉)"      # "43 不要": a line taken out
                      r"|\s?(?:cancel|remove|delete|drop)(?![a-z])")


# a weight or volume in one unit whatever it was written in: "3斤" and "1500g" are "1.5kg", "2000ml" is "2l"
_SCALED = {"斤": (Decimal("0.5"), "kg"), "g": (Decimal("0.001"), "kg"), "ml": (Decimal("0.001"), "l")}


def _number(raw: str, unit: str | None) -> str:
    spelled = _UNITS.get(unit or "", unit or "")
    try:
        number = Decimal(raw)
    except InvalidOperation:
        return f"{raw}{spelled}"
    if spelled in _SCALED:
        factor, bigger = _SCALED[spelled]
        if spelled == "斤" or number * factor >= 1:
            number, spelled = number * factor, bigger
    return f"{format(number.normalize(), 'f')}{spelled}"


def size_key(raw: str, unit: str | None) -> str:
    """A size as the variant table spells it ("5", "号" -> "5"; "48", "mm" -> "48mm")."""
    return _number(raw, unit)


def variant_word(raw: str) -> str:
    """A variant word in one spelling: "白色" -> "白", "white" -> "白", "light oak" -> "浅橡"."""
    raw = _ENGLISH.get(raw) or _ENGLISH_PAIRS.get(raw, raw)
    return raw[:-1] if len(raw) >= 2 and raw.endswith("色") else raw


@dataclass(frozen=True)
class Run:
    """Variant words said together ("砖红5l"), where, and what they name in their series."""

    start: int
    end: int
    skus: tuple[str, ...]       # one: the product; none: the series has no product with these variants
    near: tuple[str, ...] = ()


class VariantTable:
    """Series and variants read from product names ``"<series> <variant> ..."``."""

    def __init__(self, catalogue: Sequence[CatalogueEntry]) -> None:
        self.series: dict[str, str] = {}                 # sku -> its series (the first word of its name)
        self.variants: dict[str, frozenset[str]] = {}    # sku -> its variants, each in one spelling
        self.units: dict[str, str] = {}                  # sku -> the unit it is sold by ("桶": 小桶 picks among those)
        self._called: dict[str, frozenset[str]] = {}
        members: dict[str, list[str]] = {}
        cut: dict[str, tuple[list[str], int]] = {}   # sku -> the words of its name, where its variants start
        for e in catalogue:
            # "金冠5w30大桶", "金冠铁桶": the container words the catalogue's own aliases call a product by
            self._called[e.sku] = frozenset(_CONTAINER.findall(" ".join(normalize(a) for a in e.aliases)))
            # "S(35-38)": the size letter; what the brackets say only explains it
            words = [re.sub(r"[(（][^)）]*[)）]", "", w) or w for w in normalize(e.name).split()]
            k = len(words)
            while k > 1 and _VARIANT_WORD.fullmatch(words[k - 1]):
                k -= 1
            spelled = frozenset(self._spelled(" ".join(words[k:]))) if k < len(words) else frozenset()
            # "瞰安星眸400万半球2.8mm": the sizes glued inside the name are its variants (not when the words after
            # the series say no size: "红白双色 50米/卷" is a long variant word, ``_long_variant_words``)
            glued = glued_series(" ".join(words)) if not spelled and all(map(has_glued_size, words[k:])) else None
            if glued is not None:
                self.series[e.sku] = glued[0]
                self.units[e.sku] = e.unit
                self.variants[e.sku] = frozenset(self._spelled(" ".join(glued[1])))
                members.setdefault(glued[0], []).append(e.sku)
                continue
            if k == len(words):
                continue
            series = " ".join(words[:k])       # "云舒 云朵水洗棉四件套" of "云舒 云朵水洗棉四件套 1.8m 灰色"
            self.series[e.sku] = series
            self.units[e.sku] = e.unit
            self.variants[e.sku] = spelled
            members.setdefault(series, []).append(e.sku)
            cut[e.sku] = (words, k)
        _long_variant_words(cut, members, self.series, self.variants, self._spelled)
        # "2mp" for 200万, "4tb" for 4t: the sizes as the aliases write them
        self._respelled = size_spellings(self.variants, {e.sku: [normalize(a) for a in e.aliases] for e in catalogue},
                                         self._spelled)
        self.members = {s: tuple(skus) for s, skus in members.items() if len(skus) >= 2}
        # the words each series' variants are written with (numbers are read by _NUMBER)
        self.words = {s: sorted({v for sku in skus for v in self.variants[sku] if not v[:1].isdigit()
                                 and not _COLD.fullmatch(v)},
                                key=len, reverse=True) for s, skus in self.members.items()}
        # what ``runs`` asks of a series at every call, worked out once: its sizes, their units, the unit most
        # are written in ("cm" of 30-80cm and 1m), and the characters its words start with (a character that
        # starts none is no word's start: the words are not tried there)
        self._sizes: dict[str, tuple[set[str], set[str], str]] = {}
        self._grades: dict[str, frozenset[str]] = {}
        for s, skus in self.members.items():
            self._grades[s] = frozenset(v for sku in skus for v in self.variants[sku] if variant_dimension(v) == "grade")
            numbers = {v for sku in skus for v in self.variants[sku]
                       if (v[:1].isdigit() or _COLD.fullmatch(v)) and variant_dimension(v) != "grade"}
            counted = Counter(v.lstrip("0123456789.") for v in numbers).most_common(1)
            usual = counted[0][0] if counted and counted[0][1] * 5 >= len(numbers) * 4 else ""
            self._sizes[s] = (numbers, {v.lstrip("0123456789.") for v in numbers}, usual)
        self._firsts = {s: frozenset(w[:1] for w in words) for s, words in self.words.items()}
        # the words of each series by their first character, longest first as in ``words``: at a character, only
        # the words starting with it can be said there
        self._starting = {s: {c: [w for w in words if w[:1] == c or not w] for c in self._firsts[s]}
                          for s, words in self.words.items()}
        self._containers = {s: frozenset(f"{size}{self.units[sku]}" for sku in skus if self.units[sku] in _CONTAINERS for size in "大小")
                            | {w for sku in skus for w in self._called[sku]} for s, skus in self.members.items()}

    @staticmethod
    def _spelled(text: str) -> Iterable[str]:
        for token in text.split():
            if (letter := _letter(token)) is not None:
                yield letter                        # "2xl", "xxl": one size letter
                continue
            height = re.fullmatch(r"(\d{2,3})/([a-z0-9]{1,4})", token)
            if height is not None and _letter(height.group(2)) is not None:
                yield height.group(1)               # "175/l" of a T-shirt: the height and the letter both say it
                yield str(_letter(height.group(2)))
                continue
            if _COLD.fullmatch(token):
                yield token                         # "-25度" of an antifreeze: below zero
                continue
            if (grade := _GRADE.fullmatch(token)) is not None:
                yield _grade(grade)                 # "5w-30" of an engine oil: its viscosity grade
                continue
            number = _NUMBER.match(token)
            if number is not None:
                if number.end() == len(token):      # "5l", "41码", "120cm"; not "8杯" (a pack: neither size nor word)
                    yield _number(number.group(1), number.group(2))
            elif not re.search(r"\d", token):
                yield variant_word(token)
            elif re.fullmatch(r"[a-z]{1,4}-?\d[a-z0-9/-]*", token):
                yield token                         # a code of the variant ("dn15", "kz-800")

    def series_of(self, skus: Sequence[str]) -> str | None:
        """The one series all ``skus`` belong to (a product, or a series word naming several of one series)."""
        found = {self.series.get(s) for s in skus}
        if len(found) != 1:
            return None
        series = found.pop()
        return series if series in self.members else None

    def runs(self, text: str, series: str, start: int, end: int) -> list[tuple[int, int, list[str]]]:
        """Runs of this series' variant words in ``text[start:end]``: (start, end, variants said)."""
        words = self.words[series]
        numbers, units, usual = self._sizes[series]
        firsts = self._firsts[series]
        tokens: list[tuple[int, int, str]] = []
        starting = self._starting[series]
        i = start
        while i < end:
            # each pattern below starts with a character of its own (a digit, a Chinese numeral, "2"-"4" of 2xl):
            # it is tried only where that character is
            c = text[i:i + 1]
            digit = c.isdigit()
            cn = _CN_SIZE.match(text, i) if c in _CN_DIGITS else None
            if cn is not None and cn.end() <= end and not (i > start and text[i - 1] in _CN_DIGITS):
                said = str(parse_int(cn.group(0)) or "")
                sized = [v for v in numbers if v == said or (v.startswith(said) and not v[len(said):][:1].isdigit()
                                                             and v[len(said):][:1] != ".")]
                if said and len(sized) == 1:       # "冷水管二十的五十根": 二十的 is the 20 mm one
                    tokens.append((i, cn.end(), sized[0]))
                    i = cn.end()
                    continue
            grade = _GRADE.match(text, i) if digit and self._grades[series] else None
            if grade is not None and grade.end() <= end and _grade(grade) in self._grades[series]:
                tokens.append((i, grade.end(), _grade(grade)))          # "5w30", "5W-30", "5-30" of 5W-30
                i = grade.end()
                continue
            if text[i:i + 2] in self._containers[series] and i + 2 <= end:
                tokens.append((i, i + 2, text[i:i + 2]))        # "小桶": the smallest of those sold by the 桶
                i += 2
                continue
            cold = _SAID_COLD.match(text, i) if text[i:i + 1] in "-零" else None
            if cold is not None and cold.end() <= end and f"-{cold.group(1)}度" in numbers:
                tokens.append((i, cold.end(), f"-{cold.group(1)}度"))      # "-45", "零下45度" of -45℃
                i = cold.end()
                continue
            times = _TIMES_XL.match(text, i) if c in "234" else None
            if times is not None and times.end() <= end and _letter(times.group(0)) in words:
                tokens.append((i, times.end(), str(_letter(times.group(0)))))    # "2xl" said for xxl
                i = times.end()
                continue
            other = SPELLED_SIZE.match(text, i) if self._respelled else None
            if other is not None and other.end() <= end \
                    and (respelled := self._respelled.get(other.group(0))) in numbers:
                tokens.append((i, other.end(), str(respelled)))       # "4mp" of 400万, as the aliases write it
                i = other.end()
                continue
            m = _NUMBER.match(text, i) if digit else None
            if m is not None and not m.group(2) and _COUNT_AFTER.match(text, m.end()):
                i = m.end()               # "胡桃 15张": a count with its unit, never the size 15
                continue
            if m is not None and m.end() <= end:
                value = _number(m.group(1), _jin_volume(m.group(2), units))
                glued = i > start and (text[i - 1].isalpha() or "\u4e00" <= text[i - 1] <= "\u9fff")
                if not m.group(2) and ("." not in value and (len(value) < 2 or glued)) and value not in numbers:
                    i = m.end()           # "蓝2", "白 2": a count after a word, never a size ("蓝31" of shoes is)
                    continue
                if not m.group(2) and usual and len(value) >= 2 and "." not in value \
                        and re.match(r"\s?的", text[m.end():]) and not any(v.startswith(value) for v in numbers):
                    # "70的也要50根" when the series comes in 30-80 cm: "the 70 one", a size it lacks (named back)
                    tokens.append((i, m.end(), value + usual))
                    i = m.end()
                    continue
                if not m.group(2) and value not in numbers:
                    # "120" of 120cm, "1.8" of 1.8m: a bare number as the one size of the series written so
                    sized = [v for v in numbers if v.startswith(value) and not v[len(value):][:1].isdigit()
                             and v[len(value):][:1] != "."]
                    value = sized[0] if len({v[len(value):] for v in sized}) == 1 else value
                if value in numbers or (m.group(2) and _UNITS.get(m.group(2), m.group(2)) in units):
                    # a bare number only as a size the series has ("42" of shoes, never the count "2")
                    tokens.append((i, m.end(), value))
                    i = m.end()
                    continue
            said_size = None if c not in _SIZE_FIRSTS else next((w for w in _SIZE_WORDS if text.startswith(w, i) and i + len(w) <= end
                              and not (w[0] == "大" and i > 0 and text[i - 1] in "加特超")      # not 加大码's 大码
                              and not (w[-1] == "码" and w[0] in "加特" and ("xxl" in words or "2xl" in words))), None)
            if said_size is not None and _SIZE_WORDS[said_size] in words:
                # "大号3个 特大号2": the size letters of a series said in Chinese
                tokens.append((i, i + len(said_size), _SIZE_WORDS[said_size]))
                i += len(said_size)
                continue
            if said_size is not None and (own := series_size(said_size, words)) is not None:
                tokens.append((i, i + len(said_size), own))        # "大号3" of a series named "large"
                i += len(said_size)
                continue
            if c in "大中小" and c not in words and BARE_SIZE.match(text, i) and i + 1 <= end \
                    and (own := series_size(c, words)) is not None:
                tokens.append((i, i + 1, own))                     # "星光 大3 小2", "大的3个": 大号, 小号
                i += 1
                continue
            english = re.match(r"[a-z]+(?: [a-z]+(?![a-z]))?", text[i:end]) \
                if text[i:i + 1].isascii() and text[i:i + 1].isalpha() else None
            if english and english.group(0) not in _ENGLISH_PAIRS:
                english = re.match(r"[a-z]+", text[i:end])
            if english and (i == 0 or not text[i - 1].isalpha()) and variant_word(english.group(0)) != english.group(0):
                said = variant_word(english.group(0))
                if any(said in w for w in words):
                    tokens.append((i, i + english.end(), said))
                i += english.end() if english else 1
                continue
            if english and (i == 0 or not text[i - 1].isalpha()) and english.group(0) not in words \
                    and (own := series_size(english.group(0), words)) is not None:
                tokens.append((i, i + english.end(), own))         # "large 3" of a series named 大号 or L
                i += english.end()
                continue
            packed = _packed(text, i, words) if text[i:i + 1] in firsts or text[i:i + 1] in _CAN else None
            if packed is not None:
                tokens.append(packed)
                i = packed[1]
                continue
            if text[i:i + 1] not in firsts:
                i += 1
                continue
            hit = next((w for w in starting[c] if text.startswith(w, i) and i + len(w) <= end
                        and not (w[-1:].isascii() and w[-1:].isalnum() and text[i + len(w):i + len(w) + 1].isascii()
                                 and text[i + len(w):i + len(w) + 1].isalnum()
                                 and not _TIMES_COUNT.match(text, i + len(w)))      # "黑lx6": l, then x 6
                        and not (w[:1].isascii() and i > 0 and text[i - 1].isascii() and text[i - 1].isalnum())), None)
            if hit is None and text[i:i + 1] and "\u4e00" <= text[i] <= "\u9fff":
                # "白色" of the word 白, "米色" of 米黄: a variant word with 色 after it
                hit = next((w for w in starting[c] if text.startswith(w + "色", i)), None)
                if hit is not None:
                    tokens.append((i, i + len(hit) + 1, hit))
                    i += len(hit) + 1
                    continue
            if hit is not None:
                size = len(hit) + (text.startswith("色", i + len(hit)) and not hit.endswith("色"))    # "黑色" of 黑
                tokens.append((i, i + size, hit))
                i += size
                continue
            i += 1
        out: list[tuple[int, int, list[str]]] = []
        for a, b, said in tokens:
            # one run holds one word and one size of each unit at most: "米黄18l 浅灰18l" are two runs, "12丝 10号"
            # (a thickness and a number) one
            if out and _GLUE.fullmatch(text[out[-1][1]:a]) \
                    and not any(variant_dimension(w) == variant_dimension(said) for w in out[-1][2]):
                out[-1] = (out[-1][0], b, [*out[-1][2], said])
            else:
                out.append((a, b, [said]))
        return out

    def called(self, skus: Sequence[str], container: str) -> tuple[str, ...]:
        """Those of ``skus`` the catalogue's aliases call by ``container`` ("大桶")."""
        return tuple(s for s in skus if container in self._called.get(s, ()))

    def other_said(self, text: str, sku: str | None, start: int, end: int) -> bool:
        """Whether a variant word (not a size) of ``sku``'s series other than its own is said in ``text[start:end]``:
        "金冠5w30 4升来10桶 5w40 4升6桶": the second 4升 is of the 5w40, not the 5w30's again."""
        series = self.series.get(sku or "")
        if series is None or series not in self.members:
            return False
        return any(variant_dimension(w) in ("grade", "word") and w not in self.variants[str(sku)]
                   for _, _, said in self.runs(text, series, start, end) for w in said)

    def resolve(self, series: str, said: Sequence[str], like: str | None,
                within: Sequence[str] = ()) -> tuple[str, ...] | None:
        """The product of ``series`` with the variants ``said``, the others as ``like``'s; () when the series has
        none with them all; None when several are left (the run tells nothing for sure)."""
        def has(sku: str, word: str) -> bool:
            variants = self.variants[sku]
            return word in variants or (not word[:1].isdigit() and any(v.endswith(word) or v.startswith(word)
                                                                       for v in variants if not v[:1].isdigit()))
        members = [s for s in self.members[series] if not within or s in within]
        container = next((w for w in said if variant_dimension(w) == "container"), None)
        said = [w for w in said if w != container]
        picked = [s for s in members if all(has(s, w) for w in said)]
        exact = [s for s in picked if all(w in self.variants[s] for w in said)]
        picked = exact or picked
        if container is not None:
            # "大桶", "铁桶" said of the product before: its grade and colour, in the container the catalogue's aliases
            # call so, else the biggest (smallest) sold by it; a container none of them comes in names nothing
            picked = [s for s in picked if self.units[s] == container[1]] or picked
            if len(picked) > 1 and like is not None and like in self.variants:
                kept = {v for v in self.variants[like] if variant_dimension(v) not in _LITRES}
                best = max(len(self.variants[s] & kept) for s in picked)
                picked = [s for s in picked if len(self.variants[s] & kept) == best]
            called = [s for s in picked if container in self._called[s]]
            picked = called or (_extreme(picked, [self.variants[s] for s in picked], container[0] == "大")
                                if container[0] in "大小" else [])
            if not picked:
                return None           # what the words before made of it stays
        if not picked:
            return ()
        if len(picked) > 1 and like is not None and like in self.variants:
            kept = set(self.variants[like])
            best = max(len(self.variants[s] & kept) for s in picked)
            picked = [s for s in picked if len(self.variants[s] & kept) == best]
        return tuple(picked) if len(picked) == 1 else None


# a word of four characters or more where a series' other products say their variant ("黄绿双色")
_LONG_WORD = re.compile(r"[\u4e00-\u9fff]{4,8}")


def _long_variant_words(cut: dict[str, tuple[list[str], int]], members: dict[str, list[str]],
                        series: dict[str, str], variants: dict[str, frozenset[str]], spelled: Callable[[str], Iterable[str]]) -> None:
    """"红 / 蓝 / 黄绿双色" at one place of a family's names: a product alone in its series because its variant word
    is longer than a variant word is read ("<series> 单芯硬线 黄绿双色 100米/卷" among "<series> 单芯硬线 红 100米/卷")
    joins the series of a sibling whose name is the same but for a variant word there, its variant said by the long
    word's last two characters ("双色"; the whole word is no variant word, so "黄" is never read as part of "黄绿双色":
    the catalogue's aliases say it whole)."""
    by_shape: dict[tuple[int, str], list[str]] = {}
    for sku, (words, k) in cut.items():
        if len(members.get(series[sku], ())) > 1:
            for p in range(k, len(words)):
                by_shape.setdefault((p, " ".join(words[:p] + ["*"] + words[p + 1:])), []).append(sku)
    for sku, (words, k) in cut.items():
        p = k - 1
        if len(members.get(series[sku], ())) != 1 or p < 1 or not _LONG_WORD.fullmatch(words[p]):
            continue
        siblings = by_shape.get((p, " ".join(words[:p] + ["*"] + words[p + 1:])), [])
        homes = {series[other] for other in siblings}
        if len(homes) != 1:
            continue
        home = homes.pop()
        tail = variant_word(words[p][-2:])
        if any(tail in variants[other] for other in members[home]):
            continue
        del members[series[sku]]
        series[sku] = home
        said = words[len(home.split()):]
        said[p - len(home.split())] = tail
        variants[sku] = frozenset(spelled(" ".join(said)))
        members[home].append(sku)


def _jin_volume(unit: str | None, units: set[str]) -> str | None:
    """"一斤装" (read as 500g) of a series sold by volume (ml, l, no weights): 500 ml, as the liquor trade says it."""
    return "ml" if unit == "g" and units & {"ml", "l"} and not units & {"g", "kg"} else unit


# a can is a 听 or a 罐, whichever the catalogue writes
_CAN = frozenset("听罐")


def _packed(text: str, i: int, words: Sequence[str]) -> tuple[int, int, str] | None:
    """"330听", "500瓶", "罐装" of a series whose variants are "听装" and "瓶装": the package said without its 装, or a
    can called 罐 where the catalogue says 听."""
    c = text[i:i + 1]
    if not c or (c not in _CAN and not any(len(w) == 2 and w[1] == "装" and w[0] == c for w in words)):
        return None
    hit = next((w for w in words if len(w) == 2 and w[1] == "装" and (w[0] == c or w[0] in _CAN and c in _CAN)), None)
    if hit is None or text.startswith(hit, i):
        return None
    return i, i + 1 + (text[i + 1:i + 2] == "装"), hit


# the Chinese words for clothing size letters, longest first
# (加大码 / 特大码 only where the series has no size above XL: else the catalogue's own 加大 says which)
_SIZE_WORDS = {"特大号": "xl", "加大号": "xl", "特大码": "xl", "加大码": "xl", "大号": "l", "中号": "m", "小号": "s",
               "大码": "l", "中码": "m", "小码": "s"}
_SIZE_FIRSTS = frozenset(w[0] for w in _SIZE_WORDS)
SIZE_LETTERS = frozenset({"xs", "s", "m", "l", "xl", "xxl", "xxxl", "2xl", "3xl", "均码"})


# a count's unit right after a bare number ("15张", "6 箱"; not "10支装", a pack, nor 罐 / 瓶 / 桶: "330罐" is a can)
_COUNT_AFTER = re.compile(r"\s?[张箱卷根个支条件套台块双](?!装)")
# "x6" glued after a variant word: its count
_TIMES_COUNT = re.compile(r"x\d{1,4}(?![\d.]|\s?(?:l|ml|kg|g|mm|cm|m)(?![a-z]))")
# "2xl", "3xl": the size letters with their x counted
_TIMES_XL = re.compile(r"(?<![a-z0-9])[2-4]xl(?![a-z])")


def _letter(token: str) -> str | None:
    """A size letter in one spelling ("2xl" and "xxl" -> "xxl"), else None."""
    if _TIMES_XL.fullmatch(token):
        return "x" * int(token[0]) + "l"
    return token if token in SIZE_LETTERS and token != "均码" else None


# a viscosity grade as oils are named and ordered: "5W-30", "5w30", "5w/30", "5-30", "10W40", "75W-90"
_GRADE = re.compile(r"(?<![a-z0-9.])(\d{1,2})(?:\s?w\s?[-/]?|-)\s?(\d{2})(?![\d.])(?!\s?(?:l|升|ml|kg|号|度|℃)(?![a-z]))")


def _grade(m: re.Match[str]) -> str:
    return f"{m.group(1)}w{m.group(2)}"


# a temperature below zero, as a name writes it ("-25℃", normalized "-25度") and as it is said ("-25", "零下25度")
_COLD = re.compile(r"-\d+(?:\.\d+)?度")
_SAID_COLD = re.compile(r"(?:(?<![a-z0-9.\d])-|零下)(\d{1,2})(?:度)?(?![\d.])")
_CONTAINERS = frozenset("桶瓶袋罐盒支听包")
_CONTAINER = re.compile(r"[大小中铁塑][桶瓶袋罐盒支听包]")
_LITRES = {"l": Decimal(1000), "ml": Decimal(1), "kg": Decimal(1000), "g": Decimal(1)}


def _extreme(skus: list[str], variants: list[frozenset[str]], biggest: bool) -> list[str]:
    """The one of ``skus`` whose volume or weight is the biggest (or the smallest), when each has one and one wins."""
    sizes = []
    for v in variants:
        said = [Decimal(w[:-len(u)]) * f for w in v for u, f in _LITRES.items()
                if w.endswith(u) and re.fullmatch(r"\d+(?:\.\d+)?", w[:-len(u)])]
        if len(said) != 1:
            return skus
        sizes.append(said[0])
    if not sizes:
        return skus
    best = max(sizes) if biggest else min(sizes)
    return [s for s, size in zip(skus, sizes, strict=True) if size == best]


def variant_dimension(variant: str) -> str:
    """What a variant tells apart: a size letter ("m"), a word (a colour, a grade), else its size's unit ("18l" ->
    "l", "5" -> ""): "m蓝" is one run of two, "蓝 黑" two runs."""
    if variant in SIZE_LETTERS:
        return "letter"
    if re.fullmatch(r"\d{1,2}w\d{2}", variant):
        return "grade"
    if _CONTAINER.fullmatch(variant):
        return "container"
    if _COLD.fullmatch(variant):
        return "度"
    return variant.lstrip("0123456789.") if variant[:1].isdigit() else "word"


def size_kind(raw: str, unit: str | None) -> str:
    """What a size said tells apart ("7", "号" -> "", "8", "丝" -> "丝", "5", "毫米" -> "mm"): two sizes of one kind are
    two lines, of two kinds one product."""
    return variant_dimension(_number(raw, unit))


def counted_after(text: str, end: int) -> bool:
    return _COUNTED.match(text, end) is not None


def run_size(table: VariantTable, text: str, head_start: int, head_end: int, sku: str | None) -> str | None:
    """The size of ``sku`` said in its words ``text[head_start:head_end]`` before its variant word, as a run's
    size: "封边条45的 暖白" (45mm, then the colour: the lines after it are of 45mm too), not "白啤330" (the size
    of that line only)."""
    if sku is None or sku not in table.variants:
        return None
    said = text[head_start:head_end]
    words = [said.find(w) for w in table.variants[sku] if variant_dimension(w) == "word" and w in said]
    if not words:
        return None
    for v in table.variants[sku]:
        number = re.match(r"\d+(?:\.\d+)?", v)
        if number is None or variant_dimension(v) in ("word", "grade"):
            continue
        at = re.search(rf"(?<![\d.]){re.escape(number.group(0))}(?![\d.])", said)
        if at is not None and at.start() < min(words):
            return v
    return None


def of_other_size(table: VariantTable, sku: str, size: str) -> bool:
    """Whether ``sku`` comes in another ``size`` of the same unit (the 22mm band after a run of 45mm ones)."""
    own = table.variants.get(sku, frozenset())
    return size not in own and any(variant_dimension(v) == variant_dimension(size) for v in own)
