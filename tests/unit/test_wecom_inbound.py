"""WeCom's side of a conversation without a network: the callback route (in-memory ASGI) with the
published samples and every refusal, the XML -> Inbound translation, and the pipeline from callback
fields to ``chat.reply`` outbox rows over the fake unit of work."""

from __future__ import annotations

import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from bot.files import FileStore
from bot.telegram.flood import FloodLimiter
from bot.wecom.callback import callback_router
from bot.wecom.client import WeComClient
from bot.wecom.crypto import WeComCrypto
from bot.wecom.inbound import MalformedXml, WeComInbound, parse_xml
from bot.wecom.processor import ReplyQueue, WeComUpdates
from bot.wecom.replay import InProcessNonceGuard
from core.services.users import create_invite
from core.users import Actor, InviteKind
from handlers.messages import InboundKind
from notifications.templates import render
from tests.chat import ChatWorld
from tests.fakes import FakeOutboxStore
from tests.unit.test_wecom_crypto import AES_KEY, CORP_ID, MESSAGE, MESSAGE_PLAIN, TOKEN, VERIFY

# --- the callback route ----------------------------------------------------------------------------------------


class Submitted:
    def __init__(self) -> None:
        self.fields: list[dict[str, str]] = []

    def submit(self, fields: dict[str, str]) -> None:
        self.fields.append(fields)


def route(now: float) -> tuple[httpx.AsyncClient, Submitted]:
    updates = Submitted()
    channel: Any = SimpleNamespace(crypto=WeComCrypto(TOKEN, AES_KEY, CORP_ID), nonces=InProcessNonceGuard(300),
                                   max_age=300.0, updates=updates)
    app = FastAPI()
    app.include_router(callback_router(channel, now=lambda: now))
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://dms.test"), updates


def envelope(encrypted: str) -> bytes:
    return (f"<xml><ToUserName><![CDATA[{CORP_ID}]]></ToUserName><Encrypt><![CDATA[{encrypted}]]></Encrypt>"
            f"<AgentID><![CDATA[218]]></AgentID></xml>").encode()


async def test_get_verification_with_the_published_sample() -> None:
    client, _ = route(now=1409659589 + 10)
    response = await client.get("/wecom/callback", params=VERIFY)
    assert (response.status_code, response.text) == (200, "1616140317555161061")
    again = await client.get("/wecom/callback", params=VERIFY)       # the same nonce a second time
    assert again.status_code == 409


@pytest.mark.parametrize("now", [1409659589 + 301, 1409659589 - 301])
async def test_a_timestamp_five_minutes_away_is_refused(now: float) -> None:
    client, _ = route(now)
    assert (await client.get("/wecom/callback", params=VERIFY)).status_code == 403


async def test_post_with_the_published_message_sample_is_handed_on_at_once() -> None:
    client, updates = route(now=1409659813)
    m = MESSAGE
    query = {"msg_signature": m["msg_signature"], "timestamp": m["timestamp"], "nonce": m["nonce"]}
    response = await client.post("/wecom/callback", params=query, content=envelope(m["encrypt"]))
    assert (response.status_code, response.text) == (200, "")
    assert updates.fields == [parse_xml(MESSAGE_PLAIN)]
    assert updates.fields[0]["Content"] == "hello" and updates.fields[0]["MsgId"] == "4561255354251345929"
    replay = await client.post("/wecom/callback", params=query, content=envelope(m["encrypt"]))
    assert replay.status_code == 409 and len(updates.fields) == 1


