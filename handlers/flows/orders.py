"""My orders: the recent list, one order's detail and timeline, cancel, confirm receipt.

Buttons: ``orders.list``, ``orders.detail|<number>``, ``orders.cancel|<number>`` (asks first),
``orders.cancel_ok|<number>|<version>``, ``orders.recv_ok|<number>`` (all received),
``orders.recv_issue|<number>`` and ``orders.recv|…`` (short or damaged: handlers.flows.receipt_claims).
Reorder buttons go to the ordering flow (``order.reorder|<number>``), after-sales to ``as.new|<number>``,
staff decisions to the staff flow (``staff.order.approve`` / ``staff.order.reject`` / ``staff.alloc`` /
``staff.ship``).

An after-sales or quality number asked about as an order ("QF-20261204-0001" typed alone) is answered by the
follow-up flow (``handlers.flows.followups.by_number``), not with "order not found".

Every order is read through ``get_order`` / ``list_orders``: another dealer's number answers
"not found", exactly like a number that does not exist. Buttons shown come from
``allowed_actions`` for the actor, and the use cases check again when pressed. The cancel
confirmation carries the order version it was shown for, so a cancel pressed after the order moved
on is refused (Conflict) instead of cancelling something the user did not see.
"""

from __future__ import annotations

from datetime import datetime, time

from core import order_states
from core.money import fmt_cny
from core.notes import note_text
from core.order_states import (
    CREDIT_SHORTFALL,
    OrderAction,
    approval_reason_text,
    order_status_label,
    status_label,
)
from core.orders import ORDER_STATUS_LABELS, Order, OrderStatus
from core.services.followups import follow_up_kind
from core.services.order_changes import changeable
from core.services.order_counts import WaitingStep, order_counts, waiting_orders
from core.services.orders import (
    CancelOrder,
    ConfirmReceipt,
    allowed_actions,
    cancel_order,
    confirm_receipt,
    get_order,
    list_orders,
    order_approval_cover,
)
from core.users import Permission
from handlers import i18n
from handlers.context import Ctx
from handlers.flows import followups, forms
from handlers.flows.cart import decision_row, order_benefit_lines
from handlers.flows.finance import offset_arg, pager_row
from handlers.flows.menu import require_bound
from handlers.messages import Answer, Button, InboundKind, Reply
from handlers.router import Router, payload, shown_payloads
from nlu.order_words import receipt_said
from nlu.receipt_words import all_received_said
from nlu.replies import is_confirmation
from nlu.schema import Intent, Slots

router = Router(name=__name__)

RECENT = 10
REFERENCE_SCAN = 200      # orders looked through for "前天那单", "尾号0012的单"

