"""Staff: orders. Approve / reject (a reason asked), the order card, the order desk (/desk: to allocate,
to ship, each list paged), allocation to a warehouse, shipping with carrier and tracking number.

Payloads: ``staff.order.approve|SO-…[|version[|over]]`` (over: approve past the credit limit), ``staff.order.reject|SO-…[|version]``, ``staff.order.detail|SO-…``,
``staff.orders|<offset>|<offset>`` (/desk), ``staff.alloc|SO-…``, ``staff.alloc.wh|SO-…|<warehouse id, 0: automatic>``,
``staff.ship|SO-…``, ``staff.ship.carrier|SO-…|<carrier index>``. Shared pieces: ``handlers.flows.staff``.
"""

from __future__ import annotations

from typing import Any

from core.authz import require
from core.errors import Conflict, DomainError, InvalidTransition, OverCreditLimit
from core.masking import mask_text
from core.money import fmt_cny
from core.notes import note_text
from core.order_states import (
    CREDIT_SHORTFALL,
    OrderAction,
    approval_reason_text,
    order_status_label,
    status_label,
)
from core.order_states import TRANSITIONS as ORDER_TRANSITIONS
from core.order_states import allowed_actions as order_actions
from core.orders import Order, OrderStatus
from core.services import orders as order_cases
from core.services.queues import Queue, all_waiting
from core.users import Permission
from handlers.catalogue import parse_message
from handlers.context import Ctx
from handlers.flows.finance import offset_arg, page_of, page_where, pager_row, remember_pages
from handlers.flows.menu import require_bound
from handlers.flows.staff import (
    ALLOC_PICK,
    CARRIERS,
    DESK_LIMIT,
    REASON,
    REJECTIONS,
    SHIP_CARRIER,
    SHIP_TRACKING,
    _already,
    _arg,
    _ask,
    _b,
    _decided_line,
    _edited,
    _int_arg,
    _label,
    _person,
    _require_any,
    _stale,
    _typed,
    _version_arg,
    _when,
    another_command,
    confirm_row,
    decision_buttons,
    drop_pending,
)
from handlers.messages import Button, Reply
from handlers.router import Router, StepLeft, normalize_label, payload
from nlu.classifier import LOW_CONFIDENCE
from nlu.desk_words import DESK_ANYWHERE, DESK_PHRASES, tracking_said
from nlu.schema import Intent
from nlu.staff_commands import parse_staff_command

router = Router(name=__name__)
OVER_LIMIT = "over"      # third argument of staff.order.approve: the approver accepted a credit overdraft

P = Permission


# --- orders: approval ------------------------------------------------------------------------------

async def order_line(ctx: Ctx, order: Order) -> str:
    async with ctx.uow() as uow:
        dealer = await uow.dealers.get(order.dealer_id)
    return ctx.t("staff.order.line", number=order.number, dealer=dealer.name if dealer else order.dealer_id,
                 total=fmt_cny(order.total))


async def _order_taken(ctx: Ctx, number: str, action: OrderAction, prompt_ref: str,
                       error: DomainError, seen: int | None = None) -> list[Reply]:
    """After a refused order transition: if the order has moved on, tell who moved it; if it was changed since the
    prompt (the dealer's 改单: same status, a newer version), show it as it is now with buttons for that; else
    re-raise."""
    order = await order_cases.get_order(ctx.uow(), ctx.actor, number)
    if order.status in ORDER_TRANSITIONS[action].sources and seen is not None and seen != order.version:
        items = "，".join(f"{line.sku}×{line.qty}" for line in order.lines)
        text = ctx.t("staff.order.changed_since", number=number, items=items, total=fmt_cny(order.total))
        return [_edited(ctx, text, prompt_ref, decision_buttons(ctx.lang, "order", number, order.version))]
    if order.status in ORDER_TRANSITIONS[action].sources or not order.events:
        raise error
    event = order.events[-1]
    return await _already(ctx, number, event.actor, event.at, status_label(order.status, ctx.lang), prompt_ref)


