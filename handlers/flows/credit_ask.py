"""A dealer asks for a higher credit limit in chat (QA s26 #3): "额度不够了能申请提额吗", "想申请提额", or the
📈 申请提额 button (``crd.new``).

The dealer sees its credit now (limit, used, available) and any request still waiting; then the new limit ("60万",
"调到60万") or an increase ("加10万"), the reason, and a summary to submit (``crd.submit|<nonce>``, once per form).
The request goes through core.services.credit.request_credit_change (audited, the approvers told): it lands in
staff's 💳 额度申请 queue, and the dealer hears the decision (credit.decided / credit.limit_approved).
"""

from __future__ import annotations

from decimal import Decimal

from core.credit import CreditChangeKind
from core.money import fmt_cny
from core.services.accounts import get_balances
from core.services.credit import MAX_REASON, RequestCreditChange, open_credit_request, request_credit_change
from handlers import i18n
from handlers.context import Ctx
from handlers.flows import forms
from handlers.messages import Button, InboundKind, Reply
from handlers.router import Router, payload
from nlu.credit_words import asks_for_more_credit, read_credit_amount
from nlu.replies import is_confirmation

router = Router(name=__name__)

i18n.register({
    "crd.now": ("💳 您的信用额度 {limit}，已用 {used}，可用 {available}。",
                "💳 Your credit limit is {limit}: {used} used, {available} available."),
    "crd.pending": ("您已有待审批的额度申请 {number}（{what}），审批后会通知您。",
                    "Your credit request {number} ({what}) is awaiting a decision; you will be told."),
    "crd.ask.amount": ("想把信用额度调到多少？例如“60万”，或“加10万”：",
                       "What should the credit limit be? e.g. \"600000\", or \"add 100000\":"),
    "crd.bad.amount": ("请输入金额，例如“60万”或“加10万”（须高于现在的额度 {limit}）。",
                       "Please type an amount, e.g. 600000 or \"add 100000\" (above your limit now, {limit})."),
    "crd.ask.reason": ("请说明原因（例如：旺季备货，订单增加）：", "Why (e.g. peak season stock, more orders)?"),
    "crd.confirm": ("请确认提额申请：\n信用额度：{previous} → {amount}（提高 {delta}）\n原因：{reason}\n"
                    "提交后由厂家审批，结果会通知您。",
                    "Please confirm the credit request:\nCredit limit: {previous} -> {amount} (up {delta})\n"
                    "Reason: {reason}\nThe maker decides it and you will be told."),
    "crd.btn.new": ("📈 申请提额", "📈 Ask for more credit"),
    "crd.btn.submit": ("✅ 提交申请", "✅ Submit"),
    "crd.use_buttons": ("提额申请还没有提交：请点“提交申请”，或点“取消”。",
                        "The credit request is not submitted yet: tap Submit, or Cancel."),
    "crd.submitted": ("✅ 已提交提额申请 {number}：信用额度 {previous} → {amount}。厂家审批后会通知您。",
                      "✅ Credit request {number} submitted: {previous} -> {amount}. You will hear the decision."),
})


def ask_button(ctx: Ctx) -> Button:
    """📈 申请提额, for the dealer's own credit screens."""
    return Button(ctx.t("crd.btn.new"), payload("crd.new"))


@router.text_hook
async def asked_in_words(ctx: Ctx) -> list[Reply] | None:
    """A dealer's "额度不够了能申请提额吗" (words read by nlu.credit_words); anyone else, other words: None."""
    if not ctx.is_dealer or ctx.inbound.kind != InboundKind.TEXT or not asks_for_more_credit(ctx.inbound.text or ""):
        return None
    return await start(ctx)


