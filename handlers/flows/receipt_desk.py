"""The order desk's list of open receipt claims, asked in its own words ("收货异常", "少货的单", "有哪些收货问题",
"receipt claims"): each claim's order, dealer and lines (``core.services.receipt_claims``), with the buttons to
answer it (💬 答复: the answer is relayed to the dealer and closes the claim) and to open its order. The claims are
questions about an order (``handlers.flows.receipt_claims`` opens them), so they stay in 待答复咨询 as well.
"""

from __future__ import annotations

from core.notes import note_text
from core.services.faq import ANSWERERS
from core.services.receipt_claims import NO_LINES, open_receipt_claims
from handlers import i18n
from handlers.context import Ctx
from handlers.flows.menu import require_bound
from handlers.flows.staff import drop_pending
from handlers.messages import Button, Reply
from handlers.router import Router, payload
from nlu.receipt_words import RECEIPT_CLAIMS_ASKED

router = Router(name=__name__)

SHOWN = 10

i18n.register({
    "rcd.head": ("📦 待处理的收货异常：{n} 单（点“答复”安排补发或理赔，答复后这单即处理完）",
                 "📦 Open receipt claims: {n} (tap Answer to arrange the re-shipment or claim; answered is resolved)"),
    "rcd.more": ("另有 {n} 单，见“待答复咨询”。", "{n} more under Questions."),
    "rcd.none": ("没有待处理的收货异常。", "No open receipt claims."),
    "rcd.item": ("#{id} {number} · {dealer}\n   {lines}\n   原话：{said}",
                 "#{id} {number} · {dealer}\n   {lines}\n   Their words: {said}"),
    "rcd.no_lines": ("（未说明产品和数量）", "(no product or count said)"),
    "rcd.not_yours": ("收货异常由订单台处理，不在您的职责范围内。", "Receipt claims are the order desk's; not part of your job."),
    "rcd.btn.answer": ("💬 答复 #{id}", "💬 Answer #{id}"),
})


@router.staff_pattern(RECEIPT_CLAIMS_ASKED)
async def receipt_claims_asked(ctx: Ctx) -> list[Reply]:
    """"收货异常" / "receipt claims": the open claims, oldest first, each with its answer and order buttons."""
    if (refusal := require_bound(ctx)) is not None:
        return refusal
    if not ANSWERERS & ctx.actor.permissions:
        return [Reply(text=ctx.t("rcd.not_yours"))]
    drop_pending(ctx)
    claims = await open_receipt_claims(ctx.uow(), ctx.actor)
    if not claims:
        return [Reply(text=ctx.t("rcd.none"))]
    lines = [ctx.t("rcd.head", n=len(claims))]
    buttons: list[list[Button]] = []
    for c in claims[:SHOWN]:
        shown = ctx.t("rcd.no_lines") if c.lines in ("", NO_LINES) else note_text(c.lines, ctx.lang)
        dealer = " ".join(p for p in (c.dealer_code, c.dealer_name) if p) or c.asked_by
        lines.append(ctx.t("rcd.item", id=c.question_id, number=c.order_number, dealer=dealer, lines=shown,
                           said=c.said[:80]))
        buttons.append([Button(ctx.t("rcd.btn.answer", id=c.question_id), payload("faq.ans", c.question_id)),
                        Button(f"📄 {c.order_number}", payload("staff.order.detail", c.order_number))])
    if len(claims) > SHOWN:
        lines.append(ctx.t("rcd.more", n=len(claims) - SHOWN))
    return [Reply(text="\n".join(lines), buttons=buttons)]
