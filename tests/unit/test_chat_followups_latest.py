"""A dealer asking after its latest repair without the problem's words ("上次报修的那台修好了没"): that ticket (was:
"没有找到与您说的相符的工单或反馈" and the whole list)."""

from __future__ import annotations

from datetime import timedelta

from core.aftersales import Ticket, TicketStatus
from core.quality import QualityFeedback
from core.users import Role
from nlu.latest_asked import latest_asked
from tests.chat import ChatWorld, texts


def test_the_kind_asked() -> None:
    assert latest_asked("上次报修的那台修好了没") == "ticket"
    assert latest_asked("上回反馈的那个问题怎么样了") == "quality"
    assert latest_asked("我的工单") is None and latest_asked("外壳开裂的怎么样了") is None


async def test_the_latest_repair_is_shown() -> None:
    w = ChatWorld()
    await w.catalogue()
    dealer = await w.dealer(name="上海华信电器有限公司")
    assert dealer.id is not None
    await w.user("100", Role.DEALER_OWNER, dealer)
    now = w.clock.now()
    await w.uow.tickets.add(Ticket(number="AS-20261120-0001", dealer_id=dealer.id, description="滤网异味",
                                   status=TicketStatus.CLOSED, created_at=now - timedelta(days=6)))
    await w.uow.tickets.add(Ticket(number="AS-20261125-0002", dealer_id=dealer.id, description="机器嗡嗡响就是不出风",
                                   status=TicketStatus.RESOLVED, resolution="换了风扇电机",
                                   created_at=now - timedelta(days=1)))
    await w.uow.quality.add(QualityFeedback(number="QF-20261125-0001", dealer_id=dealer.id, sku="DH20",
                                            defect_category="appearance", count=5, description="外壳裂了",
                                            created_at=now))
    await w.uow.commit()
    shown = texts(await w.say("100", "上次报修的那台修好了没"))
    assert "没有找到" not in shown and "AS-20261125-0002" in shown and "换了风扇电机" in shown
