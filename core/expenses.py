"""Expense claims (费用核销) for campaign support, and the staff task queue (finance follow-ups).

A dealer claims what it spent executing a campaign, with evidence (photos/receipts in the file store).
Marketing or finance approve or reject it; approval deducts the amount from the campaign's budget
(``Campaign.spent``) and credits the dealer on the account the campaign's policy names (prepayment by
default, or the rebate account).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum


class ClaimStatus(StrEnum):
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"


@dataclass
class ExpenseClaim:
    number: str                       # FY-20261127-0001
    dealer_id: int
    campaign_id: int
    amount: Decimal
    description: str = ""
    evidence: list[str] = field(default_factory=list)    # file store keys
    status: ClaimStatus = ClaimStatus.SUBMITTED
    credit_account: str = ""          # set on approval: prepayment | rebate
    submitted_by: str = ""
    request_key: str = ""             # the chat's nonce: a double tap returns the same claim
    decided_by: str | None = None
    decided_at: datetime | None = None
    decision_note: str = ""
    created_at: datetime | None = None
    id: int | None = None


class TaskStatus(StrEnum):
    OPEN = "open"
    DONE = "done"


@dataclass
class StaffTask:
    """Work for a team, e.g. finance checking a disputed statement with the dealer's reason."""

    kind: str                         # "statement.dispute"
    team: str                         # a Role value: "finance"
    title: str
    detail: str = ""
    dealer_id: int | None = None
    ref: str = ""                     # "3:2026-10"
    status: TaskStatus = TaskStatus.OPEN
    resolution: str = ""
    created_at: datetime | None = None
    closed_by: str | None = None
    closed_at: datetime | None = None
    id: int | None = None
