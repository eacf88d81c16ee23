"""What is waiting for a staff member: one read use case per queue, shared by chat, back office and API.

Every staff job has its queue(s); ``QUEUE_PERMISSIONS`` says who sees which (any one of the permissions)::

    approve       orders waiting for approval            ORDER_APPROVE (order desk, channel manager, management)
    allocate      approved / in production, to allocate  ORDER_ALLOCATE (order desk)
    ship          allocated, to ship                     ORDER_SHIP (order desk)
    tickets       open after-sales tickets               TICKET_HANDLE (after-sales, quality)
    quality       quality reports not closed             QUALITY_HANDLE (quality)
    applications  dealer applications under review      DEALER_REVIEW (channel manager)
    documents     qualification documents to review      DEALER_REVIEW
    questions     questions handed to staff              DEALER_WRITE (channel manager); those about an order:
                                                         ORDER_APPROVE (order desk) — each sees what it may answer
    materials     material requests to approve/dispatch  MATERIAL_APPROVE (marketing, channel manager)
    reports       campaign execution reports to review   CAMPAIGN_WRITE (marketing)
    claims        expense claims to decide               CAMPAIGN_WRITE or ACCOUNT_POST (marketing, finance)
    disputes / rebates / refunds / bank                  ACCOUNT_POST (finance)
    credit        credit requests this person may decide CREDIT_APPROVE (finance, management)

``waiting_counts`` gives the counts first (what /today and the back-office index show), ``queue_page`` one
page of a queue, filtered by dealer and status. Items are plain ``QueueItem`` objects: a reference a card
opens by (SO-/AS-/QF-/FY- number, or an id), the dealer, a status with its zh/en label, a short summary, when,
and whether it is late. A queue the actor may not see raises PermissionDenied; the list is never empty by
refusal. Items are ordered most urgent first (late first, then oldest).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from core.aftersales import TicketStatus
from core.campaigns import ParticipationStatus, RequestStatus
from core.clock import Clock
from core.dealers import DOCUMENT_LABELS, DealerStatus, ReviewStatus
from core.errors import PermissionDenied, ValidationFailed
from core.expenses import ClaimStatus
from core.faq import QuestionStatus
from core.masking import mask_text
from core.money import fmt_cny
from core.order_states import PARENT_PENDING
from core.orders import ORDER_STATUS_LABELS, OrderStatus
from core.ports import AbstractUnitOfWork
from core.quality import CorrectiveStatus
from core.services.bank_import import list_unmatched
from core.services.credit import list_pending_credit_changes
from core.services.expenses import list_claims
from core.services.faq import ANSWERERS, may_answer
from core.services.materials import REQUEST_STATUS_LABELS
from core.services.payments import list_finance_requests
from core.services.quality import CORRECTIVE_STATUS_LABELS
from core.services.rebates import list_pending_settlements
from core.services.statements import list_open_disputes
from core.ticket_states import ACTIVE_STATUSES, TICKET_STATUS_LABELS
from core.users import Actor, Permission

P = Permission
MAX_ITEMS = 500          # items of one queue looked at (a queue longer than this shows its most urgent 500)
SUMMARY_CHARS = 40


class Queue(StrEnum):
    APPROVE = "approve"
    ALLOCATE = "allocate"
    SHIP = "ship"
    TICKETS = "tickets"
    QUALITY = "quality"
    APPLICATIONS = "applications"
    DOCUMENTS = "documents"
    QUESTIONS = "questions"
    MATERIALS = "materials"
    REPORTS = "reports"
    CLAIMS = "claims"
    DISPUTES = "disputes"
    REBATES = "rebates"
    REFUNDS = "refunds"
    BANK = "bank"
    CREDIT = "credit"


QUEUE_PERMISSIONS: dict[Queue, frozenset[Permission]] = {
    Queue.APPROVE: frozenset({P.ORDER_APPROVE}),
    Queue.ALLOCATE: frozenset({P.ORDER_ALLOCATE}),
    Queue.SHIP: frozenset({P.ORDER_SHIP}),
    Queue.TICKETS: frozenset({P.TICKET_HANDLE}),
    Queue.QUALITY: frozenset({P.QUALITY_HANDLE}),
    Queue.APPLICATIONS: frozenset({P.DEALER_REVIEW}),
    Queue.DOCUMENTS: frozenset({P.DEALER_REVIEW}),
    Queue.QUESTIONS: ANSWERERS,
    Queue.MATERIALS: frozenset({P.MATERIAL_APPROVE}),
    Queue.REPORTS: frozenset({P.CAMPAIGN_WRITE}),
    Queue.CLAIMS: frozenset({P.CAMPAIGN_WRITE, P.ACCOUNT_POST}),
    Queue.DISPUTES: frozenset({P.ACCOUNT_POST}),
    Queue.REBATES: frozenset({P.ACCOUNT_POST}),
    Queue.REFUNDS: frozenset({P.ACCOUNT_POST}),
    Queue.BANK: frozenset({P.ACCOUNT_POST}),
    Queue.CREDIT: frozenset({P.CREDIT_APPROVE}),
}

QUEUE_LABELS: dict[Queue, tuple[str, str]] = {
    Queue.APPROVE: ("待审批订单", "Orders to approve"),
    Queue.ALLOCATE: ("待配货", "To allocate"),
    Queue.SHIP: ("待发货", "To ship"),
    Queue.TICKETS: ("售后工单", "After-sales tickets"),
    Queue.QUALITY: ("质量反馈", "Quality reports"),
    Queue.APPLICATIONS: ("入驻申请", "Dealer applications"),
    Queue.DOCUMENTS: ("待审核资质", "Documents to review"),
    Queue.QUESTIONS: ("待答复咨询", "Questions to answer"),
    Queue.MATERIALS: ("物料申请", "Material requests"),
    Queue.REPORTS: ("活动执行报告", "Campaign reports"),
    Queue.CLAIMS: ("费用核销", "Expense claims"),
    Queue.DISPUTES: ("对账异议", "Statement disputes"),
    Queue.REBATES: ("返利结算", "Rebate settlements"),
    Queue.REFUNDS: ("退款/调账", "Refunds/adjustments"),
    Queue.BANK: ("待匹配流水", "Bank rows to match"),
    Queue.CREDIT: ("额度申请", "Credit requests"),
}

LATE = "late"   # the status filter of a queue whose items have a due time (tickets): past it

# status filters a queue takes (besides no filter): the stored status values, and "late" for tickets
STATUS_FILTERS: dict[Queue, tuple[str, ...]] = {
    Queue.ALLOCATE: (OrderStatus.APPROVED.value, OrderStatus.IN_PRODUCTION.value),
    Queue.TICKETS: (LATE, *sorted(s.value for s in ACTIVE_STATUSES)),
    Queue.QUALITY: (CorrectiveStatus.NEW.value, CorrectiveStatus.INVESTIGATING.value,
                    CorrectiveStatus.ACTION_PLANNED.value),
    Queue.MATERIALS: (RequestStatus.PENDING.value, RequestStatus.APPROVED.value),
}
STATUS_FILTER_LABELS: dict[str, tuple[str, str]] = {
    LATE: ("超时", "past SLA"),
    **{s.value: ORDER_STATUS_LABELS[s] for s in (OrderStatus.APPROVED, OrderStatus.IN_PRODUCTION)},
    **{s.value: TICKET_STATUS_LABELS[s] for s in ACTIVE_STATUSES},
    **{s.value: CORRECTIVE_STATUS_LABELS[s] for s in (CorrectiveStatus.NEW, CorrectiveStatus.INVESTIGATING,
                                                      CorrectiveStatus.ACTION_PLANNED)},
    **{s.value: REQUEST_STATUS_LABELS[s] for s in (RequestStatus.PENDING, RequestStatus.APPROVED)},
}


@dataclass(frozen=True)
class QueueItem:
    """One thing waiting. ``ref`` opens its card: an SO-/AS-/QF-/FY-/FR-/CR- number, a dealer code, or an id."""

    queue: Queue
    ref: str
    dealer_id: int | None
    dealer_code: str
    dealer_name: str
    status: str
    status_label: tuple[str, str]
    summary: str                     # masked free text or an amount, short
    at: datetime | None = None       # when it started waiting (or is due, for tickets)
    late: bool = False
    amount: Decimal | None = None
    version: int | None = None       # orders: the version a decision button carries
    notes: tuple[str, ...] = ()      # orders: the approval reason codes

    @property
    def dealer(self) -> str:
        return f"{self.dealer_code} {self.dealer_name}".strip()


@dataclass(frozen=True)
class QueueCount:
    queue: Queue
    total: int
    late: int = 0
    top: tuple[QueueItem, ...] = ()
    by_status: dict[str, int] = field(default_factory=dict)     # of ``total``, by the items' status

    def label(self, lang: str = "zh") -> str:
        zh, en = QUEUE_LABELS[self.queue]
        return en if lang.lower().startswith("en") else zh


@dataclass(frozen=True)
class QueueFilter:
    dealer_id: int | None = None
    status: str | None = None


@dataclass(frozen=True)
class QueuePage:
    queue: Queue
    items: list[QueueItem]
    total: int                        # after the filter
    offset: int
    limit: int
    filter: QueueFilter = field(default_factory=QueueFilter)
    unfiltered: int = 0               # before the filter
    late: int = 0                     # of ``total``, past their due time

    @property
    def has_next(self) -> bool:
        return self.offset + self.limit < self.total

    @property
    def has_prev(self) -> bool:
        return self.offset > 0


def may_see(actor: Actor, queue: Queue) -> bool:
    return bool(QUEUE_PERMISSIONS[queue] & actor.permissions)


def visible_queues(actor: Actor) -> list[Queue]:
    """The queues of this person's jobs, in the order /today lists them."""
    return [q for q in Queue if may_see(actor, q)]


