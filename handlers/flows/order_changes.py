"""A dealer changes an order already submitted (改单), in words or with buttons.

- typed: a message that points at an order (nlu.order_words: its number, or "刚才那单" = the dealer's latest) and
  carries cart edits as the parser reads them ("SO-… 能不能再加两台ap300", "刚才那单能改成20台吗", "那单DH20不要了"):
  the order's lines become a cart marked as the change of that order (``Cart.amends``), the edits are applied by
  the cart's own code (handlers.flows.cart_edits), and the whole changed order is shown priced and checked as the
  change will be (core.services.order_changes.quote_change) with ✅ 确认修改; further words and the ➖/➕/🗑 buttons
  edit it like any cart; the confirm calls change_order (re-priced, re-checked, version bumped, audited, the order
  desk told);
- the ✏️ button on the dealer's card of a submitted order (``orders.change|SO-…``): the same cart, its editor;
- an order already approved (or later): it can no longer be changed here, and the answer offers what can be done:
  a note to the order desk (the FAQ's hand-over to staff, with the words), cancel while cancelling is allowed, and a
  new order of the extra quantity, filled in.
"""

from __future__ import annotations

import secrets

from core.order_states import OrderAction, allowed_actions, status_label
from core.orders import Order, OrderStatus
from core.services.order_changes import changeable, order_items
from core.services.orders import get_order, list_orders
from handlers import i18n
from handlers.catalogue import parse_message
from handlers.context import Ctx
from handlers.flows import forms
from handlers.flows.cart import Cart, cart_editor
from handlers.flows.cart_edits import _apply_text
from handlers.flows.receipt_claims import claim_card
from handlers.messages import Button, Reply
from handlers.router import Router, payload
from nlu.order_words import date_change_said, order_number, points_at_order
from nlu.receipt_words import shortage_said
from nlu.schema import EditOp, Intent, ParseResult

router = Router(name=__name__)

MAX_QUESTION = 500

i18n.register({
    "oc.started": ("修改订单 {number}（审核前可以修改）：直接说怎么改，例如“AP300 改成20台”“再加5台DH20”“DH20不要了”，"
                   "或点 ➖/➕/🗑，改好后点“完成修改”核对并确认。",
                   "Changing order {number} (possible until it is reviewed): say how, e.g. \"AP300 make it 20\", "
                   "\"5 more DH20\", \"drop the DH20\", or tap ➖/➕/🗑, then Done to check and confirm."),
    "oc.locked": ("订单 {number} 现在是“{status}”，不能在这里修改了。您可以：",
                  "Order {number} is {status} and can no longer be changed here. You can:"),
    "oc.locked_note": ("· 请订单台处理（把您的话转给订单台）", "· ask the order desk (your words go to them)"),
    "oc.locked_cancel": ("· 取消这张订单后重新下单", "· cancel this order and order again"),
    "oc.locked_extra": ("· 另下一单补上多出的数量", "· place a new order for the extra quantity"),
    "oc.btn.note": ("📝 请订单台处理", "📝 Ask the order desk"),
    "oc.btn.cancel": ("❌ 取消订单 {number}", "❌ Cancel order {number}"),
    "oc.btn.extra": ("🛒 另下一单：{sku} ×{qty}", "🛒 New order: {sku} x{qty}"),
    "oc.question": ("订单 {number} 想修改：{said}", "Order {number}, a change asked for: {said}"),
})


# what the words are when they report a problem or sales, whatever counts they name: never a change of the order
_NOT_CHANGES = frozenset({Intent.QUALITY_FEEDBACK, Intent.AFTER_SALES, Intent.REPORT_SALES, Intent.TICKET_STATUS})


