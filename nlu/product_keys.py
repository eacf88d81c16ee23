"""``nlu.products``, first layer: the keys of a catalogue (names, aliases, model codes, kind words, sounds) and the
spans of a message that match them, near misses, pinyin and homophones, English words of a product."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from rapidfuzz import utils
from rapidfuzz.distance import Levenshtein

from nlu.alias_forms import ENGLISH_SAID, layer_numerals, measure_spellings, partly_said, plural, unit_written
from nlu.code_variants import head_variant_keys
from nlu.english_variants import coded_spellings, english_spellings, is_colour
from nlu.glossary import GLOSSARY, MODIFIERS
from nlu.normalize import normalize
from nlu.numbers import UNITS
from nlu.product_sounds import ONE_CHAR_UNITS as _ONE_CHAR_UNITS
from nlu.product_sounds import SoundKeys
from nlu.product_words import (
    ALNUM,
    CJK,
    CJK_MODEL,
    GENERIC,
    GRADE_HEADS,
    GROUP_GAP,
    KIND_AND_SIZE,
    LATIN,
    LOOSE_MODEL,
    MEASURE_WORD,
    MODEL,
    SIZE_AND_KIND,
    SIZE_WORDS_CN,
    SPEC,
    TELLING_STOP,
    TIMES,
    UNKNOWN_CODE,
    VARIANT_SIZE,
    Mention,
    Strength,
    compact,
    english_kinds,
    english_word,
    other_number,
    sizes_of,
    sounds,
    spec_variants,
    spelling_variants,
)
from nlu.schema import CatalogueEntry
from nlu.variants import SIZE_LETTERS

# a size and one Chinese character: "550水", "550嘅水", "水550" (never part of a longer number or a code)
KIND_CHAR_SIZE = re.compile(r"(?<![\d.a-z\-])(\d{2,4}|\d+\.\d+)\s?(?:的|嘅|滴)?\s?(?![单号码尾])([\u4e00-\u9fff])"
                            r"|(?![单号码尾])([\u4e00-\u9fff])\s?(\d{2,4}|\d+\.\d+)(?![\d.\-])")


_CN_UNITS = "|".join(sorted(_ONE_CHAR_UNITS))



# an alias that is a size and a word of the kind, either way round ("20弯头", "冷水管25", "40公分软管")
_ALIAS_SIZE = r"\d+(?:\.\d+)?\s?(?:公分|公斤|千克|毫米|毫升|厘米|kg|ml|mm|cm|l|g|m|寸|分|米|升|斤|克|号|码)?"
_SIZE_THEN_WORD = re.compile(rf"({_ALIAS_SIZE})\s?([\u4e00-\u9fff]{{2,6}})")
_WORD_THEN_SIZE = re.compile(rf"([\u4e00-\u9fff]{{2,6}})\s?({_ALIAS_SIZE})")
# an alias that is a kind with a number of its own and a size after it ("45度弯头20", "8丝袋10号"): the kind
# ("45度弯头") names the products whose aliases start with it
_NUMBERED_KIND_THEN_SIZE = re.compile(rf"(\d+(?:\.\d+)?\s?[\u4e00-\u9fff]{{2,6}})\s?({_ALIAS_SIZE})")

# an alias that is a code and the Chinese word of its kind ("16A插座", "USB插座"), and the English words of those kind
# words (the glossary read the other way): said in English, "16a socket" (never a bare number: "18 wipers" is a count;
# a size with the Chinese unit ``nlu.english_units`` writes is one: "16口 switch" of "16口交换机")
_CODE_AND_KIND = re.compile(r"((?=[a-z0-9.\-]*[a-z])[a-z0-9][a-z0-9.\-]*|\d+(?:路|口|寸|倍))\s?([\u4e00-\u9fff]{2,})")
_KIND_IN_ENGLISH: dict[str, list[str]] = {}
for english, chinese in GLOSSARY.items():
    for word in (w for w in chinese if len(w) >= 2):
        _KIND_IN_ENGLISH.setdefault(word, []).append(english)


class _ProductKeys(SoundKeys):
    """The keys of a catalogue and the raw matching (``ProductIndex`` builds on it)."""

    def __init__(self, catalogue: Sequence[CatalogueEntry], dealer_aliases: dict[str, str] | None = None) -> None:
        self.entries = {e.sku: e for e in catalogue}
        keys: dict[str, tuple[Strength, set[str]]] = {}

        def add(key: str, sku: str, strength: Strength, *, digits: int = 6) -> None:
            key = normalize(key)
            if len(key) < 2 or key.isdigit() and len(key) < digits:    # a short number is a quantity, not a name
                return
            if re.fullmatch(r"[x*×]\s?\d+", key):           # "x 24" of "罐×24" is how a count is written
                return
            if (spaced := re.fullmatch(r"\d+ ([a-z]+)", key)) and spaced.group(1) in size_letters:
                return                                      # "2 xl" of 2XL: "L 2 XL 2" is a count, then a size
            old = keys.get(key)
            if old is None or strength > old[0]:
                keys[key] = (strength, {sku})
            elif strength == old[0]:
                old[1].add(sku)

        # the letters of clothing sizes the catalogue's names end in ("暖窝 m"): "s红3 m黑5" is a count and a size
        # ("减震鞋垫 l(43-46)": what the brackets say only explains the letter)
        size_letters = {w for e in catalogue
                        if (w := re.sub(r"[(（][^)）]*[)）]$", "", normalize(e.name).rsplit(" ", 1)[-1])) in SIZE_LETTERS}
        self._size_letters = size_letters
        kinds: set[str] = set()
        series_words: set[str] = set()      # "雪峰" of "雪峰黑M": a series' own word, typed by sound too ("雪风")
        numbered_kinds: dict[str, set[str]] = {}
        # words said without the kind's last character ("乌龙" of 乌龙茶, "2.5红" of the alias 2.5红线), when no
        # other key is spelled so
        trimmed: dict[str, set[str]] = {}
        # pieces of a name's Chinese that begin inside it ("用除湿机" of "商用除湿机"), with the characters before them
        pieces: dict[str, set[str]] = {}
        heads: set[str] = set()
        for e in catalogue:
            name = normalize(e.name)
            for key in (e.sku, *e.aliases):
                for v in spelling_variants(normalize(key)):
                    add(v, e.sku, Strength.EXACT, digits=3)      # an alias "958" the maker chose is a name
                if (plural_key := plural(normalize(key))) is not None:
                    add(plural_key, e.sku, Strength.NAME)            # "heavy zip bags 12号", "shoe trees m"
                if (coded := _CODE_AND_KIND.fullmatch(normalize(key))) is not None:    # "16a socket" of "16a插座"
                    for english in _KIND_IN_ENGLISH.get(coded.group(2), ()):
                        add(f"{coded.group(1)} {english}", e.sku, Strength.NAME)
                for english in english_spellings(normalize(key)):     # "qx black" of "QX黑", "jh full" of "JH全盖"
                    for v in spelling_variants(english):
                        add(v, e.sku, Strength.NAME)
                if (united := unit_written(normalize(key), name)) is not None:     # "e0颗粒板18mm" of "E0颗粒板18"
                    add(united, e.sku, Strength.EXACT)
                for measured in measure_spellings(normalize(key)):      # "面包粉1kg" of "面包粉1公斤"
                    add(measured, e.sku, Strength.NAME)
            for key in (name, *map(normalize, e.aliases)):
                # "三层7号" is typed "3层7号", "5层" "五层": a small count before 层 / 号 in either numeral
                for other in layer_numerals(key):
                    add(other, e.sku, Strength.EXACT)
            for alias in map(normalize, e.aliases):
                # "20弯头" is said "弯头20" too, "冷水管25" "25冷水管", "4分弯头" "弯头4分": the size on the other side
                if (f := _SIZE_THEN_WORD.fullmatch(alias)) is not None:
                    add(f.group(2) + f.group(1), e.sku, Strength.NAME)
                elif (f := _WORD_THEN_SIZE.fullmatch(alias)) is not None:
                    add(f.group(2) + f.group(1), e.sku, Strength.NAME)
                if (f := _NUMBERED_KIND_THEN_SIZE.fullmatch(alias)) is not None:
                    numbered_kinds.setdefault(f.group(1), set()).add(e.sku)
            head, _, rest = normalize(e.sku).partition("-")     # "HN-H6-70": dealers drop the maker's prefix
            code = rest if rest and head.isalpha() else normalize(e.sku)
            for english in coded_spellings(code, name):     # "lh black 43" of TY-LH-BK43 (黑)
                for v in spelling_variants(english):
                    add(v, e.sku, Strength.NAME)
            if rest and head.isalpha() and re.search(r"\d", rest) and len(compact(rest)) >= 3 \
                    and not (rest.isdigit() and sizes_of(catalogue).get(rest, 0) > 1):   # "EN-500": 500 is a size
                for v in spelling_variants(rest):
                    add(v, e.sku, Strength.NAME)
            add(name, e.sku, Strength.EXACT)
            add(name.replace(" ", ""), e.sku, Strength.EXACT)
            for m in MODEL.finditer(name):
                for v in spelling_variants(m.group(0)):
                    add(v, e.sku, Strength.NAME)
            specs = list(SPEC.finditer(name))
            for m in specs:
                for v in spec_variants(m.group(0)):
                    if not (v[-2:-1] == " " and v[-1:] in size_letters):   # "3 m" of 3 m when M is a size: 3 of M
                        add(v, e.sku, Strength.NAME)
            for x, y in zip(specs, specs[1:], strict=False):       # "12V 100Ah" is typed "12v100ah" too
                if re.fullmatch(r"\s?", name[x.end():y.start()]) and x.group(0)[:1].isdigit():
                    for v in spec_variants(re.sub(r"\s", "", x.group(0) + y.group(0))):
                        add(v, e.sku, Strength.NAME)
            for run in CJK.findall(name):
                for i in range(len(run) - 1):
                    word = run[i:]
                    if word not in GENERIC and len(word) >= 2:
                        add(word, e.sku, Strength.CATEGORY)
                        if i:
                            pieces.setdefault(word, set()).add(run[i - 1])
                        else:
                            heads.add(word)
                    if len(word) >= 3 and word[-1] in e.category:
                        trimmed.setdefault(word[:-1], set()).add(e.sku)
                        if i:
                            pieces.setdefault(word[:-1], set()).add(run[i - 1])
                        else:
                            heads.add(word[:-1])
                if len(run) > 2 and run[0] in GRADE_HEADS:     # "一级" of "一级能效", "大桶" of "大桶装": a grade
                    add(run[:2], e.sku, Strength.CATEGORY)
                if len(run) > 2 and run[-1] in "味型款色号装":        # "鸡肉" of "鸡肉味", "米黄" of "米黄色"
                    kinds.add(run[:-1])
                for a in range(len(run) - 2):          # "无骨雨刮" inside "净视无骨雨刮器": words within a name
                    for b in range(a + 3, len(run)):
                        if run[a:b] not in GENERIC:
                            add(run[a:b], e.sku, Strength.CATEGORY)
                            if a:
                                pieces.setdefault(run[a:b], set()).add(run[a - 1])
                            else:
                                heads.add(run[a:b])
            # the maker's word for the kind ("狗粮" of every dog food) and the Chinese words of its aliases
            # ("成猫" of "成猫10公斤"): words of the product, several products when they share them
            said_whole = [normalize(a) for a in e.aliases]
            for alias in said_whole:
                stem = alias[:-1].strip()
                if len(alias) >= 3 and alias[-1] in e.category and CJK.search(VARIANT_SIZE.sub("", stem)):
                    trimmed.setdefault(stem, set()).add(e.sku)
                    heads.add(stem)
                # "三鲜" of the alias "三鲜水饺" in the kind "速冻水饺": the alias without the kind's own last word
                kind = normalize(e.category)[-2:]
                if len(alias) >= 4 and CJK.fullmatch(kind) and alias.endswith(kind) and CJK.fullmatch(alias[:-2]):
                    trimmed.setdefault(alias[:-2], set()).add(e.sku)
                    heads.add(alias[:-2])
            said = [MEASURE_WORD.sub(" ", a) for a in said_whole]
            # "雪峰" of the alias "雪峰黑M" for "暖途雪峰长款羽绒服 黑色 M": the series word is what is left of the
            # alias's Chinese once the product's own variant word (its colour, its grade) is taken off its end
            tails = {t for w in name.split()[1:] for t in CJK.findall(w) for t in (t, t.removesuffix("色")) if t}
            own = {w[:-len(t)] for a in said for w in CJK.findall(a) if w not in name
                   for t in tails if w.endswith(t) and len(w) - len(t) >= 2 and w[:-len(t)] in name}
            series_words |= own
            kinds |= own
            kinds.update(w for w in (*CJK.findall(normalize(e.category)),
                                     *(w for a in said for w in CJK.findall(a) if w in name),
                                     *(f.group(1) for f in map(KIND_AND_SIZE.fullmatch, said_whole) if f),
                                     *(f.group(1) for f in map(SIZE_AND_KIND.fullmatch, said_whole) if f))
                         if len(w) >= 2 and w not in GENERIC)
        for key, owners in head_variant_keys(catalogue).items():      # "qx18 walnut" of QX18-WN (胡桃)
            for sku in owners:
                add(key, sku, Strength.NAME)
        labels = {e.sku: normalize(" ".join((e.name, e.category, *e.aliases))) for e in catalogue}
        trimmed_keys: set[str] = set()
        for word, owners in trimmed.items():
            if word not in keys and word not in GENERIC and len(word) >= 2 and not word.isdigit() \
                    and all(sku in owners for sku, label in labels.items() if word in label):   # "小瓶" of 小瓶水: no
                trimmed_keys.add(word)
                for sku in owners:
                    add(word, sku, Strength.CATEGORY)
        for word, owners in numbered_kinds.items():
            if len(owners) >= 2 and word not in keys:
                for sku in owners:
                    add(word, sku, Strength.CATEGORY)
        english_said = {e.sku for e in catalogue if any(ENGLISH_SAID.fullmatch(normalize(w)) and re.search(r"[a-z]{3,}", w)
                                                        for w in (e.name, *e.aliases))}
        self._english_said = english_said
        self.partly_english: set[str] = set()       # "lock" of the two locks aliased in English of ten
        for word, owners in english_kinds(catalogue).items():     # "kettle", "air fryer": English words of a kind
            if word not in keys:
                if word not in MODIFIERS and partly_said(owners, english_said, catalogue):
                    self.partly_english.add(word)
                for sku in owners:
                    add(word, sku, Strength.CATEGORY)
        kind_words = kinds - keys.keys()
        # "花洒" of the kind 花洒, also the end of one name ("增压手持花洒"): a word of every product of the kind
        # (the products of that kind or with the word in their names; an alias of one is no kind)
        category_words = {w for e in catalogue for w in CJK.findall(normalize(e.category))}
        for word in kinds - kind_words:
            if keys[word][0] == Strength.CATEGORY and len(keys[word][1]) == 1 and word in category_words:
                for e in catalogue:
                    if word in normalize(e.name) or word in normalize(e.category):
                        add(word, e.sku, Strength.CATEGORY)
        for word in kind_words:               # every product whose words have it, not only the one alias
            for sku, label in labels.items():
                if word in label:
                    add(word, sku, Strength.CATEGORY)
        for word, sku in (dealer_aliases or {}).items():
            if sku in self.entries:
                for v in spelling_variants(normalize(word)):
                    add(v, sku, Strength.EXACT)
        self._labels = {sku: normalize(" ".join((e.sku, e.name, *e.aliases))) for sku, e in self.entries.items()}
        self._label_pairs = {run[i:i + 2] for label in self._labels.values() for run in CJK.findall(label)
                             for i in range(len(run) - 1)}
        # "brake fluid" for a catalogue in Chinese: every product whose words hold its Chinese anywhere ("ptz" of
        # 球机支架 too), so no kind the catalogue says (``_kinds_of``)
        self._glossary_keys: set[str] = set()
        if any(CJK.search(label) for label in self._labels.values()):
            for english, words in GLOSSARY.items():
                if english not in keys:
                    owners = {sku for sku, label in self._labels.items() if any(w in label for w in words)}
                    if owners:
                        keys[english] = (Strength.NAME if len(owners) == 1 else Strength.CATEGORY, owners)
                        self._glossary_keys.add(english)
        self.keys = {k: (s, tuple(sorted(skus))) for k, (s, skus) in keys.items()}
        self._pieces = {k: before for k, before in pieces.items()
                        if k in keys and k not in heads and keys[k][0] == Strength.CATEGORY}
        # keys by their first two characters, longest first: at each position of a message only the keys that
        # can start there are tried (one regex alternation of thousands of keys is linear in the keys)
        self._by_head: dict[str, list[str]] = {}
        for k in sorted(self.keys, key=len, reverse=True):
            self._by_head.setdefault(k[:2], []).append(k)
        self._compact_exact = {compact(k): v for k, v in self.keys.items() if v[0] >= Strength.NAME}
        # near-miss candidates by (leading letters, length): a typo keeps the series letters and about the length
        self._near: dict[tuple[str, int], list[str]] = {}
        for key, (strength, _) in self._compact_exact.items():
            if strength == Strength.EXACT:
                lead = re.match(r"[a-z]*", key).group(0) if key.isascii() else "\u4e00"  # type: ignore[union-attr]
                self._near.setdefault((lead, len(key)), []).append(key)
        self._names = {sku: compact(normalize(e.name)) for sku, e in self.entries.items()}
        # Chinese keys by sound, for words typed with a homophone; a sound shared by keys of other products
        # names no one of them
        self._by_sound: dict[tuple[str, ...], str] = {}
        shared: set[tuple[str, ...]] = set()
        for k in self.keys:
            if (k in kind_words or k in trimmed_keys) and k not in series_words:
                # "批酒" is no typo of the kind word 啤酒: only product words (and a series' own words) by sound
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

    def _narrow(self, skus: set[str], word: str) -> set[str]:
        """The products of ``skus`` whose names or aliases have ``word`` (a size in any of its spellings)."""
        if VARIANT_SIZE.fullmatch(word):
            spellings = {re.sub(r"\s", "", v) for v in spec_variants(SIZE_WORDS_CN.get(word, word))}
            return {s for s in skus if any(v in re.sub(r"\s", "", self._labels[s]) for v in spellings)}
        if re.fullmatch(r"[a-z]{1,2}\d", word):        # AC3 / E0 / E1: a grade or class, a whole word of the name
            return {s for s in skus if re.search(rf"(?<![a-z]){word}(?!\d)", self._labels[s])}
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
        number = re.match(r"\d+(?:\.\d+)?", word)
        if number and m.sku is not None:      # "2.5红10卷 蓝10卷": the products of its kind with that size
            kind = self.entries[m.sku].category
            said = rf"(?<![\d.]){re.escape(number.group(0))}(?![\d])"
            same = {s for s, e in self.entries.items() if e.category == kind and re.search(said, self._labels[s])}
            if len(same) >= 2:
                return same
        if m.sku is not None and CJK.fullmatch(word):      # "烧烤小包15箱 大包10箱": 烧烤 of its kind's names
            kind = self.entries[m.sku].category
            for cut in range(len(word) - 1, 1, -1):
                same = {s for s, e in self.entries.items() if e.category == kind and word[:cut] in self._labels[s]}
                if len(same) >= 2 and m.sku in same:
                    return same
        return set()

    def _families(self, m: Mention) -> Iterator[set[str]]:
        """The kinds a one-product mention names, narrowest first: ``_family``, then the products of its category
        whose names or aliases hold a shorter start or end of its Chinese words ("青龙白" of "青龙白5L", then "青龙";
        "厨房龙头" of "枪灰厨房龙头")."""
        first = self._family(m)
        if first:
            yield first
        run = re.match(r"[\u4e00-\u9fff]{3,}", m.word)
        if run is None or m.sku is None:
            return
        kind = self.entries[m.sku].category
        size = len(first)
        words = run.group(0)
        # its words' start ("青龙" of "青龙白5L"), then their end ("厨房龙头" of "枪灰厨房龙头")
        for piece in [words[:cut] for cut in range(len(words) - 1, 1, -1)] + \
                [words[-cut:] for cut in range(len(words) - 1, 1, -1)]:
            same = {s for s, e in self.entries.items() if e.category == kind and piece in self._labels[s]}
            if len(same) > max(size, 1) and m.sku in same:
                size = len(same)
                yield same

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
                if key[0].isascii() and key[0].isalnum() and pos and ALNUM(text[pos - 1]) and ALNUM(written[pos]):
                    continue
                if key[0].isascii() and key[0].isalnum() and pos > 1 and text[pos - 1] == "-" and ALNUM(text[pos - 2]) \
                        and re.match(r"-[a-z0-9]", text[pos + len(key):pos + len(key) + 2]):
                    continue          # "16r" of "cb-16r-x": inside another code
                if (LATIN(key[-1]) and len(key) > 3 or key[-1].isdigit() and LATIN(key[0]) and len(key) > 2) \
                        and text[end:end + 1] == "s" and not ALNUM(text[end + 1:end + 2] or " "):
                    end += 1          # "shower heads", "3 AP12s": a plural of an English name or of a code
                if key[-1].isascii() and key[-1].isalnum() and end < n and ALNUM(written[end - 1]) and (
                        text[end].isdigit() and text[end].isascii()
                        or LATIN(text[end]) and not (text[end] == "x" and end + 1 < n and text[end + 1].isdigit())):
                    continue
                if "-" in key and re.match(r"-[a-z0-9]", text[end:end + 2]) and not re.match(r"-\d+(?:[a-z]{0,3})?\b(?!-)",
                                                                                         text[end:end + 8]):
                    continue          # "cb-16r-x": a longer code than the product's "cb-16r", not that product
                if self._cut_from_other_word(text, pos, key):
                    continue
                hit = (pos, end, key)
                break
            if hit is None:
                pos += 1
            else:
                out.append(hit)
                pos = hit[1]
        return out

    def _cut_from_other_word(self, text: str, pos: int, key: str) -> bool:
        """"家用除湿机" is not the "用除湿机" of "商用除湿机": a piece of a name that begins inside one of its words is
        not read where the message's character before it makes another word (``another_word``); the shorter key
        after it is read."""
        return key in self._pieces and pos > 0 and CJK.match(text[pos - 1]) is not None \
            and self.another_word(text[pos - 1:pos + 1], self.keys[key][1])

    def piece_of_name(self, word: str) -> bool:
        """Whether ``word`` is a key only as a piece beginning inside a word of names ("吸力" of "大吸力")."""
        return word in self._pieces

    def english_of_some(self, hit: set[str], base: set[str]) -> bool:
        """An English word that picks ``hit`` out of ``base`` only because those have English aliases: a product of
        ``base`` of the same kind as one of ``hit`` is said in Chinese only, so the word may mean it as well
        ("door stopper 黑色": "door" of the one black lock aliased "sliding door lock", not of 隐形门吸 黑色)."""
        if not hit <= self._english_said:
            return False
        kinds = {self.entries[s].category for s in hit} - {""}
        return any(self.entries[s].category in kinds for s in base - hit - self._english_said)

    def another_word(self, word: str, skus: Sequence[str] | set[str]) -> bool:
        """Whether ``word`` (two Chinese characters the message has) is a word that tells products apart, the
        catalogue's (in some product's words) or one like 家用 / 商用, that none of ``skus`` has: a character of it
        then says nothing for ``skus`` ("用" of "家用" is not the "用" of "商用")."""
        return (word in GENERIC or word in self._label_pairs) and not any(word in self._labels[s] for s in skus)

    def _extended(self, hits: list[tuple[int, int, str]], text: str, written: str) -> list[tuple[int, int, str]]:
        """"eco 185 65 15": a key ("eco 185") that a longer key starting inside it ("185 65 15") continues, with a
        product in common, is read as the longer span (named by the longer key)."""
        out: list[tuple[int, int, str]] = []
        for n, (start, end, key) in enumerate(hits):
            limit = hits[n + 1][0] if n + 1 < len(hits) else len(text)
            best = None
            for inner in range(start + 1, end):
                if text[inner:min(inner + 2, limit)] not in self._by_head:
                    continue          # no key starts at ``inner``: the scan would find none there
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

    def _near_misses(self, text: str, taken: list[Mention]) -> list[Mention]:
        def free(a: int, b: int) -> bool:
            return all(b <= t.start or a >= t.end for t in taken)

        out: list[Mention] = []
        for m in LOOSE_MODEL.finditer(text):
            if not free(m.start(), m.end()) or re.match(r"-[a-z0-9]", text[m.end():m.end() + 2]) \
                    or text[m.start() - 1:m.start()] == "-":
                continue          # "cb-16r" of "cb-16r-x": part of a longer code
            word = m.group(0)
            head = re.match(r"[a-z]+", word)
            letters = head.group(0) if head else ""
            rest = compact(word[len(letters):]).replace("o", "0").replace("i", "1").replace("l", "1")
            if not rest[:1].isdigit():
                continue
            candidate = letters + rest
            if candidate in self._compact_exact and self._compact_exact[candidate][0] == Strength.EXACT:
                out.append(Mention(m.start(), m.end(), self._compact_exact[candidate][1], Strength.FUZZY, word))
                continue
            hit = self._closest(candidate, latin=True)
            if hit:
                out.append(Mention(m.start(), m.end(), (), Strength.UNKNOWN, word.upper(), near=hit))
        for m in CJK_MODEL.finditer(text):
            if free(m.start(), m.end()):
                hit = self._closest(m.group(0), latin=False)
                if hit:
                    out.append(Mention(m.start(), m.end(), hit, Strength.FUZZY, m.group(0)))
        return out

    def _closest(self, word: str, *, latin: bool) -> tuple[str, ...] | None:
        """The one product whose exact key is one edit away from ``word`` (4+ characters), else None."""
        owners = self.near_owners(word, latin=latin)
        return (owners.pop(),) if len(owners) == 1 else None

    def near_owners(self, word: str, *, latin: bool = True) -> set[str]:
        """The products whose exact keys are one edit away from ``word`` (4+ characters)."""
        owners: set[str] = set()
        if len(word) < 4:
            return owners
        # "XP300" is another series, not a typo of "AP300"; "AP3000" and "AP30O" are
        lead = re.match(r"[a-z]*", word).group(0) if latin else "\u4e00"  # type: ignore[union-attr]
        for size in (len(word) - 1, len(word), len(word) + 1):
            for key in self._near.get((lead, size), ()):
                if key.isascii() == latin and Levenshtein.distance(word, key, score_cutoff=1) <= 1 \
                        and not other_number(word, key):
                    owners.update(self._compact_exact[key][1])
        return owners

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
        while j < len(found) and GROUP_GAP.fullmatch(text[found[j - 1].end:found[j].start]):
            narrowed = common & set(found[j].skus)
            if not narrowed:
                break
            common = narrowed
            j += 1
            if len(common) == 1:
                break
        if j - i < 2 or len(common) != 1:
            return None
        if any(m.word in self.partly_english for m in found[i:j]) and any(is_colour(m.word) for m in found[i:j]):
            return None          # "door 黑色": "door" is a word of the few doors aliased in English only
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
        code = compact(model.word)
        named = tuple(s for s in category.skus if code in self._names[s])
        if len(named) == 1:                                             # AP300的滤网 -> the AP300 filter
            return Mention(start, end, named, Strength.EXACT, word)
        return None

    def _kind_chars(self) -> dict[tuple[str, str], set[str]]:
        """(the last character of a word that ends a product's name, a number of its names) -> those products:
        ("水", "550") of 矿泉水550ml, ("锅", "32") of 不粘炒锅32cm; never a unit ("箱" of 配电箱): built at first need."""
        table: dict[tuple[str, str], set[str]] | None = self.__dict__.get("_kind_char_table")
        if table is None:
            table = {}
            for sku, e in self.entries.items():
                numbers = set(re.findall(r"(?<![\d.])\d{1,4}(?:\.\d+)?(?![\d])", self._labels[sku]))
                for run in CJK.findall(normalize(e.name)):
                    # nor the 装 of a package ("桶装": "装 42" of "一斤装 42度" is no 42度 1.5 L 桶装)
                    if len(run) >= 2 and run[-1] not in UNITS and run[-1] not in TELLING_STOP and run[-1] != "装":
                        for number in numbers:
                            table.setdefault((run[-1], number), set()).add(sku)
            self._kind_char_table = table
        return table

    def _kind_char_sizes(self, text: str, taken: list[Mention]) -> list[Mention]:
        """"550水", "550嘅水", "水550", "500的杯子": a size said with the last character of the kind's word is the
        products of that kind with that size in their names (several stay a word of several)."""
        out = []
        table = self._kind_chars()
        for m in KIND_CHAR_SIZE.finditer(text):
            number, char = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
            owners = table.get((char, number))
            if not owners or any(t.start < m.end() and m.start() < t.end for t in taken):
                continue
            strength = Strength.NAME if len(owners) == 1 else Strength.CATEGORY
            out.append(Mention(m.start(), m.end(), tuple(sorted(owners)), strength, m.group(0)))
        return out

    def _model_numbers(self, text: str, taken: list[Mention]) -> list[Mention]:
        """"300的改成十五台": a bare number said with 的 is the product whose code is that number after its series
        letters (AP300), when exactly one is; never a quantity."""
        out = []
        for m in re.finditer(r"(?<![\d.a-z/x*-])(\d{2,5})(?=\s?的)", text):
            if any(t.start < m.end() and m.start() < t.end for t in taken):
                continue
            owners = [sku for sku in self.entries if re.fullmatch(rf"[a-z]+-?{m.group(1)}", sku.lower())]
            if len(owners) == 1 and sizes_of(self.entries.values()).get(m.group(1), 0) <= 1:   # "500的": a size
                out.append(Mention(m.start(), m.end(), (owners[0],), Strength.NAME, m.group(1)))
        return out

    def _by_numbers(self, text: str, mentions: list[Mention]) -> list[Mention]:
        """``_by_number`` of each mention, but a number glued to the container word of the product before it and
        spaced from this one ("金冠5w30小桶10 铁骑15w40小桶20"), or one spaced between a product named in full and this
        one ("铁骑15w40 4L 20 18L 2"), is that product's count, never this one's number (not "汪罐375 牛肉": a size
        said with a series)."""
        return [self._by_number(text, m, mentions[n - 1] if n else None) for n, m in enumerate(mentions)]

    def _by_number(self, text: str, m: Mention, prev: Mention | None = None) -> Mention:
        """"浴室柜900的", "800的鱼肚白": a word of several products next to a bare number that only one of them
        has in its name or aliases is that product."""
        if len(m.skus) < 2:
            return m
        after = re.match(r"\s?的?\s?(?:[-−]|零下)?(\d{2,5}|[一二两三四五六七八九十百千]{2,4})(?![\d.a-z/x*])", text[m.end:])
        # "-40的玻璃水", "零下40的": a grade written with its minus sign (not the "-30" of "5w-30")
        before = re.search(r"(?:(?<![\w.])[-−]|零下)?(?<![\d.a-z/x*])(?<![a-z0-9][-−])"
                           r"(\d{2,5}|[一二两三四五六七八九十百千]{2,4})\s?(?:v|伏|w|瓦|寸|升|l|ml|kg|g)?\s?的?$",
                           text[:m.start])
        if before is not None and before.group(0).endswith(" ") \
                and re.search(r"(?:卖了|卖咗|卖出|出了|走了)\s?$", text[:before.start()]):
            before = None                     # "6号卖了80 三层": the 80 is the count of the line before
        if before is not None and before.group(0).endswith(" ") and prev is not None and prev.end <= before.start() \
                and (re.fullmatch(rf"[^\s\d]?(?:{_CN_UNITS})", text[prev.end:before.start()])
                     or len(prev.skus) == 1 and text[prev.end:before.start()] == " "):
            before = None
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
        return sorted(shared, key=lambda i: (-shared[i], i))[:cap]     # ties by index: no hash-seed order

    def unknown_codes(self, text: str, mentions: list[Mention]) -> list[Mention]:
        """Model-like codes in ``text`` that are no product ("XY123"), as mentions naming nothing: they take
        the quantity written with them, so it is never given to another product."""
        def free(a: int, b: int) -> bool:
            return all(b <= m.start or a >= m.end for m in mentions)

        return [Mention(m.start(), m.end(), (), Strength.UNKNOWN, m.group(0))
                for m in UNKNOWN_CODE.finditer(text) if free(m.start(), m.end()) and not TIMES.fullmatch(m.group(0))]

    def _most_alike(self, sku: str, candidates: set[str]) -> str | None:
        """Of ``candidates``, the one whose name shares most words with ``sku``'s; None when two tie."""
        if len(candidates) == 1:
            return next(iter(candidates))
        words = set(re.findall(r"[a-z0-9.]+|[\u4e00-\u9fff]", self._labels[sku]))
        shared = {c: len(words & set(re.findall(r"[a-z0-9.]+|[\u4e00-\u9fff]", self._labels[c]))) for c in candidates}
        best = max(shared.values())
        top = [c for c, n in shared.items() if n == best]
        return top[0] if len(top) == 1 else None

    def _kinds_of(self, sku: str) -> list[set[str]]:
        """The words of several products that ``sku`` is one of, as product sets, smallest first (built at first
        need: most messages never ask)."""
        table: dict[str, list[set[str]]] | None = self.__dict__.get("_kinds_table")
        if table is None:
            table = {}
            seen: set[tuple[str, ...]] = set()
            for key, (strength, skus) in self.keys.items():
                if strength == Strength.CATEGORY and len(skus) >= 2 and skus not in seen \
                        and key not in self._glossary_keys:
                    seen.add(skus)
                    for owner in skus:
                        table.setdefault(owner, []).append(set(skus))
            for groups in table.values():
                groups.sort(key=len)
            self._kinds_table = table
        return table.get(sku, [])

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
                    words = frozenset(english_word(w) for w in re.findall(r"[a-z]+|\d+(?:\.\d+)?", said))
                    if len(words) >= 2:
                        for w in words:
                            table.setdefault(w, []).append((words, sku))
            self._english_table = table
        return table

    def _english_cuts(self) -> dict[str, str]:
        """The words of English aliases (six letters or more) by the first letters dealers cut them to ("cab" of
        "cabernet", "chard" of "chardonnay"): three letters at least, two fewer than the word at most, a cut two
        words share or that is a word of the aliases itself names nothing. Only read with the other words of the
        alias around it (``_english_words``)."""
        cuts = self.__dict__.get("_english_cut_table")
        if cuts is not None:
            return cuts  # type: ignore[no-any-return]
        table = self._english_sets()
        cuts = {}
        shared: set[str] = set()
        for word in table:
            if not word.isalpha() or len(word) < 6:
                continue
            for n in range(3, len(word) - 1):
                cut = word[:n]
                if cuts.get(cut, word) != word:
                    shared.add(cut)
                cuts[cut] = word
        cuts = {c: w for c, w in cuts.items() if c not in shared and c not in table}
        self._english_cut_table = cuts
        return cuts

    def _english_words(self, text: str, taken: list[Mention]) -> list[Mention]:
        """"wok 32 nonstick x20", "need the black tumbler 500ml, 48 pcs", "cast iron wok, the 34cm one": the words
        of a product's English alias said in any order, plural or with their units, within a few words; the
        product whose alias has the most of them (one product, else none)."""
        if not re.search(r"[a-z]{3,}", text):
            return []
        table = self._english_sets()
        if not table:
            return []
        cut = self._english_cuts()
        tokens = [(t.start(), t.end(), cut.get(w, w) if w not in table else w)
                  for t in re.finditer(r"[a-z]+|\d+(?:\.\d+)?", text)
                  if all(t.end() <= m.start or t.start() >= m.end for m in taken)
                  for w in (english_word(t.group(0)),)]
        out: list[Mention] = []
        i = 0
        while i < len(tokens):
            best: tuple[int, int, str] | None = None       # (words, end token, sku)
            tie = False
            for words, sku in table.get(tokens[i][2], ()):
                reach = next((k for k in range(i + 1, min(len(tokens), i + 8))       # never across a count
                              if tokens[k][2][0].isdigit() and tokens[k][2] not in words), min(len(tokens), i + 8))
                span = [k for k in range(i, reach) if tokens[k][2] in words]
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

    # --- for prompts and suggestions ----------------------------------------------------------------
    def label(self, sku: str) -> str:
        e = self.entries.get(sku)
        return f"{e.name}（{e.sku}）" if e else sku