i18n.register({
    "orders.none": ("您还没有订单。", "You have no orders yet."),
    "orders.counts": ("📊 {period}：下单 {placed} 笔，金额 {amount}{statuses}；发货 {shipped} 笔。",
                      "📊 {period}: {placed} orders placed, {amount}{statuses}; {shipped} shipped."),
    "orders.counts_decided": ("📊 {period}：审了 {n} 单（通过 {approved} · 驳回 {rejected}）。",
                              "📊 {period}: {n} orders decided ({approved} approved, {rejected} rejected)."),
    "orders.waiting.approval": ("⏳ 现在待审批 {n} 单，金额 {amount}。", "⏳ {n} orders wait for approval now, {amount}."),
    "orders.waiting.allocation": ("📦 现在待配货 {n} 单，金额 {amount}{statuses}。",
                                  "📦 {n} orders wait for allocation now, {amount}{statuses}."),
    "orders.waiting.shipment": ("🚚 现在已审核未发货 {n} 单，金额 {amount}{statuses}。",
                                "🚚 {n} orders are approved and not shipped yet, {amount}{statuses}."),
    "orders.no_match": ("没有找到符合的订单（按下单日期、单号尾号、产品查找）。", "No order fits that (by the day it "
                        "was placed, the end of its number, the product)."),
    "orders.several": ("有 {n} 笔订单符合，请选择：", "{n} orders fit; choose one:"),
    "orders.recent": ("最近的订单（点订单号查看详情）：", "Recent orders (tap one for details):"),
    "orders.of_dealer": ("【{dealer}】", "[{dealer}] "),
    "orders.no_dealer": ("没有找到经销商“{text}”。请输入经销商编码（如 /orders D0008）或名称中的几个字。",
                         "No dealer matches \"{text}\". Type its code (e.g. /orders D0008) or part of its name."),
    "orders.which_dealer": ("“{text}”对应多家经销商，请选择：", "\"{text}\" fits several dealers; choose one:"),
    "orders.recent_page": ("订单第 {first}–{last} 条，从新到旧（点订单号查看详情）：",
                           "Orders {first}–{last}, newest first (tap one for details):"),
    "orders.row": ("{number} · {day} · {status} · {total}", "{number} · {day} · {status} · {total}"),
    "orders.none_to_receive": ("没有待收货的订单（已发货的订单才能确认收货）。",
                               "No order is waiting for its receipt (an order can be received once shipped)."),
    "orders.to_receive": ("这一单已发货，收到了请确认：", "This order was shipped; confirm it when it is in:"),
    "orders.recv_confirm": ("确认订单 {number}（{total}）的货已全部收到、没有破损吗？",
                            "Did all of order {number} ({total}) come in, undamaged?"),
    "orders.pick_receive": ("哪一单到了？", "Which order came in?"),
    "orders.latest": ("您最近的一笔订单：", "Your latest order:"),
    "orders.latest_shipped": ("最近发货的订单：", "Your latest shipped order:"),
    "orders.not_shipped": ("最近一笔 {number} 还没有发货（{status}），发货后会通知您物流单号。",
                           "Your latest order {number} has not shipped yet ({status}); you will get its waybill when it does."),
    "orders.on_the_way": ("已发货、还没确认收货的订单（{n} 笔）：", "Shipped, not yet received ({n}):"),
    "orders.way_line": ("· {number} 物流：{carrier} {tracking}", "· {number} shipping: {carrier} {tracking}"),
    "orders.none_shipped": ("最近没有已发货的订单。", "No order of yours has shipped lately."),
    "orders.title": ("📦 订单 {number}", "📦 Order {number}"),
    "orders.dealer": ("经销商：{dealer}", "Dealer: {dealer}"),
    "orders.status": ("状态：{status}", "Status: {status}"),
    "orders.placed": ("下单时间：{at}", "Placed: {at}"),
    "orders.on_behalf": ("（代客下单）", "(placed on your behalf)"),
    "orders.delivery": ("要求交货：{date}", "Requested delivery: {date}"),
    "orders.note": ("备注：{note}", "Note: {note}"),
    "orders.line": ("{n}. {name}（{sku}）× {qty}　{amount}", "{n}. {name} ({sku}) x {qty}  {amount}"),
    "orders.line_free": ("   另赠 {free}（价值 {value}，不收费）", "   plus {free} free (worth {value}, not charged)"),
    "orders.total": ("合计：{total}", "Total: {total}"),
    "orders.shipping": ("物流：{carrier} {tracking}", "Shipping: {carrier} {tracking}"),
    "orders.rejected": ("驳回原因：{reason}", "Rejected: {reason}"),
    "orders.approval": ("⚠️ {reasons}", "⚠️ {reasons}"),
    "orders.timeline": ("进度：", "Timeline:"),
    "orders.btn.cancel": ("❌ 取消订单", "❌ Cancel order"),
    "orders.btn.change": ("✏️ 修改订单（审核前）", "✏️ Change the order (before review)"),
    "orders.btn.recv_ok": ("✅ 全部收到", "✅ All received"),
    "orders.btn.recv_issue": ("⚠️ 部分收到或有破损", "⚠️ Partly received or damaged"),
    "orders.btn.reorder": ("🔁 再来一单", "🔁 Order again"),
    "orders.btn.list": ("⬅️ 订单列表", "⬅️ Orders"),
    "orders.btn.allocate": ("🏭 配货", "🏭 Allocate"),
    "orders.btn.ship": ("🚚 发货", "🚚 Ship"),
    "orders.btn.order": ("🛒 去下单", "🛒 Place an order"),
    "orders.btn.cancel_yes": ("确认取消", "Yes, cancel it"),
    "orders.btn.cancel_no": ("不取消", "No, keep it"),
    "orders.btn.partial": ("📦 少货 / 部分收到", "📦 Items missing"),
    "orders.btn.damaged": ("💥 有破损", "💥 Damaged"),
    "orders.btn.both": ("少货且有破损", "Missing and damaged"),
    "orders.btn.back": ("⬅️ 返回", "⬅️ Back"),
    "orders.btn.aftersales": ("🛠 申请售后", "🛠 Open an after-sales ticket"),
    "orders.btn.detail": ("📄 查看订单", "📄 View order"),
    "orders.cancel_ask": ("确认取消订单 {number}（{total}）吗？取消后已扣款项将退回。",
                          "Cancel order {number} ({total})? Anything charged is refunded."),
    "orders.cancel_done": ("订单 {number} 已取消，已扣款项已退回。", "Order {number} is cancelled; charges are refunded."),
    "orders.cancel_reason": ("聊天中取消", "cancelled in chat"),
    "orders.kept": ("好的，订单 {number} 不取消，保持原状。", "OK, order {number} is not cancelled; it stays as it is."),
    "orders.kept_none": ("好的，没有取消任何订单。", "OK, no order is cancelled."),
    "orders.none_cancellable": ("没有可以取消的订单（已配货或已发货的订单不能自行取消）。",
                                "No order can be cancelled (allocated or shipped orders cannot be cancelled here)."),
    "orders.pick_cancel": ("请选择要取消的订单：", "Which order do you want to cancel?"),
    "orders.recv_done": ("已确认收货：{number}。谢谢！", "Receipt confirmed: {number}. Thank you!"),
    "orders.recv_ask": ("订单 {number} 收货有什么问题？", "What went wrong with order {number}?"),
    "orders.recv_noted": ("已确认收货并记录：{flags}。如需补发或维修，可以申请售后：",
                          "Receipt confirmed and noted: {flags}. For replacement or repair, open an "
                          "after-sales ticket:"),
    "orders.exceptions": ("收货异常：{note}", "Delivery problem: {note}"),
    "orders.flag_partial": ("部分收货", "partly received"),
    "orders.flag_damaged": ("有破损", "damaged"),
})


