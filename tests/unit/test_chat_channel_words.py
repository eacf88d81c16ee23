"""The channel manager's words that went to the wrong place (chat-desk #3): "合肥新锐的联系人电话" (was: the FAQ on
how to reach the manufacturer) opens the dealer's card with its contacts; a question read unsurely as a dealer's own
job ("哪些经销商这个月没进货": 上报销量?) is not offered to staff, who cannot do it (was: "您是想上报销量吗？",
then "此功能仅供经销商用户使用")."""

from __future__ import annotations

import pytest

from core.users import Role
from tests.chat import ChatWorld, texts

CHANNEL, FIN = "301", "400"


async def _world() -> ChatWorld:
    w = ChatWorld()
    await w.catalogue()
    await w.dealer(name="合肥新锐电器有限公司", code="D0007")
    await w.user(CHANNEL, Role.CHANNEL_MANAGER, username="wang")
    await w.user(FIN, Role.FINANCE, username="wu")
    return w


@pytest.mark.parametrize("asked", ["合肥新锐的联系人电话", "合肥新锐老板是谁", "D0007 的联系方式"])
async def test_a_dealers_contacts_asked_open_its_card(asked: str) -> None:
    w = await _world()
    shown = texts(await w.say(CHANNEL, asked))
    assert "D0007" in shown and "合肥新锐电器有限公司" in shown and "联系人" in shown, shown
    assert "客服热线" not in shown


@pytest.mark.parametrize("chat", [CHANNEL, FIN])
async def test_staff_are_not_offered_a_dealers_own_job_for_words_read_unsurely(chat: str) -> None:
    w = await _world()
    shown = texts(await w.say(chat, "哪些经销商这个月没进货"))
    assert "您是想" not in shown and "是的" not in shown, shown
    assert "经销商订货排行（本月）" in shown          # the dealers' figures this month, what staff can read
