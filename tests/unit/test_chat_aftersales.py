"""After-sales in chat: the guided form, exactly-once filing, the staff push, list/detail/rating/comments."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.aftersales import Priority, Ticket, TicketComment, TicketStatus
from core.orders import Order, OrderLine
from core.users import Role
from handlers.i18n import last_language
from handlers.router import payload
from tests.chat import ChatWorld, buttons, texts
from tests.factories import at


async def _world() -> tuple[ChatWorld, int]:
    w = ChatWorld()
    await w.catalogue()
    dealer = await w.dealer(name="上海华信电器有限公司")
    await w.user("100", Role.DEALER_OWNER, dealer)
    await w.user("101", Role.DEALER_CLERK, dealer)
    await w.user("900", Role.AFTER_SALES, username="zhang")
    await w.user("901", Role.FINANCE, username="qian")
    assert dealer.id is not None
    return w, dealer.id


async def test_free_text_starts_a_prefilled_form_and_files_one_ticket() -> None:
    w, dealer_id = await _world()
    replies = await w.say("100", "客户家的除湿机不出水")
    # the product came from the words: straight to serial / order number
    assert "序列号" in texts(replies)
    assert "客户姓名" in texts(await w.press("100", buttons(replies)["⏭ 跳过"]))
    assert "客户电话" in texts(await w.say("100", "张先生"))

    wrong = await w.say("100", "12345")
    assert "无效" in texts(wrong) and "重新输入" in texts(wrong)
    stored = await w.uow.dialogs.get_by(channel="telegram", chat_id="100")
    assert stored is not None and stored.state == "as.phone"

    address = await w.say("100", "+86 138 0013 8000")
    assert "上门地址" in texts(address)                 # asked when the words gave none
    desc = await w.press("100", payload("as.skip"))
    assert "客户家的除湿机不出水" in texts(desc)
    photos = await w.press("100", buttons(desc)["✔ 使用此描述"])
    assert "照片" in texts(photos)
    await w.photo("100", "ph-1")
    got = await w.photo("100", "ph-2")
    assert "已收到 2 张照片" in texts(got)
    priority = await w.press("100", buttons(got)["✅ 完成"])
    assert "紧急（4 小时）" in buttons(priority)

    summary = await w.press("100", buttons(priority)["紧急（4 小时）"])
    text = texts(summary)
    assert "除湿机DH20" in text and "张先生 138****8000" in text and "照片：2 张" in text
    assert "13800138000" not in text                    # what the dealer just typed is shown masked too
    confirm = buttons(summary)["✅ 确认提交"]

    w.forget_pushes()
    created = await w.press("100", confirm)
    assert "工单已创建：AS-20261126-0001" in texts(created)
    assert "2026-11-26 14:00" in texts(created)        # urgent: 4 hours from 10:00
    ticket = await w.uow.tickets.get_by(number="AS-20261126-0001")
    assert ticket is not None
    assert ticket.dealer_id == dealer_id and ticket.sku == "DH20" and ticket.customer_phone == "13800138000"
    assert ticket.photos == ["ph-1", "ph-2"] and ticket.priority == Priority.URGENT
    assert ticket.description == "客户家的除湿机不出水"

    assert not [r for r in created if r.chat_id]            # staff hear of it through the outbox
    pushes = await w.all_pushed()
    assert [(r.channel, r.chat_id) for r in pushes] == [("telegram", "900")]   # finance does not handle tickets
    assert "AS-20261126-0001" in pushes[0].text and "上海华信电器有限公司" in pushes[0].text
    assert set(buttons(pushes).values()) == {payload("staff.ticket.accept", "AS-20261126-0001"),
                                              payload("staff.ticket.detail", "AS-20261126-0001")}

    again = await w.press("100", confirm)
    assert "工单已创建：AS-20261126-0001" in texts(again)
    assert await w.uow.tickets.count() == 1
    assert not await w.all_pushed()                          # staff are told once


async def test_menu_button_form_with_product_buttons_serial_and_normal_priority() -> None:
    w, _ = await _world()
    replies = await w.press("100", payload("as.new"))
    assert "售后报修" in texts(replies)
    assert buttons(replies)["空气净化器AP300"] == payload("as.sku", "AP300")
    await w.press("100", payload("as.sku", "AP300"))
    await w.say("100", "SN-AP300-778812")
    await w.say("100", "李女士")
    await w.say("100", "021-6123 4567")
    desc = await w.say("100", "徐汇区漕溪北路18号")
    assert "请描述故障" in texts(desc)
    await w.say("100", "开机后有异响")
    prio = await w.press("100", payload("as.done"))            # no photos
    summary = await w.press("100", buttons(prio)["普通（48 小时）"])
    assert "SN-AP300-778812" in texts(summary) and "李女士 021****4567" in texts(summary)
    await w.press("100", buttons(summary)["✅ 确认提交"])
    ticket = await w.uow.tickets.get_by(number="AS-20261126-0001")
    assert ticket is not None and ticket.serial_no == "SN-AP300-778812" and ticket.photos == []
    assert ticket.priority == Priority.NORMAL and ticket.customer_name == "李女士"


async def test_unknown_typed_product_is_asked_again() -> None:
    w, _ = await _world()
    await w.press("100", payload("as.new"))
    replies = await w.say("100", "微波炉")
    assert "没有找到产品“微波炉”" in texts(replies)
    stored = await w.uow.dialogs.get_by(channel="telegram", chat_id="100")
    assert stored is not None and stored.state == "as.product"
    assert "序列号" in texts(await w.say("100", "净化器300"))


async def test_order_number_of_another_dealer_is_not_found() -> None:
    w, _ = await _world()
    other = await w.dealer()
    await w.uow.orders.add(Order(number="SO-20261120-0009", dealer_id=other.id,  # type: ignore[arg-type]
                                 lines=[OrderLine("AP300", "空气净化器AP300", 2, Decimal("1999.00"))]))
    await w.uow.commit()
    replies = await w.press("100", payload("as.new", "SO-20261120-0009"))
    assert "未找到" in texts(replies)
    # typed in the form: asked again, nothing leaks
    await w.press("100", payload("as.new"))
    await w.press("100", payload("as.sku", "AP300"))
    typed = await w.say("100", "SO-20261120-0009")
    assert "没有找到您的订单 SO-20261120-0009" in texts(typed)


async def test_own_order_button_prefills_order_and_product() -> None:
    w, dealer_id = await _world()
    await w.uow.orders.add(Order(number="SO-20261120-0001", dealer_id=dealer_id,
                                 lines=[OrderLine("DH20", "除湿机DH20", 2, Decimal("1599.00"))]))
    await w.uow.commit()
    replies = await w.press("100", payload("as.new", "SO-20261120-0001"))
    assert "客户姓名" in texts(replies)        # product and order are known


async def test_photo_limit_is_nine() -> None:
    w, _ = await _world()
    await w.press("100", payload("as.new"))
    for _ in ("product", "ref", "name", "phone", "address"):
        await w.press("100", payload("as.skip"))
    await w.say("100", "不制冷")
    last = await w.photo("100", *[f"p{i}" for i in range(10)])
    assert "上限 9 张" in texts(last)
    stored = await w.uow.dialogs.get_by(channel="telegram", chat_id="100")
    assert stored is not None and stored.data["photos"] == [f"p{i}" for i in range(9)]


async def test_unbound_user_and_staff_cannot_open_the_form() -> None:
    w, _ = await _world()
    assert "绑定码" in texts(await w.press("555", payload("as.new")))
    assert "仅供经销商" in texts(await w.press("900", payload("as.new")))


async def test_stale_confirm_button_is_refused() -> None:
    w, _ = await _world()
    replies = await w.press("100", payload("as.ok", "deadbeef"))
    assert "按钮已失效" in texts(replies)
    assert await w.uow.tickets.count() == 0


async def _resolved_ticket(w: ChatWorld, dealer_id: int) -> Ticket:
    ticket = Ticket(number="AS-20261120-0001", dealer_id=dealer_id, description="净化器报警灯常亮", sku="AP300",
                    customer_name="王先生", customer_phone="13900001111", priority=Priority.HIGH,
                    sla_due_at=at("2026-11-21 10:00"), status=TicketStatus.RESOLVED, assignee="staff:zhang",
                    resolution="更换传感器", resolved_at=at("2026-11-20 18:00"), created_by="dealer:1:li",
                    created_at=at("2026-11-20 10:00"),
                    comments=[TicketComment("staff:zhang", "", at("2026-11-20 11:00"), TicketStatus.ACCEPTED),
                              TicketComment("staff:zhang", "更换传感器", at("2026-11-20 18:00"),
                                            TicketStatus.RESOLVED)])
    await w.uow.tickets.add(ticket)
    await w.uow.commit()
    return ticket


async def test_list_detail_timeline_and_rating_by_the_owner() -> None:
    w, dealer_id = await _world()
    await _resolved_ticket(w, dealer_id)
    listing = await w.press("100", payload("as.list"))
    assert "AS-20261120-0001 · 已解决" in texts(listing)
    detail = await w.press("100", buttons(listing)["AS-20261120-0001 · 已解决"])
    text = texts(detail)
    assert "处理结果：更换传感器" in text and "2026-11-20 11:00 已受理 zhang" in text
    assert "2026-11-20 18:00 已解决 zhang：更换传感器" in text
    assert buttons(detail)["⭐⭐⭐⭐⭐"] == payload("as.rate", "AS-20261120-0001", 5)

    rated = await w.press("100", payload("as.rate", "AS-20261120-0001", 4))
    assert "★★★★☆" in texts(rated)
    ticket = await w.uow.tickets.get_by(number="AS-20261120-0001")
    assert ticket is not None and ticket.satisfaction == 4
    assert "已评价" in texts(await w.press("100", payload("as.rate", "AS-20261120-0001", 5)))


async def test_clerk_cannot_rate_and_other_dealer_cannot_see() -> None:
    w, dealer_id = await _world()
    await _resolved_ticket(w, dealer_id)
    clerk_view = await w.press("101", payload("as.view", "AS-20261120-0001"))
    assert "⭐⭐⭐⭐⭐" not in buttons(clerk_view)
    forged = await w.press("101", payload("as.rate", "AS-20261120-0001", 5))
    assert "只有经销商负责人可以评价" in texts(forged)
    other = await w.dealer()
    await w.user("200", Role.DEALER_OWNER, other)
    assert "未找到" in texts(await w.press("200", payload("as.view", "AS-20261120-0001")))
    assert "未找到" in texts(await w.press("200", payload("as.rate", "AS-20261120-0001", 1)))
    assert "评分须为" in texts(await w.press("100", payload("as.rate", "AS-20261120-0001", "x")))
    ticket = await w.uow.tickets.get_by(number="AS-20261120-0001")
    assert ticket is not None and ticket.satisfaction is None


async def test_comment_is_added_to_the_timeline() -> None:
    w, dealer_id = await _world()
    await _resolved_ticket(w, dealer_id)
    ask = await w.press("100", payload("as.cmt", "AS-20261120-0001"))
    assert "留言" in texts(ask)
    done = await w.say("100", "客户说还有点异味")
    assert "留言已添加" in texts(done) and "客户说还有点异味" in texts(done)
    ticket = await w.uow.tickets.get_by(number="AS-20261120-0001")
    assert ticket is not None and ticket.comments[-1].text == "客户说还有点异味"


async def test_english_chat_gets_english_form() -> None:
    w, _ = await _world()
    await w.say("100", "/lang en")
    replies = await w.press("100", payload("as.new"))
    assert "After-sales request" in texts(replies) and "Skip" in texts(replies)


async def test_a_new_problem_typed_at_the_name_step_is_no_customer_name() -> None:
    """A form left at the customer's name (the dealer went away) and a new problem typed the next day: it was
    stored as the customer's name ("客户：客*********"), later the form started again from it and dropped the draft
    ("之前没填完的报修已放弃"). Now the words are kept as the description (the product they name taken), the draft
    kept, and the name asked again."""
    w, _ = await _world()
    first = await w.say("100", "客户家的除湿机不出水")
    assert "客户姓名" in texts(await w.press("100", buttons(first)["⏭ 跳过"]))
    again = await w.say("100", "客户的AP300净化器开不了机")
    shown = texts(again)
    assert "已放弃" not in shown and "重新开始" not in shown
    assert "不是客户姓名" in shown and "客户姓名" in shown.split("不是客户姓名")[1]
    stored = await w.uow.dialogs.get_by(channel="telegram", chat_id="100")
    assert stored is not None and "name" not in stored.data and stored.state == "as.name"
    assert "ref" in stored.data["done"]
    assert stored.data.get("sku") == "AP300" and "开不了机" in stored.data.get("desc_hint", "")


async def test_the_fault_typed_at_the_name_step_keeps_the_draft_and_becomes_the_description() -> None:
    """QA s25 #8: 售后报修 → AP300 → serial → at the customer's name "ap300开机滴滴响，屏幕显示E3，风扇不转" (was: "已按这句话
    重新开始报修（之前没填完的报修已放弃）")."""
    w, _ = await _world()
    await w.press("100", payload("as.new"))
    await w.press("100", payload("as.sku", "AP300"))
    assert "客户姓名" in texts(await w.say("100", "SN2024A0013"))
    shown = texts(await w.say("100", "ap300开机滴滴响，屏幕显示E3，风扇不转，客户着急要用"))
    assert "已放弃" not in shown and "客户姓名" in shown
    stored = await w.uow.dialogs.get_by(channel="telegram", chat_id="100")
    assert stored is not None and stored.state == "as.name" and "name" not in stored.data
    assert stored.data.get("serial") == "SN2024A0013" and "E3" in stored.data.get("desc_hint", "")
    await w.say("100", "王大妈")
    await w.say("100", "13812345678")
    asked = texts(await w.press("100", payload("as.skip")))           # no address
    assert "E3" in asked and "使用此描述" in asked