def _local(ctx: Ctx, order: Order) -> str:
    if order.created_at is None:
        return ""
    return order.created_at.astimezone(ctx.deps.clock.tz).strftime("%Y-%m-%d %H:%M")


# --- list -------------------------------------------------------------------------------------------

@router.command("orders")
@router.button("orders.list")
async def order_list(ctx: Ctx) -> list[Reply]:
    """The latest orders, ``RECENT`` per screen, with 上一页 / 下一页 (a typed 下一页 works too) further back."""
    if (denied := require_bound(ctx)) is not None:
        return denied
    offset = offset_arg(ctx)
    dealer_id: int | None = None
    words = (ctx.inbound.args or "").strip() if ctx.inbound.kind == InboundKind.COMMAND else ""
    if ctx.is_staff and words:            # "/orders 嘉禾": that dealer's orders
        found = await forms.dealers_by_words(ctx, words)
        if not found:
            return [Reply(text=ctx.t("orders.no_dealer", text=words[:20]))]
        if len(found) > 1:
            return [Reply(text=ctx.t("orders.which_dealer", text=words[:20]),
                          buttons=[[Button(f"{d.code} {d.name}"[:30], payload("orders.list", 0, d.id or 0))]
                                   for d in found[:6]])]
        dealer_id = found[0].id
    elif ctx.is_staff and len(ctx.args) > 1 and ctx.args[1].isdigit() and 0 < int(ctx.args[1]) < 10**12:
        dealer_id = int(ctx.args[1])
    # one more than a screen tells whether there is a next one without counting them all
    orders = await _recent(ctx, offset=offset, limit=RECENT + 1, dealer_id=dealer_id)
    if not orders and offset:
        offset, orders = 0, await _recent(ctx, limit=RECENT + 1, dealer_id=dealer_id)
    if not orders:
        rows = [[Button(ctx.t("orders.btn.order"), payload("order.new"))]] if ctx.is_dealer else []
        return [Reply(text=ctx.t("orders.none"), buttons=rows)]
    shown = orders[:RECENT]
    codes = await _dealer_codes(ctx, shown) if ctx.is_staff else {}
    lines = [ctx.t("orders.recent")]
    if offset or len(orders) > RECENT:
        lines[0] = ctx.t("orders.recent_page", first=offset + 1, last=offset + len(shown))
    if dealer_id is not None:
        lines[0] = ctx.t("orders.of_dealer", dealer=codes.get(dealer_id, "")) + lines[0]
    rows = []
    for order in shown:
        status = order_status_label(order, ctx.lang)
        day = order.created_at.astimezone(ctx.deps.clock.tz).strftime("%m-%d") if order.created_at else ""
        prefix = f"{codes[order.dealer_id]} " if order.dealer_id in codes else ""
        lines.append(prefix + ctx.t("orders.row", number=order.number, day=day, status=status,
                                    total=fmt_cny(order.total)))
        rows.append([Button(f"{order.number} · {status}", payload("orders.detail", order.number))])
    if dealer_id is None:
        pager = pager_row(ctx, "orders.list", offset, offset + len(orders), size=RECENT)
    else:       # the dealer's filter goes with each page
        pager = []
        if offset > 0:
            pager.append(Button(ctx.t("page.prev"), payload("orders.list", max(0, offset - RECENT), dealer_id)))
        if len(orders) > RECENT:
            pager.append(Button(ctx.t("page.next"), payload("orders.list", offset + RECENT, dealer_id)))
    if pager:
        rows.append(pager)
    return [Reply(text="\n".join(lines), buttons=rows)]


