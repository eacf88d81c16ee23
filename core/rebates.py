"""Rebate settlements: the rebate a contract earned by its tiers, settled at period end after approval.

Settlement is always a credit to the dealer's rebate account (a REBATE_SETTLEMENT ledger entry): the
dealer then spends it on orders (core.ledger.plan_payment takes rebate first, up to a share of each
order). "As goods" is the same credit used on the next order: we do not book free goods separately,
so there is one honest trail from the tiers to the ledger.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum


class SettlementStatus(StrEnum):
    PROPOSED = "proposed"
    APPROVED = "approved"
    REJECTED = "rejected"


@dataclass
class RebateSettlement:
    contract_id: int
    contract_number: str
    dealer_id: int
    period: str                     # the target's period, e.g. "2026" or "2026-Q3"
    period_end: date
    achieved_amount: Decimal
    achievement: Decimal
    rate: Decimal
    amount: Decimal
    status: SettlementStatus = SettlementStatus.PROPOSED
    proposed_by: str = ""
    decided_by: str | None = None
    decided_at: datetime | None = None
    note: str = ""
    created_at: datetime | None = None
    id: int | None = None
