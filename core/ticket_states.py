"""Rules of the after-sales ticket: the state machine, SLA due times, customer phone numbers.

Pure functions, no I/O; ``core.services.aftersales`` applies them inside a unit of work.

State machine::

    open ──accept──> accepted ──start──> in_progress ──resolve──> resolved ──confirm──> closed
     │                  │                     ^                       │   ──auto_close─>
     └──────reject──────┴──> rejected         └────────reopen─────────┘   ──close──────>

A ticket fixed before anyone pressed start (at the first visit, by phone) is resolved straight from open or
accepted: after-sales says "AS-… 修好了"; the one resolving becomes its assignee when it had none.

Resolved is not the end: the dealer is asked "问题解决了吗？". 已解决 is ``confirm`` (the dealer closes it), 还没解决
is ``reopen`` (with the dealer's words, back to in_progress). A dealer who never answers: the scheduler closes the
ticket ``auto_close`` once ``CONFIRM_DAYS`` (a setting) have passed since it was resolved
(``confirmation_overdue``). Staff may still ``close`` a resolved ticket themselves (the dealer said so by phone).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from enum import StrEnum

from core.aftersales import Priority, Ticket, TicketStatus
from core.errors import InvalidTransition, ValidationFailed

# Hours from creation until the ticket must be resolved.
SLA_HOURS: dict[Priority, int] = {
    Priority.URGENT: 4,
    Priority.HIGH: 24,
    Priority.NORMAL: 48,
    Priority.LOW: 120,
}

TICKET_STATUS_LABELS: dict[TicketStatus, tuple[str, str]] = {
    TicketStatus.OPEN: ("待受理", "Open"),
    TicketStatus.ACCEPTED: ("已受理", "Accepted"),
    TicketStatus.IN_PROGRESS: ("处理中", "In progress"),
    TicketStatus.RESOLVED: ("已解决", "Resolved"),
    TicketStatus.CLOSED: ("已关闭", "Closed"),
    TicketStatus.REJECTED: ("已驳回", "Rejected"),
}

PRIORITY_LABELS: dict[Priority, tuple[str, str]] = {
    Priority.URGENT: ("紧急", "Urgent"),
    Priority.HIGH: ("高", "High"),
    Priority.NORMAL: ("普通", "Normal"),
    Priority.LOW: ("低", "Low"),
}


class TicketAction(StrEnum):
    ACCEPT = "accept"
    START = "start"
    RESOLVE = "resolve"
    CLOSE = "close"
    REJECT = "reject"
    REOPEN = "reopen"
    CONFIRM = "confirm"            # the dealer: 已解决
    AUTO_CLOSE = "auto_close"      # the scheduler: the dealer did not answer within CONFIRM_DAYS


ACTION_LABELS: dict[TicketAction, tuple[str, str]] = {
    TicketAction.ACCEPT: ("受理", "accept"),
    TicketAction.START: ("开始处理", "start work on"),
    TicketAction.RESOLVE: ("标记解决", "resolve"),
    TicketAction.CLOSE: ("关闭", "close"),
    TicketAction.REJECT: ("驳回", "reject"),
    TicketAction.REOPEN: ("重新打开", "reopen"),
    TicketAction.CONFIRM: ("确认解决", "confirm"),
    TicketAction.AUTO_CLOSE: ("自动关闭", "close unanswered"),
}

# action -> (statuses it may start from, status it leads to)
TRANSITIONS: dict[TicketAction, tuple[frozenset[TicketStatus], TicketStatus]] = {
    TicketAction.ACCEPT: (frozenset({TicketStatus.OPEN}), TicketStatus.ACCEPTED),
    TicketAction.START: (frozenset({TicketStatus.ACCEPTED}), TicketStatus.IN_PROGRESS),
    TicketAction.RESOLVE: (frozenset({TicketStatus.OPEN, TicketStatus.ACCEPTED, TicketStatus.IN_PROGRESS}),
                           TicketStatus.RESOLVED),
    TicketAction.CLOSE: (frozenset({TicketStatus.RESOLVED}), TicketStatus.CLOSED),
    TicketAction.REJECT: (frozenset({TicketStatus.OPEN, TicketStatus.ACCEPTED}), TicketStatus.REJECTED),
    TicketAction.REOPEN: (frozenset({TicketStatus.RESOLVED}), TicketStatus.IN_PROGRESS),
    TicketAction.CONFIRM: (frozenset({TicketStatus.RESOLVED}), TicketStatus.CLOSED),
    TicketAction.AUTO_CLOSE: (frozenset({TicketStatus.RESOLVED}), TicketStatus.CLOSED),
}

# Days a resolved ticket waits for the dealer's 已解决 / 还没解决 before the scheduler closes it (the default of
# the setting ``NOTIFY_TICKET_CONFIRM_DAYS``).
CONFIRM_DAYS = 7

# Statuses in which the maker still owes the dealer a resolution; only these can fall behind the SLA now.
ACTIVE_STATUSES: frozenset[TicketStatus] = frozenset(
    {TicketStatus.OPEN, TicketStatus.ACCEPTED, TicketStatus.IN_PROGRESS})

RATEABLE_STATUSES: frozenset[TicketStatus] = frozenset({TicketStatus.RESOLVED, TicketStatus.CLOSED})


def next_status(current: TicketStatus, action: TicketAction) -> TicketStatus:
    """The status ``action`` leads to from ``current``; InvalidTransition (zh + en) when not allowed."""
    sources, target = TRANSITIONS[action]
    if current not in sources:
        raise invalid_transition(current, action)
    return target


def allowed_actions(current: TicketStatus) -> list[TicketAction]:
    """Actions possible from ``current`` (for buttons), in the table's order."""
    return [action for action, (sources, _) in TRANSITIONS.items() if current in sources]


