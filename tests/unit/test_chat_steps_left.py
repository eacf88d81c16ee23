"""Another request typed at a form step that asks for something else leaves the step and is done (QA s29
forms-leave): never added to an open order's edit, never answered with the step's question again. The cart is
parked (kept) as ordering keeps it for any form opened mid-order; a free-text step keeps taking free text."""

from __future__ import annotations

from core.dealers import Dealer
from core.users import Role
from handlers.context import PARKED_CART
from tests.chat import ChatWorld, buttons, texts

DEALER, FINANCE = "100", "900"


async def world() -> tuple[ChatWorld, Dealer]:
    w = ChatWorld()
    await w.catalogue()
    dealer = await w.dealer(name="上海华信电器有限公司")
    await w.prepay(dealer)
    await w.user(DEALER, Role.DEALER_OWNER, dealer)
    await w.user(FINANCE, Role.FINANCE, username="wu.finance")
    return w, dealer


async def _dialog(w: ChatWorld, chat: str = DEALER) -> tuple[str, dict[str, object]]:
    stored = await w.uow.dialogs.get_by(channel=w.channel, chat_id=chat)
    assert stored is not None
    return stored.state, stored.data


async def test_a_quality_report_typed_in_an_order_edit_is_a_report_and_the_edit_is_kept() -> None:
    w, dealer = await world()
    order = await w.order(dealer, [("AP300", 10)])
    shown = await w.say(DEALER, f"{order.number} 能不能再加两台ap300")
    assert "✅ 确认修改" in buttons(shown)
    said = texts(await w.say(DEALER, "质量反馈 DH20 水箱满灯乱亮 批号B2612-01 有3台"))
    assert "已加入" not in said and "DH20）3台" not in said
    assert "质量反馈" in said
    state, data = await _dialog(w)
    assert state.startswith("qf.")
    parked = data.get(PARKED_CART)
    assert isinstance(parked, dict) and parked.get("amends") == order.number
    assert dict(map(tuple, parked["items"])) == {"AP300": 12}     # type: ignore[arg-type]
    assert "修改已保留" in said
    await w.say(DEALER, "/cancel")
    back = texts(await w.say(DEALER, "看下购物车"))                 # the edit comes back, nothing added to it
    assert f"修改订单 {order.number}" in back and "AP300）12台" in back and "DH20" not in back


async def test_a_receipt_claim_typed_with_a_cart_open_is_a_claim_and_the_cart_is_kept() -> None:
    w, dealer = await world()
    order = await w.order(dealer, [("AP300", 10)], to="shipped")
    await w.say(DEALER, "AP300 来5台")
    said = texts(await w.say(DEALER, f"{order.number} 货到了 但是少了1台 还有一台外箱破了"))
    assert "已加入" not in said and "购物车已保留" in said
    assert order.number in said and ("少" in said or "破" in said)
    _, data = await _dialog(w)
    assert isinstance(data.get(PARKED_CART), dict) or data.get("items")


async def _payment_at_account(w: ChatWorld, dealer: Dealer) -> None:
    shown = await w.say(FINANCE, f"记一笔回款 {dealer.code} 5万")
    if "是这家吗" in texts(shown):
        shown = await w.press(FINANCE, buttons(shown)["✅ 是这家"])
    assert "记入哪个账户" in texts(shown)


async def test_finance_at_the_account_step_asking_a_statement_leaves_the_payment() -> None:
    w, dealer = await world()
    await _payment_at_account(w, dealer)
    said = texts(await w.say(FINANCE, f"{dealer.code}对账单"))
    assert "记入哪个账户" not in said and "对账单" in said
    assert (await _dialog(w, FINANCE))[0] == ""


async def test_finance_at_the_dealer_step_with_a_dispute_leaves_the_payment() -> None:
    w, dealer = await world()
    await w.say(FINANCE, f"记一笔回款 {dealer.code} 5万")
    said = texts(await w.say(FINANCE, f"{dealer.code}有争议 说11月少算了一笔返利"))
    assert "是这家吗" not in said and "记入哪个账户" not in said
    assert not (await _dialog(w, FINANCE))[0].startswith("pay.")


async def test_a_today_button_label_typed_at_a_payment_step_opens_that_list() -> None:
    w, dealer = await world()
    await _payment_at_account(w, dealer)
    said = texts(await w.say(FINANCE, "额度审批"))
    assert "记入哪个账户" not in said and "没有找到经销商" not in said and "额度申请" in said
    assert not (await _dialog(w, FINANCE))[0].startswith("pay.")


async def _repair_at_phone(w: ChatWorld) -> None:
    await w.say(DEALER, "客户家的AP300不出水了")
    await w.say(DEALER, "跳过")
    said = texts(await w.say(DEALER, "王先生"))
    assert "客户电话" in said


async def test_a_receipt_typed_at_the_phone_step_is_the_receipt() -> None:
    w, dealer = await world()
    order = await w.order(dealer, [("AP300", 2)], to="shipped")
    await _repair_at_phone(w)
    said = texts(await w.say(DEALER, f"{order.number} 全部收到"))
    assert "无效" not in said and "✅ 全部收到" in said and order.number in said


async def test_a_campaign_sign_up_typed_at_the_phone_step_is_the_campaigns() -> None:
    w, _ = await world()
    await _repair_at_phone(w)
    said = texts(await w.say(DEALER, "报名"))
    assert "无效" not in said and "客户电话" not in said


async def test_a_material_request_typed_at_the_phone_step_leaves_the_repair() -> None:
    w, _ = await world()
    await _repair_at_phone(w)
    said = texts(await w.say(DEALER, "申请物料 海报 3套"))
    assert "无效" not in said and "客户电话" not in said


async def test_a_new_quality_report_typed_at_the_photo_step_is_a_new_report() -> None:
    w, _ = await world()
    shown = await w.say(DEALER, "质量反馈 DH20 水箱满灯乱亮 批号B2612-01 有3台")
    shown = await w.press(DEALER, buttons(shown)["功能"])
    await w.press(DEALER, buttons(shown)["✔ 使用此描述"])
    assert (await _dialog(w))[0] == "qf.photos"
    said = texts(await w.say(DEALER, "质量反馈 AP300 开机异响 批号B2611-03 有2台"))
    assert "请发送照片" not in said and "质量反馈已退出" in said
    state, data = await _dialog(w)
    assert state.startswith("qf.") and state != "qf.photos"
    assert data.get("sku") == "AP300" and data.get("count") == 2 and data.get("batch") == "B2611-03"


async def test_a_receipt_claim_typed_in_the_repair_form_opens_the_claim() -> None:
    w, dealer = await world()
    order = await w.order(dealer, [("AP300", 10)], to="shipped")
    await w.say(DEALER, "客户家的AP300不出水了")
    said = texts(await w.say(DEALER, f"{order.number} 货到了 但是少了1台 还有一台外箱破了"))
    assert "少" in said and ("外箱" in said or "破" in said)
    assert not (await _dialog(w))[0].startswith("as.")


async def test_free_text_steps_still_take_free_text() -> None:
    w, _ = await world()
    await w.say(DEALER, "客户家的AP300不出水了")
    state, _ = await _dialog(w)
    assert state.startswith("as.")
    await w.say(DEALER, "跳过")
    await w.say(DEALER, "王先生")
    said = texts(await w.say(DEALER, "13800138000"))
    assert "无效" not in said
    assert (await _dialog(w))[0].startswith("as.")
