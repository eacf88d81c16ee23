"""A dealer's stock alerts in chat: set one in words, compute one from the forecast, list and remove them.

"DH20 低于5台提醒我", "AP300 安全库存 10", "alert me when AP500 below 3", "AP300 按销量自动设置提醒",
"我的库存提醒", "取消 DH20 的库存提醒": ``nlu.thresholds.parse_threshold`` reads the shape (a text hook,
tried before the order parser), the product is found in the catalogue, and nothing is written before the
dealer presses Confirm (``core.services.thresholds``).

:func:`restock_replies` is the alert a dealer gets in chat right after a stocktake when a product is at or
below its reorder point, with the one-tap "一键补货" (``order.restock``, ``handlers.flows.ordering``), which
fills a cart with :func:`restock_lines` and shows the usual confirm.

Buttons: ``thr.list``, ``thr.ok|<token>``, ``thr.cancel``, ``thr.rm|<sku>``, ``thr.rm_ok|<token>``,
``thr.pick|<sku>`` (the product, when the words named several), ``thr.move|<from>|<to>|<sku>|<qty>`` (a low
warehouse alert's one-tap transfer: the transfers flow's confirm).
Dialog states: ``thr.confirm`` / ``thr.remove`` (waiting for Confirm), ``thr.pick`` (waiting for the product);
other messages are read as usual in each.
"""

from __future__ import annotations

import copy
import logging
import re
import secrets
from dataclasses import asdict
from decimal import Decimal

from core.errors import NotFound
from core.inventory import ThresholdScope
from core.services.reports import replenishment
from core.services.thresholds import (
    DEFAULT_COVER_DAYS,
    SELLOUT_WINDOW_DAYS,
    RestockLine,
    SetDealerThreshold,
    ThresholdSource,
    forecast_threshold,
    list_dealer_thresholds,
    plan_dealer_threshold,
    remove_dealer_threshold,
    restock_plan,
    set_dealer_threshold,
    source_label,
)
from core.users import Permission
from handlers import i18n
from handlers.catalogue import chat_catalogue
from handlers.context import Ctx
from handlers.flows.menu import require_bound
from handlers.flows.transfers import ask_confirm as ask_transfer_confirm
from handlers.messages import Button, Reply
from handlers.router import Router, payload
from nlu.products import find_product, suggest_products
from nlu.thresholds import ThresholdRequest, parse_threshold

log = logging.getLogger(__name__)

router = Router(name=__name__)

MAX_LISTED = 10

