"""Material requests acted on from a list (QA s25 #4): every button names the request it acts on, and the
dispatch (the stock goes out, it cannot be taken back) asks to confirm first."""

from __future__ import annotations

from core.campaigns import MarketingMaterial, RequestStatus
from core.services.materials import RequestMaterial, request_material
from core.users import Role
from handlers.router import payload
from tests.chat import ChatWorld, buttons, texts

DEALER_CHAT, MARKETING = "100", "404"


async def world() -> tuple[ChatWorld, int, int]:
    w = ChatWorld()
    await w.catalogue()
    dealer = await w.dealer(name="上海金鼎家电有限公司")
    owner = await w.user(DEALER_CHAT, Role.DEALER_OWNER, dealer)
    await w.user(MARKETING, Role.MARKETING, username="sun")
    material = await w.uow.materials.add(MarketingMaterial(code="POS-01", name="宣传单页", stock=50))
    await w.uow.commit()
    actor = owner.to_actor()
    first = await request_material(w.uow, actor, RequestMaterial(material.id or 0, 10, "新店开业"), w.clock)
    second = await request_material(w.uow, actor, RequestMaterial(material.id or 0, 5), w.clock)
    return w, first.id or 0, second.id or 0


async def test_the_card_buttons_name_the_request_they_act_on() -> None:
    w, first, _ = await world()
    pending = buttons(await w.press(MARKETING, payload("staff.mat.detail", first)))
    assert pending == {f"✅ 通过 #{first}": payload("staff.mat.approve", first),
                       f"❌ 驳回 #{first}": payload("staff.mat.reject", first)}
    await w.press(MARKETING, payload("staff.mat.approve", first))
    approved = buttons(await w.press(MARKETING, payload("staff.mat.detail", first)))
    assert approved == {f"🚚 发货 #{first}": payload("staff.mat.dispatch", first)}


async def test_dispatch_asks_to_confirm_and_only_the_confirm_button_ships() -> None:
    w, first, _ = await world()
    await w.press(MARKETING, payload("staff.mat.approve", first))
    asked = await w.press(MARKETING, payload("staff.mat.dispatch", first))
    assert f"确认物料申请 #{first} 发货" in texts(asked) and "不能撤回" in texts(asked)
    assert f"✅ 确认发货 #{first}" in buttons(asked)
    stored = await w.uow.material_requests.get(first)
    assert stored is not None and stored.status == RequestStatus.APPROVED        # nothing shipped yet
    done = await w.press(MARKETING, payload("staff.mat.dispatch_ok", first))
    assert "物料已发货" in texts(done)
    stored = await w.uow.material_requests.get(first)
    assert stored is not None and stored.status == RequestStatus.DISPATCHED


async def test_the_approval_queue_names_each_material_request() -> None:
    w, first, second = await world()
    shown = buttons(await w.press(MARKETING, payload("staff.approvals")))
    assert f"✅ 通过 #{first}" in shown and f"❌ 驳回 #{second}" in shown


async def test_a_typed_number_opens_the_request_not_a_dealer_form() -> None:
    w, first, _ = await world()
    shown = await w.say(MARKETING, f"#{first}")
    assert f"物料申请 #{first}" in texts(shown) and "上报销量" not in texts(shown)
    assert f"✅ 通过 #{first}" in buttons(shown)


async def test_number_reject_and_reason_asks_once_then_rejects_with_that_reason() -> None:
    w, _, second = await world()
    asked = await w.say(MARKETING, f"#{second} 驳回 宣传单页库存不够了下个月再申请")
    assert f"确认驳回物料申请 #{second}" in texts(asked) and "原因：宣传单页库存不够了下个月再申请" in texts(asked)
    stored = await w.uow.material_requests.get(second)
    assert stored is not None and stored.status == RequestStatus.PENDING
    await w.press(MARKETING, buttons(asked)[f"❌ 确认驳回 #{second}"])
    stored = await w.uow.material_requests.get(second)
    assert stored is not None and stored.status == RequestStatus.REJECTED
    assert stored.reject_reason == "宣传单页库存不够了下个月再申请"


async def test_a_dealers_request_decided_in_words_shows_its_card() -> None:
    w, first, second = await world()
    said = await w.say(MARKETING, "金鼎那个宣传单页的申请同意了")
    assert "仅供经销商" not in texts(said)
    assert f"{first}" in texts(said) and "请选择" in texts(said)       # two requests of that dealer wait
    stored = await w.uow.material_requests.get(first)
    assert stored is not None and stored.status == RequestStatus.PENDING     # nothing acts without a press