@router.button("staff.order.approve")
async def approve_order(ctx: Ctx) -> list[Reply]:
    require(ctx.actor, P.ORDER_APPROVE)
    drop_pending(ctx)
    number, prompt_ref = _arg(ctx, 0), ctx.inbound.message_ref
    over = len(ctx.args) > 2 and ctx.args[2] == OVER_LIMIT
    cmd = order_cases.ApproveOrder(number=number, expected_version=_version_arg(ctx, 1), over_limit=over)
    try:
        order = await order_cases.approve_order(ctx.uow(), ctx.actor, cmd, ctx.deps.clock)
    except OverCreditLimit:
        # the approver is told what approving does and has to say "approve over limit" in so many words
        cover = await order_cases.order_approval_cover(ctx.uow(), ctx.actor, number, ctx.deps.clock)
        version = cmd.expected_version if cmd.expected_version is not None else ""
        return [Reply(text=ctx.t("staff.order.over_confirm", number=number, overdraft=fmt_cny(cover.overdraft)),
                      buttons=[[_b(ctx, "staff.btn.approve_over", "staff.order.approve", number, version, OVER_LIMIT),
                                _b(ctx, "staff.btn.reject", "staff.order.reject", number, version)],
                               [_b(ctx, "staff.btn.detail", "staff.order.detail", number)]])]
    except (Conflict, InvalidTransition) as exc:
        return await _order_taken(ctx, number, OrderAction.APPROVE, prompt_ref, exc, cmd.expected_version)
    line = await order_line(ctx, order)
    buttons = []
    if OrderAction.ALLOCATE.value in order_actions(order, ctx.actor):
        buttons.append([_b(ctx, "staff.btn.allocate", "staff.alloc", number)])
    text = ctx.t("staff.order.approved", line=line) + "\n" + await _decided_line(ctx)
    return [_edited(ctx, text, prompt_ref, buttons)]


@router.button("staff.order.reject")
async def reject_order_ask(ctx: Ctx) -> list[Reply]:
    require(ctx.actor, P.ORDER_APPROVE)
    drop_pending(ctx)
    number, prompt_ref = _arg(ctx, 0), ctx.inbound.message_ref
    order = await order_cases.get_order(ctx.uow(), ctx.actor, number)
    if order.status not in ORDER_TRANSITIONS[OrderAction.REJECT].sources and order.events:
        event = order.events[-1]
        return await _already(ctx, number, event.actor, event.at, status_label(order.status, ctx.lang), prompt_ref)
    ctx.go(REASON, kind="order", ref=number, version=_version_arg(ctx, 1), prompt=prompt_ref)
    return [_ask(ctx, ctx.t("staff.order.ask_reason", number=number))]


async def reject_order(ctx: Ctx, number: str, reason: str, version: int | None, prompt_ref: str) -> list[Reply]:
    cmd = order_cases.RejectOrder(number=number, reason=reason, expected_version=version)
    try:
        order = await order_cases.reject_order(ctx.uow(), ctx.actor, cmd, ctx.deps.clock)
    except (Conflict, InvalidTransition) as exc:
        return await _order_taken(ctx, number, OrderAction.REJECT, prompt_ref, exc, version)
    text = ctx.t("staff.order.rejected", line=await order_line(ctx, order), reason=mask_text(reason))
    return [_edited(ctx, text + "\n" + await _decided_line(ctx), prompt_ref)]


