"""The hot statements sent on the driver's own connection (``storage.driver``, PostgreSQL): the same rows as a
session gives, the same conflict on a repeated delivery, counted by the statement budget, and a broken
connection invalidated rather than handed out again."""

from __future__ import annotations

import asyncio
import os
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from core.accounts import AccountKind, EntryKind, LedgerEntry
from core.dialogs import DialogState, InboundReceipt
from core.errors import Conflict
from core.inventory import StockLevel, StockThreshold, ThresholdScope, Warehouse
from core.ports import AbstractUnitOfWork
from core.products import Product
from handlers.messages import InboundKind
from storage import driver
from storage.engine import build_engine, build_session_factory
from storage.uow import SqlAlchemyUnitOfWork
from tests.chat import texts
from tests.factories import fixed_clock, make_dealer
from tests.hot_paths import DEALER, hot_scene
from tests.integration.conftest import Database
from tests.statements import count_statements

pytestmark = pytest.mark.postgres


def _uow(engine: AsyncEngine) -> SqlAlchemyUnitOfWork:
    return SqlAlchemyUnitOfWork(build_session_factory(engine), build_session_factory(engine, autocommit=True))


async def test_the_driver_gives_what_a_session_gives(pg_engine: AsyncEngine) -> None:
    now = fixed_clock().now()
    async with _uow(pg_engine) as uow:
        await uow.dialogs.add(DialogState(channel="telegram", chat_id="d1", state="order.cart", language="en",
                                          data={"cart": [{"sku": "AP300", "qty": 20}], "备注": "下周三到"},
                                          updated_at=now - timedelta(minutes=3)))
        warehouse = await uow.warehouses.add(Warehouse(code="W1", name="华东仓", region="华东"))
        await uow.flush()
        assert warehouse.id is not None
        await uow.products.add(Product(sku="AP300", name="净化器", category="净化", unit="台",
                                       list_price=Decimal("100.00")))
        await uow.stock.add(StockLevel(warehouse_id=warehouse.id, sku="AP300", on_hand=50, reserved=8))
        await uow.thresholds.add(StockThreshold(scope=ThresholdScope.WAREHOUSE, scope_id=warehouse.id,
                                                sku="AP300", low=12))
        await uow.commit()

    fast = _uow(pg_engine).autocommit()
    async with fast:
        with count_statements(pg_engine) as seen:
            dialog, version = await fast.receipt_and_dialog(
                InboundReceipt(channel="telegram", key="telegram:1", received_at=now), "telegram", "d1")
            stock = await fast.warehouse_stock("AP300")
        assert fast._driver_engine() is not None            # this unit took the driver's way
    assert seen.statements == 2 and seen.commits == 1, seen.report()     # counted, the receipt a commit of its own
    async with _uow(pg_engine) as slow:                     # a unit in a transaction: the session's way
        assert slow._driver_engine() is None
        expected = await slow.dialogs.get_by(channel="telegram", chat_id="d1")
        expected_stock = await slow.warehouse_stock("AP300")
        receipts = [r.key for r in await slow.receipts.list()]
    assert expected is not None and dialog is not None and version == 0
    assert (dialog.id, dialog.state, dialog.data, dialog.language, dialog.updated_at) == \
        (expected.id, expected.state, expected.data, expected.language, expected.updated_at)
    assert dialog.updated_at is not None and dialog.updated_at.utcoffset() is not None    # aware, as loaded
    assert stock == expected_stock and stock[0].available == 42 and stock[0].low == 12
    assert receipts == ["telegram:1"]

    dialog.state, dialog.data["cart"][0]["qty"], dialog.language = "order.confirm", 25, "zh-CN"
    async with _uow(pg_engine).autocommit() as write:      # written back the same way
        with count_statements(pg_engine) as wrote:
            assert await write.write_dialog(dialog, now)
        assert not await write.write_dialog(DialogState(channel="telegram", chat_id="gone", id=-1), now)
    assert wrote.statements == 1 and wrote.commits == 1, wrote.report()
    async with _uow(pg_engine) as slow:
        stored = await slow.dialogs.get(dialog.id)
    assert stored is not None and (stored.state, stored.data, stored.language, stored.updated_at) == \
        ("order.confirm", {"cart": [{"sku": "AP300", "qty": 25}], "备注": "下周三到"}, "zh-CN", now)

    async with _uow(pg_engine).autocommit() as again:      # the same delivery again: the same conflict as before
        with pytest.raises(Conflict):
            await again.receipt_and_dialog(InboundReceipt(channel="telegram", key="telegram:1", received_at=now),
                                           "telegram", "d1")
    async with _uow(pg_engine).autocommit() as new_chat:   # a chat without a dialog yet
        assert await new_chat.receipt_and_dialog(
            InboundReceipt(channel="telegram", key="telegram:2", received_at=now), "telegram", "new") == (None, None)


