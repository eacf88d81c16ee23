"""The staff desk's words read in nlu/ (moved out of handlers: review of session 26): a payment said in one line,
the ledger questions, a queue named in words, a status's count, a queue command without its slash, a ranking's
size. The chat tests of each flow show the same through the conversation."""

from __future__ import annotations

import pytest

from core.accounts import AccountKind, PaymentMethod
from core.services.queues import Queue
from nlu.payment_words import (
    LedgerQuestion,
    amount_alone,
    ledger_question,
    ledger_who,
    payment_said,
    received_when,
)
from nlu.queue_words import command_words, named_queue, past_asked, status_counted
from nlu.report_periods import top_said


def test_a_payment_said_in_one_line() -> None:
    said = payment_said("合肥新锐打了5万，工行转账 流水号 ICBC20261207001，记预存款")
    assert said is not None
    assert (said.who, said.amount, said.method, said.account, said.reference) == (
        "合肥新锐", "5万", PaymentMethod.BANK_TRANSFER, AccountKind.PREPAYMENT, "ICBC20261207001")
    assert payment_said("合肥新锐的流水") is None
    assert amount_alone("30万") and amount_alone(" 50000 ") and not amount_alone("合肥新锐")


@pytest.mark.parametrize(("text", "asked"), [
    ("合肥新锐的流水", LedgerQuestion.LEDGER), ("本月回款多少", LedgerQuestion.RECEIVED),
    ("哪些经销商超信用了", LedgerQuestion.CREDIT_FULL), ("哪些经销商欠款逾期了", LedgerQuestion.OVERDUE),
    ("账龄", LedgerQuestion.OVERDUE), ("合肥新锐打了5万", None),
])
def test_the_ledger_questions(text: str, asked: LedgerQuestion | None) -> None:
    assert ledger_question(text) == asked


def test_the_dealer_and_the_days_of_a_ledger_question() -> None:
    assert ledger_who("看看D0007的余额") == "D0007" and ledger_who("本月回款多少") is None
    assert [received_when(t) for t in ("今天到账多少", "上个月回款多少", "回款多少")] == ["today", "last_month", "month"]


def test_a_queue_named_in_words() -> None:
    named = named_queue("上周合肥新锐的工单有哪些", "上周")
    assert named is not None and (named.queue, named.words) == (Queue.TICKETS, "合肥新锐")
    assert named_queue("调查中的质量反馈") == named_queue("调查中的质量反馈", "") and named_queue("你好") is None
    assert named_queue("物料申请有哪些要批的").queue == Queue.MATERIALS       # type: ignore[union-attr]


def test_a_status_count_a_command_and_the_past() -> None:
    assert status_counted("超时的有几个") == status_counted("现在超时的还有多少") is not None
    assert status_counted("超时的工单") is None
    assert command_words("QF看下调查中的") == ("qf", "调查中")
    assert past_asked("过期的资质") and not past_asked("快到期的资质")


@pytest.mark.parametrize(("text", "n"), [("经销商排名前十", 10), ("前20名", 20), ("top 8 dealers", 8), ("排名", None)])
def test_the_size_of_a_ranking(text: str, n: int | None) -> None:
    assert top_said(text) == n


def test_a_waybill_a_dealer_looked_up_and_an_invite_code() -> None:
    from nlu.binding_words import bind_said, binding_code
    from nlu.desk_words import dealer_looked_up, tracking_said

    assert tracking_said(" SF 1234 5678 ") == "SF12345678" and tracking_said("顺丰") is None
    assert dealer_looked_up("查下杭州嘉禾") == dealer_looked_up("杭州嘉禾的资料") == "杭州嘉禾"
    assert dealer_looked_up("杭州嘉禾") is None
    assert binding_code("绑定码：ABCD2345") == "ABCD2345" and bind_said("bind ABCD-2345")
    assert binding_code("ABCD-2345") == "ABCD-2345" and not bind_said("ABCD-2345")


def test_a_statement_month_an_answer_and_an_adjustment() -> None:
    from datetime import date
    from decimal import Decimal

    from nlu.statement_words import StatementAnswer, read_adjustment, statement_answer, statement_month_asked

    today = date(2026, 12, 7)
    assert statement_month_asked("上月对账单", today) == "2026-11" == statement_month_asked("对账单", today,
                                                                                          last_month=True)
    assert statement_month_asked("12月的对账单", today) == "2025-12" and statement_month_asked("对账单", today) is None
    assert statement_answer("没问题，确认对账") is StatementAnswer.CONFIRM
    assert statement_answer("账不对") is StatementAnswer.DISPUTE and statement_answer("看看") is None
    assert read_adjustment("-1,200.5 多退") == (Decimal("-1200.50"), "多退") and read_adjustment("多退") is None


@pytest.mark.parametrize(("text", "who", "reason"), [
    ("暂停 D0005 经销资格 原因：拖欠货款", "D0005", "拖欠货款"), ("把D0005停了，欠款太多", "D0005", "欠款太多"),
    ("暂停合肥新锐的合作", "合肥新锐", ""),
])
def test_a_suspension_said(text: str, who: str, reason: str) -> None:
    from nlu.standing_words import StandingSaid, reinstatement_said, suspension_said

    assert suspension_said(text) == StandingSaid(who, reason) and reinstatement_said(text) is None
    assert suspension_said("暂停推送") is None
    assert reinstatement_said("恢复南京优品的合作") == StandingSaid("南京优品")


def test_a_notice_and_its_audience() -> None:
    from nlu.notice_words import audience_words, notice_words

    assert notice_words("通知A级经销商：下周调价") == ("A级", "下周调价")
    assert notice_words("下周调价") is None
    assert audience_words("华东区A级、D0007") == (("华东",), ("A",), {"D0007"}, "")
    assert audience_words("所有") == ((), (), set(), "") and audience_words("合肥的")[3] == "合肥"


def test_a_how_to_question_a_date_change_and_the_dealer_stock_words() -> None:
    from nlu.dealer_stock_words import filter_words
    from nlu.faq import how_to_question, without_words
    from nlu.order_words import date_change_said

    assert how_to_question("在这里怎么下单") == "怎么下单" and how_to_question("AP300有货吗") is None
    assert without_words("除湿机保修多久", ["除湿机", ""]) == "保修多久"
    assert date_change_said("0007那单交货日期改到下周五") and not date_change_said("0007那单加2台")
    assert filter_words("华东 DH20 经销商库存", "华东") == "DH20"


def test_a_serial_and_an_order_number() -> None:
    from nlu.order_words import is_order_number
    from nlu.ticket_words import serial_in

    assert serial_in("序列号是 SN2024A0013") == "SN2024A0013" and serial_in("序列号在哪看") is None
    assert is_order_number("so-20261126-0007") and not is_order_number("SO-20261126-0007 发了吗")
