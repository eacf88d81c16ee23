"""A staff member asking how a dealer is doing by its name ("德润最近怎么样了"): that dealer's overview for what the
person's role may see, which dealer asked back when the name fits several (was: read as a ticket status question,
"这句话像是经销商自己账户里的操作")."""

from __future__ import annotations

import pytest

from core.aftersales import Ticket
from core.users import Role
from nlu.dealer_asked import dealer_asked_about
from tests.chat import ChatWorld, buttons, texts


@pytest.mark.parametrize(("text", "who"), [("德润最近怎么样了", "德润"), ("德润那边最近咋样", "德润"),
                                           ("金鼎这阵子情况如何？", "金鼎"), ("看看德润最近怎么样", "德润")])
def test_the_dealer_asked_about(text: str, who: str) -> None:
    assert dealer_asked_about(text) == who


@pytest.mark.parametrize("text", ["工单怎么样了", "我反馈的问题最近怎么样了", "AP300怎么样", "最近怎么样",
                                  "订单最近怎么样了", "我们最近怎么样"])
def test_no_dealer_asked_about(text: str) -> None:
    assert dealer_asked_about(text) is None


async def _world() -> ChatWorld:
    w = ChatWorld()
    await w.catalogue()
    derun = await w.dealer(name="杭州德润电器有限公司")
    await w.dealer(name="南京金鼎商贸有限公司")
    assert derun.id is not None
    await w.uow.tickets.add(Ticket(number="AS-20261125-0001", dealer_id=derun.id, description="不出水",
                                   created_at=w.clock.now()))
    await w.uow.commit()
    await w.user("900", Role.AFTER_SALES, username="li.aftersales")
    await w.user("901", Role.QUALITY, username="zhao.quality")
    await w.user("902", Role.CHANNEL_MANAGER, username="wang.channel")
    return w


@pytest.mark.parametrize("chat", ["900", "901"])
async def test_after_sales_and_quality_get_the_dealer_s_overview(chat: str) -> None:
    w = await _world()
    shown = texts(await w.say(chat, "德润最近怎么样了"))
    assert "经销商自己账户" not in shown
    assert "杭州德润电器有限公司" in shown and "售后工单" in shown and "1" in shown


async def test_the_channel_manager_gets_the_dealer_s_figures() -> None:
    w = await _world()
    shown = texts(await w.say("902", "德润最近怎么样了"))
    assert "经销商自己账户" not in shown and "杭州德润电器有限公司" in shown


async def test_several_dealers_of_the_name_are_asked_back() -> None:
    w = await _world()
    await w.dealer(name="德润商贸（苏州）有限公司")
    replies = await w.say("900", "德润最近怎么样了")
    assert "多家" in texts(replies) or "哪" in texts(replies)
    labels = " ".join(buttons(replies))
    assert "杭州德润电器有限公司" in labels and "德润商贸（苏州）有限公司" in labels