@router.button("staff.order.detail")
async def order_detail(ctx: Ctx) -> list[Reply]:
    _require_any(ctx, P.ORDER_READ_ALL, P.ORDER_APPROVE, P.ORDER_ALLOCATE, P.ORDER_SHIP)
    order = await order_cases.get_order(ctx.uow(), ctx.actor, _arg(ctx, 0))
    async with ctx.uow() as uow:
        dealer = await uow.dealers.get(order.dealer_id)
    lang = ctx.lang
    lines = [ctx.t("staff.order.title", number=order.number, status=order_status_label(order, lang)),
             ctx.t("staff.order.dealer", dealer=dealer.name if dealer else "?", code=dealer.code if dealer else "?")]
    for ln in order.lines:
        free = f" +{ln.free_qty}" if ln.free_qty else ""
        # qty × price as written, then the promotion's part: every figure on the card adds up
        off = f" −{fmt_cny(ln.discount)} = {fmt_cny(ln.amount)}" if ln.discount else ""
        lines.append(f"· {ln.sku} {ln.name} ×{ln.qty}{free} {fmt_cny(ln.unit_price)} = "
                     f"{fmt_cny(ln.unit_price * ln.qty)}{off}")
    lines.append(ctx.t("staff.order.total", total=fmt_cny(order.total), discount=fmt_cny(order.discount_total)))
    lines.append(ctx.t("staff.order.paid", rebate=fmt_cny(order.paid_from_rebate),
                       prepay=fmt_cny(order.paid_from_prepayment), credit=fmt_cny(order.paid_from_credit)))
    if order.status == OrderStatus.SUBMITTED:
        cover = await order_cases.order_approval_cover(ctx.uow(), ctx.actor, order.number, ctx.deps.clock)
        # the shortfall said at submission, paid by funds since (QA s27 #20): no longer a reason, "现有资金可付" says so
        lines.extend(f"⚠️ {approval_reason_text(code, lang)}" for code in order.approval_reasons
                     if not (code == CREDIT_SHORTFALL and cover.covered))
        if cover.unpaid:
            lines.append(ctx.t("staff.order.cover_ok" if cover.covered else "staff.order.cover_short",
                               unpaid=fmt_cny(cover.unpaid), prepay=fmt_cny(cover.from_prepayment),
                               credit=fmt_cny(cover.from_credit), overdraft=fmt_cny(cover.overdraft)))
    if order.requested_delivery:
        lines.append(ctx.t("staff.order.delivery", date=order.requested_delivery.isoformat()))
    placed = ctx.t("staff.order.placed", who=await _person(ctx, order.placed_by), time=_when(ctx, order.created_at))
    lines.append(placed + (ctx.t("staff.order.on_behalf") if order.on_behalf else ""))
    if order.carrier:
        lines.append(ctx.t("staff.order.shipping", carrier=order.carrier, tracking=order.tracking_no or ""))
    if order.note:
        lines.append(ctx.t("staff.order.note", note=mask_text(order.note)))
    for event in order.events[-3:]:
        note = f" {mask_text(note_text(event.note, ctx.lang))}" if event.note else ""
        lines.append(f"  {_when(ctx, event.at)} {status_label(event.status, lang)} "
                     f"{await _person(ctx, event.actor)}{note}")
    actions = order_actions(order, ctx.actor)
    buttons: list[list[Button]] = []
    if OrderAction.APPROVE.value in actions:
        buttons.append(decision_buttons(lang, "order", order.number, order.version)[0][:2])
    if OrderAction.ALLOCATE.value in actions:
        buttons.append([_b(ctx, "staff.btn.allocate", "staff.alloc", order.number)])
    if OrderAction.SHIP.value in actions:
        buttons.append([_b(ctx, "staff.btn.ship", "staff.ship", order.number)])
    return [Reply(text="\n".join(lines), buttons=buttons)]


# --- orders: the desk (allocate, ship) ----------------------------------------------------------

