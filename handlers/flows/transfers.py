"""Transfers (调拨) and stock sharing in chat.

Typed (``nlu.transfers.parse_transfer``, a text hook tried before the order parser):

- staff who move the maker's stock: "从杭州仓调 20 台 AP300 到上海仓" -> a summary, Confirm creates it
  (a warehouse move is approved and reserved at once);
- dealers: "我多了 10 台 DH20 想调给别人" -> return it to the maker or share it with the region;
  "申请调拨 DH20" -> the dealers sharing DH20 nearby, each with 申请调拨; "共享库存" / "我的库存给同区域经销商看"
  / "停止共享" -> the sharing change, Confirm writes it;
- everyone: "我的调拨" / "调拨进度" / a DB- number -> the transfers one may see, with the buttons of one's next step.

The stock answer for a product the maker is short of shows "附近有货" (:func:`nearby_replies`, called by
``handlers.flows.stock``). Nothing is written before the user presses Confirm; the buttons of a step (approve,
refuse, ship, receive, cancel) are the confirmation of that step, and core re-checks who may press them.

Buttons: ``tr.list``, ``tr.view|<number>``, ``tr.ok|<number>`` (approve), ``tr.no|<number>`` (refuse),
``tr.ship|<number>``, ``tr.recv|<number>``, ``tr.cancel|<number>``, ``tr.req|<dealer id>|<sku>`` (ask a
sharing dealer), ``tr.ret|<sku>|<qty>`` (return to the maker), ``tr.go|<token>`` (confirm a new transfer),
``sh.menu``, ``sh.set|<what>``, ``sh.ok|<token>``.
Dialog states: ``tr.qty`` (how many to ask for), ``tr.confirm`` and ``sh.confirm`` (waiting for Confirm; other
messages are read as usual).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from typing import Any

from core.errors import NotFound
from core.inventory import ThresholdScope, TransferStatus
from core.services.inventory import Availability, StockAvailability
from core.services.transfers import (
    CreateTransfer,
    SetSharing,
    TransferCommand,
    TransferView,
    approve_transfer,
    cancel_transfer,
    create_transfer,
    get_sharing,
    get_transfer,
    list_transfers,
    nearby_stock,
    receive_transfer,
    refuse_transfer,
    set_sharing,
    ship_transfer,
    view_of,
)
from core.transfers import StockSharing
from core.users import Permission
from handlers import i18n
from handlers.catalogue import chat_catalogue
from handlers.context import Ctx
from handlers.flows.menu import require_bound
from handlers.messages import Button, InboundKind, Reply
from handlers.router import Router, payload
from nlu.numbers import typed_quantity
from nlu.products import find_product
from nlu.transfers import ShareWish, TransferText, parse_transfer

router = Router(name=__name__)

MAX_LISTED = 10
MAX_NEARBY = 5
W, D = ThresholdScope.WAREHOUSE, ThresholdScope.DEALER

i18n.register({
    "tr.nearby": ("📍 附近有货（共享库存的经销商）：", "📍 In stock nearby (dealers sharing their stock):"),
    "tr.nearby_row": ("{who}：{qty}{unit}", "{who}: {qty} {unit}"),
    "tr.btn.request": ("🔁 申请调拨：{who}", "🔁 Request a transfer: {who}"),
    "tr.none_nearby": ("附近暂时没有经销商共享 {name}（{sku}）的库存。可以直接下单向厂家订货。",
                       "No dealer nearby shares stock of {name} ({sku}) right now. You can order it from the maker."),
    "tr.ask_qty": ("向{who}申请调拨 {name}（{sku}），对方可调 {qty}{unit}。请输入数量：",
                   "Ask {who} for {name} ({sku}); they can spare {qty} {unit}. How many?"),
    "tr.bad_qty": ("请输入 1–{max} 之间的整数。", "Please type a whole number from 1 to {max}."),
    "tr.summary": ("请确认调拨申请：\n{from} → {to}\n商品：{items}", "Confirm this transfer:\n{from} → {to}\nItems: {items}"),
    "tr.summary_approval": ("提交后由厂家渠道经理审批。", "The maker's channel manager approves it after you submit."),
    "tr.summary_dealer": ("提交后由厂家渠道经理（按合同需要时）或对方经销商确认，对方发货、您确认收货。",
                          "After you submit, the maker's channel manager (where the contract says so) or the other "
                          "dealer approves; they ship and you confirm receipt."),
    "tr.btn.confirm": ("✅ 确认提交", "✅ Submit"),
    "tr.btn.cancel_form": ("❌ 取消", "❌ Cancel"),
    "tr.created": ("✅ 调拨单 {number} 已提交（{status}）。", "✅ Transfer {number} submitted ({status})."),
    "tr.again": ("这张调拨单已经提交过了。", "This transfer was submitted already."),
    "tr.stale": ("这个按钮已失效，请重新发起。", "That button has expired; please start again."),
    "tr.cancelled_form": ("已取消，没有提交。", "Cancelled; nothing was submitted."),
    "tr.card": ("🔁 调拨单 {number}（{status}）\n{from} → {to}\n商品：{items}",
                "🔁 Transfer {number} ({status})\n{from} → {to}\nItems: {items}"),
    "tr.card_note": ("备注：{note}", "Note: {note}"),
    "tr.card_reason": ("原因：{reason}", "Reason: {reason}"),
    "tr.card_waits_maker": ("等待厂家审批。", "Waiting for the maker's approval."),
    "tr.list_title": ("🔁 调拨单（最近 {n} 张）：", "🔁 Transfers (latest {n}):"),
    "tr.list_row": ("{number} · {status} · {from} → {to} · {items}", "{number} · {status} · {from} → {to} · {items}"),
    "tr.list_none": ("还没有调拨单。缺货时查询产品可看到附近共享库存的经销商；库存多了可以说“我多了 10 台 DH20”。",
                     "No transfers yet. When you ask about a product the maker is short of, dealers sharing it "
                     "nearby are shown; with too much stock, say \"I have 10 extra DH20\"."),
    "tr.waiting": ("🔁 调拨申请待您审批：{n} 张", "🔁 Transfers waiting for your approval: {n}"),
    "tr.btn.approve": ("✅ 批准", "✅ Approve"),
    "tr.btn.refuse": ("❌ 拒绝", "❌ Refuse"),
    "tr.btn.ship": ("🚚 已发货", "🚚 Shipped"),
    "tr.btn.receive": ("📥 确认收货", "📥 Received"),
    "tr.btn.cancel": ("🗑 撤销调拨", "🗑 Cancel transfer"),
    "tr.btn.list": ("🔁 我的调拨", "🔁 My transfers"),
    "tr.done.approve": ("✅ 已批准调拨单 {number}，源头库存已预留，已通知发货。",
                        "✅ Transfer {number} approved; the stock is reserved and the sender told to ship."),
    "tr.done.refuse": ("已拒绝调拨单 {number}，已通知申请方。", "Transfer {number} refused; the requester is told."),
    "tr.done.ship": ("🚚 调拨单 {number} 已发货，已通知收货方。", "🚚 Transfer {number} shipped; the receiver is told."),
    "tr.done.receive": ("📥 调拨单 {number} 已收货，库存已转入。", "📥 Transfer {number} received; the stock moved in."),
    "tr.done.cancel": ("调拨单 {number} 已撤销。", "Transfer {number} cancelled."),
    "tr.surplus": ("您有 {qty}{unit} {name}（{sku}）多余，可以：", "You have {qty} {unit} of {name} ({sku}) to spare. You can:"),
    "tr.btn.return": ("↩️ 申请退回厂家", "↩️ Return it to the maker"),
    "tr.btn.share_sku": ("🤝 共享给同区域经销商", "🤝 Share it with dealers of my region"),
    "tr.return_note": ("多余库存退回", "overstock return"),
    "tr.no_product": ("没认出是哪个产品，请写上型号，例如“我多了 10 台 DH20”。",
                      "Which product? Write its model, e.g. \"I have 10 extra DH20\"."),
    "tr.surplus_qty": ("多余多少？请带上数量，例如“{sku} 多了 5 台”或“{sku} 退回厂家 5 台”。",
                       "How many to spare? Add the quantity, e.g. \"I have 5 extra {sku}\"."),
    "tr.ask_which": ("想调拨哪个产品？请写上型号，例如“申请调拨 DH20”。", "Which product? E.g. \"transfer DH20\"."),
    "tr.dealers_only": ("这是经销商之间调拨的功能；厂家仓库之间调拨请写“从华东仓调 20 台 AP300 到华北仓”。",
                        "This is for dealers; to move the maker's stock write \"move 20 AP300 from WH-SH to WH-TJ\"."),
    "tr.move_denied": ("您没有调动厂家库存的权限（订单/仓储岗位可以）。", "You may not move the maker's stock "
                       "(the order desk / warehouse can)."),
    "tr.dealer_move": ("从厂家仓库要货请直接下单；您多余的库存可以说“我多了 10 台 DH20”。",
                       "To get goods from the maker, place an order; for your spare stock say \"I have 10 extra "
                       "DH20\"."),
    "tr.unknown_end": ("没找到“{word}”。可选仓库：{choices}", "\"{word}\" is not a warehouse I know. Warehouses: {choices}"),
    "sh.title": ("🤝 库存共享设置：", "🤝 Stock sharing:"),
    "sh.state": ("给厂家看：{maker}\n给同区域经销商看：{region}\n给同上级体系经销商看：{network}\n显示我的名称：{name}\n产品：{skus}",
                 "The maker sees it: {maker}\nDealers of my region see it: {region}\nDealers of my network see it: "
                 "{network}\nMy name shown: {name}\nProducts: {skus}"),
    "sh.yes": ("是", "yes"),
    "sh.no": ("否", "no"),
    "sh.all": ("全部产品", "all products"),
    "sh.note": ("名称只在双方都同意显示时才互相可见，否则显示为“同区域经销商”。共享的是您最近盘点的库存。",
                "Names are shown only when both dealers agree, else \"a dealer in your region\". What is shared is "
                "your last stocktake."),
    "sh.ask": ("确认修改库存共享设置为：", "Change your stock sharing to:"),
    "sh.btn.confirm": ("✅ 确认", "✅ Confirm"),
    "sh.btn.region": ("🤝 共享给同区域", "🤝 Share with my region"),
    "sh.btn.network": ("🏢 共享给同体系", "🏢 Share with my network"),
    "sh.btn.name_on": ("👤 显示我的名称", "👤 Show my name"),
    "sh.btn.name_off": ("🙈 隐藏我的名称", "🙈 Hide my name"),
    "sh.btn.off": ("🚫 停止共享", "🚫 Stop sharing"),
    "sh.nothing_shared": ("您目前没有共享库存，别人看不到。", "You share no stock now; nobody else sees it."),
    "sh.done": ("✅ 库存共享设置已更新。", "✅ Stock sharing updated."),
    "sh.dealers_only": ("库存共享由经销商自己设置。", "Stock sharing is set by each dealer."),
})


# --- helpers ---------------------------------------------------------------------------------------------

async def _names(ctx: Ctx, skus: list[str]) -> dict[str, tuple[str, str]]:
    async with ctx.uow() as uow:
        return {p.sku: (p.name, p.unit) for p in await uow.products.list(sku__in=skus)}


def _items(ctx: Ctx, lines: Any, names: dict[str, tuple[str, str]]) -> str:
    sep = "，" if not ctx.en else ", "
    return sep.join(f"{names.get(sku, (sku, ''))[0]} ×{qty}" for sku, qty in lines)


def _action_buttons(ctx: Ctx, view: TransferView) -> list[list[Button]]:
    order = (("approve", "tr.ok", "tr.btn.approve"), ("refuse", "tr.no", "tr.btn.refuse"),
             ("ship", "tr.ship", "tr.btn.ship"), ("receive", "tr.recv", "tr.btn.receive"),
             ("cancel", "tr.cancel", "tr.btn.cancel"))
    row = [Button(ctx.t(label), payload(action, view.number)) for act, action, label in order if act in view.actions]
    return [row[:2], row[2:]] if len(row) > 2 else [row] if row else []


async def _card(ctx: Ctx, view: TransferView, lead: str = "") -> Reply:
    names = await _names(ctx, [line.sku for line in view.lines])
    out = [lead] if lead else []
    out.append(ctx.t("tr.card", number=view.number, status=view.status_label(ctx.lang),
                     **{"from": view.source.label(ctx.lang), "to": view.destination.label(ctx.lang)},
                     items=_items(ctx, [(line.sku, line.qty) for line in view.lines], names)))
    if view.note:
        out.append(ctx.t("tr.card_note", note=view.note))
    if view.close_reason:
        out.append(ctx.t("tr.card_reason", reason=view.close_reason))
    if view.status == TransferStatus.REQUESTED and view.needs_maker_approval and "approve" not in view.actions:
        out.append(ctx.t("tr.card_waits_maker"))
    buttons = _action_buttons(ctx, view)
    buttons.append([Button(ctx.t("tr.btn.list"), payload("tr.list"))])
    return Reply(text="\n".join(out), buttons=buttons)


async def _product(ctx: Ctx, words: str) -> str | None:
    if not words.strip():
        return None
    return find_product(words, await chat_catalogue(ctx))


def _may_move_maker_stock(ctx: Ctx) -> bool:
    return ctx.is_staff and Permission.STOCK_WRITE in ctx.actor.permissions


def _is_stock_dealer(ctx: Ctx) -> bool:
    return ctx.is_dealer and ctx.actor.dealer_id is not None \
        and Permission.DEALER_STOCK_REPORT in ctx.actor.permissions


# --- typed messages --------------------------------------------------------------------------------------

@router.text_hook
async def transfer_words(ctx: Ctx) -> list[Reply] | None:
    """A message about transfers or sharing; None for anything else (the order parser reads it)."""
    if not ctx.bound:
        return None
    said = parse_transfer(ctx.inbound.text)
    if said is None:
        return None
    if said.kind == "status":
        if said.number:
            return [await _card(ctx, await get_transfer(ctx.uow(), ctx.actor, said.number))]
        return await transfers_list(ctx)
    if said.kind == "move":
        return await _move(ctx, said)
    if said.kind == "share":
        return await _share_words(ctx, said)
    if not _is_stock_dealer(ctx):
        if said.kind == "ask" and ctx.is_staff:        # "调拨审批", "有调拨要批吗": what waits for them first
            return await transfers_list(ctx)
        return [Reply(text=ctx.t("tr.dealers_only"))]
    sku = await _product(ctx, said.product_text)
    if said.kind == "surplus":
        if sku is None:
            return [Reply(text=ctx.t("tr.no_product"))]
        if said.qty is None:
            return [Reply(text=ctx.t("tr.surplus_qty", sku=sku))]
        return await _surplus(ctx, sku, said.qty, said.to_maker)
    if sku is None:                                   # "调拨" with no product: what there is already
        return [Reply(text=ctx.t("tr.ask_which"), buttons=[[Button(ctx.t("tr.btn.list"), payload("tr.list"))]])]
    lines, buttons = await nearby_replies(ctx, sku)
    if not lines:
        names = await _names(ctx, [sku])
        return [Reply(text=ctx.t("tr.none_nearby", name=names.get(sku, (sku, ""))[0], sku=sku),
                      buttons=[[Button(ctx.t("stock.btn.order"), payload("order.pick", sku))]])]
    return [Reply(text="\n".join(lines), buttons=buttons)]


@router.text_hook_anywhere
async def transfer_status_anywhere(ctx: Ctx) -> list[Reply] | None:
    """"我的调拨" / a DB- number typed with a cart or a form open: answered without leaving it (only reads)."""
    if not ctx.bound or not ctx.dialog.state:
        return None
    said = parse_transfer(ctx.inbound.text)
    if said is None or said.kind != "status":
        return None
    if said.number:
        return [await _card(ctx, await get_transfer(ctx.uow(), ctx.actor, said.number))]
    return await transfers_list(ctx)


async def _end(ctx: Ctx, word: str) -> tuple[ThresholdScope, int, str] | None:
    """A warehouse (code, name, city, province or region, with or without 仓) or a dealer code (staff)."""
    key = re.sub(r"(?:仓库|仓|库|warehouse)$", "", word.strip().lower()).strip()
    async with ctx.uow() as uow:
        if re.fullmatch(r"d\d{3,6}", key):
            dealer = await uow.dealers.get_by(code=key.upper())
            return (D, dealer.id, f"{dealer.code} {dealer.name}") if dealer and dealer.id else None
        for w in await uow.warehouses.list(order_by="code"):
            names = {w.code.lower(), w.name.lower(), re.sub(r"(?:仓库|仓)$", "", w.name.lower()),
                     w.city.lower(), w.province.lower(), w.region.lower(), w.code.lower().replace("wh-", "")}
            if key and key in names and w.id is not None:
                return W, w.id, f"{w.name}（{w.code}）"
    return None


async def _move(ctx: Ctx, said: TransferText) -> list[Reply]:
    if ctx.is_dealer:
        return [Reply(text=ctx.t("tr.dealer_move"))]
    if not _may_move_maker_stock(ctx):
        return [Reply(text=ctx.t("tr.move_denied"))]
    sku = await _product(ctx, said.product_text)
    if sku is None:
        return [Reply(text=ctx.t("tr.no_product"))]
    ends = []
    for word in (said.source, said.destination):
        end = await _end(ctx, word)
        if end is None:
            async with ctx.uow() as uow:
                choices = "、".join(f"{w.name}（{w.code}，{w.city}）" for w in await uow.warehouses.list(order_by="code"))
            return [Reply(text=ctx.t("tr.unknown_end", word=word[:20], choices=choices))]
        ends.append(end)
    (fs, fid, flabel), (ts, tid, tlabel) = ends
    return await ask_confirm(ctx, {"from": [fs.value, fid], "to": [ts.value, tid], "lines": [[sku, said.qty]],
                                    "note": "", "labels": [flabel, tlabel], "approval": False})


async def _surplus(ctx: Ctx, sku: str, qty: int, to_maker: bool) -> list[Reply]:
    names = await _names(ctx, [sku])
    name, unit = names.get(sku, (sku, ""))
    if to_maker:
        return await _return_confirm(ctx, sku, qty)
    return [Reply(text=ctx.t("tr.surplus", qty=qty, unit=unit, name=name, sku=sku),
                  buttons=[[Button(ctx.t("tr.btn.return"), payload("tr.ret", sku, qty))],
                           [Button(ctx.t("tr.btn.share_sku"), payload("sh.set", "sku", sku))]])]


async def _return_confirm(ctx: Ctx, sku: str, qty: int) -> list[Reply]:
    """A return to the maker goes to the warehouse of the dealer's region (the first one when none)."""
    assert ctx.actor.dealer_id is not None
    async with ctx.uow() as uow:
        dealer = await uow.dealers.get(ctx.actor.dealer_id)
        warehouses = await uow.warehouses.list(order_by="code")
    if dealer is None or not warehouses:
        raise NotFound(what=sku)
    target = next((w for w in warehouses if w.region == dealer.region), warehouses[0])
    assert target.id is not None
    return await ask_confirm(ctx, {"from": [D.value, dealer.id], "to": [W.value, target.id],
                                    "lines": [[sku, qty]], "note": ctx.t("tr.return_note"),
                                    "labels": [f"{dealer.code} {dealer.name}", ctx.pick(
                                        f"厂家{target.name}（{target.code}）", f"maker {target.name} ({target.code})")],
                                    "approval": True})


