"""Every staff role's queues in chat: /today (counts first, then the most urgent items) and one list per queue,
a page at a time, filtered by dealer and status. What waits comes from ``core.services.queues`` (the back
office shows the same queues from the same use case).

Payloads (``q.<queue>|<offset>|<dealer id or 0>|<status or empty>``; checked again by the use case)::

    q.approve  q.allocate  q.ship  q.tickets  q.quality  q.applications  q.documents  q.questions
    q.materials  q.reports  q.claims          staff.today (/today)     staff.tickets (= q.tickets)

Typed: ``/tickets 合肥新锐``, ``/tickets 超时``, ``/qf 调查中``, ``/questions``, ``/materials``, ``/campaign_reports``,
``/applications``, ``/documents``, ``/to_approve``, ``/to_allocate``, ``/to_ship``, ``/claims_queue``; the words
after the command name a dealer (code or part of the name: several matches are asked back with buttons)
and a status (``nlu.staff_commands.parse_queue_filter``). ``下一页`` / ``上一页`` page the last list shown.
Finance's own lists (disputes, rebates, refunds, bank rows, credit) stay in ``handlers.flows.finance`` and
friends; /today counts them from the same use case and links to them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from core.errors import PermissionDenied
from core.services import qualifications
from core.services.order_counts import WaitingStep
from core.services.queues import (
    QUEUE_LABELS,
    STATUS_FILTER_LABELS,
    STATUS_FILTERS,
    Queue,
    QueueCount,
    QueueFilter,
    QueueItem,
    QueuePage,
    may_see,
    queue_page,
    visible_queues,
    waiting_counts,
)
from core.users import Permission
from handlers import i18n
from handlers.catalogue import parse_message
from handlers.context import Ctx
from handlers.flows import forms, orders, quality, staff_counts, staff_words
from handlers.flows.finance import remember_pages
from handlers.flows.menu import require_bound
from handlers.flows.staff import drop_pending
from handlers.messages import Button, Reply
from handlers.router import Router, payload
from nlu.dates import find_past_period
from nlu.queue_words import (
    EXPIRING_ASKED,
    QUESTIONS_ASKED,
    QUEUE_ASKED,
    TICKETS_ASKED,
    TODAY_ANYWHERE,
    TODAY_ASKED,
    TODAY_NAMED,
    TODAY_PHRASES,
    command_asked,
    command_words,
    dealer_words_in_expiry,
    named_queue,
    past_asked,
    status_counted,
)
from nlu.staff_commands import (
    ORDERS_WAITING,
    STATUS_COUNT,
    TODAY_EVERYDAY,
    count_asked,
    orders_waiting_asked,
    parse_queue_filter,
    stats_asked,
)

router = Router(name=__name__)

P = Permission
PAGE = 10               # items per screen of a queue
TOP = 3                 # items named per line of /today
EXPIRY_DAYS = 7
MAX_DEALER_CHOICES = 6

# the queues listed here generically (finance's lists live in their own flows)
LISTED: tuple[Queue, ...] = (Queue.APPROVE, Queue.ALLOCATE, Queue.SHIP, Queue.TICKETS, Queue.QUALITY,
                             Queue.APPLICATIONS, Queue.DOCUMENTS, Queue.QUESTIONS, Queue.MATERIALS, Queue.REPORTS,
                             Queue.CLAIMS)
COMMANDS: dict[Queue, str] = {
    Queue.APPROVE: "to_approve", Queue.ALLOCATE: "to_allocate", Queue.SHIP: "to_ship", Queue.TICKETS: "tickets",
    Queue.QUALITY: "qf", Queue.APPLICATIONS: "applications", Queue.DOCUMENTS: "documents",
    Queue.QUESTIONS: "questions", Queue.MATERIALS: "materials", Queue.REPORTS: "campaign_reports",
    Queue.CLAIMS: "claims_queue",
}
# /today's line per queue (i18n key with {n}, and {late} for tickets)
TODAY_LINES: dict[Queue, str] = {
    Queue.APPROVE: "staff.today.approve", Queue.ALLOCATE: "staff.today.allocate", Queue.SHIP: "staff.today.ship",
    Queue.TICKETS: "staff.today.tickets", Queue.QUALITY: "staff.today.quality",
    Queue.APPLICATIONS: "staff.today.applications", Queue.DOCUMENTS: "staff.today.quals",
    Queue.QUESTIONS: "staff.today.questions", Queue.MATERIALS: "staff.today.materials",
    Queue.REPORTS: "staff.today.reports", Queue.CLAIMS: "fin.today.claims", Queue.DISPUTES: "fin.today.disputes",
    Queue.REBATES: "fin.today.rebates", Queue.REFUNDS: "fin.today.requests", Queue.BANK: "fin.today.bank",
    Queue.CREDIT: "fin.today.credit",
}
# /today's button to each list: (label key, action, args)
TODAY_BUTTONS: dict[Queue, tuple[str, str, tuple[str | int, ...]]] = {
    Queue.TICKETS: ("staff.btn.tickets", "q.tickets", (0,)),
    Queue.QUALITY: ("q.btn.quality", "q.quality", (0,)),
    Queue.APPLICATIONS: ("q.btn.applications", "q.applications", (0,)),
    Queue.DOCUMENTS: ("q.btn.documents", "q.documents", (0,)),
    Queue.QUESTIONS: ("q.btn.questions", "q.questions", (0,)),
    Queue.MATERIALS: ("q.btn.materials", "q.materials", (0,)),
    Queue.REPORTS: ("q.btn.reports", "q.reports", (0,)),
    Queue.CLAIMS: ("fin.btn.claims", "q.claims", (0,)),
    Queue.DISPUTES: ("fin.btn.disputes", "stmt.disputes", ()),
    Queue.REBATES: ("fin.btn.rebates", "fin.rb.list", (0,)),
    Queue.REFUNDS: ("fin.btn.requests", "fin.fr.list", (0,)),
    Queue.BANK: ("fin.btn.bank", "fin.bk.list", (0,)),
    Queue.CREDIT: ("fin.btn.credit", "cr.list", ()),
}


@router.typed_labels
def today_labels(ctx: Ctx) -> list[Button]:
    """The list buttons /today shows this person ("额度审批", "返利审批", "售后工单"): typed, that list, in a form too
    (the form left for it, as for a main menu label; was: "额度审批" at a payment step asked the step again)."""
    if not ctx.is_staff:
        return []
    return [Button(ctx.t(key), payload(action, *args))
            for key, action, args in (TODAY_BUTTONS[q] for q in visible_queues(ctx.actor) if q in TODAY_BUTTONS)]

i18n.register({
    "staff.today.title": ("📋 今日待办（{date}）", "📋 Today ({date})"),
    "staff.today.nothing": ("今天没有需要您处理的事项。", "Nothing waits for you today."),
    "staff.today.approve": ("待审批订单：{n}", "Orders to approve: {n}"),
    "staff.today.allocate": ("待配货：{n}", "To allocate: {n}"),
    "staff.today.ship": ("待发货：{n}", "To ship: {n}"),
    "staff.today.tickets": ("售后工单：{n}（⏰ 超时 {late}）", "Open tickets: {n} (⏰ {late} past SLA)"),
    "staff.today.quality": ("质量反馈待处理：{n}", "Quality reports open: {n}"),
    "staff.today.applications": ("入驻申请：{n}", "Dealer applications: {n}"),
    "staff.today.quals": ("待审核资质：{n}", "Documents to review: {n}"),
    "staff.today.questions": ("待答复咨询：{n}", "Questions to answer: {n}"),
    "staff.today.expiring": ("{days} 天内到期资质：{n}", "Documents expiring within {days} days: {n}"),
    "staff.expiring_or_past": ("已过期或 {days} 天内到期的资质：{n}", "Documents expired or expiring within {days} days: {n}"),
    "staff.expiry_of": ("{name}（{code}）", "{name} ({code})"),
    "staff.expiry_none_of": ("{dealer}没有已过期或 {days} 天内到期的资质。", "{dealer} has no document expired or expiring "
                             "within {days} days."),
    "staff.expiry_soon_none_of": ("{dealer}没有 {days} 天内到期的资质。", "{dealer} has no document expiring within "
                                  "{days} days."),
    "staff.expiry_no_dealer": ("没有找到名称含“{words}”的经销商。", "No dealer's name has \"{words}\" in it."),
    "staff.expired_item": ("{code} {doc} {date}（已过期 {ago} 天）", "{code} {doc} {date} (expired {ago} days ago)"),
    "staff.today.expiry_item": ("{code} {doc} {date}（{left} 天）", "{code} {doc} {date} ({left} days)"),
    "staff.today.materials": ("物料申请：{n}", "Material requests: {n}"),
    # what the number counts, so that it agrees with 待审批's (pending only) and the list's (both)
    "staff.today.materials_split": ("（待审批 {pending}，已批准待发货 {approved}）",
                                    " ({pending} to approve, {approved} approved to dispatch)"),
    "staff.today.reports": ("待审核活动报告：{n}", "Campaign reports to review: {n}"),
    "q.btn.quality": ("⚠️ 质量反馈", "⚠️ Quality reports"),
    "q.btn.applications": ("📝 入驻申请", "📝 Applications"),
    "q.btn.documents": ("📑 资质审核", "📑 Documents"),
    "q.btn.questions": ("🙋 待答复咨询", "🙋 Questions"),
    "q.btn.materials": ("🎁 物料申请", "🎁 Materials"),
    "q.btn.reports": ("📣 活动报告", "📣 Campaign reports"),
    "q.btn.all_status": ("全部状态", "Any status"),
    "q.btn.all_dealers": ("✖ 全部经销商", "✖ All dealers"),
    "q.btn.answer": ("✍️ 回复 #{id}", "✍️ Answer #{id}"),
    "q.btn.rv_ok": ("✅ {dealer}", "✅ {dealer}"),
    "q.btn.rv_no": ("↩️ 退回", "↩️ Turn down"),
    "q.head": ("{label}：{n} 条{filters}", "{label}: {n}{filters}"),
    "q.head.filtered": ("（共 {all} 条，筛选：{what}）", " (of {all}; filter: {what})"),
    "q.empty": ("{label}：目前没有待处理的事项{filters}。", "{label}: nothing waits{filters}."),
    "q.empty_filtered": ("{label}：没有符合“{what}”的事项（不加筛选共 {all} 条）。",
                         "{label}: nothing matches \"{what}\" ({all} without the filter)."),
    "q.which_dealer": ("“{text}”对应多家经销商，请选择：", "\"{text}\" fits several dealers; choose one:"),
    "q.no_dealer": ("没有找到经销商“{text}”，以下是全部：", "No dealer matches \"{text}\"; here is everything:"),
    "q.not_yours": ("这个列表不在您的职责范围内。", "This list is not part of your job."),
})


def _item_line(ctx: Ctx, item: QueueItem) -> str:
    """One line of a list or of /today."""
    mark = "⏰ " if item.late else ""
    q = item.queue
    if q in (Queue.APPROVE, Queue.ALLOCATE, Queue.SHIP, Queue.TICKETS, Queue.QUALITY):
        text = f"{item.ref} {item.dealer_name} {item.summary}"
    elif q == Queue.APPLICATIONS:
        text = f"{item.ref} {item.dealer_name} {item.summary}"
    elif q == Queue.BANK:
        text = f"#{item.ref} {item.summary}"
    elif q in (Queue.DOCUMENTS, Queue.MATERIALS):
        text = f"#{item.ref} {item.dealer_code or item.dealer_name} {item.summary}"
    elif q == Queue.QUESTIONS:
        text = f"#{item.ref} {item.dealer_name}：{item.summary}"
    elif q in (Queue.CLAIMS, Queue.CREDIT, Queue.REFUNDS):
        text = f"{item.ref} {item.dealer_code} {item.summary}"
    else:
        text = f"{item.dealer_code} {item.summary}"
    if q in STATUS_FILTERS or q in (Queue.ALLOCATE,):
        text += f"（{ctx.pick(*item.status_label)}）"
    return mark + " ".join(text.split())


def _open_buttons(ctx: Ctx, item: QueueItem) -> list[Button]:
    """The button(s) that open an item's card (or act on it, where the list is the card)."""
    q, ref, mark = item.queue, item.ref, "⏰ " if item.late else ""
    if q in (Queue.APPROVE, Queue.ALLOCATE, Queue.SHIP):
        action = {Queue.APPROVE: "staff.order.detail", Queue.ALLOCATE: "staff.alloc", Queue.SHIP: "staff.ship"}[q]
        icon = {Queue.APPROVE: "🧾", Queue.ALLOCATE: "📦", Queue.SHIP: "🚚"}[q]
        return [Button(f"{icon} {ref}", payload(action, ref))]
    if q == Queue.TICKETS:
        row = [Button(f"{mark}{ref}", payload("staff.ticket.detail", ref))]
        if item.status == "open":
            row.append(Button(ctx.t("staff.btn.accept"), payload("staff.ticket.accept", ref)))
        return row
    if q == Queue.QUALITY:
        return [Button(f"⚠️ {ref}", payload("staff.qf.detail", ref))]
    if q == Queue.APPLICATIONS:
        return [Button(f"📝 {ref} {item.dealer_name}"[:40], payload("staff.dealer.detail", ref))]
    if q == Queue.DOCUMENTS:
        return [Button(f"📑 #{ref} {item.dealer_code}", payload("staff.qual.detail", ref))]
    if q == Queue.QUESTIONS:
        return [Button(ctx.t("q.btn.answer", id=ref), payload("faq.ans", ref))]
    if q == Queue.MATERIALS:
        return [Button(f"🎁 #{ref} {item.dealer_code}", payload("staff.mat.detail", ref))]
    if q == Queue.REPORTS:
        campaign_id, _, dealer_id = ref.partition(":")
        return [Button(ctx.t("q.btn.rv_ok", dealer=item.dealer_code), payload("camp.rv", campaign_id, dealer_id, 1)),
                Button(ctx.t("q.btn.rv_no"), payload("camp.rv", campaign_id, dealer_id, 0))]
    if q == Queue.CLAIMS:
        return [Button(f"🧾 {ref}", payload("staff.claim", ref))]
    return []


