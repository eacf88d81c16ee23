"""Demo data on SQLite and PostgreSQL: counts, realism rules, idempotency, determinism."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import pytest_asyncio
from pydantic import SecretStr
from sqlalchemy import text

from bot.bootstrap import App
from bot.demo import CATALOGUE, seed_demo_data
from bot.settings import Settings
from core.accounts import AccountKind, EntryKind
from core.clock import SHANGHAI, Clock
from core.dealers import DealerStatus, DocumentType
from core.onboarding import ordering_block_reason
from core.orders import OrderStatus
from core.uscc import is_valid_uscc
from core.users import Role
from storage.engine import build_engine, build_session_factory
from storage.migrate import upgrade
from storage.uow import SqlAlchemyUnitOfWork
from tests.integration.conftest import TEST_KEYS, Database

NOW = datetime(2026, 11, 26, 15, 30, tzinfo=SHANGHAI)
TODAY = NOW.date()


def _app_on(url: str, clock: Clock, search_path: str | None = None) -> App:
    """The bootstrap's objects on a migrated database (a PostgreSQL schema needs ``search_path``)."""
    engine = build_engine(url, search_path=search_path)
    session_factory = build_session_factory(engine)
    settings = Settings(_env_file=None, database_url=url,  # type: ignore[call-arg]
                        data_encryption_keys=SecretStr(TEST_KEYS[0]))
    return App(settings=settings, engine=engine, session_factory=session_factory,
               uow_factory=lambda: SqlAlchemyUnitOfWork(session_factory), clock=clock)


async def _sqlite_app(tmp_path: Path, name: str) -> App:
    url = f"sqlite+aiosqlite:///{tmp_path / name}"
    await upgrade(url)
    return _app_on(url, Clock.fixed(NOW))


# One seeded database per backend for the read-only tests of this module (seeding takes seconds).
pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def seeded(db: Database) -> AsyncIterator[App]:
    """Demo data at scale 1 on the module's migrated SQLite file and PostgreSQL schema (``db``)."""
    application = _app_on(db.url, Clock.fixed(NOW), db.search_path)
    summary = await seed_demo_data(application.uow_factory, application.session_factory, application.clock)
    application.summary = summary  # type: ignore[attr-defined]
    yield application
    await application.aclose()


async def test_seeds_the_expected_counts(seeded: App) -> None:
    summary = seeded.summary  # type: ignore[attr-defined]
    assert summary.skipped is False
    async with seeded.uow_factory() as uow:
        assert await uow.products.count() == len(CATALOGUE) == 12
        assert len({p.category for p in await uow.products.list()}) == 4
        assert await uow.tier_prices.count() == 36
        assert await uow.dealers.count() == 30
        assert await uow.warehouses.count() == 3
        assert await uow.orders.count() == summary.counts["orders"] > 300
        assert await uow.sellout.count() == summary.counts["sellout"] > 5000
        assert await uow.ledger.count() == summary.counts["ledger_entries"]
        assert await uow.tickets.count() == 10
        assert await uow.quality.count() == 5
        assert await uow.campaigns.count(status="launched") == 1
        assert await uow.participations.count() >= 5
        assert await uow.materials.count() == 5
        staff_roles = {u.role for u in await uow.users.list() if u.role.is_staff}
        assert staff_roles == {r for r in Role if r.is_staff}
        assert await uow.users.count(role=Role.DEALER_OWNER) >= 5
        assert await uow.users.count(role=Role.DEALER_CLERK) >= 5
        assert await uow.contracts.count(status="active") >= 25