@router.button("tr.ret")
async def return_button(ctx: Ctx) -> list[Reply]:
    if (denied := require_bound(ctx)) is not None:
        return denied
    if not _is_stock_dealer(ctx) or len(ctx.args) < 2 or not ctx.args[1].isdigit():
        return [Reply(text=ctx.t("tr.stale"))]
    return await _return_confirm(ctx, ctx.args[0], int(ctx.args[1]))


# --- 附近有货: asking a sharing dealer -------------------------------------------------------------------------

async def nearby_replies(ctx: Ctx, sku: str, *, short_of: Sequence[StockAvailability] | None = None
                         ) -> tuple[list[str], list[list[Button]]]:
    """For a dealer: the "附近有货" lines for ``sku`` and one 申请调拨 button per sharing dealer (none: empty).
    With ``short_of`` (the maker's availability), only when the maker is not ample in the dealer's region."""
    if not _is_stock_dealer(ctx):
        return [], []
    if short_of is not None:
        if short_of and all(r.level == Availability.AMPLE for r in short_of):
            return [], []                   # ample everywhere: no lookups on the busiest question
        assert ctx.actor.dealer_id is not None
        async with ctx.uow() as uow:
            me = await uow.dealers.get(ctx.actor.dealer_id)
        mine = [r for r in short_of if me is not None and r.region == me.region] or list(short_of)
        if any(r.level == Availability.AMPLE for r in mine):
            return [], []
    found = (await nearby_stock(ctx.uow(), ctx.actor, sku))[:MAX_NEARBY]
    if not found:
        return [], []
    unit = (await _names(ctx, [sku])).get(sku, (sku, ""))[1]
    lines = [ctx.t("tr.nearby")]
    buttons = []
    for n in found:
        lines.append(ctx.t("tr.nearby_row", who=n.label(ctx.lang), qty=n.qty, unit=unit))
        buttons.append([Button(ctx.t("tr.btn.request", who=n.label(ctx.lang)),
                               payload("tr.req", n.dealer_id, sku))])
    return lines, buttons


