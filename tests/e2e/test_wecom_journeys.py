"""WeCom end to end over real HTTP: the stand-in plays WeCom (its server API, and the encrypted
callbacks it POSTs to uvicorn serving the app built by ``bot.bootstrap``); replies and pushes are
delivered by the outbox worker through the stand-in, as in ``dms run``.

URL verification; a dealer binds with a typed code and orders by text; the order desk approves with
the template card's button, the card is updated and the dealer is told; a token revoked mid-run
(40014) is replaced; a re-delivered MsgId acts once; forged, stale, replayed and malformed callbacks
are refused with a 4xx while the service goes on; pictures, voice, locations and menu clicks.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from core.orders import OrderStatus
from core.outbox import OutboxStatus
from core.users import Role
from tests.e2e.telegram_standin import add_dealer, invite, orders_of, seed_catalogue
from tests.e2e.wecom_standin import Received, WeComStandIn, WeComWorld, start_wecom

DEALER = "LiLaoBan"
STAFF = "ZhangShenHe"
ORDER_NO = re.compile(r"SO-\d{8}-\d{4}")


def labels(messages: list[Received]) -> list[str]:
    """Every button label of ``messages`` (a menu of more than six buttons spans two cards)."""
    return [label for m in messages for label in m.labels]


@pytest_asyncio.fixture
async def world(tmp_path: Path) -> AsyncIterator[WeComWorld]:
    async with WeComStandIn() as standin:
        w = await start_wecom(tmp_path, standin)
        try:
            await seed_catalogue(w)  # type: ignore[arg-type]
            yield w
        finally:
            await w.stop()


async def bound_dealer(world: WeComWorld, user: str = DEALER) -> int:
    dealer_id = await add_dealer(world, "D0001", "杭州华信电器有限公司")  # type: ignore[arg-type]
    code = await invite(world, dealer="D0001")  # type: ignore[arg-type]
    replies = await world.say(user, f"绑定 {code}", at_least=2)
    assert "绑定成功" in replies[0].shown and "杭州华信电器有限公司" in replies[0].shown
    return dealer_id


async def bound_staff(world: WeComWorld, user: str = STAFF) -> None:
    code = await invite(world, staff=("zhang.desk", Role.ORDER_DESK))  # type: ignore[arg-type]
    replies = await world.say(user, code, at_least=2)          # just the code, as printed
    assert "绑定成功" in replies[0].shown


# --- verification ------------------------------------------------------------------------------------------

async def test_url_verification_answers_the_echostr_plaintext(world: WeComWorld) -> None:
    status, body = await world.users.verify("1616140317555161061")
    assert (status, body) == (200, "1616140317555161061")
    status, _ = await world.users.verify(signature="0" * 40)
    assert status == 403


# --- the journey ---------------------------------------------------------------------------------------------

async def test_dealer_orders_by_text_staff_approves_on_the_card_and_the_dealer_is_told(world: WeComWorld) -> None:
    s = world.standin
    dealer_id = await bound_dealer(world)
    menu = s.received(DEALER)[1:]
    assert all(m.msgtype == "template_card" for m in menu) and "🛒 下单" in labels(menu)
    await bound_staff(world)

    summary = await world.say(DEALER, "AP300 来两台，F300 3箱")
    shown = "\n".join(m.shown for m in summary)
    assert "AP300" in shown and "F300" in shown and "¥4,895.00" in shown, shown
    staff_seen = s.count(STAFF)
    confirmed = await world.press(DEALER, "确认下单")
    match = ORDER_NO.search("\n".join(m.shown for m in confirmed))
    assert match, [m.shown for m in confirmed]
    number = match.group(0)
    [order] = await orders_of(world, dealer_id)  # type: ignore[arg-type]
    assert order.number == number and order.status == OrderStatus.SUBMITTED

    # the order desk's approval prompt is a template card with the decision buttons
    await s.wait_for(lambda: any("通过" in lb for m in s.received(STAFF)[staff_seen:] for lb in m.labels), 10,
                     "the approval card")
    prompt = s.card_with(STAFF, "通过")
    assert number in prompt.shown
    dealer_seen = s.count(DEALER)
    await world.press(STAFF, "通过", card=prompt, updated=True, at_least=0)
    [update] = prompt.updates
    assert update["userids"] == [STAFF] and update["agentid"] == 1000002
    assert "已审核通过" in prompt.shown and number in prompt.shown
    [order] = await orders_of(world, dealer_id)  # type: ignore[arg-type]
    assert order.status == OrderStatus.APPROVED
    await s.wait_for(lambda: "审核通过" in s.texts(DEALER, dealer_seen), 10, "the approval notice to the dealer")
    assert number in s.texts(DEALER, dealer_seen)

    # the updated card carries the next step for the order desk
    assert any("配货" in label for label in prompt.labels), prompt.labels


async def test_a_token_revoked_mid_run_is_replaced_and_the_reply_still_arrives(world: WeComWorld) -> None:
    s = world.standin
    await bound_dealer(world)
    assert len(s.calls_of("gettoken")) == 1
    s.expire_tokens(40014)
    replies = await world.say(DEALER, "/menu")
    assert "🛒 下单" in labels(replies)
    assert [c.errcode for c in s.calls_of("message/send")].count(40014) == 1
    assert len(s.calls_of("gettoken")) == 2
    s.expire_tokens(42001)
    await world.say(DEALER, "/help")
    assert len(s.calls_of("gettoken")) == 3


async def test_a_redelivered_message_acts_once(world: WeComWorld) -> None:
    s = world.standin
    dealer_id = await bound_dealer(world)
    await world.say(DEALER, "AP300 来两台")
    card = s.card_with(DEALER, "确认下单")
    since = s.count(DEALER)
    msg_id = world.users.message_id()
    for _ in range(3):                                  # WeCom retries the same MsgId
        assert await world.users.text(DEALER, "/orders", msg_id=msg_id) == 200
    await s.replies(DEALER, since)
    await world.settle()
    await asyncio.sleep(0.5)
    assert s.count(DEALER) - since == 1
    # a double tap on "confirm" (the same event delivered twice) places one order
    create_time = int(time.time())
    for _ in range(2):
        assert await world.users.press(DEALER, card, "确认下单", create_time=create_time) == 200
    await world.settle()
    await asyncio.sleep(0.6)
    assert len(await orders_of(world, dealer_id)) == 1  # type: ignore[arg-type]


# --- refusals ----------------------------------------------------------------------------------------------

async def test_forged_stale_replayed_and_malformed_callbacks_are_refused(world: WeComWorld,
                                                                        caplog: pytest.LogCaptureFixture) -> None:
    users = world.users
    plain = users.xml(DEALER, "text", {"Content": "/menu", "MsgId": users.message_id()})
    encrypted = users.crypto.encrypt(plain)
    envelope = (f"<xml><ToUserName><![CDATA[x]]></ToUserName><Encrypt><![CDATA[{encrypted}]]></Encrypt>"
                f"<AgentID><![CDATA[1000002]]></AgentID></xml>").encode()
    caplog.set_level(logging.WARNING, logger="bot.wecom.callback")
    assert await users.post_raw(envelope, users.signed(encrypted, signature="f" * 40)) == 403
    assert await users.post_raw(envelope, users.signed(encrypted, timestamp=int(time.time()) - 3600)) == 403
    assert await users.post_raw(b"<xml><Encrypt>not closed", users.signed("abc")) == 400
    assert await users.post_raw(b"plain text", users.signed("abc")) == 400
    doctype = b'<!DOCTYPE x [<!ENTITY a "b">]><xml><Encrypt>&a;</Encrypt></xml>'
    assert await users.post_raw(doctype, users.signed("b")) == 400
    # a message for another corp, correctly signed with the app's token
    from bot.wecom.crypto import WeComCrypto
    other = WeComCrypto(users.crypto.token, "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "wwSomeoneElse")
    foreign = other.encrypt(plain)
    foreign_envelope = envelope.replace(encrypted.encode(), foreign.encode())
    assert await users.post_raw(foreign_envelope, users.signed(foreign)) == 403
    # the same signed request twice: the second is a replay
    query = users.signed(encrypted)
    assert await users.post_raw(envelope, query) == 200
    assert await users.post_raw(envelope, query) == 409
    assert "欢迎使用" in (await world.standin.replies(DEALER, 0))[0].shown      # the one accepted, answered once
    reasons = [r.reason for r in caplog.records if hasattr(r, "reason")]  # type: ignore[attr-defined]
    assert {"wrong signature", "stale timestamp", "wrong receiveid", "replayed nonce"} <= set(reasons)
    assert any(str(r).startswith("malformed XML") for r in reasons)
    # and the service goes on
    await bound_dealer(world)
    assert "🛒 下单" in labels(await world.say(DEALER, "/menu"))


async def test_unbound_users_are_asked_to_bind_and_cannot_act(world: WeComWorld) -> None:
    replies = await world.say("stranger", "AP300 来两台")
    assert "绑定" in "\n".join(m.shown for m in replies)
    wrong = await world.say("stranger", "绑定 ABCD-EFGH")
    assert "邀请码无效" in "\n".join(m.shown for m in wrong)


# --- other kinds of messages ----------------------------------------------------------------------------------

async def test_pictures_voice_locations_and_menu_clicks(world: WeComWorld) -> None:
    s = world.standin
    await bound_dealer(world)
    jpeg = b"\xff\xd8\xff\xe0" + b"wecom-photo" * 50
    since = s.count(DEALER)
    assert await world.users.image(DEALER, jpeg, "shelf.jpg") == 200
    await s.replies(DEALER, since)
    assert world.app.files().exists(__import__("bot.files", fromlist=["file_key"]).file_key(jpeg, "shelf.jpg"))
    assert len(s.calls_of("media/get")) == 1

    since = s.count(DEALER)
    assert await world.users.voice(DEALER) == 200
    # a voice note without WeCom's recognition: fetched, and with no speech service set the dealer is asked to type
    assert "请打字或发图片" in "\n".join(m.shown for m in await s.replies(DEALER, since))
    since = s.count(DEALER)
    assert await world.users.voice(DEALER, "我的订单") == 200
    assert len(await s.replies(DEALER, since)) >= 1

    since = s.count(DEALER)
    assert await world.users.location(DEALER, 30.27, 120.15, "杭州市西湖区") == 200
    assert len(await s.replies(DEALER, since)) >= 1

    since = s.count(DEALER)
    assert await world.users.click(DEALER, "/menu") == 200
    assert "🛒 下单" in labels(await s.replies(DEALER, since))
    since = s.count(DEALER)
    assert await world.users.click(DEALER, "1|menu") == 200
    assert "🛒 下单" in labels(await s.replies(DEALER, since))
    async with world.uow() as uow:
        rows = await uow.outbox.list(kind="chat.reply")
    assert rows and all(r.status == OutboxStatus.SENT and r.channel == "wecom" for r in rows)