async def test_dealers_look_real(seeded: App) -> None:
    async with seeded.uow_factory() as uow:
        dealers = await uow.dealers.list()
    assert all(is_valid_uscc(d.uscc) for d in dealers)
    assert len({d.uscc for d in dealers}) == len(dealers) == len({d.name for d in dealers})
    assert {d.region for d in dealers} >= {"华东", "华北", "华南", "西南", "华中"}
    assert {d.city for d in dealers} >= {"上海", "杭州", "南京", "北京", "天津", "广州", "深圳", "成都", "重庆",
                                         "武汉", "长沙"}
    assert Counter(d.tier for d in dealers) == {"A": 5, "B": 11, "C": 14}
    assert sum(1 for d in dealers if d.parent_id) == 4
    statuses = Counter(d.status for d in dealers)
    assert statuses[DealerStatus.UNDER_REVIEW] == statuses[DealerStatus.PROSPECT] == 1
    assert statuses[DealerStatus.SUSPENDED] == 1
    assert all(len(d.contacts) >= 2 and d.contacts[0].phone.startswith("1") for d in dealers)


async def test_phones_are_encrypted_at_rest(seeded: App) -> None:
    async with seeded.uow_factory() as uow:
        dealer = (await uow.dealers.list(limit=1))[0]
    phone = dealer.contacts[0].phone
    async with seeded.session_factory() as session:
        raw = (await session.execute(text("SELECT phone FROM dealer_contacts"))).scalars().all()
    assert len(phone) == 11 and phone not in raw and all(not r.isdigit() for r in raw)


async def test_qualifications_some_expiring_one_expired(seeded: App) -> None:
    async with seeded.uow_factory() as uow:
        auths = await uow.qualifications.list(doc_type=DocumentType.AUTHORIZATION, status="approved")
        expiring = [q for q in auths if q.expires_on and TODAY <= q.expires_on <= TODAY + timedelta(days=30)]
        expired = [q for q in auths if q.expires_on and q.expires_on < TODAY]
        assert len(expiring) == 3 and len(expired) == 1
        blocked = await uow.dealers.get(expired[0].dealer_id)
        assert blocked is not None
        docs = await uow.qualifications.list(dealer_id=blocked.id)
        reason = ordering_block_reason(blocked, docs, TODAY)
        assert reason is not None and "过期" in reason[0]
        recent = await uow.orders.list(dealer_id=blocked.id, created_at__gte=NOW - timedelta(days=9))
        assert recent == []


async def test_orders_cover_every_state_and_numbers_continue(seeded: App) -> None:
    async with seeded.uow_factory() as uow:
        orders = await uow.orders.list()
        numbered_today = await uow.orders.count(number__contains=f"SO-{TODAY:%Y%m%d}-")
        next_number = await uow.next_number("SO", TODAY)
    recent = [o for o in orders if o.created_at and o.created_at >= NOW - timedelta(days=14)]
    assert {o.status for o in recent} == set(OrderStatus)
    old = [o for o in orders if o.created_at and o.created_at < NOW - timedelta(days=30)]
    assert Counter(o.status for o in old).most_common(1)[0][0] == OrderStatus.CLOSED
    assert min(o.created_at for o in orders if o.created_at) >= NOW - timedelta(days=366)
    assert all(o.created_at <= NOW for o in orders if o.created_at)
    assert len({o.number for o in orders}) == len(orders)
    assert next_number == f"SO-{TODAY:%Y%m%d}-{numbered_today + 1:04d}"
    assert any(o.approval_reasons == ["credit_shortfall"] for o in orders if o.status == OrderStatus.SUBMITTED)
    for o in orders[:50]:
        assert o.total == sum(line.amount for line in o.lines)
        assert o.events[0].status == OrderStatus.SUBMITTED and o.events[-1].status == o.status
        assert o.paid_from_rebate + o.paid_from_prepayment + o.paid_from_credit <= o.total


async def test_ledger_has_payments_charges_and_rebates(seeded: App) -> None:
    async with seeded.uow_factory() as uow:
        kinds = Counter(e.kind for e in await uow.ledger.list())
        order = (await uow.orders.list(status=OrderStatus.CLOSED, limit=1))[0]
        charges = await uow.ledger.list(ref=order.number, kind=EntryKind.ORDER_CHARGE)
    assert kinds[EntryKind.PAYMENT] > 100 and kinds[EntryKind.ORDER_CHARGE] > 300
    assert kinds[EntryKind.REBATE_ACCRUAL] > 10 and kinds[EntryKind.ORDER_REFUND] > 0
    assert -sum(e.amount for e in charges) == order.total
    assert all(e.account != AccountKind.DEPOSIT for e in charges)