async def test_a_broken_connection_is_not_handed_out_again(pg_engine: AsyncEngine) -> None:
    async with pg_engine.connect() as admin:
        async with pg_engine.connect() as conn:           # one pooled connection, given back
            pid = (await conn.execute(text("SELECT pg_backend_pid()"))).scalar_one()
        await admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})   # its server process
        await admin.commit()                                                          # ended (a restart, a cut)
    statement = select(func.pg_backend_pid())
    failures = 0
    pids = []
    for _ in range(3):
        try:
            pids.extend(row[0] for row in await driver.fetch(pg_engine, statement, {}))
        except DBAPIError as exc:
            assert exc.connection_invalidated
            failures += 1
    assert failures <= 1 and len(pids) >= 2 and pid not in pids


async def test_a_unit_holding_a_connection_never_waits_for_a_second_one(pg_db: Database) -> None:
    """A cart's quote reads through its session (the dealer, its documents) and then on the driver (the pricing
    version, the balances): on the connection the session holds, not on a second one. With the pool given out
    to units each holding one and each waiting for another, all would wait until the pool's timeout (50 chats
    confirming at once: bench/webhook.py); here a pool of one connection must do."""
    engine = build_engine(pg_db.url, search_path=pg_db.search_path, pool_size=1, max_overflow=0)
    try:
        chat = await hot_scene(engine, build_session_factory(engine), fixed_clock())
        for n in range(3):
            replies = await asyncio.wait_for(chat.send(f"cart {n}", DEALER, InboundKind.TEXT, text="AP300 来两台"), 10)
            assert "AP300" in texts(replies) and "出了点问题" not in texts(replies)
    finally:
        await engine.dispose()


async def test_a_read_in_a_transaction_sees_what_the_unit_wrote_and_no_more(pg_engine: AsyncEngine) -> None:
    """A unit in a transaction reads on the driver once its transaction runs, on that transaction's connection:
    it sees its own entries before commit, and a rollback takes them away."""
    sent: list[str] = []

    def watch(pool: object, sql: str, in_transaction: bool) -> None:
        sent.append(sql)

    async with _uow(pg_engine) as uow:
        dealer = await uow.dealers.add(make_dealer(code="DRV1"))
        assert dealer.id is not None
        await uow.ledger.add(LedgerEntry(dealer_id=dealer.id, account=AccountKind.PREPAYMENT,
                                         amount=Decimal("100.00"), kind=EntryKind.PAYMENT))
        driver.WATCHERS.append(watch)
        try:
            inside = await uow.balances(dealer.id)
        finally:
            driver.WATCHERS.remove(watch)
        await uow.rollback()
    assert inside.prepayment == Decimal("100.00") and any("ledger_entries" in s for s in sent)
    async with _uow(pg_engine) as after:
        assert (await after.balances(dealer.id)).prepayment == 0