def _filter_text(ctx: Ctx, page: QueuePage, dealer_label: str) -> str:
    parts = []
    if page.filter.dealer_id is not None:
        parts.append(dealer_label)
    if page.filter.status:
        parts.append(ctx.pick(*STATUS_FILTER_LABELS.get(page.filter.status, (page.filter.status,) * 2)))
    return "、".join(parts)


def _q_payload(queue: Queue, offset: int, wanted: QueueFilter) -> str:
    return payload(f"q.{queue.value}", offset, wanted.dealer_id or 0, wanted.status or "")


async def show_queue(ctx: Ctx, queue: Queue, wanted: QueueFilter, offset: int = 0, lead: str = "") -> list[Reply]:
    """One page of ``queue`` with its filter: lines, a button per item, the status filters, ◀ ▶."""
    if (refusal := require_bound(ctx)) is not None:
        return refusal
    if not ctx.is_staff or not may_see(ctx.actor, queue):
        raise PermissionDenied()
    drop_pending(ctx)
    page = await queue_page(ctx.uow(), ctx.actor, queue, ctx.deps.clock, filter=wanted, offset=offset, limit=PAGE)
    label = ctx.pick(*QUEUE_LABELS[queue])
    dealer_label = ""
    if page.filter.dealer_id is not None:
        dealer_label = next((i.dealer for i in page.items), "") or await _dealer_label(ctx, page.filter.dealer_id)
    what = _filter_text(ctx, page, dealer_label)
    filters = ctx.t("q.head.filtered", all=page.unfiltered, what=what) if what else ""
    buttons: list[list[Button]] = []
    lines = [lead] if lead else []
    if not page.items:
        lines.append(ctx.t("q.empty_filtered", label=label, what=what, all=page.unfiltered) if what and page.unfiltered
                     else ctx.t("q.empty", label=label, filters=filters))
    else:
        lines.append(ctx.t("staff.tickets.title", open=page.total, late=page.late) + filters
                     if queue == Queue.TICKETS else ctx.t("q.head", label=label, n=page.total, filters=filters))
        if page.total > page.limit:
            lines.append(ctx.t("page.where", first=page.offset + 1, last=page.offset + len(page.items),
                               total=page.total))
        for item in page.items:
            lines.append(("" if item.late else "· ") + _item_line(ctx, item))
            if row := _open_buttons(ctx, item):
                buttons.append(row)
    pager: list[Button] = []
    prev = _q_payload(queue, max(0, page.offset - page.limit), page.filter) if page.has_prev else ""
    nxt = _q_payload(queue, page.offset + page.limit, page.filter) if page.has_next else ""
    if prev:
        pager.append(Button(ctx.t("page.prev"), prev))
    if nxt:
        pager.append(Button(ctx.t("page.next"), nxt))
    remember_pages(ctx, prev=prev, next=nxt)
    if pager:
        buttons.append(pager)
    statuses = STATUS_FILTERS.get(queue, ())
    if statuses:
        row = [Button(("☑️ " if page.filter.status == s else "") + ctx.pick(*STATUS_FILTER_LABELS[s]),
                      _q_payload(queue, 0, QueueFilter(page.filter.dealer_id, s))) for s in statuses]
        if page.filter.status:
            row.append(Button(ctx.t("q.btn.all_status"), _q_payload(queue, 0, QueueFilter(page.filter.dealer_id))))
        buttons.extend(row[i:i + 3] for i in range(0, len(row), 3))
    if page.filter.dealer_id is not None:
        buttons.append([Button(ctx.t("q.btn.all_dealers"), _q_payload(queue, 0, QueueFilter(None, page.filter.status)))])
    if queue == Queue.TICKETS:
        buttons.append([Button(ctx.t("staff.btn.stats"), payload("staff.ticket.stats"))])
    return [Reply(text="\n".join(lines), buttons=buttons)]