async def test_customer_words_at_the_serial_step_fill_the_customer_and_the_fault_stays_the_description() -> None:
    """QA s25 #7: the fault of the first message was dropped and "序列号不记得了 客户叫王大妈 电话13812345678" became the
    description. Now the name and phone fill the customer, 序列号不记得了 passes the serial over, the fault stays."""
    w, _ = await _world()
    await w.say("100", "我要报修 客户家的AP300用了两个月 开机就滴滴响 屏幕显示E3 风扇不转")
    assert "上门地址" in texts(await w.say("100", "序列号不记得了 客户叫王大妈 电话13812345678"))
    shown = texts(await w.press("100", payload("as.skip")))            # no address
    assert "问题描述" in shown and "E3" in shown and "王大妈" not in shown.split("问题描述")[1]
    stored = await w.uow.dialogs.get_by(channel="telegram", chat_id="100")
    assert stored is not None and stored.state == "as.desc"
    assert stored.data.get("name") == "王大妈" and stored.data.get("phone") == "13812345678"
    assert "serial" not in stored.data and "风扇不转" in stored.data["desc_hint"]
    assert "王大妈" not in stored.data["desc_hint"]


@pytest.mark.parametrize("said", ["没有序列号", "序列号找不到了", "铭牌磨掉了看不清"])
async def test_no_serial_said_in_words_passes_the_serial_step(said: str) -> None:
    """(was: "没有序列号" at the serial step showed the campaigns)"""
    w, _ = await _world()
    await _at_serial_step(w)
    shown = texts(await w.say("100", said))
    assert "客户姓名" in shown and "活动" not in shown
    stored = await w.uow.dialogs.get_by(channel="telegram", chat_id="100")
    assert stored is not None and stored.state == "as.name" and "serial" not in stored.data


