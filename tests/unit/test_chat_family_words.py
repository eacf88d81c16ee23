"""Words of a family of products (issue 23 of the s25 QA report): "WP600要8台 滤芯来3箱" asks which filter when the
only 滤芯 is made for another model (never the WP400's filter guessed for a WP600), and "净水器有啥型号" lists the
models at once (no "not found" before them)."""

from __future__ import annotations

from decimal import Decimal

from core.inventory import StockLevel
from core.users import Role
from tests.chat import ChatWorld, buttons, texts
from tests.factories import make_product

CHAT = "100"


async def world() -> ChatWorld:
    w = ChatWorld()
    await w.catalogue()            # AP300, F300 "AP300 滤网" (alias 滤网), DH20
    wh = next(iter(w.uow.warehouses.rows))
    for sku, name, category, unit in (("WP400", "净水器 WP400 RO反渗透", "净水器", "台"),
                                      ("WP600", "净水器 WP600 厨下大通量", "净水器", "台"),
                                      ("WPM", "台式净水器 Mini", "净水器", "台"),
                                      ("FW400", "WP400 RO膜滤芯", "耗材", "箱")):
        await w.uow.products.add(make_product(sku, name=name, category=category, aliases=[], unit=unit,
                                              list_price=Decimal("999.00")))
        await w.uow.stock.add(StockLevel(warehouse_id=wh.id, sku=sku, on_hand=500))  # type: ignore[arg-type]
    for p in w.uow.products.rows:
        if p.sku == "F300":
            p.category = "耗材"
    await w.uow.commit()
    dealer = await w.dealer(name="上海金鼎家电")
    await w.prepay(dealer)
    await w.user(CHAT, Role.DEALER_OWNER, dealer)
    return w


async def cart(w: ChatWorld) -> dict[str, int]:
    stored = await w.uow.dialogs.get_by(channel=w.channel, chat_id=CHAT)
    assert stored is not None
    return {str(sku): int(qty) for sku, qty in stored.data.get("items", [])}


async def test_a_part_word_of_another_model_is_asked_not_guessed() -> None:
    w = await world()
    replies = await w.say(CHAT, "WP600要8台 滤芯来3箱")
    assert await cart(w) == {"WP600": 8}, texts(replies)
    assert "“滤芯”（数量 3）：有好几种产品都叫这个" in texts(replies)
    assert {"WP400 RO膜滤芯（FW400） ×3", "AP300 滤网（F300） ×3"} <= set(buttons(replies))


async def test_a_part_word_with_its_own_model_or_alone_is_that_part() -> None:
    w = await world()
    await w.say(CHAT, "WP400 5台 滤芯3箱")
    assert await cart(w) == {"WP400": 5, "FW400": 3}


async def test_which_models_of_a_family_are_listed_without_not_found() -> None:
    w = await world()
    replies = await w.say(CHAT, "净水器有啥型号")
    shown = texts(replies)
    assert "没有找到" not in shown
    assert "“净水器”共有 3 款" in shown
    assert "净水器 WP400 RO反渗透（WP400）" in shown and "净水器 WP600 厨下大通量（WP600）" in shown
    assert "台式净水器 Mini（WPM）" in buttons(replies)
