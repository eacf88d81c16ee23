"""Ordering in chat: free text or guided picking into a cart, a priced summary, exactly-once submission.

Three modules, one way: ``handlers.flows.cart`` (the cart, the texts, the shared replies) <-
``handlers.flows.cart_edits`` (typed lines, guided picking, the editing buttons) <- this one (starting an
order, on a dealer's behalf too; Confirm; a restock alert's "order this"; the same as last time).

Dialog states (``DialogState.data`` holds the cart, see ``Cart``)::

    order.cart     the cart is open: typed text adds items and sets the delivery date
    order.qty      waiting for a typed quantity of ``pending_sku`` (add, or set when ``set_qty``)
    order.date     waiting for a typed delivery date
    order.dealer   staff ordering on a dealer's behalf (代客下单): waiting for a dealer code or name

Buttons: ``order.new``, ``order.browse``, ``order.cat|<category>``, ``order.pick|<sku>``,
``order.add|<sku>|<qty>``, ``order.qty|<sku>``, ``order.reorder[|<number>]``, ``order.dealer|<id>``,
``staff.onbehalf``, ``order.prefill|<sku>|<qty>`` (a restock alert's "order this"), ``order.restock`` (its
"一键补货": every product at its reorder point); and on one cart (they carry its nonce, so a button of an older cart is refused):
``order.view``, ``order.edit``, ``order.inc``, ``order.dec``, ``order.rm``, ``order.set``, ``order.clear``,
``order.date``, ``order.datetype``, ``order.cancel``, ``order.confirm|<nonce>|<rev>``.

Exactly once: a cart gets a random nonce when created; Confirm submits with it as
``SubmitOrder.client_request_key``, so a double tap (or a re-delivered press) gets the same order back.
``rev`` counts edits: a Confirm pressed under an older summary shows the current one instead.
Prices, checks and authorization are the use cases' (``quote_order``, ``submit_order``); nothing here
trusts a payload. The approval prompt for staff is queued by ``submit_order`` itself (the outbox).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from core.errors import Conflict, PermissionDenied
from core.money import fmt_cny
from core.order_states import PARENT_PENDING, approval_reason_text, status_label
from core.orders import Order, OrderStatus
from core.services.dealers import get_dealer, list_dealers, sub_dealers
from core.services.order_changes import ChangeOrder, change_order
from core.services.orders import SubmitOrder, get_order, list_orders, submit_order_once
from core.users import Permission
from handlers.catalogue import parse_message
from handlers.context import Ctx
from handlers.flows.cart import (
    MAX_QTY,
    Cart,
    ask_dealer,
    block_text,
    button_nonce,
    cart_for,
    cart_prompt,
    cart_summary,
    decision_row,
    id_arg,
    may_order_for_others,
    open_cart,
    order_benefit_lines,
    order_dealer_id,
    stale_cart,
    started_cart,
)
from handlers.flows.menu import main_menu, require_bound
from handlers.flows.orders import orders_referred
from handlers.flows.thresholds import restock_lines
from handlers.messages import Button, InboundKind, Reply
from handlers.router import Router, StepLeft, payload
from nlu.replies import confirms_order
from nlu.schema import EditOp, Intent, Slots
from nlu.staff_commands import STATUS_WORDS, parse_staff_command

router = Router(name=__name__)
ANOTHER_REQUEST = 0.5      # the parser's confidence above which words at the "which dealer?" step are a request


# --- starting an order ------------------------------------------------------------------------------

@router.command("order")
@router.button("order.new")
async def new_order(ctx: Ctx) -> list[Reply]:
    cart = await started_cart(ctx)
    if isinstance(cart, list):
        return cart
    return [cart_prompt(ctx, cart)]


@router.button("staff.onbehalf")
async def on_behalf(ctx: Ctx) -> list[Reply]:
    if (denied := require_bound(ctx)) is not None:
        return denied
    return await ask_dealer(ctx)


@router.state("order.dealer")
async def dealer_typed(ctx: Ctx) -> list[Reply]:
    query = ctx.inbound.text.strip()
    if ctx.inbound.kind != InboundKind.TEXT or not query:
        return [Reply(text=ctx.t("order.ask_dealer"))]
    if not await list_dealers(ctx.uow(), ctx.actor, search=query, limit=1) and await _another_request(ctx):
        # "待审批", "合肥新锐的余额" typed where the form waits for a dealer (was: "没有找到经销商“待审批”", and every
        # next message taken as a dealer's name): the form left, the request answered
        raise StepLeft([Reply(text=ctx.t("order.dealer_left"))])
    return await dealer_said(ctx, query)


async def _another_request(ctx: Ctx) -> bool:
    """Do the words at the "which dealer?" step ask for something else (a staff command, a request the parser reads
    with some confidence) rather than name a dealer badly ("华信")?"""
    if parse_staff_command(ctx.inbound.text) is not None or ctx.inbound.text.strip() in STATUS_WORDS:
        return True          # "待发货": a queue's status named (not left to the classifier's confidence)
    parsed = await parse_message(ctx)
    if parsed.intent in (Intent.CHITCHAT_OTHER, Intent.GREETING, Intent.FAQ):
        return False
    return parsed.confidence >= ANOTHER_REQUEST or parsed.slots.topic is not None


async def dealer_said(ctx: Ctx, query: str) -> list[Reply]:
    """The dealer words at the order's "for whom?" step (typed there, or said with the order: "帮D0002下个单
    AP500 10台"): one dealer: its cart with the items kept; several: which; none: asked again."""
    dealers = [d for d in await list_dealers(ctx.uow(), ctx.actor, search=query, limit=8) if d.id is not None]
    if not dealers:
        return [Reply(text=ctx.t("order.dealer_none", q=query[:40]))]
    if len(dealers) == 1:
        return await _choose_dealer(ctx, dealers[0].id or 0)
    return [Reply(text=ctx.t("order.dealer_pick"),
                  buttons=[[Button(f"{d.code} {d.name}", payload("order.dealer", d.id or 0))] for d in dealers])]


