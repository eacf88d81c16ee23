"""Rebate settlements: the rebate a contract earned by its tiers, settled at period end after approval.

Settlement is always a credit to the dealer's rebate account (a REBATE_SETTLEMENT ledger entry): the
dealer then spends it on orders (core.ledger.plan_payment takes rebate first, up to a share of each
order). "As goods" is the same credit used on the next order: we do not book free goods separately,
so there is one honest trail from the tiers to the ledger.

A settlement belongs to one *target* of a contract, named by ``target_key`` (period, metric, product
group): a contract may have several targets in one period (the whole range and "空调" in 2026-Q4), and
each is settled on its own. Versions of a contract keep its number, so what was already paid for a target
is found by (dealer, contract number, target key): a new version never pays a target twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from core.contracts import SalesTarget, TargetMetric

ALL_PRODUCTS = "*"


def target_key(target: SalesTarget) -> str:
    """``2026-Q4|amount|空调``; ``2026|amount|*`` for a target on every product."""
    return f"{target.period}|{target.metric.value}|{target.product_group or ALL_PRODUCTS}"


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
    amount: Decimal                 # what this settlement pays: accrued_amount - what was paid before
    status: SettlementStatus = SettlementStatus.PROPOSED
    proposed_by: str = ""
    decided_by: str | None = None
    decided_at: datetime | None = None
    note: str = ""
    created_at: datetime | None = None
    target_key: str = ""            # see target_key(); "" only on rows made before targets had keys
    product_group: str | None = None
    metric: TargetMetric = TargetMetric.AMOUNT
    accrued_amount: Decimal = Decimal("0.00")   # what the target had earned in all when proposed
    id: int | None = None