async def _dealer_label(ctx: Ctx, dealer_id: int) -> str:
    from core.services.dealers import get_dealer

    dealer = await get_dealer(ctx.uow(), ctx.actor, dealer_id)
    return f"{dealer.code} {dealer.name}"


def _int(raw: str) -> int:
    raw = raw.strip()
    return int(raw) if raw.isdigit() and len(raw) < 10 else 0


def _pressed(ctx: Ctx) -> tuple[int, QueueFilter]:
    args = [*ctx.args, "", "", ""]
    dealer_id = _int(args[1]) or None
    status = args[2].strip() or None
    return _int(args[0]), QueueFilter(dealer_id, status)


def _queue_button(queue: Queue) -> Callable[[Ctx], object]:
    async def pressed(ctx: Ctx) -> list[Reply]:
        offset, wanted = _pressed(ctx)
        if wanted.status is not None and wanted.status not in STATUS_FILTERS.get(queue, ()):
            wanted = QueueFilter(wanted.dealer_id)
        return await show_queue(ctx, queue, wanted, offset)
    pressed.__name__ = f"queue_{queue.value}"
    return pressed


async def typed_queue(ctx: Ctx, queue: Queue, words: str, *, count: bool = False,
                      period: tuple[date, date] | None = None) -> list[Reply]:
    """A queue command with words after it: the dealer (asked back when several fit) and the status; ``count``
    ("几个", "多少"): the number, the list a tap away (``staff_counts``), of the days said when ``period``."""
    if (refusal := require_bound(ctx)) is not None:
        return refusal
    if not ctx.is_staff or not may_see(ctx.actor, queue):
        raise PermissionDenied()
    said = parse_queue_filter(words)
    status = said.status if said.status in STATUS_FILTERS.get(queue, ()) else None
    if said.status == "pending" and queue in (Queue.MATERIALS,):
        status = "pending"
    if count and (period is not None or said.new) and queue in (Queue.TICKETS, Queue.QUALITY) and not said.dealer:
        today = ctx.deps.clock.today()     # "这周新增几个工单": those filed in the days said (today: "新增几个")
        first, last = period or (today, today)
        if queue == Queue.TICKETS:
            return await staff_counts.ticket_count(ctx, first, last)
        return await staff_counts.quality_count(ctx, first, last)
    if said.new and status is None:        # "有新工单没": those not yet taken up
        status = _NEW_STATUS.get(queue)
    if count and not said.dealer:
        return await staff_counts.queue_count(ctx, queue, status)
    if not said.dealer:
        return await show_queue(ctx, queue, QueueFilter(None, status))
    dealers = await forms.dealers_by_words(ctx, said.dealer, MAX_DEALER_CHOICES + 1)
    if not dealers:
        return await show_queue(ctx, queue, QueueFilter(None, status),
                                lead=ctx.t("q.no_dealer", text=said.dealer[:20]))
    if len(dealers) == 1:
        return await show_queue(ctx, queue, QueueFilter(dealers[0].id, status))
    rows = [[Button(f"{d.code} {d.name}"[:40], _q_payload(queue, 0, QueueFilter(d.id, status)))]
            for d in dealers[:MAX_DEALER_CHOICES]]
    return [Reply(text=ctx.t("q.which_dealer", text=said.dealer[:20]), buttons=rows)]


