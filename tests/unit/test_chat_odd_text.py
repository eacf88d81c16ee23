"""Text no database or channel can carry (lone surrogates from a JSON "\\ud800") is cleaned before anything else,
for every channel (the web chat and WeCom reach the service without the Telegram translator)."""

from __future__ import annotations

import pytest

from core.users import Role
from handlers.messages import Inbound, InboundKind, without_lone_surrogates
from tests.chat import ChatWorld, texts


@pytest.mark.parametrize("channel", ["web", "wecom", "console"])
async def test_a_lone_surrogate_gets_an_answer_not_an_error(channel: str) -> None:
    world = ChatWorld(channel=channel)
    await world.catalogue()
    dealer = await world.dealer()
    await world.user("1001", Role.DEALER_OWNER, dealer)
    reply = texts(await world.say("1001", "AP300\ud800 有货吗"))
    assert "厂家库存" in reply and "出了点问题" not in reply
    dialog = await world.uow.dialogs.get_by(channel=channel, chat_id="1001")
    assert dialog is not None
    reply = texts(await world.say("1001", "AP300 来两台\udfff"))
    assert "出了点问题" not in reply


def test_pairs_are_joined_and_lone_halves_replaced() -> None:
    inbound = Inbound(channel="web", chat_id="1", user_id="1", kind=InboundKind.TEXT,
                      text="a\ud83d\ude00b\ud800c", display_name="\udfff李")
    clean = without_lone_surrogates(inbound)
    assert clean.text == "a\U0001f600b\ufffdc" and clean.display_name == "\ufffd李"
    clean.text.encode("utf-8")            # storable and sendable now
    untouched = Inbound(channel="web", chat_id="1", user_id="1", kind=InboundKind.TEXT, text="普通 text")
    assert without_lone_surrogates(untouched) is untouched
