"""Personal data in chat: masked in every reply and push of the after-sales, apply, ticket-handling and
notification journeys; the audited "Show full number" for who may read it, refused to everyone else."""

from __future__ import annotations

import json
import re
from datetime import timedelta

from core.aftersales import Priority
from core.clock import Clock
from core.dealers import Contact
from core.masking import mask_id_number, mask_name, mask_phone, mask_text
from core.services.aftersales import CreateTicket, create_ticket
from core.services.privacy import REVEAL_ACTION
from core.uscc import make_uscc
from core.users import Role
from handlers.messages import Reply
from handlers.router import payload
from notifications.checks import Checks
from notifications.templates import render
from tests.chat import ChatWorld, buttons, texts
from tests.factories import at, dealer_user
from tests.fakes import FakeOutboxStore

MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[0-9Xx](?![0-9A-Za-z])")

OWNER, CLERK, OTHER, SERVICE, FINANCE, MANAGER, UNBOUND = "100", "101", "200", "900", "901", "800", "555"
CUSTOMER, CUSTOMER_PHONE = "张建国", "13800138000"
SPARE_PHONE, ID_NO = "13911112222", "110101199003074514"
CONTACT_PHONE = "13712345678"
REVEAL = "🔓 显示完整号码"


def leaks(replies: list[Reply]) -> list[str]:
    """Full mobiles and 18-character ID numbers in the replies' texts and button labels."""
    said = texts(replies)
    return MOBILE.findall(said) + ID_NUMBER.findall(said)


async def _world() -> ChatWorld:
    w = ChatWorld()
    await w.catalogue()
    mine = await w.dealer(name="上海华信电器有限公司", code="D0100", contacts=[
        Contact(name="李老板", phone=CONTACT_PHONE, role="老板", id_number=ID_NO)])
    other = await w.dealer(name="南京宏达商贸有限公司")
    await w.user(OWNER, Role.DEALER_OWNER, mine)
    await w.user(CLERK, Role.DEALER_CLERK, mine)
    await w.user(OTHER, Role.DEALER_OWNER, other)
    await w.user(SERVICE, Role.AFTER_SALES, username="zhang")
    await w.user(FINANCE, Role.FINANCE, username="qian")
    await w.user(MANAGER, Role.CHANNEL_MANAGER, username="wang")
    return w


def _reveals(w: ChatWorld) -> list[object]:
    return [a for a in w.uow.audit.rows if a.action == REVEAL_ACTION]


def _audit_json(w: ChatWorld) -> str:
    return json.dumps([a.before | a.after for a in w.uow.audit.rows], ensure_ascii=False)


# --- the rules ------------------------------------------------------------------------------------------

def test_masks() -> None:
    assert mask_phone(CUSTOMER_PHONE) == "138****8000" and mask_phone("+86 138 0013 8000") == "138****8000"
    assert mask_id_number(ID_NO) == "110***********4514" and mask_id_number("11010119900307451X")[-4:] == "451X"
    assert (mask_name("张三"), mask_name("张建国"), mask_name("欧阳娜娜"), mask_name("王先生"),
            mask_name("张三先生"), mask_name("John Smith")) == ("张*", "张**", "欧阳**", "王先生", "张*先生",
                                                               "J*** S****")
    text = f"客户{CUSTOMER_PHONE}，身份证{ID_NO}，订单 SO-20261126-0007，¥12999.00，信用代码 {make_uscc(20261126)}"
    assert mask_text(text) == (f"客户138****8000，身份证110***********4514，订单 SO-20261126-0007，¥12999.00，"
                               f"信用代码 {make_uscc(20261126)}")
    assert mask_text("座机 021-61234567，编号 213800138000") == "座机 021-61234567，编号 213800138000"


def test_templates_mask_pushes_but_not_the_flows_own_replies() -> None:
    params = {"number": "AS-20261126-0001", "dealer": "D0100", "who": "李老板",
              "text": f"客户电话 {CUSTOMER_PHONE}，身份证 {ID_NO}"}
    for lang in ("zh-CN", "en"):
        shown = render("ticket.comment_staff", params, lang).text
        assert "138****8000" in shown and "110***********4514" in shown and not MOBILE.search(shown)
    reveal_answer = render("chat.reply", {"replies": [{"text": f"🔓 {CUSTOMER_PHONE}"}]}, "zh-CN")
    assert CUSTOMER_PHONE in reveal_answer.text


# --- journeys: nothing shows a full number -------------------------------------------------------------

