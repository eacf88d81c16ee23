"""Prices in chat: one product's price for this dealer (tier / own price, promotions), the price list as Excel,
staff (no dealer price), English. "AP300 什么价" goes through the offline parser; wordings it does not read as
``price_query`` yet are read as the parser's result through ``ChatWorld.parse_as``."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest

from core.errors import NotFound, SkuNotAllowed
from core.products import DealerAllowedSku, DealerPrice, Promotion, PromotionKind, PromotionTier, TierPrice
from core.services.prices import PriceSource, price_sheet, product_price
from core.users import Role
from handlers.router import payload
from nlu.schema import Intent, ParseResult, Slots
from tests.chat import ChatWorld, buttons, texts
from tests.factories import dealer_user

D = Decimal


def _price(sku: str | None = None, topic: str | None = None) -> ParseResult:
    return ParseResult(intent=Intent.PRICE_QUERY, confidence=0.9, slots=Slots(product=sku, topic=topic))


async def _world() -> tuple[ChatWorld, int, int]:
    """Dealer 1 (tier B): AP300 at the B price 1,799 with 10 % off for B; DH20 at its own price 1,499;
    F300 at list price with buy 10 get 1. Dealer 2 (tier A) may buy AP300 only."""
    w = ChatWorld()
    await w.catalogue()
    d1 = await w.dealer(name="北京金鼎家电有限公司", code="D0101", tier="B")
    d2 = await w.dealer(name="上海华信电器有限公司", code="D0102", tier="A")
    assert d1.id is not None and d2.id is not None
    await w.user("100", Role.DEALER_OWNER, d1)
    await w.user("101", Role.DEALER_CLERK, d1)
    await w.user("200", Role.DEALER_OWNER, d2)
    await w.user("900", Role.ORDER_DESK, username="zhang")
    await w.uow.tier_prices.add(TierPrice(tier="B", sku="AP300", price=D("1799.00")))
    await w.uow.tier_prices.add(TierPrice(tier="A", sku="AP300", price=D("1699.00")))
    await w.uow.dealer_prices.add(DealerPrice(dealer_id=d1.id, sku="DH20", price=D("1499.00")))
    await w.uow.allowed_skus.add(DealerAllowedSku(dealer_id=d2.id, sku="AP300"))
    running = {"starts_on": date(2026, 11, 1), "ends_on": date(2026, 12, 31)}
    for promo in (
        Promotion(code="P-B10", name="冬季净化季", kind=PromotionKind.PERCENT_OFF, skus=["AP300"], dealer_tiers=["B"],
                  percent=D("10"), **running),
        Promotion(code="P-A5", name="A级专享", kind=PromotionKind.PERCENT_OFF, skus=["AP300"], dealer_tiers=["A"],
                  percent=D("5"), **running),
        Promotion(code="P-F", name="滤网买十送一", kind=PromotionKind.BUY_X_GET_Y, skus=["F300"], buy_qty=10,
                  free_qty=1, **running),
        Promotion(code="P-SPENT", name="预算已用完", kind=PromotionKind.PERCENT_OFF, skus=["F300"], percent=D("20"),
                  budget=D("1000.00"), spent=D("1000.00"), **running),
        Promotion(code="P-OLD", name="双11", kind=PromotionKind.PERCENT_OFF, skus=["DH20"], percent=D("15"),
                  starts_on=date(2026, 11, 1), ends_on=date(2026, 11, 11)),
        Promotion(code="P-TIER", name="满额返", kind=PromotionKind.TIERED, skus=["DH20"],
                  tiers=[PromotionTier(D("50000.00"), D("3")), PromotionTier(D("10000.00"), D("1"))], **running),
    ):
        await w.uow.promotions.add(promo)
    await w.uow.commit()
    return w, d1.id, d2.id


async def test_dealer_price_with_tier_price_and_promotion() -> None:
    w, _, _ = await _world()
    replies = await w.say("100", "AP300 什么价")          # the offline parser: price_query, product AP300
    text = texts(replies)
    assert "空气净化器AP300（AP300）" in text
    assert "您的价格：¥1,799.00/台（B 级价格）" in text
    assert "目录价：¥1,999.00" in text and "起订量：1台" in text
    assert "冬季净化季：10% 优惠，折后 ¥1,619.10/台（至 2026-12-31）" in text
    assert "A级专享" not in text                       # another tier's promotion
    assert buttons(replies)["🛒 订购"] == payload("order.pick", "AP300")
    assert buttons(replies)["📋 价格表（Excel）"] == payload("price.list")


async def test_own_price_tiered_promotion_and_used_up_budget() -> None:
    w, _, _ = await _world()
    w.parse_as(_price("DH20"))
    text = texts(await w.say("100", "DH20多少钱"))
    assert "您的价格：¥1,499.00/台（贵司协议价）" in text
    assert "满额返：订单满 ¥10,000.00 优惠 1%；订单满 ¥50,000.00 优惠 3%" in text
    assert "双11" not in text                          # ended
    w.parse_as(_price("F300"))
    text = texts(await w.say("100", "滤网什么价"))
    assert "您的价格：¥299.00/箱（目录价）" in text and "滤网买十送一：每买 10 送 1" in text
    assert "预算已用完" not in text


async def test_price_without_a_product_offers_the_price_list() -> None:
    w, _, _ = await _world()
    w.parse_as(_price())
    replies = await w.say("101", "你们的价格怎么算")
    assert "请输入型号" in texts(replies)
    assert buttons(replies)["📋 价格表（Excel）"] == payload("price.list")


async def test_price_list_is_the_dealers_own_excel() -> None:
    w, _, _ = await _world()
    w.parse_as(_price(topic="price_list"))
    replies = await w.say("100", "价格表发我一份")
    sent = [r for r in replies if r.file]
    assert len(sent) == 1 and sent[0].file_name == "price-list-D0101-20261126.xlsx"
    assert "B 级，3 个产品，截至 2026-11-26" in sent[0].text
    assert sent[0].file is not None
    ws = openpyxl.load_workbook(io.BytesIO(sent[0].file)).active
    assert ws is not None
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert rows[0][0] == "价格表 D0101 北京金鼎家电有限公司（B 级）"
    assert rows[2] == ["SKU", "产品", "单位", "目录价(元)", "您的价格(元)", "起订量", "促销"]
    by_sku = {r[0]: r for r in rows[3:]}
    assert set(by_sku) == {"AP300", "DH20", "F300"}
    assert by_sku["AP300"][1:6] == ["空气净化器AP300", "台", 1999, 1799, 1]     # money as numbers, not text
    assert by_sku["DH20"][4] == 1499 and by_sku["F300"][4] == 299
    assert "冬季净化季" in by_sku["AP300"][6] and "A级专享" not in by_sku["AP300"][6]
    assert by_sku["F300"][6].startswith("滤网买十送一") and not by_sku["DH20"][6].startswith("双11")
    assert ws.cell(row=4, column=5).number_format == "#,##0.00"


async def test_price_list_button_and_allowed_skus_only() -> None:
    w, _, _ = await _world()
    replies = await w.press("200", payload("price.list"))
    sent = next(r for r in replies if r.file)
    assert sent.file is not None
    rows = list(openpyxl.load_workbook(io.BytesIO(sent.file)).active.iter_rows(min_row=4, values_only=True))
    assert [(r[0], r[4]) for r in rows] == [("AP300", 1699)]       # dealer 2: tier A, AP300 only
    w.parse_as(_price("DH20"))
    assert "不包含产品 DH20" in texts(await w.say("200", "DH20 多少钱"))


async def test_staff_have_no_dealer_price() -> None:
    w, _, _ = await _world()
    w.parse_as(_price("AP300"))
    text = texts(await w.say("900", "AP300 什么价"))
    assert "员工账号没有经销价" in text and "目录价：¥1,999.00/台" in text and "1,799" not in text
    w.parse_as(_price(topic="price_list"))
    replies = await w.say("900", "价格表")
    assert "员工账号没有经销价" in texts(replies) and not any(r.file for r in replies)


async def test_english_price_and_list() -> None:
    w, _, _ = await _world()
    w.parse_as(_price("AP300"))
    text = texts(await w.say("100", "how much is AP300"))
    assert "Your price: ¥1,799.00 per 台 (tier B price)" in text
    assert "冬季净化季: 10% off, ¥1,619.10 per 台 (until 2026-12-31)" in text
    w.parse_as(_price(topic="price_list"))
    replies = await w.say("100", "send me the price list")
    sent = next(r for r in replies if r.file)
    assert "Your price list: tier B, 3 products" in sent.text
    assert sent.file is not None
    ws = openpyxl.load_workbook(io.BytesIO(sent.file)).active
    assert [c.value for c in ws[3]][:5] == ["SKU", "Product", "Unit", "List price (CNY)", "Your price (CNY)"]


async def test_core_price_reads_only_the_dealers_own() -> None:
    w, d1, d2 = await _world()
    owner_2 = dealer_user(d2)
    with pytest.raises(NotFound):
        await product_price(w.uow, owner_2, d1, "AP300", w.clock)
    with pytest.raises(NotFound):
        await price_sheet(w.uow, owner_2, d1, w.clock)
    with pytest.raises(SkuNotAllowed):
        await product_price(w.uow, owner_2, d2, "F300", w.clock)
    mine = await product_price(w.uow, dealer_user(d1), d1, "AP300", w.clock)
    assert (mine.price, mine.source, [p.code for p in mine.promotions]) == (D("1799.00"), PriceSource.TIER, ["P-B10"])


async def test_a_cart_line_with_a_promotion_adds_up_on_the_line_and_in_the_total() -> None:
    """"5台 × ¥1,799.00 = ¥8,995.00" then "促销优惠 −¥899.50，折后 ¥8,095.50" (was: "5台 × ¥1,799.00 = ¥8,095.50",
    the net written as the product of the count and the price, which a dealer checking it finds wrong)."""
    w, _, _ = await _world()
    shown = texts(await w.say("100", "AP300 来5台"))
    assert "5台 × ¥1,799.00 = ¥8,995.00" in shown
    assert "促销优惠 −¥899.50，折后 ¥8,095.50" in shown
    assert "小计：¥8,995.00" in shown and "合计：¥8,095.50" in shown


async def test_the_staff_order_card_writes_a_promotion_line_that_adds_up() -> None:
    w, _, _ = await _world()
    cart = await w.say("100", "AP300 来5台")
    done = texts(await w.press("100", buttons(cart)["✅ 确认下单"]))
    number = next(word for word in done.replace("：", " ").split() if word.startswith("SO-"))
    card = texts(await w.press("900", payload("staff.order.detail", number)))
    assert "×5 ¥1,799.00 = ¥8,995.00 −¥899.50 = ¥8,095.50" in card          # was: "×5 ¥1,799.00 = ¥8,095.50"
