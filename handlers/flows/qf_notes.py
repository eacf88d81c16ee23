"""A quality engineer's finding logged on a report still open, its status kept (QA s27 P13): "怀疑电机绝缘不良，
正在做拆机分析" typed after a report's card while it is 调查中 was offered only as the note of the *next* status,
so nothing could be logged while the investigation goes on. The offer (handlers.flows.staff_words) now also has
"📝 记下说明（仍为调查中）"; this module is that button."""

from __future__ import annotations

from core.errors import DomainError, PermissionDenied
from core.masking import mask_text
from core.quality import CorrectiveStatus
from core.services.quality import CORRECTIVE_STATUS_LABELS, CORRECTIVE_TRANSITIONS, note_quality_feedback
from core.users import Permission
from handlers import i18n
from handlers.context import Ctx
from handlers.flows import forms
from handlers.flows.menu import require_bound
from handlers.messages import Button, Reply
from handlers.router import Router, payload

router = Router(name=__name__)

i18n.register({
    "qfn.btn.keep": ("📝 记下说明（仍为{status}）", "📝 Log the note (stays {status})"),
    "qfn.kept": ("📝 已记入 {number}（{status}）：{text}", "📝 Logged on {number} ({status}): {text}"),
    "qfn.stale": ("这段说明已经记过或已过期，请重新输入。", "That note was already logged or has expired; type it again."),
})


def keep_button(ctx: Ctx, number: str, status: CorrectiveStatus) -> Button:
    """The offer's button that logs the words typed as a note of the report's current status."""
    return Button(ctx.t("qfn.btn.keep", status=ctx.pick(*CORRECTIVE_STATUS_LABELS[status])),
                  payload("staff.qf.keep", number))


@router.button("staff.qf.keep")
async def keep_note(ctx: Ctx) -> list[Reply]:
    if (refusal := require_bound(ctx)) is not None:
        return refusal
    if Permission.QUALITY_HANDLE not in ctx.actor.permissions:
        raise PermissionDenied()
    number = forms.arg(ctx, 0).strip().upper()
    said = ctx.dialog.data.get("said_qf")
    if not (isinstance(said, dict) and said.get("ref") == number and said.get("text")):
        return [Reply(text=ctx.t("qfn.stale"))]
    try:
        feedback = await note_quality_feedback(ctx.uow(), ctx.actor, number, str(said["text"]), ctx.deps.clock)
    except DomainError as exc:
        return [Reply(text=exc.message(ctx.lang))]
    ctx.dialog.data.pop("said_qf", None)
    ctx.dialog.data["last_qf"] = feedback.number
    status = feedback.corrective_status
    nexts = sorted(CORRECTIVE_TRANSITIONS[status])
    return [Reply(text=ctx.t("qfn.kept", number=feedback.number, status=ctx.pick(*CORRECTIVE_STATUS_LABELS[status]),
                             text=mask_text(feedback.corrective_note[:80])),
                  buttons=[[Button(ctx.t("sw.qf.set", status=ctx.pick(*CORRECTIVE_STATUS_LABELS[s])),
                                   payload("staff.qf.set", feedback.number, s.value)) for s in nexts],
                           [Button(ctx.t("q.btn.quality"), payload("q.quality", 0))]])]
