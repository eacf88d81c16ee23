"""What a dealer's opening repair request says besides the problem and the customer (QA s27 P11): "…序列号不记得了
挺急的" asked the serial and the urgency again. ``opening_answers`` reads that the serial is not known and how urgent
it is; "normal" is never read from an opening (its words, 正常/一般, describe the fault: "开机正常但不出水")."""

from __future__ import annotations

from dataclasses import dataclass

from nlu.customer_words import repair_answers
from nlu.ticket_words import urgency_said


@dataclass(frozen=True)
class OpeningAnswers:
    no_serial: bool
    urgency: str | None         # a core.aftersales.Priority value: "urgent", "high", "low"; None when not said


def opening_answers(text: str) -> OpeningAnswers:
    """"客户家的除湿机不出水 … 序列号不记得了 挺急的" -> no serial, urgent."""
    urgency = urgency_said(text)
    return OpeningAnswers(no_serial=repair_answers(text).no_serial,
                          urgency=urgency if urgency != "normal" else None)
