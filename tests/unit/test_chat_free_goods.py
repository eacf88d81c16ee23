"""A buy-ten-get-one promotion ("买十送一") said the same way in the cart, the reply to its submission and the order's
card: the free goods and their value beside the money off, never in a discount total they are not part of."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from core.products import Promotion, PromotionKind
from core.users import Role
from tests.chat import ChatWorld, buttons, texts

DEALER_CHAT = "100"
FREE = "赠品：F300 ×1箱（价值 ¥299.00，随货发出，不计入合计）"


async def test_free_goods_are_shown_alike_in_the_cart_the_submission_and_the_stored_order() -> None:
    """(was: only "赠送 1箱" under the line, no word in the 优惠 part, and the check saying "优惠 ¥299.00" that no total
    showed; the order's card said "另赠 1" with no value)"""
    w = ChatWorld()
    await w.catalogue()
    dealer = await w.dealer()
    await w.prepay(dealer)
    await w.user(DEALER_CHAT, Role.DEALER_OWNER, dealer)
    running = {"starts_on": date(2026, 11, 1), "ends_on": date(2026, 12, 31)}
    await w.uow.promotions.add(Promotion(code="P-F", name="滤网买十送一", kind=PromotionKind.BUY_X_GET_Y, skus=["F300"],
                                         buy_qty=10, free_qty=1, **running))
    await w.uow.promotions.add(Promotion(code="P-AP", name="净化器95折", kind=PromotionKind.PERCENT_OFF, skus=["AP300"],
                                         percent=Decimal("5"), **running))
    await w.uow.commit()
    cart = await w.say(DEALER_CHAT, "F300 10箱，AP300 2台")
    shown = texts(cart)
    assert "赠送 1箱（价值 ¥299.00，不收费）" in shown
    assert "优惠：−¥199.90" in shown and FREE in shown and "合计：¥6,788.10" in shown, shown
    assert "已享受促销“滤网买十送一”：赠送 1 件，价值 ¥299.00" in shown
    submitted = texts(await w.press(DEALER_CHAT, buttons(cart)["✅ 确认下单"]))
    assert "金额：¥6,788.10" in submitted and "优惠：−¥199.90" in submitted and FREE in submitted
    [order] = w.uow.orders.rows
    assert [(ln.sku, ln.qty, ln.free_qty, ln.promotion_code) for ln in order.lines if ln.sku == "F300"] == [
        ("F300", 10, 1, "P-F")]
    assert order.total == Decimal("6788.10")
    card = texts(await w.press(DEALER_CHAT, f"1|orders.detail|{order.number}"))
    assert "另赠 1（价值 ¥299.00，不收费）" in card and "优惠：−¥199.90" in card and FREE in card
