"""Every dealer's stock and days of cover in chat, for channel managers and management.

"经销商库存", "华东 DH20 渠道库存", "各经销商可售天数", "dealer stock AP300" (staff only; dealers' words go to
the parser as before), ``/dealerstock`` or the ``dstock|<region>|<sku>`` buttons ("-": all): a short text per
region and product, the dealers with the fewest days of cover, and a chart of them
(``analytics.charts.cover_chart``). ``core.services.thresholds.dealer_stock_overview`` decides who may see it
(STOCK_READ_ALL and SELLOUT_READ_ALL); a dealer pressing the button is refused there.
"""

from __future__ import annotations

import asyncio
from decimal import Decimal

from core.services.thresholds import SELLOUT_WINDOW_DAYS, DealerStockRow, by_region, dealer_stock_overview
from handlers import i18n
from handlers.catalogue import chat_catalogue
from handlers.context import Ctx
from handlers.flows import forms
from handlers.flows.menu import require_bound
from handlers.messages import Button, Reply
from handlers.router import Router, payload
from nlu.dealer_stock_words import (
    DEALER_CODE_STOCK_ASKED,
    DEALER_STOCK_ASKED,
    dealer_code_stock_asked,
    filter_words,
)
from nlu.products import find_product

router = Router(name=__name__)

MAX_SUMMARY = 12
MAX_DEALERS = 8
MAX_CHART = 15
ALL = "-"

i18n.register({
    "dstock.title": ("📊 经销商库存与可售天数（日均销量按近{days}天）{filters}：",
                     "📊 Dealer stock and days of cover (daily sales over the last {days} days){filters}:"),
    "dstock.region_row": ("{region} · {name}（{sku}）：{dealers} 家共 {qty}，日均销 {daily}，可售 {cover}{below}",
                          "{region} · {name} ({sku}): {qty} at {dealers} dealers, {daily} sold a day, {cover} of "
                          "cover{below}"),
    "dstock.below": ("，{n} 家已到补货点", ", {n} at their reorder point"),
    "dstock.days": ("{d} 天", "{d} days"),
    "dstock.no_sales": ("无销量", "no sales"),
    "dstock.lowest": ("可售天数最少的经销商：", "Dealers with the fewest days of cover:"),
    "dstock.dealer_row": ("{code} {name}：{sku} {qty}，可售 {cover}{mark}", "{code} {name}: {sku} {qty}, {cover} of "
                          "cover{mark}"),
    "dstock.mark": ("（已到补货点 {low}）", " (at its reorder point {low})"),
    "dstock.more": ("……共 {n} 行，后台“经销商库存”页可按产品、区域筛选。",
                    "... {n} rows in all; the back office dealer stock page filters by product and region."),
    "dstock.none": ("暂无经销商上报的库存。", "No dealer has reported stock yet."),
    "dstock.chart": ("经销商可售天数", "Dealers' days of cover"),
    "dstock.btn.all": ("全部区域", "All regions"),
    "dstock.one.title": ("📦 {code} {name} 的库存（日均销量按近{days}天）：", "📦 {code} {name}'s stock (daily sales over "
                         "the last {days} days):"),
    "dstock.one.row": ("· {name}（{sku}）：库存 {qty}，日均销 {daily}，可售 {cover}{mark}",
                       "· {name} ({sku}): {qty} in stock, {daily} sold a day, {cover} of cover{mark}"),
    "dstock.one.none": ("{code} {name} 暂未上报库存。", "{code} {name} has reported no stock yet."),
    "dstock.one.unknown": ("没有找到您负责的经销商“{code}”（编码不存在，或不在您的范围内）。",
                           "No dealer \"{code}\" in your charge (no such code, or not one of yours)."),
})


def _filters_text(ctx: Ctx, region: str | None, sku: str | None) -> str:
    parts = [p for p in (region, sku) if p]
    return f"（{' · '.join(parts)}）" if parts and not ctx.en else (f" ({', '.join(parts)})" if parts else "")


def _cover(ctx: Ctx, value: Decimal | None) -> str:
    return ctx.t("dstock.days", d=value) if value is not None else ctx.t("dstock.no_sales")


