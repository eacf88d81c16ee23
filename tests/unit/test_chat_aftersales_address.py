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


async def test_english_customer_and_address_in_the_opening_sentence_fill_their_fields() -> None:
    """QA s28 #13: in English the name and address of the opening sentence were ignored (asked again) and the
    typed-ahead "use this" / "done" were stored as the customer's name and the address. Now "Mr Chen" and the
    address are taken as Chinese already did, and the description keeps only the problem."""
    w = await _world()
    await w.say("100", "/lang en")
    opening = await w.say("100", "hello, my customer DH20 shows E3 error after 2 weeks, customer Mr Chen 13800001111, "
                                 "address 88 Zhangjiang Rd Shanghai. not urgent")
    desc = await w.say("100", "skip")
    assert "Customer's name" not in texts(opening + desc) and "address for the visit" not in texts(opening + desc)
    assert "Problem: hello my customer DH20 shows E3 error after 2 weeks. not urgent" in texts(desc)
    photos = await w.say("100", "use this")
    summary = await w.say("100", "done")
    shown = texts(summary)
    assert "Customer: M* C*** 138****1111" in shown and "Address: 88 Zhangjiang Rd Shanghai" in shown
    await w.press("100", buttons(summary)["✅ Submit"])
    ticket = await w.uow.tickets.get_by(number="AS-20261126-0001")
    assert ticket is not None and "Send photos" in texts(photos)
    assert (ticket.customer_name, ticket.customer_phone, ticket.address) == (
        "Mr Chen", "13800001111", "88 Zhangjiang Rd Shanghai")
    assert "Zhangjiang" not in ticket.description and "Chen" not in ticket.description


async def test_button_words_typed_at_the_name_or_address_step_are_never_stored() -> None:
    """"use this" at the name step, "done" / "完成" at the address step: said again what the step wants."""
    w = await _world()
    await w.say("100", "/lang en")
    await w.say("100", "my customer DH20 shows E3 error")
    await w.say("100", "skip")
    refused = texts(await w.say("100", "use this"))
    assert "\"use this\" is not a customer's name" in refused and "Customer's name" in refused
    await w.say("100", "Li Na")
    await w.say("100", "13800138000")
    refused = texts(await w.say("100", "done"))
    assert "\"done\" is not an address" in refused and "address for the visit" in refused
    await w.say("100", "/lang zh")
    assert "“完成”不是地址" in texts(await w.say("100", "完成"))
    assert "问题描述" in texts(await w.say("100", "3-502, 88 Zhangjiang Rd, Pudong"))