@pytest.mark.parametrize("name", ["张先生", "王师傅", "李总 13800138000", "Mr Chen"])
async def test_a_name_at_the_name_step_is_taken(name: str) -> None:
    w, _ = await _world()
    first = await w.say("100", "客户家的除湿机不出水")
    await w.press("100", buttons(first)["⏭ 跳过"])
    shown = texts(await w.say("100", name))
    # the phone written with the name ("李总 13800138000") is taken too: the address is asked next
    assert "客户电话" in shown or "Customer's phone" in shown or "上门地址" in shown and "138" in name


@pytest.mark.parametrize("said", ["工单怎么样了", "我的工单"])
async def test_a_question_at_the_product_step_is_answered_and_the_form_kept(said: str) -> None:
    """A form left at its product step, then a question about the tickets: it was answered "没有找到产品
    “工单怎么样了”" with the catalogue. Now the question is answered and the form asks for the product again."""
    w, _ = await _world()
    await w.say("100", "我要报修")
    stored = await w.uow.dialogs.get_by(channel="telegram", chat_id="100")
    assert stored is not None and stored.state == "as.product"
    replies = await w.say("100", said)
    shown = texts(replies)
    assert "没有找到产品" not in shown
    assert "售后工单和质量反馈" in shown or "还没有" in shown
    assert "售后报修还没填完" in shown and "请选择产品" in shown
    stored = await w.uow.dialogs.get_by(channel="telegram", chat_id="100")
    assert stored is not None and stored.state == "as.product"


