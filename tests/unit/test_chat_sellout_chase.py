"""A channel manager chasing sell-out reports in chat: "哪几家还没报动销" lists the active dealers with no sell-out in
the period, and 📣 reminds them (was: the month's sell-out overview, with no way to tell who had not reported)."""

from __future__ import annotations

import pytest

from core.dealers import DealerStatus
from core.users import Role
from handlers.router import payload
from notifications.templates import render
from tests.chat import ChatWorld, buttons, texts
from tests.factories import make_dealer, make_uscc, seed_report_data


async def world() -> tuple[ChatWorld, dict[str, int]]:
    w = ChatWorld()
    await seed_report_data(w.uow)          # RPT-D1 and RPT-D2 sold in November (today 2026-11-26); D2 in October
    async with w.uow:
        quiet = await w.uow.dealers.add(make_dealer(code="RPT-D3", name="杭州安居家电", region="华东",
                                                    uscc=make_uscc(51000003)))
        await w.uow.dealers.add(make_dealer(code="RPT-D4", name="已停业商行", region="华东", status=DealerStatus.SUSPENDED,
                                            uscc=make_uscc(51000004)))
        await w.uow.commit()
    await w.user("wang", Role.CHANNEL_MANAGER)
    d1 = await w.uow.dealers.get_by(code="RPT-D1")
    users = {"d3": await w.user("d3", Role.DEALER_OWNER, quiet), "d1": await w.user("d1", Role.DEALER_OWNER, d1)}
    return w, {k: u.id for k, u in users.items() if u.id is not None}


@pytest.mark.parametrize("said", ["哪几家还没报动销", "谁还没上报销量", "没报动销的经销商有哪些",
                                  "which dealers haven't reported"])
async def test_the_dealers_not_reported_this_month_are_listed(said: str) -> None:
    w, users = await world()
    replies = await w.say("wang", said)
    text = texts(replies)
    assert "RPT-D3 杭州安居家电" in text
    assert "RPT-D1" not in text and "RPT-D2" not in text        # they reported
    assert "RPT-D4" not in text                                 # not active
    assert "1" in text.splitlines()[0] and "3" in text.splitlines()[0]      # 1 of 3 active
    assert any(p.startswith("1|sc.remind|") for p in buttons(replies).values())


async def test_last_month_and_a_region_are_their_own_lists() -> None:
    w, users = await world()
    text = texts(await w.say("wang", "上个月哪些经销商没报动销"))
    assert "10-01 至 10-31" in text and "RPT-D1" in text and "RPT-D3" in text and "RPT-D2" not in text
    text = texts(await w.say("wang", "华北哪几家还没报动销"))
    assert "所有在营经销商都已上报动销" in text and "RPT-D3" not in text


async def test_the_reminder_goes_to_the_silent_dealers_once_a_day() -> None:
    w, users = await world()
    replies = await w.say("wang", "哪几家还没报动销")
    remind = next(p for p in buttons(replies).values() if p.startswith("1|sc.remind|"))
    assert "已提醒 1 家经销商" in texts(await w.press("wang", remind))
    pushed = await w.uow.outbox.list(kind="sellout.reminder")
    assert [m.user_id for m in pushed] == [users["d3"]]
    shown = render(pushed[0].kind, pushed[0].params, "zh")
    assert "请上报 2026-11-01 至 2026-11-26 的销量" in shown.text
    assert [b.payload for row in shown.buttons for b in row] == [payload("so.new")]
    assert "没有需要提醒的经销商" in texts(await w.press("wang", remind))       # the second press tells nobody twice
    assert len(await w.uow.outbox.list(kind="sellout.reminder")) == 1
    audit = await w.uow.audit.list(action="sellout.remind")
    assert audit and audit[0].after["dealers"] == ["RPT-D3"]


async def test_a_dealer_can_neither_see_the_list_nor_remind() -> None:
    w, users = await world()
    text = texts(await w.say("d1", "哪几家还没报动销"))
    assert "RPT-D3" not in text and "杭州安居" not in text
    assert "没有权限" in texts(await w.press("d1", payload("sc.remind", "month", "")))
    assert await w.uow.outbox.list(kind="sellout.reminder") == []


@pytest.mark.parametrize(("said", "shown"), [
    ("我在区域里排第几", "🏅 本月（11-01 至 11-26）您的动销 ¥7,596.00，在华东 2 家经销商中排第 1。"),
    ("where do I rank in my region", "🏅 this month (11-01 to 11-26): your sell-out is ¥7,596.00, number 1 of 2 dealers "
                                     "in 华东."),
])
async def test_a_dealer_asking_its_place_gets_its_place_only(said: str, shown: str) -> None:
    """(was: the contract's profile, or the regions its goods were sold in): its own place among the active dealers
    of its region (RPT-D3 sold nothing, the suspended RPT-D4 is not counted, RPT-D2 is in 华北); no other dealer named"""
    w, _ = await world()
    replies = await w.say("d1", said)
    text = texts(replies)
    assert text.startswith(shown)
    assert "RPT-D3" not in text and "安居" not in text and "RPT-D2" not in text
    assert buttons(replies)[("📈 销量上报" if "本月" in shown else "📈 Report sales")] == payload("so.new")


@pytest.mark.parametrize("said", ["我们区我排老几", "这个月我排多少名"])
async def test_a_dealer_asking_its_place_in_other_words(said: str) -> None:
    w, _ = await world()
    assert texts(await w.say("d1", said)).startswith("🏅 本月（11-01 至 11-26）您的动销 ¥7,596.00，在华东 2 家经销商中排第 1。")


async def test_a_dealer_that_sold_nothing_is_told_to_report() -> None:
    w, _ = await world()
    text = texts(await w.say("d3", "我排第几"))
    assert "您还没有上报动销" in text and "第 2" in text and "RPT-D1" not in text and "恒信" not in text