@router.command("desk")
@router.button("staff.orders")
@router.staff_phrase(*DESK_PHRASES, anywhere=DESK_ANYWHERE)
async def order_desk(ctx: Ctx) -> list[Reply]:
    if (refusal := require_bound(ctx)) is not None:
        return refusal
    _require_any(ctx, P.ORDER_ALLOCATE, P.ORDER_SHIP)
    perms, clock = ctx.actor.permissions, ctx.deps.clock
    to_allocate = await all_waiting(ctx.uow(), ctx.actor, Queue.ALLOCATE, clock) if P.ORDER_ALLOCATE in perms else []
    to_ship = await all_waiting(ctx.uow(), ctx.actor, Queue.SHIP, clock) if P.ORDER_SHIP in perms else []
    if not to_allocate and not to_ship:
        return [Reply(text=ctx.t("staff.desk.empty"))]
    lines = [ctx.t("staff.desk.title", allocate=len(to_allocate), ship=len(to_ship))]
    buttons: list[list[Button]] = []
    offsets = [offset_arg(ctx, 0), offset_arg(ctx, 1)]
    for index, (head, orders, action, icon) in enumerate((
            ("staff.desk.allocate_head", to_allocate, "staff.alloc", "📦"),
            ("staff.desk.ship_head", to_ship, "staff.ship", "🚚"))):
        if not orders:
            continue
        shown = page_of(orders, offsets[index], DESK_LIMIT)
        offsets[index] = orders.index(shown[0])
        lines.append(ctx.t(head) + (f"（{page_where(ctx, offsets[index], len(shown), len(orders))}）"
                                    if len(orders) > DESK_LIMIT else ""))
        for order in shown:
            lines.append(f"· {order.ref} {order.dealer_name} {order.summary}（{ctx.pick(*order.status_label)}）")
            buttons.append([Button(f"{icon} {order.ref}", payload(action, order.ref)),
                            _b(ctx, "staff.btn.detail", "staff.order.detail", order.ref)])
    typed: dict[str, str] = {}                                  # a typed 下一页 pages the first list that can
    for index, orders in enumerate((to_allocate, to_ship)):    # ◀ ▶ per list, the other list stays where it is
        row = []
        for b in pager_row(ctx, "staff.orders", offsets[index], len(orders), DESK_LIMIT):
            moved = [int(b.payload.rsplit("|", 1)[1]) if i == index else offsets[i] for i in (0, 1)]
            row.append(Button(f"{'📦' if index == 0 else '🚚'} {b.label}", payload("staff.orders", *moved)))
            typed.setdefault("prev" if moved[index] < offsets[index] else "next", row[-1].payload)
        if row:
            buttons.append(row)
    remember_pages(ctx, prev=typed.get("prev", ""), next=typed.get("next", ""))
    return [Reply(text="\n".join(lines), buttons=buttons)]


def _needs(order: Order) -> dict[str, int]:
    need: dict[str, int] = {}
    for line in order.lines:
        need[line.sku] = need.get(line.sku, 0) + line.qty + line.free_qty
    return need


async def _past(ctx: Ctx, order: Order, action: OrderAction) -> list[Reply] | None:
    """The "already handled" answer when ``order`` is past the step ``action`` starts from (someone else was
    quicker), else None."""
    if order.status in ORDER_TRANSITIONS[action].sources:
        return None
    event = order.events[-1] if order.events else None
    return await _already(ctx, order.number, event.actor if event else None, event.at if event else None,
                          status_label(order.status, ctx.lang), ctx.inbound.message_ref)


@router.button("staff.alloc")
async def allocate_ask(ctx: Ctx) -> list[Reply]:
    require(ctx.actor, P.ORDER_ALLOCATE)
    drop_pending(ctx)
    number = _arg(ctx, 0)
    order = await order_cases.get_order(ctx.uow(), ctx.actor, number)
    if (done := await _past(ctx, order, OrderAction.ALLOCATE)) is not None:
        return done
    need = _needs(order)
    async with ctx.uow() as uow:
        warehouses = await uow.warehouses.list(order_by="code")
        rows = await uow.stock.list(sku__in=list(need))
        dealer = await uow.dealers.get(order.dealer_id)
    available = {(r.warehouse_id, r.sku): r.available for r in rows}
    region = dealer.region if dealer is not None else None
    # the dealer's own region first, as the automatic choice takes it (shorter trips), and said on its button
    enough = sorted((w for w in warehouses
                     if all(available.get((w.id or 0, sku), 0) >= qty for sku, qty in need.items())),
                    key=lambda w: w.region != region)
    needs = "、".join(f"{sku}×{qty}" for sku, qty in need.items())
    near = ctx.t("staff.alloc.near")
    buttons = [[Button(f"🏭 {w.code} {w.name}" + (near if region and w.region == region else ""),
                       payload("staff.alloc.wh", number, w.id or 0))] for w in enough]
    if enough:
        # "确认", "好的" typed: the automatic choice (the dealer's region first, as listed); "不", "算了": left
        buttons.append(confirm_row(ctx, ctx.t("staff.btn.auto"), payload("staff.alloc.wh", number, 0)))
        # "华北仓", "WH-TJ", "华北" typed instead of a button: that warehouse (handlers.flows.staff_orders.warehouse_typed)
        ctx.go(ALLOC_PICK, number=number,
               choices=[[w.id or 0, w.code, w.name, w.region or ""] for w in enough])
        return [Reply(text=ctx.t("staff.alloc.choose", number=number, needs=needs), buttons=buttons)]
    return [Reply(text=ctx.t("staff.alloc.none", number=number, needs=needs),
                  buttons=[[_b(ctx, "staff.btn.auto_produce", "staff.alloc.wh", number, 0)]])]


