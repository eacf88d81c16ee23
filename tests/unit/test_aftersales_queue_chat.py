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
    asked = await w.press(MARKETING, buttons(approved)[f"🚚 发货 #{request.id}"])     # confirmed first (QA s25 #4)
    dispatch = buttons(asked)[f"✅ 确认发货 #{request.id}"]
    assert (await w.uow.materials.get(material.id)).stock == 50  # type: ignore[arg-type,union-attr]
    done = await w.press(MARKETING, dispatch)
    assert "🚚 物料已发货" in texts(done) and "剩余库存 40" in texts(done)
    assert "您申请的物料“门店海报”×10 已发货。" in texts(await w.pushed(DEALER_CHAT))
    again = await w.press(MARKETING, dispatch)
    assert "已发货" in texts(again) and (await w.uow.materials.get(material.id)).stock == 40  # type: ignore[arg-type,union-attr]
    stored = await w.uow.material_requests.get(request.id)  # type: ignore[arg-type]
    assert stored is not None and stored.status == RequestStatus.DISPATCHED and stored.dispatched_by == "staff:gao"
    assert "没有权限" in texts(await w.press(DEALER_CHAT, dispatch))


async def _asked(w: ChatWorld, question: str) -> str:
    number = (await w.uow.tickets.list())[0].number
    await w.press(SERVICE, payload("staff.ticket.accept", number))
    await w.press(SERVICE, payload("staff.ticket.info", number))
    await w.say(SERVICE, question)
    await w.pushed(SERVICE)
    await w.pushed(DEALER_CHAT)
    return number


async def test_the_dealer_answering_in_plain_words_is_offered_to_the_ticket_that_asked() -> None:
    """After-sales asked for more; the dealer types its answer without pressing ✍️ 回复: one tap sends it to the
    ticket (was: "抱歉，我没太明白 … 转人工", the answer lost)."""
    w, _ = await world()
    number = await _asked(w, "是不是放在低于5度的房间里用的")
    said = "放在客厅的 室温二十多度 不冷"
    offered = await w.say(DEALER_CHAT, said)
    assert f"这是对工单 {number} 的回复吗" in texts(offered) and "低于5度" in texts(offered)
    assert "没太明白" not in texts(offered)
    assert not [c for c in (await w.uow.tickets.list())[0].comments if said in c.text]     # nothing before the tap
    sent = await w.press(DEALER_CHAT, buttons(offered)["✍️ 作为回复发送"])
    assert f"留言已添加到工单 {number}" in texts(sent)
    assert said in texts(await w.pushed(SERVICE))
    assert "等待经销商补充信息" not in texts(await w.press(SERVICE, payload("staff.ticket.detail", number)))
    again = await w.say(DEALER_CHAT, "嗯嗯 辛苦了哈哈")                # answered: nothing is offered any more
    assert "这是对工单" not in texts(again)
    photo = await w.photo(DEALER_CHAT, "room.jpg")          # the photo after the words is still offered
    assert f"要把这 1 张照片补充到工单 {number} 吗" in texts(photo)
    await w.press(DEALER_CHAT, buttons(photo)["📎 补充到工单"])
    assert "补充到工单" not in texts(await w.photo(DEALER_CHAT, "other.jpg"))


async def test_a_problem_of_the_same_product_while_a_ticket_waits_is_offered_as_the_answer_first() -> None:
    """"AP300 还是响 师傅看了说风扇松了" (read as a repair request) while after-sales wait for the answer on the AP300
    ticket: offered as the answer, a new repair the other button (was: a new repair form)."""
    w, _ = await world()
    number = await _asked(w, "异响是一直响还是开机的时候响")
    offered = await w.say(DEALER_CHAT, "AP300 一直响 师傅看了说风扇松了")
    assert f"这是对工单 {number} 的回复吗" in texts(offered)
    assert buttons(offered)["🛠 不是，新报修"] == payload("as.new")


async def test_the_dealers_photos_reach_the_ticket_that_asked_for_them() -> None:
    """"麻烦拍一下铭牌": a photo sent outside any form is offered to that ticket, and photos sent after ✍️ 回复 are
    taken; they join the ticket's photos and go to after-sales with the push (was: "图片里没有找到订货清单" / "请用文字回复")."""
    w, _ = await world()
    number = await _asked(w, "麻烦拍一下机器背面铭牌")
    offered = await w.photo(DEALER_CHAT, "nameplate-1.jpg")
    assert f"要把这 1 张照片补充到工单 {number} 吗" in texts(offered)
    added = await w.press(DEALER_CHAT, buttons(offered)["📎 补充到工单"])
    assert f"已把 1 张照片补充到工单 {number}" in texts(added)
    ticket = (await w.uow.tickets.list())[0]
    assert ticket.photos == ["nameplate-1.jpg"] and ticket.comments[-1].text == "📷 ×1"
    pushed = await w.pushed(SERVICE)
    assert number in texts(pushed)
    row = [r for r in w.uow.outbox.rows if r.kind == "ticket.comment_staff"][-1]
    assert row.params["attachments"] == [{"key": "nameplate-1.jpg", "name": f"{number}.jpg"}]

    await w.press(DEALER_CHAT, payload("as.cmt", number))          # ✍️ 回复, then a photo
    taken = await w.photo(DEALER_CHAT, "drain-1.jpg", "drain-2.jpg")
    assert f"已把 2 张照片补充到工单 {number}" in texts(taken)
    assert (await w.uow.tickets.list())[0].photos == ["nameplate-1.jpg", "drain-1.jpg", "drain-2.jpg"]


async def test_no_ticket_waiting_keeps_the_usual_answers() -> None:
    w, _ = await world()
    assert "这是对工单" not in texts(await w.say(DEALER_CHAT, "放在客厅的 室温二十多度 不冷"))
    assert "补充到工单" not in texts(await w.photo(DEALER_CHAT, "x.jpg"))
