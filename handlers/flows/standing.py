"""Staff suspend and reinstate a dealer in chat: "暂停 D0005 经销资格 原因：拖欠货款", "恢复 D0005", "suspend D0005
reason: overdue payments", "reinstate D0005".

Who may: whoever ``core.services.dealers.set_standing`` allows (DEALER_REVIEW: admin and channel managers);
anyone else is told so before anything is asked. Nothing is written before the ✅ confirm; the use case
audits (``dealer.suspend`` / ``dealer.reinstate``), tells the dealer (the reason in its language's template),
and applies the open-orders rule (setting ``SUSPENSION_OPEN_ORDERS``: keep, or hold the open orders not yet
shipped for review, released on reinstatement).

Dialog states: ``standing.reason`` (a suspension without a reason asks for one), ``standing.confirm`` (the
card waits for ✅ ``standing.ok|<nonce>`` or ❌ ``standing.no``). ``standing.pick|<dealer id>|<s|r>`` chooses
among dealers a name fits.
"""

from __future__ import annotations

import secrets

from core.authz import require
from core.dealer_states import STATUS_LABELS
from core.dealers import Dealer, DealerStatus
from core.errors import DomainError
from core.services import dealers as dealer_cases
from core.users import Permission
from handlers import i18n
from handlers.context import Ctx
from handlers.flows.forms import menu_button
from handlers.messages import Button, InboundKind, Reply
from handlers.router import Router, payload
from nlu.standing_words import (
    REINSTATE_ASKED,
    REINSTATE_ASKED_LATE,
    SUSPEND_ASKED,
    SUSPEND_ASKED_LATE,
    reinstatement_said,
    suspension_said,
)

router = Router(name=__name__)

SUSPEND, REINSTATE = "s", "r"

i18n.register({
    "standing.not_allowed": ("您没有权限暂停或恢复经销商：这由渠道经理或管理员办理（后台经销商资料，或在聊天中输入"
                             "“暂停 D0005 经销资格 原因：…”）。",
                             "You may not suspend or reinstate dealers: channel managers and admins do (the admin dealer "
                             "form, or \"suspend D0005 reason: ...\" in chat)."),
    "standing.none": ("没有找到经销商“{q}”。", "No dealer matches \"{q}\"."),
    "standing.pick": ("有多家经销商符合“{q}”，请选择：", "Several dealers match \"{q}\"; choose one:"),
    "standing.ask_reason": ("请输入暂停 {dealer} 经销资格的原因（会告知经销商；发送“取消”放弃）：",
                            "Type the reason to suspend {dealer} (the dealer is told; or \"cancel\"):"),
    "standing.confirm_suspend": ("确认暂停 {dealer} 的经销资格？\n原因：{reason}\n暂停后该经销商可以查询库存、订单和对账单，"
                                 "但不能下单。\n未发货订单：{rule}",
                                 "Suspend {dealer}?\nReason: {reason}\nWhile suspended it can read its stock, orders "
                                 "and statements but cannot order.\nOpen orders not yet shipped: {rule}"),
    "standing.rule.keep": ("照常处理（SUSPENSION_OPEN_ORDERS=keep）", "go on as usual (SUSPENSION_OPEN_ORDERS=keep)"),
    "standing.rule.hold": ("暂缓处理、待复核，并通知订单组（SUSPENSION_OPEN_ORDERS=hold）",
                           "held for review, the order desk told (SUSPENSION_OPEN_ORDERS=hold)"),
    "standing.confirm_reinstate": ("确认恢复 {dealer} 的经销资格？恢复后可以继续下单，暂缓的订单恢复处理。",
                                   "Reinstate {dealer}? It may order again and orders on hold go on."),
    "standing.btn.suspend": ("✅ 确认暂停", "✅ Suspend"),
    "standing.btn.reinstate": ("✅ 确认恢复", "✅ Reinstate"),
    "standing.btn.no": ("❌ 取消", "❌ Cancel"),
    "standing.already": ("{dealer} 当前状态为“{status}”，无需操作。", "{dealer} is {status} already; nothing to do."),
    "standing.suspended": ("已暂停 {dealer} 的经销资格（原因：{reason}），已通知经销商。{held}",
                           "{dealer} is suspended (reason: {reason}); the dealer is told. {held}"),
    "standing.held": ("{count} 张未发货订单已暂缓处理、待复核。", "{count} open orders are on hold for review."),
    "standing.reinstated": ("已恢复 {dealer} 的经销资格，已通知经销商。", "{dealer} is reinstated; the dealer is told."),
    "standing.stale": ("这个确认已失效，请重新输入。", "This confirmation has expired; please type it again."),
    "standing.dropped": ("已取消，未做任何更改。", "Cancelled; nothing was changed."),
})