_NEW_STATUS = {Queue.TICKETS: "open", Queue.QUALITY: "new"}


def _command(queue: Queue) -> Callable[[Ctx], object]:
    async def typed(ctx: Ctx) -> list[Reply]:
        return await typed_queue(ctx, queue, ctx.inbound.args or "")
    typed.__name__ = f"typed_{queue.value}"
    return typed


for _queue in LISTED:
    router.button(f"q.{_queue.value}")(_queue_button(_queue))  # type: ignore[arg-type]
    router.command(COMMANDS[_queue])(_command(_queue))  # type: ignore[arg-type]


@router.button("staff.tickets")
async def ticket_list(ctx: Ctx) -> list[Reply]:
    """The after-sales queue (the menu's and pushes' button): ``staff.tickets|<offset>|<dealer>|<status>``."""
    offset, wanted = _pressed(ctx)
    if wanted.status is not None and wanted.status not in STATUS_FILTERS[Queue.TICKETS]:
        wanted = QueueFilter(wanted.dealer_id)
    return await show_queue(ctx, Queue.TICKETS, wanted, offset)


# --- today -----------------------------------------------------------------------------------------

def _today_line(ctx: Ctx, count: QueueCount) -> list[str]:
    lines = [ctx.t(TODAY_LINES[count.queue], n=count.total, late=count.late)]
    if count.queue == Queue.MATERIALS and count.total:
        lines[0] += ctx.t("staff.today.materials_split", pending=count.by_status.get("pending", 0),
                          approved=count.by_status.get("approved", 0))
    top = count.top
    if count.queue == Queue.TICKETS:              # the late ones are what matters first
        top = tuple(i for i in top if i.late) or top
    lines.extend(f"  · {_item_line(ctx, item)}" for item in top[:TOP])
    return lines


