"""Inside a cart: a keyboard mash is "not understood", not looked up as products; a "before" delivery date is a
latest date, shown as one (QA s28, brief findings)."""

from __future__ import annotations

from decimal import Decimal

from core.users import Role
from tests.chat import ChatWorld, buttons, texts
from tests.factories import make_product

CHAT = "100"


async def _world() -> ChatWorld:
    w = ChatWorld()
    await w.catalogue()
    for sku, name, aliases in (("DH12", "除湿机 DH12 家用12升", ["除湿机12", "DH-12", "12升除湿机"]),
                               ("DH50", "商用除湿机 DH50 50升", ["除湿机50", "DH-50", "商用除湿机"])):   # as the demo's
        await w.uow.products.add(make_product(sku, name=name, aliases=aliases, unit="台", list_price=Decimal("1299.00")))
    for p in w.uow.products.rows:
        if p.sku == "DH20":
            p.name, p.aliases = "除湿机 DH20 20升", ["除湿机20", "DH-20", "20升除湿机"]
    await w.uow.commit()
    dealer = await w.dealer()
    await w.prepay(dealer)
    await w.user(CHAT, Role.DEALER_OWNER, dealer)
    return w


async def test_a_keyboard_mash_in_a_cart_is_not_understood() -> None:
    """Was: "没有完全匹配的产品。您是不是要：DH12/DH20/DH50" (letters of the mash matched to products)."""
    w = await _world()
    await w.say(CHAT, "AP300 5台")
    replies = await w.say(CHAT, "asdkjh qwe 啊啊啊")
    shown = texts(replies)
    assert "没认出要订的产品" in shown and "您是不是要" not in shown, shown
    assert not any("DH" in label for label in buttons(replies)), buttons(replies)


async def test_a_before_date_is_the_latest_day_shown_and_sent_as_such() -> None:
    """Was: "deliver before Dec 20" -> "Delivery date set to Sun 2026-12-20" ("before" read as "on")."""
    w = await _world()
    await w.say(CHAT, "AP300 5台")
    replies = await w.say(CHAT, "12月20号之前送到")
    shown = texts(replies)
    assert "交货日期已设为不晚于 2026-12-20（周日）" in shown and "交货日期：不晚于 2026-12-20（周日）" in shown, shown
    english = await w.say(CHAT, "deliver before Dec 20")
    assert "by Sun 2026-12-20 at the latest" in texts(english), texts(english)
    await w.press(CHAT, buttons(english)["✅ Confirm order"])
    [order] = [o for o in w.uow.orders.rows]
    assert order.requested_delivery is not None and order.requested_delivery.isoformat() == "2026-12-20"
    assert "2026-12-20" in order.note and ("不晚于" in order.note or "at the latest" in order.note), order.note
    on_the_day = texts(await w.say(CHAT, "AP300 2台 12月18号送到"))          # a day said plainly stays the day
    assert "交货日期：2026-12-18" in on_the_day and "不晚于" not in on_the_day, on_the_day