async def test_refusals_never_reach_the_pipeline(caplog: pytest.LogCaptureFixture) -> None:
    now = time.time()
    client, updates = route(now)
    crypto = WeComCrypto(TOKEN, AES_KEY, CORP_ID)
    ts = str(int(now))
    encrypted, sig = crypto.encrypt_message("<xml><FromUserName>li</FromUserName></xml>", ts, "1")
    cases = [
        ({"msg_signature": "0" * 40, "timestamp": ts, "nonce": "1"}, envelope(encrypted), 403),
        ({"msg_signature": sig, "timestamp": ts}, envelope(encrypted), 400),                      # no nonce
        ({"msg_signature": sig, "timestamp": "soon", "nonce": "1"}, envelope(encrypted), 400),
        ({"msg_signature": sig, "timestamp": ts, "nonce": "1"}, b"<xml><Encrypt>", 400),
        ({"msg_signature": sig, "timestamp": ts, "nonce": "1"}, b"<other/>", 400),
        ({"msg_signature": sig, "timestamp": ts, "nonce": "1"}, b"x" * (300 * 1024), 413),
    ]
    for query, body, status in cases:
        assert (await client.post("/wecom/callback", params=query, content=body)).status_code == status, (query, body)
    other = WeComCrypto(TOKEN, AES_KEY, "wwElsewhere")
    foreign, foreign_sig = other.encrypt_message("<xml/>", ts, "2")
    response = await client.post("/wecom/callback", params={"msg_signature": foreign_sig, "timestamp": ts,
                                                            "nonce": "2"}, content=envelope(foreign))
    assert response.status_code == 403
    not_xml, not_xml_sig = crypto.encrypt_message("not xml", ts, "3")
    response = await client.post("/wecom/callback", params={"msg_signature": not_xml_sig, "timestamp": ts,
                                                            "nonce": "3"}, content=envelope(not_xml))
    assert response.status_code == 400
    assert updates.fields == []
    assert len([r for r in caplog.records if r.getMessage() == "wecom callback refused"]) == len(cases) + 2
    # the nonce of a refused request was not spent: the genuine request with it still goes through
    ok = await client.post("/wecom/callback", params={"msg_signature": sig, "timestamp": ts, "nonce": "1"},
                           content=envelope(encrypted))
    assert ok.status_code == 200 and updates.fields == [{"FromUserName": "li"}]


def test_xml_with_a_dtd_is_refused_before_parsing() -> None:
    with pytest.raises(MalformedXml):
        parse_xml('<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY lol "lol">]><xml><a>&lol;</a></xml>')
    assert parse_xml("<xml><A><![CDATA[x]]></A><B><C>1</C></B></xml>") == {"A": "x", "C": "1"}


# --- translation ---------------------------------------------------------------------------------------------

def fields(msg_type: str, **extra: str) -> dict[str, str]:
    return {"ToUserName": CORP_ID, "FromUserName": "LiLaoBan", "CreateTime": "1764122400", "MsgType": msg_type,
            "AgentID": "1000002", **extra}


