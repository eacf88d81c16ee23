"""Prices in chat (``price_query``): "AP800现在什么价", "AP500 多少钱一台", "价格表发我一份".

- a product named: the dealer's own unit price (its agreed price, else its tier's, else the list price),
  the list price, today's promotions on it, the unit and the minimum order (core.services.prices.product_price);
- no product: how to ask, and a button for the price list;
- the price list (topic ``price_list`` or the ``price.list`` button): an Excel file of every product the dealer
  may order with list price, its price and promotions (core.services.prices.price_sheet,
  analytics.export.price_list_workbook).

Staff have no dealer price: they are told so, with the list price when they may see prices
(core.services.prices.catalogue_price decides).
"""

from __future__ import annotations

import asyncio
from decimal import Decimal

from core.dealer_states import tier_label
from core.errors import PermissionDenied
from core.money import fmt_cny
from core.products import PromotionKind
from core.services.prices import ProductPrice, PromotionOffer, catalogue_price, price_sheet, product_price
from core.users import Permission
from handlers import i18n
from handlers.context import Ctx
from handlers.flows import contracts, forms
from handlers.flows.menu import require_bound
from handlers.messages import Button, Reply
from handlers.router import Router, payload
from nlu.schema import Intent

router = Router(name=__name__)
REBATE_WORDS = ("返利", "返点", "rebate")

i18n.register({
    "price.head": ("💴 {name}（{sku}）", "💴 {name} ({sku})"),
    "price.yours": ("您的价格：{price}/{unit}（{source}）", "Your price: {price} per {unit} ({source})"),
    "price.source.dealer": ("贵司协议价", "your agreed price"),
    "price.source.tier": ("{tier}价格", "{tier} price"),
    "price.source.list": ("目录价", "list price"),
    "price.list_price": ("目录价：{price}", "List price: {price}"),
    "price.moq": ("单位：{unit} · 起订量：{moq}{unit}", "Unit: {unit} · minimum order: {moq}"),
    "price.promo.head": ("当前促销：", "Promotions today:"),
    "price.promo.none": ("当前没有适用的促销。", "No promotion applies today."),
    "price.promo.percent": ("• {name}：{percent}% 优惠，折后 {after}/{unit}（至 {end}）",
                            "• {name}: {percent}% off, {after} per {unit} (until {end})"),
    "price.promo.buy": ("• {name}：每买 {buy} 送 {free}（至 {end}）", "• {name}: {free} free for every {buy} (until {end})"),
    "price.promo.tiered": ("• {name}：{steps}（至 {end}）", "• {name}: {steps} (until {end})"),
    "price.promo.step": ("订单满 {amount} 优惠 {percent}%", "{percent}% off orders from {amount}"),
    "price.note": ("以上为参考价，下单时以购物车报价为准。", "A guide: the cart's quote decides."),
    "price.ask": ("想查哪个产品的价格？请输入型号，例如“AP300 什么价”；也可以获取您的完整价格表（Excel）：",
                  "Which product? Type its model, e.g. \"price of AP300\"; or get your whole price list (Excel):"),
    "price.sheet": ("📋 您的价格表：{tier}，{n} 个产品，截至 {day}。以下单报价为准。",
                    "📋 Your price list: {tier}, {n} products, as of {day}. The order quote decides."),
    "price.sheet.empty": ("暂时没有您可订购的产品。", "There are no products you may order right now."),
    "price.staff": ("员工账号没有经销价：每家经销商的价格按其等级和协议而定，可在后台“价格”中查看。",
                    "Staff accounts have no dealer price: each dealer's price follows its tier and agreement "
                    "(see Prices in the admin)."),
    "price.staff.list": ("{name}（{sku}）目录价：{price}/{unit}，起订量 {moq}{unit}。",
                         "{name} ({sku}) list price: {price} per {unit}, minimum order {moq}."),
    "price.several": ("“{word}”有几种，您的价格：", "\"{word}\" is several products; your prices:"),
    "price.line": ("• {name}（{sku}）：{price}/{unit}{promo}", "• {name} ({sku}): {price} per {unit}{promo}"),
    "price.line.promo": (" 🎁有促销", " 🎁 on promotion"),
    "price.btn.list": ("📋 价格表（Excel）", "📋 Price list (Excel)"),
    "price.btn.order": ("🛒 订购", "🛒 Order"),
})


@router.intent(Intent.PRICE_QUERY)
async def price_intent(ctx: Ctx) -> list[Reply]:
    if (denied := require_bound(ctx)) is not None:
        return denied
    slots = ctx.parsed.slots if ctx.parsed else None
    if slots is not None and slots.topic == "price_list":
        return await price_list(ctx)
    if slots is not None and slots.product:
        return await _product(ctx, slots.product)
    if ctx.is_staff:
        return [Reply(text=ctx.t("price.staff"))]
    if any(w in ctx.inbound.text.lower() for w in REBATE_WORDS):
        # "how much rebate do I have" parsed as a price question (no product): the rebate answer
        return await contracts.rebates(ctx)
    word = next((u for u in (slots.unresolved if slots is not None else []) if 1 < len(u.candidates) <= _SEVERAL), None)
    if word is not None and ctx.is_dealer:
        return await _several(ctx, word.word, word.candidates)
    return [Reply(text=ctx.t("price.ask"), buttons=[[_list_button(ctx)], [forms.menu_button(ctx)]])]


#: at most this many products priced at once for a word of several ("胶带多少钱一卷", "5号什么价")
_SEVERAL = 8


