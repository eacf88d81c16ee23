"""A dealer saying a repair did not last: "AS-20261204-0001 还是不行 又不出水了", "上次修的那台又坏了".

``read_reopen`` finds the words and returns what the chat needs to reopen a resolved ticket: the ticket number
when one is typed, and the words said (the reason offered at the reason step). Without a number the message
must point back at an earlier repair ("上次修的", "修过的那台", "之前报修的") and say it failed again ("又坏了",
"还是不行", "没修好"): "又坏了一台" alone is a new fault (or a batch problem), never a reopen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nlu.normalize import normalize

_NUMBER = re.compile(r"\bAS-\d{8}-\d{4}\b", re.IGNORECASE)

# the repair did not last / did not help
_AGAIN = re.compile(
    r"还是不行|还是不好|还是坏|还是老样子|还是一样|还是有问题|还是不[出转亮制启通工]|又坏|又不[出转亮制启通工]|"
    r"又[出有]问题|又[出有]毛病|又漏|又响|又报错|又出现|又开始|又犯了|又不能用|又用不了|没修好|没有修好|还没好|"
    r"没好|修了.{0,6}(?:还是|又)|修完.{0,6}(?:还是|又)|重新打开|重开|再修|复发|"
    r"\bstill\b.{0,20}\b(?:broken|not|doesn'?t|won'?t|leak|nois)|broke(?:n)? again|again|not fixed|"
    r"didn'?t fix|reopen", re.IGNORECASE)

# an earlier repair pointed at without its number
_EARLIER = re.compile(
    r"上次.{0,4}(?:修|报修|售后|维修)|上回.{0,4}(?:修|报修)|之前.{0,4}(?:修|报修|维修)|前几天.{0,4}(?:修|报修)|"
    r"修过的|修好的那|报修过的|维修过的|那个工单|那张工单|那个售后单|"
    r"(?:last|previous|earlier) (?:repair|ticket)|you (?:fixed|repaired)|was (?:fixed|repaired)",
    re.IGNORECASE)

# "AS-… 怎么样了": a question about the ticket, not a complaint
_QUESTION = re.compile(r"(?:修好了吗|好了吗|好了没|怎么样了?|进度|到哪|处理了吗|处理了没)[?？]?$")


@dataclass(frozen=True)
class Reopen:
    number: str | None      # the ticket typed, upper case; None: the dealer's recently resolved one is meant
    said: str               # the message without the number: offered as the reason


def read_reopen(text: str) -> Reopen | None:
    """The message as a dealer's "the repair did not last", or None."""
    plain = normalize(text).strip()
    if not plain or _QUESTION.search(plain) or not _AGAIN.search(plain):
        return None
    found = _NUMBER.search(plain)
    if found is None and not _EARLIER.search(plain):
        return None
    said = (_NUMBER.sub(" ", text) if found else text).strip(" ，,。:：")
    return Reopen(number=found.group(0).upper() if found else None, said=" ".join(said.split()))


# how urgent a repair is, in the dealer's words (the values of core.aftersales.Priority), the first that fits wins
_URGENCY: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("low", re.compile(r"不急|不着急|不赶|不用急|慢慢|有空再|不紧急|\bnot urgent\b|\bno rush\b|\blow\b", re.IGNORECASE)),
    ("high", re.compile(r"有点急|有些急|比较急|稍微急|较急|\bhigh\b|\bfairly urgent\b", re.IGNORECASE)),
    ("urgent", re.compile(r"急|加急|紧急|马上|立刻|立即|尽快|越快越好|赶紧|催|天天打电话|投诉|\burgent\b|\basap\b|"
                          r"\bright away\b", re.IGNORECASE)),
    ("normal", re.compile(r"一般|普通|正常|都行|随便|\bnormal\b", re.IGNORECASE)),
)


def urgency_said(text: str) -> str | None:
    """"挺急的 客户天天打电话" -> "urgent", "不着急" -> "low", "有点急" -> "high", "一般吧" -> "normal"; None when the
    words say nothing of it."""
    said = normalize(text)
    return next((value for value, words in _URGENCY if words.search(said)), None)


# what may stand before a serial typed with its label: "序列号是 SN2024A0013", "SN: 2024A0013"
_SERIAL_LABEL = re.compile(r"^(?:产品|机身|铭牌)?(?:序列号|机身号|机号|编号|条码|s/?n|serial(?:\s+number)?)\s*(?:是|为|:|：)?\s*",
                           re.IGNORECASE)
_SERIAL = re.compile(r"[a-z0-9][a-z0-9\-_/.#]{2,39}", re.IGNORECASE)
_CJK = re.compile(r"[\u4e00-\u9fff]")


def serial_in(text: str) -> str | None:
    """The serial number ``text`` is (letters and digits, with a digit; its label "序列号是" taken off), else None:
    a sentence ("客户家的除湿机不出水了", "序列号在哪看") is no serial."""
    for rest in (text.strip(), _SERIAL_LABEL.sub("", text.strip()).strip()):
        if rest and not _CJK.search(rest) and re.search(r"\d", rest) and _SERIAL.fullmatch(re.sub(r"\s", "", rest)):
            return rest
    return None


def without_urgency(text: str) -> str:
    """``text`` (normalized) with its urgency words taken out ("客户说挺急的" -> "客户说挺 的"): what else it says."""
    said = normalize(text)
    for _, words in _URGENCY:
        said = words.sub(" ", said)
    return said
