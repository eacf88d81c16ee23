"""A dealer asking for more credit in its own words ("额度不够了能申请提额吗", "想申请临时额度", "can I get a credit
increase"), and the amount it then types: a new limit ("60万", "调到60万") or an increase ("加10万", "再多给5万").
An approver's words on such a request are read in ``nlu.credit_grant``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from nlu.numbers import read_amount

_MORE_CREDIT = re.compile(
    r"提额|提高(?:信用)?额度|提升(?:信用)?额度|调高(?:信用)?额度|增加(?:信用)?额度|加(?:点|些)?额度|扩大(?:信用)?额度|"
    r"申请(?:一?点|个|一个|些)?(?:临时|信用)?额度|(?:要|多给)(?:一?点|些)(?:临时|信用)?额度|开通?临时额度|额度申请|"
    r"额度(?:能|可以)?(?:调整|上调|提高|提升|增加|加一?点)|"
    r"credit (?:limit )?increase|(?:raise|increase) (?:my |the )?credit|more credit|apply for (?:a )?credit",
    re.IGNORECASE)
_BY = re.compile(r"^(?:再|请|帮我)?(?:加|增加|多给?|提高|提升|上调|涨|提|increase by|add)\s*", re.IGNORECASE)
_TO = re.compile(r"^(?:再|请|帮我)?(?:(?:调|提|提高|提升|上调|升|涨|加|增加)?到|改成|改为|调整[为到]|变成|to)\s*",
                 re.IGNORECASE)
_TAIL = re.compile(r"(?:的?额度|吧|呢|就行|就够了?|左右|。|！|!)+$")


def asks_for_more_credit(text: str) -> bool:
    """Words asking the maker for more credit (a credit-limit increase or temporary credit)."""
    return bool(_MORE_CREDIT.search(text or ""))


@dataclass(frozen=True)
class CreditAmount:
    amount: Decimal
    increase: bool           # True: "加10万" (on top of the limit now); False: "60万" / "调到60万" (the new limit)

    def new_limit(self, current: Decimal) -> Decimal:
        return (current + self.amount if self.increase else self.amount).quantize(Decimal("0.01"))


def read_credit_amount(text: str) -> CreditAmount | None:
    """"60万" / "调到60万" -> a new limit; "加10万" / "再多给5万" -> an increase; None when no amount is said."""
    words = _TAIL.sub("", (text or "").strip().replace(" ", ""))
    to = _TO.match(words)
    increase = not to and bool(_BY.match(words))
    words = words[to.end():] if to else _BY.sub("", words)
    amount = read_amount(words)
    if amount is None or amount <= 0:
        return None
    return CreditAmount(amount, increase)

