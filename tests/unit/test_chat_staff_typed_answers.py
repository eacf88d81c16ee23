"""Staff answer a confirm card in words. The new-ticket form's 取消 leaves the form (was: 已取消 said, yet the next
message was read as the ticket's problem)."""

from __future__ import annotations

from core.users import Role
from tests.chat import ChatWorld, buttons, texts

AFTER_SALES = "320"


# --- after-sales: a ticket filed for a dealer ---------------------------------------------------------------

async def _ticket_world() -> ChatWorld:
    w = ChatWorld()
    await w.catalogue()
    await w.dealer(name="杭州嘉禾电器有限公司", code="D0009")
    await w.user(AFTER_SALES, Role.AFTER_SALES, username="li.aftersales")
    return w


async def test_the_cancel_button_of_the_new_ticket_form_leaves_it() -> None:
    """(was: 已取消 said, yet the next message was read as the ticket's problem)"""
    w = await _ticket_world()
    await w.say(AFTER_SALES, "给杭州嘉禾开个售后单")
    asked = await w.say(AFTER_SALES, "AP300 不开机")
    await w.press(AFTER_SALES, buttons(asked)["取消"])
    assert "确认新建售后工单" not in texts(await w.say(AFTER_SALES, "客户说还有一台也坏了"))