i18n.register({
    "thr.ask": ("确认设置 {name}（{sku}）的库存提醒？", "Set this stock alert for {name} ({sku})?"),
    "thr.values": ("补货点 {low}{unit}（库存 ≤ {low} 时提醒）· 安全库存 {safety} · 上限 {high}",
                   "reorder point {low} {unit} (alert at or below {low}) · safety stock {safety} · maximum {high}"),
    "thr.was": ("原设置：{values}", "Was: {values}"),
    "thr.forecast_basis": ("按预测计算：日均销量 {daily}（{basis}）× 覆盖 {days} 天 + 安全库存 {safety} = {low}",
                           "From the forecast: {daily} a day ({basis}) x {days} days of cover + safety stock "
                           "{safety} = {low}"),
    "thr.basis.forecast": ("销量预测", "sales forecast"),
    "thr.basis.sellout": ("近{n}天实际销量", "actual sales of the last {n} days"),
    "thr.btn.ok": ("✅ 确认", "✅ Confirm"),
    "thr.btn.cancel": ("❌ 取消", "❌ Cancel"),
    "thr.btn.list": ("📋 我的库存提醒", "📋 My stock alerts"),
    "thr.btn.restock": ("🛒 一键补货", "🛒 Restock in one tap"),
    "thr.done": ("✅ 已设置 {name}（{sku}）：{values}。盘点上报或每日库存检查时，库存到补货点会提醒您并附补货建议。",
                 "✅ Set for {name} ({sku}): {values}. When a stocktake or the daily stock check finds it at the "
                 "reorder point, you get an alert with a suggested order."),
    "thr.cancelled": ("已取消，没有修改库存提醒。", "Cancelled; no stock alert was changed."),
    "thr.stale": ("这个按钮已失效，请重新输入。", "That button has expired; please type it again."),
    "thr.unknown": ("没有找到产品“{word}”，请用产品编码，例如“DH20 低于5台提醒我”。",
                    "\"{word}\" is not in the catalogue; use the product code, e.g. \"alert me when DH20 below 5\"."),
    "thr.did_you_mean": ("没有找到“{word}”。您是指：", "\"{word}\" is not in the catalogue. Did you mean:"),
    "thr.list_title": ("📋 我的库存提醒（库存 ≤ 补货点时提醒）：", "📋 My stock alerts (at or below the reorder point):"),
    "thr.list_row": ("{name}（{sku}）：补货点 {low} · 安全库存 {safety} · 上限 {high} · 当前 {qty}（{source}）",
                     "{name} ({sku}): reorder point {low} · safety {safety} · max {high} · now {qty} ({source})"),
    "thr.list_none": ("还没有设置库存提醒。可以这样说：“DH20 低于5台提醒我”、“AP300 安全库存 10”、"
                      "“AP300 按销量自动设置提醒”。",
                      "No stock alerts yet. Say e.g. \"alert me when DH20 below 5\", \"AP300 safety stock 10\" or "
                      "\"set AP300 alert from forecast\"."),
    "thr.rm_ask": ("确认取消 {name}（{sku}）的库存提醒？", "Remove the stock alert for {name} ({sku})?"),
    "thr.rm_done": ("✅ 已取消 {name}（{sku}）的库存提醒。", "✅ The stock alert for {name} ({sku}) is removed."),
    "thr.not_counted": ("未盘点", "not counted"),
    "thr.none": ("—", "—"),
    "thr.dealers_only": ("库存提醒是经销商为自己的库存设置的；员工可在后台“经销商库存”页面"
                         "（/backoffice/stock/dealers）为经销商设置。",
                         "Stock alerts are set by a dealer for its own stock; staff set them for a dealer on the back "
                         "office dealer stock page (/backoffice/stock/dealers)."),
    "thr.move_denied": ("调拨厂家库存需要库存管理权限。", "Moving the maker's stock needs the stock keeper's permission."),
    "thr.move_note": ("库存预警建议调拨", "suggested by a low stock alert"),
    "thr.alert_title": ("⚠️ 补货提醒：以下商品已到补货点：", "⚠️ Restock: these products are at their reorder point:"),
    "thr.alert_row": ("{name}（{sku}）：库存 {qty}，补货点 {low}，建议补货 {suggest}{unit}（{why}）",
                      "{name} ({sku}): {qty} in stock, reorder point {low}, suggested order {suggest} {unit} ({why})"),
    "thr.why.maximum": ("补到上限 {high}", "up to the maximum {high}"),
    "thr.why.double": ("补到补货点的两倍", "up to twice the reorder point"),
    "thr.why.forecast": ("按销量预测的到货周期用量", "the forecast sales until delivery"),
    "thr.alert_hint": ("点“一键补货”把建议数量放入购物车，确认后才会下单。",
                       "Tap \"Restock in one tap\" to put these in your cart; nothing is ordered until you confirm."),
})


# --- what a threshold question interrupts ---------------------------------------------------------------

RESUME = "resume"


def _keep_interrupted(ctx: Ctx) -> None:
    """Remember the dialog a threshold message came in the middle of (an open cart, a form)."""
    if ctx.dialog.state and not ctx.dialog.state.startswith("thr."):
        ctx.dialog.data = {RESUME: {"state": ctx.dialog.state, "data": copy.deepcopy(ctx.dialog.data)}}
        ctx.dialog.state = "thr.idle"


def _go(ctx: Ctx, state: str, **data: object) -> None:
    """``ctx.go`` that carries the interrupted dialog along."""
    resume = ctx.dialog.data.get(RESUME) if ctx.dialog.state.startswith("thr.") else None
    ctx.go(state, **data, **({RESUME: resume} if resume else {}))


