"""Refunds and adjustments in chat (finance): asked from a dealer's ledger (``adj.new|<dealer id>``: kind, account,
amount, reason; booked at once up to the approval threshold, else a finance request another person decides), and
``/fin_requests`` (``fin.fr.list|<offset>``): the requests waiting, ✅ / ❌ (with a reason) by someone other than
who asked. Split from ``handlers.flows.payments`` (its helpers and texts are shared)."""

from __future__ import annotations

from decimal import Decimal

from core.accounts import FINANCE_REQUEST_STATUS_LABELS, AccountKind
from core.money import fmt_cny
from core.services.dealers import get_dealer
from core.services.payments import (
    MAX_REASON,
    RequestAdjustment,
    decide_finance_request,
    list_finance_requests,
    request_adjustment,
)
from handlers import i18n
from handlers.context import Ctx
from handlers.flows import forms
from handlers.flows.finance import offset_arg, page_of, page_where, pager_row
from handlers.flows.payments import ACCOUNTS, _account_name, _cancel, _int_arg, _refused
from handlers.messages import Button, Reply
from handlers.router import Router, payload
from nlu.numbers import read_amount

router = Router(name=__name__)


# --- asking for a refund or an adjustment (booked at once up to the threshold, else a second person decides) ---

i18n.register({
    "adj.ask.kind": ("{dealer}：退款还是调账？", "{dealer}: a refund or an adjustment?"),
    "adj.kind.refund": ("退款", "Refund"),
    "adj.kind.adjustment": ("调账", "Adjustment"),
    "adj.ask.account": ("哪个账户？", "Which account?"),
    "adj.ask.amount.refund": ("退多少钱？（例如 3000 或 3万）", "How much is paid back? (e.g. 3000)"),
    "adj.ask.amount.adjustment": ("调多少？调增写 500，调减写 -500：", "How much? 500 to add, -500 to take off:"),
    "adj.ask.reason": ("原因？（审批人会看到）", "The reason? (the approver reads it)"),
    "adj.booked": ("✅ 已记账：流水 #{id} {signed}。", "✅ Booked: entry #{id} {signed}."),
    "adj.pending": ("⏳ 已提交 {ref}，金额超过审批线，需另一位财务人员审批。",
                    "⏳ {ref} submitted: above the threshold, another finance person decides it."),
})


@router.button("adj.new")
async def adjustment_new(ctx: Ctx) -> list[Reply]:
    if (refused := _refused(ctx)) is not None:
        return refused
    dealer = await get_dealer(ctx.uow(), ctx.actor, _int_arg(ctx))
    ctx.go("adj.kind", dealer_id=dealer.id, dealer=f"{dealer.code} {dealer.name}")
    return [Reply(text=ctx.t("adj.ask.kind", dealer=f"{dealer.code} {dealer.name}"),
                  buttons=[[Button(ctx.t(f"adj.kind.{k}"), payload("adj.kind", k)) for k in ("refund", "adjustment")],
                           _cancel(ctx)])]


@router.button("adj.kind")
async def adjustment_kind(ctx: Ctx) -> list[Reply]:
    if (refused := _refused(ctx)) is not None:
        return refused
    kind = forms.arg(ctx, 0)
    if ctx.dialog.state != "adj.kind" or kind not in ("refund", "adjustment"):
        return [Reply(text=ctx.t("error.button_stale"))]
    forms.step(ctx, "adj.account", kind=kind)
    return [Reply(text=ctx.t("adj.ask.account"),
                  buttons=[[Button(_account_name(ctx, a), payload("adj.acct", a.value)) for a in ACCOUNTS],
                           _cancel(ctx)])]


@router.button("adj.acct")
async def adjustment_account(ctx: Ctx) -> list[Reply]:
    if (refused := _refused(ctx)) is not None:
        return refused
    account = forms.arg(ctx, 0)
    if ctx.dialog.state != "adj.account" or account not in {a.value for a in ACCOUNTS}:
        return [Reply(text=ctx.t("error.button_stale"))]
    forms.step(ctx, "adj.amount", account=account)
    return [Reply(text=ctx.t(f"adj.ask.amount.{ctx.dialog.data['kind']}"), buttons=[_cancel(ctx)])]


@router.state("adj.amount")
async def adjustment_amount(ctx: Ctx) -> list[Reply]:
    if (refused := _refused(ctx)) is not None:
        return refused
    text = forms.text_of(ctx).replace("＋", "+").replace("－", "-")
    negative = ctx.dialog.data["kind"] == "adjustment" and text.lstrip().startswith(("-", "调减"))
    amount = read_amount(text.strip().lstrip("+-").removeprefix("调减").removeprefix("调增").strip())
    if amount is None:
        return [Reply(text=ctx.t(f"adj.ask.amount.{ctx.dialog.data['kind']}"), buttons=[_cancel(ctx)])]
    forms.step(ctx, "adj.reason", amount=str(-amount if negative else amount))
    return [Reply(text=ctx.t("adj.ask.reason"), buttons=[_cancel(ctx)])]