@router.state(ALLOC_PICK)
async def warehouse_typed(ctx: Ctx) -> list[Reply]:
    """A warehouse typed at the allocation choice ("华北仓", "WH-TJ", "华北", "tj", "自动"): allocated there; words naming
    none of the warehouses offered: the choice shown again (was: "我没有听懂这句话" and the choice lost)."""
    number = str(ctx.dialog.data.get("number") or "")
    said = normalize_label(ctx.inbound.text or "").removeprefix("走").removeprefix("从").removeprefix("用")
    choices = [c for c in ctx.dialog.data.get("choices") or [] if len(c) == 4]
    if said in ("自动", "自动分配", "auto", "automatic"):
        picked = [[0, "", "", ""]]
    else:
        picked = [c for c in choices if said and (said in (normalize_label(c[1]), normalize_label(c[2]), c[3])
                                                  or said == normalize_label(c[1]).rpartition("wh")[2]
                                                  or said.rstrip("仓") in (c[2].rstrip("仓"), c[3]))]
    if len(picked) != 1 and number and await _another_request(ctx):
        # "今天一共发了几单货", "SO-… 发货 德邦 …" at the choice: the choice left (said), the request answered
        raise StepLeft([Reply(text=ctx.t("staff.alloc.left", number=number))])
    ctx.idle()
    if len(picked) != 1 or not number:
        ctx.args = [number]
        return [Reply(text=ctx.t("staff.alloc.which", words=ctx.inbound.text[:20]))] + await allocate_ask(ctx)
    ctx.args = [number, str(picked[0][0])]
    return await allocate(ctx)


async def _another_request(ctx: Ctx) -> bool:
    """Do the words typed at a choice ask for something else (a staff command, a question the parser reads surely)
    rather than name a choice badly ("华中")?"""
    if parse_staff_command(ctx.inbound.text or "") is not None:
        return True
    parsed = await parse_message(ctx)
    if parsed.intent in (Intent.CHITCHAT_OTHER, Intent.GREETING):
        return False
    return parsed.confidence >= LOW_CONFIDENCE or parsed.slots.topic is not None   # a topic read: a sure request


@router.button("staff.alloc.wh")
async def allocate(ctx: Ctx) -> list[Reply]:
    require(ctx.actor, P.ORDER_ALLOCATE)
    drop_pending(ctx)
    number, warehouse_id, prompt_ref = _arg(ctx, 0), _int_arg(ctx, 1), ctx.inbound.message_ref
    cmd = order_cases.AllocateOrder(number=number, warehouse_id=warehouse_id or None)
    try:
        order = await order_cases.allocate_order(ctx.uow(), ctx.actor, cmd, ctx.deps.clock)
    except (Conflict, InvalidTransition) as exc:
        return await _order_taken(ctx, number, OrderAction.ALLOCATE, prompt_ref, exc)
    line = await order_line(ctx, order)
    if order.status == OrderStatus.IN_PRODUCTION:
        text = ctx.t("staff.order.produced", line=line)
        return [_edited(ctx, text + "\n" + await _decided_line(ctx), prompt_ref)]
    async with ctx.uow() as uow:
        warehouse = await uow.warehouses.get(order.warehouse_id) if order.warehouse_id else None
    where = warehouse.code if warehouse else "?"
    buttons = [[_b(ctx, "staff.btn.ship", "staff.ship", number)]] if P.ORDER_SHIP in ctx.actor.permissions else []
    text = ctx.t("staff.order.allocated", line=line, warehouse=where)
    return [_edited(ctx, text + "\n" + await _decided_line(ctx), prompt_ref, buttons)]


@router.button("staff.ship")
async def ship_ask_carrier(ctx: Ctx) -> list[Reply]:
    require(ctx.actor, P.ORDER_SHIP)
    drop_pending(ctx)
    number = _arg(ctx, 0)
    order = await order_cases.get_order(ctx.uow(), ctx.actor, number)
    if (done := await _past(ctx, order, OrderAction.SHIP)) is not None:
        return done
    names = [Button(_label(ctx.lang, c), payload("staff.ship.carrier", number, i)) for i, c in enumerate(CARRIERS)]
    names.append(_b(ctx, "staff.btn.other_carrier", "staff.ship.carrier", number, len(CARRIERS)))
    return [Reply(text=ctx.t("staff.ship.carrier", number=number), buttons=[names[:2], names[2:]])]