async def _recent(ctx: Ctx, *, offset: int = 0, limit: int = RECENT, dealer_id: int | None = None) -> list[Order]:
    """The actor's latest orders from ``offset`` (of one dealer), newest first; the number breaks ties within one
    second."""
    orders = await list_orders(ctx.uow().autocommit(), ctx.actor, limit=limit, offset=offset, dealer_id=dealer_id)
    return sorted(orders, key=lambda o: (o.created_at is not None, o.created_at, o.number), reverse=True)


async def _referenced(ctx: Ctx, *, cancel: bool = False) -> list[Reply] | None:
    """"前天那单", "尾号0012的单", "11月初下的那单", "AP300那单": the dealer's orders that fit what the message
    says (placed when, number ending, product); None when the message names none of these."""
    slots = ctx.parsed.slots if ctx.parsed else None
    if slots is None or not (slots.order_suffix or slots.placed_from or slots.product):
        return None
    found = await orders_referred(ctx, slots)
    if len(found) == 1:
        if cancel:
            return await _ask_cancel(ctx, found[0].number)
        return await order_detail(ctx, found[0].number)
    if not found:
        return [Reply(text=ctx.t("orders.no_match"), buttons=[[Button(ctx.t("orders.btn.list"),
                                                                      payload("orders.list"))]])]
    action = "orders.cancel" if cancel else "orders.detail"
    rows = [[Button(f"{o.number} · {status_label(o.status, ctx.lang)} · {fmt_cny(o.total)}", payload(action, o.number))]
            for o in found[:8]]
    return [Reply(text=ctx.t("orders.several", n=len(found)), buttons=rows)]


async def orders_referred(ctx: Ctx, slots: Slots) -> list[Order]:
    """The orders the actor may read that fit what a message says of one (placed when, number ending, product),
    newest first; shared by "前天那单到哪了", "取消尾号0012的单" and "上个月那单再来一遍"."""
    since = None
    if slots.placed_from is not None:
        since = datetime.combine(slots.placed_from, time.min, ctx.deps.clock.tz)
    orders = await list_orders(ctx.uow(), ctx.actor, since=since, limit=REFERENCE_SCAN)
    tz = ctx.deps.clock.tz

    def fits(o: Order) -> bool:
        placed = o.created_at.astimezone(tz).date() if o.created_at else None
        return ((not slots.order_suffix or o.number.endswith(slots.order_suffix))
                and (slots.placed_from is None or (placed is not None and slots.placed_from <= placed
                                                   <= (slots.placed_to or slots.placed_from)))
                and (not slots.product or any(line.sku == slots.product for line in o.lines)))

    return sorted((o for o in orders if fits(o)), key=lambda o: (o.created_at is not None, o.created_at, o.number),
                  reverse=True)


async def _dealer_codes(ctx: Ctx, orders: list[Order]) -> dict[int, str]:
    async with ctx.uow() as uow:
        dealers = await uow.dealers.list(id__in=sorted({o.dealer_id for o in orders}))
    return {d.id: d.code for d in dealers if d.id is not None}


# --- detail -----------------------------------------------------------------------------------------

@router.button("orders.detail")
async def detail(ctx: Ctx) -> list[Reply]:
    if (denied := require_bound(ctx)) is not None:
        return denied
    return await order_detail(ctx, ctx.args[0] if ctx.args else "")


