"""Whole journeys through Telegram (polling against the local Bot API stand-in), on a migrated SQLite file,
with everything built by ``bot.bootstrap``: what the users see in their chats and what lands in the database.

A step that needs a chat flow still being written is marked xfail (not strict) with the reason.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
import pytest_asyncio

from core.orders import OrderStatus
from core.outbox import OutboxStatus
from core.users import Role
from tests.e2e.telegram_standin import (
    BotWorld,
    TelegramStandIn,
    add_dealer,
    invite,
    orders_of,
    seed_catalogue,
    start_bot,
)

DEALER, STAFF, OTHER_DEALER, STRANGER = 1001, 2001, 1002, 3001
ORDER_NO = re.compile(r"SO-\d{8}-\d{4}")
PUSH_SECONDS = 3.0


@pytest_asyncio.fixture
async def world(tmp_path: Path) -> AsyncIterator[BotWorld]:
    async with TelegramStandIn() as standin:
        w = await start_bot(tmp_path, standin)
        try:
            await seed_catalogue(w)
            yield w
        finally:
            await w.stop()


def needs_flow(world: BotWorld, *actions: str, reason: str) -> None:
    """xfail the rest of the test when the chat flow for ``actions`` is not registered yet."""
    router = world.app.conversation().router
    missing = [a for a in actions if a not in router.buttons]
    if missing:
        pytest.xfail(f"chat flow not implemented yet ({reason}): {missing}")


async def pushed(world: BotWorld, arrived: Callable[[], bool], what: str, undelivered: list[str]) -> bool:
    """Wait a little for a push to another chat. Pushes are queued in the durable outbox by the use
    cases and sent by the outbox worker; when it is queued but not sent, note it (the test ends as
    xfail) and go on, else fail."""
    try:
        await world.standin.wait_for(arrived, PUSH_SECONDS, what)
        return True
    except AssertionError:
        async with world.uow() as uow:
            queued = await uow.outbox.count(status__in=[OutboxStatus.PENDING, OutboxStatus.FAILED])
        if not queued:
            raise
        undelivered.append(what)
        return False


async def bound_dealer(world: BotWorld, chat: int = DEALER, code: str = "D0001",
                       name: str = "杭州华信电器有限公司") -> int:
    dealer_id = await add_dealer(world, code, name)
    replies = await world.say(chat, f"/start {await invite(world, dealer=code)}")
    assert "绑定成功" in replies[0].text and name in replies[0].text
    return dealer_id


async def submitted_order(world: BotWorld, chat: int = DEALER) -> str:
    needs_flow(world, "order.confirm", reason="ordering")
    summary = await world.say(chat, "AP300 来两台，F300 3箱")
    assert any("确认下单" in label for m in summary for label in m.labels), [m.text for m in summary]
    done = await world.press(chat, "确认下单")
    match = ORDER_NO.search("\n".join(m.text for m in done))
    assert match, [m.text for m in done]
    return match.group(0)


async def test_bind_order_approve_ship_and_receive(world: BotWorld) -> None:
    s = world.standin
    dealer_id = await bound_dealer(world)
    assert "🛒 下单" in s.last(DEALER).labels                     # the dealer menu came with the binding
    staff_code = await invite(world, staff=("zhang.desk", Role.ORDER_DESK))
    assert "绑定成功" in (await world.say(STAFF, f"/start {staff_code}"))[0].text

    # free text with two products -> the summary with prices -> confirm
    needs_flow(world, "order.confirm", reason="ordering")
    summary = "\n".join(m.text for m in await world.say(DEALER, "AP300 来两台，F300 3箱"))
    assert "AP300" in summary and "F300" in summary and "¥4,895.00" in summary
    confirmed = await world.press(DEALER, "确认下单")
    number = ORDER_NO.search("\n".join(m.text for m in confirmed)).group(0)  # type: ignore[union-attr]
    [order] = await orders_of(world, dealer_id)
    assert order.number == number and order.status == OrderStatus.SUBMITTED
    assert sorted((ln.sku, ln.qty) for ln in order.lines) == [("AP300", 2), ("F300", 3)]

    # the order desk is asked to approve: the prompt is pushed to its chat (through the outbox worker);
    # where that does not run here yet, the desk opens /approvals, which shows the same prompt
    needs_flow(world, "staff.order.approve", "staff.alloc", "staff.ship", reason="staff side")
    undelivered: list[str] = []
    if not await pushed(world, lambda: any("通过" in label for m in s.sent(STAFF) for label in m.labels),
                        "the approval prompt to staff", undelivered):
        await world.say(STAFF, "/approvals")
    prompt = s.with_button(STAFF, "通过")
    assert number in prompt.text
    dealer_seen = s.count(DEALER)
    await world.press(STAFF, "通过", message=prompt, edit=True, at_least=0)
    assert prompt.edits, "the approval prompt is edited in place"
    assert "已审核通过" in prompt.text and number in prompt.text
    if await pushed(world, lambda: s.count(DEALER) > dealer_seen, "the approval notice to the dealer", undelivered):
        assert "审核通过" in s.texts(DEALER, dealer_seen)

    # allocate automatically, ship with SF Express and a tracking number
    await world.press(STAFF, "配货", message=prompt)
    await world.press(STAFF, "自动", edit=True, at_least=0)
    await world.press(STAFF, "发货")
    await world.press(STAFF, "顺丰")
    dealer_seen = s.count(DEALER)
    await world.say(STAFF, "SF1234567890", edit=True, at_least=0)
    if await pushed(world, lambda: "SF1234567890" in s.texts(DEALER, dealer_seen), "the shipping notice",
                    undelivered):
        assert "顺丰" in s.texts(DEALER, dealer_seen)
    [order] = await orders_of(world, dealer_id)
    assert order.status == OrderStatus.SHIPPED and order.tracking_no == "SF1234567890"

    # the dealer opens the order and confirms receipt
    needs_flow(world, "orders.list", reason="dealer order list")
    await world.say(DEALER, "/orders")
    await world.press(DEALER, number)
    await world.press(DEALER, "全部收到")
    assert "已确认收货" in s.texts(DEALER, s.count(DEALER) - 2)
    [order] = await orders_of(world, dealer_id)
    assert order.status == OrderStatus.RECEIVED
    if undelivered:
        pytest.xfail(f"queued in the outbox but not delivered (no outbox worker runs with `dms run` yet): "
                     f"{', '.join(undelivered)}")


async def test_after_sales_ticket_with_two_photos_stores_the_files(world: BotWorld) -> None:
    s = world.standin
    dealer_id = await bound_dealer(world)
    needs_flow(world, "as.new", reason="after-sales")
    first = b"\xff\xd8\xff\xe0" + b"first photo: water tank" * 50
    second = b"\xff\xd8\xff\xe0" + b"second photo: drain pipe" * 50

    replies = await world.say(DEALER, "客户家的除湿机不出水")
    assert "序列号" in replies[-1].text                       # the product was recognised, the form goes on
    await world.press(DEALER, "跳过")
    await world.say(DEALER, "王先生")
    await world.say(DEALER, "13800138000")
    await world.say(DEALER, "浦东新区张江路88号")
    await world.press(DEALER, "使用此描述")
    await s.send_photo(DEALER, first, media_group_id="album-1")
    await s.send_photo(DEALER, second, media_group_id="album-1")
    await s.wait_for(lambda: "已收到 2 张照片" in s.texts(DEALER), 10, "both photos acknowledged")
    await world.press(DEALER, "完成")
    await world.press(DEALER, "普通")
    summary = s.last(DEALER).text
    assert "照片：2 张" in summary and "不出水" in summary
    created = await world.press(DEALER, "确认提交")
    assert "工单已创建：AS-" in "\n".join(m.text for m in created)

    # the two large sizes were fetched through getFile and stored, content-addressed, under DATA_DIR/files
    assert len([p for p in s.downloads if p.startswith("photos/file_")]) == 2
    assert not [p for p in s.downloads if "thumb" in p]
    async with world.uow() as uow:
        [ticket] = await uow.tickets.list(dealer_id=dealer_id)
    assert len(ticket.photos) == 2 and ticket.address == "浦东新区张江路88号"     # decrypted as it was typed
    stored = {await world.app.files().get(key) for key in ticket.photos}
    assert stored == {first, second}


async def test_cancel_leaves_the_cart_and_cancels_an_order(world: BotWorld) -> None:
    dealer_id = await bound_dealer(world)
    needs_flow(world, "order.confirm", reason="ordering")
    await world.say(DEALER, "AP300 来两台")
    cancelled = await world.say(DEALER, "/cancel")
    assert "取消" in cancelled[0].text
    async with world.uow() as uow:
        dialog = await uow.dialogs.get_by(channel="telegram", chat_id=str(DEALER))
    assert dialog is not None and dialog.state == ""
    assert await orders_of(world, dealer_id) == []

    number = await submitted_order(world)
    needs_flow(world, "orders.list", reason="dealer order list")
    await world.say(DEALER, "/orders")
    await world.press(DEALER, number)
    await world.press(DEALER, "取消订单")
    done = await world.press(DEALER, "确认取消")
    assert f"订单 {number} 已取消" in "\n".join(m.text for m in done)
    [order] = await orders_of(world, dealer_id)
    assert order.status == OrderStatus.CANCELLED


async def test_unbound_user_who_orders_is_asked_to_bind(world: BotWorld) -> None:
    await add_dealer(world, "D0001", "杭州华信电器有限公司")
    replies = await world.say(STRANGER, "AP300 来两台")
    text = "\n".join(m.text for m in replies)
    assert "绑定" in text
    assert all("确认下单" not in label for m in replies for label in m.labels)
    # the "share my phone" button is a reply keyboard that shares the sender's own contact
    assert any(m.contact_button for m in world.standin.sent(STRANGER))
    async with world.uow() as uow:
        assert await uow.orders.count() == 0


async def test_another_dealers_order_number_is_not_found_and_nothing_leaks(world: BotWorld) -> None:
    await bound_dealer(world)
    number = await submitted_order(world)
    await bound_dealer(world, OTHER_DEALER, "D0002", "宁波海达商贸有限公司")
    needs_flow(world, "orders.list", reason="dealer order list")
    replies = await world.say(OTHER_DEALER, f"{number} 到哪了")
    text = "\n".join(m.text for m in replies)
    assert "未找到" in text or "没有找到" in text
    assert "杭州华信" not in text and "4,895" not in text and "¥3,998" not in text