@router.button("tr.req")
async def request_button(ctx: Ctx) -> list[Reply]:
    """申请调拨 from a 附近有货 line: re-check that the dealer still shares it with us, then ask how many."""
    if (denied := require_bound(ctx)) is not None:
        return denied
    if not _is_stock_dealer(ctx) or len(ctx.args) < 2 or not ctx.args[0].isdigit():
        return [Reply(text=ctx.t("tr.stale"))]
    source, sku = int(ctx.args[0]), ctx.args[1]
    offer = next((n for n in await nearby_stock(ctx.uow(), ctx.actor, sku) if n.dealer_id == source), None)
    if offer is None:
        return [Reply(text=ctx.t("tr.stale"))]
    name, unit = (await _names(ctx, [sku])).get(sku, (sku, ""))
    ctx.go("tr.qty", source=source, sku=sku, who=offer.label(ctx.lang), max=offer.qty)
    return [Reply(text=ctx.t("tr.ask_qty", who=offer.label(ctx.lang), name=name, sku=sku, qty=offer.qty, unit=unit),
                  buttons=[[Button(ctx.t("tr.btn.cancel_form"), payload("tr.drop"))]])]


@router.state("tr.qty")
async def qty_typed(ctx: Ctx) -> list[Reply]:
    data = ctx.dialog.data
    most = int(data.get("max", 0))
    qty = typed_quantity(ctx.inbound.text) if ctx.inbound.kind == InboundKind.TEXT else None
    if qty is None or not 1 <= qty <= most:
        return [Reply(text=ctx.t("tr.bad_qty", max=most),
                      buttons=[[Button(ctx.t("tr.btn.cancel_form"), payload("tr.drop"))]])]
    assert ctx.actor.dealer_id is not None
    async with ctx.uow() as uow:
        me = await uow.dealers.get(ctx.actor.dealer_id)
    mine = f"{me.code} {me.name}" if me else str(ctx.actor.dealer_id)
    return await ask_confirm(ctx, {"from": [D.value, int(data["source"])], "to": [D.value, ctx.actor.dealer_id],
                                    "lines": [[str(data["sku"]), qty]], "note": "",
                                    "labels": [str(data.get("who", "")), mine], "approval": None})


