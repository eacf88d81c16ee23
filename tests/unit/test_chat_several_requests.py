"""One message, several requests (QA s28 #4, #5, #16), a product said wrongly corrected (#6) and a rejected order
placed again with a change (#7): every request done, nothing swallowed into a note, nothing dropped."""

from __future__ import annotations

from decimal import Decimal

from core.inventory import StockLevel
from core.services.orders import RejectOrder, reject_order
from core.users import Role
from tests.chat import ChatWorld, buttons, texts
from tests.factories import make_product, staff
from tests.unit.test_chat_cart_edits import CHAT, cart, world


async def _more(w: ChatWorld, *skus: tuple[str, str]) -> None:
    wh = next(iter(w.uow.warehouses.rows))
    for sku, name in skus:
        await w.uow.products.add(make_product(sku, name=name, aliases=[], unit="台", list_price=Decimal("2999.00")))
        await w.uow.stock.add(StockLevel(warehouse_id=wh.id, sku=sku, on_hand=500))  # type: ignore[arg-type]
    await w.uow.commit()


async def _dealer(w: ChatWorld):  # type: ignore[no-untyped-def]
    user = next(u for u in w.uow.users.rows if u.dealer_id is not None)
    return await w.uow.dealers.get(user.dealer_id)


async def test_an_order_and_a_stock_question_after_a_comma_do_both() -> None:
    """QA s28 #4: "我要AP300 10台，DH20有没有货？" answered AP300's stock and added nothing."""
    w = await world()
    replies = await w.say(CHAT, "我要AP300 10台，DH20有没有货？")
    assert await cart(w) == {"AP300": 10}
    shown = texts(replies)
    assert "除湿机DH20" in shown and "库存" in shown
    assert "我不太确定" not in shown


async def test_an_order_a_stock_question_and_the_last_orders_status_are_three_requests() -> None:
    """QA s28 #5: the new order was read as a change of the last (completed) order; the two questions dropped."""
    w = await world()
    earlier = await w.order(await _dealer(w), [("AP500", 4)], to="received")
    replies = await w.say(CHAT, "我要AP300 10台，DH20有没有货？另外上次那单发货了没")
    shown = texts(replies)
    assert await cart(w) == {"AP300": 10}                 # a new order, not a change of the old one
    assert "不能在这里修改" not in shown
    assert "除湿机DH20" in shown and "库存" in shown       # the stock question answered
    assert earlier.number in shown                         # and the last order's status


async def test_a_note_and_a_stock_question_are_a_note_and_an_answer() -> None:
    """QA s28 #16: "备注：卸货要叉车，另外滤网有货吗" put the question into the note the desk reads."""
    w = await world()
    await w.say(CHAT, "AP300 5台")
    replies = await w.say(CHAT, "备注：卸货要叉车，另外滤网有货吗")
    stored = await w.uow.dialogs.get_by(channel=w.channel, chat_id=CHAT)
    assert stored is not None and stored.data.get("note") == "卸货要叉车"
    shown = texts(replies)
    assert "滤网有货吗" not in shown
    assert any("F300" in label for label in buttons(replies)) and any("F500" in label for label in buttons(replies))
    assert await cart(w) == {"AP300": 5}


async def test_not_this_product_but_that_one_replaces_the_line_with_its_count() -> None:
    """QA s28 #6: "不是DH20 是DH50 数量不变" offered DH20/DH50/DH12 and then added a second line."""
    w = await world()
    await _more(w, ("DH50", "商用除湿机DH50"))
    await w.say(CHAT, "DH20 50台 AP300 10台")
    replies = await w.say(CHAT, "不是DH20 是DH50 数量不变")
    assert await cart(w) == {"DH50": 50, "AP300": 10}
    assert "已替换" in texts(replies)


async def test_not_this_product_but_one_that_does_not_exist_is_named_back_and_the_cart_kept() -> None:
    w = await world()
    await _more(w, ("DH50", "商用除湿机DH50"))
    await w.say(CHAT, "DH20 50台 AP300 10台")
    replies = await w.say(CHAT, "不对不对 不是DH20 是DH30 数量不变")
    assert await cart(w) == {"DH20": 50, "AP300": 10}      # nothing changed on a word that is no product
    assert "DH30" in texts(replies)
    swap = next(p for label, p in buttons(replies).items() if "DH50" in label)
    await w.press(CHAT, swap)
    assert await cart(w) == {"DH50": 50, "AP300": 10}


async def test_a_rejected_order_placed_again_with_one_line_replaced_keeps_the_others() -> None:
    """QA s28 #7: "那就把WP400换成WP600 其他不变 再下一次" made a cart of WP600 only; AP300 ×8 was gone."""
    w = await world()
    await _more(w, ("WP400", "净水器WP400"), ("WP600", "净水器WP600"))
    order = await w.order(await _dealer(w), [("AP300", 8), ("WP400", 3)])
    await reject_order(w.uow, staff(Role.ADMIN, name="admin"), RejectOrder(number=order.number,
                                                                         reason="WP400停产了 请换WP600"), w.clock)
    replies = await w.say(CHAT, "那就把WP400换成WP600 其他不变 再下一次")
    assert await cart(w) == {"AP300": 8, "WP600": 3}
    assert order.number in texts(replies)