def _require(actor: Actor, queue: Queue) -> None:
    if not may_see(actor, queue):
        raise PermissionDenied()


def check_status_filter(queue: Queue, status: str | None) -> str | None:
    if status is None or status == "":
        return None
    if status not in STATUS_FILTERS.get(queue, ()):
        zh, en = QUEUE_LABELS[queue]
        raise ValidationFailed(zh=f"“{zh}”没有这种状态筛选：{status}", en=f"{en} cannot be filtered by {status}",
                               reason="status filter")
    return status


async def waiting_counts(uow: AbstractUnitOfWork, actor: Actor, clock: Clock, *,
                         top: int = 3) -> list[QueueCount]:
    """Every queue this person sees with how many wait (and how many are late), and the ``top`` most urgent."""
    out = []
    for queue in visible_queues(actor):
        items = await _items(uow, actor, queue, clock)
        out.append(QueueCount(queue, len(items), sum(1 for i in items if i.late), tuple(items[:top]),
                              dict(Counter(i.status for i in items))))
    return out


async def queue_page(uow: AbstractUnitOfWork, actor: Actor, queue: Queue, clock: Clock, *,
                     filter: QueueFilter | None = None, offset: int = 0, limit: int = 5) -> QueuePage:  # noqa: A002
    """One page of ``queue`` after the filter; an offset past the end shows the last page."""
    _require(actor, queue)
    wanted = filter or QueueFilter()
    status = check_status_filter(queue, wanted.status)
    items = await _items(uow, actor, queue, clock)
    unfiltered = len(items)
    if wanted.dealer_id is not None:
        items = [i for i in items if i.dealer_id == wanted.dealer_id]
    if status == LATE:
        items = [i for i in items if i.late]
    elif status is not None:
        items = [i for i in items if i.status == status]
    limit = max(1, min(limit, 50))
    offset = max(0, offset)
    if offset >= len(items):
        offset = max(0, (len(items) - 1) // limit * limit)
    return QueuePage(queue, items[offset:offset + limit], len(items), offset, limit, wanted, unfiltered,
                     sum(1 for i in items if i.late))


async def all_waiting(uow: AbstractUnitOfWork, actor: Actor, queue: Queue, clock: Clock) -> list[QueueItem]:
    """Every item of ``queue`` (at most ``MAX_ITEMS``), most urgent first."""
    _require(actor, queue)
    return await _items(uow, actor, queue, clock)


# --- loading ---------------------------------------------------------------------------------------

def _clip(text: str, n: int = SUMMARY_CHARS) -> str:
    text = " ".join(mask_text(text or "").split())
    return text if len(text) <= n else text[:n - 1] + "…"


async def _dealer_names(uow: AbstractUnitOfWork, ids: Sequence[int | None]) -> dict[int, tuple[str, str]]:
    wanted = sorted({i for i in ids if i is not None})
    if not wanted:
        return {}
    async with uow:
        return {d.id or 0: (d.code, d.name) for d in await uow.dealers.list(id__in=wanted)}


async def _items(uow: AbstractUnitOfWork, actor: Actor, queue: Queue, clock: Clock) -> list[QueueItem]:
    loader = _LOADERS[queue]
    return await loader(uow, actor, clock)


async def _orders(uow: AbstractUnitOfWork, queue: Queue, statuses: list[OrderStatus]) -> list[QueueItem]:
    async with uow:
        orders = await uow.orders.list(status__in=statuses, order_by="created_at", limit=MAX_ITEMS)
    # not the maker's move yet: waiting for the parent dealer's approval, or on hold while the dealer is suspended
    orders = [o for o in orders if o.parent_approval != PARENT_PENDING and not o.held_reason]
    names = await _dealer_names(uow, [o.dealer_id for o in orders])
    return [QueueItem(queue, o.number, o.dealer_id, *names.get(o.dealer_id, ("?", "")), o.status.value,
                      ORDER_STATUS_LABELS[o.status], fmt_cny(o.total), o.created_at, amount=o.total,
                      version=o.version, notes=tuple(o.approval_reasons)) for o in orders]


async def _approve(uow: AbstractUnitOfWork, actor: Actor, clock: Clock) -> list[QueueItem]:
    return await _orders(uow, Queue.APPROVE, [OrderStatus.SUBMITTED])


async def _allocate(uow: AbstractUnitOfWork, actor: Actor, clock: Clock) -> list[QueueItem]:
    return await _orders(uow, Queue.ALLOCATE, [OrderStatus.APPROVED, OrderStatus.IN_PRODUCTION])


async def _ship(uow: AbstractUnitOfWork, actor: Actor, clock: Clock) -> list[QueueItem]:
    return await _orders(uow, Queue.SHIP, [OrderStatus.ALLOCATED])


async def _tickets(uow: AbstractUnitOfWork, actor: Actor, clock: Clock) -> list[QueueItem]:
    now = clock.now()
    async with uow:
        tickets = await uow.tickets.list(status__in=sorted(ACTIVE_STATUSES), order_by="sla_due_at", limit=MAX_ITEMS)
    names = await _dealer_names(uow, [t.dealer_id for t in tickets])
    items = [QueueItem(Queue.TICKETS, t.number, t.dealer_id, *names.get(t.dealer_id, ("?", "")), t.status.value,
                       TICKET_STATUS_LABELS[t.status], " ".join(p for p in (t.sku or "", _clip(t.description)) if p),
                       t.sla_due_at, late=t.sla_due_at is not None and t.sla_due_at < now) for t in tickets]
    return sorted(items, key=lambda i: (not i.late, i.at or now))


async def _quality(uow: AbstractUnitOfWork, actor: Actor, clock: Clock) -> list[QueueItem]:
    open_statuses = [CorrectiveStatus(s) for s in STATUS_FILTERS[Queue.QUALITY]]
    async with uow:
        reports = await uow.quality.list(corrective_status__in=open_statuses, order_by="created_at", limit=MAX_ITEMS)
    names = await _dealer_names(uow, [q.dealer_id for q in reports])
    return [QueueItem(Queue.QUALITY, q.number, q.dealer_id, *names.get(q.dealer_id, ("?", "")),
                      q.corrective_status.value, CORRECTIVE_STATUS_LABELS[q.corrective_status],
                      f"{q.sku} {q.defect_category} ×{q.count} {_clip(q.description, 24)}".strip(), q.created_at)
            for q in reports]


async def _applications(uow: AbstractUnitOfWork, actor: Actor, clock: Clock) -> list[QueueItem]:
    async with uow:
        dealers = await uow.dealers.list(status=DealerStatus.UNDER_REVIEW, order_by="status_changed_at",
                                         limit=MAX_ITEMS)
    return [QueueItem(Queue.APPLICATIONS, d.code, d.id, d.code, d.name, d.status.value, ("审核中", "under review"),
                      f"{d.region} {d.city} {d.tier}", d.status_changed_at) for d in dealers]


async def _documents(uow: AbstractUnitOfWork, actor: Actor, clock: Clock) -> list[QueueItem]:
    async with uow:
        docs = await uow.qualifications.list(status=ReviewStatus.PENDING, order_by="id", limit=MAX_ITEMS)
    names = await _dealer_names(uow, [q.dealer_id for q in docs])
    return [QueueItem(Queue.DOCUMENTS, str(q.id), q.dealer_id, *names.get(q.dealer_id, ("?", "")), q.status.value,
                      ("待审核", "pending"), f"{DOCUMENT_LABELS[q.doc_type][0]} {q.number}", None) for q in docs]


async def _questions(uow: AbstractUnitOfWork, actor: Actor, clock: Clock) -> list[QueueItem]:
    async with uow:
        asked = await uow.staff_questions.list(status=QuestionStatus.OPEN, order_by="id", limit=MAX_ITEMS)
    names = await _dealer_names(uow, [q.dealer_id for q in asked])
    out = []
    for q in asked:
        if not may_answer(actor, q):                  # the order desk: only the questions about an order
            continue
        code, name = names.get(q.dealer_id, ("", q.asked_by)) if q.dealer_id is not None else ("", q.asked_by)
        summary = _clip(q.question, 60)
        if q.about_order and q.about_order not in summary:
            summary = f"{q.about_order} {summary}"
        out.append(QueueItem(Queue.QUESTIONS, str(q.id), q.dealer_id, code, name, q.status.value,
                             ("待答复", "open"), summary, q.created_at))
    return out


async def _materials(uow: AbstractUnitOfWork, actor: Actor, clock: Clock) -> list[QueueItem]:
    async with uow:
        requests = await uow.material_requests.list(status__in=[RequestStatus.PENDING, RequestStatus.APPROVED],
                                                    order_by="created_at", limit=MAX_ITEMS)
        materials = {m.id: m for m in await uow.materials.list(id__in=sorted({r.material_id for r in requests}))} \
            if requests else {}
    names = await _dealer_names(uow, [r.dealer_id for r in requests])
    out = []
    for r in requests:
        material = materials.get(r.material_id)
        out.append(QueueItem(Queue.MATERIALS, str(r.id), r.dealer_id, *names.get(r.dealer_id, ("?", "")),
                             r.status.value, REQUEST_STATUS_LABELS[r.status],
                             f"{material.name if material else r.material_id} ×{r.qty}", r.created_at))
    # pending decisions before approved requests waiting for dispatch
    return sorted(out, key=lambda i: i.status != RequestStatus.PENDING.value)


async def _reports(uow: AbstractUnitOfWork, actor: Actor, clock: Clock) -> list[QueueItem]:
    async with uow:
        parts = await uow.participations.list(status=ParticipationStatus.REPORTED, order_by="reported_at",
                                              limit=MAX_ITEMS)
        campaigns = {c.id: c for c in await uow.campaigns.list(id__in=sorted({p.campaign_id for p in parts}))} \
            if parts else {}
    names = await _dealer_names(uow, [p.dealer_id for p in parts])
    out = []
    for p in parts:
        campaign = campaigns.get(p.campaign_id)
        out.append(QueueItem(Queue.REPORTS, f"{p.campaign_id}:{p.dealer_id}", p.dealer_id,
                             *names.get(p.dealer_id, ("?", "")), p.status.value, ("待审核", "to review"),
                             f"{campaign.code if campaign else p.campaign_id} {_clip(p.report_text, 30)}",
                             p.reported_at))
    return out


async def _claims(uow: AbstractUnitOfWork, actor: Actor, clock: Clock) -> list[QueueItem]:
    claims = list(reversed(await list_claims(uow, actor, status=ClaimStatus.SUBMITTED, limit=MAX_ITEMS)))
    names = await _dealer_names(uow, [c.dealer_id for c in claims])
    return [QueueItem(Queue.CLAIMS, c.number, c.dealer_id, *names.get(c.dealer_id, ("?", "")), c.status.value,
                      ("待审核", "submitted"), f"{fmt_cny(c.amount)} {_clip(c.description, 24)}",
                      c.created_at, amount=c.amount) for c in claims]


async def _disputes(uow: AbstractUnitOfWork, actor: Actor, clock: Clock) -> list[QueueItem]:
    return [QueueItem(Queue.DISPUTES, str(d.statement_id), d.dealer_id, d.dealer_code, d.dealer_name, "disputed",
                      ("有异议", "disputed"), f"{d.period} {_clip(d.reason, 30)}", d.disputed_at)
            for d in await list_open_disputes(uow, actor, limit=MAX_ITEMS)]


async def _rebates(uow: AbstractUnitOfWork, actor: Actor, clock: Clock) -> list[QueueItem]:
    return [QueueItem(Queue.REBATES, str(s.settlement.id), s.settlement.dealer_id, s.dealer_code, s.dealer_name,
                      s.settlement.status.value, ("待审批", "proposed"),
                      f"{s.settlement.period} {fmt_cny(s.settlement.amount)}",
                      None, amount=s.settlement.amount) for s in await list_pending_settlements(uow, actor)]


async def _refunds(uow: AbstractUnitOfWork, actor: Actor, clock: Clock) -> list[QueueItem]:
    requests = [r for r in await list_finance_requests(uow, actor, limit=MAX_ITEMS) if r.may_decide]
    names = await _dealer_names(uow, [r.request.dealer_id for r in requests])
    return [QueueItem(Queue.REFUNDS, r.request.number, r.request.dealer_id,
                      *names.get(r.request.dealer_id, ("?", "")), r.request.status.value, ("待审批", "pending"),
                      _clip(r.summary("zh"), 40), None, amount=r.request.amount) for r in requests]


async def _bank(uow: AbstractUnitOfWork, actor: Actor, clock: Clock) -> list[QueueItem]:
    rows, _ = await list_unmatched(uow, actor, limit=MAX_ITEMS)
    return [QueueItem(Queue.BANK, str(r.id), None, "", r.payer, "unmatched", ("待匹配", "unmatched"),
                      f"{r.paid_on.isoformat()} {r.payer} {fmt_cny(r.amount)} {_clip(r.reference or '', 20)}".strip(), None,
                      amount=r.amount) for r in rows]


async def _credit(uow: AbstractUnitOfWork, actor: Actor, clock: Clock) -> list[QueueItem]:
    return [QueueItem(Queue.CREDIT, c.change.number, c.change.dealer_id, c.dealer_code, c.dealer_name,
                      c.change.status.value, ("待审批", "pending"), _clip(f"{c.dealer_name}：{c.what('zh')}", 40), None,
                      amount=c.change.amount)
            for c in await list_pending_credit_changes(uow, actor) if c.may_decide]


_LOADERS = {
    Queue.APPROVE: _approve, Queue.ALLOCATE: _allocate, Queue.SHIP: _ship, Queue.TICKETS: _tickets,
    Queue.QUALITY: _quality, Queue.APPLICATIONS: _applications, Queue.DOCUMENTS: _documents,
    Queue.QUESTIONS: _questions, Queue.MATERIALS: _materials, Queue.REPORTS: _reports, Queue.CLAIMS: _claims,
    Queue.DISPUTES: _disputes, Queue.REBATES: _rebates, Queue.REFUNDS: _refunds, Queue.BANK: _bank,
    Queue.CREDIT: _credit,
}

TICKET_QUEUE_STATUSES: tuple[TicketStatus, ...] = tuple(sorted(ACTIVE_STATUSES))
