"""Stock in chat: maker availability per product and region, the dealer's own stock, stocktakes.

Dealers see a coarse level per warehouse region (充足 / 紧张 / 缺货); staff holding STOCK_READ_ALL see
the numbers: ``core.services.inventory.stock_availability`` decides, this module only shows it.

Buttons: ``stock.menu``, ``stock.products``, ``stock.sku|<sku>``, ``stock.all``, ``stock.own``,
``stock.count`` (start a stocktake), ``stock.count_sku|<sku>``, ``stock.count_ok|<token>``.
Dialog states: ``stock.count`` (type "AP300 12台" or pick a product), ``stock.count_qty``
(type the counted quantity of ``sku``), ``stock.count_confirm`` (rows waiting for Confirm, with a
token the Confirm button carries: a second press of it answers "already recorded").
"""

from __future__ import annotations

import secrets
from collections import defaultdict

from core.errors import NotFound, PermissionDenied
from core.products import Product
from core.services.catalogue import list_products
from core.services.inventory import (
    ReportDealerStock,
    StockAvailability,
    list_dealer_stock,
    report_dealer_stock,
    stock_availability,
)
from core.services.transfers import held_for_transfers
from core.users import Permission
from handlers import i18n
from handlers.catalogue import chat_catalogue, remember_about, remember_suggestions
from handlers.context import Ctx
from handlers.flows.menu import main_menu, require_bound
from handlers.flows.thresholds import restock_replies
from handlers.flows.transfers import nearby_replies
from handlers.messages import Button, InboundKind, Reply
from handlers.router import Router, payload
from nlu.numbers import typed_quantity
from nlu.products import suggest_products
from nlu.schema import CatalogueEntry, Intent, Unresolved

router = Router(name=__name__)

MAX_COUNT = 999_999
MAX_OVERVIEW = 30
MAX_WANTED = 99_999     # a count said with a stock question, offered as a one-tap order (the cart checks the rest)

i18n.register({
    "stock.menu": ("查库存：直接输入产品名，例如“AP300 有货吗”，或选择：",
                   "Stock: type a product, e.g. \"AP300 in stock?\", or choose:"),
    "stock.btn.products": ("📦 按产品查", "📦 By product"),
    "stock.btn.all": ("📋 全部产品概览", "📋 All products"),
    "stock.btn.own": ("🏪 我的库存", "🏪 My stock"),
    "stock.btn.count": ("📝 盘点上报", "📝 Report a stocktake"),
    "stock.btn.order": ("🛒 下单", "🛒 Order"),
    "stock.btn.order_qty": ("🛒 有货就来 {qty}{unit}", "🛒 Order {qty} {unit}"),
    "stock.btn.back": ("⬅️ 库存菜单", "⬅️ Stock menu"),
    "stock.btn.confirm": ("✅ 确认上报", "✅ Confirm"),
    "stock.btn.again": ("✏️ 重新输入", "✏️ Start over"),
    "stock.btn.cancel": ("❌ 取消", "❌ Cancel"),
    "stock.pick": ("请选择产品：", "Choose a product:"),
    "stock.none_products": ("暂时没有产品。", "There are no products."),
    "stock.product": ("🏭 {name}（{sku}）厂家库存：", "🏭 {name} ({sku}) at the maker:"),
    "stock.region_level": ("{region}：{level}", "{region}: {level}"),
    "stock.region_exact": ("{region}：可用 {available}（{level}）", "{region}: {available} available ({level})"),
    "stock.no_rows": ("暂无库存（缺货）", "None in stock (out of stock)"),
    "stock.coarse_note": ("库存情况仅供参考，以订单审核配货为准。", "For guidance only; allocation decides."),
    "stock.overview": ("厂家库存概览：", "Maker stock overview:"),
    "stock.overview_more": ("……共 {n} 个产品，其余请输入产品名查询。", "... {n} products in all; type a name for the rest."),
    "stock.own_title": ("🏪 我的库存（最近盘点）：", "🏪 My stock (last stocktake):"),
    "stock.own_row": ("{name}（{sku}）：{qty}{unit}（{day} 盘点）", "{name} ({sku}): {qty} {unit} (counted {day})"),
    "stock.own_held": ("，其中 {qty} 已批准调出待收货", ", {qty} of them promised to approved transfers"),
    "stock.own_none": ("还没有盘点记录。", "No stocktake reported yet."),
    "stock.dealers_only": ("这是经销商自己的库存功能。", "This is for a dealer's own stock."),
    "stock.count_intro": ("盘点上报：直接输入产品和数量，例如“AP300 12台，FL-AP300 3箱”，或选择产品：",
                          "Stocktake: type products and counts, e.g. \"AP300 12, FL-AP300 3 boxes\", or choose a product:"),
    "stock.count_qty": ("请输入 {name}（{sku}）的盘点数量（{unit}）：", "How many {name} ({sku}) did you count ({unit})?"),
    "stock.count_bad": ("请输入 0–{max} 之间的整数。", "Please type a whole number from 0 to {max}."),
    "stock.count_not_understood": ("没认出产品和数量，请这样输入：AP300 12台；或点选产品。",
                                   "I could not read a product and a count. Type e.g. AP300 12, or choose a product."),
    "stock.count_ask": ("确认上报以下盘点数量？", "Report these counts?"),
    "stock.count_row": ("{name}（{sku}）：{qty}{unit}", "{name} ({sku}): {qty} {unit}"),
    "stock.count_done": ("✅ 盘点已记录：", "✅ Stocktake recorded:"),
    "stock.count_again": ("这次盘点已经记录过了。", "This stocktake is already recorded."),
    "stock.stale": ("这个按钮已失效，请重新开始盘点。", "That button has expired; start the stocktake again."),
    "stock.models": ("“{word}”共有 {n} 款：", "\"{word}\": {n} models:"),
    "stock.model_row": ("{name}（{sku}）", "{name} ({sku})"),
    "stock.models_hint": ("点产品查库存，或直接输入“型号 数量”下单。", "Tap one for its stock, or type \"model quantity\" to order."),
    "stock.suggest": ("没有找到“{word}”。您是不是要查：", "\"{word}\" is not in the catalogue. Did you mean:"),
})


