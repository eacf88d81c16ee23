"""Evidence where the decision is made, over real HTTP with the Telegram stand-in (webhook mode, uvicorn).

A dealer files an after-sales ticket with two photos; the after-sales chat gets both photos as one album
(sendMediaGroup) and then the card with its buttons; staff accept on the card and the dealer is told. The
photos open in the back office for after-sales staff (thumbnails on /backoffice/tickets, the file inline as
image/jpeg); finance (no ticket permission) is refused, a visitor without a staff session is sent to the login,
and another dealer gets nothing: not by URL (back office, API), not by the file's id typed in its chat, not by
the ticket number.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import AsyncIterator
from decimal import Decimal
from pathlib import Path

import httpx
import pytest_asyncio

from admin.auth import hash_password
from core.accounts import AccountKind, EntryKind, LedgerEntry
from core.services import users as user_cases
from core.users import Actor, Role
from tests.e2e.telegram_standin import (
    BotWorld,
    TelegramStandIn,
    add_dealer,
    invite,
    seed_catalogue,
    start_bot,
)

DEALER, OTHER_DEALER, AFTER_SALES = 1001, 1002, 2001
PASSWORD = "evidence-Passw0rd!"
FIRST = b"\xff\xd8\xff\xe0" + b"first photo: water tank" * 50
SECOND = b"\xff\xd8\xff\xe0" + b"second photo: drain pipe" * 50
TICKET_NO = re.compile(r"AS-\d{8}-\d{4}")


@pytest_asyncio.fixture
async def world(tmp_path: Path) -> AsyncIterator[BotWorld]:
    from bot.bootstrap import warm_up

    await warm_up()                 # the intent classifier trained before the first message, as `dms run` does
    async with TelegramStandIn() as standin:
        w = await start_bot(tmp_path, standin, mode="webhook")
        try:
            await seed_catalogue(w)
            yield w
        finally:
            await w.stop()


async def _bind(world: BotWorld, chat: int, code: str, name: str) -> int:
    dealer_id = await add_dealer(world, code, name)
    replies = await world.say(chat, f"/start {await invite(world, dealer=code)}")
    assert "绑定成功" in replies[0].text
    return dealer_id


async def _file_ticket(world: BotWorld) -> str:
    """The dealer's journey of test_telegram_journeys, with two photos sent as one album."""
    s = world.standin
    replies = await world.say(DEALER, "客户家的除湿机不出水")
    assert "序列号" in replies[-1].text
    await world.press(DEALER, "跳过")
    await world.say(DEALER, "王先生")
    await world.say(DEALER, "13800138000")
    await world.press(DEALER, "跳过")                   # no address
    await world.press(DEALER, "使用此描述")
    await s.send_photo(DEALER, FIRST, media_group_id="album-1")
    await s.send_photo(DEALER, SECOND, media_group_id="album-1")
    await s.wait_for(lambda: "已收到 2 张照片" in s.texts(DEALER), 10, "both photos acknowledged")
    await world.press(DEALER, "完成")
    await world.press(DEALER, "普通")
    created = await world.press(DEALER, "确认提交")
    match = TICKET_NO.search("\n".join(m.text for m in created))
    assert match, [m.text for m in created]
    return match.group(0)


async def _web_staff(world: BotWorld, username: str, role: Role) -> httpx.AsyncClient:
    await user_cases.create_staff_user(world.uow(), Actor.system(), user_cases.CreateStaffUser(
        username=username, display_name=username, role=role, password_hash=hash_password(PASSWORD)), world.app.clock)
    client = httpx.AsyncClient(base_url=world.web_url)
    login = await client.post("/admin/login", data={"username": username, "password": PASSWORD},
                              headers={"Origin": world.web_url})
    assert login.status_code == 302, login.text
    return client