async def test_available_units_summed_by_the_database_as_objects_summed_them(pg_engine: AsyncEngine) -> None:
    async with _uow(pg_engine) as uow:
        one = await uow.warehouses.add(Warehouse(code="A1", name="一号仓", region="华东"))
        two = await uow.warehouses.add(Warehouse(code="A2", name="二号仓", region="华北"))
        await uow.flush()
        assert one.id is not None and two.id is not None
        for wh, sku, on_hand, reserved in ((one.id, "AP300", 50, 8), (two.id, "AP300", 3, 10),   # oversold: 0
                                           (one.id, "DH20", 0, 0), (two.id, "DH20", 7, 2), (two.id, "XX9", 5, 0)):
            await uow.stock.add(StockLevel(warehouse_id=wh, sku=sku, on_hand=on_hand, reserved=reserved))
        await uow.commit()
    skus = ["AP300", "DH20", "NONE"]
    async with _uow(pg_engine).autocommit() as fast:
        summed = await fast.available_by_sku(skus)
        in_one = await fast.available_by_sku(skus, one.id)
    async with _uow(pg_engine) as slow:         # the port's own way: every row as an object
        expected = await AbstractUnitOfWork.available_by_sku(slow, skus)
        expected_one = await AbstractUnitOfWork.available_by_sku(slow, skus, one.id)
    assert summed == expected == {"AP300": 42, "DH20": 5}
    assert in_one == expected_one == {"AP300": 42, "DH20": 0}


async def test_an_overflow_connection_given_back_is_closed(pg_db: Database,
                                                           caplog: pytest.LogCaptureFixture) -> None:
    """A connection beyond the pool's size is closed when given back, and closing awaits the driver: the driver's
    statements give theirs back in a greenlet (outside one SQLAlchemy logged "Exception closing connection"
    (MissingGreenlet) and the connection stayed open on the server)."""
    name = f"dms-overflow-{os.getpid()}"
    engine = create_async_engine(pg_db.url, pool_size=1, max_overflow=2,
                                 connect_args={"server_settings": {"application_name": name}})
    count = text("SELECT count(*) FROM pg_stat_activity WHERE application_name = :name")
    observer = build_engine(pg_db.url, search_path=pg_db.search_path, pool_size=1, max_overflow=0)
    try:
        caplog.set_level("ERROR")
        await asyncio.gather(*(driver.fetch(engine, text("SELECT pg_sleep(0.2)"), {}) for _ in range(3)))
        assert engine.sync_engine.pool.checkedout() == 0
        await asyncio.sleep(0.2)                # the server sees a closed connection go at once
        async with observer.connect() as conn:
            open_ = (await conn.execute(count, {"name": name})).scalar_one()
        assert open_ == 1                       # the pool keeps one; the two extra ones are gone
        assert not [r for r in caplog.records if "closing connection" in r.getMessage()]
    finally:
        await engine.dispose()
        await observer.dispose()


async def test_a_unit_that_sent_everything_on_the_driver_neither_commits_nor_closes_its_session(
        pg_engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch) -> None:
    """A stock query's two units send their statements on the driver (the receipt with the dialog, the stock):
    the session's commit and close had nothing to do and cost a greenlet switch each. A unit that did use its
    session still commits and closes it."""
    from sqlalchemy.ext.asyncio import AsyncSession

    called: list[str] = []
    for name in ("commit", "close"):
        real = getattr(AsyncSession, name)

        async def spy(self: AsyncSession, _real: object = real, _name: str = name) -> None:
            called.append(_name)
            await _real(self)  # type: ignore[operator]

        monkeypatch.setattr(AsyncSession, name, spy)
    uow = _uow(pg_engine).autocommit()
    async with uow:
        dialog, _ = await uow.receipt_and_dialog(InboundReceipt(channel="telegram", key="untouched-1",
                                                                received_at=fixed_clock().now()), "telegram", "1")
        assert dialog is None
        await uow.warehouse_stock("AP300")
        await uow.commit()
    assert called == []
    async with uow:         # a second receipt of that key: a conflict, as before
        with pytest.raises(Conflict):
            await uow.receipt_and_dialog(InboundReceipt(channel="telegram", key="untouched-1",
                                                        received_at=fixed_clock().now()), "telegram", "1")
    async with _uow(pg_engine) as uow:
        dealer = await uow.dealers.add(make_dealer(code="UNT1"))
        await uow.commit()
    assert called == ["commit", "close"] and dealer.id is not None     # the session still holds the dealer
    async with _uow(pg_engine) as uow:
        assert [d.code for d in await uow.dealers.list()] == ["UNT1"]