@router.staff_pattern(QUESTIONS_ASKED)
async def questions_asked(ctx: Ctx) -> list[Reply]:
    """"待答复咨询", "经销商有问题要回吗": the questions dealers handed to staff (the /today button's list)."""
    return await typed_queue(ctx, Queue.QUESTIONS, "")


@router.staff_pattern(TICKETS_ASKED)
async def tickets_asked(ctx: Ctx) -> list[Reply]:
    """"今天工单多不多": the open tickets queue (its count and the latest, the late ones first)."""
    return await typed_queue(ctx, Queue.TICKETS, "")


EXPIRY_ASKED_DAYS = 30


@router.staff_pattern(EXPIRING_ASKED)
async def expiring_asked(ctx: Ctx) -> list[Reply]:
    """"资质快到期的有哪些", "哪些授权书要到期了": the approved documents expiring within 30 days (and those past
    their date), nearest first, each with its days left."""
    if (refusal := require_bound(ctx)) is not None:
        return refusal
    if not ctx.is_staff or P.DEALER_REVIEW not in ctx.actor.permissions:
        raise PermissionDenied()
    day = ctx.deps.clock.today()
    past = past_asked(ctx.inbound.text)           # "过期的资质": those past their date too
    lead: list[str] = []
    dealer_ids: list[int] | None = None
    if (words := dealer_words_in_expiry(ctx.inbound.text)) is not None:
        # "嘉禾的资质快过期了吗": that dealer's documents only (was: every dealer's)
        named = await forms.dealers_by_words(ctx, words)
        if not named:
            return [Reply(text=ctx.t("staff.expiry_no_dealer", words=words))]
        dealer_ids = [d.id for d in named if d.id is not None]
        lead = [ctx.pick("、", ", ").join(ctx.t("staff.expiry_of", name=d.name, code=d.code) for d in named)]
    soon = await qualifications.expiring(ctx.uow(), ctx.actor, EXPIRY_ASKED_DAYS, day, include_expired=past,
                                         dealer_ids=dealer_ids)
    if lead and not soon:
        return [Reply(text=ctx.t("staff.expiry_none_of" if past else "staff.expiry_soon_none_of", dealer=lead[0],
                                 days=EXPIRY_ASKED_DAYS))]
    lines = [*lead, ctx.t("staff.expiring_or_past" if past else "staff.today.expiring", days=EXPIRY_ASKED_DAYS,
                          n=len(soon))]
    lines += [f"· {_expiry_line(ctx, e)}" for e in soon[:MAX_EXPIRING]]
    return [Reply(text="\n".join(lines))]


