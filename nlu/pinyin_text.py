"""Messages typed in pinyin, with no Chinese input at hand ("dingdan dao na le", "bao zheng jin hai you duo shao",
"weishiqi you huo ma"), read as the Chinese they spell, so the rest of the parser (cue words, products,
quantities, the classifier) sees what the dealer meant.

Only a message whose every letter word is pinyin (``looks_like_pinyin``: "any AP300 left?" or "what can you do"
has English words and stays as written) is respelled. Words are matched longest first against a vocabulary
built from the training messages themselves (their jieba words of two to four characters seen at least twice,
and the intent cue words), then single syllables against the everyday characters of a dealer's message (了, 吗, 台,
箱...). A syllable run no word matches stays as written: product words typed in pinyin are the product index's
job (``ProductIndex._typed_in_pinyin``), on the letters.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from functools import cache, lru_cache

from pypinyin import Style, lazy_pinyin

_LETTERS = re.compile(r"[a-z]+(?:\s+[a-z]+)*")
_WORD = re.compile(r"(?<![a-z0-9-])[a-z]+(?![a-z0-9-])")
_CJK = re.compile(r"[\u4e00-\u9fff]+")
# syllables a dealer's message is full of, and the character meant by each
_EVERYDAY = {
    "le": "了", "ma": "吗", "de": "的", "ne": "呢", "ba": "吧", "a": "啊", "wo": "我", "ni": "你", "nin": "您",
    "yao": "要", "lai": "来", "you": "有", "mei": "没", "ge": "个", "tai": "台", "xiang": "箱", "bao": "包",
    "dai": "袋", "jian": "件", "ping": "瓶", "he": "和", "hai": "还", "zai": "再", "ye": "也", "dou": "都",
    "shi": "是", "bu": "不", "hao": "好", "ding": "订", "fa": "发", "mai": "卖", "huo": "货", "qian": "钱",
    "jia": "价", "zhi": "只", "tiao": "条", "he2": "盒", "juan": "卷", "tong": "桶", "tao": "套", "gen": "根",
    "kuai": "块", "zhang": "张", "shuang": "双", "dui": "对", "guan": "罐", "ti": "提", "ba3": "把",
    "na": "哪", "zen": "怎", "me": "么", "shen": "什", "duo": "多", "shao": "少", "wen": "问", "gei": "给",
    "kan": "看", "kai": "开", "dao": "到", "zai2": "在", "cha": "查", "xia": "下", "yi": "一", "er": "二", "liang": "两", "san": "三", "si": "四",
    "wu": "五", "liu": "六", "qi": "七", "jiu": "九", "shi2": "十", "bai": "百", "qian2": "千",
}
_EVERYDAY = {k.rstrip("0123456789"): v for k, v in reversed(list(_EVERYDAY.items()))}
_lock = threading.Lock()


@lru_cache(maxsize=1)
def syllables() -> frozenset[str]:
    """Every toneless pinyin syllable (of the common CJK block)."""
    chars = "".join(chr(c) for c in range(0x4E00, 0x9FA6))
    return frozenset(s for s in lazy_pinyin(chars, style=Style.NORMAL, errors="ignore") if s.isalpha())


def _split(word: str) -> list[str] | None:
    """``word`` cut into pinyin syllables, longest syllable first with backtracking; None when it is not pinyin."""
    known = syllables()

    @cache
    def cut(at: int) -> tuple[str, ...] | None:
        if at == len(word):
            return ()
        for size in range(min(6, len(word) - at), 0, -1):
            piece = word[at:at + size]
            if piece in known and (rest := cut(at + size)) is not None:
                return (piece, *rest)
        return None

    found = cut(0)
    return list(found) if found is not None else None


def looks_like_pinyin(text: str) -> bool:
    """Every letter word of ``text`` is pinyin, and there are at least two syllables of it (codes such as AP300
    or 10kg are not words; one syllable alone, "ok", or an English word leaves the text as written)."""
    if _CJK.search(text):
        return False
    words = _WORD.findall(text)
    if not words:
        return False
    count = 0
    for w in words:
        cut = _split(w)
        if cut is None:
            return False
        count += len(cut)
    return count >= 2 and not all(w in _ENGLISH for w in words)


# short English words that are also pinyin syllables: a message of only these is English ("you", "he", "a")
_ENGLISH = frozenset({"a", "an", "he", "you", "can", "me", "die", "men", "long", "hang", "bang", "sun", "ran", "pan",
                      "fan", "tie", "ban", "dang", "gang", "bin", "pin", "tin", "lie", "pie", "sue", "shun"})


def _vocabulary() -> dict[str, str]:
    """Pinyin (no spaces, no tones) -> the Chinese word most often written with it in the training messages
    (two to four characters, seen at least twice) and in the intent cue words. A development set's invented
    product names (words of its catalogue that no dictionary knows, "疾鳍" of a fishing-rod series) are left out:
    its messages say them often, and "ji qi" must stay 机器 for everyone else (products have their own pinyin
    match in the index)."""
    from nlu.cues import CUES
    from nlu.datasets import read_examples, training_files
    from nlu.faq import _jieba

    jieba = _jieba()
    cut, known = jieba.lcut, jieba.dt.FREQ
    counts: Counter[str] = Counter()
    for part, catalogue in training_files():
        invented = _invented_words(catalogue.read_text("utf-8"), known) if catalogue is not None else set()
        for e in read_examples(part.read_text("utf-8").splitlines()):
            for run in _CJK.findall(e.text):
                counts.update(w for w in cut(run) if 2 <= len(w) <= 4 and w not in invented)
    for words in CUES.values():
        for w in words:
            if _CJK.fullmatch(w):
                counts[w] += 3
    best: dict[str, tuple[int, str]] = {}
    for word, n in counts.items():
        if n < 2:
            continue
        key = "".join(lazy_pinyin(word, style=Style.NORMAL))
        if key not in best or (n, len(word)) > (best[key][0], len(best[key][1])):
            best[key] = (n, word)
    return {k: w for k, (_, w) in best.items()}


def _invented_words(catalogue_csv: str, known: dict[str, int]) -> set[str]:
    """The 2-4 character runs inside a catalogue's names and aliases that the dictionary does not know."""
    out: set[str] = set()
    for run in _CJK.findall(catalogue_csv):
        out.update(run[i:j] for i in range(len(run)) for j in range(i + 2, min(i + 4, len(run)) + 1)
                   if not known.get(run[i:j]))
    return out