async def test_after_sales_sees_the_photos_then_the_card_acts_and_no_other_dealer_gets_them(world: BotWorld) -> None:
    s = world.standin
    await _bind(world, DEALER, "D0001", "杭州华信电器有限公司")
    other_id = await _bind(world, OTHER_DEALER, "D0002", "南京宏达商贸有限公司")
    staff_code = await invite(world, staff=("li.aftersales", Role.AFTER_SALES))
    assert "绑定成功" in (await world.say(AFTER_SALES, f"/start {staff_code}"))[0].text
    staff_seen = s.count(AFTER_SALES)

    number = await _file_ticket(world)

    # the after-sales chat: both photos in one album, then the card with its buttons, in that order
    await s.wait_for(lambda: any(any("受理" in lb for lb in m.labels) for m in s.sent(AFTER_SALES)[staff_seen:]),
                     10, "the ticket card")
    pushed = s.sent(AFTER_SALES)[staff_seen:]
    assert [m.kind for m in pushed] == ["photo", "photo", "text"], [(m.kind, m.text[:20]) for m in pushed]
    assert sorted(m.file for m in pushed[:2]) == sorted([FIRST, SECOND])      # in the order the ticket keeps them
    assert pushed[0].media_group_id and pushed[0].media_group_id == pushed[1].media_group_id
    assert len(s.calls_of("sendMediaGroup")) == 1
    card = pushed[2]
    assert number in card.text and "照片：2 张" in card.text and any("受理" in lb for lb in card.labels)

    # staff act on the card; the dealer is told
    dealer_seen = s.count(DEALER)
    await world.press(AFTER_SALES, "受理", message=card, at_least=0)
    await s.wait_for(lambda: "已受理" in s.texts(DEALER, dealer_seen), 10, "the dealer told of the acceptance")
    assert number in s.texts(DEALER, dealer_seen)

    # the back office: after-sales staff see thumbnails and open the photos full size, inline
    async with world.uow() as uow:
        ticket = await uow.tickets.get_by(number=number)
    assert ticket is not None and len(ticket.photos) == 2
    url = f"/backoffice/evidence/ticket/{number}"
    after_sales = await _web_staff(world, "li.web", Role.AFTER_SALES)
    finance = await _web_staff(world, "wu.web", Role.FINANCE)
    stranger = httpx.AsyncClient(base_url=world.web_url)
    try:
        listed = await after_sales.get("/backoffice/tickets")
        assert listed.status_code == 200 and f"{url}/1" in listed.text and f"{url}/2" in listed.text
        page = await after_sales.get(url)
        assert page.status_code == 200 and f"{number}-1.jpg" in page.text and "<img" in page.text
        for n, photo in enumerate([m.file for m in pushed[:2]], 1):       # the album's order is the ticket's
            got = await after_sales.get(f"{url}/{n}")
            assert got.status_code == 200 and got.content == photo
            assert got.headers["content-type"] == "image/jpeg"
            assert got.headers["content-disposition"].startswith("inline;")
            assert f"{number}-{n}.jpg" in got.headers["content-disposition"]
        assert (await after_sales.get(f"{url}/3")).status_code == 404

        # staff without the ticket's permission, and anyone without a staff session, get nothing
        assert (await finance.get(f"{url}/1")).status_code == 403
        refused = await stranger.get(f"{url}/1")
        assert refused.status_code == 302 and refused.headers["location"].endswith("/admin/login")
        # the storage key is no URL: there is no route that takes it
        for key in ticket.photos:
            assert FIRST not in (await stranger.get(f"/backoffice/evidence/ticket/{key}/1")).content
            assert (await after_sales.get(f"/backoffice/evidence/ticket/{key}/1")).status_code == 404
            assert (await stranger.get(f"/api/v1/evidence/ticket/{number}/1")).status_code == 404

        # the API: the other dealer's key reads its own receipts only, never D0001's
        scan = await world.app.files().put(b"%PDF-1.4 D0001 receipt", "receipt.pdf")
        async with world.uow() as uow:
            own = await uow.dealers.get_by(code="D0001")
            assert own is not None and own.id is not None
            entry = await uow.ledger.add(LedgerEntry(dealer_id=own.id, account=AccountKind.PREPAYMENT,
                                                     amount=Decimal("500.00"), kind=EntryKind.PAYMENT,
                                                     ref="HX-1", attachment=scan, created_at=world.app.clock.now()))
            await uow.commit()
        _, other_key = await user_cases.create_api_key(world.uow(), Actor.system(), "d0002-erp", ["accounts:read"],
                                                       other_id, clock=world.app.clock)
        _, own_key = await user_cases.create_api_key(world.uow(), Actor.system(), "d0001-erp", ["accounts:read"],
                                                     own.id, clock=world.app.clock)
        receipt = f"/api/v1/ledger/{entry.id}/receipt"
        foreign = await stranger.get(receipt, headers={"Authorization": f"Bearer {other_key}"})
        missing = await stranger.get("/api/v1/ledger/99999/receipt", headers={"Authorization": f"Bearer {other_key}"})
        assert foreign.status_code == missing.status_code == 404 and b"%PDF" not in foreign.content
        mine = await stranger.get(receipt, headers={"Authorization": f"Bearer {own_key}"})
        assert mine.status_code == 200 and mine.content.startswith(b"%PDF")
        assert mine.headers["content-type"] == "application/pdf"
        assert mine.headers["content-disposition"].startswith("inline;")
    finally:
        for client in (after_sales, finance, stranger):
            await client.aclose()

    # the other dealer in chat: the file's id and the ticket number fetch nothing
    other_seen = s.count(OTHER_DEALER)
    for key in ticket.photos:
        await world.say(OTHER_DEALER, key, at_least=1)
    await world.say(OTHER_DEALER, hashlib.sha256(FIRST).hexdigest(), at_least=1)
    await world.say(OTHER_DEALER, number, at_least=1)
    seen = s.sent(OTHER_DEALER)[other_seen:]
    assert all(m.kind == "text" for m in seen), [m.kind for m in seen]
    assert not any(m.file in (FIRST, SECOND) for m in seen)
    assert "不出水" not in "\n".join(m.text for m in seen)


