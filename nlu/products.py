"""Products named in a message, from the catalogue passed in (never from code).

``ProductIndex`` is built once per catalogue (and dealer alias library) and cached: it knows every
SKU, name and alias, spelling variants of model codes ("AP-300", "ap 300", "AP300"), the generic
words in product names ("净化器", "滤网": one product or a category of several), and finds near
misses ("AP3000", "DH-2O", "净化气300") when exactly one product is that close.

``find`` returns ``Mention`` spans over the *normalized* text (``nlu.normalize``), longest names
first, so "AP300滤网" is the filter and not the purifier. A generic word next to a model code is
read together: "AP300的滤网" is the filter whose name has "AP300", "空气净化器AP300" is AP300.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import IntEnum
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from nlu.normalize import normalize
from nlu.schema import CatalogueEntry


class Strength(IntEnum):
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

    @property
    def sku(self) -> str | None:
        return self.skus[0] if len(self.skus) == 1 else None


_CJK = re.compile(r"[\u4e00-\u9fff]+")
_MODEL = re.compile(r"[a-z]+(?:[- ]?[a-z]+)*[- ]?\d+[a-z0-9]*|[a-z]+-[a-z]+")
_LOOSE_MODEL = re.compile(r"(?<![a-z0-9])[a-z]{1,5}[- ]?[0-9oil]{1,5}(?:[a-z]{0,3})(?![a-z0-9])")
_CJK_MODEL = re.compile(r"[\u4e00-\u9fff]{2,5}\d{2,4}")
_GENERIC = frozenset({"产品", "机器", "家用", "商用", "复合", "大通量", "免安装", "反渗透"})


def _compact(s: str) -> str:
    return re.sub(r"[\s\-_]", "", s)


def _variants(key: str) -> set[str]:
    """Ways people type a code: "fl-ap300" -> fl-ap300, flap300, fl ap300; "ap300" -> ap-300, ap 300."""
    out = {key, _compact(key), key.replace("-", " ")}
    m = re.fullmatch(r"([a-z]+)(\d+[a-z]*)", _compact(key))
    if m:
        out |= {f"{m[1]}-{m[2]}", f"{m[1]} {m[2]}"}
    return {v for v in out if v}


class ProductIndex:
    def __init__(self, catalogue: Sequence[CatalogueEntry], dealer_aliases: dict[str, str] | None = None) -> None:
        self.entries = {e.sku: e for e in catalogue}
        keys: dict[str, tuple[Strength, set[str]]] = {}

        def add(key: str, sku: str, strength: Strength) -> None:
            key = normalize(key)
            if len(key) < 2 or key.isdigit():
                return
            old = keys.get(key)
            if old is None or strength > old[0]:
                keys[key] = (strength, {sku})
            elif strength == old[0]:
                old[1].add(sku)

        for e in catalogue:
            name = normalize(e.name)
            for key in (e.sku, *e.aliases):
                for v in _variants(normalize(key)):
                    add(v, e.sku, Strength.EXACT)
            add(name, e.sku, Strength.EXACT)
            add(name.replace(" ", ""), e.sku, Strength.EXACT)
            for m in _MODEL.finditer(name):
                for v in _variants(m.group(0)):
                    add(v, e.sku, Strength.NAME)
            for run in _CJK.findall(name):
                for i in range(len(run) - 1):
                    word = run[i:]
                    if word not in _GENERIC and len(word) >= 2:
                        add(word, e.sku, Strength.CATEGORY)
        for word, sku in (dealer_aliases or {}).items():
            if sku in self.entries:
                for v in _variants(normalize(word)):
                    add(v, sku, Strength.EXACT)
        self.keys = {k: (s, tuple(sorted(skus))) for k, (s, skus) in keys.items()}
        ordered = sorted(self.keys, key=len, reverse=True)
        # latin/digit keys must not start or end inside a longer code ("ap300" in "ap3000"); "x20" may follow
        parts = []
        for k in ordered:
            head = r"(?<![a-z0-9])" if k[0].isalnum() and k[0].isascii() else ""
            tail = r"(?![0-9])(?!(?!x\d)[a-z])" if k[-1].isalnum() and k[-1].isascii() else ""
            parts.append(head + re.escape(k) + tail)
        self._pattern = re.compile("|".join(parts)) if parts else None
        self._compact_exact = {_compact(k): v for k, v in self.keys.items() if v[0] >= Strength.NAME}
        self._names = {sku: _compact(normalize(e.name)) for sku, e in self.entries.items()}

    # --- finding --------------------------------------------------------------------------------
    def find(self, text: str) -> list[Mention]:
        """Product mentions in normalized ``text``, left to right, not overlapping."""
        found: list[Mention] = []
        if self._pattern is not None:
            for m in self._pattern.finditer(text):
                strength, skus = self.keys[m.group(0)]
                found.append(Mention(m.start(), m.end(), skus, strength, m.group(0)))
        found += self._near_misses(text, found)
        found.sort(key=lambda x: x.start)
        return self._combine(text, found)

    def _near_misses(self, text: str, taken: list[Mention]) -> list[Mention]:
        def free(a: int, b: int) -> bool:
            return all(b <= t.start or a >= t.end for t in taken)

        out: list[Mention] = []
        for m in _LOOSE_MODEL.finditer(text):
            if not free(m.start(), m.end()):
                continue
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
        for key, (strength, skus) in self._compact_exact.items():
            if strength != Strength.EXACT or key.isascii() != latin or abs(len(key) - len(word)) > 1:
                continue
            if latin and re.match(r"[a-z]*", word).group(0) != re.match(r"[a-z]*", key).group(0):  # type: ignore[union-attr]
                continue      # "XP300" is another series, not a typo of "AP300"; "AP3000" and "AP30O" are
            if Levenshtein.distance(word, key, score_cutoff=1) <= 1:
                owners.update(skus)
        return (owners.pop(),) if len(owners) == 1 else None

    def _combine(self, text: str, found: list[Mention]) -> list[Mention]:
        """Read a generic word and an adjacent model code as one product ("AP300的滤网", "除湿机DH12")."""
        out: list[Mention] = []
        i = 0
        while i < len(found):
            cur = found[i]
            nxt = found[i + 1] if i + 1 < len(found) else None
            if nxt is not None and re.fullmatch(r"[\s的之-]{0,2}", text[cur.end:nxt.start]):
                merged = self._merge(cur, nxt)
                if merged is not None:
                    out.append(merged)
                    i += 2
                    continue
            out.append(cur)
            i += 1
        return out

    def _merge(self, a: Mention, b: Mention) -> Mention | None:
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

    # --- for prompts and suggestions ----------------------------------------------------------------
    def label(self, sku: str) -> str:
        e = self.entries.get(sku)
        return f"{e.name}（{e.sku}）" if e else sku


def _catalogue_key(catalogue: Iterable[CatalogueEntry]) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    return tuple((e.sku, e.name, tuple(e.aliases)) for e in catalogue)


@lru_cache(maxsize=64)
def _cached(key: tuple[tuple[str, str, tuple[str, ...]], ...],
            aliases: tuple[tuple[str, str], ...]) -> ProductIndex:
    return ProductIndex([CatalogueEntry(sku=s, name=n, aliases=list(a)) for s, n, a in key], dict(aliases))


def product_index(catalogue: Sequence[CatalogueEntry], dealer_aliases: dict[str, str] | None = None) -> ProductIndex:
    """The index for this catalogue and alias library, built once and reused (the chat parses every message)."""
    return _cached(_catalogue_key(catalogue), tuple(sorted((dealer_aliases or {}).items())))