def _expiry_line(ctx: Ctx, e: qualifications.ExpiringQualification) -> str:
    """"D0005 授权书 2026-12-12（6 天）", or "（已过期 30 天）" for one past its date."""
    when = e.qualification.expires_on.isoformat() if e.qualification.expires_on else ""
    doc = ctx.pick(e.label_zh, e.label_en)
    if e.days_left < 0:
        return ctx.t("staff.expired_item", code=e.dealer.code, doc=doc, date=when, ago=-e.days_left)
    return ctx.t("staff.today.expiry_item", code=e.dealer.code, doc=doc, date=when, left=e.days_left)


MAX_EXPIRING = 30


@router.staff_pattern(QUEUE_ASKED)
async def queue_named(ctx: Ctx) -> list[Reply]:
    """A ticket, quality, material or campaign-report queue asked for in words: that queue, filtered by the status
    and dealer words said ("物料申请有哪些要批的": the ones to approve)."""
    said = ctx.inbound.text.strip().lower()
    period = find_past_period(said, ctx.deps.clock.today())
    named = named_queue(said, said[period.start:period.end] if period is not None else "")
    assert named is not None             # the router matched the same words
    queue = named.queue
    if queue == Queue.QUALITY and ctx.is_staff and not may_see(ctx.actor, queue) and quality.reads_defects(ctx):
        # management ("这个月质量反馈有多少"): the reports of the period said counted, not a queue it does not work
        return await quality.defect_figures(ctx, None, (period.first, period.last) if period else None)
    if stats_asked(said) and queue == Queue.QUALITY and quality.reads_defects(ctx):
        # "本季度质量问题按产品统计一下": the figures (was: "没有找到经销商“本季度 按产品统计”")
        return await quality.defect_figures(ctx, None, (period.first, period.last) if period else None)
    # "上周的工单": the days are no dealer's name (left out of named.words)
    return await typed_queue(ctx, queue, named.words, count=count_asked(ctx.inbound.text),
                             period=(period.first, period.last) if period else None)