@router.button("order.dealer")
async def dealer_pressed(ctx: Ctx) -> list[Reply]:
    if (denied := require_bound(ctx)) is not None:
        return denied
    if not may_order_for_others(ctx):
        raise PermissionDenied()
    dealer_id = id_arg(ctx.args[0]) if ctx.args else None
    if dealer_id is None:
        return [Reply(text=ctx.t("error.button_stale"))]
    return await _choose_dealer(ctx, dealer_id)


async def _choose_dealer(ctx: Ctx, dealer_id: int) -> list[Reply]:
    dealer = await get_dealer(ctx.uow(), ctx.actor, dealer_id)
    label = f"{dealer.code} {dealer.name}"
    blocked = await block_text(ctx, dealer_id, label)
    if blocked:
        ctx.idle()
        return [Reply(text=blocked), main_menu(ctx)]
    pending = ctx.dialog.data.get("pending", []) if ctx.dialog.state == "order.dealer" else []
    cart = Cart.new(dealer_id=dealer_id, dealer_name=label)
    for sku, qty in pending:
        cart.add(str(sku), int(qty))
    cart.save(ctx)
    if cart.items:
        return await cart_summary(ctx, cart)
    return [cart_prompt(ctx, cart)]


# --- confirming -------------------------------------------------------------------------------------

@router.button("order.confirm")
async def confirm(ctx: Ctx) -> list[Reply]:
    if (denied := require_bound(ctx)) is not None:
        return denied
    nonce = button_nonce(ctx)
    rev = ctx.args[1] if len(ctx.args) > 1 else ""
    cart = cart_for(ctx, nonce)
    if cart is None:
        return await _already_submitted(ctx, nonce)
    if rev != str(cart.rev):
        cart.save(ctx)
        return await cart_summary(ctx, cart, [ctx.t("order.changed")])
    if cart.amends:        # a submitted order being changed: the change, never a second order
        return await _confirm_change(ctx, cart)
    dealer_id = order_dealer_id(ctx, cart)
    if dealer_id is None:
        return await ask_dealer(ctx, pending=cart.items)
    try:
        # the use case looks the key up first (no look-up of our own before it): an order the key names already
        # comes back with new=False when the other press of Confirm submitted it
        submitted = await submit_order_once(ctx.uow(), ctx.actor,
                                            SubmitOrder(dealer_id=dealer_id, items=list(cart.items.items()),
                                                        requested_delivery=cart.delivery, client_request_key=nonce,
                                                        note=_note(ctx, cart)),
                                            ctx.deps.clock)
    except Conflict:
        # both presses passed the check above at the same moment (two processes): the other one's order won
        # the unique (dealer, key); answer with it, as for any second press
        async with ctx.uow() as uow:
            earlier = await uow.orders.get_by(dealer_id=dealer_id, client_request_key=nonce)
        if earlier is None:
            raise
        ctx.go("", done_nonce=nonce, done_number=earlier.number)
        return await _already_submitted(ctx, nonce)
    order = submitted.order
    ctx.go("", done_nonce=nonce, done_number=order.number)
    if not submitted.new:     # pressed twice at once: the other press submitted it
        return [await _submitted_reply(ctx, order, "order.submitted_again")]
    return [await _submitted_reply(ctx, order)]


