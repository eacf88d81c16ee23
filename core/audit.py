"""Audit log: who, when, what, before/after, for every state change. Append-only."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass
class AuditEntry:
    actor: str              # actor label
    action: str             # "order.approve", "dealer.update", ...
    entity: str             # "order", "dealer", ...
    entity_id: str          # human id when there is one (order number), else the numeric id
    at: datetime
    before: dict[str, Any] = field(default_factory=dict)
    after: dict[str, Any] = field(default_factory=dict)
    id: int | None = None