def _done(ctx: Ctx) -> None:
    """Back to the interrupted dialog (the cart is as it was), else idle."""
    resume = ctx.dialog.data.get(RESUME) if ctx.dialog.state.startswith("thr.") else None
    if isinstance(resume, dict) and resume.get("state"):
        ctx.dialog.state, ctx.dialog.data = str(resume["state"]), dict(resume.get("data") or {})
    else:
        ctx.idle()


# --- finding the product ---------------------------------------------------------------------------

async def _resolve(ctx: Ctx, words: str) -> str | list[Reply]:
    """The SKU ``words`` name (a code first, then the catalogue's matching), else a reply."""
    catalogue = await chat_catalogue(ctx)
    code = re.sub(r"\s+", "", words).upper()
    for entry in catalogue:
        if entry.sku.upper() == code:
            return entry.sku
    sku = find_product(words, catalogue)
    if sku:
        return sku
    found = suggest_products([words], catalogue)
    word = words[:30]
    if found:       # "除湿机 低于2台提醒我": which one; the request waits in the dialog for the pick
        return [Reply(text=ctx.t("thr.did_you_mean", word=word),
                      buttons=[[Button(f"{e.name}（{e.sku}）", payload("thr.pick", e.sku))] for e, _ in found])]
    return [Reply(text=ctx.t("thr.unknown", word=word))]


async def _product(ctx: Ctx, sku: str) -> tuple[str, str]:
    async with ctx.uow() as uow:
        product = await uow.products.get_by(sku=sku)
    if product is None:
        raise NotFound(zh=f"未找到产品 {sku}", en=f"Product {sku} not found", what=sku)
    return product.name, product.unit


def _values(ctx: Ctx, low: int, safety: int | None, high: int | None, unit: str) -> str:
    none = ctx.t("thr.none")
    return ctx.t("thr.values", low=low, unit=unit, safety=none if safety is None else safety,
                 high=none if high is None else high)


def _may_set(ctx: Ctx) -> bool:
    return ctx.is_dealer and ctx.actor.dealer_id is not None and \
        Permission.DEALER_STOCK_REPORT in ctx.actor.permissions


# --- the words ---------------------------------------------------------------------------------------

@router.text_hook_anywhere
async def threshold_words(ctx: Ctx) -> list[Reply] | None:
    """A dealer's message about its stock alerts, also in the middle of a cart or form (which is kept and comes
    back after Confirm / Cancel); None for anything else (the state's handler or the parser reads it)."""
    if not ctx.bound:
        return None
    request = parse_threshold(ctx.inbound.text)
    if request is None:
        return None
    if not ctx.is_dealer:       # staff: not an order on a dealer's behalf; where they set a dealer's alert
        return None if ctx.dialog.state else [Reply(text=ctx.t("thr.dealers_only"))]
    _keep_interrupted(ctx)
    replies = await _answer(ctx, request)
    if ctx.dialog.state == "thr.idle":      # nothing waits for a press (a list, a product not found)
        _done(ctx)
    return replies


async def _answer(ctx: Ctx, request: ThresholdRequest) -> list[Reply]:
    if not _may_set(ctx):
        return [Reply(text=ctx.t("thr.dealers_only"))]
    if request.action == "list":
        return await _list(ctx)
    resolved = await _resolve(ctx, request.product)
    if isinstance(resolved, list):
        _go(ctx, "thr.pick", request=asdict(request))
        return resolved
    if request.action == "remove":
        return await _ask_remove(ctx, resolved)
    return await _ask_set(ctx, request, resolved)


@router.button("thr.pick")
async def picked(ctx: Ctx) -> list[Reply]:
    """The product chosen among several a word named: the waiting request goes on with it."""
    raw = ctx.dialog.data.get("request") if ctx.dialog.state == "thr.pick" else None
    sku = ctx.args[0] if ctx.args else ""
    if not isinstance(raw, dict) or not sku or not _may_set(ctx):
        return [Reply(text=ctx.t("thr.stale"))]
    request = ThresholdRequest(**{k: v for k, v in raw.items() if k in ThresholdRequest.__dataclass_fields__})
    if request.action == "remove":
        return await _ask_remove(ctx, sku)
    return await _ask_set(ctx, request, sku)