async def order_detail(ctx: Ctx, number: str, lead: list[str] | None = None) -> list[Reply]:
    """One order as the actor may see it, with the buttons for what the actor may do next."""
    order = await get_order(ctx.uow(), ctx.actor, number.strip().upper())
    out = [*(lead or []), ctx.t("orders.title", number=order.number)]
    if ctx.is_staff:
        async with ctx.uow() as uow:
            dealer = await uow.dealers.get(order.dealer_id)
        if dealer is not None:
            out.append(ctx.t("orders.dealer", dealer=f"{dealer.code} {dealer.name}"))
    out.append(ctx.t("orders.status", status=order_status_label(order, ctx.lang)))
    if order.receipt_exceptions:        # "部分收货；有破损；WP600 少货 ×2；…": what the receipt said was wrong
        out.append(ctx.t("orders.exceptions", note=note_text(order.receipt_exceptions, ctx.lang)))
    out.append(ctx.t("orders.placed", at=_local(ctx, order)) + (ctx.t("orders.on_behalf") if order.on_behalf else ""))
    if order.requested_delivery:
        out.append(ctx.t("orders.delivery", date=order.requested_delivery.isoformat()))
    if order.note:
        out.append(ctx.t("orders.note", note=order.note))
    for n, line in enumerate(order.lines, 1):
        out.append(ctx.t("orders.line", n=n, name=line.name, sku=line.sku, qty=line.qty, amount=fmt_cny(line.amount)))
        if line.free_qty:
            out.append(ctx.t("orders.line_free", free=line.free_qty, value=fmt_cny(line.unit_price * line.free_qty)))
    out.extend(await order_benefit_lines(ctx, order.lines))
    out.append(ctx.t("orders.total", total=fmt_cny(order.total)))
    reasons = list(order.approval_reasons) if order.status == OrderStatus.SUBMITTED else []
    if CREDIT_SHORTFALL in reasons and (await order_approval_cover(ctx.uow(), ctx.actor, order.number,
                                                                   ctx.deps.clock)).covered:
        reasons.remove(CREDIT_SHORTFALL)    # paid by funds since it was submitted (QA s27 #20): no longer said
    if reasons:
        out.append(ctx.t("orders.approval", reasons="；".join(approval_reason_text(r, ctx.lang) for r in reasons)))
    if order.carrier or order.tracking_no:
        out.append(ctx.t("orders.shipping", carrier=order.carrier or "", tracking=order.tracking_no or ""))
    if order.status == OrderStatus.REJECTED and order.reject_reason:
        out.append(ctx.t("orders.rejected", reason=order.reject_reason))
    out.append(ctx.t("orders.timeline"))
    for event in order.events:
        at = event.at.astimezone(ctx.deps.clock.tz).strftime("%m-%d %H:%M")
        note = f"（{note_text(event.note, ctx.lang)}）" if event.note and ctx.is_staff else ""
        out.append(f"· {at} {status_label(event.status, ctx.lang)}{note}")
    return [Reply(text="\n".join(out), buttons=_detail_buttons(ctx, order))]


def _detail_buttons(ctx: Ctx, order: Order) -> list[list[Button]]:
    actions = allowed_actions(order, ctx.actor)
    rows: list[list[Button]] = []
    if ctx.is_staff and OrderAction.APPROVE.value in actions:
        rows.append(decision_row(ctx, order.number, order.version))
    if ctx.is_staff and OrderAction.ALLOCATE.value in actions:
        rows.append([Button(ctx.t("orders.btn.allocate"), payload("staff.alloc", order.number))])
    if ctx.is_staff and OrderAction.SHIP.value in actions:
        rows.append([Button(ctx.t("orders.btn.ship"), payload("staff.ship", order.number))])
    if OrderAction.RECEIVE.value in actions:
        rows.append([Button(ctx.t("orders.btn.recv_ok"), payload("orders.recv_ok", order.number))])
        rows.append([Button(ctx.t("orders.btn.recv_issue"), payload("orders.recv_issue", order.number))])
    perms = ctx.actor.permissions
    if ctx.is_dealer and Permission.ORDER_PLACE_OWN in perms and changeable(order) and (
            order.dealer_id == ctx.actor.dealer_id or order.placed_by_dealer(ctx.actor.dealer_id)):   # a parent's 代客下单
        rows.append([Button(ctx.t("orders.btn.change"), payload("orders.change", order.number))])
    if OrderAction.CANCEL.value in actions:
        rows.append([Button(ctx.t("orders.btn.cancel"), payload("orders.cancel", order.number))])
    if (ctx.is_dealer and Permission.ORDER_PLACE_OWN in perms) or (
            ctx.is_staff and Permission.ORDER_PLACE_ON_BEHALF in perms):
        rows.append([Button(ctx.t("orders.btn.reorder"), payload("order.reorder", order.number))])
    rows.append([Button(ctx.t("orders.btn.list"), payload("orders.list"))])
    return rows