# --- confirming a new transfer -----------------------------------------------------------------------------

async def ask_confirm(ctx: Ctx, pending: dict[str, Any]) -> list[Reply]:
    token = secrets.token_hex(6)
    ctx.go("tr.confirm", token=token, pending=pending)
    names = await _names(ctx, [str(sku) for sku, _ in pending["lines"]])
    text = ctx.t("tr.summary", items=_items(ctx, pending["lines"], names),
                 **{"from": pending["labels"][0], "to": pending["labels"][1]})
    if pending.get("approval") is not False:
        text += "\n" + ctx.t("tr.summary_approval" if pending.get("approval") else "tr.summary_dealer")
    if pending.get("note"):
        text += "\n" + ctx.t("tr.card_note", note=pending["note"])
    return [Reply(text=text, buttons=[[Button(ctx.t("tr.btn.confirm"), payload("tr.go", token)),
                                       Button(ctx.t("tr.btn.cancel_form"), payload("tr.drop"))]])]


@router.button("tr.go")
async def confirmed(ctx: Ctx) -> list[Reply]:
    if (denied := require_bound(ctx)) is not None:
        return denied
    token = ctx.args[0] if ctx.args else ""
    data = ctx.dialog.data
    if token and data.get("done_token") == token:
        return [Reply(text=ctx.t("tr.again"))]
    if ctx.dialog.state != "tr.confirm" or not token or data.get("token") != token:
        return [Reply(text=ctx.t("tr.stale"))]
    p = data["pending"]
    cmd = CreateTransfer(ThresholdScope(p["from"][0]), int(p["from"][1]), ThresholdScope(p["to"][0]),
                         int(p["to"][1]), [(str(sku), int(qty)) for sku, qty in p["lines"]], str(p.get("note", "")))
    transfer = await create_transfer(ctx.uow(), ctx.actor, cmd, ctx.deps.clock)
    ctx.go("", done_token=token)
    view = await view_of(ctx.uow(), ctx.actor, transfer)
    return [await _card(ctx, view, ctx.t("tr.created", number=view.number, status=view.status_label(ctx.lang)))]


