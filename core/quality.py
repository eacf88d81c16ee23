"""Quality feedback (QF-YYYYMMDD-NNNN) for the quality department."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class CorrectiveStatus(StrEnum):
    NEW = "new"
    INVESTIGATING = "investigating"
    ACTION_PLANNED = "action_planned"
    DONE = "done"
    NO_ACTION = "no_action"


@dataclass
class QualityFeedback:
    number: str
    dealer_id: int
    sku: str
    defect_category: str               # 外观 / 功能 / 包装 / 噪音 ...
    count: int
    description: str = ""
    batch: str | None = None
    photos: list[str] = field(default_factory=list)
    ticket_numbers: list[str] = field(default_factory=list)
    corrective_status: CorrectiveStatus = CorrectiveStatus.NEW
    corrective_note: str = ""
    handled_by: str | None = None      # actor label of the last corrective-status change
    created_by: str = ""               # actor label
    created_at: datetime | None = None
    updated_at: datetime | None = None
    id: int | None = None
