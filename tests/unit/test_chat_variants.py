"""A dealer of a catalogue built of series and variants orders in the chat: lines named by variants after the
series go into the cart, and a variant the series lacks is named back with its count and a suggestion, never
added to another line (nlu/variants.py through the conversation)."""

from __future__ import annotations

from decimal import Decimal

from core.inventory import StockLevel
from core.users import Role
from tests.chat import ChatWorld, buttons, texts
from tests.factories import make_product, make_warehouse

DEALER_CHAT = "100"


async def world() -> ChatWorld:
    w = ChatWorld()
    wh = await w.uow.warehouses.add(make_warehouse("WH-SH", region="华东"))
    for sku, name, alias in (("MX-W5", "明霞雅居乳胶漆 白色 5L", "雅居白5L"), ("MX-W18", "明霞雅居乳胶漆 白色 18L", "雅居白18L"),
                             ("MX-Y5", "明霞雅居乳胶漆 米黄 5L", "雅居米黄5L"), ("MX-Y18", "明霞雅居乳胶漆 米黄 18L", "雅居米黄18L")):
        await w.uow.products.add(make_product(sku, name=name, aliases=[alias], unit="桶", list_price=Decimal("199.00")))
        await w.uow.stock.add(StockLevel(warehouse_id=wh.id, sku=sku, on_hand=500))  # type: ignore[arg-type]
    await w.uow.commit()
    dealer = await w.dealer(name="上海华信建材有限公司")
    await w.prepay(dealer)
    await w.user(DEALER_CHAT, Role.DEALER_OWNER, dealer)
    return w


async def test_a_variant_the_series_lacks_is_named_back_and_the_rest_goes_into_the_cart() -> None:
    w = await world()
    replies = await w.say(DEALER_CHAT, "雅居白5L 10桶 米黄1L 3桶")
    shown = texts(replies)
    assert "明霞雅居乳胶漆 白色 5L（MX-W5）10桶" in shown
    assert "没有找到“米黄1L”（数量 3）" in shown                   # was: 3 more of the white 5 L
    assert "MX-Y5" not in shown.split("没有找到")[0]                # nothing of it in the cart
    offered = buttons(replies)
    assert offered["明霞雅居乳胶漆 米黄 5L（MX-Y5） ×3"] == "1|order.add|MX-Y5|3"

    listed = texts(await w.say(DEALER_CHAT, "雅居白18L 米黄18L 各2桶"))
    assert "明霞雅居乳胶漆 白色 18L（MX-W18）2桶" in listed and "明霞雅居乳胶漆 米黄 18L（MX-Y18）2桶" in listed
    assert "明霞雅居乳胶漆 白色 5L（MX-W5）10桶" in listed          # the first message's line is kept


async def test_a_correction_by_colour_sets_the_one_line_of_that_colour_in_the_cart() -> None:
    """"米黄的改成5桶" names two products (米黄 18L and 5L); with only the 18 L in the cart it sets that line,
    no question. With both in the cart it asks which."""
    w = await world()
    await w.say(DEALER_CHAT, "雅居白18L 两桶 米黄18L 3桶")
    replies = await w.say(DEALER_CHAT, "米黄的改成5桶")
    shown = texts(replies)
    assert "明霞雅居乳胶漆 米黄 18L（MX-Y18）5桶" in shown           # was: "有好几种产品都叫这个" and 3桶 kept
    assert "明霞雅居乳胶漆 白色 18L（MX-W18）2桶" in shown
    assert "MX-Y5" not in shown and "哪一种" not in shown

    await w.say(DEALER_CHAT, "米黄5L 1桶")
    asked = await w.say(DEALER_CHAT, "米黄的改成8桶")
    assert "哪一种" in texts(asked)
    assert "明霞雅居乳胶漆 米黄 18L（MX-Y18）5桶" in texts(asked)      # nothing changed before the answer


async def test_a_colour_the_series_lacks_before_a_size_is_named_back_whole() -> None:
    w = await world()
    await w.say(DEALER_CHAT, "雅居白18L 两桶")
    shown = texts(await w.say(DEALER_CHAT, "雅居 蓝色18L 3桶"))
    assert "没有找到“蓝色18L”（数量 3）" in shown                    # was: "没有找到“18L”"
    assert "明霞雅居乳胶漆 白色 18L（MX-W18）2桶" in shown               # the white line untouched
    shown = texts(await w.say(DEALER_CHAT, "米黄18L 3桶 红色 5L 2桶"))
    assert "没有找到“红色 5L”（数量 2）" in shown                    # was: 2 of the 米黄 5L
    assert "MX-Y5" not in shown.split("没有找到")[0]