@router.intent(Intent.ORDER_STATUS)
async def status_intent(ctx: Ctx) -> list[Reply]:
    """"上次那单到哪了": the latest order; with an order number, that order."""
    if (denied := require_bound(ctx)) is not None:
        return denied
    number = ctx.parsed.slots.order_no if ctx.parsed else None
    if number and follow_up_kind(number) is not None:     # AS-/QF-: a ticket or quality report, not an order
        return await followups.by_number(ctx, number)
    if ctx.parsed is not None and ctx.parsed.slots.topic == "received" and ctx.is_dealer:
        return await _arrived(ctx)
    if number and ctx.is_dealer and receipt_said(ctx.inbound.text):
        return await _ask_receipt(ctx, number)            # "SO-… 全部收到": asked once, as the card's ✅ does
    if number:
        return await order_detail(ctx, number)
    if ctx.parsed is not None and ctx.parsed.slots.topic == "count":
        return await order_counts_reply(ctx)
    meant = await _referenced(ctx)
    if meant is not None:
        return meant
    if ctx.is_staff:
        return await order_list(ctx)
    recent = await _recent(ctx)
    if ctx.parsed is not None and ctx.parsed.slots.topic == "shipping" and recent:
        return await _waybills(ctx, recent)
    if not recent:
        return [Reply(text=ctx.t("orders.none"), buttons=[[Button(ctx.t("orders.btn.order"), payload("order.new"))]])]
    return await order_detail(ctx, recent[0].number, [ctx.t("orders.latest")])


async def order_counts_reply(ctx: Ctx) -> list[Reply]:
    """"今天一共发了几单货", "这周下了多少单": the orders placed in those days by status, and those shipped then
    (today when no day is said), of what the actor may read."""
    slots = ctx.parsed.slots if ctx.parsed else None
    counted = (slots.counted if slots is not None else None) or ""
    if counted.startswith("waiting_") and counted.removeprefix("waiting_") in {s.value for s in WaitingStep}:
        return await waiting_reply(ctx, WaitingStep(counted.removeprefix("waiting_")))
    today = ctx.deps.clock.now().astimezone(ctx.deps.clock.tz).date()
    start = slots.placed_from if slots is not None and slots.placed_from else today
    end = slots.placed_to if slots is not None and slots.placed_to else start
    counts = await order_counts(ctx.uow().autocommit(), ctx.actor, ctx.deps.clock, start, end)
    period = forms.days_label(ctx, start, end)
    if counted == "decided":        # "这周审了多少单": the decisions taken in those days
        text = ctx.t("orders.counts_decided", period=period, n=counts.approved + counts.rejected,
                     approved=counts.approved, rejected=counts.rejected)
    else:
        text = ctx.t("orders.counts", period=period, placed=counts.placed, amount=fmt_cny(counts.placed_amount),
                     statuses=_by_status(ctx, counts.by_status), shipped=counts.shipped)
    return [Reply(text=text, buttons=[[Button(ctx.t("orders.btn.list"), payload("orders.list"))]])]


def _by_status(ctx: Ctx, by_status: dict[OrderStatus, int]) -> str:
    """"（已配货 4 · 已提交 3）", the most first; nothing for no orders."""
    if not by_status:
        return ""
    inner = " · ".join(f"{status_label(s, ctx.lang)} {n}" for s, n in sorted(by_status.items(), key=lambda kv: -kv[1]))
    return f" ({inner})" if ctx.en else f"（{inner}）"


async def waiting_reply(ctx: Ctx, step: WaitingStep) -> list[Reply]:
    """"待发货有几单": how many orders wait now at that step, by status, with their amount."""
    waiting = await waiting_orders(ctx.uow().autocommit(), ctx.actor, step)
    text = ctx.t(f"orders.waiting.{step.value}", n=waiting.total, amount=fmt_cny(waiting.amount),
                 statuses=_by_status(ctx, waiting.by_status))
    return [Reply(text=text, buttons=[[Button(ctx.t("orders.btn.list"), payload("orders.list"))]])]


_ON_THE_WAY = frozenset({OrderStatus.SHIPPED, OrderStatus.RECEIVED, OrderStatus.CLOSED})


async def _waybills(ctx: Ctx, recent: list[Order]) -> list[Reply]:
    """"物流单号多少": the latest shipped order with its carrier and waybill (a later order not shipped yet said
    first, with its status), else that nothing has shipped lately."""
    shipped = [o for o in recent if o.status in _ON_THE_WAY]
    waiting = [o for o in recent if o.status not in _ON_THE_WAY and o.status not in (OrderStatus.REJECTED,
                                                                                       OrderStatus.CANCELLED)]
    head = []
    if waiting and (not shipped or waiting[0].created_at and shipped[0].created_at
                    and waiting[0].created_at > shipped[0].created_at):
        head.append(ctx.t("orders.not_shipped", number=waiting[0].number,
                          status=ctx.pick(*ORDER_STATUS_LABELS[waiting[0].status])))
    if not shipped:
        return [Reply(text="\n".join(head + [ctx.t("orders.none_shipped")]),
                      buttons=[[Button(ctx.t("orders.btn.list"), payload("orders.list"))]])]
    on_the_way = [o for o in shipped if o.status == OrderStatus.SHIPPED]
    if len(on_the_way) > 1:            # several on the way ("我有哪些单子发货了还没到"): each with its waybill
        lines = [*head, ctx.t("orders.on_the_way", n=len(on_the_way))]
        lines += [ctx.t("orders.way_line", number=o.number, carrier=o.carrier or "", tracking=o.tracking_no or "-")
                  for o in on_the_way]
        return [Reply(text="\n".join(lines), buttons=[[Button(f"📄 {o.number}", payload("orders.detail", o.number))]
                                                       for o in on_the_way[:5]])]
    return await order_detail(ctx, shipped[0].number, [*head, ctx.t("orders.latest_shipped")])


