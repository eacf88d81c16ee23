"""A quality report's next status said in words (QA s28 #25): "开始调查" typed under a report's card, or "QF-… 开始调查",
is its ➡️ 调查中 button pressed (was: "我没有听懂这句话"); the words after the status ("开始调查，先要2411批次的检测
报告") are that step's note, and a sentence the bot offered as the note of the next step (``said_qf``) becomes it
when nothing else is said. A status that needs a note asks for it, as the button does. The words are read by
``nlu.record_notes``."""

from __future__ import annotations

from core.quality import CorrectiveStatus
from core.services.quality import CORRECTIVE_STATUS_LABELS, CORRECTIVE_TRANSITIONS
from core.users import Permission
from handlers import i18n
from handlers.context import Ctx
from handlers.flows.staff_words import qf_set
from handlers.messages import Button, InboundKind, Reply
from handlers.router import Router, payload
from nlu.record_notes import quality_step_said
from nlu.staff_commands import RefKind, find_number, words_besides_number

router = Router(name=__name__)

i18n.register({
    "qfs.already": ("{number} 已经是“{status}”了，没有做任何更改。", "{number} is '{status}' already; nothing was changed."),
})


@router.staff_hook
async def step_said(ctx: Ctx) -> list[Reply] | None:
    """"开始调查" under the last report looked at, "QF-… 开始调查": that report moved (a confirm is the button's own:
    the use case checks the step and audits it)."""
    if not (ctx.is_staff and ctx.inbound.kind == InboundKind.TEXT and not ctx.dialog.state
            and Permission.QUALITY_HANDLE in ctx.actor.permissions):
        return None
    text = ctx.inbound.text
    found = find_number(text)
    if found is not None and found[0] != RefKind.QUALITY:
        return None
    number = found[1] if found is not None else ctx.dialog.data.get("last_qf")
    said = quality_step_said(words_besides_number(text) if found is not None else text)
    if said is None or not isinstance(number, str):
        return None
    async with ctx.uow() as uow:
        feedback = await uow.quality.get_by(number=number)
    if feedback is None:
        return None
    status = said.status
    if said.close and status not in CORRECTIVE_TRANSITIONS[feedback.corrective_status] \
            and CorrectiveStatus.NO_ACTION in CORRECTIVE_TRANSITIONS[feedback.corrective_status]:
        status = CorrectiveStatus.NO_ACTION     # "结案" while investigating: closed with nothing to change
    if feedback.corrective_status == status:
        return [Reply(text=ctx.t("qfs.already", number=number, status=_label(ctx, status)),
                      buttons=[[Button(ctx.t("q.btn.quality"), payload("q.quality", 0))]])]
    if said.note:        # the words said with the status are its note (an earlier offer is not: it was said)
        ctx.dialog.data["said_qf"] = {"ref": number, "text": said.note}
    ctx.args = [number, status.value]
    return await qf_set(ctx)


def _label(ctx: Ctx, status: CorrectiveStatus) -> str:
    return ctx.pick(*CORRECTIVE_STATUS_LABELS[status])
