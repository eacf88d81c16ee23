"""Staff everyday phrases (QA): 受理 typed under a list of tickets asks which with each ticket's number and subject
(was: three buttons "受理 · 🛠 售后工单：待处理 3…" alike); "有新咨询吗" is the questions waiting for an answer (was: not
understood); a dealer code where a dealer name works ("D0001最近怎么样"; was: not understood)."""

from __future__ import annotations

import re

from core.aftersales import Ticket
from core.users import Role
from nlu.dealer_asked import dealer_asked_about
from nlu.queue_words import QUESTIONS_ASKED
from tests.chat import ChatWorld, buttons, texts


async def test_accept_typed_under_a_ticket_list_names_each_ticket() -> None:
    w = ChatWorld()
    await w.catalogue()
    dealer = await w.dealer(name="上海华信电器有限公司")
    assert dealer.id is not None
    for n, what in ((1, "净水器接头处渗水"), (2, "净化器高档运行时有异响")):
        await w.uow.tickets.add(Ticket(number=f"AS-20261125-000{n}", dealer_id=dealer.id, description=what,
                                       created_at=w.clock.now()))
    await w.uow.commit()
    await w.user("900", Role.AFTER_SALES, username="li.aftersales")
    await w.say("900", "有新工单没")
    which = await w.say("900", "受理")
    assert "是哪一个" in texts(which)
    labels = list(buttons(which))
    assert len(labels) == 2
    assert any("AS-20261125-0001" in b and "渗水" in b for b in labels), labels
    assert any("AS-20261125-0002" in b and "异响" in b for b in labels), labels


def test_new_questions_asked_is_the_questions_queue() -> None:
    for text in ("有新咨询吗", "有新的咨询没", "有咨询吗", "经销商有新的咨询吗"):
        assert re.match(QUESTIONS_ASKED, text), text
    assert not re.match(QUESTIONS_ASKED, "咨询")


async def test_the_order_desk_asks_for_new_questions() -> None:
    w = ChatWorld()
    await w.user("900", Role.ORDER_DESK, username="zhang.orderdesk")
    assert "待答复咨询" in texts(await w.say("900", "有新咨询吗"))


def test_a_dealer_code_is_asked_about_as_a_name_is() -> None:
    assert dealer_asked_about("D0001最近怎么样") == "D0001"
    assert dealer_asked_about("d0002 最近咋样了") == "d0002"


async def test_the_channel_manager_asks_about_a_dealer_by_its_code() -> None:
    w = ChatWorld()
    await w.catalogue()
    derun = await w.dealer(name="杭州德润电器有限公司")
    await w.user("902", Role.CHANNEL_MANAGER, username="wang.channel")
    shown = texts(await w.say("902", f"{derun.code}最近怎么样"))
    assert "杭州德润电器有限公司" in shown


def test_close_words_are_a_closing_step() -> None:
    from core.quality import CorrectiveStatus
    from nlu.record_notes import quality_step_said

    for text in ("结案", "可以结案了", "关闭"):
        said = quality_step_said(text)
        assert said is not None and said.status == CorrectiveStatus.DONE and said.close, text


async def test_close_typed_under_a_quality_report_closes_it() -> None:
    from core.quality import CorrectiveStatus, QualityFeedback

    w = ChatWorld()
    await w.catalogue()
    dealer = await w.dealer(name="上海华信电器有限公司")
    assert dealer.id is not None
    await w.uow.quality.add(QualityFeedback(number="QF-20261126-0001", dealer_id=dealer.id, sku="DH20",
                                            defect_category="功能", count=3, description="水位传感器误报",
                                            corrective_status=CorrectiveStatus.ACTION_PLANNED,
                                            corrective_note="供应商换传感器", created_at=w.clock.now()))
    await w.uow.commit()
    await w.user("901", Role.QUALITY, username="zhao.quality")
    await w.say("901", "QF-20261126-0001")
    done = texts(await w.say("901", "结案"))
    assert "已改为“已完成整改”" in done, done
    stored = await w.uow.quality.get_by(number="QF-20261126-0001")
    assert stored is not None and stored.corrective_status == CorrectiveStatus.DONE


def test_words_starting_with_close_but_naming_something_else_close_nothing() -> None:
    from nlu.record_notes import quality_step_said

    assert quality_step_said("关闭通知") is None
    assert quality_step_said("结案了吗") is None