def invalid_transition(current: TicketStatus, action: TicketAction) -> InvalidTransition:
    status_zh, status_en = TICKET_STATUS_LABELS[current]
    action_zh, action_en = ACTION_LABELS[action]
    # The error's templates share one set of params, so both languages are formatted here.
    return InvalidTransition(
        zh=f"工单当前状态“{status_zh}”，不能{action_zh}",
        en=f"Cannot {action_en} a ticket while it is {status_en.lower()}",
        current=current.value, action=action.value,
    )


def confirmation_overdue(ticket: Ticket, now: datetime, days: int = CONFIRM_DAYS) -> bool:
    """A resolved ticket whose dealer has not answered "问题解决了吗？" within ``days`` of its resolution."""
    return (ticket.status == TicketStatus.RESOLVED and ticket.resolved_at is not None
            and now - ticket.resolved_at >= timedelta(days=days))


def sla_due_at(priority: Priority, created_at: datetime) -> datetime:
    """When a ticket created at ``created_at`` must be resolved (wall-clock hours, weekends included)."""
    if created_at.tzinfo is None:
        raise ValueError("created_at must be timezone-aware")
    return created_at + timedelta(hours=SLA_HOURS[priority])


def is_sla_breached(ticket: Ticket, now: datetime) -> bool:
    """Is the ticket late?

    Active tickets are late once ``now`` is past the due time; resolved and closed ones are late when
    they were resolved after it (so reports can count late resolutions); rejected ones never are.
    """
    if ticket.sla_due_at is None or ticket.status == TicketStatus.REJECTED:
        return False
    if ticket.status in ACTIVE_STATUSES:
        return now > ticket.sla_due_at
    return ticket.resolved_at is not None and ticket.resolved_at > ticket.sla_due_at


_MOBILE = re.compile(r"1[3-9]\d{9}")
_COUNTRY_PREFIX = re.compile(r"^(?:\+86|0086|86)(?=1[3-9]\d{9}$)")
# 010 and 02X are the three-digit area codes; every other one has four digits (0XXX).
_LANDLINE = re.compile(r"(0(?:10|2\d|[3-9]\d{2}))-?(\d{7,8})(?:-(\d{1,6}))?")


def normalize_phone(raw: str) -> str:
    """Validate a customer's phone number and return it in one canonical form.

    Accepts a mainland mobile (``13800138000``, ``+86 138 0013 8000``) -> ``13800138000``, or a
    landline with area code (``010-12345678``, ``(0755)1234567``, ``021 6123 4567-808``) ->
    ``010-12345678``, ``0755-1234567``, ``021-61234567-808``. Anything else is ValidationFailed.
    """
    text = raw.strip().replace("（", "(").replace("）", ")").replace("－", "-")
    compact = re.sub(r"[\s()]", "", text)
    mobile = _COUNTRY_PREFIX.sub("", compact.replace("-", ""))
    if _MOBILE.fullmatch(mobile):
        return mobile
    landline = _LANDLINE.fullmatch(compact)
    if landline is None and "-" in compact:
        # "021-6123-4567": separators inside the local number, no extension
        landline = _LANDLINE.fullmatch(compact.replace("-", ""))
    if landline is not None:
        area, local, ext = landline.groups()
        return f"{area}-{local}" + (f"-{ext}" if ext else "")
    raise ValidationFailed(
        zh=f"电话号码“{raw}”无效，请填写11位手机号或带区号的固定电话",
        en=f"Phone number '{raw}' is not valid: give an 11-digit mobile number or a landline with area code",
        reason=raw,
    )
