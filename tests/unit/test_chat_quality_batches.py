"""Quality staff asking about one production batch ("B2411-07这批还有谁报过"): every quality report naming that
batch, with its dealer, product, day and status (was: the 90-day figures of every batch), and the plain note that
shipments record no batch."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.quality import CorrectiveStatus, QualityFeedback
from core.users import Role
from nlu.defects import batch_asked
from tests.chat import ChatWorld, buttons, texts

OWNER, QUALITY, MANAGEMENT = "101", "303", "305"


async def _world() -> ChatWorld:
    w = ChatWorld()
    await w.catalogue()
    d1 = await w.dealer(name="上海德润商贸有限公司")
    d2 = await w.dealer(name="杭州嘉禾家电有限公司")
    await w.user(OWNER, Role.DEALER_OWNER, d1)
    await w.user(QUALITY, Role.QUALITY, username="quality")
    await w.user(MANAGEMENT, Role.MANAGEMENT, username="management")
    now = w.clock.now()
    for number, dealer, sku, batch, count, days, status in (
            ("QF-20261120-0001", d1, "DH20", "B2411-07", 3, 17, CorrectiveStatus.INVESTIGATING),
            ("QF-20261201-0002", d2, "DH20", "b2411 07", 5, 6, CorrectiveStatus.NEW),
            ("QF-20261202-0003", d2, "AP300", "B2411-08", 2, 5, CorrectiveStatus.NEW),
            ("QF-20261203-0004", d1, "AP300", None, 1, 4, CorrectiveStatus.NEW)):
        assert dealer.id is not None
        await w.uow.quality.add(QualityFeedback(number=number, dealer_id=dealer.id, sku=sku, defect_category="功能",
                                                count=count, batch=batch, corrective_status=status,
                                                created_at=now - timedelta(days=days)))
    await w.uow.commit()
    return w


async def test_who_else_reported_a_batch_lists_every_report_naming_it() -> None:
    w = await _world()
    replies = await w.say(QUALITY, "B2411-07这批还有谁报过")
    said = texts(replies)
    assert "批次 B2411-07：2 条质量反馈，2 家经销商，共 8 台" in said, said
    assert "QF-20261120-0001" in said and "上海德润商贸有限公司" in said and "调查中" in said
    assert "QF-20261201-0002" in said and "杭州嘉禾家电有限公司" in said and "DH20" in said
    assert "QF-20261202-0003" not in said and "QF-20261203-0004" not in said      # another batch, none
    assert "发货单不记录生产批次" in said
    assert "质量反馈统计" not in said
    assert any("QF-20261201-0002" in label for label in buttons(replies))


async def test_a_batch_no_report_names_says_so_and_that_shipments_record_none() -> None:
    w = await _world()
    said = texts(await w.say(QUALITY, "B2412-01这批还有谁报过"))
    assert "没有质量反馈填写过批次 B2412-01" in said and "发货单不记录生产批次" in said, said


async def test_management_reads_the_batch_reports_without_the_handling_buttons() -> None:
    w = await _world()
    replies = await w.say(MANAGEMENT, "批次B2411-07有哪些反馈")
    assert "2 条质量反馈" in texts(replies) and not buttons(replies)


async def test_a_dealer_asking_about_a_batch_sees_no_other_dealers_reports() -> None:
    w = await _world()
    said = texts(await w.say(OWNER, "B2411-07这批还有谁报过"))
    assert "杭州嘉禾" not in said and "QF-20261201-0002" not in said


@pytest.mark.parametrize(("text", "batch"), [
    ("B2411-07这批还有谁报过", "B2411-07"), ("批次B2611-04有哪些反馈", "B2611-04"),
    ("who else reported batch B2611-04", "B2611-04"), ("b2611-04 这批都谁报过", "B2611-04"),
    ("B2611-04", None), ("B2412批次起全检，已通知供应商", None), ("AP300这批还有谁报过", None), ("SO-20261204-0001 谁报的", None), ("D0012的情况", None),
])
def test_a_batch_question_names_its_batch(text: str, batch: str | None) -> None:
    assert batch_asked(text) == batch
