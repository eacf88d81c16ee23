"""After-sales ticket use cases (售后工单): file, handle, comment, rate, look up.

Who may do what:

- file a ticket: a dealer user (TICKET_CREATE) for its own dealer, or staff with TICKET_HANDLE on the
  dealer's behalf;
- accept / start / resolve / close / reject: staff with TICKET_HANDLE;
- answer "问题解决了吗？" on a resolved ticket: the ticket's dealer (any of its users): 已解决 ``confirm_resolved``
  closes it, 还没解决 is ``reopen_ticket``; unanswered for ``CONFIRM_DAYS`` (a setting), the scheduler closes it
  (``close_unconfirmed``, the system actor);
- reopen a resolved ticket: the ticket's dealer (any of its users, within ``REOPEN_DAYS`` of its resolution: later
  it is a new repair) or TICKET_HANDLE staff (any time while resolved); ``reopenable_tickets`` lists the dealer's
  own resolved tickets it may still reopen ("上次修的那台又坏了" without the number);
- comment: the ticket's dealer or TICKET_HANDLE staff;
- rate: the ticket's dealer owner only (the rating is the dealer's verdict, not a clerk's);
- assign to a named handler, ask the dealer for more information (a comment that reaches the dealer
  with a reply button): TICKET_HANDLE;
- statistics per product, dealer and defect category: TICKET_HANDLE or REPORT_READ_ALL.

A dealer asking for another dealer's ticket gets NotFound, exactly as for a number that does not exist.
Customer name, phone and address are personal data: they are kept out of audit snapshots.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from core import authz, notify
from core.aftersales import Priority, Ticket, TicketComment, TicketStatus
from core.auditing import record, snapshot
from core.clock import Clock
from core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from core.outbox import Category
from core.ports import AbstractUnitOfWork
from core.ticket_states import (
    ACTIVE_STATUSES,
    RATEABLE_STATUSES,
    TicketAction,
    confirmation_overdue,
    invalid_transition,
    is_sla_breached,
    next_status,
    normalize_phone,
    sla_due_at,
)
from core.users import Actor, ActorKind, Permission, Role

MAX_PHOTOS = 20
MAX_TEXT = 2000
MAX_ADDRESS = 200
RATING_ROLES: frozenset[Role] = frozenset({Role.DEALER_OWNER})
# Marks a timeline line as staff's question to the dealer (``request_info``).
INFO_REQUEST_MARK = "❓ "
PHOTOS_MARK = "📷 ×"           # a comment that added photos: "📷 ×2"
REOPEN_DAYS = 30               # a dealer reopens a ticket resolved at most this long ago; later: a new repair

# Fields written to the audit log; customer name/phone stay out (personal data).
_AUDIT_FIELDS = ("number", "dealer_id", "status", "priority", "sla_due_at", "assignee", "resolution",
                 "reject_reason", "resolved_at", "satisfaction", "sku", "serial_no", "order_number")


@dataclass(frozen=True)
class CreateTicket:
    dealer_id: int
    description: str
    customer_name: str = ""
    customer_phone: str = ""          # optional; validated when given
    address: str = ""                 # where the repair is; optional
    sku: str | None = None
    serial_no: str | None = None
    order_number: str | None = None   # must be one of the dealer's orders when given
    photos: list[str] = field(default_factory=list)   # file refs
    priority: Priority = Priority.NORMAL


async def create_ticket(uow: AbstractUnitOfWork, actor: Actor, cmd: CreateTicket, clock: Clock) -> Ticket:
    _require_may_file(actor, cmd.dealer_id)
    description = _text(cmd.description, "问题描述", "description")
    phone = normalize_phone(cmd.customer_phone) if cmd.customer_phone.strip() else ""
    photos = _photos(cmd.photos)
    async with uow:
        if await uow.dealers.get(cmd.dealer_id) is None:
            raise NotFound(what=str(cmd.dealer_id))
        sku = cmd.sku.strip() if cmd.sku else None
        if sku and await uow.products.get_by(sku=sku) is None:
            raise ValidationFailed(zh=f"产品 {sku} 不存在", en=f"Product {sku} does not exist", reason=sku)
        order_number = cmd.order_number.strip() if cmd.order_number else None
        if order_number:
            order = await uow.orders.get_by(number=order_number)
            if order is None or order.dealer_id != cmd.dealer_id:
                raise ValidationFailed(zh=f"订单 {order_number} 不存在或不属于该经销商",
                                       en=f"Order {order_number} does not exist or belongs to another dealer",
                                       reason=order_number)
        now = clock.now()
        ticket = Ticket(
            number=await uow.next_number("AS", clock.today()),
            dealer_id=cmd.dealer_id,
            description=description,
            customer_name=cmd.customer_name.strip(),
            customer_phone=phone,
            address=cmd.address.strip()[:MAX_ADDRESS],
            sku=sku,
            serial_no=cmd.serial_no.strip() if cmd.serial_no else None,
            order_number=order_number,
            photos=photos,
            priority=cmd.priority,
            sla_due_at=sla_due_at(cmd.priority, now),
            created_by=actor.label,
            created_at=now,
            updated_at=now,
        )
        await uow.tickets.add(ticket)
        await record(uow, actor, "ticket.create", "ticket", ticket.number, clock,
                     after=snapshot(ticket, _AUDIT_FIELDS))
        await notify.ticket_created(uow, actor, ticket, clock)
        await uow.commit()
        return ticket


async def accept_ticket(uow: AbstractUnitOfWork, actor: Actor, number: str, clock: Clock) -> Ticket:
    """Staff takes the ticket; the accepting user becomes its assignee."""
    return await _staff_transition(uow, actor, number, TicketAction.ACCEPT, clock, assignee=actor.label)


async def start_ticket(uow: AbstractUnitOfWork, actor: Actor, number: str, clock: Clock) -> Ticket:
    return await _staff_transition(uow, actor, number, TicketAction.START, clock)


async def resolve_ticket(uow: AbstractUnitOfWork, actor: Actor, number: str, resolution: str,
                         clock: Clock) -> Ticket:
    text = _text(resolution, "处理结果", "resolution")
    return await _staff_transition(uow, actor, number, TicketAction.RESOLVE, clock, note=text)


async def close_ticket(uow: AbstractUnitOfWork, actor: Actor, number: str, clock: Clock) -> Ticket:
    return await _staff_transition(uow, actor, number, TicketAction.CLOSE, clock)


async def reject_ticket(uow: AbstractUnitOfWork, actor: Actor, number: str, reason: str,
                        clock: Clock) -> Ticket:
    text = _text(reason, "驳回原因", "reason")
    return await _staff_transition(uow, actor, number, TicketAction.REJECT, clock, note=text)


async def reopen_ticket(uow: AbstractUnitOfWork, actor: Actor, number: str, reason: str,
                        clock: Clock) -> Ticket:
    """The dealer is not satisfied with the resolution: back to in_progress, rating and resolution time reset."""
    text = _text(reason, "重新打开原因", "reason")
    async with uow:
        ticket = await _visible_ticket(uow, actor, number, for_update=True)
        if actor.kind != ActorKind.DEALER:
            authz.require(actor, Permission.TICKET_HANDLE)
        elif ticket.status == TicketStatus.RESOLVED and not may_dealer_reopen(ticket, clock.now()):
            raise Conflict(zh=f"工单 {ticket.number} 解决已超过 {REOPEN_DAYS} 天，不能再重新打开，请新建报修",
                           en=f"Ticket {ticket.number} was resolved more than {REOPEN_DAYS} days ago and can no "
                              "longer be reopened; please file a new repair", reason="reopen_window")
        return await _apply(uow, actor, ticket, TicketAction.REOPEN, clock, note=text)


async def confirm_resolved(uow: AbstractUnitOfWork, actor: Actor, number: str, clock: Clock) -> Ticket:
    """The dealer answers 已解决 to "问题解决了吗？": the resolved ticket is closed by its word (audited; its handler
    told). Staff close a ticket with ``close_ticket``; another dealer's ticket is NotFound."""
    async with uow:
        ticket = await _visible_ticket(uow, actor, number, for_update=True)
        if actor.kind != ActorKind.DEALER:
            raise PermissionDenied(zh="只有经销商可以确认问题已解决", en="Only the dealer confirms that it is solved")
        return await _apply(uow, actor, ticket, TicketAction.CONFIRM, clock)


