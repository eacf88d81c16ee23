"""A dealer's standing changed in words (``handlers.flows.standing``): "暂停 D0005 经销资格 原因：拖欠货款",
"把D0005停了，欠款太多", "恢复合肥新锐的合作". The handler routes on the shapes here and takes who (and why) from
the functions; it reads no words itself."""

from __future__ import annotations

import re
from dataclasses import dataclass

# "暂停 D0005 经销资格 原因：拖欠货款", "暂停合肥新锐的合作，原因 拖欠货款", "suspend D0005 reason: overdue": a dealer
# code, or a name followed by what is suspended (so "暂停推送" is not read as a dealer)
_WHAT = r"(?:经销资格|经销权|合作|供货|账户|账号|dealership)"
_WHO = rf"(?:(?P<code>[A-Za-z]{{1,4}}-?\d{{3,8}})(?![0-9])\s*(?:的)?\s*{_WHAT}?|(?P<name>[^\s，,；;:：]{{2,40}}?)\s*(?:的)?\s*{_WHAT})"
_REASON = r"(?:\s*[，,；;。]?\s*(?:原因|理由|因为|reason|because)\s*[:：]?\s*(?P<reason>.+?))?"
_SUSPEND = re.compile(rf"^\s*(?:暂停|冻结|停止|suspend)\s*{_WHO}{_REASON}\s*[。.!！]?\s*$", re.IGNORECASE)
_REINSTATE = re.compile(rf"^\s*(?:恢复|解除暂停|取消暂停|重新启用|reinstate|unsuspend)\s*{_WHO}\s*[。.!！]?\s*$",
                        re.IGNORECASE)
# the dealer first: "把D0005停了，欠款太多", "D0005 暂停合作", "D0005 恢复合作", "把南京优品的经销资格恢复了"
# (a name only with 把 or with what is suspended, so "推送暂停" or "今天暂停" are not read as a dealer)
_WHO_FIRST = r"^\s*(?:把?\s*(?P<code>[A-Za-z]{1,4}-?\d{3,8})(?![0-9])|" \
             rf"(?=把|.*{_WHAT})把?\s*(?P<name>[^\s，,；;:：]{{2,40}}?))\s*(?:的)?\s*{_WHAT}?\s*(?:给)?\s*"
# "郑州和顺 先暂停合作 他们欠款逾期了": a word of when before the verb, the reason after a space (QA s28 #8)
_SOON = r"(?:先|暂时|暂且|马上|立即|立刻|就|要)?\s*"
_SUSPEND_LATE = re.compile(_WHO_FIRST + _SOON + rf"(?:暂停|停了|停掉|停止|冻结)(?:了|掉)?\s*{_WHAT}?"
                           r"(?:(?:\s*[，,；;。]\s*|\s+)(?:(?:原因|理由|因为)\s*[:：]?\s*)?(?P<reason>.+?))?\s*[。.!！]?\s*$",
                           re.IGNORECASE)
# who the reason is said of ("他们欠款逾期了"): not part of it
_REASON_SUBJECT = re.compile(r"^(?:他们家?|他家|她家|这家|对方|因为|由于)\s*|\s*了\s*$")
_REINSTATE_LATE = re.compile(_WHO_FIRST + rf"(?:恢复|解除暂停|重新启用)(?:了)?\s*{_WHAT}?\s*[。.!！]?\s*$",
                             re.IGNORECASE)

#: the shapes the router tries (the same, as text)
SUSPEND_ASKED, SUSPEND_ASKED_LATE = _SUSPEND.pattern, _SUSPEND_LATE.pattern
REINSTATE_ASKED, REINSTATE_ASKED_LATE = _REINSTATE.pattern, _REINSTATE_LATE.pattern


@dataclass(frozen=True)
class StandingSaid:
    who: str                # a dealer code or the name words
    reason: str = ""


def suspension_said(text: str) -> StandingSaid | None:
    """"暂停 D0005 经销资格 原因：拖欠货款" -> ("D0005", "拖欠货款"); not a suspension: None."""
    match = _SUSPEND.match(text) or _SUSPEND_LATE.match(text)
    if match is None:
        return None
    return StandingSaid(match["code"] or match["name"], _REASON_SUBJECT.sub("", (match["reason"] or "").strip()))


def reinstatement_said(text: str) -> StandingSaid | None:
    """"恢复合肥新锐的合作" -> ("合肥新锐"); not a reinstatement: None."""
    match = _REINSTATE.match(text) or _REINSTATE_LATE.match(text)
    return StandingSaid(match["code"] or match["name"]) if match else None
