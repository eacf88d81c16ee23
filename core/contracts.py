"""Dealer contracts: targets, tiered rebate policy, marketing duties, versions, signing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum


class ContractStatus(StrEnum):
    DRAFT = "draft"
    SENT = "sent"
    SIGNED = "signed"
    ACTIVE = "active"
    EXPIRED = "expired"
    TERMINATED = "terminated"
    SUPERSEDED = "superseded"        # replaced by a newer version (previous_id chain)


# (zh, en) as a contract's status is shown to dealers and staff
CONTRACT_STATUS_LABELS: dict[ContractStatus, tuple[str, str]] = {
    ContractStatus.DRAFT: ("草稿", "draft"),
    ContractStatus.SENT: ("待签署", "awaiting signature"),
    ContractStatus.SIGNED: ("已签署", "signed"),
    ContractStatus.ACTIVE: ("生效中", "active"),
    ContractStatus.EXPIRED: ("已到期", "expired"),
    ContractStatus.TERMINATED: ("已终止", "terminated"),
    ContractStatus.SUPERSEDED: ("已被新版本替代", "superseded"),
}


class TargetMetric(StrEnum):
    AMOUNT = "amount"        # CNY
    QUANTITY = "quantity"    # units


@dataclass
class SalesTarget:
    period: str                       # "2026", "2026-Q3" or "2026-10"
    metric: TargetMetric
    value: Decimal
    product_group: str | None = None  # a product category, or "sku:<SKU>" for one product; None: everything


SKU_SCOPE = "sku:"
"""``SalesTarget.product_group`` starting with this names one product (``sku:AP300``), else a category."""


def scope_sku(product_group: str | None) -> str | None:
    """The SKU a target is scoped to, or None for a category or every product."""
    if product_group and product_group.lower().startswith(SKU_SCOPE):
        return product_group[len(SKU_SCOPE):].strip() or None
    return None


def in_scope(product_group: str | None, sku: str, category: str | None) -> bool:
    """Does a line of ``sku`` (in ``category``) count towards a target scoped to ``product_group``?"""
    if product_group is None:
        return True
    wanted = scope_sku(product_group)
    return sku == wanted if wanted is not None else category == product_group


def scope_label(product_group: str | None, lang: str = "zh") -> str:
    """``全部产品`` / ``空调类`` / ``产品 AP300``, in the reader's language."""
    en = lang.lower().startswith("en")
    if product_group is None:
        return "all products" if en else "全部产品"
    sku = scope_sku(product_group)
    if sku is not None:
        return f"product {sku}" if en else f"产品 {sku}"
    return f"category {product_group}" if en else f"{product_group}类"


def scope_name(product_group: str | None, lang: str = "zh") -> str | None:
    """How a target's scope is named in a line of text: the category as it is, ``产品 AP300`` for one product,
    None for every product (each caller has its own words for that)."""
    if product_group is None or scope_sku(product_group) is None:
        return product_group
    return scope_label(product_group, lang)


@dataclass
class RebateTier:
    min_achievement: Decimal          # 0.8 means 80 % of target
    rate: Decimal                     # 0.02 means 2 % of the achieved amount


@dataclass
class Contract:
    number: str                       # "HT-2026-0001"
    dealer_id: int
    starts_on: date
    ends_on: date
    targets: list[SalesTarget] = field(default_factory=list)
    rebate_tiers: list[RebateTier] = field(default_factory=list)
    marketing_duties: list[str] = field(default_factory=list)
    status: ContractStatus = ContractStatus.DRAFT
    version: int = 1
    previous_id: int | None = None    # the version this one replaces
    signed_text: str | None = None    # frozen at signing
    signed_sha256: str | None = None
    signed_at: datetime | None = None
    signed_by: str | None = None
    sent_at: datetime | None = None
    status_reason: str | None = None  # why it was terminated
    body: str = ""                    # template text with placeholders (core.contract_templates); "": standard
    template_id: int | None = None
    created_at: datetime | None = None
    id: int | None = None