async def _several(ctx: Ctx, word: str, skus: list[str]) -> list[Reply]:
    """A word of several products asked the price of: each one's price for this dealer, one line each."""
    if (refused := forms.require_dealer(ctx)) is not None:
        return refused
    assert ctx.actor.dealer_id is not None
    lines = [ctx.t("price.several", word=word)]
    for sku in skus:
        price = await product_price(ctx.uow(), ctx.actor, ctx.actor.dealer_id, sku, ctx.deps.clock)
        lines.append(ctx.t("price.line", name=price.name, sku=price.sku, price=fmt_cny(price.price), unit=price.unit,
                           promo=ctx.t("price.line.promo") if price.promotions else ""))
    lines.append(ctx.t("price.note"))
    return [Reply(text="\n".join(lines), buttons=[[_list_button(ctx)], [forms.menu_button(ctx)]])]


@router.button("price.list")
@router.command("prices")
async def price_list(ctx: Ctx) -> list[Reply]:
    if (denied := require_bound(ctx)) is not None:
        return denied
    if ctx.is_staff:
        return [Reply(text=ctx.t("price.staff"))]
    if (refused := forms.require_dealer(ctx)) is not None:
        return refused
    assert ctx.actor.dealer_id is not None
    sheet = await price_sheet(ctx.uow(), ctx.actor, ctx.actor.dealer_id, ctx.deps.clock)
    if not sheet.lines:
        return [Reply(text=ctx.t("price.sheet.empty"))]
    from analytics.export import price_list_workbook  # openpyxl only when a list is asked for

    notes = {p.sku: ctx.pick("；", "; ").join(promotion_text(ctx, o, p).removeprefix("• ") for o in p.promotions)
             for p in sheet.lines if p.promotions}
    data = await asyncio.to_thread(price_list_workbook, sheet, ctx.lang, notes)
    text = ctx.t("price.sheet", tier=tier_label(sheet.tier, ctx.lang), n=len(sheet.lines), day=sheet.as_of.isoformat())
    return [Reply(text=text, file=data, file_name=f"price-list-{sheet.dealer_code}-{sheet.as_of:%Y%m%d}.xlsx")]


async def _product(ctx: Ctx, sku: str) -> list[Reply]:
    if ctx.is_staff:
        return await _staff_price(ctx, sku)
    if (refused := forms.require_dealer(ctx)) is not None:
        return refused
    assert ctx.actor.dealer_id is not None
    price = await product_price(ctx.uow(), ctx.actor, ctx.actor.dealer_id, sku, ctx.deps.clock)
    rows = [[_list_button(ctx)], [forms.menu_button(ctx)]]
    if Permission.ORDER_PLACE_OWN in ctx.actor.permissions:
        rows.insert(0, [Button(ctx.t("price.btn.order"), payload("order.pick", price.sku))])
    return [Reply(text=price_text(ctx, price), buttons=rows)]


def _list_button(ctx: Ctx) -> Button:
    return Button(ctx.t("price.btn.list"), payload("price.list"))


async def _staff_price(ctx: Ctx, sku: str) -> list[Reply]:
    try:
        found = await catalogue_price(ctx.uow(), ctx.actor, sku)
    except PermissionDenied:
        return [Reply(text=ctx.t("price.staff"))]
    return [Reply(text="\n".join([ctx.t("price.staff"), ctx.t("price.staff.list", name=found.name, sku=found.sku,
                                                                price=fmt_cny(found.list_price), unit=found.unit,
                                                                moq=found.moq)]))]


# --- wording ---------------------------------------------------------------------------------------

def _percent(value: Decimal) -> str:
    return format(value.normalize(), "f")      # 10.00 -> "10", 7.50 -> "7.5"


def promotion_text(ctx: Ctx, offer: PromotionOffer, price: ProductPrice) -> str:
    """One promotion on one product, as the chat and the price list word it."""
    end = offer.ends_on.isoformat()
    after = offer.price_after(price.price)
    if offer.kind == PromotionKind.PERCENT_OFF and after is not None:
        return ctx.t("price.promo.percent", name=offer.name, percent=_percent(offer.percent), after=fmt_cny(after),
                     unit=price.unit, end=end)
    if offer.kind == PromotionKind.BUY_X_GET_Y:
        return ctx.t("price.promo.buy", name=offer.name, buy=offer.buy_qty, free=offer.free_qty, end=end)
    steps = ctx.pick("；", "; ").join(ctx.t("price.promo.step", amount=fmt_cny(amount), percent=_percent(percent))
                                      for amount, percent in offer.tiers)
    return ctx.t("price.promo.tiered", name=offer.name, steps=steps, end=end)


def price_text(ctx: Ctx, price: ProductPrice) -> str:
    source = ctx.t(f"price.source.{price.source.value}", tier=tier_label(price.tier, ctx.lang))
    lines = [ctx.t("price.head", name=price.name, sku=price.sku),
             ctx.t("price.yours", price=fmt_cny(price.price), unit=price.unit, source=source),
             ctx.t("price.list_price", price=fmt_cny(price.list_price)),
             ctx.t("price.moq", unit=price.unit, moq=price.moq)]
    if price.promotions:
        lines.append(ctx.t("price.promo.head"))
        lines += [promotion_text(ctx, offer, price) for offer in price.promotions]
    else:
        lines.append(ctx.t("price.promo.none"))
    lines.append(ctx.t("price.note"))
    return "\n".join(lines)