def translator(tmp_path: Path, handler: Any = None) -> WeComInbound:
    def media(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("gettoken"):
            return httpx.Response(200, json={"errcode": 0, "access_token": "T", "expires_in": 7200})
        if request.url.params.get("media_id") == "missing":
            return httpx.Response(200, json={"errcode": 40007, "errmsg": "invalid media_id"})
        return httpx.Response(200, content=b"\xff\xd8photo", headers={"content-type": "image/jpeg"})

    http = httpx.AsyncClient(transport=httpx.MockTransport(handler or media))
    return WeComInbound(WeComClient("c", "s", 1000002, "https://wecom.test", http=http),
                        FileStore(tmp_path / "files"), agent_id=1000002)


async def test_texts_commands_and_codes(tmp_path: Path) -> None:
    t = translator(tmp_path)
    plain = (await t.translate(fields("text", Content="AP300 来两台", MsgId="11"))).inbound
    assert plain is not None and (plain.kind, plain.text, plain.update_id) == (InboundKind.TEXT, "AP300 来两台", "11")
    assert (plain.channel, plain.chat_id, plain.user_id) == ("wecom", "LiLaoBan", "LiLaoBan")
    command = (await t.translate(fields("text", Content="/start  ABCD2345", MsgId="12"))).inbound
    assert command is not None and (command.kind, command.command, command.args) == (InboundKind.COMMAND, "start",
                                                                                    "ABCD2345")
    code = (await t.translate(fields("text", Content="绑定 ABCD-2345", MsgId="13"))).inbound
    # the adapter only translates: the conversation recognises invite codes, on every channel
    assert code is not None and (code.kind, code.text) == (InboundKind.TEXT, "绑定 ABCD-2345")


async def test_card_buttons_menu_clicks_and_events(tmp_path: Path) -> None:
    t = translator(tmp_path)
    card = fields("event", Event="template_card_event", EventKey="1|staff.order.approve|SO-20261126-0001",
                  TaskId="dms18a2", CardType="button_interaction", ResponseCode="RC-1")
    pressed = await t.translate(card)
    assert pressed.inbound is not None
    assert (pressed.inbound.kind, pressed.inbound.payload, pressed.inbound.message_ref) == (
        InboundKind.BUTTON, "1|staff.order.approve|SO-20261126-0001", "RC-1")
    redelivered = await t.translate(dict(card, ResponseCode="RC-2"))
    assert redelivered.key == pressed.key                    # a re-delivery is the same delivery
    later = await t.translate(dict(card, CreateTime="1764122460"))
    assert later.key != pressed.key                          # a second tap later is a new one
    long_key = await t.translate(dict(card, EventKey="1|x|" + "y" * 900))
    assert len(long_key.key) <= 100
    click = (await t.translate(fields("event", Event="click", EventKey="1|orders.list"))).inbound
    assert click is not None and (click.kind, click.payload) == (InboundKind.BUTTON, "1|orders.list")
    menu = (await t.translate(fields("event", Event="click", EventKey="/menu"))).inbound
    assert menu is not None and (menu.kind, menu.command) == (InboundKind.COMMAND, "menu")
    follow = (await t.translate(fields("event", Event="subscribe"))).inbound
    assert follow is not None and follow.command == "start"
    assert (await t.translate(fields("event", Event="enter_agent"))).ignored
    assert (await t.translate(fields("event", Event="LOCATION", Latitude="30.1"))).ignored
    assert (await t.translate(fields("text", Content="hi", AgentID="1000099", MsgId="1"))).ignored


async def test_voice_pictures_locations_and_the_rest(tmp_path: Path) -> None:
    t = translator(tmp_path)
    voice = (await t.translate(fields("voice", MediaId="v", Format="amr", Recognition="我的订单", MsgId="1"))).inbound
    assert voice is not None and (voice.kind, voice.text) == (InboundKind.VOICE, "我的订单")
    note = (await t.translate(fields("voice", MediaId="v", Format="amr", MsgId="2"))).inbound
    assert note is not None and note.kind == InboundKind.VOICE and note.file_name.endswith(".amr")
    assert await t.files.get(note.file_refs[0])                               # the AMR, for the conversation to hear
    assert (await t.translate(fields("voice", MediaId="missing", MsgId="2b"))).notice == "wecom.file_failed"
    photo = (await t.translate(fields("image", MediaId="m1", PicUrl="http://x", MsgId="3"))).inbound
    assert photo is not None and photo.kind == InboundKind.PHOTO
    assert await t.files.get(photo.file_refs[0]) == b"\xff\xd8photo"
    assert (await t.translate(fields("image", MediaId="missing", MsgId="4"))).notice == "wecom.file_failed"
    place = (await t.translate(fields("location", Location_X="30.27", Location_Y="120.15", Label="西湖",
                                      MsgId="5"))).inbound
    assert place is not None and (place.kind, place.latitude, place.longitude, place.text) == (
        InboundKind.LOCATION, 30.27, 120.15, "西湖")
    assert (await t.translate(fields("video", MediaId="v", MsgId="6"))).notice == "wecom.unsupported"
    assert (await t.translate(fields("location", Location_X="north", MsgId="7"))).notice == "wecom.unsupported"


# --- the pipeline: callback fields -> conversation -> chat.reply rows --------------------------------------------

async def test_a_dealer_binds_with_a_typed_code_and_the_replies_are_queued_once(tmp_path: Path) -> None:
    world = ChatWorld(channel="wecom")
    dealer = await world.dealer()
    invite = await create_invite(world.uow, Actor.system(), InviteKind.DEALER, dealer.code, world.clock)
    store = FakeOutboxStore(world.uow)
    files = FileStore(tmp_path / "files")
    updates = WeComUpdates(world.service, translator(tmp_path), ReplyQueue(store, files, world.clock),
                           FloodLimiter(50))
    message = fields("text", Content=f"绑定 {invite.code}", MsgId="900")
    await updates.process(message)
    await updates.process(message)                          # WeCom re-delivers the same MsgId
    [row] = [r for r in world.uow.outbox.rows if r.kind == "chat.reply"]
    assert (row.channel, row.chat_id, row.urgent, row.category.value) == ("wecom", "LiLaoBan", True, "system")
    rendered = render(row.kind, row.params, "zh-CN")
    assert "绑定成功" in rendered.parts[0].text and dealer.name in rendered.parts[0].text
    assert any(b.label == "🛒 下单" for r in rendered.parts[-1].buttons for b in r)
    [identity] = world.uow.identities.rows
    user = await world.uow.users.get(identity.user_id)
    assert (identity.channel, identity.external_id) == ("wecom", "LiLaoBan")
    assert user is not None and user.dealer_id == dealer.id


async def test_a_flooding_member_is_told_once_then_dropped(tmp_path: Path) -> None:
    world = ChatWorld(channel="wecom")
    store = FakeOutboxStore(world.uow)
    updates = WeComUpdates(world.service, translator(tmp_path), ReplyQueue(store, FileStore(tmp_path), world.clock),
                           FloodLimiter(2))
    for n in range(5):
        await updates.process(fields("text", Content="你好", MsgId=str(n)))
    texts = [render(r.kind, r.params, "zh-CN").text for r in world.uow.outbox.rows]
    assert len(texts) == 3 and "太快" in texts[-1] and "太快" not in texts[0], texts
