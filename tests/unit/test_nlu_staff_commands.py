"""Staff commands in words (nlu.staff_commands): typed results, None for what is no staff command."""

from __future__ import annotations

import pytest

from nlu.staff_commands import (
    RefKind,
    StaffCommand,
    StaffVerb,
    orders_waiting_asked,
    parse_queue_filter,
    parse_staff_command,
)


@pytest.mark.parametrize(("text", "expected"), [
    ("把合肥新锐那单批了", StaffCommand(StaffVerb.APPROVE, RefKind.ORDER, dealer="合肥新锐")),
    ("批一下合肥新锐的订单", StaffCommand(StaffVerb.APPROVE, RefKind.ORDER, dealer="合肥新锐")),
    ("合肥新锐那单不批", StaffCommand(StaffVerb.REJECT, RefKind.ORDER, dealer="合肥新锐")),
    ("SO-20261204-0001 发货 德邦 DP123456",
     StaffCommand(StaffVerb.SHIP, RefKind.ORDER, "SO-20261204-0001", carrier="德邦", tracking="DP123456")),
    ("so20261204 0001 发货 顺丰 SF1234567890",
     StaffCommand(StaffVerb.SHIP, RefKind.ORDER, "SO-20261204-0001", carrier="顺丰", tracking="SF1234567890")),
    ("SO-20261204-0001 发货", StaffCommand(StaffVerb.SHIP, RefKind.ORDER, "SO-20261204-0001")),
    ("SO-20261204-0001 配货", StaffCommand(StaffVerb.ALLOCATE, RefKind.ORDER, "SO-20261204-0001")),
    ("驳回 SO-20261204-0001", StaffCommand(StaffVerb.REJECT, RefKind.ORDER, "SO-20261204-0001")),
    ("给杭州嘉禾开个售后单", StaffCommand(StaffVerb.NEW_TICKET, RefKind.TICKET, dealer="杭州嘉禾")),
    ("帮D0012建个工单", StaffCommand(StaffVerb.NEW_TICKET, RefKind.TICKET, dealer="D0012")),
    ("QF-20261203-0001", StaffCommand(StaffVerb.OPEN, RefKind.QUALITY, "QF-20261203-0001")),
    ("看看 AS20261204 0001", StaffCommand(StaffVerb.OPEN, RefKind.TICKET, "AS-20261204-0001")),
    ("AS-20261204-0001 修好了", StaffCommand(StaffVerb.RESOLVE, RefKind.TICKET, "AS-20261204-0001")),
    ("as20261204-0001 客户那边搞定了", StaffCommand(StaffVerb.RESOLVE, RefKind.TICKET, "AS-20261204-0001")),
    ("AS-20261204-0001 fixed", StaffCommand(StaffVerb.RESOLVE, RefKind.TICKET, "AS-20261204-0001")),
    ("AS-20261204-0001 还没修好", StaffCommand(StaffVerb.OPEN, RefKind.TICKET, "AS-20261204-0001")),
    ("AS-20261204-0001 解决了吗", StaffCommand(StaffVerb.OPEN, RefKind.TICKET, "AS-20261204-0001")),
    ("SO-20261204-0001 搞定了", StaffCommand(StaffVerb.OPEN, RefKind.ORDER, "SO-20261204-0001")),
    ("FY-20261127-0001", StaffCommand(StaffVerb.OPEN, RefKind.CLAIM, "FY-20261127-0001")),
    ("CR-20261126-0001 通过", StaffCommand(StaffVerb.APPROVE, RefKind.CREDIT, "CR-20261126-0001")),
    ("ST-D0007-2026-11", StaffCommand(StaffVerb.OPEN, RefKind.STATEMENT, "ST-D0007-2026-11")),
    ("D0007 2026年11月的对账单", StaffCommand(StaffVerb.OPEN, RefKind.STATEMENT, "ST-D0007-2026-11")),
])
def test_staff_words_become_typed_commands(text: str, expected: StaffCommand) -> None:
    assert parse_staff_command(text) == expected


@pytest.mark.parametrize("text", ["AP300 来二十台", "今天天气怎么样", "合肥新锐打了5万", "上次那单到哪了",
                                  "我的工单", "", "SO-2026"])
def test_other_words_are_left_to_the_dealer_parser(text: str) -> None:
    assert parse_staff_command(text) is None


