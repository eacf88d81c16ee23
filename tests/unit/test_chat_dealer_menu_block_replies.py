"""Dealer chat answers from QA s27: "主菜单" typed is the menu, not the /commands list, and an empty cart is never
"kept" (P21); a suspended dealer's cart says whom to ask and "为啥不能下单" is answered (P22); "订单台回复了吗" shows
the desk's answer to the dealer's question, not the latest order (P22/P23)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from core.dealers import DealerStatus
from core.faq import QuestionStatus, StaffQuestion
from core.payload import payload
from core.users import Role
from tests.chat import ChatWorld, texts

OWNER = "101"
ANSWER = "已安排补发2台WP600，明天顺丰发出，不另收费"


async def _world(**dealer: object) -> ChatWorld:
    w = ChatWorld()
    await w.catalogue()
    d = await w.dealer(name="上海金鼎家电有限公司", credit_limit=Decimal("500000.00"), **dealer)
    await w.user(OWNER, Role.DEALER_OWNER, d)
    return w


async def test_main_menu_typed_shows_the_menu_without_the_command_list() -> None:
    w = await _world()
    said = texts(await w.say(OWNER, "主菜单"))
    assert "请选择要办理的业务" in said
    assert "可用命令" not in said and "/orders" not in said


async def test_an_empty_cart_is_left_not_kept_when_something_else_is_asked() -> None:
    w = await _world()
    await w.press(OWNER, payload("order.new"))
    said = texts(await w.say(OWNER, "发票怎么开"))
    assert "0 个商品" not in said and "购物车会保留" not in said
    assert "已退出下单" in said
    assert "您正在下单" not in texts(await w.say(OWNER, "合同到期了吗"))


async def test_a_suspended_dealer_is_told_whom_to_ask_not_to_fix_the_cart() -> None:
    w = await _world()
    await w.say(OWNER, "AP300 来10台")          # the cart open when the channel manager suspends the dealer
    dealer = (await w.uow.dealers.list())[0]
    dealer.status, dealer.status_reason = DealerStatus.SUSPENDED, "拖欠货款三个月"
    await w.uow.commit()
    cart = texts(await w.say(OWNER, "看下购物车"))
    assert "拖欠货款三个月" in cart
    assert "请先修改标 ⚠️ 的问题" not in cart and "渠道经理" in cart
    why = texts(await w.say(OWNER, "为啥不能下单"))
    assert "已回到主菜单" not in why
    assert "拖欠货款三个月" in why and "渠道经理" in why


async def test_did_the_desk_answer_shows_the_answer_not_the_latest_order() -> None:
    w = await _world()
    dealer = (await w.uow.dealers.list())[0]
    number = (await w.order(dealer, [("AP300", 2)])).number
    now = w.clock.now()
    await w.uow.staff_questions.add(StaffQuestion(
        channel=w.channel, chat_id=OWNER, question="少到2台WP600，怎么处理？", request_key="k1", asked_by="金鼎",
        dealer_id=dealer.id, status=QuestionStatus.ANSWERED, answer=ANSWER, answered_by="zhang.orderdesk",
        answered_at=now, about_order=number, created_at=now - timedelta(hours=2)))
    await w.uow.commit()
    said = texts(await w.say(OWNER, "订单台回复了吗"))
    assert ANSWER in said and "少到2台WP600" in said
    assert "您最近的一笔订单" not in said


async def test_did_the_desk_answer_with_nothing_asked_says_so() -> None:
    w = await _world()
    said = texts(await w.say(OWNER, "订单台回复了吗"))
    assert "还没有转给工作人员的问题" in said
