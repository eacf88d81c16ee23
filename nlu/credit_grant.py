"""An approver's words about a credit request (handlers.flows.credit): what to approve and the yes to its card.

- ``read_grant``: an amount less than asked ("批到70万吧 80万太多了", "只批70万", "同意 但是只给8万", "approve 50k") or a
  share of the amount asked ("只批一半", "批个八成", "approve half"); at the approval card (``at_card``) a bare
  amount ("75万") or share ("一半吧") too;
- ``confirms_approval``: the card's yes typed: "确认", "好的", "是", "确认批准", "批准", "同意", "批吧", "yes", "approve
  it". Only the whole message: "同意 但是只给8万" or "不同意" is no yes (an amount, or a no, is read first or not
  at all);
- ``refuses_approval``: a no to the card: "驳回", "不同意", "不批了", "还是拒了吧", "reject it" (the reason is asked next).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from nlu.normalize import normalize
from nlu.numbers import parse_int, read_amount
from nlu.replies import is_confirmation, says_yes

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Grant:
    """What the approver grants: an ``amount``, or a ``share`` of the amount asked (0.5: "一半")."""

    amount: Decimal | None = None
    share: Decimal | None = None

    def of(self, asked: Decimal) -> Decimal:
        """The amount granted of ``asked``."""
        if self.amount is not None:
            return self.amount
        return (asked * (self.share or Decimal(0))).quantize(CENT)


# the verbs before an amount granted: "批到70万吧", "只批70万", "给他批个50万", "按60万批", "只给8万", "approve 700k"
_LEAD = (r"(?:批准到|批准|批到|批给?(?:他们?|它)?|批个|只批|给(?:他们?|它)?批(?:个|到)?|给到|按|(?:只|就|先)给(?:他们?|它)?(?:个|到)?|"
         r"给(?:他们?|它)(?:个|到)?|只同意|approve(?: it)?(?: only)?(?: at| to| for)?|grant(?: only)?|give(?: them)?(?: only)?|"
         r"only)")
_AMOUNT = r"[¥￥]?\s*\d[\d,.]*\s*(?:万|千|w|k)?(?![\d%％成分])|[零〇一二两三四五六七八九十百千]+万"
_GRANTED = re.compile(rf"{_LEAD}\s*({_AMOUNT})\s*(?:块|元)?(?:吧|的额度|额度|就行|批|可以)?", re.IGNORECASE)

# a share of the amount asked: "一半", "八成", "70%", "百分之七十", "三分之二", "half"
_SHARE = (r"(?:(?P<half>一半|半数|\bhalf\b)|(?P<pct>\d{1,2}(?:\.\d+)?)\s*[%％]|百分之(?P<pct_cn>[一二两三四五六七八九十]+)|"
          r"(?P<tenths>[一二两三四五六七八九1-9])成|(?P<den>[二两三四五])分之(?P<num>[一二两三四]))")
_SHARE_GRANTED = re.compile(rf"(?:{_LEAD}|批|给)\s*(?:个|一个)?\s*{_SHARE}", re.IGNORECASE)
_SHARE_ALONE = re.compile(rf"(?:就|只)?(?:批|给)?\s*{_SHARE}\s*(?:吧|就行|就好|的额度|额度|批|了)*(?: of it)?", re.IGNORECASE)

_APPROVE = re.compile(
    r"(?:(?:好的?|行|可以|嗯+|ok|okay|没问题)[,， ]*)?(?:就|那就)?(?:确认|确定)?[,， ]*"
    r"(?:批准|同意|批了?|通过|就这么批|照批|就按这个批?|按这个批?)(?:吧|了|啊|呗)*|"
    r"(?:yes[,, ]*)?(?:approved?(?: it)?|confirm(?:ed)?(?: (?:the )?approval)?|go ahead)(?: please)?",
    re.IGNORECASE)
_REFUSE = re.compile(
    r"(?:那|那就|还是|算了[,， ]*)?(?:驳回|不同意|不批了?|先不批|不给批|拒绝|拒了|打回去?)(?:吧|了|掉)*|"
    r"(?:no[,, ]*)?(?:reject(?:ed)?(?: it)?|decline(?:d)?(?: it)?|don'?t approve(?: it)?)(?: please)?",
    re.IGNORECASE)
_END = " .!?~,。！？~～"


def _said(text: str) -> str:
    return re.sub(r"^[^\w\u4e00-\u9fff]+", "", normalize(text or "")).strip(_END)


def _share(m: re.Match[str]) -> Decimal | None:
    if m.group("half"):
        return Decimal("0.5")
    if m.group("pct"):
        return Decimal(m.group("pct")) / 100
    if m.group("pct_cn"):
        n = parse_int(m.group("pct_cn"))
        return Decimal(n) / 100 if n is not None else None
    if m.group("tenths"):
        n = parse_int(m.group("tenths")) if not m.group("tenths").isdigit() else int(m.group("tenths"))
        return Decimal(n) / 10 if n is not None else None
    den, num = parse_int(m.group("den")), parse_int(m.group("num"))
    return Decimal(num) / Decimal(den) if den and num is not None else None


def _usable(share: Decimal | None) -> Decimal | None:
    return share if share is not None and Decimal(0) < share < 1 else None


def granted_credit_amount(text: str) -> Decimal | None:
    """The amount an approver grants instead of the one asked ("批到70万吧 80万太多了" -> 700000); None when no such
    words (a bare amount is read by the card that asked for it: ``read_grant(..., at_card=True)``)."""
    found = _GRANTED.search((text or "").replace(" ", "") if not re.search(r"[A-Za-z]", text or "") else text or "")
    if found is None:
        return None
    amount = read_amount(found.group(1))
    return amount if amount is not None and amount > 0 else None


def read_grant(text: str, *, at_card: bool = False) -> Grant | None:
    """An amount or a share granted (see the module); None when the words grant nothing."""
    amount = granted_credit_amount(text)
    if amount is not None:
        return Grant(amount=amount)
    said = _said(text)
    shared = _SHARE_GRANTED.search(said) or (_SHARE_ALONE.fullmatch(said) if at_card else None)
    if shared is not None and (share := _usable(_share(shared))) is not None:
        return Grant(share=share)
    if at_card:
        bare = read_amount(said.rstrip("吧"))
        if bare is not None and bare > 0:
            return Grant(amount=bare)
    return None


def confirms_approval(text: str) -> bool:
    """The approval card's yes typed (see the module)."""
    return is_confirmation(text) or says_yes(text) or bool(_APPROVE.fullmatch(_said(text)))


def refuses_approval(text: str) -> bool:
    """A no to the approval card (see the module)."""
    return bool(_REFUSE.fullmatch(_said(text)))
