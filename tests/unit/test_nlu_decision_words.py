"""An approver's decision in everyday words (``nlu.decision_words``): which order, approved or not, the reason."""

from __future__ import annotations

import pytest

from nlu.decision_words import OrderDecision, OrderNamed, decision_said, order_named


@pytest.mark.parametrize(("text", "expected"), [
    ("0002没啥问题 批了吧", OrderDecision(True, "0002")),
    ("尾号0003的通过", OrderDecision(True, "0003")),
    ("0002没什么问题，可以", OrderDecision(True, "0002")),
    ("0002没有问题", OrderDecision(True, "0002")),
    ("0001 ok", OrderDecision(True, "0001")),
    ("这单可以 发吧", OrderDecision(True)),
    ("这单没问题", OrderDecision(True)),
    ("批了", OrderDecision(True)),
    ("0004先别批 价格不对", OrderDecision(False, "0004", "价格不对")),
    ("0002不通过", OrderDecision(False, "0002")),
    ("0002不行 驳回", OrderDecision(False, "0002")),
    ("这单不行 金额太大", OrderDecision(False, None, "金额太大")),
    ("0011 驳回，原因：重复下单", OrderDecision(False, "0011", "重复下单")),
])
def test_decisions_in_everyday_words(text: str, expected: OrderDecision) -> None:
    assert decision_said(text) == expected


@pytest.mark.parametrize("text", ["没问题", "可以", "好的", "ok", "行", "0001可以发货吗", "AP300 0001没问题",
                                  "0002行不行", "合肥新锐那单不批", "德润6048那单驳回 重复下单", "价格不对 0004先别批", "把合肥新锐那单批了", "驳回的订单有哪些", "通过率怎么样",
                                  "审核通过了几单", "0001 0002 没问题", "AP300来20台", "这个可以吃"])
def test_other_words_decide_nothing(text: str) -> None:
    assert decision_said(text) is None


def test_fine_words_with_the_whole_number_typed_are_its_approval() -> None:
    assert decision_said(" ok", order_named=True) == OrderDecision(True)
    assert decision_said(" 不通过", order_named=True) == OrderDecision(False)


@pytest.mark.parametrize(("text", "expected"), [
    ("0002", OrderNamed(tail="0002")), ("看下0002", OrderNamed(tail="0002")), ("尾号0002的单", OrderNamed(tail="0002")),
    ("12", OrderNamed(tail="0012")), ("12号单", OrderNamed(tail="0012")),
    ("20261206-0002", OrderNamed(number="SO-20261206-0002")), ("202612060002", OrderNamed(number="SO-20261206-0002")),
])
def test_an_order_named_by_its_number_alone(text: str, expected: OrderNamed) -> None:
    assert order_named(text) == expected


@pytest.mark.parametrize("text", ["12345", "AP300", "0002 台", "5000元", "2026年", "12台"])
def test_other_numbers_name_no_order(text: str) -> None:
    assert order_named(text) is None


@pytest.mark.parametrize(("text", "who"), [
    ("上海德润的单子", "上海德润"), ("看下兰州启明的订单", "兰州启明"), ("兰州启明的订单到哪了", "兰州启明"),
    ("合肥新锐的订单", "合肥新锐"), ("D0003的订单", "D0003"), ("德润最近的订单", "德润"),
    ("我的订单", None), ("待审批的订单", None), ("今天的订单", None), ("驳回的订单", None), ("上次的订单", None),
    ("上个月的订单", None), ("德润那单驳回 价格不对", None), ("上次那单到哪了", None),
])
def test_a_dealers_orders_asked_by_its_name(text: str, who: str | None) -> None:
    from nlu.dealer_order_words import dealer_orders_asked

    assert dealer_orders_asked(text) == who


@pytest.mark.parametrize(("text", "who", "amount"), [
    ("记一笔回款 D0007 3万", "D0007", "3万"), ("登记回款：合肥新锐 30000", "合肥新锐", "30000"),
    ("记回款 合肥新锐 3万元 工行转账", "合肥新锐", "3万"),
])
def test_a_payment_said_after_the_jobs_words(text: str, who: str, amount: str) -> None:
    from nlu.payment_words import payment_said

    said = payment_said(text)
    assert said is not None and (said.who, said.amount) == (who, amount)


@pytest.mark.parametrize(("text", "who"), [("合肥新锐账上还有多少钱", "合肥新锐"), ("D0007账户里有多少", "D0007"),
                                           ("成都金鼎还有多少额度", "成都金鼎"), ("成都金鼎还剩多少额度", "成都金鼎"),
                                           ("我账上还有多少钱", None), ("账上还有多少钱", None)])
def test_a_dealers_money_on_its_account_is_its_ledger(text: str, who: str | None) -> None:
    from nlu.payment_words import ledger_who

    assert ledger_who(text) == who


@pytest.mark.parametrize(("text", "who"), [("合肥新锐的联系人电话", "合肥新锐"), ("嘉禾老板是谁", "嘉禾"),
                                           ("D0007 的联系方式", "D0007"), ("厂家电话", None), ("客服电话多少", None),
                                           ("我的联系人", None)])
def test_a_dealers_contacts_asked(text: str, who: str | None) -> None:
    from nlu.desk_words import dealer_looked_up

    assert dealer_looked_up(text) == who


@pytest.mark.parametrize(("text", "rest"), [("这单发货 顺丰 SF998877", "顺丰 SF998877"), ("发货 顺丰 SF998877", "顺丰 SF998877"),
                                            ("这单发了", ""), ("发货", None), ("这单发了吗", None), ("发货了没", None)])
def test_the_order_shown_said_to_ship(text: str, rest: str | None) -> None:
    from nlu.decision_words import this_shipped

    assert this_shipped(text) == rest
