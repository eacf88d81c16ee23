"""A dealer's words asking for more credit, and the amount it types (nlu.credit_words)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from nlu.credit_words import asks_for_more_credit, read_credit_amount


@pytest.mark.parametrize("text", ["额度不够了能申请提额吗", "想申请临时额度", "额度能提高吗", "申请额度", "要点额度",
                                  "can I get a credit increase"])
def test_asking_for_more_credit(text: str) -> None:
    assert asks_for_more_credit(text)


@pytest.mark.parametrize("text", ["我还有多少额度", "余额多少", "给我额度明细", "我要看额度", "信用额度多少",
                                  "额度用了多少", "whats my credit limit"])
def test_asking_about_credit_is_not_asking_for_more(text: str) -> None:
    assert not asks_for_more_credit(text)


@pytest.mark.parametrize(("text", "new_limit"), [
    ("60万", "600000.00"), ("调到60万", "600000.00"), ("提高到80万的额度", "800000.00"), ("增加到70万", "700000.00"),
    ("加10万", "600000.00"), ("再多给5万", "550000.00"), ("提高10万", "600000.00"),
])
def test_the_amount_is_a_new_limit_or_an_increase(text: str, new_limit: str) -> None:
    said = read_credit_amount(text)
    assert said is not None and said.new_limit(Decimal("500000.00")) == Decimal(new_limit)


def test_no_amount() -> None:
    assert read_credit_amount("不知道") is None
