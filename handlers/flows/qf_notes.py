"""A quality engineer's finding logged on a report still open, its status kept (QA s27 P13): "怀疑电机绝缘不良，
正在做拆机分析" typed after a report's card while it is 调查中 was offered only as the note of the *next* status,
so nothing could be logged while the investigation goes on. The offer (handlers.flows.staff_words) now also has
"📝 记下说明（仍为调查中）"; this module is that button.

An offered note is never dropped without a word (QA s28 #25): another request typed instead of a press ("这批货发给
了哪些经销商") is answered, and then told the note was not recorded, with the button to record it still."""

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
from handlers.messages import Button, InboundKind, Reply
from handlers.router import Router, normalize_label, payload, shown_buttons
from nlu.record_notes import quality_step_said

router = Router(name=__name__)

i18n.register({
    "qfn.btn.keep": ("📝 记下说明（仍为{status}）", "📝 Log the note (stays {status})"),
    "qfn.kept": ("📝 已记入 {number}（{status}）：{text}", "📝 Logged on {number} ({status}): {text}"),
    "qfn.left": ("📝 刚才那段话没有记入 {number}：“{text}”。要记下的话请点：",
                  "📝 What you wrote was not logged on {number}: \"{text}\". To log it, tap:"),
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
    key = LEFT if forms.arg(ctx, 1) == "left" else "said_qf"      # the offer itself, or its reminder
    said = ctx.dialog.data.get(key)
    if not (isinstance(said, dict) and said.get("ref") == number and said.get("text")):
        return [Reply(text=ctx.t("qfn.stale"))]
    try:
        feedback = await note_quality_feedback(ctx.uow(), ctx.actor, number, str(said["text"]), ctx.deps.clock)
    except DomainError as exc:
        return [Reply(text=exc.message(ctx.lang))]
    ctx.dialog.data.pop(key, None)
    ctx.dialog.data["last_qf"] = feedback.number
    status = feedback.corrective_status
    nexts = sorted(CORRECTIVE_TRANSITIONS[status])
    return [Reply(text=ctx.t("qfn.kept", number=feedback.number, status=ctx.pick(*CORRECTIVE_STATUS_LABELS[status]),
                             text=mask_text(feedback.corrective_note[:80])),
                  buttons=[[Button(ctx.t("sw.qf.set", status=ctx.pick(*CORRECTIVE_STATUS_LABELS[s])),
                                   payload("staff.qf.set", feedback.number, s.value)) for s in nexts],
                           [Button(ctx.t("q.btn.quality"), payload("q.quality", 0))]])]


LEFT = "left_qf"        # an offered note another request passed over: its reminder's button logs it


@router.text_hook_anywhere
async def offer_passed_over(ctx: Ctx) -> None:
    """A note offered (``said_qf``) and another message typed instead of a press: the offer is closed and, after
    the answer to that message, the person is told the note was not logged, with a button that logs it. Not when
    the message presses the offer's button by its label or says the next status alone ("开始调查": the note goes
    with it, ``handlers.flows.qf_steps``)."""
    said = ctx.dialog.data.get("said_qf")
    if not (ctx.is_staff and ctx.inbound.kind == InboundKind.TEXT and isinstance(said, dict) and said.get("text")):
        return None
    typed = normalize_label(ctx.inbound.text)
    step = quality_step_said(ctx.inbound.text)
    if any(label == typed for label, _, _ in shown_buttons(ctx.dialog.data)) or (step is not None and not step.note):
        return None
    ctx.dialog.data.pop("said_qf", None)
    number, text = str(said.get("ref", "")), str(said["text"])
    ctx.dialog.data[LEFT] = {"ref": number, "text": text}
    async with ctx.uow() as uow:
        feedback = await uow.quality.get_by(number=number)
    if feedback is None or not CORRECTIVE_TRANSITIONS[feedback.corrective_status]:
        return None
    ctx.after.append(Reply(text=ctx.t("qfn.left", number=number, text=mask_text(text[:80])),
                           buttons=[[Button(ctx.t("qfn.btn.keep", status=ctx.pick(
                               *CORRECTIVE_STATUS_LABELS[feedback.corrective_status])),
                               payload("staff.qf.keep", number, "left"))]]))
    return None
