"""``nlu.product_keys``: the product words of a catalogue by their sound: Chinese words written with another
character of the same sound ("进化器" for 净化器, "虑网" for 滤网) and product words typed in pinyin
("chunsheng xiaoguan 20 jian")."""

from __future__ import annotations

import re
import unicodedata

from pypinyin import Style, pinyin

from nlu.normalize import normalize
from nlu.numbers import UNITS
from nlu.product_words import CJK, NUMERALS, PARTICLES, Mention, Strength, sounds
from nlu.schema import CatalogueEntry

ONE_CHAR_UNITS = frozenset(u for u in UNITS if len(u) == 1 and not u.isascii())
# a key that is a Chinese word of two to four characters, then a variant: a number or letters ("护瞳1.60", "暖窝s")
_LEAD = re.compile(r"([\u4e00-\u9fff]{2,4})\s?(\d+(?:\.\d+)?(?![\d.])|[a-z]{1,3}(?![a-z]))")
_AFTER_LEAD = re.compile(r"\s?(\d+(?:\.\d+)?(?![\d.])|[a-z]{1,3}(?![a-z]))")


class SoundKeys:
    """The sound side of ``nlu.product_keys._ProductKeys`` (a mixin: the keys are built there)."""

    keys: dict[str, tuple[Strength, tuple[str, ...]]]
    entries: dict[str, CatalogueEntry]
    _by_sound: dict[tuple[str, ...], str]
    _sound_lengths: list[int]

    def _scan(self, text: str, written: str | None = None) -> list[tuple[int, int, str]]:
        raise NotImplementedError

    def respell(self, text: str) -> str:
        """``text`` with Chinese words that sound like a product word but are written otherwise ("进化器",
        "虑网") written as that product word; same length, so positions stay valid."""
        leads = self._lead_sounds()
        if not self._by_sound and not leads:
            return text
        out = list(text)
        for run in CJK.finditer(text):
            i = run.start()
            while i < run.end():
                step = 1
                for n in self._sound_lengths:
                    j = i + n
                    if j > run.end():
                        continue
                    word = text[i:j]
                    if word[0] in NUMERALS or word[0] in PARTICLES:
                        break             # "三桶" is three buckets, not the "三通" it sounds like; "的线" no "地线"
                    if word[0] in ONE_CHAR_UNITS and i > 0 and (text[i - 1].isdigit() or text[i - 1] in NUMERALS):
                        break             # "10个顶喷" is ten of them, not the "钢顶喷" it sounds like
                    if word[0] in ONE_CHAR_UNITS and word[1:] in self.keys:
                        break             # "再加个滤网": a unit before a product word, not the "合滤网" it sounds like
                    key = next((k for snd in sounds(word) if (k := self._by_sound.get(snd)) is not None), None)
                    if key is None or not (n >= 3 or set(word) & set(key)):
                        # a series word by its sound, with a variant of its own after it ("护童1.60" of 护瞳1.60,
                        # "汉旗19调" of 悍鳍19调): the variant says the word is that series, whatever it shares
                        lead = self._sounded_lead(text, word, j, leads)
                        if lead is None:
                            continue
                        key = lead
                    # a two-character word must share a character with the key ("虑网"/"滤网"): two syllables
                    # alone match too much ordinary speech
                    if key != word:
                        if any(a < j and i < b and (a < i or b > j) for a, b, _ in self._scan("".join(out))):
                            continue      # across a word the catalogue has as written: "度礼盒" of "青花42度礼盒"
                        out[i:j] = key
                    step = n
                    break
                i += step
        return "".join(out)

    def _lead_sounds(self) -> dict[tuple[str, ...], tuple[str, frozenset[str]]]:
        """The Chinese words keys begin with before a variant ("护瞳" of "护瞳1.60", "暖窝" of "暖窝s") by their
        sound, with the variants said after them (their first number or letters); a sound of two such words names
        neither. Built at first need."""
        table = self.__dict__.get("_lead_table")
        if table is not None:
            return table  # type: ignore[no-any-return]
        found: dict[str, set[str]] = {}
        for k in self.keys:
            if (lead := _LEAD.match(k)) is not None:
                found.setdefault(lead.group(1), set()).add(lead.group(2))
        table = {}
        shared: set[tuple[str, ...]] = set()
        for word, after in found.items():
            for snd in sounds(word):
                old = table.get(snd)
                if old is not None and old[0] != word:
                    shared.add(snd)
                table[snd] = (word, frozenset(after))
        for snd in shared:
            table.pop(snd, None)
        self._lead_table = table
        return table

    def _sounded_lead(self, text: str, word: str, end: int,
                      leads: dict[tuple[str, ...], tuple[str, frozenset[str]]]) -> str | None:
        """The series word ``word`` (not itself a product word) sounds like, when ``text`` goes on after it with one
        of that word's own variants (the number or the letters keys write after it, as a whole token)."""
        if word in self.keys or not leads:
            return None
        said = _AFTER_LEAD.match(text, end)
        if said is None:
            return None
        found = next((hit for snd in sounds(word) if (hit := leads.get(snd)) is not None), None)
        return found[0] if found is not None and said.group(1) in found[1] else None

    def _pinyin_keys(self) -> dict[str, str]:
        """Chinese product words by their pinyin, digits kept ("纯生小罐" -> "chunshengxiaoguan", "三个15" ->
        "sange15"): names, aliases and whole Chinese words of names; a spelling shared by words of different
        products names none. Built at first need: most messages have no pinyin in them."""
        table = self.__dict__.get("_pinyin_table")
        if table is not None:
            return table  # type: ignore[no-any-return]
        words = {k for k, (strength, _) in self.keys.items() if strength >= Strength.NAME and CJK.search(k)}
        for e in self.entries.values():
            for text in (e.name, *e.aliases):
                words.update(w for w in CJK.findall(normalize(text)) if len(w) >= 2 and w in self.keys)
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


    def _series_pinyin(self) -> dict[str, str]:
        """The Chinese words of two to four characters every name of their products holds (a series "海岸", "栈桥"; a variant "灰橡") by
        their pinyin of five letters or more ("haian"), for ``pinyin_spelled``; a spelling shared by words of
        different products names none. Built at first need."""
        table = self.__dict__.get("_series_table")
        if table is not None:
            return table  # type: ignore[no-any-return]
        table = {}
        shared: set[str] = set()
        names = {sku: normalize(e.name) for sku, e in self.entries.items()}
        for word, (_strength, skus) in self.keys.items():
            if not 2 <= len(word) <= 4 or not _ALL_CJK.fullmatch(word) or not skus \
                    or not all(word in names.get(sku, "") for sku in skus):
                continue
            spelled = "".join(p[0] for p in pinyin(word, style=Style.NORMAL, errors="default"))
            if len(spelled) < 5 or not spelled.isalpha():
                continue
            old = table.get(spelled)
            if old is not None and self.keys[old][1] != skus:
                shared.add(spelled)
            elif old is None:
                table[spelled] = word
        for spelled in shared:
            table.pop(spelled, None)
        self._series_table = table
        return table

    def pinyin_spelled(self, text: str) -> str:
        """``text`` (normalized) with the words of a series typed in pinyin, with or without tones or spaces
        ("haian grey oak 8", "Zhàn qiáo 10 ctn"), written as the Chinese word they spell ("海岸 grey oak 8"), so
        the series is read as if written in Chinese. A spelling that is also a common word of dealers' messages
        other than the product's ("dingdan") is left as written."""
        if not _LETTER_WORD.search(text):
            return text
        table = self._series_pinyin()
        if not table:
            return text
        words = list(_TONED_WORD.finditer(text))
        if not self._series_hits(text, words, table):      # the usual message: no word spells a series
            return text
        # letters a key of the catalogue holds ("feiqi 4.5" of an alias) are read as written already, and so are
        # the product words the index reads in pinyin ("baowenbei 350 fen")
        spans = [(a, b) for a, b, key in self._scan(text) if re.search(r"[a-z]", key)]
        spans += [(m.start, m.end) for m in self._typed_in_pinyin(text, [])]
        words = [w for w in words if not any(a < w.end() and w.start() < b for a, b in spans)]
        out: list[str] = []
        at = 0
        for i, j, word in self._series_hits(text, words, table):
            if not _not_common(word, "".join(_toneless(w.group(0)) for w in words[i:j + 1])):
                continue
            out += [text[at:words[i].start()], word]
            at = words[j].end()
        if not out:
            return text
        return "".join(out) + text[at:]

    @staticmethod
    def _series_hits(text: str, words: list[re.Match[str]], table: dict[str, str]) -> list[tuple[int, int, str]]:
        """Runs ``words[i..j]`` (up to four, apart by a space or an apostrophe at most) that spell a word of
        ``table``, longest first, left to right."""
        out = []
        i = 0
        while i < len(words):
            hit = None
            for j in range(min(len(words), i + 4) - 1, i - 1, -1):
                if any(not re.fullmatch(r"[\s']?", text[words[n].end():words[n + 1].start()]) for n in range(i, j)):
                    continue
                word = table.get("".join(_toneless(w.group(0)) for w in words[i:j + 1]))
                if word is not None:
                    hit = (i, j, word)
                    break
            if hit is None:
                i += 1
                continue
            out.append(hit)
            i = hit[1] + 1
        return out


