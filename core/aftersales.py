"""After-sales tickets (AS-YYYYMMDD-NNNN)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class TicketStatus(StrEnum):
    OPEN = "open"
    ACCEPTED = "accepted"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    CLOSED = "closed"
    REJECTED = "rejected"


class Priority(StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


@dataclass
class TicketComment:
    """One line of the ticket's timeline: a comment, or a status change when ``status`` is set."""

    author: str            # actor label
    text: str
    at: datetime
    status: TicketStatus | None = None   # the status the ticket moved to; None: a plain comment
    id: int | None = None
    ticket_id: int | None = None


@dataclass
class Ticket:
    number: str
    dealer_id: int
    description: str
    customer_name: str = ""            # personal data: encrypted at rest
    customer_phone: str = ""           # personal data: encrypted at rest
    address: str = ""                  # where the repair is (personal data: encrypted at rest)
    sku: str | None = None
    serial_no: str | None = None
    order_number: str | None = None
    photos: list[str] = field(default_factory=list)
    priority: Priority = Priority.NORMAL
    sla_due_at: datetime | None = None
    status: TicketStatus = TicketStatus.OPEN
    assignee: str | None = None
    resolution: str | None = None
    reject_reason: str | None = None
    resolved_at: datetime | None = None    # last resolution; judged against sla_due_at
    satisfaction: int | None = None    # 1..5
    created_by: str = ""               # actor label (staff when filed on the dealer's behalf)
    comments: list[TicketComment] = field(default_factory=list)
    created_at: datetime | None = None
    updated_at: datetime | None = None
    id: int | None = None