@router.button("tr.drop")
async def dropped(ctx: Ctx) -> list[Reply]:
    if ctx.dialog.state in ("tr.qty", "tr.confirm", "sh.confirm"):
        ctx.idle()
    return [Reply(text=ctx.t("tr.cancelled_form"))]


# --- the steps ---------------------------------------------------------------------------------------------

async def _step(ctx: Ctx, action: str) -> list[Reply]:
    if (denied := require_bound(ctx)) is not None:
        return denied
    number = ctx.args[0] if ctx.args else ""
    use_case = {"approve": approve_transfer, "refuse": refuse_transfer, "ship": ship_transfer,
                "receive": receive_transfer, "cancel": cancel_transfer}[action]
    transfer = await use_case(ctx.uow(), ctx.actor, TransferCommand(number), ctx.deps.clock)
    view = await view_of(ctx.uow(), ctx.actor, transfer)
    return [await _card(ctx, view, ctx.t(f"tr.done.{action}", number=view.number))]


@router.button("tr.ok")
async def approve_button(ctx: Ctx) -> list[Reply]:
    return await _step(ctx, "approve")


@router.button("tr.no")
async def refuse_button(ctx: Ctx) -> list[Reply]:
    return await _step(ctx, "refuse")


@router.button("tr.ship")
async def ship_button(ctx: Ctx) -> list[Reply]:
    return await _step(ctx, "ship")