async def close_unconfirmed(uow_factory: Callable[[], AbstractUnitOfWork], actor: Actor, clock: Clock,
                            days: int) -> list[str]:
    """Close every resolved ticket whose dealer has not answered "问题解决了吗？" within ``days`` of its resolution
    (the scheduler, as the system actor): each in its own transaction, audited, the dealer told. The numbers
    closed."""
    if actor.kind != ActorKind.SYSTEM:
        authz.require(actor, Permission.TICKET_HANDLE)
    now = clock.now()
    async with uow_factory() as uow:
        waiting = await uow.tickets.list(order_by="resolved_at", status=TicketStatus.RESOLVED)
    closed = []
    for number in [t.number for t in waiting if confirmation_overdue(t, now, days)]:
        async with uow_factory() as uow:
            ticket = await uow.tickets.get_by(number=number, for_update=True)
            if ticket is None or not confirmation_overdue(ticket, now, days):    # answered meanwhile
                continue
            await _apply(uow, actor, ticket, TicketAction.AUTO_CLOSE, clock,
                         note=f"解决后 {days} 天未收到经销商确认，自动关闭")
            closed.append(number)
    return closed


def may_dealer_reopen(ticket: Ticket, now: datetime) -> bool:
    """A resolved ticket its dealer may still reopen: resolved within ``REOPEN_DAYS`` (or with no time kept)."""
    return ticket.status == TicketStatus.RESOLVED and (
        ticket.resolved_at is None or now - ticket.resolved_at <= timedelta(days=REOPEN_DAYS))


