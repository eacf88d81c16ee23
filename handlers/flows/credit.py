"""Credit requests in chat for the staff who decide them (core.services.credit).

- ``/credit`` (button ``cr.list``), for CREDIT_APPROVE: the requests awaiting a decision, each with ✅ 批准 /
  ❌ 驳回 unless it is the reader's own request;
- ``cr.ok|<id>`` approves; ``cr.no|<id>`` asks for the reason, then rejects. The approvers' push
  (``credit.requested``) carries the same buttons.

Asking for a change is the back office's form (``/backoffice/credit``).
"""

from __future__ import annotations

from core.credit import CREDIT_STATUS_LABELS, CreditChange
from core.services.credit import MAX_REASON, decide_credit_change, list_pending_credit_changes
from core.users import Permission
from handlers import i18n
from handlers.context import Ctx
from handlers.flows import forms
from handlers.flows.menu import require_bound
from handlers.messages import Button, Reply
from handlers.router import Router, payload

router = Router(name=__name__)

i18n.register({
    "cr.none": ("没有待审批的额度申请。", "No credit request is awaiting a decision."),
    "cr.head": ("💳 待审批的额度申请（{n}）：", "💳 Credit requests awaiting a decision ({n}):"),
    "cr.not_yours": ("（您提交的申请，由其他审批人处理）", "(your own request: another approver decides it)"),
    "cr.btn.ok": ("✅ 批准", "✅ Approve"),
    "cr.btn.no": ("❌ 驳回", "❌ Reject"),
    "cr.btn.list": ("💳 额度申请", "💳 Credit requests"),
    "cr.reason": ("请输入驳回额度申请的原因：", "Why is the credit request rejected?"),
    "cr.decided": ("额度申请 {number}：{status}。", "Credit request {number}: {status}."),
    "cr.staff_only": ("此功能仅限有额度审批权限的同事使用；申请调整请用后台“信用额度”页面。",
                      "This is for staff who decide credit changes; ask for one on the back office's Credit page."),
})


def _refused(ctx: Ctx) -> list[Reply] | None:
    refused = require_bound(ctx)
    if refused is not None:
        return refused
    if not ctx.is_staff or Permission.CREDIT_APPROVE not in ctx.actor.permissions:
        return [Reply(text=ctx.t("cr.staff_only"))]
    return None


def _id_arg(ctx: Ctx) -> int:
    raw = forms.arg(ctx, 0)
    return int(raw) if raw.isdigit() else 0


@router.command("credit")
@router.button("cr.list")
async def pending(ctx: Ctx) -> list[Reply]:
    refused = _refused(ctx)
    if refused is not None:
        return refused
    waiting = await list_pending_credit_changes(ctx.uow(), ctx.actor)
    if not waiting:
        return [Reply(text=ctx.t("cr.none"), buttons=[[forms.menu_button(ctx)]])]
    replies = [Reply(text=ctx.t("cr.head", n=len(waiting)))]
    for item in waiting[:10]:
        text = item.summary(ctx.lang)
        rows: list[list[Button]] = []
        if item.may_decide:
            rows.append([Button(ctx.t("cr.btn.ok"), payload("cr.ok", item.change.id or 0)),
                         Button(ctx.t("cr.btn.no"), payload("cr.no", item.change.id or 0))])
        elif item.change.requested_by == ctx.actor.label:
            text += "\n" + ctx.t("cr.not_yours")
        replies.append(Reply(text=text, buttons=rows))
    return replies


def _decided(ctx: Ctx, change: CreditChange) -> list[Reply]:
    zh, en = CREDIT_STATUS_LABELS[change.status]
    return [Reply(text=ctx.t("cr.decided", number=change.number, status=ctx.pick(zh, en)),
                  buttons=[[Button(ctx.t("cr.btn.list"), payload("cr.list")), forms.menu_button(ctx)]])]


@router.button("cr.ok")
async def approve(ctx: Ctx) -> list[Reply]:
    refused = _refused(ctx)
    if refused is not None:
        return refused
    return _decided(ctx, await decide_credit_change(ctx.uow(), ctx.actor, _id_arg(ctx), True, "", ctx.deps.clock))


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