@router.button("tr.recv")
async def receive_button(ctx: Ctx) -> list[Reply]:
    return await _step(ctx, "receive")


@router.button("tr.cancel")
async def cancel_button(ctx: Ctx) -> list[Reply]:
    return await _step(ctx, "cancel")


@router.button("tr.view")
async def view_button(ctx: Ctx) -> list[Reply]:
    if (denied := require_bound(ctx)) is not None:
        return denied
    return [await _card(ctx, await get_transfer(ctx.uow(), ctx.actor, ctx.args[0] if ctx.args else ""))]


@router.command("transfers")
@router.button("tr.list")
async def transfers_list(ctx: Ctx) -> list[Reply]:
    """The transfers one may see, newest first; open ones waiting for this user come first with buttons."""
    if (denied := require_bound(ctx)) is not None:
        return denied
    views = await list_transfers(ctx.uow(), ctx.actor, limit=200)
    if not views:
        return [Reply(text=ctx.t("tr.list_none"))]
    mine = [v for v in views if v.actions - {"cancel"}]
    shown = (mine + [v for v in views if v not in mine])[:MAX_LISTED]
    names = await _names(ctx, sorted({line.sku for v in shown for line in v.lines}))
    out = [ctx.t("tr.list_title", n=len(shown))]
    for v in shown:
        out.append(ctx.t("tr.list_row", number=v.number, status=v.status_label(ctx.lang),
                         **{"from": v.source.label(ctx.lang), "to": v.destination.label(ctx.lang)},
                         items=_items(ctx, [(line.sku, line.qty) for line in v.lines], names)))
    buttons = [[Button(f"🔎 {v.number}", payload("tr.view", v.number))] for v in mine[:5]]
    return [Reply(text="\n".join(out), buttons=buttons)]