_VOCAB: dict[str, str] | None = None


def vocabulary() -> dict[str, str]:
    global _VOCAB
    if _VOCAB is None:
        with _lock:
            if _VOCAB is None:
                _VOCAB = _vocabulary()
    return _VOCAB


def respell_pinyin(text: str, keep: list[tuple[int, int]] | None = None) -> str:
    """``text`` (normalized) with its pinyin words written in Chinese, except the spans in ``keep`` (products
    the index found in the letters); unchanged unless ``looks_like_pinyin``."""
    if not looks_like_pinyin(text):
        return text
    if keep:
        pieces, at = [], 0
        for a, b in sorted(keep):
            pieces += [respell_pinyin(text[at:a]) if looks_like_pinyin(text[at:a]) else _respelled(text[at:a]),
                       f" {text[a:b]} "]
            at = b
        pieces.append(_respelled(text[at:]))
        return " ".join("".join(pieces).split())
    return _respelled(text)


def _respelled(text: str) -> str:
    """``text``'s runs of pinyin written in Chinese, each run only when it spells words of the vocabulary."""
    vocab = vocabulary()
    longest = max((len(k) for k in vocab), default=0)

    def run(m: re.Match[str]) -> str:
        letters = m.group(0)
        parts = [p for p in letters.split() if p]
        syl: list[str] = []
        for p in parts:
            cut = _split(p)
            if cut is None:           # not pinyin after all: the run stays as written
                return letters
            syl += cut
        out: list[str] = []
        covered = 0                    # syllables read as a word of the vocabulary or an everyday character
        words = 0
        i = 0
        while i < len(syl):
            hit = None
            for j in range(len(syl), i + 1, -1):        # two syllables or more: a word of the vocabulary
                key = "".join(syl[i:j])
                if len(key) <= longest and key in vocab:
                    hit = (j, vocab[key])
                    break
            if hit is None:
                out.append(_EVERYDAY.get(syl[i], syl[i] + " "))
                covered += syl[i] in _EVERYDAY
                i += 1
            else:
                out.append(hit[1])
                covered += hit[0] - i
                words += 1
                i = hit[0]
        if len(syl) == 1 and m.start() > 0 and text[m.start() - 1].isdigit() and syl[0] in _EVERYDAY:
            return _EVERYDAY[syl[0]]          # "6xiang", "20dai": a unit after a count
        # "rebate balance" cuts into syllables too (re ba te ba lan ce) but spells no word: English, left alone
        if not words or covered < 0.75 * len(syl):
            return letters
        return "".join(out).strip()

    return " ".join(_LETTERS.sub(run, text).split())