_ALL_CJK = re.compile(r"[\u4e00-\u9fff]+")
_LETTER_WORD = re.compile(r"[a-zà-ǜ]{5,}|[a-z][1-5]?[a-z]")
# a letter word, maybe with tone marks ("hǎi") or a tone digit ("hai3"), not glued to a code's digits
_TONED_WORD = re.compile(r"(?<![a-z0-9à-ǜ])(?:[a-zà-ǜ]+[1-5]?)+(?![a-z0-9à-ǜ])")


def _toneless(word: str) -> str:
    """"hǎi" / "hai3" -> "hai"; "lǜ" -> "lv" (as pypinyin spells it)."""
    if word.isascii() and word.isalpha():
        return word
    word = re.sub(r"[1-5]", "", word.replace("ü", "v").replace("ǖ", "v").replace("ǘ", "v").replace("ǚ", "v")
                  .replace("ǜ", "v"))
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


def _not_common(word: str, spelled: str) -> bool:
    """The pinyin is no other common word of dealers' messages ("dingdan" is 订单, whatever a catalogue says): a
    dictionary word the training messages say with that spelling (not a homophone typo of the product, "森雨")."""
    from nlu.faq import _jieba
    from nlu.pinyin_text import vocabulary

    common = vocabulary().get(spelled)
    return common is None or common == word or not _jieba().dt.FREQ.get(common)