async def transfers_waiting(ctx: Ctx) -> list[Reply]:
    """For the "待审批" list: one line about the transfers waiting for this person's approval (none: empty)."""
    if not ctx.is_staff or Permission.TRANSFER_APPROVE not in ctx.actor.permissions:
        return []
    views = await list_transfers(ctx.uow(), ctx.actor, status=TransferStatus.REQUESTED)
    mine = [v for v in views if "approve" in v.actions]
    if not mine:
        return []
    return [Reply(text=ctx.t("tr.waiting", n=len(mine)),
                  buttons=[[Button(f"🔎 {v.number}", payload("tr.view", v.number))] for v in mine[:5]])]


# --- stock sharing -----------------------------------------------------------------------------------------

def _yes(ctx: Ctx, on: bool) -> str:
    return ctx.t("sh.yes") if on else ctx.t("sh.no")


def _describe(ctx: Ctx, s: dict[str, Any]) -> str:
    skus = "、".join(s["skus"]) if s["skus"] else ctx.t("sh.all")
    return ctx.t("sh.state", maker=_yes(ctx, s["with_maker"]), region=_yes(ctx, s["with_region"]),
                 network=_yes(ctx, s["with_network"]), name=_yes(ctx, s["show_name"]), skus=skus)


def _as_dict(s: StockSharing) -> dict[str, Any]:
    return {"with_maker": s.with_maker, "with_region": s.with_region, "with_network": s.with_network,
            "show_name": s.show_name, "skus": list(s.skus)}


async def _current(ctx: Ctx) -> dict[str, Any]:
    assert ctx.actor.dealer_id is not None
    return _as_dict(await get_sharing(ctx.uow(), ctx.actor, ctx.actor.dealer_id))


