"""A dealer's "订单台回复了吗" (QA s27 P23; was: the latest order's card): the questions the dealer handed to staff,
the newest first, each with staff's answer or "还在等待答复". The words are read by ``nlu.reply_asked``.
"""

from __future__ import annotations

from datetime import datetime

from core.faq import QuestionStatus, StaffQuestion
from core.services.faq import own_questions
from handlers import i18n
from handlers.context import Ctx
from handlers.flows import forms
from handlers.messages import InboundKind, Reply
from handlers.router import Router
from nlu.reply_asked import staff_reply_asked

router = Router(name=__name__)

SHOWN = 3
CLIP = 120

i18n.register({
    "asked.none": ("您还没有转给工作人员的问题。有问题可以直接输入，答不上来时点“🙋 转人工”。",
                   "You have handed no question to staff yet. Type your question; if the bot cannot answer, tap "
                   "“🙋 Ask staff”."),
    "asked.title": ("您转给工作人员的问题（最近 {n} 条）：", "Your questions to staff (latest {n}):"),
    "asked.question": ("❓ {when} {question}", "❓ {when} {question}"),
    "asked.answered": ("💬 {who}答复（{when}）：{answer}", "💬 Answer from {who} ({when}): {answer}"),
    "asked.waiting": ("⏳ 还在等待答复，答复后会第一时间发给您。", "⏳ Not answered yet; the answer is sent to you here."),
    "asked.desk": ("订单台", "the order desk "),
    "asked.staff": ("工作人员", "staff "),
})


def _when(ctx: Ctx, at: datetime | None) -> str:
    if at is None:
        return "?"
    return at.astimezone(ctx.deps.clock.tz).strftime("%m-%d %H:%M")


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= CLIP else text[:CLIP] + "…"


def _lines(ctx: Ctx, q: StaffQuestion) -> list[str]:
    lines = [ctx.t("asked.question", when=_when(ctx, q.created_at), question=_clip(q.question))]
    if q.status == QuestionStatus.ANSWERED and q.answer:
        who = ctx.t("asked.desk" if q.about_order else "asked.staff")
        lines.append(ctx.t("asked.answered", who=who, when=_when(ctx, q.answered_at), answer=_clip(q.answer)))
    else:
        lines.append(ctx.t("asked.waiting"))
    return lines


@router.text_hook
async def replies_asked(ctx: Ctx) -> list[Reply] | None:
    """The dealer's questions and staff's answers; anyone else, other words: None (the parser goes on)."""
    if not ctx.is_dealer or ctx.inbound.kind != InboundKind.TEXT or not staff_reply_asked(ctx.inbound.text or ""):
        return None
    asked = await own_questions(ctx.uow(), ctx.actor, SHOWN)
    if not asked:
        return [Reply(text=ctx.t("asked.none"), buttons=[[forms.menu_button(ctx)]])]
    out = [ctx.t("asked.title", n=len(asked))]
    for q in asked:
        out.extend(["", *_lines(ctx, q)])
    return [Reply(text="\n".join(out), buttons=[[forms.menu_button(ctx)]])]
