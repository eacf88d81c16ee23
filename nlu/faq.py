"""The FAQ assistant: retrieval over the knowledge base (``core.faq.FaqEntry``, kept in the database).

``FaqAnswerer`` is the port the chat uses: ``answer(question, lang, entries)`` -> ``FaqAnswer`` or None
("I don't know": the chat then offers to hand the question to staff). Implementations:

- ``RetrievalFaqAnswerer`` (offline, the default): BM25 (``rank_bm25``) over jieba tokens of each
  entry's questions, other phrasings and tags; an entry counts only when the question's meaningful
  words are mostly found in it (``min_coverage``), so "今天天气怎么样" finds nothing rather than the
  least bad entry. The answer is the entry's own text and names it as the source.
- ``nlu.llm.LlmFaqAnswerer``: the same retrieval, then an LLM writes the answer from the retrieved
  entries only.

jieba is loaded on first use (its dictionary takes about a second) and told not to log to stderr.
"""

from __future__ import annotations

import logging
import math
import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol

from core.faq import FaqEntry

_STOPWORDS = frozenset("""
请问 怎么 怎样 如何 什么 为什么 哪里 哪儿 多少 可以 能不能 能否 是不是 有没有 我们 你们 我 你 他 的 了 吗 呢 吧 啊 呀 是
在 么 一下 要 想 会 能 还 和 与 及 或 就 都 也 又 吧 嘛 这个 那个 这 那 个 给 把 被 让 对 从 到 用 有 没 没有 请 您 怎么办
谁 是谁 我要 我想 需要 一个 一些 现在 今天 明天 时候 哪些 怎么样 多久 吗？ 么样 一般 通常 大概
how do does did i we my our the a an to is are was what when where can could should you me of for it on in get
please would will with and or be your us any this that which who why there
, . ? ! ， 。 ？ ！ 、 ： : ; ； “ ” " ' ( ) （ ）
""".split())


@dataclass(frozen=True)
class FaqAnswer:
    text: str
    source: str            # the entry's question: where the answer comes from
    score: float           # 0..1, how sure the answerer is
    entry_id: int | None = None


class FaqAnswerer(Protocol):
    async def answer(self, question: str, lang: str, entries: Sequence[FaqEntry]) -> FaqAnswer | None: ...


_jieba_lock = threading.Lock()


@lru_cache(maxsize=1)
def _jieba() -> Any:
    with _jieba_lock:
        import jieba  # type: ignore[import-untyped]

        jieba.setLogLevel(logging.WARNING)
        logging.getLogger("jieba").setLevel(logging.WARNING)
        jieba.initialize()
        return jieba


_LATIN = re.compile(r"[a-z0-9][a-z0-9\-]*")

# what a spoken or dialect question wraps its words in (a greeting or the person addressed before it, a particle at the
# end of a clause, a dialect "this"): taken off before searching, else "侬好，迭个保修几年啊" or "发货一般要几天撒" cover
# too little of an entry's words to be answered although "保修几年" is
_OPENER = re.compile(r"^\s*(?:(?:侬好|你好|您好|哈喽|hello|hi|喂|在吗|在不在|老板|师傅|亲|请问)[\s,，.。!！~～、:：]*)+",
                     re.IGNORECASE)
_PARTICLE = re.compile(r"(?<=[\u4e00-\u9fff])[撒嘛咧嘞噻哈啦哦喔呗咯哟呀啊吖捏嘎哇哩]+(?=[\s,，.。!！?？~～、]|$)")
_DIALECT = {"迭个": "这个", "伊个": "这个", "该个": "这个", "搿个": "这个", "这块": "这个", "咋个": "怎么", "啷个": "怎么",
            "咋": "怎么", "几多": "多少", "好多钱": "多少钱", "么子": "什么", "啥子": "什么", "啥": "什么"}
_DIALECT_WORD = re.compile("|".join(sorted(map(re.escape, _DIALECT), key=len, reverse=True)))


def plain_question(text: str) -> str:
    """``text`` without the greeting before it, the particles ending its clauses and with dialect words in
    Mandarin: "侬好，迭个保修几年啊" -> "这个保修几年"."""
    text = _OPENER.sub("", text)
    text = _DIALECT_WORD.sub(lambda m: _DIALECT[m.group(0)], text)
    return _PARTICLE.sub("", text)


def tokens(text: str) -> list[str]:
    """Search tokens: jieba words plus character pairs for Chinese (jieba cuts an unknown word like "专票"
    differently in different sentences; the pairs still meet), lower-case words for the rest."""
    lower = plain_question(text).lower()
    out: list[str] = []
    for word in _jieba().lcut_for_search(lower):
        word = word.strip()
        if not word or word in _STOPWORDS:
            continue
        if _LATIN.fullmatch(word) or re.search(r"[\u4e00-\u9fff]", word):
            out.append(word)
    for run in re.findall(r"[\u4e00-\u9fff]{2,}", lower):
        for i in range(len(run) - 1):
            pair = run[i:i + 2]
            if pair not in _STOPWORDS and not (pair[0] in _STOPWORDS and pair[1] in _STOPWORDS) and pair not in out:
                out.append(pair)
    return out


def _document(entry: FaqEntry) -> list[str]:
    parts = [entry.question_zh, entry.question_en, *entry.variants, *entry.tags, *entry.tags]
    return tokens(" ".join(p for p in parts if p))


@dataclass(frozen=True)
class Hit:
    entry: FaqEntry
    score: float           # BM25
    coverage: float        # share of the question's token weight found in the entry (0..1)


