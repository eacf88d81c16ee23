"""The generic repository: filter syntax, ordering, pagination, counting, errors, transactions."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from core.dealers import Address, Contact, DealerStatus
from core.errors import Conflict
from core.inventory import StockLevel, StockThreshold, ThresholdScope
from core.orders import Order, OrderStatus
from core.ports import AbstractUnitOfWork
from core.products import Product
from core.sellout import CustomerType, SellOutLine
from core.users import ChatIdentity, Role, User
from storage.uow import SqlAlchemyUnitOfWork
from tests.factories import at, make_dealer, make_product, make_warehouse
from tests.fakes import FakeRepository
from tests.statements import count_statements

STATUSES = [OrderStatus.SUBMITTED, OrderStatus.APPROVED, OrderStatus.SHIPPED, OrderStatus.SUBMITTED,
            OrderStatus.CANCELLED, OrderStatus.APPROVED, OrderStatus.SUBMITTED]


async def _dealers(uow: SqlAlchemyUnitOfWork) -> tuple[int, int]:
    async with uow:
        a = await uow.dealers.add(make_dealer(code="DA", name="南京宏达商贸", province="江苏", city="南京"))
        b = await uow.dealers.add(make_dealer(code="DB", name="广州Jinding家电", province="广东", city="广州",
                                              status=DealerStatus.SUSPENDED))
        await uow.commit()
    assert a.id is not None and b.id is not None
    return a.id, b.id


def _orders(a: int, b: int) -> list[Order]:
    orders = []
    for i, status in enumerate(STATUSES):
        orders.append(Order(
            number=f"SO-20261126-{i + 1:04d}", dealer_id=a if i % 2 == 0 else b, status=status,
            total=Decimal(100 * (i + 1)) + Decimal("0.50"), created_at=at(f"2026-11-{20 + i} 09:00"),
            carrier=None if i % 3 == 0 else f"顺丰{i}", note="加急 50%_off" if i == 4 else "普通",
            approval_reasons=["超出信用额度"] if i in (1, 5) else []))
    return orders


@pytest.fixture
async def seeded(uow: SqlAlchemyUnitOfWork) -> tuple[int, int, FakeRepository[Order]]:
    """Seven orders in the database and the same seven in a FakeRepository (the reference semantics)."""
    a, b = await _dealers(uow)
    fake: FakeRepository[Order] = FakeRepository()
    async with uow:
        for order in _orders(a, b):
            await uow.orders.add(order)
        await uow.commit()
    for order in _orders(a, b):
        await fake.add(order)
    return a, b, fake


QUERIES: list[dict[str, Any]] = [
    {"status": OrderStatus.SUBMITTED},
    {"status": "approved"},                                    # the enum's value works too
    {"status__in": [OrderStatus.SHIPPED, OrderStatus.CANCELLED]},
    {"status__ne": OrderStatus.SUBMITTED},
    {"total__gte": Decimal("300.50")},
    {"total__gt": Decimal("300.50")},
    {"total__lte": Decimal("300.50")},
    {"total__lt": Decimal("300.50")},
    {"created_at__gte": at("2026-11-23 09:00"), "created_at__lt": at("2026-11-25 09:00")},
    {"carrier": None},
    {"carrier__ne": None},
    {"carrier__ne": "顺丰1"},                                   # keeps the NULL rows, like Python's !=
    {"carrier__contains": "顺丰"},
    {"note__contains": "50%_"},                                  # LIKE wildcards are literal
    {"note__contains": "%"},
    {"approval_reasons__contains": "信用"},                      # substring of a JSON list
    {"status": OrderStatus.SUBMITTED, "total__gt": Decimal("100.50")},
    {"number__in": []},
]


@pytest.mark.parametrize("filters", QUERIES, ids=[str(q) for q in QUERIES])
async def test_filters_match_the_fake_repository(
        uow: SqlAlchemyUnitOfWork, seeded: tuple[int, int, FakeRepository[Order]], filters: dict[str, Any]) -> None:
    _, _, fake = seeded
    expected = [o.number for o in await fake.list(**filters)]
    async with uow:
        found = [o.number for o in await uow.orders.list(**filters)]
        counted = await uow.orders.count(**filters)
    assert found == expected
    assert counted == len(expected)


async def test_filter_results_are_what_the_filters_say(
        uow: SqlAlchemyUnitOfWork, seeded: tuple[int, int, FakeRepository[Order]]) -> None:
    a, b, _ = seeded
    async with uow:
        submitted = await uow.orders.list(status=OrderStatus.SUBMITTED)
        of_b = await uow.orders.list(dealer_id=b, status__in=["approved", "shipped"])
        dealers = await uow.dealers.list(name__contains="jinDING")   # case-insensitive
        suspended = await uow.dealers.get_by(status=DealerStatus.SUSPENDED)
    assert [o.number for o in submitted] == ["SO-20261126-0001", "SO-20261126-0004", "SO-20261126-0007"]
    assert [(o.number, o.status) for o in of_b] == [("SO-20261126-0002", OrderStatus.APPROVED),
                                                    ("SO-20261126-0006", OrderStatus.APPROVED)]
    assert all(o.dealer_id == b for o in of_b)
    assert [d.code for d in dealers] == ["DB"]
    assert suspended is not None and suspended.id == b


@pytest.mark.parametrize("order_by,desc", [("total", False), ("total", True), ("carrier", False),
                                            ("carrier", True), (None, True), ("status", False)])
async def test_ordering_and_pagination_match_the_fake(
        uow: SqlAlchemyUnitOfWork, seeded: tuple[int, int, FakeRepository[Order]], order_by: str | None,
        desc: bool) -> None:
    _, _, fake = seeded
    expected = [o.number for o in await fake.list(order_by=order_by, desc=desc)]
    async with uow:
        everything = [o.number for o in await uow.orders.list(order_by=order_by, desc=desc)]
        pages = [[o.number for o in await uow.orders.list(order_by=order_by, desc=desc, limit=3, offset=off)]
                 for off in (0, 3, 6)]
    if order_by in ("carrier", "status"):  # ties: the fake keeps insertion order, SQL breaks ties by id
        assert sorted(everything) == sorted(expected)
    else:
        assert everything == expected
    assert [n for page in pages for n in page] == everything
    assert [len(p) for p in pages] == [3, 3, 1]


async def test_nulls_sort_last_ascending_and_first_descending(
        uow: SqlAlchemyUnitOfWork, seeded: tuple[int, int, FakeRepository[Order]]) -> None:
    async with uow:
        asc = [o.carrier for o in await uow.orders.list(order_by="carrier")]
        desc = [o.carrier for o in await uow.orders.list(order_by="carrier", desc=True)]
    assert asc[-3:] == [None, None, None] and None not in asc[:-3]
    assert desc[:3] == [None, None, None]


async def test_get_by_more_than_one_match_is_an_error(
        uow: SqlAlchemyUnitOfWork, seeded: tuple[int, int, FakeRepository[Order]]) -> None:
    async with uow:
        with pytest.raises(LookupError):
            await uow.orders.get_by(status=OrderStatus.SUBMITTED)
        assert await uow.orders.get_by(number="SO-20261126-0099") is None
        one = await uow.orders.get_by(number="SO-20261126-0002")
    assert one is not None and one.status == OrderStatus.APPROVED


async def test_unknown_fields_and_encrypted_columns_cannot_be_filtered(uow: SqlAlchemyUnitOfWork) -> None:
    async with uow:
        with pytest.raises(ValueError, match="no column"):
            await uow.orders.list(colour="red")
        with pytest.raises(ValueError, match="unknown filter"):
            await uow.orders.list(total__between=1)
        with pytest.raises(ValueError, match="encrypted"):
            await uow.users.list(phone="13800138000")
        assert await uow.users.count(phone=None) == 0


async def test_unique_constraints_raise_conflict(uow: SqlAlchemyUnitOfWork) -> None:
    a, _ = await _dealers(uow)
    async with uow:
        with pytest.raises(Conflict) as info:
            await uow.dealers.add(make_dealer(code="DA"))
        assert "已存在" in info.value.message("zh") and "already exists" in info.value.message("en")
    async with uow:
        await uow.products.add(make_product(sku="KJ-1"))
        await uow.commit()
    async with uow:
        with pytest.raises(Conflict):
            await uow.products.add(make_product(sku="KJ-1"))
    async with uow:
        await uow.orders.add(Order(number="SO-1", dealer_id=a, client_request_key="tg:1:2"))
        await uow.orders.add(Order(number="SO-2", dealer_id=a, client_request_key=None))
        await uow.orders.add(Order(number="SO-3", dealer_id=a, client_request_key=None))  # NULLs never clash
        await uow.commit()
    async with uow:
        with pytest.raises(Conflict):   # idempotent submission: the same request key twice
            await uow.orders.add(Order(number="SO-4", dealer_id=a, client_request_key="tg:1:2"))
    async with uow:
        with pytest.raises(Conflict) as ref:   # foreign key: no such dealer
            await uow.orders.add(Order(number="SO-5", dealer_id=987654))
        assert ref.value.params["reason"] == "reference"
    async with uow:
        assert await uow.orders.count() == 3
        assert await uow.products.count(sku="KJ-1") == 1


async def test_leaving_without_commit_rolls_back(uow: SqlAlchemyUnitOfWork) -> None:
    a, _ = await _dealers(uow)
    async with uow:
        await uow.products.add(make_product(sku="GONE"))
        dealer = await uow.dealers.get(a)
        assert dealer is not None
        dealer.name = "改名但不提交"
    async with uow:
        assert await uow.products.count(sku="GONE") == 0
        reloaded = await uow.dealers.get(a)
        assert reloaded is not None and reloaded.name == "南京宏达商贸"
    with pytest.raises(RuntimeError):
        async with uow:
            await uow.products.add(make_product(sku="ALSO-GONE"))
            raise RuntimeError("use case failed")
    async with uow:
        assert await uow.products.count() == 0


async def test_explicit_rollback_discards_and_the_uow_stays_usable(uow: SqlAlchemyUnitOfWork) -> None:
    async with uow:
        await uow.products.add(make_product(sku="A"))
        await uow.rollback()
        await uow.products.add(make_product(sku="B"))
        await uow.commit()
    async with uow:
        assert [p.sku for p in await uow.products.list()] == ["B"]


async def test_objects_stay_readable_after_the_unit_of_work(uow: SqlAlchemyUnitOfWork) -> None:
    a, _ = await _dealers(uow)
    async with uow:
        dealer = await uow.dealers.get(a)
    assert dealer is not None
    assert dealer.name == "南京宏达商贸" and dealer.contacts == []   # detached, not expired


async def test_optimistic_lock_on_orders(session_factory: async_sessionmaker[AsyncSession]) -> None:
    first, second = SqlAlchemyUnitOfWork(session_factory), SqlAlchemyUnitOfWork(session_factory)
    a, _ = await _dealers(first)
    async with first:
        await first.orders.add(Order(number="SO-9", dealer_id=a))
        await first.commit()
    async with first:
        mine = await first.orders.get_by(number="SO-9")
        assert mine is not None and mine.version == 1
        async with second:
            theirs = await second.orders.get_by(number="SO-9")
            assert theirs is not None
            theirs.status = OrderStatus.CANCELLED
            await second.commit()
        assert theirs.version == 2
        mine.status = OrderStatus.APPROVED
        with pytest.raises(Conflict) as info:
            await first.commit()
        assert info.value.params["reason"] == "stale"
    async with first:
        final = await first.orders.get_by(number="SO-9")
    assert final is not None and final.status == OrderStatus.CANCELLED and final.version == 2


async def test_delete(uow: SqlAlchemyUnitOfWork) -> None:
    async with uow:
        p = await uow.products.add(make_product(sku="DEL"))
        await uow.commit()
    async with uow:
        loaded = await uow.products.get(p.id)  # type: ignore[arg-type]
        assert loaded is not None
        await uow.products.delete(loaded)
        assert await uow.products.count() == 0   # visible at once inside the unit of work
        await uow.commit()
    async with uow:
        assert await uow.products.get(p.id) is None  # type: ignore[arg-type]


async def test_enum_and_date_filters_on_sellout(uow: SqlAlchemyUnitOfWork) -> None:
    a, _ = await _dealers(uow)
    day = date(2026, 11, 1)
    async with uow:
        for i in range(10):
            await uow.sellout.add(SellOutLine(
                dealer_id=a, sold_on=day + timedelta(days=i), sku="KJ-500", qty=1, amount=Decimal("10.00"),
                province="江苏", city="南京",
                customer_type=CustomerType.ONLINE if i % 2 else CustomerType.RETAIL))
        await uow.commit()
    async with uow:
        online = await uow.sellout.count(customer_type=CustomerType.ONLINE)
        week = await uow.sellout.list(sold_on__gte=date(2026, 11, 3), sold_on__lte=date(2026, 11, 9),
                                      order_by="sold_on", desc=True)
        raw = (await uow.session.execute(text("SELECT DISTINCT customer_type FROM sellout_lines "
                                              "ORDER BY customer_type"))).scalars().all()
    assert online == 5
    assert [line.sold_on.day for line in week] == [9, 8, 7, 6, 5, 4, 3]
    assert all(type(line.customer_type) is CustomerType for line in week)
    assert raw == ["online", "retail"]                 # stored as the plain value


async def test_products_found_by_alias(uow: SqlAlchemyUnitOfWork) -> None:
    async with uow:
        await uow.products.add(Product(sku="KJ-500", name="空气净化器", category="净化器", unit="台",
                                       list_price=Decimal("1.00"), aliases=["五百型", "KJ500"]))
        await uow.products.add(Product(sku="KJ-700", name="空气净化器", category="净化器", unit="台",
                                       list_price=Decimal("1.00"), aliases=["七百型"]))
        await uow.commit()
    async with uow:
        found = await uow.products.list(aliases__contains="五百")
        found_latin = await uow.products.list(aliases__contains="kj500")
    assert [p.sku for p in found] == ["KJ-500"]
    assert [p.sku for p in found_latin] == ["KJ-500"]


async def test_delete_where_deletes_the_matches_in_one_statement_like_the_fake(
        uow: SqlAlchemyUnitOfWork, seeded: tuple[int, int, FakeRepository[Order]]) -> None:
    a, _, fake = seeded
    cut = at("2026-11-23 09:00")
    async with uow:
        deleted = await uow.orders.delete_where(created_at__lt=cut, dealer_id=a)
        await uow.commit()
    assert deleted == await fake.delete_where(created_at__lt=cut, dealer_id=a) == 2
    async with uow:
        left = [o.number for o in await uow.orders.list()]
    assert left == [o.number for o in await fake.list()]
    assert len(left) == len(STATUSES) - 2
    async with uow:
        with pytest.raises(ValueError):
            await uow.orders.delete_where()


async def test_one_object_comes_with_its_collections_in_one_statement(
        uow: SqlAlchemyUnitOfWork, engine: AsyncEngine) -> None:
    """``get`` / ``get_by`` join the child collections (dealer contacts and addresses) into one statement, in
    their id order, also with FOR UPDATE (PostgreSQL locks the dealer row: FOR UPDATE OF dealers)."""
    async with uow:
        dealer = make_dealer(code="DJ")
        dealer.contacts = [Contact(name="李四", phone="13800000002"), Contact(name="张三", phone="13800000001")]
        dealer.addresses = [Address(kind="office", province="江苏", city="南京"),
                            Address(kind="warehouse", province="江苏", city="苏州"),
                            Address(kind="delivery", province="江苏", city="无锡")]
        await uow.dealers.add(dealer)
        await uow.commit()
    assert dealer.id is not None
    for read in (lambda u: u.dealers.get(dealer.id), lambda u: u.dealers.get_by(code="DJ"),
                 lambda u: u.dealers.get(dealer.id, for_update=True)):
        async with uow:
            with count_statements(engine) as seen:
                found = await read(uow)
        assert found is not None
        assert [c.name for c in found.contacts] == ["李四", "张三"]
        assert [a.city for a in found.addresses] == ["南京", "苏州", "无锡"]
        assert found.contacts[0].phone == "13800000002"            # decrypted
        selects = [s for s in seen.sql if s.lstrip().upper().startswith("SELECT")]
        assert len(selects) == 1, seen.report()
    async with uow:     # six joined rows are one dealer; two dealers are two matches
        await uow.dealers.add(make_dealer(code="DK", province=dealer.province, tier=dealer.tier))
        await uow.commit()
    async with uow:
        with pytest.raises(LookupError):
            await uow.dealers.get_by(province=dealer.province, tier=dealer.tier)


async def test_update_where_writes_in_one_statement_like_the_fake(
        uow: SqlAlchemyUnitOfWork, engine: AsyncEngine, seeded: tuple[int, int, FakeRepository[Order]]) -> None:
    a, _, fake = seeded
    async with uow:
        with count_statements(engine) as seen:
            changed = await uow.orders.update_where({"note": "改"}, dealer_id=a, status=OrderStatus.SUBMITTED)
        await uow.commit()
    assert changed == await fake.update_where({"note": "改"}, dealer_id=a, status=OrderStatus.SUBMITTED) == 2
    assert seen.statements == 1 and seen.writes == 1, seen.report()
    async with uow:
        notes = [(o.number, o.note) for o in await uow.orders.list()]
    assert notes == [(o.number, o.note) for o in await fake.list()]
    assert sum(1 for _, note in notes if note == "改") == 2
    async with uow:
        with pytest.raises(ValueError):
            await uow.orders.update_where({"note": "x"})
        with pytest.raises(ValueError):
            await uow.orders.update_where({"no_such_column": "x"}, id=1)


async def test_the_user_of_a_chat_identity_in_one_statement(uow: SqlAlchemyUnitOfWork, engine: AsyncEngine) -> None:
    async with uow:
        li = await uow.users.add(User(username="li", display_name="李老板", role=Role.DEALER_OWNER))
        await uow.users.add(User(username="wang", display_name="王", role=Role.DEALER_OWNER))
        await uow.identities.add(ChatIdentity(channel="telegram", external_id="42", user_id=li.id))  # type: ignore[arg-type]
        await uow.commit()
    async with uow:
        with count_statements(engine) as seen:
            found = await uow.user_by_identity("telegram", "42")
        assert found is not None and found.username == "li" and seen.statements == 1
        assert await uow.user_by_identity("wecom", "42") is None
        assert await uow.user_by_identity("telegram", "43") is None


async def test_warehouse_stock_in_one_statement_says_what_the_repositories_say(
        uow: SqlAlchemyUnitOfWork, engine: AsyncEngine) -> None:
    """The storage's joined read equals the port's default (composed from the repositories) on the same data:
    inactive products left out, the low mark of the warehouse and product only, None where none is set."""
    async with uow:
        east = await uow.warehouses.add(make_warehouse("WH-E", region="华东"))
        south = await uow.warehouses.add(make_warehouse("WH-S", region="华南"))
        await uow.products.add(make_product("AP300"))
        await uow.products.add(make_product("DH20"))
        await uow.products.add(make_product("OLD1", active=False))
        for wh, sku, on_hand, reserved in ((east, "AP300", 50, 5), (south, "AP300", 3, 0), (east, "DH20", 10, 12),
                                           (south, "OLD1", 9, 0)):
            await uow.stock.add(StockLevel(warehouse_id=wh.id, sku=sku, on_hand=on_hand, reserved=reserved))  # type: ignore[arg-type]
        await uow.thresholds.add(StockThreshold(scope=ThresholdScope.WAREHOUSE, scope_id=east.id, sku="AP300", low=20))  # type: ignore[arg-type]
        await uow.thresholds.add(StockThreshold(scope=ThresholdScope.DEALER, scope_id=south.id, sku="AP300", low=99))  # type: ignore[arg-type]
        await uow.commit()
    async with uow:
        with count_statements(engine) as seen:
            joined = await uow.warehouse_stock()
        composed = await AbstractUnitOfWork.warehouse_stock(uow)
        one = await uow.warehouse_stock("AP300")
        assert await uow.warehouse_stock("OLD1") == [] == await AbstractUnitOfWork.warehouse_stock(uow, "OLD1")
    assert seen.statements == 1
    assert sorted(joined, key=str) == sorted(composed, key=str)
    assert sorted((r.sku, r.region, r.available, r.low) for r in joined) == [
        ("AP300", "华东", 45, 20), ("AP300", "华南", 3, None), ("DH20", "华东", -2, None)]
    assert {r.sku for r in one} == {"AP300"} and len(one) == 2