@router.command("share")
@router.button("sh.menu")
async def sharing_menu(ctx: Ctx) -> list[Reply]:
    if (denied := require_bound(ctx)) is not None:
        return denied
    if not _is_stock_dealer(ctx):
        return [Reply(text=ctx.t("sh.dealers_only"))]
    current = await _current(ctx)
    name_button = ("name_off", "sh.btn.name_off") if current["show_name"] else ("name_on", "sh.btn.name_on")
    return [Reply(text="\n".join([ctx.t("sh.title"), _describe(ctx, current), ctx.t("sh.note")]),
                  buttons=[[Button(ctx.t("sh.btn.region"), payload("sh.set", "region")),
                            Button(ctx.t("sh.btn.network"), payload("sh.set", "network"))],
                           [Button(ctx.t(name_button[1]), payload("sh.set", name_button[0])),
                            Button(ctx.t("sh.btn.off"), payload("sh.set", "off"))]])]


async def _share_words(ctx: Ctx, said: TransferText) -> list[Reply]:
    if not _is_stock_dealer(ctx):
        return [Reply(text=ctx.t("sh.dealers_only"))]
    wish: ShareWish = said.share
    if wish.show:
        return await sharing_menu(ctx)
    current = await _current(ctx)
    if wish.off and not (current_shares(current) or current["with_maker"]):
        return [Reply(text=ctx.t("sh.nothing_shared"))]
    if wish.off:
        wanted = {**current, "with_region": False, "with_network": False, "with_maker": False}
    else:
        wanted = {**current, "with_region": current["with_region"] or wish.region,
                  "with_network": current["with_network"] or wish.network,
                  "with_maker": current["with_maker"] or wish.maker}
        sku = await _product(ctx, said.product_text)
        if sku is not None:
            wanted["skus"] = sorted({*current["skus"], sku}) if current["skus"] or not current_shares(current) \
                else []
        if wish.show_name is not None:
            wanted["show_name"] = wish.show_name
    return _ask_share(ctx, wanted)


def current_shares(current: dict[str, Any]) -> bool:
    return bool(current["with_region"] or current["with_network"])


@router.button("sh.set")
async def share_button(ctx: Ctx) -> list[Reply]:
    if (denied := require_bound(ctx)) is not None:
        return denied
    if not _is_stock_dealer(ctx):
        return [Reply(text=ctx.t("sh.dealers_only"))]
    what = ctx.args[0] if ctx.args else ""
    current = await _current(ctx)
    wanted = dict(current)
    if what == "region":
        wanted.update(with_region=True, with_maker=True)
    elif what == "network":
        wanted.update(with_network=True, with_maker=True)
    elif what in ("name_on", "name_off"):
        wanted["show_name"] = what == "name_on"
    elif what == "off":
        wanted.update(with_region=False, with_network=False, with_maker=False)
    elif what == "sku" and len(ctx.args) > 1:
        wanted.update(with_region=True, with_maker=True)
        if current["skus"] or not current_shares(current):
            wanted["skus"] = sorted({*current["skus"], ctx.args[1]})
    else:
        return [Reply(text=ctx.t("tr.stale"))]
    return _ask_share(ctx, wanted)


def _ask_share(ctx: Ctx, wanted: dict[str, Any]) -> list[Reply]:
    token = secrets.token_hex(6)
    ctx.go("sh.confirm", token=token, wanted=wanted)
    return [Reply(text="\n".join([ctx.t("sh.ask"), _describe(ctx, wanted), ctx.t("sh.note")]),
                  buttons=[[Button(ctx.t("sh.btn.confirm"), payload("sh.ok", token)),
                            Button(ctx.t("tr.btn.cancel_form"), payload("tr.drop"))]])]


@router.button("sh.ok")
async def share_confirmed(ctx: Ctx) -> list[Reply]:
    if (denied := require_bound(ctx)) is not None:
        return denied
    token = ctx.args[0] if ctx.args else ""
    data = ctx.dialog.data
    if token and data.get("done_token") == token:
        return [Reply(text=ctx.t("sh.done"))]
    if ctx.dialog.state != "sh.confirm" or not token or data.get("token") != token or not _is_stock_dealer(ctx):
        return [Reply(text=ctx.t("tr.stale"))]
    w = data["wanted"]
    assert ctx.actor.dealer_id is not None
    saved = await set_sharing(ctx.uow(), ctx.actor, SetSharing(
        ctx.actor.dealer_id, bool(w["with_maker"]), bool(w["with_region"]), bool(w["with_network"]),
        bool(w["show_name"]), [str(s) for s in w["skus"]]), ctx.deps.clock)
    ctx.go("", done_token=token)
    return [Reply(text="\n".join([ctx.t("sh.done"), _describe(ctx, _as_dict(saved))]),
                  buttons=[[Button(ctx.t("tr.btn.list"), payload("tr.list")),
                            Button(ctx.t("sh.title").rstrip("：:"), payload("sh.menu"))]])]
