"""Staff typing what they want done, and it is done (QA s26 #4, #5, #6, #7, #10, #16, #24): an action word after a
number ("SO-… 批了", "AS-… 受理", "AS-… 开始处理", "#2 批准", a dealer's "SO-… 全部收到") acts with its button's
confirm and checks, or says why not; a ticket's state words under its card move it; "帮D0002下个单 AP500 10台"
fills the order for that dealer; "今天还有啥要弄的" is the day's list; "有啥新工单" names no dealer; "确认" after an
order went in says so."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from core.aftersales import Ticket, TicketStatus
from core.campaigns import MarketingMaterial, MaterialRequest, RequestStatus
from core.orders import OrderStatus
from core.users import Role
from tests.chat import ChatWorld, buttons, texts

OWNER, DESK, SERVICE, CHANNEL, MARKETING, QUALITY = "101", "300", "302", "305", "304", "303"
TICKET = "AS-20261207-0002"


async def _world() -> ChatWorld:
    w = ChatWorld()
    await w.catalogue()
    d1 = await w.dealer(name="上海德润商贸有限公司", credit_limit=Decimal("500000.00"))   # its orders are covered
    d2 = await w.dealer(name="上海金鼎家电有限公司")
    await w.user(OWNER, Role.DEALER_OWNER, d1)
    for chat, role in ((DESK, Role.ORDER_DESK), (SERVICE, Role.AFTER_SALES), (CHANNEL, Role.CHANNEL_MANAGER),
                       (MARKETING, Role.MARKETING), (QUALITY, Role.QUALITY)):
        await w.user(chat, role, username=role.value)
    now = w.clock.now()
    assert d1.id is not None and d2.id is not None
    await w.uow.tickets.add(Ticket(number=TICKET, dealer_id=d1.id, description="除湿机不出水", sku="DH20",
                                   created_at=now, sla_due_at=now + timedelta(hours=8)))
    poster = await w.uow.materials.add(MarketingMaterial(code="POS-01", name="品牌海报（套）", stock=500))
    stand = await w.uow.materials.add(MarketingMaterial(code="POS-02", name="易拉宝展架", stock=50))
    await w.uow.material_requests.add(MaterialRequest(material_id=stand.id or 0, dealer_id=d1.id, qty=4,
                                                      created_at=now))
    await w.uow.material_requests.add(MaterialRequest(material_id=poster.id or 0, dealer_id=d2.id, qty=2,
                                                      created_at=now))
    await w.uow.commit()
    return w


async def _ticket_status(w: ChatWorld) -> TicketStatus:
    ticket = await w.uow.tickets.get_by(number=TICKET)
    assert ticket is not None
    return ticket.status


async def _request_status(w: ChatWorld, request_id: int) -> RequestStatus:
    request = await w.uow.material_requests.get(request_id)
    assert request is not None
    return request.status


# --- #4: an action word after a number ------------------------------------------------------------------

async def test_an_order_number_with_approve_words_asks_to_confirm_then_approves() -> None:
    w = await _world()
    dealer = (await w.uow.dealers.list())[0]
    number = (await w.order(dealer, [("AP300", 2)])).number
    asked = await w.say(DESK, f"{number} 批了")
    assert "确认通过" in texts(asked) and number in texts(asked)
    assert (await w.uow.orders.get_by(number=number)).status == OrderStatus.SUBMITTED  # type: ignore[union-attr]
    await w.press(DESK, next(p for label, p in buttons(asked).items() if "通过" in label))
    assert (await w.uow.orders.get_by(number=number)).status == OrderStatus.APPROVED  # type: ignore[union-attr]
    again = texts(await w.say(DESK, f"{number} 批了"))
    assert "不在待审批" in again and "已审核" in again


async def test_a_ticket_number_with_accept_then_start_words_moves_it_and_says_when_already_there() -> None:
    w = await _world()
    assert "已受理" in texts(await w.say(SERVICE, f"{TICKET} 受理"))
    assert await _ticket_status(w) == TicketStatus.ACCEPTED
    assert "处理中" in texts(await w.say(SERVICE, f"{TICKET} 开始处理"))
    assert await _ticket_status(w) == TicketStatus.IN_PROGRESS
    said = texts(await w.say(SERVICE, f"{TICKET} 开始处理"))
    assert "已经是“处理中”" in said
    assert await _ticket_status(w) == TicketStatus.IN_PROGRESS


async def test_a_material_request_number_with_approve_words_asks_to_confirm_then_approves() -> None:
    w = await _world()
    asked = await w.say(CHANNEL, "#2 批准")
    assert "确认通过物料申请 #2" in texts(asked)
    assert await _request_status(w, 2) == RequestStatus.PENDING
    await w.press(CHANNEL, next(p for label, p in buttons(asked).items() if "通过" in label))
    assert await _request_status(w, 2) == RequestStatus.APPROVED
    assert "不在待审批" in texts(await w.say(CHANNEL, "#2 批准"))


async def test_a_dealer_saying_an_order_all_came_confirms_its_receipt() -> None:
    w = await _world()
    dealer = (await w.uow.dealers.list())[0]
    shipped = (await w.order(dealer, [("AP300", 1)], to="shipped")).number
    waiting = (await w.order(dealer, [("AP300", 1)])).number
    assert f"确认订单 {shipped}" in texts(await w.say(OWNER, f"{shipped} 全部收到"))    # asked first, as the card
    assert "已确认收货" in texts(await w.say(OWNER, "确认"))
    assert (await w.uow.orders.get_by(number=shipped)).status == OrderStatus.RECEIVED  # type: ignore[union-attr]
    assert "不能确认收货" in texts(await w.say(OWNER, f"{waiting} 全部收到"))


# --- #10: a material request by the dealer and the material's words ---------------------------------------

async def test_approving_a_dealers_poster_in_words_finds_the_request_and_asks_to_confirm() -> None:
    w = await _world()
    asked = await w.say(MARKETING, "把金鼎的海报批了")
    assert "确认通过物料申请 #2" in texts(asked) and "品牌海报" in texts(asked)
    await w.press(MARKETING, next(p for label, p in buttons(asked).items() if "通过" in label))
    assert await _request_status(w, 2) == RequestStatus.APPROVED
    assert await _request_status(w, 1) == RequestStatus.PENDING


# --- #5: state words with the ticket on screen ------------------------------------------------------------

async def test_state_words_under_a_ticket_card_move_it_the_fix_said_is_its_resolution() -> None:
    w = await _world()
    await w.say(SERVICE, TICKET)
    await w.say(SERVICE, "受理")
    assert "已经是“已受理”" in texts(await w.say(SERVICE, "受理"))
    assert "处理中" in texts(await w.say(SERVICE, "开始处理"))
    assert "已经是“处理中”" in texts(await w.say(SERVICE, "开始处理"))
    done = texts(await w.say(SERVICE, "修好了 换了浮子开关"))
    assert "已解决" in done and "换了浮子开关" in done
    ticket = await w.uow.tickets.get_by(number=TICKET)
    assert ticket is not None and ticket.status == TicketStatus.RESOLVED
    assert any("换了浮子开关" in c.text for c in ticket.comments)


async def test_done_alone_under_a_ticket_card_asks_for_the_resolution_not_a_report() -> None:
    w = await _world()
    await w.say(SERVICE, f"{TICKET} 受理")
    await w.say(SERVICE, f"{TICKET} 开始处理")
    await w.say(SERVICE, TICKET)
    asked = texts(await w.say(SERVICE, "完成"))
    assert "处理结果" in asked and "订单概况" not in asked
    assert "已解决" in texts(await w.say(SERVICE, "换了浮子开关，正常了"))
    assert await _ticket_status(w) == TicketStatus.RESOLVED


# --- #6: an order for a dealer said in one sentence --------------------------------------------------------

async def test_an_order_for_a_dealer_said_with_its_items_fills_the_cart_for_that_dealer() -> None:
    w = await _world()
    code = (await w.uow.dealers.list())[1].code
    shown = texts(await w.say(DESK, f"帮{code}下个单 AP300 10台"))
    assert "请输入经销商编号" not in shown
    assert code in shown and "上海金鼎" in shown and "AP300" in shown and "10台" in shown


# --- #7: the day's list in everyday words, every staff role ------------------------------------------------

async def test_whats_left_today_in_everyday_words_is_the_days_list_for_every_role() -> None:
    w = await _world()
    for chat in (DESK, SERVICE, CHANNEL, MARKETING, QUALITY):
        for words in ("今天还有啥要弄的", "今天要干啥"):
            assert "今日待办" in texts(await w.say(chat, words)), (chat, words)


# --- #16: question words are no dealer ---------------------------------------------------------------------

async def test_question_words_before_a_queue_are_no_dealer_name() -> None:
    w = await _world()
    tickets = texts(await w.say(SERVICE, "有啥新工单"))
    assert "没有找到经销商" not in tickets and TICKET in tickets
    assert "没有找到经销商" not in texts(await w.say(QUALITY, "最近有啥质量问题"))


# --- #24: "确认" after the order went in ---------------------------------------------------------------------

async def test_confirm_typed_after_the_order_was_submitted_says_it_is_in_with_its_buttons() -> None:
    w = await _world()
    await w.prepay((await w.uow.dealers.list())[0])
    cart = await w.say(OWNER, "AP300 2台")
    await w.press(OWNER, next(p for label, p in buttons(cart).items() if "确认下单" in label))
    said = await w.say(OWNER, "确认")
    assert "已经提交" in texts(said) and "无需再确认" in texts(said) and "知识库" not in texts(said)
    assert any("查看订单" in label for label in buttons(said))
    assert len(await w.uow.orders.list()) == 1