#: the dialog's key for the order whose receipt was asked last in words: what "确认" typed next answers
RECEIPT_ASKED = "receipt_asked"


async def _arrived(ctx: Ctx) -> list[Reply]:
    """"确认收货", "货到了，确认一下": the receipt of the order meant, asked once with the receipt buttons (the card's
    own, so typed or tapped it is the same step and the same audit). The order meant: the one named ("确认收货
    SO-…", "0004那单到了"), else the one whose card is on screen, else the one shipped order waiting (shown whole);
    several waiting: which one. Not the latest order, which may be one placed since."""
    slots = ctx.parsed.slots if ctx.parsed else None
    if slots is not None and slots.order_no:
        return await _ask_receipt(ctx, slots.order_no)
    if slots is not None and (slots.order_suffix or slots.placed_from or slots.product):
        found = [o for o in await orders_referred(ctx, slots)
                 if OrderAction.RECEIVE.value in allowed_actions(o, ctx.actor)]
        if len(found) == 1:
            return await _ask_receipt(ctx, found[0].number)
    on_screen = {args[0] for action, args in shown_payloads(ctx.dialog.data) if action == "orders.recv_ok" and args}
    if len(on_screen) == 1:
        return await _ask_receipt(ctx, on_screen.pop())
    waiting = [o for o in await _recent(ctx) if OrderAction.RECEIVE.value in allowed_actions(o, ctx.actor)]
    if not waiting:
        return [Reply(text=ctx.t("orders.none_to_receive"), buttons=[[Button(ctx.t("orders.btn.list"),
                                                                              payload("orders.list"))]])]
    if len(waiting) == 1:        # the card whole, its lead asking for the receipt: "确认" typed next answers it
        ctx.dialog.data[RECEIPT_ASKED] = waiting[0].number
        return await order_detail(ctx, waiting[0].number, [ctx.t("orders.to_receive")])
    return [Reply(text=ctx.t("orders.pick_receive"),
                  buttons=[[Button(f"{o.number} · {fmt_cny(o.total)}", payload("orders.detail", o.number))]
                           for o in waiting])]


@router.text_hook
async def receipt_answered(ctx: Ctx) -> list[Reply] | None:
    """"确认", "是的", "全部收到", "货齐了" typed under the receipt question (``_ask_receipt``), while it is the screen
    shown: ✅ 全部收到 pressed; "全部收到", "都收到了", "收到了没问题" (all of it, nothing wrong: the button's own words)
    under an order's card with that one button: pressed too. None: not that answer, or another screen since."""
    if not ctx.is_dealer or ctx.dialog.state:
        return None
    text = ctx.inbound.text
    all_came = all_received_said(text)
    if not all_came and not is_confirmation(text):
        return None
    on_screen = {args[0] for action, args in shown_payloads(ctx.dialog.data) if action == "orders.recv_ok" and args}
    asked = ctx.dialog.data.get(RECEIPT_ASKED)
    if not isinstance(asked, str) or asked not in on_screen:
        if all_came and not on_screen:      # "货齐了" with no receipt on screen: which order, asked as "货到了" is
            return await _arrived(ctx)
        if not all_came or len(on_screen) != 1:
            return None
        asked = on_screen.pop()
    ctx.args = [asked]
    return await received_all(ctx)


async def _ask_receipt(ctx: Ctx, number: str) -> list[Reply]:
    """Whether all of ``number`` came in, with the card's receipt buttons; says why not when it cannot be
    received (not shipped yet, received already)."""
    order = await get_order(ctx.uow(), ctx.actor, number.strip().upper())
    order_states.check(order, ctx.actor, OrderAction.RECEIVE)
    n = order.number
    ctx.dialog.data[RECEIPT_ASKED] = n        # "确认" typed next answers this question
    return [Reply(text=ctx.t("orders.recv_confirm", number=n, total=fmt_cny(order.total)),
                  buttons=[[Button(ctx.t("orders.btn.recv_ok"), payload("orders.recv_ok", n))],
                           [Button(ctx.t("orders.btn.recv_issue"), payload("orders.recv_issue", n))],
                           [Button(ctx.t("orders.btn.detail"), payload("orders.detail", n))]])]