@pytest.mark.parametrize(("text", "expected"), [
    ("这单批了吧", StaffCommand(StaffVerb.APPROVE, this=True)),
    ("批了", StaffCommand(StaffVerb.APPROVE, this=True)),
    ("通过", StaffCommand(StaffVerb.APPROVE, this=True)),
    ("没问题 审过", StaffCommand(StaffVerb.APPROVE, this=True)),
    ("0011没问题 审过", StaffCommand(StaffVerb.APPROVE, RefKind.ORDER, this=True, tail="0011")),
    # an order's number end with "fine" words alone is its approval (was: None, then 代客下单)
    ("0001没问题", StaffCommand(StaffVerb.APPROVE, RefKind.ORDER, this=True, tail="0001")),
    ("0001 可以", StaffCommand(StaffVerb.APPROVE, RefKind.ORDER, this=True, tail="0001")),
    ("订单尾号0001没问题", StaffCommand(StaffVerb.APPROVE, RefKind.ORDER, this=True, tail="0001")),
    ("0001 ok", StaffCommand(StaffVerb.APPROVE, RefKind.ORDER, this=True, tail="0001")),
    ("驳回", StaffCommand(StaffVerb.REJECT, this=True)),
    ("这单驳回 金额太大 请分两批下单", StaffCommand(StaffVerb.REJECT, reason="金额太大 请分两批下单", this=True)),
    ("0011 驳回，原因：重复下单", StaffCommand(StaffVerb.REJECT, RefKind.ORDER, reason="重复下单", this=True, tail="0011")),
])
def test_approve_and_reject_words_of_no_number_mean_the_record_shown(text: str, expected: StaffCommand) -> None:
    """QA s25 #1: "这单批了吧" after an order's card is about that order (was: read as cancelling one)."""
    assert parse_staff_command(text) == expected


@pytest.mark.parametrize("text", ["驳回的订单有哪些", "通过率怎么样", "这周审了多少单", "审核通过了几单", "好的",
                                  "没问题", "0001没问题吗", "AP300 0001没问题", "0001可以发货吗"])
def test_questions_about_approvals_are_no_decision(text: str) -> None:
    assert parse_staff_command(text) is None


def test_queue_filter_words_name_a_dealer_and_a_status() -> None:
    assert parse_queue_filter("合肥新锐 超时") == parse_queue_filter("超时的 合肥新锐")
    assert parse_queue_filter("合肥新锐 超时").dealer == "合肥新锐"
    assert parse_queue_filter("合肥新锐 超时").status == "late"
    assert parse_queue_filter("调查中").status == "investigating" and parse_queue_filter("调查中").dealer is None
    assert parse_queue_filter("").dealer is None and parse_queue_filter("").status is None


@pytest.mark.parametrize(("text", "step"), [
    ("还有几单没审", "approval"), ("待审的单子有几个", "approval"), ("还有多少订单没批", "approval"),
    ("现在有几个单子待审批", "approval"), ("how many orders pending approval", "approval"),
    ("How many orders to approve?", "approval"), ("待配货的订单有几个", "allocation"), ("还有几单没发货", "shipment"),
    ("物料申请还有几个没批", None), ("AP300还有几台", None), ("待审批的订单有哪些", None),
])
def test_how_many_orders_wait_names_the_step(text: str, step: str | None) -> None:
    assert orders_waiting_asked(text) == step


# --- QA s26: action words read -------------------------------------------------------------------------

def test_ticket_numbers_with_accept_and_start_words() -> None:
    from nlu.staff_commands import StaffVerb, parse_staff_command
    for text, verb in (("AS-20261207-0002 受理", StaffVerb.ACCEPT), ("AS-20261207-0002 开始处理", StaffVerb.START),
                       ("AS-20261207-0002 修好了", StaffVerb.RESOLVE), ("AS-20261207-0002", StaffVerb.OPEN)):
        command = parse_staff_command(text)
        assert command is not None and command.verb == verb, text


def test_ticket_state_words_under_its_card() -> None:
    from nlu.staff_commands import StaffVerb, TicketStep, ticket_step_said
    assert ticket_step_said("完成") == TicketStep(StaffVerb.RESOLVE)
    assert ticket_step_said("修好了 换了浮子开关") == TicketStep(StaffVerb.RESOLVE, "修好了 换了浮子开关")
    assert ticket_step_said("开始处理") == TicketStep(StaffVerb.START)
    assert ticket_step_said("受理") == TicketStep(StaffVerb.ACCEPT)
    for text in ("已联系客户，明天上门", "修好了吗", "还没修好", "好了，明天上门", "AS-20261207-0002 受理"):
        assert ticket_step_said(text) is None, text


def test_a_material_named_with_its_dealer_and_an_order_for_a_dealer() -> None:
    from nlu.staff_commands import dealer_ordered_for, parse_material_decision, parse_staff_command
    said = parse_material_decision("把金鼎的海报批了")
    assert said is not None and (said.dealer, said.what) == ("金鼎", "海报")
    assert parse_material_decision("把德润那单批了") is None and parse_staff_command("把德润那单批了") is not None
    assert dealer_ordered_for("帮D0002下个单 AP500 10台") == "D0002"
    assert dealer_ordered_for("给金鼎订一单 AP300 5台") == "金鼎"
    assert dealer_ordered_for("AP300 5台") is None


def test_everyday_words_for_the_days_list_and_question_words_no_dealer() -> None:
    import re

    from nlu.staff_commands import TODAY_EVERYDAY, parse_queue_filter
    for text in ("今天还有啥要弄的", "今天要干啥", "手上还有什么活没干完"):
        assert re.match(TODAY_EVERYDAY, text), text
    for text in ("AP300有货吗", "今天卖了啥"):
        assert not re.match(TODAY_EVERYDAY, text), text
    assert parse_queue_filter("有啥新").dealer is None and parse_queue_filter("有啥新").new
    assert parse_queue_filter("有啥").dealer is None
