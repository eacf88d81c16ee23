"""Staff asking how many, in words (QA s25 #12): "这周新增几个工单", "超时的有几个", "上个月AP300报修了多少次",
"这周新增几条质量反馈", "物料申请还有几个没批". A number in a sentence, the list one tap away.

- with days said ("这周", "上个月") or "新增": the records that came in then, by their status now (tickets also how
  many of them are past their SLA), counted by ``ticket_statistics`` / ``defect_summary``, as the back office counts;
- otherwise: what waits in that queue now, filtered by the status said ("超时", "待审批"), as the list shows it
  (``queue_page``), so the number and the list behind the button always agree.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from core.aftersales import TicketStatus
from core.money import fmt_cny
from core.quality import CorrectiveStatus
from core.services.aftersales import TicketGroup, ticket_statistics
from core.services.quality import CORRECTIVE_STATUS_LABELS, defect_summary
from core.services.queues import (
    QUEUE_LABELS,
    STATUS_FILTER_LABELS,
    STATUS_FILTERS,
    Queue,
    QueueFilter,
    all_waiting,
    may_see,
    queue_page,
)
from core.ticket_states import TICKET_STATUS_LABELS
from handlers import i18n
from handlers.context import Ctx
from handlers.flows.forms import days_label
from handlers.messages import Button, Reply
from handlers.router import payload

i18n.register({
    "cnt.tickets": ("📊 {period} 新增售后工单 {n} 个{statuses}；其中超时 {late} 个。",
                    "📊 {period}: {n} new after-sales tickets{statuses}; {late} past their deadline."),
    "cnt.tickets_sku": ("📊 {period} {sku} 报修 {n} 次（售后工单）{statuses}；其中超时 {late} 个。",
                        "📊 {period}: {sku} reported for repair {n} times (tickets){statuses}; {late} past their "
                        "deadline."),
    "cnt.quality": ("📊 {period} 新增质量反馈 {n} 条（{units} 台）{statuses}。",
                    "📊 {period}: {n} new quality reports ({units} units){statuses}."),
    "cnt.waiting": ("📊 {label}{what}：现有 {n} 条。", "📊 {label}{what}: {n} now."),
    "cnt.waiting_late": ("（其中超时 {late}）", " ({late} past due)"),
    "cnt.btn.list": ("📋 查看列表", "📋 See the list"),
    "cnt.orders.approve": ("⏳ 待您审批的订单现有 {n} 单，合计 {amount}。要列出来吗？",
                           "⏳ {n} orders wait for your approval, {amount} in all. List them?"),
    "cnt.orders.allocate": ("📦 待配货的订单现有 {n} 单，合计 {amount}。要列出来吗？",
                            "📦 {n} orders wait for allocation, {amount} in all. List them?"),
    "cnt.btn.orders.approve": ("📋 列出待审批订单", "📋 List orders to approve"),
    "cnt.btn.orders.allocate": ("📋 列出待配货订单", "📋 List orders to allocate"),
})

_STATUS_QUEUES = (Queue.TICKETS, Queue.QUALITY, Queue.MATERIALS, Queue.DOCUMENTS)


def _statuses(ctx: Ctx, counted: list[tuple[tuple[str, str], int]]) -> str:
    parts = [f"{ctx.pick(*label)} {n}" for label, n in counted if n]
    if not parts:
        return ""
    return f"（{' · '.join(parts)}）" if ctx.lang == "zh-CN" else f" ({' · '.join(parts)})"


def _list_button(ctx: Ctx, queue: Queue, status: str | None = None) -> list[list[Button]]:
    return [[Button(ctx.t("cnt.btn.list"), payload(f"q.{queue.value}", 0, 0, status or ""))]]


def queue_of_status(ctx: Ctx, status: str) -> Queue | None:
    """The queue of this person's job whose items take the status said ("超时" -> tickets), else None."""
    return next((q for q in _STATUS_QUEUES if status in STATUS_FILTERS.get(q, ()) and may_see(ctx.actor, q)), None)


async def queue_count(ctx: Ctx, queue: Queue, status: str | None, dealer_id: int | None = None,
                      what: str = "") -> list[Reply]:
    """How many wait in ``queue`` now (after the status and dealer filter), as its list shows them."""
    page = await queue_page(ctx.uow(), ctx.actor, queue, ctx.deps.clock,
                            filter=QueueFilter(dealer_id, status), limit=1)
    said = [w for w in (what, ctx.pick(*STATUS_FILTER_LABELS[status]) if status in STATUS_FILTER_LABELS else "") if w]
    text = ctx.t("cnt.waiting", label=ctx.pick(*QUEUE_LABELS[queue]), what=f"（{'、'.join(said)}）" if said else "",
                 n=page.total)
    if page.late and status is None:
        text += ctx.t("cnt.waiting_late", late=page.late)
    return [Reply(text=text, buttons=[[Button(ctx.t("cnt.btn.list"),
                                              payload(f"q.{queue.value}", 0, dealer_id or 0, status or ""))]])]


async def orders_waiting_count(ctx: Ctx, queue: Queue) -> list[Reply]:
    """"还有几单没审" (order desk): how many orders wait in the person's approval (or allocation) queue now, with
    their total, and the offer to list them: the same items the list behind the button shows."""
    waiting = await all_waiting(ctx.uow(), ctx.actor, queue, ctx.deps.clock)
    amount = sum((i.amount or Decimal("0.00") for i in waiting), Decimal("0.00"))
    text = ctx.t(f"cnt.orders.{queue.value}", n=len(waiting), amount=fmt_cny(amount))
    return [Reply(text=text, buttons=[[Button(ctx.t(f"cnt.btn.orders.{queue.value}"),
                                              payload(f"q.{queue.value}", 0, 0, ""))]])]


async def ticket_count(ctx: Ctx, first: date, last: date, sku: str | None = None) -> list[Reply]:
    """The tickets filed in those days (of the product said), by their status now."""
    stats = await ticket_statistics(ctx.uow(), ctx.actor, ctx.deps.clock, since=first, until=last)
    group = stats.total
    if sku:
        group = next((g for g in stats.by_product if g.key.upper() == sku.upper()), None) or TicketGroup(
            key=sku, tickets=0, open=0, late=0, rated=0, avg_satisfaction=None)
        statuses = ""
    else:
        statuses = _statuses(ctx, [(TICKET_STATUS_LABELS[s], stats.by_status.get(s.value, 0)) for s in TicketStatus])
    key = "cnt.tickets_sku" if sku else "cnt.tickets"
    text = ctx.t(key, period=days_label(ctx, first, last), sku=sku or "", n=group.tickets, statuses=statuses,
                 late=group.late)
    return [Reply(text=text, buttons=_list_button(ctx, Queue.TICKETS))]


async def quality_count(ctx: Ctx, first: date, last: date, sku: str | None = None) -> list[Reply]:
    """The quality reports received in those days, by their corrective status now."""
    summary = await defect_summary(ctx.uow(), ctx.actor, ctx.deps.clock, since=first, until=last, sku=sku)
    statuses = _statuses(ctx, [(CORRECTIVE_STATUS_LABELS[s], summary.reports_by_status.get(s.value, 0))
                               for s in CorrectiveStatus])
    text = ctx.t("cnt.quality", period=days_label(ctx, first, last), n=summary.total_reports,
                 units=summary.total_units, statuses=statuses)
    return [Reply(text=text, buttons=_list_button(ctx, Queue.QUALITY))]