async def reopenable_tickets(uow: AbstractUnitOfWork, actor: Actor, clock: Clock, *,
                             sku: str | None = None) -> list[Ticket]:
    """The speaking dealer's own resolved tickets it may still reopen, the latest resolved first; of ``sku`` when
    given. Staff and visitors get none (staff reopen by number)."""
    _require_ticket_reader(actor)
    if actor.kind != ActorKind.DEALER or actor.dealer_id is None:
        return []
    now = clock.now()
    async with uow:
        rows = await uow.tickets.list(order_by="created_at", desc=True, dealer_id=actor.dealer_id,
                                      status=TicketStatus.RESOLVED)
    found = [t for t in rows if may_dealer_reopen(t, now) and (sku is None or t.sku == sku)]
    return sorted(found, key=lambda t: t.resolved_at or t.updated_at or now, reverse=True)


async def add_comment(uow: AbstractUnitOfWork, actor: Actor, number: str, text: str,
                      clock: Clock, *, photos: Sequence[str] = ()) -> TicketComment:
    """A comment on the ticket's timeline, told to the other side. ``photos`` (file-store keys: a dealer answering
    "please send a photo of the nameplate") join the ticket's photos and go with the push; with photos the words
    may be left out (the timeline line is then "📷 ×2")."""
    added = _photos(list(photos))
    body = _text(text, "留言", "comment") if text.strip() or not added else ""
    async with uow:
        ticket = await _visible_ticket(uow, actor, number, for_update=True)
        if len(ticket.photos) + len(added) > MAX_PHOTOS:
            raise ValidationFailed(zh=f"照片最多 {MAX_PHOTOS} 张", en=f"At most {MAX_PHOTOS} photos",
                                   reason="photos")
        shown = " ".join(part for part in (body, f"{PHOTOS_MARK}{len(added)}" if added else "") if part)
        comment = TicketComment(author=actor.label, text=shown, at=clock.now(), ticket_id=ticket.id)
        ticket.comments.append(comment)
        ticket.photos = [*ticket.photos, *added]
        ticket.updated_at = comment.at
        await record(uow, actor, "ticket.comment", "ticket", ticket.number, clock,
                     after={"author": comment.author, "text": comment.text, "photos": added})
        await notify.ticket_commented(uow, actor, ticket, shown, clock, photos=added)
        await uow.commit()
        return comment


