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
from collections.abc import Callable, Sequence
from decimal import Decimal
from functools import cached_property, lru_cache

from rapidfuzz import fuzz, process, utils

from nlu.family_readings import FamilyReadings
from nlu.foreign_runs import foreign_runs
from nlu.foreign_variants import foreign_variants
from nlu.lead_sizes import sized_start
from nlu.line_patterns import _BARE_SIZE, _COUNT_BEFORE
from nlu.lone_colours import lone_colours
from nlu.mention_spans import Spans
from nlu.normalize import normalize
from nlu.numbers import QUANTITY, parse_int
from nlu.part_words import part_hosts, parts_of_other_models
from nlu.product_lines import _ProductLines
from nlu.product_words import (
    CJK,
    CN_DIGIT_RUN,
    CN_SIZE,
    OPPOSITE,
    OPPOSITE_CHARS,
    SIBLING_SPEC,
    SUGGEST_CUTOFF,
    TELLING_LEAD,
    VARIANT_SIZE,
    CatalogueKey,
    Mention,
    Strength,
    as_digits,
    catalogue_key,
    compact,
    named_back,
    size_digits,
    told_by,
)
from nlu.schema import CatalogueEntry
from nlu.series_letters import plain_series
from nlu.variants import VariantTable, counted_after, size_key

LIST_JOIN = re.compile(r"[\s、,，/&]*(?:和|跟|与|及|同|\band\b)?[\s、,，/&]*")
EACH = re.compile(r"各|每样|每种|每个|都|\beach\b")
# between two generic words of one line ("500的杯子要白色", "kettle 1.5 黑色"): filler, a size, no clause break
_GENERIC_GAP = re.compile(r"[^,;，。；!?！？\n]{0,6}")
# the words of a line before its first generic word ("18的奶锅", "小号不锈钢碗", "大嘅猫抓板"): back to a clause break
_LINE_LEAD = re.compile(r"[^,;，。；!?！？\n]{1,8}$")
# after a number: it is a size, not a count ("18的", "500嘅")
_SIZE_MARK = re.compile(r"\s?[的嘅]")
# a size in a product's words and said alone after it ("20" of 热水管20, "1.5" of 云朵1.5, "4分"): not a part of a code
# ("10oz 300米 12oz 200米" of denims by weight, "5k 2台 8k 1台" of inverters, "430w" of panels, "10安" of cloth slang)
_ANALOGUE_SIZE = re.compile(r"(?<![\d.a-z])\d{1,4}(?:\.\d{1,2})?(?:(?:mm|cm|ml|kg|m|l|g|oz|kw|k|w|ah|v)(?![a-z])"
                            r"|[寸分丝米升安瓦](?!钟)|(?![\d.a-z]))")
# "25 20": a code read from two numbers said one after the other (a size and its count, as often)
_SPACED_NUMBERS = re.compile(r"\d+\s\d+")
# after a size: its count set ("20的改成40"), or a count with its unit ("63 5根")
_SET_COUNT = re.compile(r"\s?(?:改成|改为|改到|加到|减到|变成|换成)\s?\d")
def _without_runs(table: VariantTable, series: str, text: str, a: int, b: int) -> str:
    """``text[a:b]`` without the series' variant words in it ("8丝 " of "自封袋8丝 5号20包": no count there)."""
    chars = list(text[a:b])
    for x, y, _ in table.runs(text, series, a, b):
        chars[x - a:y - a] = " " * (y - x)
    return "".join(chars)


def _lone_kind_word(m: Mention) -> bool:
    """A word of a kind that only one product has ("透明" of the one clear strap): a weak anchor for sizes."""
    return m.strength == Strength.CATEGORY and len(m.skus) == 1


def _variant_kind(word: str) -> str:
    """What a variant word says: a word ("白"), or a size in its unit ("50cm": cm, "2丝": 丝): "手用膜 50公分2丝" is one
    product of two sizes, "蓝色31 粉色31" two of one."""
    return word.lstrip("0123456789.") if word[:1].isdigit() else "word"


# a size said with its unit ("5号", "48mm", "2丝", "1.2米"), never a bare number


# before a size that starts a line of its own: a count with its unit, or a separator ("40根 63 5根", "，63 5根")
_AFTER_A_LINE = re.compile(r"(?:[个台箱件套支盒包片组条瓶桶袋卷只根块张双对罐提把副盘捆]|pcs|[,，、;；])\s*\Z")
_UNIT_COUNT = re.compile(r"\s?(?:要|来|卖了|补|拿)?\s?\d{1,5}\s?(?:[个台箱件套支盒包片组条瓶桶袋卷只根块张双对罐提把副盘捆]|pcs)")
# between a counted line and the next word: its count with a unit, nothing else but separators




def _spellings(size: str) -> list[str]:
    """A length as written, and as a catalogue name may write it ("2米" -> "2米", "2.0", "2")."""
    if (m := re.fullmatch(r"(\d+(?:\.\d+)?)(?:米|m)", size)) is None:
        return [size]
    number = m.group(1)
    return [size, number if "." in number else number + ".0", number]


def _counted(gap: str) -> bool:
    """A count with its unit in ``gap`` ("12箱"): the words around it are two lines, not one."""
    return any(q.group("unit") for q in QUANTITY.finditer(gap))


_SENTENCE_END = re.compile(r"[。！？!?；;]")
#: how far after a product or series word its variants are looked for
_WINDOW = 64


