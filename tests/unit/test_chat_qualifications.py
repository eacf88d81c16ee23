"""Dealer documents in chat (/docs): see them, renew an expired one with photos, upload a rejected one
again; ordering is blocked with the reason until a channel manager approves; the result reaches the
dealer's chat. Also forged buttons and bad input."""

from __future__ import annotations

from datetime import date

from core.dealers import Dealer, DocumentType, ReviewStatus
from core.uscc import make_uscc
from core.users import Role
from handlers.router import payload
from tests.chat import ChatWorld, buttons, texts

DEALER_CHAT, OTHER_CHAT, MANAGER = "100", "110", "202"


async def world() -> tuple[ChatWorld, Dealer]:
    w = ChatWorld()
    await w.catalogue()
    dealer = await w.dealer(name="上海华信电器有限公司", uscc=make_uscc(61000001))
    await w.user(DEALER_CHAT, Role.DEALER_OWNER, dealer)
    await w.user(MANAGER, Role.CHANNEL_MANAGER, username="zhao")
    return w, dealer


async def _expire_authorization(w: ChatWorld, dealer: Dealer) -> int:
    docs = await w.uow.qualifications.list(dealer_id=dealer.id, doc_type=DocumentType.AUTHORIZATION)
    docs[0].expires_on = date(2026, 11, 1)          # the world's today is 2026-11-26
    await w.uow.commit()
    return docs[0].id  # type: ignore[return-value]


async def test_expired_document_blocks_ordering_until_the_renewal_is_approved() -> None:
    w, dealer = await world()
    old_id = await _expire_authorization(w, dealer)
    blocked = texts(await w.say(DEALER_CHAT, "订2台净化器300"))
    assert "暂时不能下单：授权书：已过期，请更新资质后再下单" in blocked

    shown = await w.press(DEALER_CHAT, payload("apply.docs"))
    text = texts(shown)
    assert "⌛ 授权书" in text and "有效期至 2026-11-01" in text and "⛔ 当前不能下单：授权书：已过期" in text
    renew = buttons(shown)["🔄 续期 授权书"]
    assert renew == payload("apply.renew", old_id)

    assert "请输入证件编号" in texts(await w.press(DEALER_CHAT, renew))
    await w.say(DEALER_CHAT, "SQ-2027-001")
    assert "日期格式不对" in texts(await w.say(DEALER_CHAT, "明年"))
    await w.say(DEALER_CHAT, "2027年12月31日")
    await w.photo(DEALER_CHAT, "file-auth-1")
    summary = await w.press(DEALER_CHAT, payload("apply.doc.done"))
    assert "授权书 SQ-2027-001\n有效期至：2027-12-31\n附件：1 个" in texts(summary) and "续期" in texts(summary)
    ok = buttons(summary)["✅ 确认提交"]
    done = texts(await w.press(DEALER_CHAT, ok))
    assert done.startswith("✅ 已提交 授权书")
    again = texts(await w.press(DEALER_CHAT, ok))                # a double tap submits once
    assert "已提交" in again
    new = [q for q in await w.uow.qualifications.list(dealer_id=dealer.id) if q.replaces_id == old_id]
    assert len(new) == 1 and (new[0].number, new[0].expires_on, new[0].file_ref, new[0].status) == (
        "SQ-2027-001", date(2027, 12, 31), "file-auth-1", ReviewStatus.PENDING)
    # the channel manager gets it with buttons, approves; the dealer hears it and may order again
    staff_push = await w.pushed(MANAGER)
    assert "📑 资质续期待审核" in texts(staff_push)
    await w.press(MANAGER, payload("staff.qual.approve", new[0].id))  # type: ignore[arg-type]
    assert "您的授权书（编号 SQ-2027-001）已审核通过。" in texts(await w.pushed(DEALER_CHAT))
    assert "✅ 必需资质齐全有效" in texts(await w.press(DEALER_CHAT, payload("apply.docs")))
    assert "已过期" not in texts(await w.say(DEALER_CHAT, "订2台净化器300"))


async def test_rejected_licence_is_uploaded_again_with_the_registered_code() -> None:
    w, dealer = await world()
    licence = (await w.uow.qualifications.list(dealer_id=dealer.id, doc_type=DocumentType.BUSINESS_LICENSE))[0]
    licence.status, licence.reject_reason = ReviewStatus.REJECTED, "照片模糊"
    await w.uow.commit()
    shown = await w.press(DEALER_CHAT, payload("apply.docs"))
    assert "驳回原因：照片模糊" in texts(shown) and "营业执照：审核未通过" in texts(shown)
    asked = await w.press(DEALER_CHAT, buttons(shown)["⬆️ 上传 营业执照"])
    use_code = next(p for label, p in buttons(asked).items() if label.startswith("使用登记的信用代码"))
    await w.press(DEALER_CHAT, use_code)
    await w.press(DEALER_CHAT, payload("apply.doc.skip"))             # no expiry
    assert "请至少上传" in texts(await w.press(DEALER_CHAT, payload("apply.doc.done")))
    await w.photo(DEALER_CHAT, "file-lic-2")
    summary = await w.press(DEALER_CHAT, payload("apply.doc.done"))
    assert "有效期至：长期" in texts(summary)
    await w.press(DEALER_CHAT, buttons(summary)["✅ 确认提交"])
    pending = await w.uow.qualifications.list(dealer_id=dealer.id, status=ReviewStatus.PENDING)
    assert [(q.doc_type, q.expires_on, q.replaces_id) for q in pending] == [(DocumentType.BUSINESS_LICENSE, None, None)]
    await w.press(MANAGER, payload("staff.qual.reject", pending[0].id))  # type: ignore[arg-type]
    await w.say(MANAGER, "与登记公司不符")
    assert "未通过审核，原因：与登记公司不符" in texts(await w.pushed(DEALER_CHAT))


async def test_forged_renew_button_for_another_dealers_document_is_not_found() -> None:
    w, dealer = await world()
    other = await w.dealer(code="D0099", name="北京某电器", uscc=make_uscc(61000002))
    await w.user(OTHER_CHAT, Role.DEALER_OWNER, other)
    foreign = (await w.uow.qualifications.list(dealer_id=other.id))[0]
    replies = await w.press(DEALER_CHAT, payload("apply.renew", foreign.id))  # type: ignore[arg-type]
    assert "未找到资质文件" in texts(replies)
    assert texts(await w.press(DEALER_CHAT, payload("apply.up", 99))) == "这个按钮已失效，请重新打开菜单。"
    assert await w.uow.qualifications.count(dealer_id=dealer.id, status=ReviewStatus.PENDING) == 0


async def test_staff_and_unbound_chats_are_refused() -> None:
    w, _ = await world()
    assert "经销商" in texts(await w.press(MANAGER, payload("apply.docs")))
    assert texts(await w.press("999", payload("apply.docs")))