async def rate_ticket(uow: AbstractUnitOfWork, actor: Actor, number: str, score: int,
                      clock: Clock) -> Ticket:
    """Satisfaction 1..5 by the ticket's dealer owner, once per resolution, after resolved or closed."""
    if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 5:
        raise ValidationFailed(zh="评分须为 1 到 5 的整数", en="The rating must be a whole number from 1 to 5",
                               reason=str(score))
    async with uow:
        ticket = await _visible_ticket(uow, actor, number, for_update=True)
        if actor.kind != ActorKind.DEALER or actor.role not in RATING_ROLES:
            raise PermissionDenied(zh="只有经销商负责人可以评价工单",
                                   en="Only the dealer's owner can rate a ticket")
        if ticket.status not in RATEABLE_STATUSES:
            raise Conflict(zh="工单解决后才能评价", en="A ticket can be rated once it is resolved",
                           reason=ticket.status.value)
        if ticket.satisfaction is not None:
            raise Conflict(zh="该工单已评价", en="This ticket has already been rated", reason="rated")
        before = snapshot(ticket, _AUDIT_FIELDS)
        ticket.satisfaction = score
        ticket.updated_at = clock.now()
        await record(uow, actor, "ticket.rate", "ticket", ticket.number, clock,
                     before=before, after=snapshot(ticket, _AUDIT_FIELDS))
        await uow.commit()
        return ticket


async def get_ticket(uow: AbstractUnitOfWork, actor: Actor, number: str) -> Ticket:
    async with uow:
        return await _visible_ticket(uow, actor, number)


