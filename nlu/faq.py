"""FAQ answering: the ``FaqAnswerer`` port and a small offline implementation.

``FuzzyFaqAnswerer`` matches a question against a bundled list of questions and keywords
(``nlu/faq_data.json``, zh-CN and English) with rapidfuzz token similarity. Chinese has no spaces, so
each CJK character is a token once common function words (怎么, 如何, 吗 ...) are dropped; keywords
found verbatim in the question weigh more than fuzzy likeness. A stronger answerer (retrieval over
documents, an LLM) only has to implement ``FaqAnswerer``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Protocol

from rapidfuzz import fuzz


@dataclass(frozen=True)
class FaqAnswer:
    text: str
    source: str            # title of what the answer comes from (the FAQ question, a document name)
    score: float           # 0..1, how sure the answerer is


class FaqAnswerer(Protocol):
    async def answer(self, question: str, lang: str) -> FaqAnswer | None: ...


@dataclass(frozen=True)
class FaqEntry:
    id: str
    questions_zh: tuple[str, ...]
    questions_en: tuple[str, ...]
    keywords: tuple[str, ...]
    answer_zh: str
    answer_en: str

    def title(self, lang: str) -> str:
        return self.questions_en[0] if _english(lang) else self.questions_zh[0]

    def answer_text(self, lang: str) -> str:
        return self.answer_en if _english(lang) else self.answer_zh

    def to_answer(self, lang: str, score: float = 1.0) -> FaqAnswer:
        return FaqAnswer(text=self.answer_text(lang), source=self.title(lang), score=score)


def _english(lang: str) -> bool:
    return lang.lower().startswith("en")


def _entry(raw: dict[str, Any]) -> FaqEntry:
    return FaqEntry(id=str(raw["id"]), questions_zh=tuple(raw["questions_zh"]), questions_en=tuple(raw["questions_en"]),
                    keywords=tuple(k.lower() for k in raw.get("keywords", ())), answer_zh=str(raw["answer_zh"]),
                    answer_en=str(raw["answer_en"]))


def load_entries(data: str | None = None) -> list[FaqEntry]:
    """Entries from JSON text, or from the bundled ``faq_data.json`` when ``data`` is None."""
    text = data if data is not None else resources.files("nlu").joinpath("faq_data.json").read_text("utf-8")
    return [_entry(raw) for raw in json.loads(text)["entries"]]


@lru_cache(maxsize=1)
def bundled_entries() -> tuple[FaqEntry, ...]:
    return tuple(load_entries())


# Words that say "this is a question" but not what about; dropped before comparing.
_STOPWORDS_ZH = ("请问", "怎么样", "怎么办", "怎么", "怎样", "如何", "什么", "为什么", "哪里", "多少", "可以", "能不能",
                 "是不是", "有没有", "我们", "你们", "我", "你", "的", "了", "吗", "呢", "吧", "啊", "呀", "是",
                 "在", "么", "一下")
_STOPWORDS_EN = frozenset({"how", "do", "does", "i", "we", "my", "our", "the", "a", "an", "to", "is", "are", "what",
                           "when", "where", "can", "should", "you", "me", "of", "for", "it", "on", "in", "get"})
_WORD = re.compile(r"[a-z0-9]+|[\u4e00-\u9fff]")


def _tokens(text: str) -> str:
    """Space-separated tokens: each CJK character, each latin word; function words dropped."""
    lower = text.lower()
    for word in _STOPWORDS_ZH:
        lower = lower.replace(word, " ")
    return " ".join(t for t in _WORD.findall(lower) if t not in _STOPWORDS_EN)


class FuzzyFaqAnswerer:
    """Offline FAQ matching; ``threshold`` is on a 0-100 scale."""

    def __init__(self, entries: list[FaqEntry] | tuple[FaqEntry, ...] | None = None,
                 threshold: float = 62.0) -> None:
        self.entries = tuple(entries) if entries is not None else bundled_entries()
        self.threshold = threshold
        self._questions = [(e, [_tokens(q) for q in (*e.questions_zh, *e.questions_en)]) for e in self.entries]

    def score(self, question: str, entry: FaqEntry) -> float:
        """0-100: fuzzy likeness to the entry's questions, raised by keywords the question contains."""
        lower = question.lower()
        query = _tokens(question)
        fuzzy = 0.0
        if query:
            for e, variants in self._questions:
                if e is not entry:
                    continue
                for variant in variants:
                    if variant:
                        # token_set alone calls any subset a perfect match; averaging with token_sort tempers it
                        fuzzy = max(fuzzy, (fuzz.token_set_ratio(query, variant)
                                            + fuzz.token_sort_ratio(query, variant)) / 2)
        hits = [k for k in entry.keywords if k and k in lower]
        if not hits:
            return fuzzy
        keyword = 72.0 + 8.0 * len(hits) + 2.0 * max(len(k) for k in hits)
        # a keyword hit also breaks ties between look-alike questions ("我要退货" vs "怎样要货")
        return min(100.0, max(fuzzy, keyword) + 4.0)

    def best(self, question: str) -> tuple[FaqEntry, float] | None:
        if not question.strip() or not self.entries:
            return None
        scored = [(entry, self.score(question, entry)) for entry in self.entries]
        entry, value = max(scored, key=lambda pair: pair[1])
        return (entry, value) if value >= self.threshold else None

    async def answer(self, question: str, lang: str) -> FaqAnswer | None:
        found = self.best(question)
        if found is None:
            return None
        entry, value = found
        return entry.to_answer(lang, round(value / 100, 2))

    def entry(self, entry_id: str) -> FaqEntry | None:
        return next((e for e in self.entries if e.id == entry_id), None)

    def top_questions(self, lang: str, limit: int = 8) -> list[tuple[str, str]]:
        """(id, question title) of the first ``limit`` entries, for a menu of buttons."""
        return [(e.id, e.title(lang)) for e in self.entries[:limit]]