@router.staff_pattern(STATUS_COUNT)
async def status_count(ctx: Ctx) -> list[Reply]:
    """"超时的有几个" (no list named): how many of the person's own queue have that status, the list a tap away
    (was: a stock check)."""
    if (refusal := require_bound(ctx)) is not None:
        return refusal
    status = status_counted(ctx.inbound.text)
    assert status is not None            # the router matched the same words
    queue = staff_counts.queue_of_status(ctx, status)
    if queue is None and status == "pending" and may_see(ctx.actor, Queue.APPROVE):
        return await staff_counts.orders_waiting_count(ctx, Queue.APPROVE)   # "待审批的有几个" (was: the help)
    if queue is None and ctx.parsed is None:
        ctx.parsed = await parse_message(ctx)
    if queue is None and ctx.parsed is not None and ctx.parsed.slots.topic == "count":
        return await orders.order_counts_reply(ctx)     # "待发货有几单": the orders waiting at that step
    if queue is None:
        return await staff_words.staff_help(ctx)
    return await staff_counts.queue_count(ctx, queue, status)


_STEP_QUEUES = {WaitingStep.APPROVAL: Queue.APPROVE, WaitingStep.ALLOCATION: Queue.ALLOCATE}


@router.staff_pattern(ORDERS_WAITING)
async def orders_waiting(ctx: Ctx) -> list[Reply]:
    """"还有几单没审", "待审的单子有几个", "how many orders pending approval": how many orders wait for this person's
    approval (allocation) now, the list offered (was: a stock check, or the day's figures); the orders waiting
    at a step whose queue is not theirs ("还有几单没发货"): counted as the orders they may read."""
    if (refusal := require_bound(ctx)) is not None:
        return refusal
    step = WaitingStep(orders_waiting_asked(ctx.inbound.text) or WaitingStep.APPROVAL.value)
    queue = _STEP_QUEUES.get(step)
    if queue is not None and may_see(ctx.actor, queue):
        return await staff_counts.orders_waiting_count(ctx, queue)
    return await orders.waiting_reply(ctx, step)