def _level(ctx: Ctx, row: StockAvailability) -> str:
    if row.available is not None:
        return ctx.t("stock.region_exact", region=row.region, available=row.available, level=row.label(ctx.lang))
    return ctx.t("stock.region_level", region=row.region, level=row.label(ctx.lang))


def _is_count_reporter(ctx: Ctx) -> bool:
    return ctx.is_dealer and Permission.DEALER_STOCK_REPORT in ctx.actor.permissions


@router.command("stock")
@router.button("stock.menu")
async def stock_menu(ctx: Ctx) -> list[Reply]:
    if (denied := require_bound(ctx)) is not None:
        return denied
    if ctx.dialog.state.startswith("stock."):
        ctx.idle()
    rows = [[Button(ctx.t("stock.btn.products"), payload("stock.products")),
             Button(ctx.t("stock.btn.all"), payload("stock.all"))]]
    if ctx.is_dealer:
        rows.append([Button(ctx.t("stock.btn.own"), payload("stock.own")),
                     Button(ctx.t("stock.btn.count"), payload("stock.count"))])
    return [Reply(text=ctx.t("stock.menu"), buttons=rows)]


@router.button("stock.products")
async def products(ctx: Ctx) -> list[Reply]:
    if (denied := require_bound(ctx)) is not None:
        return denied
    found = await list_products(ctx.uow(), ctx.actor)
    if not found:
        return [Reply(text=ctx.t("stock.none_products"))]
    rows = [[Button(f"{p.name}（{p.sku}）", payload("stock.sku", p.sku))] for p in found[:MAX_OVERVIEW]]
    rows.append([Button(ctx.t("stock.btn.back"), payload("stock.menu"))])
    return [Reply(text=ctx.t("stock.pick"), buttons=rows)]


@router.button("stock.sku")
async def product_stock(ctx: Ctx) -> list[Reply]:
    if (denied := require_bound(ctx)) is not None:
        return denied
    return await availability(ctx, ctx.args[0] if ctx.args else "")