class Bm25Index:
    def __init__(self, entries: Sequence[FaqEntry]) -> None:
        from rank_bm25 import BM25Okapi  # type: ignore[import-untyped]

        self.entries = [e for e in entries if e.active]
        self.docs = [_document(e) for e in self.entries]
        self.sets = [set(d) for d in self.docs]
        self.bm25 = BM25Okapi(self.docs) if self.docs else None
        n = len(self.docs)
        df: dict[str, int] = {}
        for s in self.sets:
            for t in s:
                df[t] = df.get(t, 0) + 1
        self.idf = {t: math.log(1 + (n - c + 0.5) / (c + 0.5)) for t, c in df.items()}
        self.unknown_idf = math.log(1 + (n + 0.5) / 0.5) if n else 1.0

    def search(self, question: str, limit: int = 3) -> list[Hit]:
        query = tokens(question)
        if not query or self.bm25 is None:
            return []
        scores = self.bm25.get_scores(query)
        # coverage counts words, not character pairs: a word is found when it or one of its pairs is
        words = [t for t in query if len(t) != 2 or t in _jieba_words(question)] or query
        weights = {t: max([self.idf.get(t, 0.0)] + [self.idf.get(p, 0.0) for p in _pairs(t)]) or self.unknown_idf
                   for t in set(words)}
        total = sum(weights.values())
        hits = []
        for i in sorted(range(len(self.docs)), key=lambda k: -scores[k])[:limit]:
            if scores[i] <= 0:
                continue
            doc = self.sets[i]
            covered = sum(w for t, w in weights.items() if t in doc or any(p in doc for p in _pairs(t)))
            hits.append(Hit(self.entries[i], float(scores[i]), covered / total if total else 0.0))
        return hits


def _pairs(word: str) -> list[str]:
    return [word[i:i + 2] for i in range(len(word) - 1)] if len(word) > 2 and not word.isascii() else []


def _jieba_words(text: str) -> set[str]:
    return {w.strip() for w in _jieba().lcut_for_search(text.lower()) if w.strip()}


def _fingerprint(entries: Sequence[FaqEntry]) -> tuple[Any, ...]:
    return tuple((e.id, e.updated_at, e.question_zh, e.question_en, tuple(e.variants), tuple(e.tags), e.active)
                 for e in entries)


class RetrievalFaqAnswerer:
    """Offline answers: the best entry when it is relevant enough, else None."""

    def __init__(self, min_coverage: float = 0.5, min_score: float = 1.0) -> None:
        self.min_coverage = min_coverage
        self.min_score = min_score
        self._index: tuple[tuple[Any, ...], Bm25Index] | None = None

    def index(self, entries: Sequence[FaqEntry]) -> Bm25Index:
        key = _fingerprint(entries)
        if self._index is None or self._index[0] != key:
            self._index = (key, Bm25Index(entries))
        return self._index[1]

    def relevant(self, question: str, entries: Sequence[FaqEntry], limit: int = 3) -> list[Hit]:
        """Entries that answer ``question``, best first (empty when none is relevant)."""
        return [h for h in self.index(entries).search(question, limit)
                if h.coverage >= self.min_coverage and h.score >= self.min_score]

    async def answer(self, question: str, lang: str, entries: Sequence[FaqEntry]) -> FaqAnswer | None:
        hits = self.relevant(question, entries, limit=1)
        if not hits:
            return None
        best = hits[0]
        return FaqAnswer(text=best.entry.answer(lang), source=best.entry.question(lang),
                         score=round(min(1.0, best.coverage), 2), entry_id=best.entry.id)


_HERE = re.compile(r"(?:在|用)?(?:这个|你们的?)?(?:机器人|bot)(?:里|上)?|(?:在|用)?(?:这里|这儿)|\b(?:here|in this bot|with this bot)\b",
                   re.IGNORECASE)
_HOW_TO = re.compile(r"怎么|怎样|如何|咋|\bhow\b")


def how_to_question(text: str) -> str | None:
    """A how-to question ("在这里怎么下单", "how do I return goods") without the words for this bot ("在这里": here
    is this bot), else None."""
    question = _HERE.sub(" ", text.strip()).strip()
    return question if _HOW_TO.search(question.lower()) else None


def without_words(question: str, words: Iterable[str]) -> str:
    """``question`` with each of ``words`` taken out (the longest first, any case): "除湿机保修多久" without
    "除湿机" is "保修多久"."""
    for word in sorted({w for w in words if w}, key=len, reverse=True):
        question = re.sub(re.escape(word), " ", question, flags=re.IGNORECASE)
    return " ".join(question.split())


# between two questions in one message ("保修几年啊 滤芯多久换一次", "能开专票吗？发货要几天"): a question mark or a full
# stop, a clause's particle before a space, "另外" / "还有" / "还想问"
_QUESTION_BREAK = re.compile(r"[?？。；;!！]+|(?<=[\u4e00-\u9fff])[啊呢吗呀哈]?[\s,，]+(?=[\u4e00-\u9fff])|"
                             r"\s*(?:另外|还有|还想问(?:一下)?|再问(?:一下)?|顺便问(?:一下)?)[\s,，:：]*")
_SHORTEST_PART = 3


def question_parts(text: str) -> list[str]:
    """The questions one message asks, in order, when it asks more than one ("保修几年啊 滤芯多久换一次" -> "保修几年",
    "滤芯多久换一次"); one question (or none): an empty list."""
    parts = [p.strip(" ,，、") for p in _QUESTION_BREAK.split(plain_question(text))]
    parts = [p for p in parts if len(p) >= _SHORTEST_PART]
    return parts if len(parts) > 1 else []
