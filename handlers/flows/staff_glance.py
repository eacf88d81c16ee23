"""Staff: how one dealer is doing, asked by its name ("德润最近怎么样了", ``nlu.dealer_asked``).

The overview is what the person's role may see of that dealer: staff who read the reports get its figures (the
report flow's one-dealer view); after-sales and quality staff its tickets and quality reports, the open ones
counted and the latest listed, a button each to the whole queue of that dealer. A name that fits several dealers
is asked back (a button each: ``staff.glance|<dealer id>``); one that fits none goes on as any other message.
"""

from __future__ import annotations

from datetime import datetime

from core.aftersales import Ticket
from core.dealer_states import STATUS_LABELS as DEALER_STATUS_LABELS
from core.dealers import Dealer
from core.errors import NotFound
from core.masking import mask_text
from core.quality import CorrectiveStatus, QualityFeedback
from core.services import aftersales
from core.services.quality import CORRECTIVE_STATUS_LABELS
from core.ticket_states import ACTIVE_STATUSES, TICKET_STATUS_LABELS, is_sla_breached
from core.users import Permission
from handlers import i18n
from handlers.context import Ctx
from handlers.flows import forms, reports
from handlers.flows.menu import require_bound
from handlers.messages import Button, Reply
from handlers.router import Router, payload
from nlu.dealer_asked import dealer_asked_about

router = Router(name=__name__)

P = Permission
MAX_CHOICES = 6
LATEST = 3
_OPEN_QUALITY = frozenset({CorrectiveStatus.NEW, CorrectiveStatus.INVESTIGATING, CorrectiveStatus.ACTION_PLANNED})

i18n.register({
    "glance.which": ("“{text}”对应多家经销商，您问的是哪一家？", "\"{text}\" fits several dealers; which one?"),
    "glance.head": ("📇 {code} {name} · {status}", "📇 {code} {name} · {status}"),
    "glance.tickets": ("🛠 售后工单：处理中 {open} 个{late}，共 {total} 个", "🛠 Tickets: {open} open{late}, {total} in all"),
    "glance.late": ("（{n} 个超时）", " ({n} overdue)"),
    "glance.quality": ("⚠️ 质量反馈：未结 {open} 条，共 {total} 条", "⚠️ Quality reports: {open} open, {total} in all"),
    "glance.line": ("  {number} · {status} · {text}", "  {number} · {status} · {text}"),
    "glance.nothing": ("这家经销商还没有售后工单和质量反馈。", "This dealer has no tickets and no quality reports."),
    "glance.btn.tickets": ("🛠 它的工单", "🛠 Its tickets"),
    "glance.btn.quality": ("⚠️ 它的质量反馈", "⚠️ Its quality reports"),
})


def _may_glance(ctx: Ctx) -> bool:
    return ctx.is_staff and P.DEALER_READ_ALL in ctx.actor.permissions


@router.text_hook
async def dealer_asked(ctx: Ctx) -> list[Reply] | None:
    """"德润最近怎么样了": that dealer's overview, or which of several; None when no dealer is asked about."""
    if not _may_glance(ctx) or (words := dealer_asked_about(ctx.inbound.text)) is None:
        return None
    named = await forms.dealers_by_words(ctx, words, limit=MAX_CHOICES + 1)
    if not named:
        return None
    if len(named) > 1:
        rows = [[Button(f"{d.code} {d.name}"[:40], payload("staff.glance", d.id or 0))] for d in named[:MAX_CHOICES]]
        return [Reply(text=ctx.t("glance.which", text=words[:20]), buttons=rows + [[forms.menu_button(ctx)]])]
    return await overview(ctx, named[0])


@router.button("staff.glance")
async def glance_pressed(ctx: Ctx) -> list[Reply]:
    if (refusal := require_bound(ctx)) is not None:
        return refusal
    raw = forms.arg(ctx, 0)
    if not _may_glance(ctx) or not raw.isdigit():
        raise NotFound(what=raw)
    async with ctx.uow() as uow:
        dealer = await uow.dealers.get(int(raw))
    if dealer is None:
        raise NotFound(what=raw)
    return await overview(ctx, dealer)


async def overview(ctx: Ctx, dealer: Dealer) -> list[Reply]:
    perms = ctx.actor.permissions
    if P.REPORT_READ_ALL in perms:           # the figures: the report flow's view of that one dealer
        return await reports.show(ctx, reports.View(reports.default_kind(ctx), dealer=dealer.code))
    status = ctx.pick(*DEALER_STATUS_LABELS[dealer.status])
    lines = [ctx.t("glance.head", code=dealer.code, name=dealer.name, status=status)]
    rows: list[list[Button]] = []
    now = ctx.deps.clock.now()
    if P.TICKET_HANDLE in perms:
        tickets = await aftersales.list_tickets(ctx.uow(), ctx.actor, dealer_id=dealer.id, limit=200)
        if tickets:
            lines.extend(_ticket_lines(ctx, tickets, now))
            rows.append([Button(ctx.t("glance.btn.tickets"), payload("q.tickets", 0, dealer.id or 0, ""))])
    if P.QUALITY_HANDLE in perms:
        async with ctx.uow() as uow:
            reports_of = await uow.quality.list(order_by="created_at", desc=True, dealer_id=dealer.id)
        if reports_of:
            lines.extend(_quality_lines(ctx, reports_of))
            rows.append([Button(ctx.t("glance.btn.quality"), payload("q.quality", 0, dealer.id or 0, ""))])
    if len(lines) == 1:
        lines.append(ctx.t("glance.nothing"))
    return [Reply(text="\n".join(lines), buttons=rows + [[forms.menu_button(ctx)]])]


def _ticket_lines(ctx: Ctx, tickets: list[Ticket], now: datetime) -> list[str]:
    active = [t for t in tickets if t.status in ACTIVE_STATUSES]
    late = sum(1 for t in active if is_sla_breached(t, now))
    out = [ctx.t("glance.tickets", open=len(active), total=len(tickets),
                 late=ctx.t("glance.late", n=late) if late else "")]
    for t in (active or tickets)[:LATEST]:
        out.append(ctx.t("glance.line", number=t.number, status=ctx.pick(*TICKET_STATUS_LABELS[t.status]),
                         text=forms.clip(mask_text(t.description), 24)))
    return out


def _quality_lines(ctx: Ctx, found: list[QualityFeedback]) -> list[str]:
    open_ = [f for f in found if f.corrective_status in _OPEN_QUALITY]
    out = [ctx.t("glance.quality", open=len(open_), total=len(found))]
    for f in (open_ or found)[:LATEST]:
        out.append(ctx.t("glance.line", number=f.number, status=ctx.pick(*CORRECTIVE_STATUS_LABELS[f.corrective_status]),
                         text=forms.clip(mask_text(f"{f.sku} {f.description}"), 24)))
    return out
