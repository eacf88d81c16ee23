"""A step or a note said of a record the staff member has at hand (QA s28 #25):

- ``quality_step_said("开始调查")``: a quality report's next corrective status in words ("开始调查", "着手调查",
  "整改完成", "无需整改，…"), the words after it its note; a question ("开始调查了吗") is none;
- ``note_with_number("AS-20261208-0002 客户说还是不出水 上门再看")``: what was typed with a record's number that is a
  note on it ("客户说还是不出水 上门再看"), not a way of opening it ("看下", "详情") nor a question.

The handlers route on these and read no words themselves.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from core.quality import CorrectiveStatus
from nlu.staff_commands import asks_something, words_besides_number

# the status words, each at the start of the message (what follows is the note)
_STEPS: tuple[tuple[CorrectiveStatus, re.Pattern[str]], ...] = (
    (CorrectiveStatus.INVESTIGATING, re.compile(
        r"^(?:我们?|这边)?(?:现在|马上|先|已经?|已)?(?:开始|着手|启动|进入|转入?|转为)(?:调查|排查|查原因|分析原因)"
        r"(?:中|了|吧|一下)?|^(?:我们?|这边)?(?:现在|马上|先)(?:调查|排查)(?:一下)?(?=$|[\s,，。])"
        r"|^开始查(?:一下|了|吧)?|^(?:改为|改成|转)?调查中")),
    (CorrectiveStatus.ACTION_PLANNED, re.compile(r"^(?:措施已定|已定措施|已制定措施|制定了?措施|定了?措施)(?:了|是|为)?")),
    (CorrectiveStatus.DONE, re.compile(r"^(?:整改完成|已完成整改|整改完了|整改好了|整改结束)(?:了)?")),
    (CorrectiveStatus.NO_ACTION, re.compile(r"^(?:无需整改|不用整改|不需要整改|不需整改)(?:了)?")),
)
# "结案", "可以结案了", "关闭": the report closed, by whichever closing step its status allows (QA: was not understood)
_CLOSE = re.compile(r"^(?:可以|直接|那就|就)?(?:结案|关闭|关单|闭环)(?:吧|了|啦)?(?=$|[\s,，。.!！~～、:：;；])")
_GAP = r"[\s,，。.!！~～、:：;；]+"


def _clean(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


@dataclass(frozen=True)
class QualityStepSaid:
    status: CorrectiveStatus
    note: str = ""          # the words after the status ("开始调查，先要2411批次的检测报告" -> "先要2411批次的检测报告")
    close: bool = False     # "结案": closed, 已完成整改 or, where the status allows only that, 无需整改


def quality_step_said(text: str) -> QualityStepSaid | None:
    """The corrective status ``text`` moves a quality report to, with the note said after it; None for anything
    else (a question, a sentence that does not start with the status)."""
    said = _clean(text)
    if not said or len(said) > 1000 or asks_something(said):
        return None
    for status, shape in _STEPS:
        if (m := shape.match(said)) is not None:
            return QualityStepSaid(status, re.sub(rf"^{_GAP}|{_GAP}$", "", said[m.end():]))
    if (m := _CLOSE.match(said)) is not None:
        return QualityStepSaid(CorrectiveStatus.DONE, re.sub(rf"^{_GAP}|{_GAP}$", "", said[m.end():]), close=True)
    return None


# words typed with a number to open its card, not a note on it
_OPENING = re.compile(r"^(?:看一?下|看看|查一?下|查查|打开|open|show|详情|情况|进度|的?(?:详情|情况|进度|工单|单子))+$",
                      re.IGNORECASE)
MIN_NOTE = 4            # characters of a note typed with a number


def note_with_number(text: str) -> str | None:
    """The words typed with a record's number that are a note on it, else None."""
    words = words_besides_number(_clean(text))
    folded = re.sub(_GAP, "", words)
    if len(folded) < MIN_NOTE or _OPENING.match(folded) or asks_something(words):
        return None
    return words
