"""Builders for test data: random but readable. Add yours; do not remove others'."""

from __future__ import annotations

import itertools
import random
from datetime import date, datetime
from decimal import Decimal

from core.accounts import AccountKind, EntryKind, LedgerEntry
from core.clock import SHANGHAI, Clock
from core.contracts import Contract, RebateTier, SalesTarget, TargetMetric
from core.dealers import Dealer, DealerStatus, DocumentType, Qualification, ReviewStatus
from core.inventory import Warehouse
from core.products import Product, Promotion, PromotionKind
from core.uscc import make_uscc
from core.users import Actor, ActorKind, Role

_seq = itertools.count(1)
_rng = random.Random(20261126)

_COMPANIES = ("华信电器", "宏达商贸", "金鼎家电", "锦程贸易", "瑞丰电器", "恒通商行")
_CITIES = (("上海", "上海", "华东"), ("江苏", "南京", "华东"), ("北京", "北京", "华北"),
           ("广东", "广州", "华南"), ("四川", "成都", "西南"))


def at(text: str = "2026-11-26 10:00") -> datetime:
    """A Shanghai-time aware datetime from ``YYYY-MM-DD HH:MM``."""
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=SHANGHAI)


def fixed_clock(text: str = "2026-11-26 10:00") -> Clock:
    return Clock.fixed(at(text))


def make_dealer(**overrides: object) -> Dealer:
    n = next(_seq)
    province, city, region = _rng.choice(_CITIES)
    values: dict[str, object] = dict(
        code=f"D{n:04d}", name=f"{city}{_rng.choice(_COMPANIES)}有限公司{n}", uscc=f"91310000MA1F{n:06d}",
        province=province, city=city, region=region, tier="B", status=DealerStatus.ACTIVE,
    )
    values.update(overrides)
    return Dealer(**values)  # type: ignore[arg-type]


def make_product(sku: str | None = None, **overrides: object) -> Product:
    n = next(_seq)
    values: dict[str, object] = dict(
        sku=sku or f"SKU-{n:04d}", name=f"空气净化器 {n} 型", category="净化器", unit="台",
        list_price=Decimal("1999.00"),
    )
    values.update(overrides)
    return Product(**values)  # type: ignore[arg-type]


def dealer_user(dealer_id: int, role: Role = Role.DEALER_OWNER, name: str = "li") -> Actor:
    return Actor(kind=ActorKind.DEALER, user_id=next(_seq), name=name, role=role, dealer_id=dealer_id)


def staff(role: Role, name: str = "zhang") -> Actor:
    return Actor(kind=ActorKind.STAFF, user_id=next(_seq), name=name, role=role)


# --- orders & money builders ----------------------------------------------------------------------

def make_valid_documents(dealer_id: int) -> list[Qualification]:
    """The approved, unexpired documents a dealer needs to order (see core.onboarding)."""
    return [Qualification(dealer_id=dealer_id, doc_type=doc_type, number=f"DOC-{dealer_id}-{next(_seq)}",
                          issued_on=date(2025, 1, 1), expires_on=date(2030, 12, 31), status=ReviewStatus.APPROVED)
            for doc_type in (DocumentType.BUSINESS_LICENSE, DocumentType.AUTHORIZATION)]


def make_warehouse(code: str | None = None, region: str = "华东", **overrides: object) -> Warehouse:
    n = next(_seq)
    values: dict[str, object] = dict(code=code or f"WH{n:02d}", name=f"{region}仓 {n}", region=region)
    values.update(overrides)
    return Warehouse(**values)  # type: ignore[arg-type]


def make_promotion(code: str | None = None, kind: PromotionKind = PromotionKind.PERCENT_OFF,
                   **overrides: object) -> Promotion:
    n = next(_seq)
    values: dict[str, object] = dict(code=code or f"PROMO{n:03d}", name=f"双十二促销 {n}", kind=kind,
                                     starts_on=date(2026, 11, 1), ends_on=date(2026, 12, 31))
    values.update(overrides)
    return Promotion(**values)  # type: ignore[arg-type]


def payment(dealer_id: int, amount: str, account: AccountKind = AccountKind.PREPAYMENT,
            when: str = "2026-11-01 09:00", kind: EntryKind = EntryKind.PAYMENT) -> LedgerEntry:
    return LedgerEntry(dealer_id=dealer_id, account=account, amount=Decimal(amount), kind=kind,
                       created_by="staff:finance", created_at=at(when))


def api_key_actor(name: str = "erp", scopes: tuple[str, ...] = (), dealer_id: int | None = None) -> Actor:
    return Actor(kind=ActorKind.API, name=name, dealer_id=dealer_id, scopes=frozenset(scopes))


# --- dealers, contracts, users builders -------------------------------------------------------------

def make_prospect(**overrides: object) -> Dealer:
    """A new dealer with a valid USCC (checksum ok), status prospect, not yet stored."""
    n = next(_seq)
    values: dict[str, object] = dict(uscc=make_uscc(31000000 + n), status=DealerStatus.PROSPECT)
    values.update(overrides)
    return make_dealer(**values)


def make_document(dealer_id: int, doc_type: DocumentType = DocumentType.AUTHORIZATION,
                  status: ReviewStatus = ReviewStatus.APPROVED, **overrides: object) -> Qualification:
    values: dict[str, object] = dict(dealer_id=dealer_id, doc_type=doc_type, number=f"DOC-{next(_seq)}",
                                     issued_on=date(2025, 1, 1), expires_on=date(2030, 12, 31), status=status)
    values.update(overrides)
    return Qualification(**values)  # type: ignore[arg-type]


def make_contract(dealer_id: int, **overrides: object) -> Contract:
    """A draft yearly 2026 contract: CNY 1,000,000 target, rebate 1 % from 80 %, 2 % from 100 %."""
    values: dict[str, object] = dict(
        number=f"HT-20260101-{next(_seq):04d}", dealer_id=dealer_id, starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
        targets=[SalesTarget(period="2026", metric=TargetMetric.AMOUNT, value=Decimal("1000000.00"))],
        rebate_tiers=[RebateTier(Decimal("0.8"), Decimal("0.01")), RebateTier(Decimal("1.0"), Decimal("0.02"))],
        marketing_duties=["门店陈列不少于2个展位"],
    )
    values.update(overrides)
    return Contract(**values)  # type: ignore[arg-type]
