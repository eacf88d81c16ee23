"""A cart left for another form is kept (QA s27 #4): sell-out lines typed with the cart open are a sales report,
never lines of the purchase order, and the cart comes back when ordering goes on ("购物车会保留" is kept)."""

from __future__ import annotations

from decimal import Decimal

from core.inventory import StockLevel
from core.users import Role
from tests.chat import ChatWorld, buttons, texts
from tests.factories import make_product

CHAT = "100"


async def world() -> ChatWorld:
    w = ChatWorld()
    await w.catalogue()
    wh = next(iter(w.uow.warehouses.rows))
    await w.uow.products.add(make_product("AP500", name="空气净化器AP500", aliases=[], unit="台",
                                          list_price=Decimal("2999.00")))
    await w.uow.stock.add(StockLevel(warehouse_id=wh.id, sku="AP500", on_hand=500))  # type: ignore[arg-type]
    await w.uow.commit()
    dealer = await w.dealer(name="上海华信电器有限公司")
    await w.prepay(dealer)
    await w.user(CHAT, Role.DEALER_OWNER, dealer)
    return w


async def cart(w: ChatWorld) -> dict[str, int]:
    stored = await w.uow.dialogs.get_by(channel=w.channel, chat_id=CHAT)
    assert stored is not None
    return {str(sku): int(qty) for sku, qty in stored.data.get("items", [])}


async def test_sell_out_typed_with_the_cart_open_is_a_report_and_the_cart_comes_back() -> None:
    w = await world()
    await w.say(CHAT, "AP300 来5台")
    assert await cart(w) == {"AP300": 5}
    replies = await w.say(CHAT, "昨天 AP500 卖了2台 单价3299 杭州 工程")
    said = texts(replies)
    assert "请确认销量上报" in said and "AP500 ×2台 ¥6,598.00" in said and "购物车已保留" in said
    assert "订单确认" not in said and "已加入" not in said
    done = texts(await w.press(CHAT, buttons(replies)["✅ 确认提交"]))
    assert "已上报 1 行销量" in done
    assert len(w.uow.sellout.rows) == 1 and not w.uow.orders.rows           # a report, no order
    back = texts(await w.say(CHAT, "DH20 来1台"))                            # ordering goes on: the cart is back
    assert await cart(w) == {"AP300": 5, "DH20": 1}
    assert "空气净化器AP300" in back or "AP300（AP300）5台" in back


async def test_the_cart_is_shown_when_asked_after_another_form_and_dropped_only_when_said() -> None:
    w = await world()
    await w.say(CHAT, "AP300 来5台")
    await w.say(CHAT, "昨天 AP500 卖了2台 单价3299")
    await w.say(CHAT, "/cancel")
    shown = texts(await w.say(CHAT, "看下购物车"))
    assert "AP300" in shown and "5台" in shown
    await w.say(CHAT, "放弃购物车")
    await w.say(CHAT, "确认")
    await w.say(CHAT, "DH20 来1台")
    assert await cart(w) == {"DH20": 1}
