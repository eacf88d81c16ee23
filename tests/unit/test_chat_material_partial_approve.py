"""A material request approved in part (QA s27 P9): "#1 批准 但是只给20套 库存不够" was a confirm card for the whole 50;
now the card names 申请 ×50，批准 ×20 and its press grants 20 (the dealer told 20); more than asked is refused."""

from __future__ import annotations

from core.campaigns import MarketingMaterial, MaterialRequest, RequestStatus
from core.users import Role
from tests.chat import ChatWorld, buttons, texts

MARKETING = "304"


async def _world() -> ChatWorld:
    w = ChatWorld()
    dealer = await w.dealer(name="南京优品商贸有限公司")
    await w.user(MARKETING, Role.MARKETING, username="sun.marketing")
    assert dealer.id is not None
    poster = await w.uow.materials.add(MarketingMaterial(code="POS-01", name="品牌海报（套）", stock=500))
    await w.uow.material_requests.add(MaterialRequest(material_id=poster.id or 0, dealer_id=dealer.id, qty=50,
                                                      created_at=w.clock.now()))
    await w.uow.commit()
    return w


async def _request(w: ChatWorld) -> MaterialRequest:
    request = await w.uow.material_requests.get(1)
    assert request is not None
    return request


async def test_approve_but_only_twenty_asks_for_twenty_and_grants_twenty() -> None:
    w = await _world()
    asked = await w.say(MARKETING, "#1 批准 但是只给20套 库存不够")
    said = texts(asked)
    assert "申请 ×50" in said and "批准 ×20" in said
    assert (await _request(w)).status == RequestStatus.PENDING
    press = next(p for label, p in buttons(asked).items() if "只给 20" in label)
    done = texts(await w.press(MARKETING, press))
    request = await _request(w)
    assert request.status == RequestStatus.APPROVED and request.qty == 20
    assert "×20" in done and "×50" not in done


async def test_more_than_asked_is_refused_and_nothing_is_approved() -> None:
    w = await _world()
    said = texts(await w.say(MARKETING, "#1 批准 给80套"))
    assert "只申请了 50" in said and "没有做任何操作" in said
    assert (await _request(w)).status == RequestStatus.PENDING


async def test_approve_without_a_count_still_approves_the_whole_request() -> None:
    w = await _world()
    asked = await w.say(MARKETING, "#1 批准")
    assert "确认通过物料申请 #1" in texts(asked)
    await w.press(MARKETING, next(p for label, p in buttons(asked).items() if "通过" in label))
    request = await _request(w)
    assert request.status == RequestStatus.APPROVED and request.qty == 50
