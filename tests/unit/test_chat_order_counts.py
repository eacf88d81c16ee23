"""How many orders, asked in words: "今天一共发了几单货", "这周下了多少单" (issue 13's staff day): a count of the
orders placed in the days said by status, and of those shipped then, over what the asker may read."""

from __future__ import annotations

from datetime import date

import pytest

from core.services.order_counts import order_counts
from core.services.orders import RejectOrder, reject_order
from core.users import Role
from nlu.offline import OfflineParser
from tests.chat import ChatWorld, texts
from tests.factories import dealer_user, staff

DEALER_CHAT, OTHER_CHAT, DESK_CHAT = "100", "200", "900"


async def world() -> ChatWorld:
    w = ChatWorld()
    await w.catalogue()
    dealer = await w.dealer(name="上海华信电器有限公司")
    other = await w.dealer(name="杭州海川商贸")
    for d, chat in ((dealer, DEALER_CHAT), (other, OTHER_CHAT)):
        await w.prepay(d)
        await w.user(chat, Role.DEALER_OWNER, d)
    await w.user(DESK_CHAT, Role.ORDER_DESK, username="desk")
    await w.order(dealer, [("AP300", 2)], to="shipped")
    await w.order(dealer, [("F300", 5)])
    await w.order(other, [("DH20", 1)], to="cancelled")
    return w


@pytest.mark.parametrize("text", ["今天一共发了几单货", "今天有多少订单", "今天下了几单", "how many orders today"])
async def test_the_order_desk_gets_a_count_not_a_list_to_pick_from(text: str) -> None:
    w = await world()
    said = texts(await w.say(DESK_CHAT, text))
    assert "下单 3 笔" in said or "3 orders placed" in said, said
    assert "发货 1 笔" in said or "1 shipped" in said
    assert "¥5,493.00" in said            # 3,998 + 1,495: the cancelled order's amount left out
    assert "请选择" not in said


async def test_a_dealer_counts_its_own_orders_only() -> None:
    w = await world()
    said = texts(await w.say(DEALER_CHAT, "今天我下了几单"))
    assert "下单 2 笔" in said and "发货 1 笔" in said and "已发货 1" in said and "已提交 1" in said
    other = texts(await w.say(OTHER_CHAT, "今天下了几单"))
    assert "下单 1 笔" in other and "已取消 1" in other and "金额 ¥0.00" in other and "发货 0 笔" in other


async def test_the_counts_come_from_the_days_asked_for() -> None:
    w = await world()
    desk = dealer_user(1)
    assert (await order_counts(w.uow, desk, w.clock, date(2026, 11, 25))).placed == 0   # the day before
    week = await order_counts(w.uow, desk, w.clock, date(2026, 11, 23), date(2026, 11, 29))
    assert (week.placed, week.shipped) == (2, 1)        # a dealer's user reads its own dealer's orders only


@pytest.mark.parametrize(("text", "topic"), [
    ("今天一共发了几单货", "count"), ("这周下了多少单", "count"), ("本月订单量", "count"),
    ("上个月卖了多少单", None), ("我的订单到哪了", None), ("SO-20261126-0001 发了吗", None),
])
def test_the_parser_marks_a_count_of_orders(text: str, topic: str | None) -> None:
    parsed = OfflineParser().parse_sync(text, catalogue=[], today=date(2026, 11, 26))
    assert parsed.slots.topic == topic
    if topic:
        assert parsed.slots.placed_from is not None


async def test_the_order_desk_asks_how_many_it_decided_and_how_many_wait_to_ship() -> None:
    """QA s25 #12: "这周审了多少单" counts the approvals and rejections of those days, "待发货有几单" the orders approved
    and not shipped yet (was: the orders placed that day, by status)."""
    w = await world()
    dealer = (await w.uow.dealers.list())[0]
    await w.order(dealer, [("AP300", 1)], to="approved")
    await w.order(dealer, [("AP300", 2)], to="allocated")
    rejected = await w.order(dealer, [("F300", 1)])
    await reject_order(w.uow, staff(Role.ADMIN, name="admin"), RejectOrder(number=rejected.number, reason="重复"),
                       w.clock)
    decided = texts(await w.say(DESK_CHAT, "这周审了多少单"))
    assert "审了 4 单（通过 3 · 驳回 1）" in decided, decided          # the shipped one was approved today too
    waiting = texts(await w.say(DESK_CHAT, "待发货有几单"))
    assert "已审核未发货 2 单" in waiting and "已审核 1" in waiting and "已配货 1" in waiting, waiting
    assert "下单" not in waiting
    mine = texts(await w.say(OTHER_CHAT, "待发货有几单"))                 # a dealer counts its own only
    assert "已审核未发货 0 单" in mine


@pytest.mark.parametrize(("text", "counted"), [
    ("这周审了多少单", "decided"), ("今天审核通过了几单", "decided"), ("待发货有几单", "waiting_shipment"),
    ("待配货的有几单", "waiting_allocation"), ("今天一共发了几单货", None), ("这周下了多少单", None),
])
def test_the_parser_says_what_is_counted(text: str, counted: str | None) -> None:
    parsed = OfflineParser().parse_sync(text, catalogue=[], today=date(2026, 11, 26))
    assert parsed.slots.topic == "count" and parsed.slots.counted == counted


@pytest.mark.parametrize(("orders_said", "tickets_said", "label"), [
    ("今天下了几单", "今天新增几个工单", "📊 2026-11-26"),
    ("上个月下了多少单", "上个月新增几个工单", "📊 2026-10-01 至 2026-10-31"),
])
async def test_orders_and_tickets_counted_over_the_same_words_name_the_same_days(
        orders_said: str, tickets_said: str, label: str) -> None:
    """One label for the days counted (was: "10-01～10-31" for the orders, "2026-10-01 至 2026-10-31" for the
    tickets, over the same words)."""
    w = await world()
    await w.user("700", Role.AFTER_SALES, username="service")
    orders = texts(await w.say(DESK_CHAT, orders_said))
    tickets = texts(await w.say("700", tickets_said))
    assert orders.startswith(label), orders
    assert tickets.startswith(label), tickets