_QUEUE_OF_COMMAND = {name: queue for queue, name in COMMANDS.items()}


@router.staff_pattern(command_asked(COMMANDS.values()))
async def command_without_slash(ctx: Ctx) -> list[Reply]:
    """"qf 调查中", "QF看下调查中的", "tickets 超时" (typed on a phone without the slash): the queue command, not a
    dealer's quality report or an order (they got "此功能仅供经销商用户使用")."""
    said = command_words(ctx.inbound.text)
    assert said is not None              # the router matched the same words
    command, words = said
    return await typed_queue(ctx, _QUEUE_OF_COMMAND[command], words)


@router.command("today")
@router.button("staff.today")
@router.staff_phrase(*TODAY_PHRASES, anywhere=TODAY_ANYWHERE)
@router.staff_pattern(TODAY_ASKED)
@router.staff_pattern(TODAY_NAMED)
@router.staff_pattern(TODAY_EVERYDAY)   # "今天还有啥要弄的" (was: a stock check)
async def today(ctx: Ctx) -> list[Reply]:
    """Counts first (each queue of this person's jobs), the most urgent few named, then a button to each list."""
    if (refusal := require_bound(ctx)) is not None:
        return refusal
    if not ctx.is_staff:
        raise PermissionDenied()
    drop_pending(ctx)
    perms, day = ctx.actor.permissions, ctx.deps.clock.today()
    counts = await waiting_counts(ctx.uow(), ctx.actor, ctx.deps.clock, top=TOP)
    lines = [ctx.t("staff.today.title", date=day.isoformat())]
    anything = False
    for count in counts:
        lines.extend(_today_line(ctx, count))
        anything = anything or bool(count.total)
        if count.queue == Queue.DOCUMENTS:
            soon = await qualifications.expiring(ctx.uow(), ctx.actor, EXPIRY_DAYS, day)
            lines.append(ctx.t("staff.today.expiring", days=EXPIRY_DAYS, n=len(soon)))
            lines.extend(f"  · {_expiry_line(ctx, e)}" for e in soon[:TOP])
            anything = anything or bool(soon)
    buttons: list[list[Button]] = []
    if {P.ORDER_APPROVE, P.DEALER_REVIEW, P.MATERIAL_APPROVE, P.ACCOUNT_POST, P.CREDIT_APPROVE} & perms:
        buttons.append([Button(ctx.t("staff.btn.approvals"), payload("staff.approvals"))])
    if {P.ORDER_ALLOCATE, P.ORDER_SHIP} & perms:
        buttons.append([Button(ctx.t("staff.btn.desk"), payload("staff.orders"))])
    row: list[Button] = []
    for count in counts:
        if count.queue in TODAY_BUTTONS:
            key, action, args = TODAY_BUTTONS[count.queue]
            row.append(Button(ctx.t(key), payload(action, *args)))
    if P.ACCOUNT_POST in perms:
        row.append(Button(ctx.t("fin.btn.pay"), payload("pay.new")))
    buttons.extend(row[i:i + 2] for i in range(0, len(row), 2))
    buttons.append([Button(ctx.t("staff.btn.menu"), payload("menu"))])
    if not anything:
        lines.append(ctx.t("staff.today.nothing"))
    return [Reply(text="\n".join(lines), buttons=buttons)]