def _label(d: Dealer) -> str:
    return f"{d.code} {d.name}"


def _rule_text(ctx: Ctx) -> str:
    return ctx.t("standing.rule.hold" if ctx.deps.suspension_open_orders == "hold" else "standing.rule.keep")


async def _find(ctx: Ctx, who: str) -> list[Dealer]:
    query = who.strip(" ，,。:：")
    exact = [d for d in await dealer_cases.list_dealers(ctx.uow(), ctx.actor, search=query.upper(), limit=8)
             if d.code == query.upper()]
    if exact:
        return exact
    return await dealer_cases.list_dealers(ctx.uow(), ctx.actor, search=query, limit=8)


@router.staff_pattern(SUSPEND_ASKED)
@router.staff_pattern(SUSPEND_ASKED_LATE)
async def suspend_typed(ctx: Ctx) -> list[Reply]:
    said = suspension_said(ctx.inbound.text)
    if said is None:
        return [Reply(text=ctx.t("standing.none", q=ctx.inbound.text[:40]))]
    return await _start(ctx, said.who, SUSPEND, said.reason)


@router.staff_pattern(REINSTATE_ASKED)
@router.staff_pattern(REINSTATE_ASKED_LATE)
async def reinstate_typed(ctx: Ctx) -> list[Reply]:
    said = reinstatement_said(ctx.inbound.text)
    if said is None:
        return [Reply(text=ctx.t("standing.none", q=ctx.inbound.text[:40]))]
    return await _start(ctx, said.who, REINSTATE, "")


async def _start(ctx: Ctx, who: str, action: str, reason: str) -> list[Reply]:
    if Permission.DEALER_REVIEW not in ctx.actor.permissions:      # refused before anything is asked
        return [Reply(text=ctx.t("standing.not_allowed"))]
    found = await _find(ctx, who)
    if not found:
        return [Reply(text=ctx.t("standing.none", q=who[:40]))]
    if len(found) > 1:
        ctx.go("standing.pick", reason=reason)
        return [Reply(text=ctx.t("standing.pick", q=who[:40]),
                      buttons=[[Button(_label(d), payload("standing.pick", d.id or 0, action))] for d in found])]
    return _ask(ctx, found[0], action, reason)


def _ask(ctx: Ctx, dealer: Dealer, action: str, reason: str) -> list[Reply]:
    target = DealerStatus.SUSPENDED if action == SUSPEND else DealerStatus.ACTIVE
    if dealer.status == target or (action == REINSTATE and dealer.status != DealerStatus.SUSPENDED) or (
            action == SUSPEND and dealer.status != DealerStatus.ACTIVE):
        ctx.idle()
        return [Reply(text=ctx.t("standing.already", dealer=_label(dealer),
                                 status=ctx.pick(*STATUS_LABELS[dealer.status])))]
    if action == SUSPEND and not reason:
        ctx.go("standing.reason", dealer_id=dealer.id, label=_label(dealer))
        return [Reply(text=ctx.t("standing.ask_reason", dealer=_label(dealer)))]
    nonce = secrets.token_hex(4)
    ctx.go("standing.confirm", dealer_id=dealer.id, action=action, reason=reason[:200], nonce=nonce)
    if action == SUSPEND:
        text = ctx.t("standing.confirm_suspend", dealer=_label(dealer), reason=reason[:200], rule=_rule_text(ctx))
        ok = ctx.t("standing.btn.suspend")
    else:
        text = ctx.t("standing.confirm_reinstate", dealer=_label(dealer))
        ok = ctx.t("standing.btn.reinstate")
    return [Reply(text=text, buttons=[[Button(ok, payload("standing.ok", nonce)),
                                       Button(ctx.t("standing.btn.no"), payload("standing.no"))]])]