@router.text_hook
async def typed_change(ctx: Ctx) -> list[Reply] | None:
    """"SO-… 再加两台", "刚才那单能改成20台吗" from a dealer: see the module's docstring. None: not a change."""
    if not ctx.is_dealer or ctx.actor.dealer_id is None or not points_at_order(ctx.inbound.text):
        return None
    parsed = await parse_message(ctx)
    if parsed.said is not None and not points_at_order(parsed.said):
        return None       # "我要AP300 10台，…另外上次那单发货了没": the lines are a new order's, that order is asked about
    number = order_number(ctx.inbound.text)
    if number is not None and shortage_said(ctx.inbound.text):
        # "SO-… 少的两台WP600啥时候补发": goods short or damaged from a delivery are a claim against it (to the
        # order desk), never a change of the order nor a new order to pay for
        order = await get_order(ctx.uow(), ctx.actor, number)
        if order.status in (OrderStatus.SHIPPED, OrderStatus.RECEIVED, OrderStatus.CLOSED):
            return await claim_card(ctx, order, ctx.inbound.text)
    # "0007那单交货日期改到下周五": a new delivery date for that order is a change of it too
    redated = parsed.slots.delivery_date is not None and date_change_said(ctx.inbound.text or "")
    if not (parsed.slots.edits or redated) or parsed.slots.topic == "reorder" or parsed.intent in _NOT_CHANGES:
        return None          # "12月3号那单货到了，WP400少了2台": a problem with the goods, not more of them
    ctx.parsed = parsed
    if number is not None:
        order = await get_order(ctx.uow(), ctx.actor, number)         # another dealer's: not found
    else:
        # its own orders, and those it placed for its sub-dealers (a parent dealer: "给D0006下单…" then "刚才那单")
        latest = [o for o in await list_orders(ctx.uow(), ctx.actor, limit=20)
                  if o.dealer_id == ctx.actor.dealer_id or o.placed_by_dealer(ctx.actor.dealer_id)]
        suffix = parsed.slots.order_suffix
        if suffix:                                       # "0007那单": the one whose number ends so
            latest = [o for o in latest if o.number.endswith(suffix)] or latest[:0]
        if not latest:
            return None
        order = max(latest, key=lambda o: (o.created_at or ctx.deps.clock.now(), o.number))   # placed last
    return await _change(ctx, order, parsed)


@router.button("orders.change")
async def change_pressed(ctx: Ctx) -> list[Reply]:
    if (refused := forms.require_dealer(ctx)) is not None:
        return refused
    order = await get_order(ctx.uow(), ctx.actor, forms.arg(ctx, 0))
    return await _change(ctx, order, None)


async def _change(ctx: Ctx, order: Order, parsed: ParseResult | None) -> list[Reply]:
    if not changeable(order):
        return _locked(ctx, order, parsed)
    cart = Cart.new()
    cart.items = dict(order_items(order))
    cart.delivery = order.requested_delivery
    cart.amends, cart.version = order.number, order.version
    cart.save(ctx)
    if parsed is None:
        return await cart_editor(ctx, cart, lead=[ctx.t("oc.started", number=order.number)])
    return await _apply_text(ctx, cart, parsed)


def _extra(order: Order, parsed: ParseResult | None) -> list[tuple[str, int]]:
    """What the words add to the order: lines added, or set above what the order holds."""
    if parsed is None:
        return []
    held = dict(order_items(order))
    only = next(iter(held)) if len(held) == 1 else None
    out: list[tuple[str, int]] = []
    for edit in parsed.slots.edits:
        sku = edit.sku or only
        if sku is None or not edit.qty:
            continue
        if edit.op == EditOp.ADD:
            out.append((sku, edit.qty))
        elif edit.op == EditOp.SET and edit.qty > held.get(sku, 0):
            out.append((sku, edit.qty - held.get(sku, 0)))
    return out


def _locked(ctx: Ctx, order: Order, parsed: ParseResult | None) -> list[Reply]:
    """Approved or later: no change here; the ways that remain, each one tap."""
    lines = [ctx.t("oc.locked", number=order.number, status=status_label(order.status, ctx.lang)),
             ctx.t("oc.locked_note")]
    rows: list[list[Button]] = []
    said = ctx.inbound.text.strip() if parsed is not None else ""
    key = secrets.token_hex(8)
    ctx.idle()
    ctx.dialog.data = {"faq_question": ctx.t("oc.question", number=order.number,
                                             said=said or "-")[:MAX_QUESTION], "faq_key": key, "faq_order": order.number}
    rows.append([Button(ctx.t("oc.btn.note"), payload("faq.fwd", key))])
    if OrderAction.CANCEL.value in allowed_actions(order, ctx.actor):
        lines.append(ctx.t("oc.locked_cancel"))
        rows.append([Button(ctx.t("oc.btn.cancel", number=order.number), payload("orders.cancel", order.number))])
    extra = _extra(order, parsed)
    if extra:
        lines.append(ctx.t("oc.locked_extra"))
        rows += [[Button(ctx.t("oc.btn.extra", sku=sku, qty=qty), payload("order.prefill", sku, qty))]
                 for sku, qty in extra[:3]]
    rows.append([Button(ctx.t("orders.btn.list"), payload("orders.list")), forms.menu_button(ctx)])
    return [Reply(text="\n".join(lines), buttons=rows)]