async def _confirm_change(ctx: Ctx, cart: Cart) -> list[Reply]:
    """✅ 确认修改 on a changed order (handlers.flows.order_changes): core re-prices and re-checks it as a submit."""
    assert cart.amends is not None
    order = await change_order(ctx.uow(), ctx.actor, ChangeOrder(cart.amends, list(cart.items.items()), cart.version,
                                                                 requested_delivery=cart.delivery), ctx.deps.clock)
    ctx.go("", done_nonce=cart.nonce, done_number=order.number)
    return [await _submitted_reply(ctx, order, "order.change_done")]


async def _submitted_reply(ctx: Ctx, order: Order, key: str = "order.submitted") -> Reply:
    lines = [ctx.t(key, number=order.number, status=status_label(order.status, ctx.lang),
                   total=fmt_cny(order.total))]
    lines += await order_benefit_lines(ctx, order.lines)
    if key in ("order.submitted", "order.change_done"):
        if order.needs_approval:
            reasons = "；".join(approval_reason_text(r, ctx.lang) for r in order.approval_reasons)
            lines.append(ctx.t("order.needs_approval", reasons=reasons))
        if order.parent_approval == PARENT_PENDING:     # Dealer.approves_sub_orders of its parent
            lines.append(ctx.t("order.wait_parent"))
        elif not order.needs_approval and order.status == OrderStatus.SUBMITTED:
            lines.append(ctx.t("order.wait_review"))
    rows = [[Button(ctx.t("order.btn.detail"), payload("orders.detail", order.number)),
             Button(ctx.t("order.btn.menu"), payload("menu"))]]
    if ctx.is_staff and Permission.ORDER_APPROVE in ctx.actor.permissions and order.status == OrderStatus.SUBMITTED:
        rows.insert(0, decision_row(ctx, order.number, order.version))
    return Reply(text="\n".join(lines), buttons=rows)


@router.text_hook
async def confirmed_after_submit(ctx: Ctx) -> list[Reply] | None:
    """"确认" typed after ✅ 订单已提交 (was: "知识库里没有找到…转人工？"): it is in already, with its buttons."""
    number = ctx.dialog.data.get("done_number")
    if ctx.dialog.state or not isinstance(number, str) or not number or not confirms_order(ctx.inbound.text):
        return None
    order = await get_order(ctx.uow(), ctx.actor, number)
    return [await _submitted_reply(ctx, order, "order.submitted_no_confirm")]


async def _already_submitted(ctx: Ctx, nonce: str) -> list[Reply]:
    """A second Confirm of a cart already submitted: the same order, never a second one."""
    data = ctx.dialog.data
    number: str | None = None
    if nonce and data.get("done_nonce") == nonce:
        number = str(data.get("done_number", ""))
    elif nonce and ctx.is_dealer:
        async with ctx.uow() as uow:
            found = await uow.orders.get_by(dealer_id=ctx.actor.dealer_id, client_request_key=nonce)
        number = found.number if found else None
    if not number:
        return stale_cart(ctx)
    order = await get_order(ctx.uow(), ctx.actor, number)
    return [await _submitted_reply(ctx, order, "order.submitted_again")]


# --- "order this" from a restock alert -----------------------------------------------------------------