@router.button("standing.pick")
async def picked(ctx: Ctx) -> list[Reply]:
    require(ctx.actor, Permission.DEALER_REVIEW)
    raw = ctx.args[0] if ctx.args else ""
    action = ctx.args[1] if len(ctx.args) > 1 and ctx.args[1] in (SUSPEND, REINSTATE) else SUSPEND
    reason = str(ctx.dialog.data.get("reason", "")) if ctx.dialog.state == "standing.pick" else ""
    dealer = await dealer_cases.get_dealer(ctx.uow(), ctx.actor, int(raw)) if raw.isdigit() else None
    if dealer is None:
        return [Reply(text=ctx.t("error.button_stale"))]
    return _ask(ctx, dealer, action, reason)


@router.state("standing.reason")
async def reason_typed(ctx: Ctx) -> list[Reply]:
    reason = ctx.inbound.text.strip() if ctx.inbound.kind == InboundKind.TEXT else ""
    label = str(ctx.dialog.data.get("label", ""))
    if not reason:
        return [Reply(text=ctx.t("standing.ask_reason", dealer=label))]
    dealer_id = ctx.dialog.data.get("dealer_id")
    if not isinstance(dealer_id, int):
        ctx.idle()
        return [Reply(text=ctx.t("standing.stale"))]
    dealer = await dealer_cases.get_dealer(ctx.uow(), ctx.actor, dealer_id)
    return _ask(ctx, dealer, SUSPEND, reason)


@router.state("standing.confirm", "standing.pick")
async def confirm_waiting(ctx: Ctx) -> list[Reply]:
    """Typing while the card waits: another suspension or reinstatement starts over; anything else leaves it."""
    ctx.idle()
    text = ctx.inbound.text if ctx.inbound.kind == InboundKind.TEXT else ""
    if suspension_said(text) is not None:
        return await suspend_typed(ctx)
    if reinstatement_said(text) is not None:
        return await reinstate_typed(ctx)
    return [Reply(text=ctx.t("standing.dropped"), buttons=[[menu_button(ctx)]])]


@router.button("standing.no")
async def dropped(ctx: Ctx) -> list[Reply]:
    if ctx.dialog.state.startswith("standing."):
        ctx.idle()
    return [Reply(text=ctx.t("standing.dropped"), buttons=[[menu_button(ctx)]])]


@router.button("standing.ok")
async def confirmed(ctx: Ctx) -> list[Reply]:
    require(ctx.actor, Permission.DEALER_REVIEW)
    data = ctx.dialog.data
    nonce = ctx.args[0] if ctx.args else ""
    if ctx.dialog.state != "standing.confirm" or not nonce or data.get("nonce") != nonce:
        return [Reply(text=ctx.t("standing.stale"))]
    dealer_id, action, reason = data.get("dealer_id"), data.get("action"), str(data.get("reason", ""))
    ctx.idle()
    if not isinstance(dealer_id, int) or action not in (SUSPEND, REINSTATE):
        return [Reply(text=ctx.t("standing.stale"))]
    rule = dealer_cases.OpenOrdersRule(ctx.deps.suspension_open_orders)
    async with ctx.uow() as uow:
        held_before = len([o for o in await uow.orders.list(dealer_id=dealer_id) if o.held_reason])
    try:
        dealer = await dealer_cases.set_standing(ctx.uow(), ctx.actor, dealer_cases.SetDealerStanding(
            dealer_id=dealer_id, status=DealerStatus.SUSPENDED if action == SUSPEND else DealerStatus.ACTIVE,
            reason=reason, open_orders=rule), ctx.deps.clock)
    except DomainError as exc:
        return [Reply(text=exc.message(ctx.lang), buttons=[[menu_button(ctx)]])]
    if action == REINSTATE:
        return [Reply(text=ctx.t("standing.reinstated", dealer=_label(dealer)), buttons=[[menu_button(ctx)]])]
    async with ctx.uow() as uow:
        held = len([o for o in await uow.orders.list(dealer_id=dealer_id) if o.held_reason]) - held_before
    text = ctx.t("standing.suspended", dealer=_label(dealer), reason=reason,
                 held=ctx.t("standing.held", count=held) if held > 0 else "")
    return [Reply(text=text.strip(), buttons=[[menu_button(ctx)]])]