async def test_a_question_at_the_photo_step_is_answered_and_the_form_kept() -> None:
    """(was: "请发送照片，发完点“完成”" to "上次那单到哪了", whatever was asked, in a form left at its photos)"""
    w, _ = await _world()
    first = await w.say("100", "客户家的AP300不开机")
    await w.press("100", buttons(first)["⏭ 跳过"])
    await w.press("100", payload("as.skip"))
    await w.press("100", payload("as.skip"))
    await w.press("100", payload("as.skip"))
    asked = await w.press("100", payload("as.keep"))
    assert "照片" in texts(asked)
    replies = await w.say("100", "上次那单到哪了")
    shown = texts(replies)
    assert "还没有订单" in shown and "售后报修还没填完" in shown and "故障照片" in shown
    stored = await w.uow.dialogs.get_by(channel="telegram", chat_id="100")
    assert stored is not None and stored.state == "as.photos"


async def _at_serial_step(w: ChatWorld) -> None:
    await w.press("100", payload("as.new"))
    asked = await w.press("100", payload("as.sku", "DH20"))
    assert "序列号" in texts(asked)


async def test_a_problem_typed_at_the_serial_step_is_the_description_not_the_serial() -> None:
    """(was: "客户家的除湿机不出水了" stored as 序列号/订单 and the form went on to the customer's name)"""
    w, _ = await _world()
    await _at_serial_step(w)
    replies = await w.say("100", "客户家的除湿机不出水了")
    shown = texts(replies)
    assert "不是序列号" in shown and "序列号" in shown and "客户姓名" not in shown
    stored = await w.uow.dialogs.get_by(channel="telegram", chat_id="100")
    assert stored is not None and stored.state == "as.ref" and "serial" not in stored.data
    assert stored.data.get("desc_hint") == "客户家的除湿机不出水了"
    await w.say("100", "序列号是 SN2024A0013")
    stored = await w.uow.dialogs.get_by(channel="telegram", chat_id="100")
    assert stored is not None and stored.data.get("serial") == "SN2024A0013" and stored.state == "as.name"