async def availability(ctx: Ctx, sku: str, wanted: int | None = None) -> list[Reply]:
    """One product's availability per region: a level for dealers, numbers for staff. ``wanted``: the count the
    dealer said it would order if there is stock ("AP500 还有货吗 有的话来3台"), offered as a one-tap order."""
    product: CatalogueEntry | Product | None = ctx.deps.catalogue.by_sku(sku) if sku else None
    if product is None and sku:
        async with ctx.uow() as uow:
            product = await uow.products.get_by(sku=sku)
        if product is not None and not product.active:
            product = None
    if product is None:
        raise NotFound(zh=f"未找到产品 {sku}", en=f"Product {sku} not found", what=sku)
    rows = await stock_availability(ctx.uow().autocommit(), ctx.actor, sku=product.sku)
    out = [ctx.t("stock.product", name=product.name, sku=product.sku)]
    out.extend(_level(ctx, r) for r in rows)
    if not rows:
        out.append(ctx.t("stock.no_rows"))
    if ctx.is_dealer:
        out.append(ctx.t("stock.coarse_note"))
    buttons = [[Button(ctx.t("stock.btn.back"), payload("stock.menu"))]]
    nearby, asks = await nearby_replies(ctx, product.sku, short_of=rows)       # the maker is short: 附近有货
    out.extend(nearby)
    buttons = asks + buttons
    if ctx.is_dealer and Permission.ORDER_PLACE_OWN in ctx.actor.permissions:
        remember_about(ctx, product.sku)       # "那来4台", "need 4 of them" next: this product
        order = Button(ctx.t("stock.btn.order_qty", qty=wanted, unit=product.unit), payload("order.add", product.sku,
                                                                                          wanted)) \
            if wanted else Button(ctx.t("stock.btn.order"), payload("order.pick", product.sku))
        buttons.insert(0, [order])
    return [Reply(text="\n".join(out), buttons=buttons)]


@router.button("stock.all")
async def overview(ctx: Ctx) -> list[Reply]:
    if (denied := require_bound(ctx)) is not None:
        return denied
    rows = await stock_availability(ctx.uow().autocommit(), ctx.actor)
    by_sku: dict[str, list[StockAvailability]] = defaultdict(list)
    for row in rows:
        by_sku[row.sku].append(row)
    async with ctx.uow() as uow:
        names = {p.sku: p.name for p in await uow.products.list(active=True)}
    out = [ctx.t("stock.overview")]
    for sku in sorted(by_sku)[:MAX_OVERVIEW]:
        levels = " · ".join(_level(ctx, r) for r in by_sku[sku])
        out.append(f"{names.get(sku, sku)}（{sku}）：{levels}" if not ctx.en else f"{names.get(sku, sku)} ({sku}): {levels}")
    if len(by_sku) > MAX_OVERVIEW:
        out.append(ctx.t("stock.overview_more", n=len(by_sku)))
    if not by_sku:
        out.append(ctx.t("stock.no_rows"))
    return [Reply(text="\n".join(out), buttons=[[Button(ctx.t("stock.btn.back"), payload("stock.menu"))]])]


@router.intent(Intent.QUERY_STOCK)
async def stock_intent(ctx: Ctx) -> list[Reply]:
    """"AP300 有货吗": that product directly; a name not in the catalogue gets suggestions."""
    if (denied := require_bound(ctx)) is not None:
        return denied
    sku = ctx.parsed.slots.product if ctx.parsed else None
    if ctx.parsed is not None and ctx.parsed.slots.topic == "models":
        return await _models(ctx, ctx.parsed.slots.unresolved, sku)
    if sku:
        said = [i.qty for i in ctx.parsed.slots.items if i.sku == sku] if ctx.parsed else []
        return await availability(ctx, sku, said[0] if said and 0 < said[0] <= MAX_WANTED else None)
    words = ctx.parsed.slots.unknown_words if ctx.parsed else []
    if words:
        found = suggest_products(words, await chat_catalogue(ctx))
        if found:
            # "三层箱" answered with the 三层 cartons, then "3号 50": the 3号 of those (as after an order's question)
            remember_suggestions(ctx, words[0], [e.sku for e, _ in found])
            rows = [[Button(f"{e.name}（{e.sku}）", payload("stock.sku", e.sku))] for e, _ in found]
            return [Reply(text=ctx.t("stock.suggest", word=words[0][:30]), buttons=rows)]
    return await stock_menu(ctx)


