"""The repair's address and the customer's phone, written into a repair request the way dealers type them ("地址是浦东
新区张江路88号 电话13800138000 王师傅"): their own fields of the ticket, not the fault's description; the address asked
for when missing; shown to after-sales staff; kept encrypted like the other personal data."""

from __future__ import annotations

from core.users import Role
from handlers.router import payload
from storage.tables_work import tickets
from storage.types import EncryptedString
from tests.chat import ChatWorld, buttons, texts


async def _world() -> ChatWorld:
    w = ChatWorld()
    await w.catalogue()
    dealer = await w.dealer(name="上海华信电器有限公司")
    await w.user("100", Role.DEALER_OWNER, dealer)
    await w.user("900", Role.AFTER_SALES, username="li.aftersales")
    return w


async def test_address_and_phone_in_the_opening_words_fill_their_fields_not_the_description() -> None:
    w = await _world()
    replies = await w.say("100", "客户家的除湿机不出水了，地址是浦东新区张江路88号 电话13800138000 王师傅")
    desc = await w.press("100", buttons(replies)["⏭ 跳过"])          # no serial: name, phone, address are known
    assert "问题描述：客户家的除湿机不出水了\n" in texts(desc)
    assert "张江路" not in texts(desc) and "138" not in texts(desc)
    photos = await w.press("100", buttons(desc)["✔ 使用此描述"])
    prio = await w.press("100", buttons(photos)["✅ 完成"])
    summary = await w.press("100", buttons(prio)["普通（48 小时）"])
    assert "地址：浦东新区张江路88号" in texts(summary) and "王师傅 138****8000" in texts(summary)
    w.forget_pushes()
    await w.press("100", buttons(summary)["✅ 确认提交"])
    ticket = await w.uow.tickets.get_by(number="AS-20261126-0001")
    assert ticket is not None
    assert ticket.description == "客户家的除湿机不出水了"
    assert ticket.address == "浦东新区张江路88号" and ticket.customer_phone == "13800138000"
    assert ticket.customer_name == "王师傅"
    pushed = texts(await w.all_pushed())
    assert "地址：浦东新区张江路88号" in pushed and "13800138000" not in pushed

    card = texts(await w.press("900", payload("staff.ticket.detail", "AS-20261126-0001")))
    assert "地址：浦东新区张江路88号" in card and "客户家的除湿机不出水了" in card


async def test_the_address_is_asked_when_missing_and_may_be_skipped() -> None:
    w = await _world()
    replies = await w.say("100", "客户家的除湿机不出水")
    await w.press("100", buttons(replies)["⏭ 跳过"])
    await w.say("100", "张先生")
    asked = await w.say("100", "13800138000")
    assert "上门地址" in texts(asked)
    desc = await w.say("100", "闵行区七莘路1808号3栋502")
    assert "客户家的除湿机不出水" in texts(desc)
    await w.press("100", buttons(desc)["✔ 使用此描述"])
    prio = await w.press("100", payload("as.done"))
    summary = await w.press("100", buttons(prio)["普通（48 小时）"])
    await w.press("100", buttons(summary)["✅ 确认提交"])
    ticket = await w.uow.tickets.get_by(number="AS-20261126-0001")
    assert ticket is not None and ticket.address == "闵行区七莘路1808号3栋502"


async def test_a_problem_typed_at_the_address_step_is_kept_as_the_problem() -> None:
    w = await _world()
    await w.press("100", payload("as.new"))
    await w.press("100", payload("as.sku", "DH20"))
    await w.press("100", payload("as.skip"))
    await w.say("100", "张先生")
    await w.say("100", "13800138000")
    desc = await w.say("100", "地址在金桥路100号，机器开机就滴滴响 显示E3")
    assert "机器开机就滴滴响 显示E3" in texts(desc) and "金桥路" not in texts(desc)


def test_the_address_is_encrypted_at_rest() -> None:
    assert isinstance(tickets.c.address.type, EncryptedString)


async def test_an_address_typed_at_the_serial_or_name_step_fills_the_address_not_the_name() -> None:
    """(was: "闵行区七莘路1808号3栋502" at the serial step "不像序列号", and at the name step taken as the customer's
    name)"""
    w = await _world()
    await w.press("100", payload("as.new"))
    await w.press("100", payload("as.sku", "DH20"))
    shown = texts(await w.say("100", "闵行区七莘路1808号3栋502"))
    assert "不像序列号" not in shown and "地址 闵行区七莘路1808号3栋502" in shown and "序列号" in shown
    await w.press("100", payload("as.skip"))
    shown = texts(await w.say("100", "浦东新区张江路88号"))
    assert "客户姓名" in shown
    stored = await w.uow.dialogs.get_by(channel="telegram", chat_id="100")
    assert stored is not None and "name" not in stored.data and stored.data["address"] == "闵行区七莘路1808号3栋502"
