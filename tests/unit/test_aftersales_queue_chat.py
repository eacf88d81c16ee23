"""Staff chat: ask the dealer for information on a ticket (the dealer answers with the reply button),
statistics, and dispatching an approved material request (stock goes down once)."""

from __future__ import annotations

from core.campaigns import MarketingMaterial, RequestStatus
from core.services.aftersales import CreateTicket, create_ticket
from core.services.materials import RequestMaterial, request_material
from core.users import Role
from handlers.router import payload
from tests.chat import ChatWorld, buttons, texts

DEALER_CHAT, SERVICE, MARKETING = "100", "301", "401"


async def world() -> tuple[ChatWorld, int]:
    w = ChatWorld()
    await w.catalogue()
    dealer = await w.dealer(name="上海华信电器有限公司")
    owner = await w.user(DEALER_CHAT, Role.DEALER_OWNER, dealer)
    await w.user(SERVICE, Role.AFTER_SALES, username="chen")
    await w.user(MARKETING, Role.MARKETING, username="gao")
    ticket = await create_ticket(w.uow, owner.to_actor(), CreateTicket(dealer_id=dealer.id, description="开机异响",  # type: ignore[arg-type]
                                                                        sku="AP300"), w.clock)
    w.forget_pushes()
    assert ticket.number.startswith("AS-")
    return w, dealer.id or 0


async def test_ask_dealer_for_information_and_the_dealer_replies() -> None:
    w, _ = await world()
    number = (await w.uow.tickets.list())[0].number
    await w.press(SERVICE, payload("staff.ticket.accept", number))
    detail = await w.press(SERVICE, payload("staff.ticket.detail", number))
    assert buttons(detail)["❓ 要求补充"] == payload("staff.ticket.info", number)
    assert "请输入需要经销商补充的信息" in texts(await w.press(SERVICE, payload("staff.ticket.info", number)))
    sent = await w.say(SERVICE, "请补拍机身铭牌")
    assert f"❓ 已请经销商补充信息 {number}：请补拍机身铭牌" in texts(sent)
    pushed = [r for r in await w.pushed(DEALER_CHAT) if "需要您补充信息" in r.text]
    assert len(pushed) == 1 and "请补拍机身铭牌" in pushed[0].text
    reply = buttons(pushed)["✍️ 回复"]
    assert reply == payload("as.cmt", number)
    assert "⏳ 等待经销商补充信息" in texts(await w.press(SERVICE, payload("staff.ticket.detail", number)))
    await w.press(DEALER_CHAT, reply)
    await w.say(DEALER_CHAT, "铭牌序列号 SN-778899")
    assert "铭牌序列号 SN-778899" in texts(await w.pushed(SERVICE))
    assert "等待经销商补充信息" not in texts(await w.press(SERVICE, payload("staff.ticket.detail", number)))


async def test_dealer_cannot_ask_for_info_and_stats_are_staff_only() -> None:
    w, _ = await world()
    number = (await w.uow.tickets.list())[0].number
    assert "没有权限" in texts(await w.press(DEALER_CHAT, payload("staff.ticket.info", number)))
    assert "没有权限" in texts(await w.press(DEALER_CHAT, payload("staff.ticket.stats")))
    listing = await w.press(SERVICE, payload("staff.tickets"))
    stats = texts(await w.press(SERVICE, buttons(listing)["📊 统计"]))
    assert "📊 售后统计：共 1 单，未结 1，超时 0，平均满意度 -" in stats
    assert "AP300：1 单" in stats and "未分类：1 单" in stats


async def test_dispatch_after_approval_takes_the_stock_once() -> None:
    w, dealer_id = await world()
    material = await w.uow.materials.add(MarketingMaterial(code="POS-01", name="门店海报", stock=50))
    await w.uow.commit()
    owner = (await w.uow.users.list(username="u100"))[0].to_actor()
    request = await request_material(w.uow, owner, RequestMaterial(material.id, 10), w.clock)  # type: ignore[arg-type]
    approved = await w.press(MARKETING, payload("staff.mat.approve", request.id))  # type: ignore[arg-type]
    dispatch = buttons(approved)["🚚 发货"]
    assert (await w.uow.materials.get(material.id)).stock == 50  # type: ignore[arg-type,union-attr]
    done = await w.press(MARKETING, dispatch)
    assert "🚚 物料已发货" in texts(done) and "剩余库存 40" in texts(done)
    assert "您申请的物料“门店海报”×10 已发货。" in texts(await w.pushed(DEALER_CHAT))
    again = await w.press(MARKETING, dispatch)
    assert "已发货" in texts(again) and (await w.uow.materials.get(material.id)).stock == 40  # type: ignore[arg-type,union-attr]
    stored = await w.uow.material_requests.get(request.id)  # type: ignore[arg-type]
    assert stored is not None and stored.status == RequestStatus.DISPATCHED and stored.dispatched_by == "staff:gao"
    assert "没有权限" in texts(await w.press(DEALER_CHAT, dispatch))
