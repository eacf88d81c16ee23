"""A form left half-filled and the chat opened again (QA s25 #3): the greeting (/menu, /start) showed the main menu,
and a number typed then pressed one of its buttons and threw the draft away. Now a dealer with a draft open is told
so, with ▶ continue / 🗑 discard, and the main menu comes after discarding."""

from __future__ import annotations

from handlers.router import payload
from tests.chat import ChatWorld, buttons, texts
from tests.unit.test_chat_aftersales import _world


async def _draft_at_priority(w: ChatWorld) -> None:
    await w.press("100", payload("as.new"))
    await w.press("100", payload("as.sku", "AP300"))
    await w.press("100", payload("as.skip"))
    await w.say("100", "王大妈")
    await w.say("100", "13812345678")
    await w.press("100", payload("as.skip"))                 # no address
    await w.say("100", "开机就滴滴响，屏幕显示E3")
    asked = texts(await w.press("100", payload("as.done")))
    assert "紧急程度" in asked


async def test_the_greeting_with_a_draft_open_offers_to_continue_it_not_the_menu() -> None:
    w, _ = await _world()
    await _draft_at_priority(w)
    for greeting in ("/menu", "/start"):
        replies = await w.say("100", greeting)
        shown, pressed = texts(replies), buttons(replies)
        assert "没填完" in shown and "售后报修" in shown
        assert set(pressed) == {"▶ 继续填写", "🗑 放弃，回主菜单"}
    stored = await w.uow.dialogs.get_by(channel=w.channel, chat_id="100")
    assert stored is not None and stored.state == "as.priority" and stored.data.get("name") == "王大妈"
    again = await w.press("100", buttons(replies)["▶ 继续填写"])
    assert "紧急程度" in texts(again)
    summary = texts(await w.press("100", payload("as.prio", "urgent")))
    assert "E3" in summary and "王" in summary


async def test_discarding_the_draft_shows_the_menu() -> None:
    w, _ = await _world()
    await _draft_at_priority(w)
    replies = await w.say("100", "/menu")
    dropped = await w.press("100", buttons(replies)["🗑 放弃，回主菜单"])
    assert "已放弃" in texts(dropped) and "🛒 下单" in buttons(dropped)
    stored = await w.uow.dialogs.get_by(channel=w.channel, chat_id="100")
    assert stored is not None and not stored.state
    assert "已放弃" not in texts(await w.press("100", buttons(replies)["🗑 放弃，回主菜单"]))   # stale: nothing again


async def test_no_draft_no_notice() -> None:
    w, _ = await _world()
    replies = await w.say("100", "/menu")
    assert "没填完" not in texts(replies) and "🛒 下单" in buttons(replies)
