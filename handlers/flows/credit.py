"""Credit requests in chat for the staff who decide them (core.services.credit).

- ``/credit`` (button ``cr.list``), for CREDIT_APPROVE or CREDIT_REQUEST: the requests awaiting a decision, with
  ✅ 批准 / ❌ 驳回 where the reader may decide (an approver, not its own request);
- ``cr.ok|<id>`` approves; ``cr.no|<id>`` asks for the reason, then rejects. The approvers' push
  (``credit.requested``) carries the same buttons.

Asking for a change (CREDIT_REQUEST: channel managers, finance): ``/credit`` offers ➕ (``cr.new``), then dealer
code, new limit or temporary credit (``cr.kind``), amount ("30万" works), last day for temporary credit, reason,
and a summary to submit (``cr.submit``, once per form); the back office has the same form
(``/backoffice/credit``).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from core.credit import CREDIT_KIND_LABELS, CREDIT_STATUS_LABELS, CreditChange, CreditChangeKind
from core.money import fmt_cny
from core.services.accounts import get_balances
from core.services.credit import (
    MAX_REASON,
    PendingCreditChange,
    RequestCreditChange,
    decide_credit_change,
    list_pending_credit_changes,
    request_credit_change,
)
from core.services.dealers import get_dealer, get_dealer_by_code
from core.users import Permission
from handlers import i18n
from handlers.context import Ctx
from handlers.flows import forms
from handlers.flows.finance import offset_arg, page_of, page_where, pager_row
from handlers.flows.menu import require_bound
from handlers.messages import Answer, Button, Reply
from handlers.router import Router, payload
from nlu.credit_grant import confirms_approval, read_grant, refuses_approval
from nlu.dates import parse_date
from nlu.numbers import read_amount
from nlu.replies import is_confirmation

MAX_DEALER_CHOICES = 6
MIN_GRANTED = Decimal("1000")     # "按3台": no credit amount

router = Router(name=__name__)

i18n.register({
    "cr.none": ("没有待审批的额度申请。", "No credit request is awaiting a decision."),
    "cr.head": ("💳 待审批的额度申请（{n}）：", "💳 Credit requests awaiting a decision ({n}):"),
    "cr.yours": ("（您提交的申请，等待审批）", "(your request, awaiting a decision)"),
    "cr.not_yours": ("（您提交的申请，由其他审批人处理）", "(your own request: another approver decides it)"),
    "cr.btn.ok": ("✅ 批准", "✅ Approve"),
    "cr.btn.no": ("❌ 驳回", "❌ Reject"),
    "cr.btn.list": ("💳 额度申请", "💳 Credit requests"),
    "cr.approve.confirm": ("请确认批准额度申请：\n{summary}{granted}", "Please confirm approving the credit request:\n{summary}{granted}"),
    "cr.approve.granted": ("\n批准金额：{amount}（申请 {asked}）", "\nAmount approved: {amount} (asked: {asked})"),
    "cr.approve.at_ask": ("\n您说的 {said} 不低于申请的 {asked}：按申请金额 {asked} 批准。",
                          "\nThe {said} you said is not below the {asked} asked: approved as asked, {asked}."),
    "cr.approve.held": ("这个按钮是按申请金额批准的；您刚才说的是按 {amount} 批准。请确认：",
                        "That button approves the amount asked; you said {amount}. Please confirm:"),
    "cr.approve.unread": ("没看懂这句话，批准金额仍是 {amount}。请点按钮确认，或输入要批的金额（如 8万、一半）。",
                          "Not understood; the amount approved is still {amount}. Tap to confirm, or type an amount "
                          "(e.g. 80000, half)."),
    "cr.approve.unread_asked": ("没看懂这句话。请点按钮确认按申请金额批准，或输入要批的金额（如 8万、一半）。",
                                "Not understood. Tap to approve the amount asked, or type an amount (e.g. 80000, half)."),
    "cr.btn.yes": ("✅ 确认批准", "✅ Confirm approval"),
    "cr.btn.yes_at": ("✅ 按 {amount} 批准", "✅ Approve at {amount}"),
    "cr.btn.amount": ("✏️ 改批金额", "✏️ Approve less"),
    "cr.ask.granted": ("批多少？请输入金额（低于申请的 {asked}），例如 70万：",
                       "How much? Type an amount below the {asked} asked, e.g. 700000:"),
    "cr.ask.granted_now": ("\n（现按 {amount} 批准）", "\n(now: {amount})"),
    "cr.own": ("不能审批自己提交的额度申请，请由其他有审批权限的同事处理。",
               "You cannot decide your own credit request; another approver must."),
    "cr.gone": ("这条额度申请已不在待审批列表中。", "That credit request is no longer awaiting a decision."),
    "cr.reason": ("请输入驳回额度申请的原因：", "Why is the credit request rejected?"),
    "cr.decided": ("额度申请 {number}：{status}。", "Credit request {number}: {status}."),
    "cr.btn.new": ("➕ 申请调整额度", "➕ Ask for a credit change"),
    "cr.ask.dealer": ("请输入经销商编码或名称（例如 D0001 或 华信）：", "Which dealer? Type its code or name (e.g. D0001):"),
    "cr.dealer.none": ("没有找到经销商“{text}”。请输入经销商编码（如 D0008）或名称中的几个字，或点“取消”：",
                       "No dealer matches \"{text}\". Type its code (e.g. D0008) or part of its name, or tap Cancel:"),
    "cr.dealer.many": ("找到多家经销商，请选择：", "Several dealers match; choose one:"),
    "cr.ask.kind": ("{dealer}\n当前信用额度 {limit}{temporary}\n要申请哪种调整？",
                    "{dealer}\nCredit limit now {limit}{temporary}\nWhich change?"),
    "cr.temporary_now": ("（含临时额度 {amount}，至 {until}）", " (with temporary credit of {amount} until {until})"),
    "cr.ask.amount.limit": ("请输入新的信用额度（元），例如 300000 或 30万：",
                            "The new credit limit (CNY), e.g. 300000:"),
    "cr.ask.amount.temporary": ("请输入临时额度金额（元），例如 50000 或 5万：",
                                "The temporary credit (CNY), e.g. 50000:"),
    "cr.ask.until": ("临时额度用到哪天（含当天）？例如 2026-12-31 或 12月31日：",
                     "Until which day (included)? e.g. 2026-12-31:"),
    "cr.ask.reason": ("请说明原因（例如：旺季备货，回款记录良好）：", "Why (e.g. peak season stock, pays on time)?"),
    "cr.bad.amount": ("请输入金额，例如 50000 或 5万。", "Please type an amount, e.g. 50000."),
    "cr.bad.date": ("没看懂日期，请按 2026-12-31 的格式输入。", "Please type the day as 2026-12-31."),
    "cr.use_buttons": ("额度申请还没有提交：请点“提交审批”，或点“取消”。",
                       "The credit request is not submitted yet: tap Submit, or Cancel."),
    "cr.confirm": ("请确认额度申请：\n经销商：{dealer}\n{what}\n原因：{reason}",
                   "Please confirm the credit request:\nDealer: {dealer}\n{what}\nReason: {reason}"),
    "cr.what.limit": ("调整信用额度：{previous} → {amount}", "Credit limit: {previous} -> {amount}"),
    "cr.what.temporary": ("临时额度：{amount}，至 {until}", "Temporary credit: {amount} until {until}"),
    "cr.btn.submit": ("✅ 提交审批", "✅ Submit for approval"),
    "cr.submitted": ("✅ 已提交额度申请 {number}，审批人处理后会通知您。",
                     "✅ Credit request {number} submitted; you will hear the decision."),
    "cr.request_only": ("申请调整额度仅限渠道经理和财务人员。", "Only channel managers and finance ask for credit changes."),
    "cr.staff_only": ("此功能仅限有额度审批权限的同事使用。", "This is for staff who decide credit changes."),
})


def _refused(ctx: Ctx, *permissions: Permission) -> list[Reply] | None:
    """None when the actor is bound staff holding one of ``permissions`` (default: CREDIT_APPROVE)."""
    refused = require_bound(ctx)
    if refused is not None:
        return refused
    wanted = set(permissions or (Permission.CREDIT_APPROVE,))
    if not ctx.is_staff or not wanted & ctx.actor.permissions:
        return [Reply(text=ctx.t("cr.request_only" if wanted == {Permission.CREDIT_REQUEST} else "cr.staff_only"))]
    return None


def _new_row(ctx: Ctx) -> list[list[Button]]:
    if Permission.CREDIT_REQUEST not in ctx.actor.permissions:
        return []
    return [[Button(ctx.t("cr.btn.new"), payload("cr.new"))]]


def _id_arg(ctx: Ctx) -> int:
    raw = forms.arg(ctx, 0)
    return int(raw) if raw.isdigit() else 0


@router.command("credit")
@router.button("cr.list")
async def pending(ctx: Ctx) -> list[Reply]:
    """Approvers: what waits, with buttons. Requesters: the same list (to see what they asked is pending)."""
    refused = _refused(ctx, Permission.CREDIT_APPROVE, Permission.CREDIT_REQUEST)
    if refused is not None:
        return refused
    waiting = await list_pending_credit_changes(ctx.uow(), ctx.actor)
    if not waiting:
        return [Reply(text=ctx.t("cr.none"), buttons=_new_row(ctx) + [[forms.menu_button(ctx)]])]
    offset = offset_arg(ctx)
    shown = page_of(waiting, offset)
    offset = waiting.index(shown[0])
    head = ctx.t("cr.head", n=len(waiting))
    if len(waiting) > len(shown):
        head += "\n" + page_where(ctx, offset, len(shown), len(waiting))
    replies = [Reply(text=head)]
    for item in shown:
        text = item.summary(ctx.lang)
        rows: list[list[Button]] = []
        if item.may_decide:
            rows.append([Button(ctx.t("cr.btn.ok"), payload("cr.ok", item.change.id or 0)),
                         Button(ctx.t("cr.btn.no"), payload("cr.no", item.change.id or 0))])
        elif item.change.requested_by == ctx.actor.label:
            text += "\n" + ctx.t("cr.not_yours" if Permission.CREDIT_APPROVE in ctx.actor.permissions
                                  else "cr.yours")
        replies.append(Reply(text=text, buttons=rows))
    replies[-1].buttons.extend(_new_row(ctx))
    if pager := pager_row(ctx, "cr.list", offset, len(waiting)):
        replies[-1].buttons.append(pager)
    return replies


def _decided(ctx: Ctx, change: CreditChange) -> list[Reply]:
    zh, en = CREDIT_STATUS_LABELS[change.status]
    return [Reply(text=ctx.t("cr.decided", number=change.number, status=ctx.pick(zh, en)),
                  buttons=[[Button(ctx.t("cr.btn.list"), payload("cr.list")), forms.menu_button(ctx)]])]


@router.button("cr.ok")
async def approve(ctx: Ctx) -> list[Reply]:
    """✅ 批准: the request and what approving it does, confirmed with one more tap or approved for less (QA s27 #8:
    ¥300,000 of credit went on one tap, and "批到70万吧" had nowhere to go)."""
    refused = _refused(ctx)
    if refused is not None:
        return refused
    return await _approve_card(ctx, _id_arg(ctx), None)


async def _waiting(ctx: Ctx, change_id: int) -> PendingCreditChange | None:
    """The request ``change_id`` if it still waits for a decision."""
    return next((i for i in await list_pending_credit_changes(ctx.uow(), ctx.actor) if i.change.id == change_id), None)


def _held(ctx: Ctx, change_id: int) -> Decimal | None:
    """The amount less than asked that the approval card of ``change_id`` shows now ("批到10万吧"), if any: it stays
    the one approved until the approver says another (QA: a typed 确认批准 brought a card without it, whose ✅
    approved all that was asked)."""
    data = ctx.dialog.data
    if not ctx.dialog.state.startswith("cr.approve") or int(data.get("change_id") or 0) != change_id:
        return None
    held = str(data.get("amount") or "")
    return Decimal(held) if held else None


async def _approve_card(ctx: Ctx, change_id: int, granted: Decimal | None, *, note: str = "",
                        said: Decimal | None = None) -> list[Reply]:
    """The approval card at ``granted`` (None: the amount asked). ``said``: an amount said at or over the one asked
    (the card says it approves what was asked); ``note``: a line saying why the card is shown again."""
    item = await _waiting(ctx, change_id)
    if item is None:
        return [Reply(text=ctx.t("cr.gone"), buttons=[[Button(ctx.t("cr.btn.list"), payload("cr.list"))]])]
    if not item.may_decide:
        return [Reply(text=ctx.t("cr.own"))]
    asked = item.change.amount
    if granted is not None and not Decimal("0") < granted < asked:
        said, granted = granted, None            # the amount asked or more: approved as asked, and said so
    ctx.go("cr.approve", change_id=change_id, amount=str(granted) if granted is not None else "")
    line = ctx.t("cr.approve.granted", amount=fmt_cny(granted), asked=fmt_cny(asked)) if granted is not None else ""
    if said is not None and granted is None:
        line = ctx.t("cr.approve.at_ask", said=fmt_cny(said), asked=fmt_cny(asked))
    yes = (Button(ctx.t("cr.btn.yes_at", amount=fmt_cny(granted)), payload("cr.yes", change_id, str(granted)),
                  Answer.YES)
           if granted is not None else Button(ctx.t("cr.btn.yes"), payload("cr.yes", change_id, 0), Answer.YES))
    return [Reply(text=ctx.t("cr.approve.confirm", summary=item.summary(ctx.lang), granted=line)
                  + (f"\n{note}" if note else ""),
                  buttons=[[yes, Button(ctx.t("cr.btn.amount"), payload("cr.amt", change_id))],
                           forms.cancel_row(ctx, "cr", Answer.NO)])]


@router.button("cr.yes")
async def approve_confirmed(ctx: Ctx) -> list[Reply]:
    """The approval itself: the amount is the button's own (never what a later step of the chat holds). A ✅ 确认批准
    without an amount, from a card shown before a smaller amount was said, decides nothing: the card at that amount
    again, saying so."""
    refused = _refused(ctx)
    if refused is not None:
        return refused
    change_id = _id_arg(ctx)
    raw = forms.arg(ctx, 1)
    granted = Decimal(raw) if raw not in ("", "0") else None
    held = _held(ctx, change_id)
    if granted is None and held is not None:
        return await _approve_card(ctx, change_id, held, note=ctx.t("cr.approve.held", amount=fmt_cny(held)))
    if ctx.dialog.state.startswith("cr.approve"):
        ctx.idle()
    return _decided(ctx, await decide_credit_change(ctx.uow(), ctx.actor, change_id, True, "", ctx.deps.clock,
                                                    amount=granted))


@router.button("cr.amt")
async def approve_less(ctx: Ctx) -> list[Reply]:
    refused = _refused(ctx)
    if refused is not None:
        return refused
    change_id = _id_arg(ctx)
    item = await _waiting(ctx, change_id)
    if item is None:
        return [Reply(text=ctx.t("cr.gone"))]
    held = _held(ctx, change_id)
    ctx.go("cr.approve.amount", change_id=change_id, amount=str(held) if held is not None else "")
    now = ctx.t("cr.ask.granted_now", amount=fmt_cny(held)) if held is not None else ""
    return [Reply(text=ctx.t("cr.ask.granted", asked=fmt_cny(item.change.amount)) + now,
                  buttons=[forms.cancel_row(ctx, "cr")])]


@router.state("cr.approve")
async def approve_typed(ctx: Ctx) -> list[Reply]:
    """At the approval card (or asked how much, ``cr.approve.amount``): an amount ("70万", "批到70万吧", "只批一半")
    approves less (shown again to confirm); a yes ("确认", "是", "确认批准") approves what the card shows, the amount
    said before included; asked how much, a yes shows that card again; a no ("驳回") asks the reason, as ❌ 驳回.
    Other words: the card again, its amount kept and said."""
    text = forms.text_of(ctx)
    change_id = int(ctx.dialog.data.get("change_id") or 0)
    held = _held(ctx, change_id)
    grant = read_grant(text, at_card=True)
    if grant is not None:
        item = await _waiting(ctx, change_id)
        amount = grant.of(item.change.amount) if item is not None else grant.amount
        if amount is not None and amount >= MIN_GRANTED:
            return await _approve_card(ctx, change_id, amount)
    if confirms_approval(text) and ctx.dialog.state == "cr.approve":
        ctx.idle()
        return _decided(ctx, await decide_credit_change(ctx.uow(), ctx.actor, change_id, True, "", ctx.deps.clock,
                                                        amount=held))
    if confirms_approval(text):                  # asked how much, no amount typed: the card as it was
        return await _approve_card(ctx, change_id, held)
    if refuses_approval(text):                   # "驳回", "不同意": rejected once a reason is given, as ❌ 驳回
        ctx.go("cr.reject", change_id=change_id)
        return [Reply(text=ctx.t("cr.reason"), buttons=[forms.cancel_row(ctx, "cr")])]
    return await _approve_card(ctx, change_id, held, note=ctx.t(
        "cr.approve.unread", amount=fmt_cny(held)) if held is not None else ctx.t("cr.approve.unread_asked"))


@router.text_hook
async def granted_typed(ctx: Ctx) -> list[Reply] | None:
    """"批到70万吧 80万太多了", "只批一半" from an approver with one request to decide: its approval card at that
    amount."""
    if not ctx.is_staff or Permission.CREDIT_APPROVE not in ctx.actor.permissions:
        return None
    grant = read_grant(ctx.inbound.text or "")
    if grant is None or (grant.amount is not None and grant.amount < MIN_GRANTED):
        return None
    decidable = [i for i in await list_pending_credit_changes(ctx.uow(), ctx.actor) if i.may_decide]
    if len(decidable) != 1:
        return await pending(ctx) if decidable else None
    return await _approve_card(ctx, decidable[0].change.id or 0, grant.of(decidable[0].change.amount))


@router.button("cr.no")
async def reject(ctx: Ctx) -> list[Reply]:
    refused = _refused(ctx)
    if refused is not None:
        return refused
    ctx.go("cr.reject", change_id=_id_arg(ctx))
    return [Reply(text=ctx.t("cr.reason"), buttons=[forms.cancel_row(ctx, "cr")])]


@router.button("cr.cancel")
async def cancel(ctx: Ctx) -> list[Reply]:
    return forms.cancel_form(ctx)


@router.state("cr.reject")
async def reject_reason(ctx: Ctx) -> list[Reply]:
    reason = forms.text_of(ctx)
    if not reason:
        return [Reply(text=ctx.t("form.text_wanted"), buttons=[forms.cancel_row(ctx, "cr")])]
    change_id = int(ctx.dialog.data.get("change_id") or 0)
    ctx.idle()
    return _decided(ctx, await decide_credit_change(ctx.uow(), ctx.actor, change_id, False, reason[:MAX_REASON],
                                                    ctx.deps.clock))


# --- asking for a change ------------------------------------------------------------------------------

@router.button("cr.new")
async def new_request(ctx: Ctx) -> list[Reply]:
    refused = _refused(ctx, Permission.CREDIT_REQUEST)
    if refused is not None:
        return refused
    ctx.go("cr.req.dealer", nonce=forms.new_nonce())
    return [Reply(text=ctx.t("cr.ask.dealer"), buttons=[forms.cancel_row(ctx, "cr")])]


@router.state("cr.req.dealer")
async def request_dealer(ctx: Ctx) -> list[Reply]:
    """A dealer code, or words of its name ("杭州嘉禾"): one found goes on, several are buttons, none says so."""
    text = forms.text_of(ctx).strip()
    found = await forms.dealers_by_words(ctx, text, MAX_DEALER_CHOICES + 1)
    if not found:
        return [Reply(text=ctx.t("cr.dealer.none", text=forms.clip(text, 20)), buttons=[forms.cancel_row(ctx, "cr")])]
    if len(found) > 1:
        rows = [[Button(forms.clip(f"{d.code} {d.name}", 30), payload("cr.dealer", d.id or 0))]
                for d in found[:MAX_DEALER_CHOICES]]
        return [Reply(text=ctx.t("cr.dealer.many"), buttons=[*rows, forms.cancel_row(ctx, "cr")])]
    return await _dealer_chosen(ctx, found[0].code)


@router.button("cr.dealer")
async def request_dealer_pressed(ctx: Ctx) -> list[Reply]:
    refused = _refused(ctx, Permission.CREDIT_REQUEST)
    if refused is not None:
        return refused
    if ctx.dialog.state != "cr.req.dealer":
        return await new_request(ctx)
    dealer = await get_dealer(ctx.uow(), ctx.actor, int(forms.arg(ctx, 0) or 0))
    return await _dealer_chosen(ctx, dealer.code)


async def _dealer_chosen(ctx: Ctx, code: str) -> list[Reply]:
    dealer = await get_dealer_by_code(ctx.uow(), ctx.actor, code)
    overview = await get_balances(ctx.uow(), ctx.actor, dealer.id or 0, ctx.deps.clock)
    temporary = (ctx.t("cr.temporary_now", amount=fmt_cny(overview.temporary_credit),
                       until=overview.temporary_credit_until.isoformat())
                 if overview.temporary_credit and overview.temporary_credit_until else "")
    label = f"{dealer.code} {dealer.name}"
    forms.step(ctx, "cr.req.kind", dealer_id=dealer.id, dealer=label, previous=str(dealer.credit_limit))
    kinds = [Button(ctx.pick(*CREDIT_KIND_LABELS[k]), payload("cr.kind", k.value)) for k in CreditChangeKind]
    return [Reply(text=ctx.t("cr.ask.kind", dealer=label, limit=fmt_cny(dealer.credit_limit), temporary=temporary),
                  buttons=[kinds, forms.cancel_row(ctx, "cr")])]


@router.button("cr.kind")
async def request_kind(ctx: Ctx) -> list[Reply]:
    refused = _refused(ctx, Permission.CREDIT_REQUEST)
    if refused is not None:
        return refused
    kind = forms.arg(ctx, 0)
    if ctx.dialog.state != "cr.req.kind" or kind not in {k.value for k in CreditChangeKind}:
        return await new_request(ctx)
    forms.step(ctx, "cr.req.amount", kind=kind)
    return [Reply(text=ctx.t(f"cr.ask.amount.{kind}"), buttons=[forms.cancel_row(ctx, "cr")])]


@router.state("cr.req.amount")
async def request_amount(ctx: Ctx) -> list[Reply]:
    amount = read_amount(forms.text_of(ctx))
    if amount is None:
        return [Reply(text=ctx.t("cr.bad.amount"), buttons=[forms.cancel_row(ctx, "cr")])]
    if ctx.dialog.data.get("kind") == CreditChangeKind.TEMPORARY.value:
        forms.step(ctx, "cr.req.until", amount=str(amount))
        return [Reply(text=ctx.t("cr.ask.until"), buttons=[forms.cancel_row(ctx, "cr")])]
    forms.step(ctx, "cr.req.reason", amount=str(amount), until="")
    return [Reply(text=ctx.t("cr.ask.reason"), buttons=[forms.cancel_row(ctx, "cr")])]


@router.state("cr.req.until")
async def request_until(ctx: Ctx) -> list[Reply]:
    until = parse_date(forms.text_of(ctx), ctx.deps.clock.today())
    if until is None:
        return [Reply(text=ctx.t("cr.bad.date"), buttons=[forms.cancel_row(ctx, "cr")])]
    forms.step(ctx, "cr.req.reason", until=until.isoformat())
    return [Reply(text=ctx.t("cr.ask.reason"), buttons=[forms.cancel_row(ctx, "cr")])]


@router.state("cr.req.reason")
async def request_reason(ctx: Ctx) -> list[Reply]:
    reason = forms.text_of(ctx)[:MAX_REASON]
    if not reason:
        return [Reply(text=ctx.t("cr.ask.reason"), buttons=[forms.cancel_row(ctx, "cr")])]
    d = ctx.dialog.data
    forms.step(ctx, "cr.req.confirm", reason=reason)
    amount = fmt_cny(Decimal(d["amount"]))
    what = (ctx.t("cr.what.temporary", amount=amount, until=d["until"]) if d.get("until")
            else ctx.t("cr.what.limit", previous=fmt_cny(Decimal(d["previous"])), amount=amount))
    return [Reply(text=ctx.t("cr.confirm", dealer=d["dealer"], what=what, reason=reason),
                  buttons=[[Button(ctx.t("cr.btn.submit"), payload("cr.submit", d["nonce"]), Answer.YES)],
                           forms.cancel_row(ctx, "cr", Answer.NO)])]


@router.state("cr.req.confirm")
async def confirm_typed(ctx: Ctx) -> list[Reply]:
    """"提交审批", "确认" typed under the request shown: submitted (was: the words read as something else and the
    request never made, with no word of it); anything else: the request is said to wait for its button."""
    if is_confirmation(forms.text_of(ctx)):
        ctx.args = [str(ctx.dialog.data.get("nonce", ""))]
        return await request_submit(ctx)
    return [Reply(text=ctx.t("cr.use_buttons"),
                  buttons=[[Button(ctx.t("cr.btn.submit"), payload("cr.submit", ctx.dialog.data.get("nonce", "")),
                                   Answer.YES)],
                           forms.cancel_row(ctx, "cr", Answer.NO)])]


@router.button("cr.submit")
async def request_submit(ctx: Ctx) -> list[Reply]:
    refused = _refused(ctx, Permission.CREDIT_REQUEST)
    if refused is not None:
        return refused
    nonce = forms.arg(ctx, 0)
    done = forms.submitted_ref(ctx, nonce)
    if done is not None:                       # a second tap: the same request
        return [Reply(text=ctx.t("cr.submitted", number=done))]
    if not forms.form_is(ctx, "cr.req.confirm", nonce):
        return await new_request(ctx)
    d = ctx.dialog.data
    change = await request_credit_change(ctx.uow(), ctx.actor, RequestCreditChange(
        int(d["dealer_id"]), CreditChangeKind(d["kind"]), Decimal(d["amount"]), str(d["reason"]),
        date.fromisoformat(d["until"]) if d.get("until") else None), ctx.deps.clock)
    forms.remember_submitted(ctx, nonce, change.number)         # leaves the form, remembers the request
    return [Reply(text=ctx.t("cr.submitted", number=change.number), buttons=[[forms.menu_button(ctx)]])]
