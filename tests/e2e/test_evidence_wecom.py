"""Evidence where the decision is made, over real HTTP with the WeCom stand-in: a dealer files an after-sales
ticket with two pictures; the after-sales member receives both as image messages (media/upload, then
message/send msgtype image) and then the template card; staff accept on the card, the dealer is told; the other
dealer typing the picture's file id or the ticket number gets no picture."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest_asyncio

from core.users import Role
from tests.e2e.telegram_standin import add_dealer, invite, seed_catalogue
from tests.e2e.wecom_standin import WeComStandIn, WeComWorld, start_wecom

DEALER, OTHER_DEALER, AFTER_SALES = "LiLaoBan", "WangLaoBan", "LiShouHou"
FIRST = b"\xff\xd8\xff\xe0" + b"wecom first photo: water tank" * 40
SECOND = b"\xff\xd8\xff\xe0" + b"wecom second photo: drain pipe" * 40
TICKET_NO = re.compile(r"AS-\d{8}-\d{4}")


@pytest_asyncio.fixture
async def world(tmp_path: Path) -> AsyncIterator[WeComWorld]:
    from bot.bootstrap import warm_up

    await warm_up()
    async with WeComStandIn() as standin:
        w = await start_wecom(tmp_path, standin)
        try:
            await seed_catalogue(w)  # type: ignore[arg-type]
            yield w
        finally:
            await w.stop()


async def _bind(world: WeComWorld, user: str, code: str, name: str) -> None:
    await add_dealer(world, code, name)  # type: ignore[arg-type]
    replies = await world.say(user, f"绑定 {await invite(world, dealer=code)}", at_least=2)  # type: ignore[arg-type]
    assert "绑定成功" in replies[0].shown


async def test_after_sales_gets_two_image_messages_then_the_card(world: WeComWorld) -> None:
    s = world.standin
    await _bind(world, DEALER, "D0001", "杭州华信电器有限公司")
    await _bind(world, OTHER_DEALER, "D0002", "南京宏达商贸有限公司")
    code = await invite(world, staff=("li.aftersales", Role.AFTER_SALES))  # type: ignore[arg-type]
    assert "绑定成功" in (await world.say(AFTER_SALES, code, at_least=2))[0].shown
    staff_seen = s.count(AFTER_SALES)

    replies = await world.say(DEALER, "客户家的除湿机不出水")
    assert "序列号" in replies[-1].shown, [m.shown for m in replies]
    await world.press(DEALER, "跳过")
    await world.say(DEALER, "王先生")
    await world.say(DEALER, "13800138000")
    await world.press(DEALER, "跳过")                   # no address
    await world.press(DEALER, "使用此描述")
    for n, photo in enumerate((FIRST, SECOND), 1):
        since = s.count(DEALER)
        assert await world.users.image(DEALER, photo, f"fault{n}.jpg") == 200
        await s.replies(DEALER, since)
    await s.wait_for(lambda: "2 张照片" in s.texts(DEALER), 10, "both pictures acknowledged")
    await world.press(DEALER, "完成")
    await world.press(DEALER, "普通")
    created = await world.press(DEALER, "确认提交")
    match = TICKET_NO.search("\n".join(m.shown for m in created))
    assert match, [m.shown for m in created]
    number = match.group(0)

    # the after-sales member: two image messages, then the card with its buttons
    await s.wait_for(lambda: any("受理" in lb for m in s.received(AFTER_SALES)[staff_seen:] for lb in m.labels), 10,
                     "the ticket card")
    pushed = s.received(AFTER_SALES)[staff_seen:]
    assert [m.msgtype for m in pushed][:2] == ["image", "image"], [m.msgtype for m in pushed]
    assert sorted(m.media for m in pushed[:2]) == sorted([FIRST, SECOND])
    assert {m.file_name for m in pushed[:2]} == {f"{number}-1.jpg", f"{number}-2.jpg"}
    card = next(m for m in pushed if m.msgtype == "template_card")
    assert pushed.index(card) == 2 and number in card.shown
    assert [c.params.get("type") for c in s.calls_of("media/upload")][-2:] == ["image", "image"]

    # staff accept on the card; the dealer is told
    dealer_seen = s.count(DEALER)
    await world.press(AFTER_SALES, "受理", card=card, at_least=0)
    await s.wait_for(lambda: "已受理" in s.texts(DEALER, dealer_seen), 10, "the dealer told of the acceptance")

    # the other dealer: the pictures' file ids and the ticket number bring no picture
    async with world.uow() as uow:
        ticket = await uow.tickets.get_by(number=number)
    assert ticket is not None and len(ticket.photos) == 2
    other_seen = s.count(OTHER_DEALER)
    for text in (*ticket.photos, number):
        await world.say(OTHER_DEALER, text)
    seen = s.received(OTHER_DEALER)[other_seen:]
    assert not [m for m in seen if m.msgtype in ("image", "file")], [m.msgtype for m in seen]
    assert "不出水" not in "\n".join(m.shown for m in seen)