async def _file_ticket(w: ChatWorld, said: list[Reply]) -> str:
    said += await w.press(OWNER, payload("as.new"))
    said += await w.press(OWNER, payload("as.sku", "DH20"))
    said += await w.press(OWNER, payload("as.skip"))
    said += await w.say(OWNER, CUSTOMER)
    said += await w.say(OWNER, f"{CUSTOMER_PHONE}x")                 # refused: the error quotes it, masked
    said += await w.say(OWNER, CUSTOMER_PHONE)
    said += await w.press(OWNER, payload("as.skip"))                   # no address
    said += await w.say(OWNER, f"开机不出水，备用电话{SPARE_PHONE}，户主身份证{ID_NO}")
    said += await w.press(OWNER, payload("as.done"))
    summary = await w.press(OWNER, payload("as.prio", Priority.NORMAL.value))
    said += summary
    assert "张** 138****8000" in texts(summary) and "139****2222" in texts(summary)
    said += await w.press(OWNER, buttons(summary)["✅ 确认提交"])
    [ticket] = w.uow.tickets.rows
    assert (ticket.customer_name, ticket.customer_phone) == (CUSTOMER, CUSTOMER_PHONE)   # stored in full
    return ticket.number


async def test_after_sales_and_ticket_handling_show_no_full_number_anywhere() -> None:
    w = await _world()
    said: list[Reply] = []
    number = await _file_ticket(w, said)
    said += await w.all_pushed()

    detail = await w.press(SERVICE, payload("staff.ticket.detail", number))
    said += detail
    assert "客户：张** 138****8000" in texts(detail) and "110***********4514" in texts(detail)
    assert buttons(detail)[REVEAL] == payload("privacy.reveal.ticket", number)
    for action in ("accept", "start"):
        said += await w.press(SERVICE, payload(f"staff.ticket.{action}", number))
    said += await w.press(SERVICE, payload("staff.ticket.comment", number))
    said += await w.say(SERVICE, f"已电话联系 {CUSTOMER_PHONE}")
    said += await w.press(SERVICE, payload("staff.ticket.info", number))
    said += await w.say(SERVICE, f"{SPARE_PHONE} 打不通，请确认")
    said += await w.press(OWNER, payload("as.cmt", number))
    said += await w.say(OWNER, f"新号码 {SPARE_PHONE}")
    said += await w.press(SERVICE, payload("staff.ticket.resolve", number))
    said += await w.say(SERVICE, f"上门换泵，{CUSTOMER_PHONE} 已确认")
    said += await w.press(SERVICE, payload("staff.tickets"))
    said += await w.press(SERVICE, payload("staff.ticket.detail", number))
    said += await w.all_pushed()                                       # accepted, comments, info, resolved
    mine = await w.press(OWNER, payload("as.view", number))
    said += mine + await w.press(OWNER, payload("as.list")) + await w.press(CLERK, payload("as.view", number))
    assert "客户：张** 138****8000" in texts(mine) and buttons(mine)[REVEAL] == payload("privacy.reveal.ticket", number)

    assert len(said) > 25 and leaks(said) == []
    assert "138****8000" in texts(said) and "139****2222" in texts(said)
    assert _reveals(w) == []                                           # nobody asked for the full number


async def test_apply_journey_and_the_review_card_show_no_full_number() -> None:
    w = await _world()
    said = await w.press("300", payload("apply.new"))
    for answer in ("杭州锦程贸易有限公司", make_uscc(20261126, region="330100"), "浙江省杭州市", "陈明",
                   f"手机 {SPARE_PHONE} 谢谢", SPARE_PHONE, "家电零售"):
        said += await w.say("300", answer)
    said += await w.photo("300", "lic-1")
    summary = await w.press("300", payload("apply.done"))
    said += summary + await w.press("300", buttons(summary)["✅ 确认提交"])
    assert "陈明 139****2222" in texts(summary)
    dealer = await w.uow.dealers.get_by(name="杭州锦程贸易有限公司")
    assert dealer is not None and dealer.contacts[0].phone == SPARE_PHONE
    pushes = await w.all_pushed()
    said += pushes
    assert [r.chat_id for r in pushes] == [MANAGER]
    card = await w.press(MANAGER, payload("staff.dealer.detail", dealer.code))
    said += card + await w.press(MANAGER, payload("staff.dealer.detail", "D0100"))
    assert "陈明（老板） 139****2222" in texts(card)
    assert buttons(card)[REVEAL] == payload("privacy.reveal.contact", dealer.code)
    assert leaks(said) == []
    assert "身份证 110***********4514" in texts(said)                 # D0100's contact: the ID number masked


