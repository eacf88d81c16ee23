"""Builders for test data: random but readable. Add yours; do not remove others'."""

from __future__ import annotations

import itertools
import random
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from core.accounts import AccountKind, EntryKind, LedgerEntry
from core.clock import SHANGHAI, Clock
from core.contracts import Contract, RebateTier, SalesTarget, TargetMetric
from core.dealers import Dealer, DealerStatus, DocumentType, Qualification, ReviewStatus
from core.inventory import Warehouse
from core.products import Product, Promotion, PromotionKind
from core.uscc import make_uscc
from core.users import Actor, ActorKind, Role

# from 1000: the codes tests write out (D0001-D0999, D9001, D9999) are never handed out by make_dealer, whatever ran
# before in the worker (a test's own "D0100" collided with the 100th default one)
_seq = (n for n in itertools.count(1000) if n not in (9001, 9999))
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


# --- reports (small fixed data with hand-computed figures; see tests/unit/test_reports.py) ------------

async def seed_report_data(uow: object) -> dict[str, int]:
    """Two dealers, two products, six orders (one cancelled) and four sell-out lines around November 2026.

    D1 上海 (华东, tier A), D2 北京 (华北, tier B). Orders (Shanghai time): O1 D1 11-03 AP300 10x1000 +
    DH20 5x800 -100 = 13,900; O2 D1 11-20 AP300 2x1000 = 2,000; O3 D2 11-10 23:30 DH20 3x900 = 2,700;
    O4 D2 11-12 cancelled AP300 100x1000; O5 D1 11-01 00:30 (still October in UTC) AP300 1x1000 = 1,000;
    O6 D2 10-15 DH20 4x900 = 3,600. Sell-out: D1 11-05 AP300 3 ¥5,997 上海; D1 11-06 DH20 1 ¥1,599 江苏苏州;
    D2 11-07 AP300 2 ¥3,998 北京; D2 10-20 AP300 5 ¥9,995 北京. D1 has an active 2026 contract with a
    ¥1,000,000 amount target (make_contract). Returns the ids: {"d1": ..., "d2": ...}.
    """
    from core.contracts import ContractStatus
    from core.orders import Order, OrderLine, OrderStatus
    from core.sellout import SellOutLine

    u: Any = uow
    async with u:
        await u.products.add(make_product("AP300", name="空气净化器AP300", category="空气净化器"))
        await u.products.add(make_product("DH20", name="除湿机DH20", category="除湿机"))
        d1 = await u.dealers.add(make_dealer(code="RPT-D1", name="上海恒信电器", province="上海", city="上海",
                                             region="华东", tier="A", uscc=make_uscc(51000001)))
        d2 = await u.dealers.add(make_dealer(code="RPT-D2", name="北京金鼎家电", province="北京", city="北京",
                                             region="华北", tier="B", uscc=make_uscc(51000002)))
        await u.flush()

        def line(sku: str, qty: int, price: str, discount: str = "0.00") -> OrderLine:
            return OrderLine(sku=sku, name=sku, qty=qty, unit_price=Decimal(price), discount=Decimal(discount))

        plan = [
            ("SO-20261103-0001", d1.id, "2026-11-03 09:00", OrderStatus.CLOSED,
             [line("AP300", 10, "1000.00"), line("DH20", 5, "800.00", "100.00")]),
            ("SO-20261120-0001", d1.id, "2026-11-20 15:00", OrderStatus.SUBMITTED, [line("AP300", 2, "1000.00")]),
            ("SO-20261110-0001", d2.id, "2026-11-10 23:30", OrderStatus.APPROVED, [line("DH20", 3, "900.00")]),
            ("SO-20261112-0001", d2.id, "2026-11-12 11:00", OrderStatus.CANCELLED, [line("AP300", 100, "1000.00")]),
            ("SO-20261101-0001", d1.id, "2026-11-01 00:30", OrderStatus.SHIPPED, [line("AP300", 1, "1000.00")]),
            ("SO-20261015-0001", d2.id, "2026-10-15 10:00", OrderStatus.CLOSED, [line("DH20", 4, "900.00")]),
        ]
        for number, dealer_id, when, status, lines in plan:
            total = sum((ln.amount for ln in lines), Decimal("0.00"))
            await u.orders.add(Order(number=number, dealer_id=dealer_id, lines=lines, status=status, total=total,
                                     placed_by="test", created_at=at(when), updated_at=at(when)))
        for dealer_id, day, sku, qty, amount, province, city in (
            (d1.id, date(2026, 11, 5), "AP300", 3, "5997.00", "上海", "上海"),
            (d1.id, date(2026, 11, 6), "DH20", 1, "1599.00", "江苏", "苏州"),
            (d2.id, date(2026, 11, 7), "AP300", 2, "3998.00", "北京", "北京"),
            (d2.id, date(2026, 10, 20), "AP300", 5, "9995.00", "北京", "北京"),
        ):
            await u.sellout.add(SellOutLine(dealer_id=dealer_id, sold_on=day, sku=sku, qty=qty, amount=Decimal(amount),
                                            province=province, city=city, reported_at=at("2026-11-25 20:00")))
        await u.contracts.add(make_contract(d1.id, status=ContractStatus.ACTIVE))
        await u.commit()
        return {"d1": d1.id, "d2": d2.id}
