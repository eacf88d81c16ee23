"""The durable outbox: every push to a chat is a row, written in the same transaction as its cause.

A use case that changes something somebody must hear about stages ``OutboxMessage`` rows (through
``core.notify``) before its one commit, so the message exists exactly when the change does. Scheduled
checks write rows too. Workers (``notifications.worker``) claim due rows, pick the recipient's chat,
render the template in the recipient's language and send it; what happened is written back on the row.

A row names its recipient as a user (``user_id``: the chat is chosen at delivery, the channel the user
chose in ``/settings`` or else the one used last) or as an explicit ``channel`` + ``chat_id``.
``kind`` is a template key (``notifications.templates``) and ``params`` its JSON-safe values; a value
``{"zh": ..., "en": ...}`` is chosen per recipient language.

``dedup_key`` is unique: a check that runs twice, or on two machines, finds the key and queues nothing.

Statuses::

    pending ──claim──> sending ──> sent
       ^                  │
       │                  ├──> failed (retry later, backoff) ──claim──> sending ...
       │                  ├──> dead   (permanent error, or too many attempts; "retry" in the admin)
       │                  └──> muted  (the recipient muted the category, or has no chat)
       └── requeue_stale: a row left in ``sending`` by a worker that died goes back to pending

    folded: written so by a scheduled check, never claimed: the item is told inside a digest row
    (``last_error`` names it, ``notifications.digests``); the row keeps its ``dedup_key`` so the item is
    not told again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from core.errors import ValidationFailed

if TYPE_CHECKING:
    from core.ports import AbstractUnitOfWork

MAX_DEDUP_KEY = 200
MAX_KIND = 64


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"          # a transient error; tried again at next_attempt_at
    DEAD = "dead"              # given up; the admin's "retry" puts it back to pending
    MUTED = "muted"            # not sent on purpose (muted category, no chat to send to)
    FOLDED = "folded"          # told inside a digest row (last_error names it); never claimed


#: statuses a worker may claim (when ``next_attempt_at`` has come)
CLAIMABLE: frozenset[OutboxStatus] = frozenset({OutboxStatus.PENDING, OutboxStatus.FAILED})


class Category(StrEnum):
    ORDER = "order"
    TICKET = "ticket"
    QUALIFICATION = "qualification"
    CONTRACT = "contract"
    STOCK = "stock"
    CAMPAIGN = "campaign"
    DIGEST = "digest"
    PERFORMANCE = "performance"
    FAQ = "faq"
    SYSTEM = "system"


CATEGORY_LABELS: dict[Category, tuple[str, str]] = {
    Category.ORDER: ("订单", "Orders"),
    Category.TICKET: ("售后与质量", "After-sales & quality"),
    Category.QUALIFICATION: ("资质与入驻", "Documents & onboarding"),
    Category.CONTRACT: ("合同与对账", "Contracts & statements"),
    Category.STOCK: ("库存预警", "Stock alerts"),
    Category.CAMPAIGN: ("市场活动", "Campaigns"),
    Category.DIGEST: ("每日待办汇总", "Daily digest"),
    Category.PERFORMANCE: ("每周业绩", "Weekly performance"),
    Category.FAQ: ("咨询转人工", "Forwarded questions"),
    Category.SYSTEM: ("系统通知", "System notices"),
}

#: categories nobody can mute: account status changes must reach the dealer
UNMUTABLE: frozenset[Category] = frozenset({Category.SYSTEM})


@dataclass
class OutboxMessage:
    dedup_key: str
    kind: str                              # template key, e.g. "order.approved"
    category: Category
    params: dict[str, Any] = field(default_factory=dict)
    user_id: int | None = None             # the recipient user; the chat is chosen at delivery
    channel: str | None = None             # or an explicit chat: channel + chat_id
    chat_id: str | None = None
    urgent: bool = False                   # bypasses quiet hours
    status: OutboxStatus = OutboxStatus.PENDING
    attempts: int = 0
    next_attempt_at: datetime | None = None  # None: as soon as possible
    last_error: str | None = None
    created_at: datetime | None = None
    sent_at: datetime | None = None
    delivered_to: str | None = None        # "telegram:1001": where it went
    claimed_by: str | None = None          # worker id while (and after) sending
    claimed_at: datetime | None = None
    id: int | None = None

    def check(self) -> None:
        """Raise ValidationFailed for a row no worker could deliver."""
        if not self.dedup_key or len(self.dedup_key) > MAX_DEDUP_KEY:
            raise ValidationFailed(reason=f"outbox dedup_key must be 1-{MAX_DEDUP_KEY} characters")
        if not self.kind or len(self.kind) > MAX_KIND:
            raise ValidationFailed(reason=f"outbox kind must be 1-{MAX_KIND} characters")
        if self.user_id is None and not (self.channel and self.chat_id):
            raise ValidationFailed(reason="an outbox message needs a user or a channel and chat")


@dataclass
class NotificationPreference:
    """What one user wants pushed, and where (``/settings`` in chat)."""

    user_id: int
    muted: list[str] = field(default_factory=list)   # Category values
    channel: str | None = None                       # preferred channel; None: the one used last
    updated_at: datetime | None = None
    id: int | None = None

    def mutes(self, category: Category | str) -> bool:
        value = Category(category)
        return value not in UNMUTABLE and value.value in self.muted


async def enqueue(uow: AbstractUnitOfWork, message: OutboxMessage) -> OutboxMessage | None:
    """Stage ``message`` in ``uow`` unless a row with its ``dedup_key`` exists.

    Returns the staged row, or None when the key was already there. Two transactions staging the same
    key at once are settled by the unique constraint: the later commit fails (``core.errors.Conflict``)
    and its unit of work is rolled back; batch writers that may race use
    ``AbstractOutboxStore.enqueue_many`` (insert-or-skip) instead.
    """
    staged = await enqueue_all(uow, [message])
    return staged[0] if staged else None


async def enqueue_all(uow: AbstractUnitOfWork, messages: Sequence[OutboxMessage]) -> list[OutboxMessage]:
    """``enqueue`` for several rows, the keys no row has yet (keys repeated in ``messages`` are staged once, the
    first): one statement on storage that can (``add_new_outbox``). Returns the rows staged."""
    for message in messages:
        message.check()
    first: dict[str, OutboxMessage] = {}
    for message in messages:
        first.setdefault(message.dedup_key, message)
    return await uow.add_new_outbox(list(first.values())) if first else []