@pytest.mark.parametrize("said", ["序列号在哪看啊？", "不知道在哪里", "where do I find it?"])
async def test_a_question_or_a_sentence_at_the_serial_step_is_no_serial(said: str) -> None:
    w, _ = await _world()
    await _at_serial_step(w)
    shown = texts(await w.say("100", said))
    assert "客户姓名" not in shown and "Customer's name" not in shown
    assert "序列号" in shown or "serial" in shown
    stored = await w.uow.dialogs.get_by(channel="telegram", chat_id="100")
    assert stored is not None and stored.state == "as.ref" and "serial" not in stored.data


async def test_another_product_s_problem_at_the_serial_step_is_kept_and_names_the_serial_step() -> None:
    """The notice names the step on screen (it always said 客户姓名); the draft is kept, its product the one named."""
    w, _ = await _world()
    await _at_serial_step(w)
    shown = texts(await w.say("100", "客户的AP300净化器开不了机"))
    assert "不是序列号或订单号" in shown and "不是客户姓名" not in shown
    stored = await w.uow.dialogs.get_by(channel="telegram", chat_id="100")
    assert stored is not None and stored.data.get("sku") == "AP300"


@pytest.mark.parametrize("said", ["跳过", "skip"])
async def test_skip_at_the_required_description_is_refused_not_saved_as_the_problem(said: str) -> None:
    """(was: "跳过" saved as the problem's text and the form went on to the photos)"""
    w, _ = await _world()
    await _at_serial_step(w)
    await w.press("100", payload("as.skip"))
    await w.press("100", payload("as.skip"))
    await w.press("100", payload("as.skip"))
    asked = await w.press("100", payload("as.skip"))
    assert "请描述故障" in texts(asked)
    shown = texts(await w.say("100", said))
    assert "不能跳过" in shown and "请描述故障" in shown or "cannot be skipped" in shown and "Describe" in shown
    stored = await w.uow.dialogs.get_by(channel="telegram", chat_id="100")
    assert stored is not None and stored.state == "as.desc" and "desc" not in stored.data


