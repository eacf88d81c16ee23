"""``nlu.product_keys``: the product words of a catalogue by their sound: Chinese words written with another
character of the same sound ("进化器" for 净化器, "虑网" for 滤网) and product words typed in pinyin
("chunsheng xiaoguan 20 jian")."""

from __future__ import annotations

import re

from pypinyin import Style, pinyin

from nlu.normalize import normalize
from nlu.numbers import UNITS
from nlu.product_words import CJK, NUMERALS, PARTICLES, Mention, Strength, sounds
from nlu.schema import CatalogueEntry

ONE_CHAR_UNITS = frozenset(u for u in UNITS if len(u) == 1 and not u.isascii())


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
        if not self._by_sound:
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
                    if key is None:
                        continue
                    # a two-character word must share a character with the key ("虑网"/"滤网"): two syllables
                    # alone match too much ordinary speech
                    if key != word and (n >= 3 or set(word) & set(key)):
                        if any(a < j and i < b and (a < i or b > j) for a, b, _ in self._scan("".join(out))):
                            continue      # across a word the catalogue has as written: "度礼盒" of "青花42度礼盒"
                        out[i:j] = key
                    step = n
                    break
                i += step
        return "".join(out)

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