@router.button("order.prefill")
async def prefill(ctx: Ctx) -> list[Reply]:
    """The one-tap button of a dealer restock alert (``order.prefill|SKU|qty``): a new cart holding the
    suggested quantity, shown as the usual summary to change or confirm. The payload is only a
    suggestion: the product, the quantity and the dealer's right to order are all checked again."""
    if (denied := require_bound(ctx)) is not None:
        return denied
    if not ctx.is_dealer or ctx.actor.dealer_id is None:
        return stale_cart(ctx)
    sku = ctx.args[0].strip() if ctx.args else ""
    qty_text = ctx.args[1].strip() if len(ctx.args) > 1 else ""
    if not sku or not qty_text.isdigit() or not 0 < int(qty_text) <= MAX_QTY:
        return stale_cart(ctx)
    async with ctx.uow() as uow:
        product = await uow.products.get_by(sku=sku)
    if product is None or not product.active:
        return stale_cart(ctx)
    blocked = await block_text(ctx, ctx.actor.dealer_id)
    if blocked:
        ctx.idle()
        return [Reply(text=blocked), main_menu(ctx)]
    cart = Cart.new()
    cart.add(product.sku, int(qty_text))
    cart.save(ctx)
    return await cart_summary(ctx, cart, [ctx.t("order.prefilled", sku=product.sku, qty=int(qty_text))])


@router.button("order.restock")
async def restock(ctx: Ctx) -> list[Reply]:
    """The "一键补货" button of a restock alert: a new cart holding what the dealer's thresholds suggest now
    (``handlers.flows.thresholds.restock_lines``: every product at or below its reorder point), shown as the
    usual summary to change or confirm. Nothing comes from the payload; nothing is ordered without Confirm."""
    if (denied := require_bound(ctx)) is not None:
        return denied
    if not ctx.is_dealer or ctx.actor.dealer_id is None:
        return stale_cart(ctx)
    lines = await restock_lines(ctx)
    if not lines:
        return [Reply(text=ctx.t("order.restock_none")), main_menu(ctx)]
    blocked = await block_text(ctx, ctx.actor.dealer_id)
    if blocked:
        ctx.idle()
        return [Reply(text=blocked), main_menu(ctx)]
    cart = Cart.new()
    for line in lines:
        cart.add(line.sku, line.suggest)
    cart.save(ctx)
    return await cart_summary(ctx, cart, [ctx.t("order.restocked", n=len(lines))])


# --- the same as last time --------------------------------------------------------------------------

@router.button("order.reorder")
async def reorder(ctx: Ctx) -> list[Reply]:
    """``order.reorder[|<number>[|add|new|<nonce>]]``: that order (or the last) into the cart; with a mode, the answer
    to "the cart has lines: add or replace?" asked about the cart of that nonce."""
    if (denied := require_bound(ctx)) is not None:
        return denied
    mode = ctx.args[1] if len(ctx.args) > 2 and ctx.args[1] in REORDER_MODES else None
    if len(ctx.args) > 1 and (mode is None or cart_for(ctx, ctx.args[2]) is None):
        return stale_cart(ctx)                # the cart asked about is gone (confirmed, dropped, another one)
    return await reorder_from(ctx, ctx.args[0] if ctx.args else None, mode=mode)


#: what a reorder does to a cart that has lines: "add" the order's lines to it, or a "new" cart of them only
REORDER_MODES = ("add", "new")


