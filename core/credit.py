"""Credit limit changes and temporary credit (信用额度调整、临时额度).

A change is requested (a new limit, or an extra amount until an end date, with a reason) by a channel
manager or finance, and decided by someone else holding CREDIT_APPROVE: the requester never approves
its own. Approval writes the dealer's ``credit_limit`` or ``temporary_credit`` / ``temporary_credit_until``;
``Dealer.effective_credit_limit`` is what orders may use, so temporary credit lapses by itself after its
last day (no job has to remove it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum


class CreditChangeKind(StrEnum):
    LIMIT = "limit"              # a new credit limit
    TEMPORARY = "temporary"      # extra credit until an end date (replaces any earlier temporary credit)


class CreditChangeStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


CREDIT_KIND_LABELS: dict[CreditChangeKind, tuple[str, str]] = {
    CreditChangeKind.LIMIT: ("调整信用额度", "credit limit change"),
    CreditChangeKind.TEMPORARY: ("临时额度", "temporary credit"),
}

CREDIT_STATUS_LABELS: dict[CreditChangeStatus, tuple[str, str]] = {
    CreditChangeStatus.PENDING: ("待审批", "awaiting approval"),
    CreditChangeStatus.APPROVED: ("已批准", "approved"),
    CreditChangeStatus.REJECTED: ("已驳回", "rejected"),
}


@dataclass
class CreditChange:
    number: str                       # "CR-20261204-0001"
    dealer_id: int
    kind: CreditChangeKind
    amount: Decimal                   # LIMIT: the new limit; TEMPORARY: the extra amount
    reason: str
    requested_by: str                 # Actor.label
    previous_limit: Decimal = Decimal("0.00")
    until: date | None = None         # TEMPORARY: the last day it counts
    status: CreditChangeStatus = CreditChangeStatus.PENDING
    decided_by: str | None = None
    decided_at: datetime | None = None
    decision_note: str = ""
    created_at: datetime | None = None
    id: int | None = None