async def _models(ctx: Ctx, unresolved: list[Unresolved], sku: str | None) -> list[Reply]:
    """"净水器有啥型号": the products a word of several names, listed (none of them "not found"); one product named
    ("滤芯都有哪些"): the products of its category."""
    catalogue = await chat_catalogue(ctx)
    by_sku = {e.sku: e for e in catalogue}
    family = next((u for u in unresolved if u.generic and u.candidates), None)
    if family is not None:
        word, skus = family.word, [s for s in family.candidates if s in by_sku]
    elif sku is not None and sku in by_sku:
        kind = by_sku[sku].category
        word, skus = kind or by_sku[sku].name, [e.sku for e in catalogue if kind and e.category == kind] or [sku]
    else:
        return await stock_menu(ctx)
    rows = [[Button(ctx.t("stock.model_row", name=by_sku[s].name, sku=s), payload("stock.sku", s))]
            for s in skus[:MAX_OVERVIEW]]
    lines = [ctx.t("stock.models", word=word[:30], n=len(skus))]
    lines += [ctx.t("stock.model_row", name=by_sku[s].name, sku=s) for s in skus[:MAX_OVERVIEW]]
    remember_suggestions(ctx, word, skus)      # "WP600 来8台" or "600的来8台" next: among these
    return [Reply(text="\n".join([*lines, ctx.t("stock.models_hint")]), buttons=rows)]


# --- the dealer's own stock ---------------------------------------------------------------------------

@router.button("stock.own")
async def own_stock(ctx: Ctx) -> list[Reply]:
    if (denied := require_bound(ctx)) is not None:
        return denied
    if not ctx.is_dealer or ctx.actor.dealer_id is None:
        return [Reply(text=ctx.t("stock.dealers_only"))]
    rows = await list_dealer_stock(ctx.uow(), ctx.actor, ctx.actor.dealer_id)
    buttons = [[Button(ctx.t("stock.btn.count"), payload("stock.count")),
                Button(ctx.t("stock.btn.back"), payload("stock.menu"))]]
    if not rows:
        return [Reply(text=ctx.t("stock.own_none"), buttons=buttons)]
    products_by_sku = await _products(ctx, [r.sku for r in rows])
    held = await held_for_transfers(ctx.uow(), ctx.actor, ctx.actor.dealer_id)      # promised to transfers
    out = [ctx.t("stock.own_title")]
    for row in rows:
        name, unit = products_by_sku.get(row.sku, (row.sku, ""))
        day = row.reported_at.astimezone(ctx.deps.clock.tz).strftime("%m-%d") if row.reported_at else "-"
        out.append(ctx.t("stock.own_row", name=name, sku=row.sku, qty=row.qty, unit=unit, day=day))
        if held.get(row.sku):
            out[-1] += ctx.t("stock.own_held", qty=held[row.sku])
    return [Reply(text="\n".join(out), buttons=buttons)]


async def _products(ctx: Ctx, skus: list[str]) -> dict[str, tuple[str, str]]:
    async with ctx.uow() as uow:
        return {p.sku: (p.name, p.unit) for p in await uow.products.list(sku__in=skus)}


# --- stocktake ----------------------------------------------------------------------------------------

def _require_reporter(ctx: Ctx) -> None:
    if not _is_count_reporter(ctx):
        raise PermissionDenied()


@router.button("stock.count")
async def start_count(ctx: Ctx) -> list[Reply]:
    if (denied := require_bound(ctx)) is not None:
        return denied
    _require_reporter(ctx)
    found = await list_products(ctx.uow(), ctx.actor)
    ctx.go("stock.count")
    rows = [[Button(f"{p.name}（{p.sku}）", payload("stock.count_sku", p.sku))] for p in found[:MAX_OVERVIEW]]
    rows.append([Button(ctx.t("stock.btn.cancel"), payload("stock.menu"))])
    return [Reply(text=ctx.t("stock.count_intro"), buttons=rows)]


