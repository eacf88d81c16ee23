"""Staff typing the answer to a dealer's question (待答复咨询) who type a desk command instead: a record number alone
("SO-20261204-0003", "查下 AS-…") is a look-up, a number with a short command ("SO-… 驳回", "SO-… 配货",
"SO-… 发货 德邦 DP123456") is a command; a sentence around a number ("SO-… 明天发货，另开一张补单给您") is an answer.
The chat sends neither of the first two to the dealer without asking (``handlers.flows.faq``)."""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum

from nlu.staff_commands import RefKind, StaffVerb, parse_staff_command

# the words besides the number that leave a look-up a look-up ("看看", "查一下", "详情")
_LOOKUP_WORDS = re.compile(r"(?:查一?下|查查|查|看一?下|看看|打开|详情|状态|情况|进度|的|呢|吗|open|show|check)*",
                           re.IGNORECASE)
_NUMBERS = re.compile(r"(?<![A-Za-z])(?:SO|AS|QF|FY|FR|CR)[-_ ]?\d{8}[-_ ]?\d{4}(?!\d)|(?<![A-Za-z])D\d{4,6}(?!\d)"
                      r"|(?<![A-Za-z0-9])[A-Za-z]{0,4}\d[A-Za-z0-9-]{5,40}(?![A-Za-z0-9])", re.IGNORECASE)
_MARKS = re.compile(r"[\s,，。.!！?？:：;；、~～]+")
# a command says little besides its number, carrier and tracking number; an answer says more
COMMAND_WORDS = 8


class DeskWords(StrEnum):
    LOOKUP = "lookup"      # a record number alone: open its card
    COMMAND = "command"    # a desk command on a record: ask before it goes to the dealer


def desk_words_in_answer(text: str) -> DeskWords | None:
    """What a staff answer to a dealer is instead of an answer, or None when it reads as an answer."""
    text = unicodedata.normalize("NFKC", text).strip()
    command = parse_staff_command(text)
    if command is None or (command.number is None and command.kind != RefKind.DEALER):
        return None
    rest = _MARKS.sub("", _NUMBERS.sub(" ", text))
    if command.verb == StaffVerb.OPEN:
        return DeskWords.LOOKUP if not _LOOKUP_WORDS.sub("", rest) else None
    return DeskWords.COMMAND if len(rest) <= COMMAND_WORDS else None
