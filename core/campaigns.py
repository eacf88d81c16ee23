"""Campaigns with dealer participation and execution reports; marketing materials and requests."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum


class CampaignStatus(StrEnum):
    PLANNED = "planned"
    LAUNCHED = "launched"
    FINISHED = "finished"
    CANCELLED = "cancelled"


@dataclass
class Campaign:
    code: str
    name: str
    starts_on: date
    ends_on: date
    description: str = ""
    support: str = ""                         # what the maker offers (display stands, subsidy ...)
    budget: Decimal = Decimal("0.00")
    spent: Decimal = Decimal("0.00")
    target_regions: list[str] = field(default_factory=list)
    target_tiers: list[str] = field(default_factory=list)
    target_dealer_ids: list[int] = field(default_factory=list)
    skus: list[str] = field(default_factory=list)
    status: CampaignStatus = CampaignStatus.PLANNED
    created_at: datetime | None = None
    id: int | None = None


class ParticipationStatus(StrEnum):
    JOINED = "joined"
    REPORTED = "reported"
    APPROVED = "approved"
    REJECTED = "rejected"


@dataclass
class CampaignParticipation:
    campaign_id: int
    dealer_id: int
    status: ParticipationStatus = ParticipationStatus.JOINED
    report_text: str = ""
    report_photos: list[str] = field(default_factory=list)
    new_customers: int = 0
    review_note: str = ""
    reviewed_by: str | None = None
    reviewed_at: datetime | None = None
    joined_at: datetime | None = None
    reported_at: datetime | None = None
    id: int | None = None


@dataclass
class MarketingMaterial:
    code: str
    name: str                          # 海报 / 样机 / 展架
    stock: int = 0
    min_tier: str | None = None        # allocation by rule: only tiers up to this one
    id: int | None = None


class RequestStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"          # granted; the quantity is reserved but still in the warehouse
    REJECTED = "rejected"
    DISPATCHED = "dispatched"      # sent out: only now does the stock go down


@dataclass
class MaterialRequest:
    dealer_id: int
    material_id: int
    qty: int
    reason: str = ""
    status: RequestStatus = RequestStatus.PENDING
    reject_reason: str | None = None
    requested_by: str = ""             # actor label; "allocated by rule" requests carry the staff label
    decided_by: str | None = None
    decided_at: datetime | None = None
    created_at: datetime | None = None
    dispatched_by: str | None = None   # actor label of whoever sent it out
    dispatched_at: datetime | None = None
    id: int | None = None