@router.button("stock.count_sku")
async def count_product(ctx: Ctx) -> list[Reply]:
    if (denied := require_bound(ctx)) is not None:
        return denied
    _require_reporter(ctx)
    sku = ctx.args[0] if ctx.args else ""
    async with ctx.uow() as uow:
        product = await uow.products.get_by(sku=sku) if sku else None
    if product is None:
        raise NotFound(zh=f"未找到产品 {sku}", en=f"Product {sku} not found", what=sku)
    ctx.go("stock.count_qty", sku=product.sku)
    return [Reply(text=ctx.t("stock.count_qty", name=product.name, sku=product.sku, unit=product.unit))]


@router.state("stock.count_qty")
async def count_typed(ctx: Ctx) -> list[Reply]:
    qty = typed_quantity(ctx.inbound.text) if ctx.inbound.kind == InboundKind.TEXT else None
    if qty is None or qty > MAX_COUNT:
        return [Reply(text=ctx.t("stock.count_bad", max=MAX_COUNT))]
    return await _ask_confirm(ctx, {str(ctx.dialog.data.get("sku", "")): qty})


@router.state("stock.count", "stock.count_confirm")
async def count_text(ctx: Ctx) -> list[Reply]:
    """"AP300 12台，F300 3箱" typed during a stocktake: every product with its count."""
    if ctx.inbound.kind != InboundKind.TEXT:
        return [Reply(text=ctx.t("stock.count_not_understood"))]
    catalogue = await chat_catalogue(ctx)
    parsed = await ctx.deps.parser.parse(ctx.inbound.text, catalogue=catalogue, today=ctx.deps.clock.today())
    counts = {i.sku: i.qty for i in parsed.slots.items if i.qty <= MAX_COUNT}
    if not counts:
        return [Reply(text=ctx.t("stock.count_not_understood"),
                      buttons=[[Button(ctx.t("stock.btn.count"), payload("stock.count")),
                                Button(ctx.t("stock.btn.cancel"), payload("stock.menu"))]])]
    return await _ask_confirm(ctx, counts)


async def _ask_confirm(ctx: Ctx, counts: dict[str, int]) -> list[Reply]:
    token = secrets.token_hex(6)
    ctx.go("stock.count_confirm", token=token, rows=[[sku, qty] for sku, qty in counts.items()])
    return [Reply(text="\n".join([ctx.t("stock.count_ask"), *await _count_rows(ctx, counts)]),
                  buttons=[[Button(ctx.t("stock.btn.confirm"), payload("stock.count_ok", token))],
                           [Button(ctx.t("stock.btn.again"), payload("stock.count")),
                            Button(ctx.t("stock.btn.cancel"), payload("stock.menu"))]])]


async def _count_rows(ctx: Ctx, counts: dict[str, int]) -> list[str]:
    products_by_sku = await _products(ctx, list(counts))
    return [ctx.t("stock.count_row", name=products_by_sku.get(sku, (sku, ""))[0], sku=sku, qty=qty,
                  unit=products_by_sku.get(sku, (sku, ""))[1])
            for sku, qty in counts.items()]


@router.button("stock.count_ok")
async def count_confirmed(ctx: Ctx) -> list[Reply]:
    if (denied := require_bound(ctx)) is not None:
        return denied
    token = ctx.args[0] if ctx.args else ""
    data = ctx.dialog.data
    if token and data.get("done_token") == token:
        return [Reply(text=ctx.t("stock.count_again")), main_menu(ctx)]
    if ctx.dialog.state != "stock.count_confirm" or not token or data.get("token") != token:
        return [Reply(text=ctx.t("stock.stale"))]
    _require_reporter(ctx)
    counts = {str(sku): int(qty) for sku, qty in data.get("rows", [])}
    assert ctx.actor.dealer_id is not None
    await report_dealer_stock(ctx.uow(), ctx.actor, ReportDealerStock(dealer_id=ctx.actor.dealer_id,
                                                                      rows=list(counts.items())), ctx.deps.clock)
    ctx.go("", done_token=token)
    return [Reply(text="\n".join([ctx.t("stock.count_done"), *await _count_rows(ctx, counts)]),
                  buttons=[[Button(ctx.t("stock.btn.own"), payload("stock.own")),
                            Button(ctx.t("stock.btn.back"), payload("stock.menu"))]]),
            *await restock_replies(ctx)]      # a product now at its reorder point: the alert and 一键补货
