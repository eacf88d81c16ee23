"""A parent dealer changes the order it placed for its sub-dealer (QA s27 P7: was "未找到：SO-…" on the change screen
the card offered, "完成修改" answered with a sell-out report, and "刚才那单" picking the parent's own older order)."""

from __future__ import annotations

from core.dealers import Dealer
from core.services.orders import SubmitOrder, submit_order
from core.users import Role
from tests.chat import ChatWorld, buttons, texts
from tests.factories import dealer_user

PARENT = "100"
CHILD = "200"


async def world() -> tuple[ChatWorld, Dealer, Dealer]:
    w = ChatWorld()
    await w.catalogue()
    parent = await w.dealer(name="上海德润商贸有限公司")
    child = await w.dealer(name="苏州安居电器有限公司", parent_id=parent.id)
    await w.prepay(parent)
    await w.prepay(child)
    await w.user(PARENT, Role.DEALER_OWNER, parent)
    await w.user(CHILD, Role.DEALER_OWNER, child)
    return w, parent, child


async def _placed_for(w: ChatWorld, parent: Dealer, child: Dealer, qty: int = 10) -> str:
    order = await submit_order(w.uow, dealer_user(parent.id),  # type: ignore[arg-type]
                               SubmitOrder(dealer_id=child.id, items=[("AP300", qty)]), w.clock)  # type: ignore[arg-type]
    assert order.on_behalf
    return order.number


async def lines(w: ChatWorld, number: str) -> list[tuple[str, int]]:
    stored = await w.uow.orders.get_by(number=number)
    assert stored is not None
    return [(ln.sku, ln.qty) for ln in stored.lines]


async def test_the_parent_changes_by_number_and_confirms() -> None:
    w, parent, child = await world()
    number = await _placed_for(w, parent, child)
    shown = await w.say(PARENT, f"{number} 改成20台")
    assert "未找到" not in texts(shown) and "✅ 确认修改" in buttons(shown)
    done = await w.press(PARENT, buttons(shown)["✅ 确认修改"])
    assert f"订单 {number} 已修改" in texts(done)
    assert await lines(w, number) == [("AP300", 20)]


async def test_the_parent_changes_from_the_cards_button_and_done_shows_the_change() -> None:
    w, parent, child = await world()
    number = await _placed_for(w, parent, child)
    card = await w.press(PARENT, f"1|orders.detail|{number}")
    editor = await w.press(PARENT, buttons(card)["✏️ 修改订单（审核前）"])
    assert "未找到" not in texts(editor)
    edited = await w.say(PARENT, "AP300 改成20台")
    assert "未找到" not in texts(edited)
    done = await w.say(PARENT, "完成修改")
    assert "动销" not in texts(done) and "✅ 确认修改" in buttons(done) and "请点 ✅ 确认修改" in texts(done)
    await w.say(PARENT, "确认修改")
    assert await lines(w, number) == [("AP300", 20)]


async def test_that_order_is_the_one_the_parent_placed_last_for_its_sub_dealer() -> None:
    w, parent, child = await world()
    await w.order(parent, [("DH20", 1)], to="received")        # the parent's own, older
    number = await _placed_for(w, parent, child)
    shown = await w.say(PARENT, "刚才那单能改成20台吗")
    assert f"修改订单 {number}" in texts(shown)


async def test_a_sub_dealers_own_order_is_not_offered_for_the_parent_to_change() -> None:
    w, parent, child = await world()
    own = await w.order(child, [("AP300", 3)])
    card = await w.press(PARENT, f"1|orders.detail|{own.number}")
    assert "✏️ 修改订单（审核前）" not in buttons(card)