@router.state("adj.reason")
async def adjustment_reason(ctx: Ctx) -> list[Reply]:
    if (refused := _refused(ctx)) is not None:
        return refused
    reason = forms.text_of(ctx)[:MAX_REASON]
    if not reason:
        return [Reply(text=ctx.t("form.text_wanted"), buttons=[_cancel(ctx)])]
    d = dict(ctx.dialog.data)
    ctx.idle()                                   # before the use case: a second message cannot ask twice
    outcome = await request_adjustment(ctx.uow(), ctx.actor, RequestAdjustment(
        int(d["dealer_id"]), AccountKind(d["account"]), Decimal(d["amount"]), str(d["kind"]), reason), ctx.deps.clock,
        threshold=ctx.deps.finance_approval_threshold)
    back = [[Button(ctx.t("pay.btn.ledger"), payload("pay.ledger", int(d["dealer_id"]), 0)), forms.menu_button(ctx)]]
    if outcome.entry is not None:
        e = outcome.entry
        return [Reply(text=ctx.t("adj.booked", id=e.id, signed=("+" if e.amount > 0 else "-") + fmt_cny(abs(e.amount))),
                      buttons=back)]
    return [Reply(text=ctx.t("adj.pending", ref=outcome.request.number if outcome.request else "-"), buttons=back)]


# --- refunds and adjustments waiting for a second person -------------------------------------------------

@router.command("fin_requests")
@router.button("fin.fr.list")
async def requests_waiting(ctx: Ctx) -> list[Reply]:
    if (refused := _refused(ctx)) is not None:
        return refused
    waiting = await list_finance_requests(ctx.uow(), ctx.actor, limit=500)
    if not waiting:
        return [Reply(text=ctx.t("fin.fr.none"), buttons=[[forms.menu_button(ctx)]])]
    offset = offset_arg(ctx)
    shown = page_of(waiting, offset)
    offset = waiting.index(shown[0])
    replies = [Reply(text=ctx.t("fin.fr.head", where=page_where(ctx, offset, len(shown), len(waiting))))]
    for item in shown:
        rid = item.request.id or 0
        if item.may_decide:
            replies.append(Reply(text=item.summary(ctx.lang),
                                 buttons=[[Button(ctx.t("fin.fr.ok"), payload("fin.fr.ok", rid)),
                                           Button(ctx.t("fin.fr.no"), payload("fin.fr.no", rid))]]))
        else:
            replies.append(Reply(text=item.summary(ctx.lang) + "\n" + ctx.t("fin.fr.own")))
    replies[-1].buttons.append(pager_row(ctx, "fin.fr.list", offset, len(waiting)) or [forms.menu_button(ctx)])
    return replies


async def _decided(ctx: Ctx, request_id: int, approve: bool, note: str) -> list[Reply]:
    request = await decide_finance_request(ctx.uow(), ctx.actor, request_id, approve, note, ctx.deps.clock)
    return [Reply(text=ctx.t("fin.fr.decided", number=request.number,
                             status=ctx.pick(*FINANCE_REQUEST_STATUS_LABELS[request.status])),
                  buttons=[[Button(ctx.t("fin.btn.requests"), payload("fin.fr.list", 0)), forms.menu_button(ctx)]])]


@router.button("fin.fr.ok")
async def request_approve(ctx: Ctx) -> list[Reply]:
    if (refused := _refused(ctx)) is not None:
        return refused
    return await _decided(ctx, _int_arg(ctx), True, "")


@router.button("fin.fr.no")
async def request_reject(ctx: Ctx) -> list[Reply]:
    if (refused := _refused(ctx)) is not None:
        return refused
    ctx.go("fin.fr.reason", request_id=_int_arg(ctx))
    return [Reply(text=ctx.t("fin.fr.reason"), buttons=[forms.cancel_row(ctx, "pay")])]


@router.state("fin.fr.reason")
async def request_reason(ctx: Ctx) -> list[Reply]:
    if (refused := _refused(ctx)) is not None:
        return refused
    reason = forms.text_of(ctx)
    if not reason:
        return [Reply(text=ctx.t("form.text_wanted"), buttons=[forms.cancel_row(ctx, "pay")])]
    request_id = int(ctx.dialog.data.get("request_id") or 0)
    ctx.idle()
    return await _decided(ctx, request_id, False, reason[:MAX_REASON])
