"""The dealer hears what happens to its business without asking: staff decide an order or work on a ticket (the
use cases, as any channel reaches them), the outbox worker pushes it through the Telegram stand-in to the
dealer's chat, in the language that chat chose, and to no other dealer.

The ticket's resolution asks the dealer "问题解决了吗？": 已解决 closes it, 还没解决 reopens it with the dealer's
words on the ticket.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest_asyncio

from core.aftersales import TicketStatus
from core.services import aftersales, orders
from core.users import Actor, Role, User
from tests.e2e.telegram_standin import (
    BotWorld,
    TelegramStandIn,
    add_dealer,
    invite,
    seed_catalogue,
    start_bot,
)

ZH_DEALER, EN_DEALER = 1101, 1102
PUSH_SECONDS = 10.0


@pytest_asyncio.fixture
async def world(tmp_path: Path) -> AsyncIterator[BotWorld]:
    async with TelegramStandIn() as standin:
        w = await start_bot(tmp_path, standin)
        try:
            await seed_catalogue(w)
            yield w
        finally:
            await w.stop()


async def bind(world: BotWorld, chat: int, code: str, name: str) -> tuple[int, Actor]:
    """A dealer bound on ``chat`` through its invite code: its id and its user as an actor."""
    dealer_id = await add_dealer(world, code, name)
    replies = await world.say(chat, f"/start {await invite(world, dealer=code)}")
    assert "绑定成功" in replies[0].text
    async with world.uow() as uow:
        [identity] = await uow.identities.list(channel="telegram", external_id=str(chat))
        user = await uow.users.get(identity.user_id)
    return dealer_id, user.to_actor()


async def staff(world: BotWorld, username: str, role: Role) -> Actor:
    async with world.uow() as uow:
        user = await uow.users.add(User(username=username, display_name=username.split(".")[0].title(), role=role))
        await uow.commit()
    return user.to_actor()


async def heard(world: BotWorld, chat: int, since: int, *needles: str) -> str:
    """Wait for pushes to ``chat`` (after message ``since``) that say every one of ``needles``."""
    s = world.standin
    await s.wait_for(lambda: all(n in s.texts(chat, since) for n in needles), PUSH_SECONDS,
                     f"{needles} pushed to chat {chat}")
    return s.texts(chat, since)


async def order_of(world: BotWorld, actor: Actor, dealer_id: int) -> str:
    order = await orders.submit_order(world.uow(), actor, orders.SubmitOrder(dealer_id=dealer_id,
                                                                              items=[("AP300", 2)]), world.app.clock)
    return order.number


async def test_order_pushes_reach_their_own_dealer_in_its_language(world: BotWorld) -> None:
    s, clock = world.standin, world.app.clock
    zh_id, zh_actor = await bind(world, ZH_DEALER, "D0001", "杭州华信电器有限公司")
    en_id, en_actor = await bind(world, EN_DEALER, "D0002", "宁波海川贸易有限公司")
    await world.say(EN_DEALER, "/lang en")
    desk = await staff(world, "zhang.desk", Role.ORDER_DESK)
    en_order, zh_order = await order_of(world, en_actor, en_id), await order_of(world, zh_actor, zh_id)
    zh_seen, en_seen = s.count(ZH_DEALER), s.count(EN_DEALER)

    # approved: the English dealer reads English, about its own order
    await orders.approve_order(world.uow(), desk, orders.ApproveOrder(number=en_order), clock)
    said = await heard(world, EN_DEALER, en_seen, en_order, "has been approved")
    assert "审核" not in said
    # shipped, with the carrier and the tracking number
    await orders.allocate_order(world.uow(), desk, orders.AllocateOrder(number=en_order), clock)
    await orders.ship_order(world.uow(), desk, orders.ShipOrder(number=en_order, carrier="顺丰",
                                                                tracking_no="SF1234567890"), clock)
    said = await heard(world, EN_DEALER, en_seen, "has shipped", "SF Express", "SF1234567890")

    # the Chinese dealer: approved, then cancelled by staff, with the reason
    await orders.approve_order(world.uow(), desk, orders.ApproveOrder(number=zh_order), clock)
    await heard(world, ZH_DEALER, zh_seen, zh_order, "已审核通过")
    await orders.cancel_order(world.uow(), desk, orders.CancelOrder(number=zh_order, reason="型号停产"), clock)
    said = await heard(world, ZH_DEALER, zh_seen, "已由厂家取消", "型号停产")
    # neither dealer heard of the other's order
    assert en_order not in s.texts(ZH_DEALER) and zh_order not in s.texts(EN_DEALER)


async def ticket_of(world: BotWorld, actor: Actor, dealer_id: int, text: str = "客户家的除湿机不出水") -> str:
    ticket = await aftersales.create_ticket(world.uow(), actor, aftersales.CreateTicket(
        dealer_id=dealer_id, description=text, sku="DH20"), world.app.clock)
    return ticket.number


async def audit_actions(world: BotWorld, number: str) -> list[str]:
    async with world.uow() as uow:
        entries = await uow.audit.list(entity="ticket", entity_id=number, order_by="id")
    return [e.action for e in entries]


async def test_ticket_steps_reach_the_dealer_and_the_resolution_waits_for_its_word(world: BotWorld) -> None:
    s, clock = world.standin, world.app.clock
    dealer_id, dealer = await bind(world, ZH_DEALER, "D0001", "杭州华信电器有限公司")
    other_id, other = await bind(world, EN_DEALER, "D0002", "宁波海川贸易有限公司")
    li = await staff(world, "li.aftersales", Role.AFTER_SALES)
    await staff(world, "chen.aftersales", Role.AFTER_SALES)
    number = await ticket_of(world, dealer, dealer_id)
    seen = s.count(ZH_DEALER)

    await aftersales.accept_ticket(world.uow(), li, number, clock)
    await heard(world, ZH_DEALER, seen, number, "已受理")
    await aftersales.assign_ticket(world.uow(), li, number, "chen.aftersales", clock)
    await heard(world, ZH_DEALER, seen, "已安排", "Chen")
    await aftersales.request_info(world.uow(), li, number, "请拍一下铭牌", clock)
    await heard(world, ZH_DEALER, seen, "请拍一下铭牌")
    await aftersales.resolve_ticket(world.uow(), li, number, "更换了排水泵", clock)
    await heard(world, ZH_DEALER, seen, "更换了排水泵", "问题解决了吗")
    asked = s.with_button(ZH_DEALER, "已解决")
    assert number in asked.text and "还没解决" in " ".join(asked.labels)
    assert "D0001" not in s.texts(EN_DEALER) and number not in s.texts(EN_DEALER)

    # 已解决: closed by the dealer's word, audited
    done = await world.press(ZH_DEALER, "已解决", message=asked)
    assert "已关闭" in "\n".join(m.text for m in done)
    async with world.uow() as uow:
        ticket = await uow.tickets.get_by(number=number)
    assert ticket.status == TicketStatus.CLOSED
    assert "ticket.confirm" in await audit_actions(world, number)

    # 还没解决 on another ticket: the dealer's words go on the ticket, which is worked on again
    second = await ticket_of(world, dealer, dealer_id, "另一台除湿机噪音大")
    await aftersales.resolve_ticket(world.uow(), li, second, "紧固了风扇", clock)
    await heard(world, ZH_DEALER, seen, "紧固了风扇")
    asked = s.with_button(ZH_DEALER, "还没解决")
    assert second in asked.text
    await world.press(ZH_DEALER, "还没解决", message=asked)
    await world.say(ZH_DEALER, "还是很响，晚上吵得睡不着")
    async with world.uow() as uow:
        ticket = await uow.tickets.get_by(number=second)
    assert ticket.status == TicketStatus.IN_PROGRESS
    assert any("晚上吵得睡不着" in c.text for c in ticket.comments)
    assert "ticket.reopen" in await audit_actions(world, second)

    # another dealer cannot close the first dealer's ticket with a forged press
    third = await ticket_of(world, dealer, dealer_id, "第三台不制冷")
    await aftersales.resolve_ticket(world.uow(), li, third, "补了冷媒", clock)
    await heard(world, ZH_DEALER, seen, "补了冷媒")
    forged = s.with_button(ZH_DEALER, "已解决")
    await s.press(EN_DEALER, forged, forged.button("已解决"))
    await world.settle()
    async with world.uow() as uow:
        ticket = await uow.tickets.get_by(number=third)
    assert ticket.status == TicketStatus.RESOLVED
    _: Any = (other_id, other)
