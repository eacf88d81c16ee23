"""An approver's words on a credit request (nlu.credit_grant): the amount or share granted, the card's yes and no."""

from __future__ import annotations

from decimal import Decimal

import pytest

from nlu.credit_grant import confirms_approval, read_grant, refuses_approval

ASKED = Decimal("200000.00")


@pytest.mark.parametrize(("text", "granted"), [
    ("批到70万吧 80万太多了", "700000.00"), ("批5万", "50000.00"), ("只批70万", "700000.00"), ("给他批个50万", "500000.00"),
    ("按60万批", "600000.00"), ("批准5万", "50000.00"), ("同意 但是只给8万", "80000.00"), ("approve 50k", "50000.00"),
    ("approve it at 700k", "700000.00"), ("只批一半", "100000.00"), ("批个八成", "160000.00"), ("批70%", "140000.00"),
    ("approve half", "100000.00"),
])
def test_an_amount_or_a_share_granted(text: str, granted: str) -> None:
    grant = read_grant(text)
    assert grant is not None and grant.of(ASKED) == Decimal(granted)


@pytest.mark.parametrize(("text", "granted"), [("75万", "750000.00"), ("一半吧", "100000.00"), ("三分之一", "66666.67")])
def test_at_the_card_a_bare_amount_or_share(text: str, granted: str) -> None:
    assert read_grant(text) is None
    grant = read_grant(text, at_card=True)
    assert grant is not None and grant.of(ASKED) == Decimal(granted)


@pytest.mark.parametrize("text", ["给D0008打了10万", "确认批准", "同意", "好的", "德润的额度多少"])
def test_no_grant(text: str) -> None:
    assert read_grant(text) is None


@pytest.mark.parametrize("text", ["确认", "好的", "是", "确认批准", "✅ 确认批准", "批准", "同意", "批吧", "就这么批", "好 批了",
                                  "yes", "approve", "approve it", "ok"])
def test_the_cards_yes(text: str) -> None:
    assert confirms_approval(text) and not refuses_approval(text)


@pytest.mark.parametrize("text", ["不同意", "驳回", "不批了", "reject it"])
def test_the_cards_no(text: str) -> None:
    assert refuses_approval(text) and not confirms_approval(text)


@pytest.mark.parametrize("text", ["同意 但是只给8万", "嗯……再想想", "批到10万吧", "不同意 给8万"])
def test_neither_yes_nor_no(text: str) -> None:
    assert not confirms_approval(text) and not refuses_approval(text)