async def _monthly_forecast(ctx: Ctx, sku: str) -> Decimal | None:
    """The report store's forecast of units a month for this dealer and product (None without one)."""
    if ctx.deps.reports is None or ctx.actor.dealer_id is None:
        return None
    try:
        advice = await replenishment(ctx.uow(), ctx.deps.reports, ctx.actor, ctx.actor.dealer_id, ctx.deps.clock,
                                     forecaster=ctx.deps.forecaster)
    except Exception:       # the sell-out average still answers
        log.exception("threshold forecast failed")
        return None
    return next((a.monthly_forecast for a in advice if a.sku == sku), None)


async def _ask_set(ctx: Ctx, request: ThresholdRequest, sku: str) -> list[Reply]:
    assert ctx.actor.dealer_id is not None
    lead: list[str] = []
    if request.action == "forecast":
        days = request.cover_days or DEFAULT_COVER_DAYS
        fc = await forecast_threshold(ctx.uow(), ctx.actor, ctx.actor.dealer_id, sku, ctx.deps.clock,
                                      cover_days=days, monthly_forecast=await _monthly_forecast(ctx, sku))
        basis = ctx.t("thr.basis.forecast") if fc.basis == "forecast" else \
            ctx.t("thr.basis.sellout", n=SELLOUT_WINDOW_DAYS)
        lead.append(ctx.t("thr.forecast_basis", daily=fc.daily, basis=basis, days=fc.cover_days, safety=fc.safety,
                          low=fc.reorder_point))
        cmd = SetDealerThreshold(dealer_id=ctx.actor.dealer_id, sku=sku, reorder_point=fc.reorder_point,
                                 source=ThresholdSource.FORECAST)
    else:
        cmd = SetDealerThreshold(dealer_id=ctx.actor.dealer_id, sku=sku, reorder_point=request.reorder_point,
                                 safety=request.safety, maximum=request.maximum)
    plan = await plan_dealer_threshold(ctx.uow(), ctx.actor, cmd)
    name, unit = await _product(ctx, plan.sku)
    token = secrets.token_hex(6)
    _go(ctx, "thr.confirm", token=token, sku=plan.sku, low=plan.reorder_point, safety=plan.safety,
        high=plan.maximum, source=plan.source)
    out = [ctx.t("thr.ask", name=name, sku=plan.sku), *lead,
           _values(ctx, plan.reorder_point, plan.safety, plan.maximum, unit)]
    if plan.before is not None:
        out.append(ctx.t("thr.was", values=_values(ctx, plan.before.low, plan.before.safety, plan.before.high, unit)))
    return [Reply(text="\n".join(out), buttons=[[Button(ctx.t("thr.btn.ok"), payload("thr.ok", token)),
                                                 Button(ctx.t("thr.btn.cancel"), payload("thr.cancel"))]])]


def _confirmed(ctx: Ctx, state: str) -> dict[str, object] | None:
    token = ctx.args[0] if ctx.args else ""
    data = ctx.dialog.data
    if ctx.dialog.state != state or not token or data.get("token") != token:
        return None
    return dict(data)


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


@router.button("thr.ok")
async def confirm_set(ctx: Ctx) -> list[Reply]:
    data = _confirmed(ctx, "thr.confirm")
    if data is None or not _may_set(ctx) or _int(data.get("low")) is None:
        return [Reply(text=ctx.t("thr.stale"))]
    assert ctx.actor.dealer_id is not None
    source = ThresholdSource.FORECAST if data.get("source") == ThresholdSource.FORECAST else None
    row = await set_dealer_threshold(ctx.uow(), ctx.actor, SetDealerThreshold(
        dealer_id=ctx.actor.dealer_id, sku=str(data.get("sku", "")), reorder_point=_int(data.get("low")),
        safety=_int(data.get("safety")), maximum=_int(data.get("high")), source=source), ctx.deps.clock)
    _done(ctx)
    name, unit = await _product(ctx, row.sku)
    replies = [Reply(text=ctx.t("thr.done", name=name, sku=row.sku,
                                values=_values(ctx, row.low, row.safety, row.high, unit)),
                     buttons=[[Button(ctx.t("thr.btn.list"), payload("thr.list"))]])]
    return replies + await restock_replies(ctx, only={row.sku})