async def test_sellout_follows_the_seasons(seeded: App) -> None:
    async with seeded.uow_factory() as uow:
        lines = await uow.sellout.list()
    by = Counter()
    for line in lines:
        by[(line.sku[:2], line.sold_on.month)] += line.qty
    assert by[("DH", 6)] > 3 * by[("DH", 12)]          # dehumidifiers in the rainy season
    assert by[("AP", 1)] > 2 * by[("AP", 7)]           # purifiers in winter
    assert all(line.sold_on < TODAY for line in lines)
    assert all(line.amount > 0 for line in lines)


async def test_stock_reserved_matches_allocated_orders_and_transfers_and_some_are_low(seeded: App) -> None:
    async with seeded.uow_factory() as uow:
        levels = await uow.stock.list()
        thresholds = {(t.scope_id, t.sku): t.low for t in await uow.thresholds.list(scope="warehouse")}
        allocated = await uow.orders.list(status=OrderStatus.ALLOCATED)
        on_the_road = await uow.transfers.list(from_scope="warehouse", status__in=["approved", "shipped"])
    reserved = Counter()
    for o in allocated:
        for line in o.lines:
            reserved[(o.warehouse_id, line.sku)] += line.qty + line.free_qty
    for t in on_the_road:                 # a warehouse transfer holds its units at the source until received
        for tl in t.lines:
            reserved[(t.from_id, tl.sku)] += tl.qty
    assert {(s.warehouse_id, s.sku): s.reserved for s in levels if s.reserved} == dict(reserved)
    assert all(s.on_hand >= s.reserved for s in levels)
    assert sum(1 for s in levels if s.on_hand < thresholds[(s.warehouse_id, s.sku)]) >= 3


async def test_second_run_does_nothing(seeded: App) -> None:
    async with seeded.uow_factory() as uow:
        before = (await uow.orders.count(), await uow.dealers.count(), await uow.sellout.count())

    again = await seed_demo_data(seeded.uow_factory, seeded.session_factory, seeded.clock)

    assert again.skipped is True and again.counts == {}
    async with seeded.uow_factory() as uow:
        assert (await uow.orders.count(), await uow.dealers.count(), await uow.sellout.count()) == before


async def test_same_seed_same_data(seeded: App, tmp_path: Path) -> None:
    async def fingerprint(application: App) -> tuple[object, ...]:
        async with application.uow_factory() as uow:
            orders = await uow.orders.list(order_by="number")
            dealers = await uow.dealers.list()
            return (tuple((o.number, o.total, o.status) for o in orders),
                    tuple((d.code, d.name, d.contacts[0].phone) for d in dealers), await uow.sellout.count())

    other = await _sqlite_app(tmp_path, "other.sqlite3")
    try:
        await seed_demo_data(other.uow_factory, other.session_factory, other.clock, seed=42)
        assert await fingerprint(other) == await fingerprint(seeded)
    finally:
        await other.aclose()


async def test_scale_multiplies_dealers_and_volume(tmp_path: Path) -> None:
    application = await _sqlite_app(tmp_path, "scaled.sqlite3")
    try:
        summary = await seed_demo_data(application.uow_factory, application.session_factory, application.clock,
                                       scale=2)
        async with application.uow_factory() as uow:
            dealers = await uow.dealers.list()
        assert len(dealers) == 60 and len({d.code for d in dealers}) == 60
        assert summary.counts["sellout"] > 2 * 5000
        # sub-dealers of the second block hang under parents of the second block
        by_id = {d.id: d for d in dealers}
        assert all(by_id[d.parent_id].code > "D0030" for d in dealers if d.parent_id and d.code > "D0030")
    finally:
        await application.aclose()