async def test_sla_breach_push_and_its_outbox_row_carry_no_full_number() -> None:
    w = await _world()
    mine = await w.uow.dealers.get_by(code="D0100")
    assert mine is not None and mine.id is not None
    await create_ticket(w.uow, dealer_user(mine.id), CreateTicket(
        mine.id, f"滤网异响，客户 {CUSTOMER_PHONE}", customer_name=CUSTOMER, customer_phone=CUSTOMER_PHONE,
        priority=Priority.URGENT), w.clock)
    w.forget_pushes()
    later = Clock.fixed(at("2026-11-26 10:00") + timedelta(hours=30))
    assert await Checks(lambda: w.uow, FakeOutboxStore(w.uow), later).run("sla_breaches") >= 1
    rows = [r for r in w.uow.outbox.rows if r.kind.startswith("ticket.sla")]
    assert rows and all(CUSTOMER_PHONE not in json.dumps(r.params, ensure_ascii=False) for r in rows)
    pushes = await w.all_pushed()
    assert pushes and leaks(pushes) == [] and "138****8000" in texts(pushes)


# --- the audited reveal --------------------------------------------------------------------------------

async def _ticket(w: ChatWorld, *, customer: bool = True) -> str:
    mine = await w.uow.dealers.get_by(code="D0100")
    assert mine is not None and mine.id is not None
    extra = {"customer_name": CUSTOMER, "customer_phone": CUSTOMER_PHONE} if customer else {}
    ticket = await create_ticket(w.uow, dealer_user(mine.id), CreateTicket(mine.id, "不制冷", **extra), w.clock)
    return ticket.number


async def test_after_sales_and_the_tickets_own_dealer_may_reveal_and_each_look_is_audited() -> None:
    w = await _world()
    number = await _ticket(w)
    for chat, label in ((SERVICE, "staff:zhang"), (OWNER, f"dealer:{w.uow.users.rows[0].dealer_id}:u100"),
                        (CLERK, None)):
        before = len(_reveals(w))
        shown = texts(await w.press(chat, payload("privacy.reveal.ticket", number)))
        assert f"{CUSTOMER} {CUSTOMER_PHONE}" in shown and number in shown and "已记录" in shown
        [entry] = _reveals(w)[before:]
        assert (entry.entity, entry.entity_id) == ("ticket", number)          # type: ignore[attr-defined]
        assert entry.after["fields"] == ["customer_name", "customer_phone"]   # type: ignore[attr-defined]
        if label is not None:
            assert entry.actor == label                                        # type: ignore[attr-defined]
    assert CUSTOMER_PHONE not in _audit_json(w) and CUSTOMER not in _audit_json(w)
    await w.say(SERVICE, "/lang en")
    shown = texts(await w.press(SERVICE, payload("privacy.reveal.ticket", number.lower())))
    assert f"Customer of ticket {number}: {CUSTOMER} {CUSTOMER_PHONE}" in shown and "recorded" in shown


async def test_reveal_is_refused_to_other_dealers_other_staff_and_forged_payloads() -> None:
    w = await _world()
    number = await _ticket(w)
    bare = await _ticket(w, customer=False)
    refused = {
        (OTHER, payload("privacy.reveal.ticket", number)): "未找到",          # another dealer's ticket
        (FINANCE, payload("privacy.reveal.ticket", number)): "权限",          # staff without TICKET_HANDLE
        (MANAGER, payload("privacy.reveal.ticket", number)): "权限",
        (UNBOUND, payload("privacy.reveal.ticket", number)): "权限",
        (SERVICE, payload("privacy.reveal.ticket", "AS-20990101-0001")): "未找到",
        (SERVICE, payload("privacy.reveal.ticket")): "未找到",
        (SERVICE, payload("privacy.reveal.ticket", bare)): "没有可显示",
        (OWNER, payload("privacy.reveal.contact", "D0100")): "权限",        # dealers do not review dealers
        (SERVICE, payload("privacy.reveal.contact", "D0100")): "权限",
        (MANAGER, payload("privacy.reveal.contact", "D9999")): "未找到",
    }
    for (chat, data), expected in refused.items():
        replies = await w.press(chat, data)
        assert expected in texts(replies), (chat, data, texts(replies))
        assert leaks(replies) == [] and CUSTOMER not in texts(replies), (chat, data)
    assert _reveals(w) == []
    assert not w.uow.tickets.rows[0].comments                                 # nothing else changed either


async def test_channel_manager_reveals_an_applicants_phone_audited_without_the_value() -> None:
    w = await _world()
    shown = texts(await w.press(MANAGER, payload("privacy.reveal.contact", "D0100")))
    assert f"李老板（老板） {CONTACT_PHONE}" in shown and ID_NO not in shown
    [entry] = _reveals(w)
    assert (entry.actor, entry.entity, entry.entity_id) == ("staff:wang", "dealer", "D0100")   # type: ignore[attr-defined]
    assert entry.after == {"kind": "contact", "fields": ["contacts.phone"], "people": 1}     # type: ignore[attr-defined]
    assert CONTACT_PHONE not in _audit_json(w)