# a colour word glued before a run of variants ("蓝色5l", "blue 5l")
_UNKNOWN_LEAD = re.compile(r"(?:[\u4e00-\u9fff]{0,2}[红橙黄绿青蓝紫黑白灰粉棕金银米咖驼藏褐]色?|(?<![a-z])(?:white|black|grey|gray|red|blue|pink|green|yellow|"
                           r"beige|ivory|brown|purple|silver|gold|orange)\s)\Z")
# every size of the product said: "全码", "所有码", "三个码" (only when it has three), "all sizes"
_ALL_SIZES = re.compile(r"全码|全尺码|所有码|所有尺码|全部码|全部尺码|每个码|每个尺码|(?P<n>[两二三四五六七八九])个码|all sizes|full size run")
# "39到43", "40-44", "36~39": the sizes from one to the other
_SIZE_RANGE = re.compile(r"(?<![\d.])(\d{2,3})\s?(?:到|至|~|～|-|—)\s?(\d{2,3})(?![\d.])(?!\s?[x×*/])")
_LISTED = re.compile(r"[\s、,，/和及]*")


def _each_counted(text: str, table: VariantTable, mentions: list[Mention]) -> set[int]:
    """Starts of variant runs listed before a shared count ("白18l 米黄18l 浅灰18l 各2桶"): each of them is counted."""
    out: set[int] = set()
    for m in mentions:
        series = table.series_of(m.skus) if m.skus else None
        if series is None:
            continue
        runs = table.runs(text, series, m.end, min(len(text), m.end + _WINDOW))
        for k in range(len(runs) - 1, -1, -1):
            a, b, _ = runs[k]
            shared = re.match(r"\s?(?:各|都|each\b|一样|每样|每种|每款|每个(?:颜)?色)", text[b:]) is not None
            chained = k + 1 < len(runs) and runs[k + 1][0] in out and _LISTED.fullmatch(text[b:runs[k + 1][0]])
            if shared or chained:
                out.add(a)
    return out

LISTED_SIZE = re.compile(rf"(?P<size>{VARIANT_SIZE.pattern})\s?(?:和|跟|与|同|、|,|，|/|\band\b)\s?$")

__all__ = ["Mention", "ProductIndex", "Strength", "find_product", "product_index", "suggest_products"]


# "曜光系列", "H series": a series named as such (the word itself is no product's)
_SERIES_WORD = re.compile(r"\s?(?:系列|\bseries\b)")

# a count with its unit said right before a product ("20块曜光550 10块580")
_COUNT_FIRST = re.compile(r"(?:\d{1,5}|[一二两三四五六七八九十百千]{1,4})\s?(?:[个台箱件套支盒包片组条瓶桶袋卷只根块张双对罐托]|pcs)"
                          r"\s?(?:的)?\s?\Z")


_RUN_GAP = re.compile(rf"[\s的]*(?:(?:来|要|再来)?\s?{_COUNT_FIRST.pattern[:-2]})?")


def _counted_first(text: str, m: Mention, at: int) -> bool:
    """"20块曜光550 10块580": the anchor and the size after it each said after their own count, with its unit."""
    return _COUNT_FIRST.search(text, max(0, m.start - 8), m.start) is not None \
        and _COUNT_FIRST.search(text, m.end, at) is not None

