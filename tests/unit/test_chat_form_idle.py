"""A form step left for hours is closed when the chat speaks again (``handlers.service.FORM_IDLE``): a message typed
the next day is not the answer to yesterday's question ("客户姓名？" took "张先生在吗" as a name, a payment's reference
step any next message). The chat is told, and the message is handled as new. An open cart is no form: it stays."""

from __future__ import annotations

from datetime import timedelta

from tests.chat import ChatWorld, buttons, texts
from tests.unit.test_chat_aftersales import _world
from tests.unit.test_chat_cart_edits import CHAT, cart
from tests.unit.test_chat_cart_edits import world as cart_world


async def _left(w: ChatWorld, chat: str, hours: float) -> None:
    stored = await w.uow.dialogs.get_by(channel=w.channel, chat_id=chat)
    assert stored is not None and stored.updated_at is not None and stored.state
    stored.updated_at -= timedelta(hours=hours)


async def _at_name_step(w: ChatWorld) -> None:
    first = await w.say("100", "客户家的除湿机不出水")
    assert "客户姓名" in texts(await w.press("100", buttons(first)["⏭ 跳过"]))


async def test_a_form_left_overnight_is_closed_and_the_message_handled_as_new() -> None:
    w, _ = await _world()
    await _at_name_step(w)
    await _left(w, "100", 18)
    shown = texts(await w.say("100", "我的订单"))
    assert "上次没有完成的操作（11-25 16:00）时间太久，已关闭" in shown, shown
    assert "客户电话" not in shown and "订单" in shown
    stored = await w.uow.dialogs.get_by(channel=w.channel, chat_id="100")
    assert stored is not None and not stored.state.startswith("as")


async def test_a_form_left_for_minutes_takes_the_answer() -> None:
    w, _ = await _world()
    await _at_name_step(w)
    await _left(w, "100", 1)
    shown = texts(await w.say("100", "张先生"))
    assert "客户电话" in shown and "已关闭" not in shown


async def test_an_open_cart_is_kept_however_long_it_waited() -> None:
    w = await cart_world()
    await w.say(CHAT, "AP300 20台")
    await _left(w, CHAT, 30)
    shown = texts(await w.say(CHAT, "AP500 10台"))
    assert "已关闭" not in shown
    assert await cart(w) == {"AP300": 20, "AP500": 10}
