"""The always-available parts of the conversation: start, binding, menu, help, language, cancel."""

from __future__ import annotations

import pytest

from core.services.users import create_invite
from core.users import Actor, InviteKind, Role
from handlers.messages import InboundKind
from handlers.router import SHOWN
from nlu.binding_words import binding_code
from tests.chat import ChatWorld, buttons, texts


async def test_unbound_user_sees_binding_help_not_dealer_menu() -> None:
    w = ChatWorld()
    replies = await w.say("100", "/start")
    assert "绑定码" in texts(replies)
    assert "🛒 下单" not in texts(replies)


async def test_invite_code_binds_dealer_owner_and_shows_dealer_menu() -> None:
    w = ChatWorld()
    dealer = await w.dealer(name="上海华信电器有限公司")
    invite = await create_invite(w.uow, Actor.system(), InviteKind.DEALER, dealer.code, w.clock)
    replies = await w.say("100", f"/start {invite.code}")
    assert "上海华信电器有限公司" in texts(replies)
    assert "🛒 下单" in texts(replies)
    identity = await w.uow.identities.get_by(channel="telegram", external_id="100")
    assert identity is not None
    # the code is single use
    again = await w.say("200", f"/start {invite.code}")
    assert "已被使用" in texts(again)
    assert await w.uow.identities.get_by(channel="telegram", external_id="200") is None


async def test_unknown_invite_code_is_refused_politely() -> None:
    w = ChatWorld()
    replies = await w.say("100", "/start NOPE1234")
    assert "邀请码无效" in texts(replies)


async def test_language_switch_persists_for_the_chat() -> None:
    w = ChatWorld()
    await w.say("100", "/lang en")
    replies = await w.say("100", "/help")
    assert "Commands:" in texts(replies)
    await w.say("100", "/lang zh")
    assert "可用命令" in texts(await w.say("100", "/help"))


async def test_english_client_gets_english_by_default() -> None:
    w = ChatWorld()
    replies = await w.send(w._inbound("300", InboundKind.COMMAND, command="help", language="en-US"))
    assert "Commands:" in texts(replies)


async def test_cancel_words_leave_any_dialog() -> None:
    w = ChatWorld()
    dealer = await w.dealer()
    await w.user("100", Role.DEALER_OWNER, dealer)
    w.uow.dialogs.rows.clear()
    from core.dialogs import DialogState
    await w.uow.dialogs.add(DialogState(channel="telegram", chat_id="100", state="order.cart", data={"x": 1}))
    await w.uow.commit()
    replies = await w.say("100", "算了")
    assert "已取消" in texts(replies)
    stored = await w.uow.dialogs.get_by(channel="telegram", chat_id="100")
    assert stored is not None and stored.state == ""
    assert {k: v for k, v in stored.data.items() if k != SHOWN} == {}     # only the screen now shown is kept


async def test_redelivered_update_is_handled_once() -> None:
    w = ChatWorld()
    inbound = w._inbound("100", InboundKind.COMMAND, command="help")
    first = await w.send(inbound)
    second = await w.send(inbound)
    assert first and second == []


async def test_stale_or_forged_button_gets_a_polite_answer() -> None:
    w = ChatWorld()
    assert "按钮已失效" in texts(await w.press("100", "0|order.confirm|x"))
    assert "按钮已失效" in texts(await w.press("100", "garbage"))


async def test_dealer_menu_buttons_are_valid_payloads() -> None:
    w = ChatWorld()
    dealer = await w.dealer()
    await w.user("100", Role.DEALER_OWNER, dealer)
    menu = buttons(await w.say("100", "/menu"))
    assert all(p.startswith("1|") and len(p.encode()) <= 64 for p in menu.values())


async def test_huge_message_is_refused_with_the_limit() -> None:
    w = ChatWorld()
    replies = await w.say("100", "啊" * 5000)
    assert "消息太长" in texts(replies)


@pytest.mark.parametrize("channel", ["telegram", "wecom", "web", "console"])
async def test_an_invite_code_typed_as_text_binds_on_every_channel(channel: str) -> None:
    w = ChatWorld()
    w.channel = channel
    dealer = await w.dealer(name="上海华信电器有限公司")
    invite = await create_invite(w.uow, Actor.system(), InviteKind.DEALER, dealer.code, w.clock)
    replies = await w.say("100", f"{invite.code[:4]}-{invite.code[4:]}")
    assert "上海华信电器有限公司" in texts(replies) and "🛒 下单" in texts(replies)
    assert await w.uow.identities.get_by(channel=channel, external_id="100") is not None


@pytest.mark.parametrize(("text", "code"), [
    ("绑定 ABCD2345", "ABCD2345"), ("绑定码：abcd-2345", "abcd-2345"), ("bind ABCD2345", "ABCD2345"),
    ("ABCD2345", "ABCD2345"), ("ABCD-2345", "ABCD-2345"), ("abcd2345", "abcd2345"),
    ("whatever", None), ("AP300来两台", None), ("ABCD234", None), ("ABCDOOOO", None), ("你好", None)])
def test_binding_codes_in_plain_text(text: str, code: str | None) -> None:
    assert binding_code(text) == code


async def test_a_bound_dealer_typing_a_code_like_word_is_not_rebound() -> None:
    w = ChatWorld()
    dealer = await w.dealer(name="上海华信电器有限公司")
    first = await create_invite(w.uow, Actor.system(), InviteKind.DEALER, dealer.code, w.clock)
    await w.say("100", f"/start {first.code}")
    other = await create_invite(w.uow, Actor.system(), InviteKind.DEALER, dealer.code, w.clock)
    bare = await w.say("100", other.code)                 # a bare code-like text goes to the parser
    assert "已经绑定" not in texts(bare)
    said = await w.say("100", f"绑定 {other.code}")        # asked for in words: told it is bound already
    assert "您已经绑定过了" in texts(said)


@pytest.mark.parametrize("said", ["你好", "在吗", "hi"])
async def test_a_greeting_is_greeted_with_the_menu_and_help_still_lists_the_commands(said: str) -> None:
    """Tried in the chat: "你好" answered with the list of commands, then the menu."""
    w = ChatWorld()
    dealer = await w.dealer()
    await w.user("100", Role.DEALER_OWNER, dealer)
    greeted = await w.say("100", said)
    assert "可用命令" not in texts(greeted) and "Commands" not in texts(greeted)
    assert "下单" in " ".join(buttons(greeted))
    assert "可用命令" in texts(await w.say("100", "/help"))


async def test_one_english_message_does_not_turn_the_chat_english() -> None:
    """QA s26 #14: one English question ("whats my credit limit") left the next session's menu in English, and
    "中文" typed then was not understood. The reply follows the message; the chat settles on a language only
    at its second message in a row; "中文" / "English" typed alone switch like /lang."""
    w = ChatWorld()
    dealer = await w.dealer()
    await w.user("100", Role.DEALER_OWNER, dealer)
    assert "可用命令" in texts(await w.say("100", "/help"))
    english = texts(await w.say("100", "whats my credit limit"))
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in english.split("\n")[0]), english
    assert "可用命令" in texts(await w.say("100", "/help"))        # a new session: still Chinese
    await w.say("100", "where is my order")
    await w.say("100", "show me my balance")
    assert "Commands:" in texts(await w.say("100", "/help"))      # English twice in a row: the chat is English
    assert "已切换为中文" in texts(await w.say("100", "中文"))
    assert "可用命令" in texts(await w.say("100", "/help"))
    assert "Switched to English" in texts(await w.say("100", "English"))
