"""Staff send a notice to dealers in words ("给华东区的经销商发个通知：…"): who is read from the words (region, tier,
codes, a city, everyone), a confirm shows how many dealers and the text, ✅ 发送 pushes it once to every user of those
dealers, audited; other roles and dealers send nothing (core.services.notices, handlers.flows.notices)."""

from __future__ import annotations

import pytest

from core.errors import PermissionDenied
from core.services.notices import Audience, send_notice
from core.users import Role
from tests.chat import ChatWorld, buttons, texts
from tests.factories import dealer_user, staff

MARKETING, CHANNEL, DESK = "900", "901", "902"


async def _world() -> tuple[ChatWorld, dict[str, str]]:
    w = ChatWorld()
    await w.catalogue()
    chats = {}
    for n, (region, tier, city, province) in enumerate((("华东", "A", "杭州", "浙江"), ("华东", "B", "南京", "江苏"),
                                                        ("华北", "A", "北京", "北京"), ("华东", "A", "杭州", "浙江"))):
        dealer = await w.dealer(region=region, tier=tier, city=city, province=province)
        chats[dealer.code] = f"10{n}"
        await w.user(f"10{n}", Role.DEALER_OWNER, dealer)
    await w.user(MARKETING, Role.MARKETING, username="sun")
    await w.user(CHANNEL, Role.CHANNEL_MANAGER, username="wang")
    await w.user(DESK, Role.ORDER_DESK, username="zhang")
    return w, chats


@pytest.mark.parametrize(("said", "who"), [
    ("给华东区的经销商发个通知：双十二活动开始了，热线 13800138000", {0, 1, 3}),
    ("通知A级经销商：下周一起调价", {0, 2, 3}),
    ("给华东A级的经销商发消息：下周一起调价", {0, 3}),
    ("给杭州的经销商发通知：明天仓库盘点停发一天", {0, 3}),
    ("给所有经销商发公告：春节放假安排见附件", {0, 1, 2, 3}),
])
async def test_a_notice_reaches_the_dealers_the_words_name_once_after_a_confirm(said: str, who: set[int]) -> None:
    w, chats = await _world()
    codes = sorted(chats)
    asked = await w.say(MARKETING, said)
    text = said.split("：", 1)[1]
    assert f"{len(who)} 家经销商" in texts(asked) and text in texts(asked)
    assert not await w.all_pushed()                                   # nothing before the confirm
    done = await w.press(MARKETING, buttons(asked)["✅ 发送"])
    assert f"已发送给 {len(who)} 家经销商" in texts(done)
    for n, code in enumerate(codes):
        pushed = texts(await w.pushed(chats[code]))
        assert (text in pushed) == (n in who), (code, pushed)
    w.forget_pushes()
    await w.press(MARKETING, buttons(asked)["✅ 发送"])                # a second tap sends nothing again
    assert not await w.all_pushed()
    assert [r.action for r in w.uow.audit.rows].count("notice.send") == 1


async def test_the_words_are_kept_as_written_and_typed_confirm_sends() -> None:
    w, _ = await _world()
    await w.say(CHANNEL, "给华北的经销商发消息：售后热线 13800138000 全天有人")
    done = await w.say(CHANNEL, "确认")
    assert "已发送给 1 家经销商" in texts(done)
    assert "售后热线 13800138000 全天有人" in texts(await w.pushed("102"))     # the words as written, not masked


async def test_who_may_send_and_words_naming_nobody() -> None:
    w, _ = await _world()
    assert "没认出要发给谁" in texts(await w.say(MARKETING, "通知VIP客户：测试"))
    assert "发通知需要市场部或渠道经理的权限" in texts(await w.say(DESK, "给华东区的经销商发个通知：测试"))
    assert not await w.all_pushed()
    with pytest.raises(PermissionDenied):
        await send_notice(w.uow, staff(Role.ORDER_DESK), Audience(), "测试", "k1", w.clock)
    with pytest.raises(PermissionDenied):
        await send_notice(w.uow, dealer_user(1), Audience(), "测试", "k2", w.clock)
    dealer_said = texts(await w.say("100", "给华东区的经销商发个通知：我也想发"))
    assert "将发给" not in dealer_said