async def test_the_customer_written_in_the_request_is_not_asked_again() -> None:
    """"…客户电话13912345678 姓王…" (was: the name and the phone asked again after the serial)."""
    w, _ = await _world()
    await w.say("100", "客户家的DH20买了3个月 不出水了 一直亮E4 客户电话13912345678 姓王 在杭州西湖区")
    assert "上门地址" in texts(await w.say("100", "跳过"))            # the serial: skipped; 在杭州西湖区 is no address
    asked = texts(await w.say("100", "跳过"))
    assert "问题描述" in asked and "客户姓名" not in asked and "客户电话" not in asked.split("问题描述")[0]
    await w.press("100", payload("as.keep"))
    await w.press("100", payload("as.done"))
    summary = texts(await w.press("100", payload("as.prio", "normal")))
    assert "王" in summary and "139****5678" in summary


def test_customer_words() -> None:
    from nlu.customer_words import customer_in_text
    assert customer_in_text("王先生 138 0013 8000 家里的净化器不转了") == ("王先生", "13800138000")
    assert customer_in_text("客户叫李娜，电话13800138000") == ("李娜", "13800138000")
    assert customer_in_text("除湿机不出水 叫修") == (None, None)
    assert customer_in_text("水箱是空的，浮子卡住了") == (None, None)


@pytest.mark.parametrize("said", ["asdfghjkl", "qwerty", "sdfsdf jkjk", "zxcvbnm"])
async def test_keyboard_nonsense_keeps_the_chat_s_language(said: str) -> None:
    """QA s25 #17: "asdfghjkl" at the serial step turned the whole reply, buttons too, into English."""
    w, _ = await _world()
    await _at_serial_step(w)
    shown = texts(await w.say("100", said))
    assert "序列号" in shown and "跳过" in shown and "Skip" not in shown
    stored = await w.uow.dialogs.get_by(channel="telegram", chat_id="100")
    assert stored is not None and stored.written_language != "en"


@pytest.mark.parametrize("said", ["where do I find it?", "my order", "stock please"])
async def test_english_words_still_switch_to_english(said: str) -> None:
    w, _ = await _world()
    await w.say("100", said)
    stored = await w.uow.dialogs.get_by(channel="telegram", chat_id="100")
    # read as English (the reply follows it); one message does not settle the chat's language (QA s26 #14)
    assert stored is not None and last_language(stored.written_language) == "en"


@pytest.mark.parametrize(("said", "label"), [("挺急的 客户天天打电话", "紧急"), ("很急", "紧急"), ("不着急", "低"),
                                             ("有点急", "高"), ("一般吧", "普通")])
async def test_urgency_said_in_words_is_chosen(said: str, label: str) -> None:
    """QA s25 #22: "挺急的 客户天天打电话" at the urgency step repeated the menu."""
    w, _ = await _world()
    await _at_serial_step(w)
    for _ in ("ref", "name", "phone", "address"):
        await w.press("100", payload("as.skip"))
    await w.say("100", "开机就滴滴响")
    assert "紧急程度" in texts(await w.press("100", payload("as.done")))
    summary = texts(await w.say("100", said))
    assert "请确认售后工单" in summary and f"紧急程度：{label}" in summary