@router.button("crd.new")
async def start(ctx: Ctx) -> list[Reply]:
    refused = forms.require_dealer(ctx)
    if refused is not None:
        return refused
    dealer_id = ctx.actor.dealer_id or 0
    overview = await get_balances(ctx.uow(), ctx.actor, dealer_id, ctx.deps.clock)
    now = ctx.t("crd.now", limit=fmt_cny(overview.credit_limit), used=fmt_cny(-overview.balances.credit),
                available=fmt_cny(overview.credit_available))
    waiting = await open_credit_request(ctx.uow(), ctx.actor, dealer_id)
    if waiting is not None:
        what = f"{fmt_cny(waiting.previous_limit)} → {fmt_cny(waiting.amount)}" \
            if waiting.kind == CreditChangeKind.LIMIT else fmt_cny(waiting.amount)
        return [Reply(text=now + "\n" + ctx.t("crd.pending", number=waiting.number, what=what),
                      buttons=[[forms.menu_button(ctx)]])]
    async with ctx.uow() as uow:
        dealer = await uow.dealers.get(dealer_id)
    limit = dealer.credit_limit if dealer is not None else overview.credit_limit
    ctx.go("crd.amount", nonce=forms.new_nonce(), previous=str(limit))
    return [Reply(text=now + "\n" + ctx.t("crd.ask.amount"), buttons=[forms.cancel_row(ctx, "crd")])]


@router.button("crd.cancel")
async def cancel(ctx: Ctx) -> list[Reply]:
    return forms.cancel_form(ctx)


@router.state("crd.amount")
async def amount_typed(ctx: Ctx) -> list[Reply]:
    previous = Decimal(str(ctx.dialog.data.get("previous") or "0"))
    said = read_credit_amount(forms.text_of(ctx))
    new_limit = said.new_limit(previous) if said is not None else None
    if new_limit is None or new_limit <= previous:
        return [Reply(text=ctx.t("crd.bad.amount", limit=fmt_cny(previous)), buttons=[forms.cancel_row(ctx, "crd")])]
    forms.step(ctx, "crd.reason", amount=str(new_limit))
    return [Reply(text=ctx.t("crd.ask.reason"), buttons=[forms.cancel_row(ctx, "crd")])]


def _summary(ctx: Ctx) -> list[Reply]:
    d = ctx.dialog.data
    previous, amount = Decimal(str(d["previous"])), Decimal(str(d["amount"]))
    return [Reply(text=ctx.t("crd.confirm", previous=fmt_cny(previous), amount=fmt_cny(amount),
                             delta=fmt_cny(amount - previous), reason=d["reason"]),
                  buttons=[[Button(ctx.t("crd.btn.submit"), payload("crd.submit", d["nonce"]))],
                           forms.cancel_row(ctx, "crd")])]


@router.state("crd.reason")
async def reason_typed(ctx: Ctx) -> list[Reply]:
    reason = forms.text_of(ctx)[:MAX_REASON].strip()
    if not reason:
        return [Reply(text=ctx.t("crd.ask.reason"), buttons=[forms.cancel_row(ctx, "crd")])]
    forms.step(ctx, "crd.confirm", reason=reason)
    return _summary(ctx)


@router.state("crd.confirm")
async def confirm_typed(ctx: Ctx) -> list[Reply]:
    if is_confirmation(forms.text_of(ctx)):
        ctx.args = [str(ctx.dialog.data.get("nonce", ""))]
        return await submit(ctx)
    return [Reply(text=ctx.t("crd.use_buttons"))] + _summary(ctx)


@router.button("crd.submit")
async def submit(ctx: Ctx) -> list[Reply]:
    refused = forms.require_dealer(ctx)
    if refused is not None:
        return refused
    nonce = forms.arg(ctx, 0)
    done = forms.submitted_ref(ctx, nonce)
    if done is not None:                       # a second tap: the same request
        return [Reply(text=done, buttons=[[forms.menu_button(ctx)]])]
    if not forms.form_is(ctx, "crd.confirm", nonce):
        return await start(ctx)
    d = ctx.dialog.data
    change = await request_credit_change(ctx.uow(), ctx.actor, RequestCreditChange(
        ctx.actor.dealer_id or 0, CreditChangeKind.LIMIT, Decimal(str(d["amount"])), str(d["reason"])), ctx.deps.clock)
    text = ctx.t("crd.submitted", number=change.number, previous=fmt_cny(change.previous_limit),
                 amount=fmt_cny(change.amount))
    forms.remember_submitted(ctx, nonce, text)
    return [Reply(text=text, buttons=[[forms.menu_button(ctx)]])]