@router.button("thr.cancel")
async def cancel(ctx: Ctx) -> list[Reply]:
    if ctx.dialog.state.startswith("thr."):
        _done(ctx)
    return [Reply(text=ctx.t("thr.cancelled"))]


# --- list and remove ---------------------------------------------------------------------------------

@router.button("thr.list")
async def list_button(ctx: Ctx) -> list[Reply]:
    if not _may_set(ctx):
        return [Reply(text=ctx.t("thr.dealers_only"))]
    return await _list(ctx)


async def _list(ctx: Ctx) -> list[Reply]:
    assert ctx.actor.dealer_id is not None
    rows = await list_dealer_thresholds(ctx.uow(), ctx.actor, ctx.actor.dealer_id)
    if not rows:
        return [Reply(text=ctx.t("thr.list_none"))]
    async with ctx.uow() as uow:
        held = {s.sku: s.qty for s in await uow.dealer_stock.list(dealer_id=ctx.actor.dealer_id)}
        names = {p.sku: p.name for p in await uow.products.list(sku__in=[r.sku for r in rows])}
    none = ctx.t("thr.none")
    out = [ctx.t("thr.list_title")]
    for r in rows:
        qty = held.get(r.sku)
        mark = " ⚠️" if qty is not None and qty <= r.low else ""
        out.append(ctx.t("thr.list_row", name=names.get(r.sku, r.sku), sku=r.sku, low=r.low,
                         safety=none if r.safety is None else r.safety, high=none if r.high is None else r.high,
                         qty=ctx.t("thr.not_counted") if qty is None else qty,
                         source=source_label(r.source, ctx.lang)) + mark)
    buttons = [[Button(f"🗑 {r.sku}", payload("thr.rm", r.sku))] for r in rows[:MAX_LISTED]]
    return [Reply(text="\n".join(out), buttons=buttons)]


@router.button("thr.rm")
async def remove_button(ctx: Ctx) -> list[Reply]:
    if not _may_set(ctx):
        return [Reply(text=ctx.t("thr.dealers_only"))]
    return await _ask_remove(ctx, ctx.args[0] if ctx.args else "")


async def _ask_remove(ctx: Ctx, sku: str) -> list[Reply]:
    assert ctx.actor.dealer_id is not None
    rows = {r.sku: r for r in await list_dealer_thresholds(ctx.uow(), ctx.actor, ctx.actor.dealer_id)}
    row = rows.get(sku)
    if row is None:
        raise NotFound(zh=f"{sku} 没有设置库存提醒", en=f"No stock alert is set for {sku}", what=sku)
    name, _unit = await _product(ctx, sku)
    token = secrets.token_hex(6)
    _go(ctx, "thr.remove", token=token, sku=sku)
    return [Reply(text=ctx.t("thr.rm_ask", name=name, sku=sku),
                  buttons=[[Button(ctx.t("thr.btn.ok"), payload("thr.rm_ok", token)),
                            Button(ctx.t("thr.btn.cancel"), payload("thr.cancel"))]])]


@router.button("thr.rm_ok")
async def confirm_remove(ctx: Ctx) -> list[Reply]:
    data = _confirmed(ctx, "thr.remove")
    if data is None or not _may_set(ctx):
        return [Reply(text=ctx.t("thr.stale"))]
    assert ctx.actor.dealer_id is not None
    row = await remove_dealer_threshold(ctx.uow(), ctx.actor, ctx.actor.dealer_id, str(data.get("sku", "")),
                                        ctx.deps.clock)
    _done(ctx)
    name, _unit = await _product(ctx, row.sku)
    return [Reply(text=ctx.t("thr.rm_done", name=name, sku=row.sku),
                  buttons=[[Button(ctx.t("thr.btn.list"), payload("thr.list"))]])]