async def reorder_from(ctx: Ctx, number: str | None, *, said: Slots | None = None, mode: str | None = None,
                       then: Callable[[Cart], Awaitable[list[Reply]]] | None = None) -> list[Reply]:
    """A cart with the lines of order ``number``, else of the order ``said`` names ("上个月那单", "尾号0012那单"),
    else of the dealer's last order, editable before confirming. A cart with lines is never replaced unasked.
    ``then``: what is done with the cart copied (the changes said with it: "WP400换成WP600 其他不变 再下一次"), the
    dealer's last order holding the lines changed being the one copied, whatever became of it (rejected too)."""
    if ctx.is_staff and not may_order_for_others(ctx):
        raise PermissionDenied()
    current = Cart.load(ctx)
    dealer_id = order_dealer_id(ctx, current) if current is not None else ctx.actor.dealer_id
    source: Order | None
    if number:
        source = await get_order(ctx.uow(), ctx.actor, number)
    elif said is not None and (said.order_suffix or said.placed_from):
        found = [o for o in await orders_referred(ctx, said) if dealer_id is None or o.dealer_id == dealer_id]
        if not found:
            return [Reply(text=ctx.t("order.reorder_none"),
                          buttons=[[Button(ctx.t("orders.btn.list"), payload("orders.list"))]])]
        if len(found) > 1:
            return [Reply(text=ctx.t("order.reorder_pick", n=len(found)),
                          buttons=[[Button(f"{o.number} · {status_label(o.status, ctx.lang)} · {fmt_cny(o.total)}",
                                           payload("order.reorder", o.number))] for o in found[:8]])]
        source = found[0]
    else:
        if dealer_id is None:
            return await ask_dealer(ctx)
        recent = sorted(await list_orders(ctx.uow(), ctx.actor, dealer_id=dealer_id, limit=20),
                        key=lambda o: (o.created_at is not None, o.created_at, o.number), reverse=True)
        changed = {e.sku for e in said.edits if e.op != EditOp.ADD and e.sku} if said is not None else set()
        source = next((o for o in recent if changed & {line.sku for line in o.lines}), None) if changed else None
        source = source or next((o for o in recent if o.status not in (OrderStatus.CANCELLED, OrderStatus.REJECTED)),
                                None)
    if source is None:
        cart = await open_cart(ctx)
        if isinstance(cart, list):
            return cart
        cart.save(ctx)
        return [Reply(text=ctx.t("order.no_history")), cart_prompt(ctx, cart)]
    if current is not None and current.items and mode is None:
        # "帮我把上个月那单再来一遍" with AP300×10 in the cart: asked, never replaced in silence
        same = order_dealer_id(ctx, current) == source.dealer_id
        n = len(current.items)
        row = [Button(ctx.t("order.btn.reorder_add"), payload("order.reorder", source.number, "add", current.nonce))] \
            if same else []
        row.append(Button(ctx.t("order.btn.reorder_new"), payload("order.reorder", source.number, "new", current.nonce)))
        return [Reply(text=ctx.t("order.reorder_ask", n=n, number=source.number),
                      buttons=[row, [Button(ctx.t("order.btn.reorder_keep"), payload("order.view", current.nonce))]])]
    dealer_name = ""
    for_other = ctx.is_staff or source.dealer_id != ctx.actor.dealer_id   # staff, or a parent for its sub-dealer
    if ctx.is_staff:
        dealer = await get_dealer(ctx.uow(), ctx.actor, source.dealer_id)
        dealer_name = f"{dealer.code} {dealer.name}"
    elif for_other:
        subs = await sub_dealers(ctx.uow(), ctx.actor, ctx.actor.dealer_id or 0)
        sub = next((d for d in subs if d.id == source.dealer_id), None)
        if sub is None:
            return stale_cart(ctx)
        dealer_name = f"{sub.code} {sub.name}"
    blocked = await block_text(ctx, source.dealer_id, dealer_name)
    if blocked:
        ctx.idle()
        return [Reply(text=blocked), main_menu(ctx)]
    adding = mode == "add" and current is not None and order_dealer_id(ctx, current) == source.dealer_id
    cart = current if adding and current is not None else \
        Cart.new(dealer_id=source.dealer_id if for_other else None, dealer_name=dealer_name)
    if current is not None and not current.items and current.note and order_dealer_id(ctx, current) == source.dealer_id:
        cart.note = current.note        # "备注：周六不送货" said before any line: kept for this order
    for line in source.lines:
        cart.add(line.sku, line.qty)
    cart.save(ctx)
    if then is not None:
        copied = Reply(text=ctx.t("order.reorder_added" if adding else "order.reordered", number=source.number))
        return [copied, *await then(cart)]
    return await cart_summary(ctx, cart, [ctx.t("order.reorder_added" if adding else "order.reordered",
                                                number=source.number)])


def _note(ctx: Ctx, cart: Cart) -> str:
    """The dealer's note, with "交货不晚于 2026-12-18" when the delivery date was said as a latest one ("before
    Dec 18"): the order keeps one date, the desk reads that it is the latest."""
    if not (cart.delivery and cart.delivery_by):
        return cart.note
    by = ctx.t("order.note_by", date=cart.delivery.isoformat())
    return f"{cart.note}；{by}" if cart.note else by
