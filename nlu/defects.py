"""What a dealer's own words say about a quality problem: the kind of defect and the batch (lot) number.

``defect_kinds`` gives the defect categories the words name ("到货就不制冷，外壳还有裂纹" -> 功能, 外观), in the
order the categories are listed; the quality form takes one when the words name exactly one, and asks when they
name none or several. ``batch_in_text`` finds a batch written with its lead word inside a sentence ("三台噪音大
批号B2411-07" -> "B2411-07"); ``units_in_text`` reads how many units the words say
have the problem ("到了三台噪音特别大" -> 3) when the message parser gave the product no count; ``is_batch_answer`` says whether a message typed at the batch question can be a
batch at all: a whole sentence about the problem ("这批DH20有五台到货就不制冷…", typed into a form left at that
question) is not one.
"""

from __future__ import annotations

import re

from nlu.numbers import parse_int

# words dealers type for a kind of defect, by the category they belong to (the zh category names of the form);
# "有异味" belongs to none: 其他, its words kept
CATEGORY_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("外观", re.compile(r"外观|划痕|划伤|刮花|刮伤|掉漆|脱漆|色差|变色|变形|裂|磕|凹|appearance|scratch|dent|crack")),
    ("功能", re.compile(r"功能|故障|不工作|不转|不亮|不制冷|不制热|不加热|不出水|不出雾|不除湿|不启动|开不了|"
                        r"开不开|启动不了|不开机|失灵|坏|没反应|漏水|报错|连不上|function|broken|not work|"
                        r"won'?t (?:start|power|turn on)|leak")),
    ("噪音", re.compile(r"噪音|噪声|异响|响声|吵|嗡嗡|noise|noisy")),
    ("包装", re.compile(r"包装|纸箱|外箱|破损|packag|box")),
)

# "批号是B2411-07", "批次：B2411-07", "lot no. B2411-07" inside a sentence: the number after the lead words
_BATCH_IN_TEXT = re.compile(r"(?:生产)?(?:批号|批次号|批次编号|批次)(?:是|为)?\s*[:：#]?\s*([A-Za-z0-9][A-Za-z0-9\-_/.]{2,30})|"
                            r"\b(?:lot|batch)(?:\s*(?:no\.?|number|#))?\s*(?:is\s+)?[:：#]?\s*"
                            r"([A-Za-z0-9][A-Za-z0-9\-_/.]{2,30})", re.IGNORECASE)
_CJK = re.compile(r"[\u4e00-\u9fff]")
# more Chinese characters than this, or sentence punctuation, and the message is a sentence, not a batch
MAX_BATCH_CJK = 10
_SENTENCE = re.compile(r"[，,。！!？?；;]")


def defect_kinds(text: str) -> list[str]:
    """The categories the words name, in the form's order; [] when none."""
    lowered = text.lower()
    return [name for name, pattern in CATEGORY_WORDS if pattern.search(lowered)]


def batch_in_text(text: str) -> str | None:
    """A batch number written with its lead word anywhere in the message, upper-cased as printed; else None."""
    found = _BATCH_IN_TEXT.search(text)
    if found is None:
        return None
    return (found.group(1) or found.group(2)).rstrip(".-/_")


# "有五台", "3 units", "两个": a count with the measure word of units (not 批, 天, 次: "上周那批", "三天")
_UNITS = re.compile(r"([0-9]+|[零一二两三四五六七八九十百]+)\s*(?:台|件|个|只|套|支|把|pcs\b|units?\b)", re.IGNORECASE)


# "到了5台", "收到10台", "一共来了8台": the units that arrived, not the ones with the problem (QA s28 #9)
_ARRIVED = re.compile(r"(?:到了?|收到了?|来了|发了|进了|到货|一共|总共|共)\s*$")


def units_in_text(text: str) -> int | None:
    """How many units the words say have the problem: the one count of units written (several different: None);
    "这批到了5台 有3台开机噪音特别大": the units that arrived left out, 3."""
    found = [(parse_int(m.group(1)), bool(_ARRIVED.search(text[max(0, m.start() - 4):m.start()])))
             for m in _UNITS.finditer(text)]
    counts = {n for n, _ in found if n is not None}
    if len(counts) > 1:
        counts = {n for n, arrived in found if n is not None and not arrived}
    return counts.pop() if len(counts) == 1 else None


def is_batch_answer(text: str) -> bool:
    """Can this answer to "which batch?" be a batch ("B2411-07", "十一月那批", "批号是2411")? Not a sentence about
    the problem: more than ``MAX_BATCH_CJK`` Chinese characters, or a clause break, with no batch written in it."""
    said = text.strip().strip(" .。,，!！")
    if batch_in_text(said) is not None:
        return True
    return len(_CJK.findall(said)) <= MAX_BATCH_CJK and not _SENTENCE.search(said) and len(said.split()) <= 4


# "B2411-07这批还有谁报过", "批次B2611-04有哪些反馈", "who else reported batch B2611-04": a question about one batch
# (staff): a batch-shaped number (letters then at least four digits, maybe a dash and more; not a record number
# SO-/QF-… nor a dealer code D0012) or one written after 批号/批次, with words asking who reported it
_BATCH_SHAPE = re.compile(r"(?<![A-Za-z0-9-])(?!(?:SO|AS|QF|FY|FR|CR|ST)[-_ ]?\d)(?!D\d{4,6}(?![-_/\d]))"
                          r"([A-Za-z]{1,3}\d{4,8}(?:[-_/]\d{1,4})?)(?![A-Za-z0-9])", re.IGNORECASE)
# asked, not told: a measure typed as a report's note ("B2412批次起全检，已通知供应商") names a batch too
_BATCH_ASKED = re.compile(r"谁|哪些|哪几家|哪家|报过|反馈过|投诉过|有多少|几(?:条|个|家|台)|情况|[?？]|吗\s*$|查一?下|查查|看看|"
                          r"列一?下|\b(?:who|which|reported|how many)\b", re.IGNORECASE)


def batch_asked(text: str) -> str | None:
    """The batch a staff question is about ("B2411-07这批还有谁报过", "B2411-07这批发给了谁" -> "B2411-07"),
    upper-cased; None when the words ask nothing about a batch."""
    said = text.strip()
    if len(said) > 80 or not _BATCH_ASKED.search(said):
        return None
    found = batch_in_text(said)
    if found is None and (m := _BATCH_SHAPE.search(said)) is not None:
        found = m.group(1)
    return found.upper() if found else None