async def test_a_photo_sent_first_with_the_problem_under_it_reaches_after_sales(world: BotWorld) -> None:
    """The way dealers send it: the photo first, the problem as its caption, no menu pressed (was: the help shown,
    the photo and the words lost). The after-sales chat gets the photo, then the card; opening the ticket shows it
    again."""
    s = world.standin
    await _bind(world, DEALER, "D0001", "杭州华信电器有限公司")
    staff_code = await invite(world, staff=("li.aftersales", Role.AFTER_SALES))
    assert "绑定成功" in (await world.say(AFTER_SALES, f"/start {staff_code}"))[0].text
    staff_seen = s.count(AFTER_SALES)
    dealer_seen = s.count(DEALER)

    await s.send_photo(DEALER, FIRST, caption="客户家的除湿机不出水了，你们看下")
    await s.wait_for(lambda: "1 张照片" in s.texts(DEALER, dealer_seen) and "序列号" in s.texts(DEALER, dealer_seen),
                     10, "the photo kept with the repair, the form at its serial step")
    await world.press(DEALER, "跳过")
    await world.say(DEALER, "王先生 13800138000")
    await world.say(DEALER, "浦东新区张江路88号")
    await world.press(DEALER, "使用此描述")
    await world.press(DEALER, "完成")
    await world.press(DEALER, "普通")
    created = await world.press(DEALER, "确认提交")
    match = TICKET_NO.search("\n".join(m.text for m in created))
    assert match, [m.text for m in created]

    await s.wait_for(lambda: any(any("受理" in lb for lb in m.labels) for m in s.sent(AFTER_SALES)[staff_seen:]),
                     10, "the ticket card")
    pushed = s.sent(AFTER_SALES)[staff_seen:]
    assert [m.kind for m in pushed] == ["photo", "text"], [(m.kind, m.text[:20]) for m in pushed]
    assert pushed[0].file == FIRST
    assert "不出水" in pushed[1].text and "地址：浦东新区张江路88号" in pushed[1].text

    opened_from = s.count(AFTER_SALES)
    await world.press(AFTER_SALES, "详情", message=pushed[1], at_least=0)
    await s.wait_for(lambda: any(m.kind == "photo" for m in s.sent(AFTER_SALES)[opened_from:]), 10,
                     "the photo with the opened ticket")
    assert any(m.file == FIRST for m in s.sent(AFTER_SALES)[opened_from:])


async def test_a_batch_problem_photographed_first_reaches_the_quality_department(world: BotWorld) -> None:
    """A batch problem, photo first, the problem as its caption: the quality form starts with the photo in it, and
    the quality department's chat gets the photo before the report's card."""
    s = world.standin
    await _bind(world, DEALER, "D0001", "杭州华信电器有限公司")
    staff_code = await invite(world, staff=("zhao.quality", Role.QUALITY))
    assert "绑定成功" in (await world.say(AFTER_SALES, f"/start {staff_code}"))[0].text
    staff_seen = s.count(AFTER_SALES)
    dealer_seen = s.count(DEALER)

    await s.send_photo(DEALER, SECOND, caption="这批除湿机DH20有5台外壳裂了，批号B2411-07")
    await s.wait_for(lambda: "1 张照片" in s.texts(DEALER, dealer_seen) and "质量反馈" in s.texts(DEALER, dealer_seen),
                     10, "the photo kept with the quality report")
    for _ in range(8):
        await s.wait_for(lambda: bool(s.last(DEALER).labels), 10, "the form's next question")
        labels = " ".join(s.last(DEALER).labels)
        if "确认提交" in labels:
            break
        step = next((w for w in ("使用此描述", "完成", "外观") if w in labels), None)
        assert step is not None, (s.last(DEALER).text, labels)
        await world.press(DEALER, step)
    assert "照片：1 张" in s.last(DEALER).text and "数量：5" in s.last(DEALER).text
    await world.press(DEALER, "确认提交")

    await s.wait_for(lambda: any(m.kind == "text" and "QF-" in m.text for m in s.sent(AFTER_SALES)[staff_seen:]), 10,
                     "the report's card")
    pushed = s.sent(AFTER_SALES)[staff_seen:]
    assert [m.kind for m in pushed] == ["photo", "text"], [(m.kind, m.text[:20]) for m in pushed]
    assert pushed[0].file == SECOND and "B2411-07" in pushed[1].text