async def _overview(ctx: Ctx, region: str | None, sku: str | None) -> list[Reply]:
    rows = await dealer_stock_overview(ctx.uow(), ctx.actor, ctx.deps.clock, sku=sku, region=region)
    async with ctx.uow() as uow:
        regions = sorted({d.region for d in await uow.dealers.list() if d.region})
    buttons = [[Button(r, payload("dstock", r, sku or ALL)) for r in regions[i:i + 3]] for i in range(0, min(len(regions), 6), 3)]
    if region:
        buttons.append([Button(ctx.t("dstock.btn.all"), payload("dstock", ALL, sku or ALL))])
    head = ctx.t("dstock.title", days=SELLOUT_WINDOW_DAYS, filters=_filters_text(ctx, region, sku))
    if not rows:
        return [Reply(text="\n".join([head, ctx.t("dstock.none")]), buttons=buttons)]
    out = [head]
    # the most urgent first: dealers at their reorder point, then the fewest days of cover
    summary = sorted(by_region(rows), key=lambda s: (-s.below, s.cover_days if s.cover_days is not None
                                                     else Decimal(10**9), s.region, s.sku))
    for s in summary[:MAX_SUMMARY]:
        below = ctx.t("dstock.below", n=s.below) if s.below else ""
        out.append(ctx.t("dstock.region_row", region=s.region, name=s.name, sku=s.sku, dealers=s.dealers, qty=s.qty,
                         daily=s.daily, cover=_cover(ctx, s.cover_days), below=below))
    lowest = sorted(rows, key=lambda r: (not r.below, r.cover_days if r.cover_days is not None else Decimal(10**9),
                                         r.dealer_code))
    out.append(ctx.t("dstock.lowest"))
    for r in lowest[:MAX_DEALERS]:
        mark = ctx.t("dstock.mark", low=r.reorder_point) if r.below else ""
        out.append("· " + ctx.t("dstock.dealer_row", code=r.dealer_code, name=r.dealer_name[:12], sku=r.sku, qty=r.qty,
                                cover=_cover(ctx, r.cover_days), mark=mark))
    if len(summary) > MAX_SUMMARY or len(rows) > MAX_DEALERS:
        out.append(ctx.t("dstock.more", n=len(rows)))
    image = await asyncio.to_thread(_chart, ctx.lang, ctx.t("dstock.chart") + _filters_text(ctx, region, sku),
                                    [r for r in lowest if r.cover_days is not None][:MAX_CHART])
    return [Reply(text="\n".join(out), image=image, image_name="dealer-stock.png", buttons=buttons)]


def _chart(lang: str, title: str, rows: list[DealerStockRow]) -> bytes:
    from analytics.charts import cover_chart  # matplotlib only when a chart is asked for

    return cover_chart([f"{r.dealer_code} · {r.sku}" for r in rows],
                       [r.cover_days or Decimal(0) for r in rows], [r.below for r in rows], title, lang)


async def _read_filters(ctx: Ctx) -> tuple[str | None, str | None]:
    """The region and product a message names ("华东 DH20 经销商库存"): a dealer region, a product code or name."""
    text = ctx.inbound.text
    async with ctx.uow() as uow:
        regions = sorted({d.region for d in await uow.dealers.list() if d.region}, key=len, reverse=True)
    region = next((r for r in regions if r in text), None)
    rest = filter_words(text, region)
    sku = None
    if rest:
        catalogue = await chat_catalogue(ctx)
        code = rest.replace(" ", "").upper()
        sku = next((e.sku for e in catalogue if e.sku.upper() == code), None) or find_product(rest, catalogue)
    return region, sku


@router.staff_pattern(DEALER_CODE_STOCK_ASKED)
async def one_dealer_words(ctx: Ctx) -> list[Reply]:
    """"D0005的库存": that dealer's stock, when the person may see it (another's or no such code: said so)."""
    code = dealer_code_stock_asked(ctx.inbound.text) or ""
    named = [d for d in await forms.dealers_by_words(ctx, code, limit=2) if d.code.upper() == code]
    if not named:
        return [Reply(text=ctx.t("dstock.one.unknown", code=code), buttons=[[forms.menu_button(ctx)]])]
    dealer = named[0]
    rows = [r for r in await dealer_stock_overview(ctx.uow(), ctx.actor, ctx.deps.clock) if r.dealer_id == dealer.id]
    if not rows:
        return [Reply(text=ctx.t("dstock.one.none", code=dealer.code, name=dealer.name),
                      buttons=[[forms.menu_button(ctx)]])]
    out = [ctx.t("dstock.one.title", code=dealer.code, name=dealer.name, days=SELLOUT_WINDOW_DAYS)]
    for r in sorted(rows, key=lambda r: (not r.below, r.sku)):
        mark = ctx.t("dstock.mark", low=r.reorder_point) if r.below else ""
        out.append(ctx.t("dstock.one.row", name=r.name, sku=r.sku, qty=r.qty, daily=r.daily,
                         cover=_cover(ctx, r.cover_days), mark=mark))
    return [Reply(text="\n".join(out), buttons=[[forms.menu_button(ctx)]])]


@router.staff_pattern(DEALER_STOCK_ASKED)
async def overview_words(ctx: Ctx) -> list[Reply]:
    region, sku = await _read_filters(ctx)
    return await _overview(ctx, region, sku)


@router.command("dealerstock")
@router.button("dstock")
async def overview_button(ctx: Ctx) -> list[Reply]:
    if (denied := require_bound(ctx)) is not None:
        return denied
    region = ctx.args[0] if ctx.args and ctx.args[0] != ALL else None
    sku = ctx.args[1] if len(ctx.args) > 1 and ctx.args[1] != ALL else None
    return await _overview(ctx, region, sku)