# --- cancel -----------------------------------------------------------------------------------------

#: the dialog's key for the order whose cancel was asked last (idle chat only): what "不取消" answers
CANCEL_ASKED = "cancel_asked"


@router.intent(Intent.CANCEL_ORDER)
async def cancel_intent(ctx: Ctx) -> list[Reply]:
    if (denied := require_bound(ctx)) is not None:
        return denied
    number = ctx.parsed.slots.order_no if ctx.parsed else None
    if ctx.parsed is not None and ctx.parsed.slots.topic == "keep":
        # "不取消", "先不取消了": no cancel offered; the cancel asked last (if any) is answered no
        asked = ctx.dialog.data.pop(CANCEL_ASKED, None) if not ctx.dialog.state else None
        kept = number or (asked if isinstance(asked, str) else None)
        if kept:
            return [Reply(text=ctx.t("orders.kept", number=kept),
                          buttons=[[Button(ctx.t("orders.btn.detail"), payload("orders.detail", kept))]])]
        return [Reply(text=ctx.t("orders.kept_none"))]
    if number:
        return await _ask_cancel(ctx, number)
    meant = await _referenced(ctx, cancel=True)
    if meant is not None:
        return meant
    recent = await _recent(ctx)
    cancellable = [o for o in recent if OrderAction.CANCEL.value in allowed_actions(o, ctx.actor)]
    if not cancellable:
        return [Reply(text=ctx.t("orders.none_cancellable"))]
    if len(cancellable) == 1:
        return await _ask_cancel(ctx, cancellable[0].number)
    return [Reply(text=ctx.t("orders.pick_cancel"),
                  buttons=[[Button(f"{o.number} · {fmt_cny(o.total)}", payload("orders.cancel", o.number), Answer.PICK)]
                           for o in cancellable])]


@router.button("orders.cancel")
async def ask_cancel(ctx: Ctx) -> list[Reply]:
    if (denied := require_bound(ctx)) is not None:
        return denied
    return await _ask_cancel(ctx, ctx.args[0] if ctx.args else "")


async def _ask_cancel(ctx: Ctx, number: str) -> list[Reply]:
    order = await get_order(ctx.uow(), ctx.actor, number.strip().upper())
    order_states.check(order, ctx.actor, OrderAction.CANCEL)   # says why not, before asking
    if not ctx.dialog.state:        # "不取消" typed next answers this question (a form's data is left alone)
        ctx.dialog.data[CANCEL_ASKED] = order.number
    return [Reply(text=ctx.t("orders.cancel_ask", number=order.number, total=fmt_cny(order.total)),
                  buttons=[[Button(ctx.t("orders.btn.cancel_yes"),
                                   payload("orders.cancel_ok", order.number, order.version), Answer.YES),
                            Button(ctx.t("orders.btn.cancel_no"), payload("orders.detail", order.number))]])]


@router.button("orders.cancel_ok")
async def cancel_confirmed(ctx: Ctx) -> list[Reply]:
    if (denied := require_bound(ctx)) is not None:
        return denied
    if len(ctx.args) < 2 or not ctx.args[1].isdigit():
        return [Reply(text=ctx.t("error.button_stale"))]
    number, version = ctx.args[0], int(ctx.args[1])
    if not ctx.dialog.state:
        ctx.dialog.data.pop(CANCEL_ASKED, None)
    await get_order(ctx.uow(), ctx.actor, number)      # not found reads the same everywhere
    order = await cancel_order(ctx.uow(), ctx.actor,
                               CancelOrder(number=number, reason=i18n.t("zh-CN", "orders.cancel_reason"),
                                           expected_version=version), ctx.deps.clock)
    return await order_detail(ctx, order.number, [ctx.t("orders.cancel_done", number=order.number)])


# --- receipt ----------------------------------------------------------------------------------------

@router.button("orders.recv_ok")
async def received_all(ctx: Ctx) -> list[Reply]:
    if (denied := require_bound(ctx)) is not None:
        return denied
    number = ctx.args[0] if ctx.args else ""
    await get_order(ctx.uow(), ctx.actor, number)
    ctx.dialog.data.pop(RECEIPT_ASKED, None)
    order = await confirm_receipt(ctx.uow(), ctx.actor, ConfirmReceipt(number=number), ctx.deps.clock)
    return await order_detail(ctx, order.number, [ctx.t("orders.recv_done", number=order.number)])
