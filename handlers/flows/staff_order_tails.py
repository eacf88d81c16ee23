"""Staff finding orders: by the end of a number alone ("0002", "看下0002", "尾号0002的单"): its card, or which one
when several orders end so (``nlu.decision_words.order_named``; was: 代客下单 started, or the greeting menu); by a
dealer's name ("上海德润的单子", "看下兰州启明的订单"): that dealer's orders, as "/orders 德润" lists them
(``nlu.dealer_order_words``; was: every dealer's orders, or "您是想取消订单吗？").

Where it is looked for: first what waits for this person (approval, allocation, shipping, as their job shows them),
then the latest orders they may read. Decisions by a number's end ("0002没问题") are ``staff_words``'.
"""

from __future__ import annotations

from core.services import orders as order_cases
from core.services.queues import Queue, all_waiting, may_see
from core.users import Permission
from handlers import i18n
from handlers.context import Ctx
from handlers.flows import forms, orders, staff_orders
from handlers.messages import Button, InboundKind, Reply
from handlers.router import Router, parse_payload, payload, shown_buttons
from nlu.dealer_order_words import dealer_orders_asked
from nlu.order_words import is_order_number

router = Router(name=__name__)

P = Permission
MAX_CHOICES = 6
RECENT = 200             # the latest orders looked through when none waiting ends so
_QUEUES = (Queue.APPROVE, Queue.ALLOCATE, Queue.SHIP)

i18n.register({
    "tail.none": ("没有找到单号尾号为 {tail} 的订单。请输入完整单号（如 SO-20261204-{tail}）。",
                  "No order ending in {tail} was found. Type its whole number (e.g. SO-20261204-{tail})."),
    "tail.several": ("有 {n} 张订单的单号尾号是 {tail}，请选择：", "{n} orders end in {tail}; choose one:"),
    "tail.which_dealer": ("“{text}”对应多家经销商，看哪一家的订单？", "\"{text}\" fits several dealers; whose orders?"),
})


async def order_by_tail(ctx: Ctx, tail: str) -> list[Reply]:
    """The card of the order whose number ends in ``tail`` (waiting ones first); several: a button each."""
    found: dict[str, str] = {}
    for queue in _QUEUES:
        if may_see(ctx.actor, queue):
            for item in await all_waiting(ctx.uow(), ctx.actor, queue, ctx.deps.clock):
                if item.ref.endswith(f"-{tail}"):
                    found.setdefault(item.ref, f"🧾 {item.ref} {item.summary} {item.dealer_name}")
    if not found and P.ORDER_READ_ALL in ctx.actor.permissions:
        for order in await order_cases.list_orders(ctx.uow(), ctx.actor, limit=RECENT):
            if order.number.endswith(f"-{tail}"):
                found.setdefault(order.number, f"🧾 {order.number}")
    if not found:
        return [Reply(text=ctx.t("tail.none", tail=tail))]
    if len(found) == 1:
        ctx.args = [next(iter(found))]
        return await staff_orders.order_detail(ctx)
    rows = [[Button(label[:40], payload("staff.order.detail", ref))] for ref, label in list(found.items())[:MAX_CHOICES]]
    return [Reply(text=ctx.t("tail.several", tail=tail, n=len(found)), buttons=rows)]


@router.text_hook
async def dealer_orders(ctx: Ctx) -> list[Reply] | None:
    """"上海德润的单子": that dealer's latest orders; several dealers fit: which one; none: not this (None)."""
    if not ctx.is_staff or ctx.inbound.kind != InboundKind.TEXT or ctx.dialog.state \
            or P.ORDER_READ_ALL not in ctx.actor.permissions:
        return None
    words = dealer_orders_asked(ctx.inbound.text)
    found = await forms.dealers_by_words(ctx, words) if words else []
    if not words or not found:
        return None
    if len(found) > 1:
        return [Reply(text=ctx.t("tail.which_dealer", text=words[:20]),
                      buttons=[[Button(f"{d.code} {d.name}"[:30], payload("orders.list", 0, d.id or 0))]
                               for d in found[:MAX_CHOICES]])]
    ctx.args = ["0", str(found[0].id or 0)]
    return await orders.order_list(ctx)


def shown_order(ctx: Ctx) -> str | None:
    """The one order the screen last shown acts on (its buttons carry its number: the card's ✅ 通过, 📦 配货,
    🚚 发货); None when none, or several, are shown."""
    numbers = set()
    for _, pressed, _ in shown_buttons(ctx.dialog.data):
        parsed = parse_payload(pressed)
        if parsed is not None and parsed[0].startswith("staff.") and parsed[1] and is_order_number(parsed[1][0]):
            numbers.add(parsed[1][0].upper())
    return next(iter(numbers)) if len(numbers) == 1 else None