class ProductIndex(_ProductLines, FamilyReadings):
    """The catalogue's keys (``nlu.product_keys``), the words that tell its products apart in a line
    (``nlu.product_lines``) and, here, the whole search: ``find``, ``suggest``, ``best``."""

    # --- finding --------------------------------------------------------------------------------
    def find(self, text: str, *, siblings: bool = True) -> list[Mention]:
        """Product mentions in normalized ``text``, left to right, not overlapping."""
        found: list[Mention] = []
        # "二二五四五一七" and "六qw六十" as digits (same length: a position in one is a position in the other)
        spelled = CN_DIGIT_RUN.sub(as_digits, CN_SIZE.sub(size_digits, self.respell(text)))
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
        found += self._kind_char_sizes(spelled, found)
        found += self._typed_in_pinyin(spelled, found)
        found.sort(key=lambda x: x.start)
        mentions = self._by_numbers(spelled, self._combine(spelled, found))
        mentions = [self._absorbed(spelled, m) for m in self._told_apart(
            spelled, [self._modified(spelled, m) for m in self._in_series(spelled, mentions)])]
        if not siblings:
            return self._described(spelled, mentions)
        mentions = self._corrected(spelled, self._described(spelled, self._group_variants(spelled, mentions)))
        mentions = self._other_sizes(spelled, self._opposites(spelled, self._siblings(spelled, mentions)))
        mentions = self._joined_generics(spelled, self._listed_each(spelled, mentions))
        coloured = lone_colours(spelled, mentions, self._labels, lambda m: self._family(m) | self._of_kind(m))
        mentions = self._continued(spelled, sorted(mentions + coloured, key=lambda x: x.start))
        mentions = foreign_variants(self.variant_table, spelled, mentions)      # "海岸 … 柚木4箱": no 柚木 海岸
        mentions = self._bare_sizes(spelled, self._analogues(spelled, self._variant_runs(spelled, mentions)))
        mentions = self._other_series(spelled, self._size_units(spelled, self._narrowed(spelled, mentions)))
        mentions = self._other_numbers(spelled, self._family_readings(spelled, mentions))
        mentions = foreign_runs(self.variant_table, spelled, mentions)      # "弹力王 白18L 6 米黄18L 3": no such 弹力王
        return parts_of_other_models(mentions, self.entries, self.part_hosts)      # "WP600 8台 滤芯3箱": ask

    @cached_property
    def part_hosts(self) -> dict[str, str]:
        """SKU of each part -> SKU of the model its name carries (``nlu.part_words``)."""
        return part_hosts(self.entries)

    def _bare_sizes(self, text: str, mentions: list[Mention]) -> list[Mention]:
        """"5号改成150", "7号不要了", "48mm的多少钱": a size said alone, with its unit, names the products that come in
        it (a word of several; the cart or a question picks among them), so it is never read as a day or lost."""
        if not self._by_size:
            return mentions
        spans = Spans(mentions)
        added: list[Mention] = []
        leaders: list[Mention] = []
        added += self._paired_sizes(text, [t for t in _BARE_SIZE.finditer(text) if not spans.over(t.start(), t.end())])
        paired = {m.start for m in added} | {m.end for m in added}
        for t in _BARE_SIZE.finditer(text):
            if t.start() in paired or t.end() in paired:
                continue
            skus = self._by_size.get(size_key(t.group(1), t.group(2)))
            over = spans.over(t.start(), t.end())
            end = t.end()
            if over:
                # "5号箱" read as the 号箱 of the 7-12号 cartons: the 5号 ones that are 箱
                x = over[0]
                if len(over) > 1 or x.sku is not None or not (t.start() < x.start < t.end() < x.end) or not skus:
                    continue
                rest = text[t.end():x.end]
                skus = tuple(sku for sku in skus if rest in self._labels[sku]) or skus
                end = x.end
                mentions = [m for m in mentions if m is not x]
            kind = text[end:end + 1]
            if skus and end == t.end() and CJK.match(kind) and any(kind in self._labels[sku] for sku in skus):
                # "5号箱": the 5号 products that are 箱 (not the 5号 bags)
                skus = tuple(sku for sku in skus if kind in self._labels[sku])
                end += 1
            if not skus or len(skus) < 2:
                if skus and end != t.end():
                    added.append(Mention(t.start(), end, skus, Strength.NAME, text[t.start():end]))
                continue
            before = [x for x in mentions if x.end <= t.start() and x.skus]
            if before and re.fullmatch(r"[\s的]{0,2}", text[before[-1].end:t.start()]) and set(before[-1].skus) & set(skus):
                continue             # "全合成0w40 4升": the size of the product just said
            after = next((x for x in mentions if x.start >= t.end() and x.skus), None)
            if after is not None and re.fullmatch(r"[\s的]{0,2}", text[t.end():after.start]) and set(after.skus) & set(skus):
                continue             # "自封袋8丝 5号20包": a size of the line that follows
            # "三层的1号20 2号20 3号30 哦3号改40", "8丝袋子 5号 7号": the series said before in the message
            table = self.variant_table
            series = {table.series.get(x.sku) if x.sku else table.series_of(x.skus) for x in before}
            mine = tuple(sku for sku in skus if table.series.get(sku) in series)
            if len(mine) == 1:
                added.append(Mention(t.start(), end, mine, Strength.NAME, text[t.start():end]))
                lead = next((x for x in reversed(before) if x.sku is None and table.series_of(x.skus)
                             == table.series.get(mine[0])), None)
                if lead is not None and lead not in leaders and not re.search(r"\d", text[lead.end:t.start()]):
                    leaders.append(lead)          # "8丝" only led its lines: no line of its own
            else:
                added.append(Mention(t.start(), end, skus, Strength.CATEGORY, text[t.start():end]))
        if not added:
            return mentions
        return sorted([m for m in mentions if not any(m is x for x in leaders)] + added, key=lambda x: x.start)

    def _analogues(self, text: str, mentions: list[Mention]) -> list[Mention]:
        """"热水管20 40根，25 20根", "PE管20的10盘 25的6盘": a size said alone with a count of its own after a product
        whose words hold one size names the product of the same words in that size, when the catalogue has one
        ("热水管25"): whatever the catalogue's names look like, the dealer's own wording is the pattern."""
        for n, m in enumerate(mentions):
            if m.sku is None and len(m.skus) > 1:
                # "弯头 20" read as every elbow of 20: "弯头20" is one product's word (its alias "20弯头" turned)
                # ("PE管 20": with the letters glued before it, when no other product took them)
                lead = re.search(r"(?<![a-z0-9])[a-z]{1,4}$", text[:m.start])
                starts = [m.start] + ([lead.start()] if lead and not (n and mentions[n - 1].end > lead.start()) else [])
                for a in reversed(starts):
                    hit = self._compact_exact.get(compact(text[a:m.end]))
                    if hit is not None and len(hit[1]) == 1 and hit[1][0] in m.skus:
                        mentions[n] = Mention(a, m.end, hit[1], Strength.NAME, text[a:m.end])
                        break
        def sized(x: Mention) -> bool:       # a mention that is only a size ("25的", "7寸")
            return x.strength < Strength.EXACT and _ANALOGUE_SIZE.fullmatch(re.sub(r"[的嘅\s]", "", x.word)) is not None

        def weak(x: Mention) -> bool:        # "25 20" read as a code, "25的" as the 25 of any product
            return _SPACED_NUMBERS.fullmatch(x.word) is not None or (x.sku is None and sized(x))

        out = Spans(mentions)
        for n, m in enumerate(mentions):
            if m not in out or not m.skus or (m.sku is None and len(m.skus) > 12):
                continue
            surface = text[m.start:m.end]
            sizes = list(_ANALOGUE_SIZE.finditer(surface))
            if m.sku is None and not sizes and CJK.search(surface):
                # "三通 4分300 6分200": a word of several products and its sizes, each a product ("4分三通")
                self._sized_generic(text, m, mentions[n + 1:], out, weak)
                continue
            if m.sku is None or not sizes or len(sizes) > 2:
                continue
            size = sizes[-1]            # "45度弯头 20": the size is the last number, 45 is of the kind
            stop = min(len(text), m.end + _WINDOW)
            brk = _SENTENCE_END.search(text, m.end, stop)
            stop = brk.start() if brk else stop
            for later in mentions[n + 1:]:
                if later.start >= stop:
                    break
                if later.start >= m.end and not weak(later) and not sized(later) and later.sku != m.sku:
                    stop = later.start           # up to the next product said in words of its own
                    break
            for t in _ANALOGUE_SIZE.finditer(text, m.end, stop):
                a, b = t.start(), t.end()
                after = b + (text[b:b + 1] in "的嘅")
                if not (counted_after(text, after) or _SET_COUNT.match(text, after) or _counted_first(text, m, a)):
                    continue
                if self.variant_table.other_said(text, m.sku, m.end, a):
                    break                        # "金冠5w30 4升来10桶 5w40 4升6桶": the 4升 of another grade
                said = surface[:size.start()] + t.group(0) + surface[size.end():]
                # ("曜光系列 550 两托 580 一托": the word 系列 / series of the lead is in no product's name)
                hit = next((h for w in dict.fromkeys((said, _SERIES_WORD.sub("", said)))
                            if (h := self.keys.get(w) or self._compact_exact.get(compact(w))) is not None), None)
                named = hit[1] if hit is not None and hit[0] >= Strength.NAME and len(hit[1]) == 1 else None
                inside = out.over(a, b)
                # "冷水管20 30根 20的改成40": the anchor's own size again is the anchor, whatever a pass before made of it
                # "45度弯头 20的 200个 25的 100": the 25 read alone as the one 25 of the maker's series is the 45度
                # elbow's 25 ("45度弯头 25"), the product said in the anchor's words
                if any(not (weak(x) or named is not None and sized(x)) for x in inside):
                    continue                     # part of a product's own words
                covered = [x for x in out.over(a, max([after, *(x.end for x in inside)]))
                           if weak(x) or named is not None and sized(x)]
                if named is not None:
                    out.replace(covered, Mention(a, b, named, Strength.NAME, text[a:b]))
                elif hit is None and _UNIT_COUNT.match(text, after) and _AFTER_A_LINE.search(text, 0, a) \
                        and re.sub(r"[\d.]", "", t.group(0)) == re.sub(r"[\d.]", "", size.group(0)) \
                        and len(t.group(0)) == len(size.group(0)):
                    # "热水管20 40根 63 5根" when there is no 63: named back ("热水管63"), its count not taken by the 20
                    out.replace(covered, Mention(a, b, (), Strength.UNKNOWN, said, near=(m.sku,)))
        return out.sorted()

    def _sized_generic(self, text: str, m: Mention, later: list[Mention], out: Spans,
                       weak: Callable[[Mention], bool]) -> None:
        stop = min(len(text), m.end + _WINDOW)
        brk = _SENTENCE_END.search(text, m.end, stop)
        stop = brk.start() if brk else stop
        stop = next((x.start for x in later if x.start >= m.end and not weak(x) and x.sku not in m.skus), stop)
        word = compact(text[m.start:m.end])
        made: list[Mention] = []
        for t in _ANALOGUE_SIZE.finditer(text, m.end, stop):
            a, b = t.start(), t.end()
            after = b + (text[b:b + 1] in "的嘅")
            if not (counted_after(text, after) or _SET_COUNT.match(text, after)):
                continue
            inside = out.over(a, b)
            if any(not weak(x) and not (x.sku and x.start >= a and x.end <= after) for x in inside):
                continue
            hits = {h[1] for said in (word + t.group(0), t.group(0) + word)
                    if (h := self._compact_exact.get(said)) is not None and len(h[1]) == 1 and h[1][0] in m.skus}
            if len(hits) != 1:
                continue
            new = Mention(a, b, hits.pop(), Strength.NAME, text[a:b])
            out.replace(out.over(a, after), new)
            made.append(new)
        if made and m in out and not re.search(r"\d", text[m.end:made[0].start]):
            out.replace([m], None)           # the word only led its lines
        return None

    def _told_by_variants(self, text: str, m: Mention) -> list[Mention]:
        """"竹炭 白5l" (白 of 白色 and of 象牙白): the one product of the series whose variants are the words said;
        "小飞侠 蓝色31 粉色31" read as one word: one mention per run of variants."""
        table = self.variant_table
        series = table.series_of(m.skus) if m.skus else None
        if series is None:
            return [m]
        runs = table.runs(text, series, m.start, m.end)
        if len(runs) > 1 and m.strength < Strength.EXACT:
            out, like = [], None
            for k, (a, b, said) in enumerate(runs):
                named = table.resolve(series, said, like)
                if named is None:
                    return [m]
                a = m.start if k == 0 else a
                out.append(Mention(a, b, named, Strength.NAME, text[a:b]) if named else
                           Mention(a, b, (), Strength.UNKNOWN, named_back(text[a:b]), near=m.skus))
                like = named[0] if named else like
            return out
        said = [w for _, _, words in runs for w in words]
        named = table.resolve(series, said, None) if said else None
        if named is None or named == m.skus:
            return [m]
        if len(m.skus) > 1:
            return [Mention(m.start, m.end, named, Strength.NAME, m.word) if named and named[0] in m.skus else m]
        if not named and m.strength < Strength.EXACT:
            # "绅士棕39码" read as the black 39: its own words say brown, which has no 39 -> named back
            return [Mention(m.start, m.end, (), Strength.UNKNOWN, named_back(m.word), near=m.skus)]
        return [m]

    @staticmethod
    def _one_series(text: str, table: VariantTable, m: Mention) -> Mention:
        """"自封袋 8丝 10号" where 自封袋 is the word of two series (8丝 and 加厚 12丝): the series whose variants the
        words right after it name, when exactly one has a product of them (and no series was said just before it:
        "净味宝 白18L 米黄18L" is 净味宝's beige)."""
        if m.sku is not None or len(m.skus) < 2 or table.series_of(m.skus) is not None:
            return m
        if any(s not in table.series for s in m.skus):
            return m
        series = {table.series[s] for s in m.skus}
        if len(series) > 4 or any(s not in table.members for s in series):
            return m
        stop = min(len(text), m.end + 16)
        brk = _SENTENCE_END.search(text, m.end, stop)
        stop = brk.start() if brk else stop
        fits = []
        for name in series:
            runs = table.runs(text, name, m.end, stop)
            if runs and _RUN_GAP.fullmatch(text, m.end, runs[0][0]):        # "裱花袋 来50卷小号": a count first
                named = table.resolve(name, runs[0][2], None, [s for s in m.skus if table.series.get(s) == name])
                if named != ():              # one product of them, or several (a word of the series said later)
                    fits.append(name)
        fits = plain_series(compact(m.word), fits)          # "守望 4路": not 守望P's
        if len(fits) != 1:
            return m
        return Mention(m.start, m.end, tuple(s for s in m.skus if table.series.get(s) == fits[0]), m.strength, m.word)

    @staticmethod
    def _unknown_lead(text: str, table: VariantTable, m: Mention, mentions: list[Mention]) -> Mention:
        """"雅居 蓝色18L" where 18L is the white's and the beige's and the series has no blue: the whole wording
        is named back ("没有找到“蓝色18L”"), not the bare size that several products share. Only a colour said as
        one ("蓝色", "blue"): "腻子粉 内墙20公斤" is no pink."""
        series = table.series_of(m.skus) if m.skus else None
        if series is None or m.strength >= Strength.EXACT:
            return m
        end = m.start - 1 if text[m.start - 1:m.start] == " " else m.start      # "红色 5l" too
        lead = _UNKNOWN_LEAD.search(text, max(0, end - 8), end)
        if lead is None or not re.search(r"色|[a-z]", lead.group(0)) or table.runs(text, series, lead.start(), m.start) \
                or any(x is not m and x.start < m.start and x.end > lead.start() for x in mentions):
            return m
        return Mention(lead.start(), m.end, (), Strength.UNKNOWN, named_back(text[lead.start():m.end]), near=m.skus)

    def _variant_runs(self, text: str, mentions: list[Mention]) -> list[Mention]:
        """"晴雨盾砖红18L 5桶 白5L 10桶": variant words with a count of their own after a product or series word of
        a catalogue that names "<series> <variant> ..." (``nlu.variants``): the product of those variants (the
        others as the product before), or, when the series has none, the words named back as unknown. Each
        anchor looks ``_WINDOW`` characters on at most, so a long pasted list costs in proportion to its length."""
        table = self.variant_table
        if not table.members:
            return mentions
        mentions = [m if any(table.series_of(x.skus) for x in mentions[:n] if x.skus and x.end > m.start - _WINDOW)
                    else self._one_series(text, table, m) for n, m in enumerate(mentions)]
        mentions = [x for m in mentions for x in self._told_by_variants(text, m)]
        mentions = [self._unknown_lead(text, table, m, mentions) for m in mentions]
        out = Spans(mentions)
        each = _each_counted(text, table, mentions)
        for n, anchor in enumerate(mentions):
            series = table.series_of(anchor.skus) if anchor.skus else None
            if series is None or anchor not in out:
                continue              # a word a run before took in (its wording named back) anchors nothing
            # up to the next product of another series (a word of several kinds, "灰", "米黄", does not end it)
            stop = min(len(text), anchor.end + _WINDOW)
            for m in mentions[n + 1:]:
                if m.start >= stop:
                    break
                if (m.sku or not m.skus and m.near != table.members[series]) and m.start >= anchor.end \
                        and table.series_of(m.skus) != series \
                        and not (m.sku and _BARE_SIZE.fullmatch(m.word) and not _lone_kind_word(anchor)):
                    # "牧风老年 10kg 2袋 15kg 1袋": 15kg is a size, the series' run decides what it names
                    stop = m.start
                    break
            brk = _SENTENCE_END.search(text, anchor.end, stop)
            stop = brk.start() if brk else stop
            like = anchor.sku
            own = [w for _, _, words in table.runs(text, series, anchor.start, anchor.end) for w in words]
            floor = anchor.end
            for a, b, said in table.runs(text, series, anchor.end, stop):
                floor, since = b, floor
                # "暖窝 3个S 3个M", "牧风成犬 20袋1.5kg 6袋7.5kg": the count written before the variant, with its unit
                if not counted_after(text, b) and a not in each and not _COUNT_BEFORE.search(text, anchor.end, a):
                    continue
                told = self._told_before(text, since, a, said, like, out)
                if told is not None:
                    # "R32 3kg 8瓶 R410 3kg 4瓶", "hanqi 19调 6.3 x1 and 37调 5.4 x2": a code or grade said right
                    # before the variants is that line's, not the line before's carried on
                    made = Mention(told[0], b, told[1], Strength.NAME, text[told[0]:b])
                    out.replace(out.over(told[0], b), made)
                    like = told[1][0]
                    continue
                if a == anchor.end and (len(anchor.skus) > 1 or anchor.strength < Strength.EXACT) and anchor in out \
                        and not any(_variant_kind(w) == _variant_kind(x) for w in own for x in said):
                    # "竹炭象牙白1l": the series word and its variants glued: one wording, all its variants (not
                    # "蓝色31 粉色31": a colour and size after a colour and size is the next line)
                    said, a = own + said, anchor.start
                inside = out.over(a, b)
                # "牧风老年 10kg 2袋 15kg 1袋": a size alone is the series' own (named back when it has none), not
                # the one product of another series that comes in it
                inside = [m for m in inside if not (m.start == a and m.end == b and m.sku is not None
                                                    and _BARE_SIZE.fullmatch(m.word)
                                                    and table.series.get(m.sku) != series)] \
                    if a > anchor.end and not _lone_kind_word(anchor) else inside
                if any((m.start < a or m.end > b) and (m.sku and (m.start <= a or table.series_of(m.skus) != series)
                                                       or not m.skus and m.strength != Strength.UNKNOWN)
                       for m in inside):
                    continue              # part of a longer product word ("黄桃杯" of 杯): what it names stays
                # right after a word of several products ("300x600墙砖 白色"), one of those
                within = anchor.skus if like is None and len(anchor.skus) > 1 else ()
                named = table.resolve(series, said, like, within)
                if not named and any(m.strength == Strength.UNKNOWN and (m.start < a or m.end > b) for m in inside):
                    continue              # a code no product has ("m 12 l"?) stays what it was unless a variant is named
                if named is None or any(m.skus == named for m in inside):
                    like = named[0] if named else like
                    continue
                lead = _UNKNOWN_LEAD.search(text, max(anchor.end, a - 8), a)
                if lead is not None and not any(m.start < a for m in out.over(lead.start(), a)) \
                        and not table.runs(text, series, lead.start(), a):
                    # "蓝色5l" of a series with no blue: the whole wording is named back, not read as its 5 L
                    a, named = lead.start(), ()
                word = text[a:b] if named else named_back(text[a:b])
                made = Mention(a, b, named, Strength.NAME, word) if named else \
                    Mention(a, b, (), Strength.UNKNOWN, word, near=table.members[series])
                out.replace(inside + out.over(a, b), made)
                like = named[0] if named else like
                if named and len(anchor.skus) > 1 and named[0] in anchor.skus and anchor in out and made.start > anchor.end \
                        and not own and not re.search(r"\d", _COUNT_BEFORE.sub(
                            "", _without_runs(table, series, text, anchor.end, made.start))):
                    # "奔风轻跑鞋 黑白色40 全黑色40 各8双": the series word only led its lines, it is no line itself
                    out.replace([anchor], None)
            self._size_ranges(text, table, series, anchor, stop, out)
        return out.sorted()

    def _told_before(self, text: str, floor: int, a: int, said: Sequence[str], like: str | None,
                     out: Spans) -> tuple[int, tuple[str, ...]] | None:
        """Where the line starts and its one product, when a code or a grade no mention took is written right before
        variants ``said`` after another line ("r410 3kg" after "r32 3kg 8瓶", "d6 4l" after "d3 atf 4l 5桶", "37调 5.4"
        after "19调 6.3 x1") and names products that ``like`` (the line before's) is not one of: the one of them in
        those variants. None when the word names no such product, or several."""
        lead = TELLING_LEAD.search(text, floor, a)
        if lead is None or like is None or out.over(lead.start(1), lead.end(1)):
            return None
        owners = [s for s, label in self._labels.items() if told_by(lead.group(1), label)]
        if not owners or like in owners:
            return None
        table = self.variant_table
        found: set[str] = set()
        for name in {table.series[s] for s in owners if s in table.series}:
            named = table.resolve(name, said, None, [s for s in owners if table.series.get(s) == name])
            found.update(named or ())
        return (lead.start(1), (found.pop(),)) if len(found) == 1 else None

    def _size_ranges(self, text: str, table: VariantTable, series: str, anchor: Mention, stop: int,
                     out: Spans) -> None:
        """"疾风黑白全码各一双", "绅士黑 39到43 each 1双", "棉拖粉色的两个码各十双": every size of the product said
        (its other variants kept), or those from one size to another; "N个码" only when there are N."""
        said = _ALL_SIZES.search(text, anchor.end, stop) or _SIZE_RANGE.search(text, max(anchor.start, anchor.end - 4), stop)
        if said is None:
            return
        over = [m for m in out.over(said.start(), said.end()) if m is not anchor]
        if any(table.series_of(m.skus) != series or not (said.start() <= m.start and m.end <= said.end())
               for m in over):
            return                # the words are another product's
        kept = table.variants.get(anchor.sku or "", frozenset())
        plain = {v for v in kept if not v[:1].isdigit()}
        family = [s for s in (anchor.skus if len(anchor.skus) > 1 else table.members[series])
                  if {v for v in table.variants[s] if not v[:1].isdigit()} == plain or len(anchor.skus) > 1]
        sizes = {s: next((Decimal(v.rstrip("码号")) for v in table.variants[s] if re.fullmatch(r"\d+(?:\.\d+)?", v)), None)
                 for s in family}
        family = [s for s in family if sizes[s] is not None]
        if said.re is _SIZE_RANGE:
            low, high = Decimal(said.group(1)), Decimal(said.group(2))
            family = [s for s in family if low <= (sizes[s] or 0) <= high]
        elif said.group("n") and parse_int(said.group("n")) != len(family):
            return
        if len(family) < 2:
            return
        start = said.start() if said.re is _ALL_SIZES or said.start() >= anchor.end else anchor.end
        made = [Mention(start, said.end(), (s,), Strength.NAME, said.group(0)) for s in family if s != anchor.sku]
        out.replace(over + ([anchor] if len(anchor.skus) > 1 else []), None)
        for m in made:
            out.replace([], m)

    def _of_kind(self, m: Mention) -> set[str]:
        """The products of the category of a one-product mention."""
        kind = self.entries[m.sku].category if m.sku else None
        return {s for s, e in self.entries.items() if kind and e.category == kind}

    def _joined_generics(self, text: str, mentions: list[Mention]) -> list[Mention]:
        """Generic words of one line that together name one product: "500的杯子要白色 48个" (杯子 of 500 and 白色
        of several kinds: the white 500 one), "kettle 1.5 黑色 6台", "18的奶锅要不粘的". Words next to each other
        (no count, no clause break between them) keep the products they share; words of the line before the first
        of them ("18的", "小号", not a count) or between them narrow further. Nothing is merged unless exactly one product is left."""
        out: list[Mention] = []
        i = 0
        while i < len(mentions):
            m = mentions[i]
            if m.sku is not None or len(m.skus) < 2:
                out.append(m)
                i += 1
                continue
            picked, j = set(m.skus), i
            while j + 1 < len(mentions) and len(mentions[j + 1].skus) > 1 and mentions[j + 1].sku is None \
                    and _GENERIC_GAP.fullmatch(text[mentions[j].end:mentions[j + 1].start]) \
                    and not _counted(text[mentions[j].end:mentions[j + 1].start]) \
                    and picked & set(mentions[j + 1].skus):
                picked &= set(mentions[j + 1].skus)
                j += 1
            lead = _LINE_LEAD.search(text, out[-1].end if out else 0, m.start)
            start = lead.start() if lead else m.start
            chars = list(text[start:mentions[j].end])
            for k in range(i, j + 1):         # the generic words themselves tell nothing more ("一" tells nothing)
                chars[mentions[k].start - start:mentions[k].end - start] = "一" * (mentions[k].end - mentions[k].start)
            for q in QUANTITY.finditer(text, start, m.start):      # "need 50 pvc pipes": a count, not a size
                if not _SIZE_MARK.match(text, q.end()) and "." not in q.group(0):      # "1.5 red": no count
                    chars[q.start() - start:q.end() - start] = " " * (q.end() - q.start())
            said = "".join(chars)
            if len(picked) > 1:
                for _, _, hit in self._descriptors(said, picked):
                    if picked & hit:
                        picked &= hit
            if len(picked) == 1 and (j > i or picked != set(m.skus)):
                # each word stays where it is (the words between them still tell the intent), naming the one product;
                # a size said with 的 right before the first is in its span ("16口的交换机2台": no count of 16)
                first = sized_start(text, start, m.start, self._labels[next(iter(picked))])
                out.extend(Mention(first if x is m else x.start, x.end, tuple(picked), Strength.NAME,
                                   text[first:x.end] if x is m else x.word) for x in mentions[i:j + 1])
            else:
                out.extend(mentions[i:j + 1])
            i = j + 1
        return out

    def _listed_each(self, text: str, mentions: list[Mention]) -> list[Mention]:
        """Lines that share one count ("各", "each"): "橙汁苹果汁桃汁 小瓶的 各6箱": words of several products listed
        one after another, then words that tell them apart: each is its product of those words; "40公分和50公分软管
        各50根": a size listed before a product word that begins with a size is that product in the other size."""
        out = list(mentions)
        for i, m in enumerate(mentions):
            j = i
            while j + 1 < len(mentions) and LIST_JOIN.fullmatch(text[mentions[j].end:mentions[j + 1].start]):
                j += 1
            each = EACH.search(text, mentions[j].end, mentions[j].end + 12)
            if each is None:
                continue
            if len(m.skus) > 1 and j > i:
                found = self._words_telling(text[mentions[j].start:each.start()], mentions[j].start, set(m.skus))
                picked = set(m.skus)
                for _, _, hit in found:
                    picked &= hit
                if found and len(picked) == 1:
                    out = [x for x in out if x is not m] + [Mention(m.start, m.end, tuple(picked), Strength.NAME, m.word)]
            size = VARIANT_SIZE.match(m.word)
            listed = LISTED_SIZE.search(text, 0, m.start)
            if m.sku and size is not None and listed is not None and j == i:
                wording = listed.group("size") + m.word[size.end():]
                named = [x for x in self.find(wording, siblings=False) if x.sku and x.sku != m.sku]
                if len(named) == 1 and named[0].end - named[0].start >= len(wording) - 2:
                    a, b = listed.start("size"), listed.end("size")
                    out.append(Mention(a, b, named[0].skus, Strength.NAME, text[a:b]))
        return sorted(out, key=lambda x: x.start)

    def _opposites(self, text: str, mentions: list[Mention]) -> list[Mention]:
        """"速腾前片10套 后片5套", "胎压内置的不要了 换外置": after a product, the opposite word (后 for 前, 外 for 内)
        names the product whose words are the first one's with that word swapped, when exactly one is."""
        out = list(mentions)
        for o in OPPOSITE_CHARS.finditer(text):
            at = o.start()
            if any(m.start <= at < m.end and m.sku for m in out):
                continue
            before = [m for m in out if m.end <= at and m.sku]
            if not before:
                continue
            anchor = max(before, key=lambda m: m.end)
            k = anchor.word.rfind(OPPOSITE[o.group(0)])
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
            if end == at + 1 and CJK.match(text[end:end + 1] or " "):
                if text[end] in suffix:
                    end += 1          # "后片" after "朗逸前刹车片"
                elif text[end] not in "的了":
                    continue          # "前天", "后来": the character begins another word
            over = [m for m in out if m.start < end and at < m.end]
            out = [m for m in out if m not in over] + [Mention(at, end, named[0].skus, Strength.NAME, text[at:end])]
        return sorted(out, key=lambda x: x.start)

    def _siblings(self, text: str, mentions: list[Mention]) -> list[Mention]:
        """"SP9 19寸的要4条 20寸的要4条", "-25防冻液 12桶 -45的 8桶", "雪狼 225 55 17 配12条 205 55 16 配8条": a size or
        grade written on its own after a product names that product's sibling, the product named by the first
        product's words with the size swapped, when exactly one is (else what it named on its own stays)."""
        out = list(mentions)
        made: set[int] = set()                  # ids of the siblings made here (identity: a long list has many)
        found: dict[str, list[Mention]] = {}     # each wording is looked up once
        for t in SIBLING_SPEC.finditer(text):
            over = [m for m in out if m.start < t.end() and t.start() < m.end]
            if any(m.start < t.start() or m.end > t.end() for m in over):
                continue               # the size is part of a longer product word
            before = [m for m in out if m.end <= t.start() and m.sku and id(m) not in made
                      and not SIBLING_SPEC.fullmatch(m.word.strip())]
            if not before:
                continue
            anchor = max(before, key=lambda m: m.end)
            spec = next(reversed(list(SIBLING_SPEC.finditer(anchor.word))), None) or \
                re.search(r"(?<![a-z0-9.])(?:\d{2,4}|\d\.\d{1,2}(?:米|m)?)$", anchor.word)     # its last size
            if spec is None:
                continue
            for said, glue in ((x, g) for x in _spellings(t.group(0)) for g in ("", " ")):
                # "2米": also as the catalogue may write it ("2.0"); "冰丝 1.5": also without its space
                wording = (anchor.word[:spec.start()] + said + anchor.word[spec.end():])
                wording = wording.replace(" ", "") if glue else wording
                if wording not in found:
                    found[wording] = self.find(wording, siblings=False)
                named = [m for m in found[wording] if m.sku and m.sku != anchor.sku]
                if len(named) == 1 and named[0].end - named[0].start >= len(wording) - 2:
                    break
            else:
                continue
            sibling = Mention(t.start(), t.end(), named[0].skus, Strength.NAME, t.group(0))
            made.add(id(sibling))
            gone = {id(m) for m in over}
            out = [m for m in out if id(m) not in gone] + [sibling]
        return sorted(out, key=lambda x: x.start)

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

    def best(self, text: str) -> Mention | None:
        """The one product mention of normalized ``text`` that names a product best (exact names before near
        misses, then the longest), else None."""
        found = [m for m in self.find(text) if m.sku]
        return max(found, key=lambda m: (m.strength, m.end - m.start)) if found else None


@lru_cache(maxsize=64)
def _cached(key: CatalogueKey, aliases: tuple[tuple[str, str], ...]) -> ProductIndex:
    return ProductIndex([CatalogueEntry(sku=s, name=n, aliases=list(a), category=c, unit=u) for s, n, a, c, u in key],
                        dict(aliases))


_LAST: list[tuple[Sequence[CatalogueEntry], int, tuple[tuple[str, str], ...], ProductIndex]] = []


def product_index(catalogue: Sequence[CatalogueEntry], dealer_aliases: dict[str, str] | None = None) -> ProductIndex:
    """The index for this catalogue and alias library, built once and reused (the chat parses every message).
    The same list object as the last call (the chat's catalogue cache hands out one) skips building the key."""
    aliases = tuple(sorted((dealer_aliases or {}).items()))
    for seen, size, known, index in _LAST:      # the object itself is held, so its id cannot be reused
        if seen is catalogue and size == len(catalogue) and known == aliases:
            return index
    index = _cached(catalogue_key(catalogue), aliases)
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
