"""Applying to become a dealer from an unbound chat: validation, licence photos, intake, staff review task."""

from __future__ import annotations

from core.dealers import DealerStatus, DocumentType, ReviewStatus
from core.uscc import make_uscc
from core.users import Role
from handlers.flows.apply import parse_place
from handlers.messages import InboundKind
from handlers.router import payload
from tests.chat import ChatWorld, buttons, texts

USCC = make_uscc(20261126, region="330100")


def test_parse_place() -> None:
    assert parse_place("浙江 杭州") == ("浙江", "杭州")
    assert parse_place("浙江省杭州市") == ("浙江", "杭州")
    assert parse_place("广西壮族自治区南宁市") == ("广西", "南宁")
    assert parse_place("上海市浦东新区") == ("上海", "上海")
    assert parse_place("杭州") is None
    assert parse_place("浙江") is None


async def _to_phone_step(w: ChatWorld, chat: str) -> None:
    await w.press(chat, payload("apply.new"))
    await w.say(chat, "杭州锦程贸易有限公司")
    await w.say(chat, USCC)
    await w.say(chat, "浙江省杭州市")
    await w.say(chat, "陈明")


async def test_application_creates_a_prospect_under_review_and_asks_channel_managers() -> None:
    w = ChatWorld()
    await w.user("800", Role.CHANNEL_MANAGER, username="wang")
    await w.user("900", Role.AFTER_SALES, username="zhang")
    intro = await w.press("300", payload("apply.new"))
    assert "第 1 步" in texts(intro)
    assert "第 2 步" in texts(await w.say("300", "杭州锦程贸易有限公司"))
    bad = await w.say("300", "91330100MA2H3J4K5X")
    assert "统一社会信用代码" in texts(bad) and "重新输入" in texts(bad)
    stored = await w.uow.dialogs.get_by(channel="telegram", chat_id="300")
    assert stored is not None and stored.state == "apply.uscc"
    assert "第 3 步" in texts(await w.say("300", USCC.lower()))
    assert "没能识别" in texts(await w.say("300", "杭州"))
    await w.say("300", "浙江省杭州市")
    phone = await w.say("300", "陈明")
    assert "分享手机号" in texts(phone)
    assert "无效" in texts(await w.say("300", "12345"))
    assert "11 位手机号" in texts(await w.say("300", "0571-88886666"))
    await w.say("300", "139 1234 5678")
    photos = await w.say("300", "家电零售、工程安装")
    assert "营业执照" in texts(photos)
    assert "至少上传一张" in texts(await w.press("300", payload("apply.done")))
    await w.photo("300", "lic-1")
    await w.photo("300", "lic-2")
    summary = await w.press("300", payload("apply.done"))
    text = texts(summary)
    assert "浙江 杭州（华东）" in text and "陈明 139****5678" in text and "营业执照照片：2 张" in text
    assert "13912345678" not in text                    # the applicant's own number is masked too
    confirm = buttons(summary)["✅ 确认提交"]

    w.forget_pushes()
    done = await w.press("300", confirm)
    dealer = await w.uow.dealers.get_by(uscc=USCC)
    assert dealer is not None
    assert f"申请编号：{dealer.code}" in texts(done) and "（139****5678）" in texts(done)
    assert dealer.status == DealerStatus.UNDER_REVIEW and dealer.region == "华东"
    assert dealer.name == "杭州锦程贸易有限公司" and dealer.business_scope == "家电零售、工程安装"
    assert [(c.name, c.phone, c.role) for c in dealer.contacts] == [("陈明", "13912345678", "老板")]
    docs = sorted(await w.uow.qualifications.list(dealer_id=dealer.id), key=lambda q: q.id or 0)
    assert [(d.doc_type, d.file_ref, d.status) for d in docs] == [
        (DocumentType.BUSINESS_LICENSE, "lic-1", ReviewStatus.PENDING),
        (DocumentType.OTHER, "lic-2", ReviewStatus.PENDING)]
    assert docs[0].number == USCC
    tasks = await w.all_pushed()            # queued by the use case (submit for review)
    assert [r.chat_id for r in tasks] == ["800"]
    assert set(buttons(tasks).values()) == {payload("staff.dealer.approve", dealer.code),
                                            payload("staff.dealer.reject", dealer.code),
                                            payload("staff.dealer.detail", dealer.code)}
    assert "杭州锦程贸易有限公司" in tasks[0].text

    again = await w.press("300", confirm)
    assert f"申请编号：{dealer.code}" in texts(again) and not await w.all_pushed()
    assert await w.uow.dealers.count() == 1


async def test_registered_credit_code_is_refused_without_naming_the_dealer() -> None:
    w = ChatWorld()
    existing = await w.dealer(uscc=USCC, code="D0777")
    await w.press("300", payload("apply.new"))
    await w.say("300", "某公司")
    replies = await w.say("300", USCC)
    assert "已经登记过" in texts(replies) and existing.code not in texts(replies)


async def test_shared_contact_is_accepted_as_the_phone() -> None:
    w = ChatWorld()
    await _to_phone_step(w, "300")
    replies = await w.send(w._inbound("300", InboundKind.CONTACT, phone="+8613912345678"))
    assert "第 6 步" in texts(replies)
    stored = await w.uow.dialogs.get_by(channel="telegram", chat_id="300")
    assert stored is not None and stored.data["phone"] == "13912345678"


async def test_bound_users_do_not_apply() -> None:
    w = ChatWorld()
    dealer = await w.dealer()
    await w.user("100", Role.DEALER_OWNER, dealer)
    assert "无需申请" in texts(await w.press("100", payload("apply.new")))


async def test_cancel_leaves_nothing_behind() -> None:
    w = ChatWorld()
    await _to_phone_step(w, "300")
    assert "已取消" in texts(await w.press("300", payload("apply.cancel")))
    assert await w.uow.dealers.count() == 0
    assert "按钮已失效" in texts(await w.press("300", payload("apply.ok", "12345678")))