# --- a warehouse alert's one-tap transfer ---------------------------------------------------------------

@router.button("thr.move")
async def move_stock(ctx: Ctx) -> list[Reply]:
    """"🔁 一键调拨" of a low maker-warehouse alert (``thr.move|<from id>|<to id>|<sku>|<qty>``): the transfers
    flow's own summary with Confirm (``handlers.flows.transfers``); core checks the stock and who may move it
    when Confirm is pressed. The payload is a suggestion only: both warehouses and the product are looked up."""
    if (denied := require_bound(ctx)) is not None:
        return denied
    if not ctx.is_staff or Permission.STOCK_WRITE not in ctx.actor.permissions:
        return [Reply(text=ctx.t("thr.move_denied"))]
    args = ctx.args
    if len(args) != 4 or not all(a.isdigit() for a in (args[0], args[1], args[3])) or not 0 < int(args[3]) <= 99_999:
        return [Reply(text=ctx.t("thr.stale"))]
    async with ctx.uow() as uow:
        source, target = await uow.warehouses.get(int(args[0])), await uow.warehouses.get(int(args[1]))
        product = await uow.products.get_by(sku=args[2])
    if source is None or target is None or product is None or source.id == target.id:
        return [Reply(text=ctx.t("thr.stale"))]
    return await ask_transfer_confirm(ctx, {
        "from": [ThresholdScope.WAREHOUSE.value, source.id], "to": [ThresholdScope.WAREHOUSE.value, target.id],
        "lines": [[product.sku, int(args[3])]], "note": ctx.t("thr.move_note"),
        "labels": [f"{source.name}（{source.code}）", f"{target.name}（{target.code}）"], "approval": False})


# --- the alert and what to order -----------------------------------------------------------------------

async def restock_lines(ctx: Ctx) -> list[RestockLine]:
    """What the dealer should order now: its products at or below their reorder point, each refilled up to
    its maximum (or the forecast over the lead time when that asks for more)."""
    assert ctx.actor.dealer_id is not None
    forecast: dict[str, int] = {}
    if ctx.deps.reports is not None:
        try:
            advice = await replenishment(ctx.uow(), ctx.deps.reports, ctx.actor, ctx.actor.dealer_id,
                                         ctx.deps.clock, forecaster=ctx.deps.forecaster)
            forecast = {a.sku: a.suggested for a in advice}
        except Exception:   # the threshold's own suggestion still stands
            log.exception("restock forecast failed")
    return await restock_plan(ctx.uow(), ctx.actor, ctx.actor.dealer_id, forecast=forecast)


async def restock_replies(ctx: Ctx, *, only: set[str] | None = None) -> list[Reply]:
    """The restock alert after a stocktake (or a new threshold): nothing when no product is at its reorder
    point; else the products, the suggestion and "一键补货"."""
    if not ctx.is_dealer or ctx.actor.dealer_id is None:
        return []
    lines = [ln for ln in await restock_lines(ctx) if only is None or ln.sku in only]
    if not lines:
        return []
    out = [ctx.t("thr.alert_title")]
    out += ["· " + ctx.t("thr.alert_row", name=ln.name, sku=ln.sku, qty=ln.qty, low=ln.reorder_point,
                         suggest=ln.suggest, unit=ln.unit, why=ctx.t(f"thr.why.{ln.basis}", high=ln.maximum))
            for ln in lines]
    buttons: list[list[Button]] = []
    if Permission.ORDER_PLACE_OWN in ctx.actor.permissions:
        out.append(ctx.t("thr.alert_hint"))
        buttons.append([Button(ctx.t("thr.btn.restock"), payload("order.restock"))])
    return [Reply(text="\n".join(out), buttons=buttons)]