async def list_tickets(
    uow: AbstractUnitOfWork,
    actor: Actor,
    *,
    status: TicketStatus | None = None,
    dealer_id: int | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[Ticket]:
    """Newest first. A dealer sees only its own tickets whatever ``dealer_id`` it asks for."""
    _require_ticket_reader(actor)
    scope = authz.dealer_scope(actor, all_permission=Permission.TICKET_HANDLE)
    filters: dict[str, Any] = {}
    if scope is not None:
        if dealer_id is not None and dealer_id != scope:
            return []
        filters["dealer_id"] = scope
    elif dealer_id is not None:
        filters["dealer_id"] = dealer_id
    if status is not None:
        filters["status"] = status
    async with uow:
        return await uow.tickets.list(order_by="created_at", desc=True, limit=limit, offset=offset, **filters)


async def sla_breaches(uow: AbstractUnitOfWork, actor: Actor, now: datetime) -> list[Ticket]:
    """Unresolved tickets past their SLA due time, most overdue first (for reminders and escalation)."""
    authz.require(actor, Permission.TICKET_HANDLE)
    async with uow:
        return await uow.tickets.list(order_by="sla_due_at", status__in=list(ACTIVE_STATUSES),
                                      sla_due_at__lt=now)


async def assign_ticket(uow: AbstractUnitOfWork, actor: Actor, number: str, username: str,
                        clock: Clock) -> Ticket:
    """Hand the ticket to a named handler (an active staff user who may handle tickets); they are told, and so is
    the dealer (who handles its ticket now)."""
    authz.require(actor, Permission.TICKET_HANDLE)
    async with uow:
        ticket = await _visible_ticket(uow, actor, number, for_update=True)
        if ticket.status not in ACTIVE_STATUSES:
            raise invalid_transition(ticket.status, TicketAction.ACCEPT)
        user = await uow.users.get_by(username=username.strip())
        if user is None or not user.active or Permission.TICKET_HANDLE not in user.to_actor().permissions:
            raise ValidationFailed(zh=f"{username} 不是可处理工单的员工", en=f"{username} cannot handle tickets",
                                   reason=username)
        assignee = user.to_actor().label
        before = snapshot(ticket, _AUDIT_FIELDS)
        now = clock.now()
        ticket.assignee = assignee
        ticket.updated_at = now
        ticket.comments.append(TicketComment(author=actor.label, text=f"→ {user.display_name or user.username}",
                                             at=now, ticket_id=ticket.id))
        await record(uow, actor, "ticket.assign", "ticket", ticket.number, clock,
                     before=before, after=snapshot(ticket, _AUDIT_FIELDS))
        if user.id is not None and user.id != actor.user_id:
            await notify.tell_users(uow, [user.id], notify.Notice(
                "ticket.assigned", Category.TICKET,
                {"number": ticket.number, "dealer": await notify.dealer_label(uow, ticket.dealer_id),
                 "who": await notify.display_name(uow, actor)}, urgent=True),
                f"{ticket.number}:c{len(ticket.comments)}", clock)
        await notify.tell_dealer(uow, ticket.dealer_id, notify.Notice(          # the dealer knows who handles it
            "ticket.assigned_dealer", Category.TICKET,
            {"number": ticket.number, "who": user.display_name or user.username}, urgent=True),
            f"{ticket.number}:c{len(ticket.comments)}", clock, exclude=actor)
        await uow.commit()
        return ticket


async def request_info(uow: AbstractUnitOfWork, actor: Actor, number: str, question: str,
                       clock: Clock) -> TicketComment:
    """Staff ask the dealer for something missing (a photo, the serial number): a timeline line marked as a
    question, and a message to the dealer's users with a reply button that opens the comment dialog."""
    authz.require(actor, Permission.TICKET_HANDLE)
    body = _text(question, "需要补充的信息", "question")
    async with uow:
        ticket = await _visible_ticket(uow, actor, number, for_update=True)
        if ticket.status not in ACTIVE_STATUSES:
            raise invalid_transition(ticket.status, TicketAction.START)
        comment = TicketComment(author=actor.label, text=INFO_REQUEST_MARK + body, at=clock.now(),
                                ticket_id=ticket.id)
        ticket.comments.append(comment)
        ticket.updated_at = comment.at
        await record(uow, actor, "ticket.request_info", "ticket", ticket.number, clock,
                     after={"author": comment.author, "text": body})
        await notify.tell_dealer(uow, ticket.dealer_id, notify.Notice(
            "ticket.need_info", Category.TICKET,
            {"number": ticket.number, "who": await notify.display_name(uow, actor), "text": body}, urgent=True),
            f"{ticket.number}:c{len(ticket.comments)}", clock, exclude=actor)
        await uow.commit()
        return comment


async def waiting_for_my_answer(uow: AbstractUnitOfWork, actor: Actor, *, photos: bool = False) -> list[Ticket]:
    """A dealer's active tickets whose last word is staff's question to it (``request_info``), the latest asked
    first; empty for anyone else. ``photos``: also those the dealer answered in words only since (the question
    often asks for a photo, which comes after the words); without: also those answered with photos only since
    ("拍一下铭牌，说下出风口的情况": the words come after the photo)."""
    if actor.kind != ActorKind.DEALER or actor.dealer_id is None:
        return []
    tickets = [t for t in await list_tickets(uow, actor, limit=50)
               if waiting_for_dealer(t) or (_photos_awaited(t) if photos else _words_awaited(t))]
    return sorted(tickets, key=lambda t: t.comments[-1].at if t.comments else t.created_at or _FLOOR,
                  reverse=True)


_FLOOR = datetime.min.replace(tzinfo=UTC)


def _photos_awaited(ticket: Ticket) -> bool:
    """Staff asked the dealer something on an active ticket and no photo came from the dealer since."""
    if ticket.status not in ACTIVE_STATUSES:
        return False
    for comment in reversed(ticket.comments):
        if comment.author.startswith("dealer:") and PHOTOS_MARK in comment.text:
            return False
        if comment.text.startswith(INFO_REQUEST_MARK):
            return True
    return False


def _words_awaited(ticket: Ticket) -> bool:
    """Staff asked the dealer something on an active ticket and only photos came from the dealer since."""
    if ticket.status not in ACTIVE_STATUSES:
        return False
    for comment in reversed(ticket.comments):
        if comment.author.startswith("dealer:") and comment.text.partition(PHOTOS_MARK)[0].strip():
            return False
        if comment.text.startswith(INFO_REQUEST_MARK):
            return True
    return False


def waiting_for_dealer(ticket: Ticket) -> bool:
    """Is the last word on an active ticket staff's question to the dealer (no dealer answer since)?"""
    if ticket.status not in ACTIVE_STATUSES:
        return False
    for comment in reversed(ticket.comments):
        if comment.author.startswith("dealer:"):
            return False
        if comment.text.startswith(INFO_REQUEST_MARK):
            return True
    return False


@dataclass(frozen=True)
class TicketGroup:
    """Figures of one group of tickets (a product, a dealer, a defect category)."""

    key: str
    tickets: int
    open: int                      # still owed a resolution
    late: int                      # past the SLA (open ones now, resolved ones at resolution)
    rated: int
    avg_satisfaction: Decimal | None   # one decimal place; None when nobody rated


@dataclass(frozen=True)
class TicketStatistics:
    total: TicketGroup
    by_product: list[TicketGroup]      # most tickets first
    by_dealer: list[TicketGroup]       # key: dealer code
    by_defect: list[TicketGroup]       # from the quality feedback linking the ticket; "未分类" otherwise
    by_status: dict[str, int]


UNCLASSIFIED = "未分类"


def summarize_tickets(tickets: Iterable[Ticket], now: datetime, *, dealer_codes: Mapping[int, str] | None = None,
                      defects: Mapping[str, str] | None = None) -> TicketStatistics:
    """Group tickets by product, dealer and defect category (pure; ``defects``: ticket number -> category)."""
    items = list(tickets)
    codes = dealer_codes or {}
    categories = defects or {}

    def group(key: str, members: list[Ticket]) -> TicketGroup:
        scores = [t.satisfaction for t in members if t.satisfaction is not None]
        avg = (Decimal(sum(scores)) / len(scores)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) if scores else None
        return TicketGroup(key=key, tickets=len(members), open=sum(t.status in ACTIVE_STATUSES for t in members),
                           late=sum(is_sla_breached(t, now) for t in members), rated=len(scores),
                           avg_satisfaction=avg)

    def grouped(key_of: Callable[[Ticket], str]) -> list[TicketGroup]:
        buckets: dict[str, list[Ticket]] = {}
        for t in items:
            buckets.setdefault(key_of(t), []).append(t)
        return sorted((group(k, v) for k, v in buckets.items()), key=lambda g: (-g.tickets, g.key))

    by_status: dict[str, int] = {}
    for t in items:
        by_status[t.status.value] = by_status.get(t.status.value, 0) + 1
    return TicketStatistics(
        total=group("*", items),
        by_product=grouped(lambda t: t.sku or "-"),
        by_dealer=grouped(lambda t: codes.get(t.dealer_id, str(t.dealer_id))),
        by_defect=grouped(lambda t: categories.get(t.number, UNCLASSIFIED)),
        by_status=dict(sorted(by_status.items())),
    )


async def ticket_statistics(uow: AbstractUnitOfWork, actor: Actor, clock: Clock, *, since: date | None = None,
                            until: date | None = None) -> TicketStatistics:
    """Tickets filed between ``since`` and ``until`` (business dates, both included), grouped."""
    if not {Permission.TICKET_HANDLE, Permission.REPORT_READ_ALL} & actor.permissions:
        raise PermissionDenied()
    filters: dict[str, Any] = {}
    if since is not None:
        filters["created_at__gte"] = datetime.combine(since, time.min, tzinfo=clock.tz)
    if until is not None:
        filters["created_at__lt"] = datetime.combine(until, time.min, tzinfo=clock.tz) + timedelta(days=1)
    async with uow:
        tickets = await uow.tickets.list(**filters)
        dealer_ids = sorted({t.dealer_id for t in tickets})
        codes = {d.id: d.code for d in await uow.dealers.list(id__in=dealer_ids) if d.id is not None} \
            if dealer_ids else {}
        defects: dict[str, str] = {}
        for feedback in await uow.quality.list(order_by="id") if tickets else []:
            for number in feedback.ticket_numbers:
                defects.setdefault(number, feedback.defect_category)
    return summarize_tickets(tickets, clock.now(), dealer_codes=codes, defects=defects)


# --- internals -------------------------------------------------------------------------------------

def _require_may_file(actor: Actor, dealer_id: int) -> None:
    if actor.kind == ActorKind.DEALER:
        authz.require(actor, Permission.TICKET_CREATE)
        authz.require_dealer_access(actor, dealer_id, str(dealer_id))
    else:
        authz.require(actor, Permission.TICKET_HANDLE)


def _require_ticket_reader(actor: Actor) -> None:
    if not {Permission.TICKET_CREATE, Permission.TICKET_HANDLE} & actor.permissions:
        raise PermissionDenied()


async def _visible_ticket(uow: AbstractUnitOfWork, actor: Actor, number: str,
                          *, for_update: bool = False) -> Ticket:
    _require_ticket_reader(actor)
    ticket = await uow.tickets.get_by(number=number.strip(), for_update=for_update)
    if ticket is None or not authz.can_see_dealer(actor, ticket.dealer_id, all_permission=Permission.TICKET_HANDLE):
        raise NotFound(what=number)
    return ticket


async def _staff_transition(uow: AbstractUnitOfWork, actor: Actor, number: str, action: TicketAction,
                            clock: Clock, *, note: str = "", assignee: str | None = None) -> Ticket:
    async with uow:
        ticket = await _visible_ticket(uow, actor, number, for_update=True)
        authz.require(actor, Permission.TICKET_HANDLE)
        return await _apply(uow, actor, ticket, action, clock, note=note, assignee=assignee)


async def _apply(uow: AbstractUnitOfWork, actor: Actor, ticket: Ticket, action: TicketAction, clock: Clock,
                 *, note: str = "", assignee: str | None = None) -> Ticket:
    """Move the ticket, add the timeline line and the audit entry, commit."""
    target = next_status(ticket.status, action)
    before = snapshot(ticket, _AUDIT_FIELDS)
    now = clock.now()
    ticket.status = target
    if assignee is not None:
        ticket.assignee = assignee
    if action == TicketAction.RESOLVE:
        ticket.resolution = note
        ticket.resolved_at = now
        ticket.assignee = ticket.assignee or actor.label     # resolved straight from open: who fixed it
    elif action == TicketAction.REJECT:
        ticket.reject_reason = note
    elif action == TicketAction.REOPEN:        # a new repair round: its own deadline, no result yet (the old one
        ticket.resolved_at = None                # stays in the timeline and the audit)
        ticket.satisfaction = None
        ticket.resolution = None
        ticket.sla_due_at = sla_due_at(ticket.priority, now)
    ticket.updated_at = now
    ticket.comments.append(TicketComment(author=actor.label, text=note, at=now, status=target,
                                         ticket_id=ticket.id))
    await record(uow, actor, f"ticket.{action.value}", "ticket", ticket.number, clock,
                 before=before, after=snapshot(ticket, _AUDIT_FIELDS))
    await notify.ticket_changed(uow, actor, ticket, action.value, note, clock)
    await uow.commit()
    return ticket


def _text(value: str, zh_name: str, en_name: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationFailed(zh=f"请填写{zh_name}", en=f"Please give the {en_name}", reason=en_name)
    if len(text) > MAX_TEXT:
        raise ValidationFailed(zh=f"{zh_name}不能超过 {MAX_TEXT} 字", en=f"The {en_name} is longer than "
                               f"{MAX_TEXT} characters", reason=en_name)
    return text


def _photos(refs: list[str]) -> list[str]:
    photos = [ref.strip() for ref in refs if ref and ref.strip()]
    if len(photos) > MAX_PHOTOS:
        raise ValidationFailed(zh=f"照片最多 {MAX_PHOTOS} 张", en=f"At most {MAX_PHOTOS} photos",
                               reason="photos")
    return photos
