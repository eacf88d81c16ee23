"""The repair form keeps each answer in its own field (QA, dealer D0001): how urgent it is ("挺急的", "不着急") is the
urgency, never the fault's description nor the customer's name; the customer's name and phone written in one line
("客户王先生 13900001111", "Mr Chen 13911112222") fill both fields."""

from __future__ import annotations

from core.users import Role
from tests.chat import ChatWorld, buttons, texts


async def _world() -> ChatWorld:
    w = ChatWorld()
    await w.catalogue()
    dealer = await w.dealer(name="上海华信电器有限公司")
    await w.user("100", Role.DEALER_OWNER, dealer)
    return w


async def _data(w: ChatWorld) -> dict[str, object]:
    stored = await w.uow.dialogs.get_by(channel="telegram", chat_id="100")
    assert stored is not None
    return dict(stored.data)


async def test_urgency_typed_at_the_description_keeps_the_fault() -> None:
    """Was: "挺急的" stored as the description, the fault gone, the urgency never set."""
    w = await _world()
    await w.say("100", "我要报修 除湿机不出水了 客户李姐 13700002222 地址南京市鼓楼区中山路1号")
    desc = await w.say("100", "跳过")
    assert "问题描述：我要报修 除湿机不出水了" in texts(desc)
    again = await w.say("100", "挺急的")
    shown = texts(again)
    assert "紧急" in shown and "问题描述：我要报修 除湿机不出水了" in shown     # the fault offered again
    data = await _data(w)
    assert data["priority"] == "urgent" and "desc" not in data
    photos = await w.press("100", buttons(again)["✔ 使用此描述"])
    summary = await w.press("100", buttons(photos)["✅ 完成"])       # the priority step is not asked again
    shown = texts(summary)
    assert "问题：我要报修 除湿机不出水了" in shown and "紧急程度：紧急" in shown
    assert "13700002222" not in shown and "137****2222" in shown


async def test_name_and_phone_in_one_line_and_urgency_at_the_next_step() -> None:
    """Was: "客户王先生 13900001111" read as the fault ("这句话像是故障描述"), then "不着急" stored as the name."""
    w = await _world()
    await w.say("100", "售后报修")
    await w.say("100", "AP300 客户说开机就E3 重启没用")
    await w.say("100", "SN123456789")
    taken = texts(await w.say("100", "客户王先生 13900001111"))
    assert "故障描述" not in taken and "上门地址" in taken and "139****1111" in taken
    data = await _data(w)
    assert (data["name"], data["phone"]) == ("王先生", "13900001111")
    later = texts(await w.say("100", "不着急"))
    data = await _data(w)
    assert data["priority"] == "low" and data["name"] == "王先生" and "address" not in data
    assert "上门地址" in later                              # the address still asked


async def test_english_name_and_phone_in_one_line_then_the_address() -> None:
    """Was: the name "Mr Chen 13911112222", then the address rejected as a phone."""
    w = await _world()
    await w.say("100", "/lang en")
    await w.say("100", "my customer's AP300 shows E3 error, need repair")
    await w.say("100", "skip")
    taken = texts(await w.say("100", "Mr Chen 13911112222"))
    assert "address for the visit" in taken and "139****2222" in taken
    desc = texts(await w.say("100", "88 Zhangjiang Rd Pudong"))
    assert "Problem:" in desc
    data = await _data(w)
    assert (data["name"], data["phone"], data["address"]) == ("Mr Chen", "13911112222", "88 Zhangjiang Rd Pudong")