@router.button("staff.ship.carrier")
async def ship_carrier_chosen(ctx: Ctx) -> list[Reply]:
    require(ctx.actor, P.ORDER_SHIP)
    number, index = _arg(ctx, 0), _int_arg(ctx, 1)
    if index > len(CARRIERS):
        raise _stale()
    if index == len(CARRIERS):
        ctx.go(SHIP_CARRIER, ref=number, prompt=ctx.inbound.message_ref)
        return [_ask(ctx, ctx.t("staff.ship.carrier_name"))]
    carrier = CARRIERS[index][0]
    ctx.go(SHIP_TRACKING, ref=number, carrier=carrier, prompt=ctx.inbound.message_ref)
    return [_ask(ctx, ctx.t("staff.ship.tracking", carrier=_carrier_label(ctx.lang, carrier)))]


def _carrier_label(lang: str, carrier: str) -> str:
    known = {zh: (zh, en) for zh, en in CARRIERS}
    return _label(lang, known[carrier]) if carrier in known else carrier


def _left_shipping(ctx: Ctx, text: str | None) -> None:
    """"0002", "0003没问题" typed where a carrier or a waybill number was asked: that command, the shipping dropped
    (was: "0002" taken as the waybill number and the order shipped)."""
    ref = str(ctx.dialog.data.get("ref", ""))
    if text and another_command(text, ref):
        raise StepLeft([Reply(text=ctx.t("staff.ship_left", ref=ref))])


@router.state(SHIP_CARRIER)
async def ship_carrier_typed(ctx: Ctx) -> list[Reply]:
    text = _typed(ctx, 200)
    _left_shipping(ctx, text)
    if text is None or len(text) > 32:
        return [_ask(ctx, ctx.t("staff.ship.bad_carrier"))]
    data = ctx.dialog.data
    ctx.go(SHIP_TRACKING, ref=data.get("ref", ""), carrier=text, prompt=data.get("prompt", ""))
    return [_ask(ctx, ctx.t("staff.ship.tracking", carrier=text))]


@router.state(SHIP_TRACKING)
async def ship_tracking_typed(ctx: Ctx) -> list[Reply]:
    text = _typed(ctx, 200)
    _left_shipping(ctx, text)
    tracking = tracking_said(text or "")
    if tracking is None:
        return [_ask(ctx, ctx.t("staff.ship.bad_tracking"))]
    data = dict(ctx.dialog.data)
    ctx.idle()
    number, carrier, prompt_ref = str(data.get("ref", "")), str(data.get("carrier", "")), str(data.get("prompt", ""))
    return await ship(ctx, number, carrier, tracking, prompt_ref)


async def ship(ctx: Ctx, number: str, carrier: str, tracking: str, prompt_ref: str) -> list[Reply]:
    """Ship ``number`` (the tracking number already checked); also the confirm of "SO-… 发货 德邦 DP123456"."""
    cmd = order_cases.ShipOrder(number=number, carrier=carrier, tracking_no=tracking)
    try:
        order = await order_cases.ship_order(ctx.uow(), ctx.actor, cmd, ctx.deps.clock)
    except (Conflict, InvalidTransition) as exc:
        return await _order_taken(ctx, number, OrderAction.SHIP, prompt_ref, exc)
    except DomainError as exc:
        return [Reply(text=exc.message(ctx.lang))]
    text = ctx.t("staff.order.shipped", line=await order_line(ctx, order),
                 carrier=_carrier_label(ctx.lang, carrier), tracking=tracking)
    return [_edited(ctx, text + "\n" + await _decided_line(ctx), prompt_ref)]


async def _rejected(ctx: Ctx, ref: str, reason: str, data: dict[str, Any]) -> list[Reply]:
    version = data.get("version")
    return await reject_order(ctx, ref, reason, version if isinstance(version, int) else None,
                               str(data.get("prompt", "")))


REJECTIONS["order"] = _rejected
