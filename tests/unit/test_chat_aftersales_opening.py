"""QA s27 P11: the opening sentence "客户家的除湿机不出水，客户王大妈 电话13812345678 浦东张杨路100号，序列号不记得了
挺急的" (was: serial, customer name and urgency asked again; "上面说了啊 王大妈" stored as the customer's name)."""

from __future__ import annotations

from core.aftersales import Priority
from nlu.repair_opening import opening_answers
from tests.chat import buttons, texts
from tests.unit.test_chat_aftersales_address import _world

OPENING = "客户家的除湿机不出水，客户王大妈 电话13812345678 浦东张杨路100号，序列号不记得了 挺急的"


async def test_customer_serial_and_urgency_said_first_are_not_asked_again() -> None:
    w = await _world()
    first = await w.say("100", OPENING)
    assert "请发送产品序列号" not in texts(first) and "客户姓名" not in texts(first), texts(first)
    photos = await w.press("100", buttons(first)["✔ 使用此描述"])
    summary = await w.press("100", buttons(photos)["✅ 完成"])
    assert "紧急" in texts(summary) and "客户：王** 138****5678" in texts(summary), texts(summary)
    await w.press("100", buttons(summary)["✅ 确认提交"])
    ticket = (await w.uow.tickets.list())[0]
    assert ticket.customer_name == "王大妈" and ticket.customer_phone == "13812345678"
    assert ticket.address == "浦东张杨路100号" and ticket.priority == Priority.URGENT and not ticket.serial_no


async def test_a_name_given_again_with_a_complaint_is_the_name_only() -> None:
    w = await _world()
    first = await w.say("100", "客户家的除湿机不出水")
    await w.press("100", buttons(first)["⏭ 跳过"])
    taken = texts(await w.say("100", "上面说了啊 王大妈"))
    assert "已记下：客户 王**。" in taken and "电话" in taken, taken      # (was: 上******** kept as the name)


def test_normal_is_never_read_from_the_opening() -> None:
    assert opening_answers("开机正常但是不出水").urgency is None
    assert opening_answers("不着急 序列号找不到").urgency == "low"
    assert opening_answers("不着急 序列号找不到").no_serial
