"""Two rebate proposal runs on one contract at the same moment (finance's button and the command, or two
people), on SQLite and PostgreSQL: each target is proposed once, never twice (the contract row is locked
while a run reads what was settled and proposes)."""

from __future__ import annotations

import asyncio
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.clock import SHANGHAI, Clock
from core.contracts import Contract, ContractStatus, RebateTier, SalesTarget, TargetMetric
from core.errors import DomainError
from core.orders import Order, OrderLine, OrderStatus
from core.services.rebates import propose_settlements
from core.users import Actor
from storage.uow import SqlAlchemyUnitOfWork
from tests.factories import make_dealer, make_product


async def test_two_runs_at_once_propose_each_target_once(session_factory: async_sessionmaker[AsyncSession]) -> None:
    uow = SqlAlchemyUnitOfWork(session_factory)
    async with uow:
        dealer = await uow.dealers.add(make_dealer())
        await uow.products.add(make_product("RC-AP", category="净化器"))
        await uow.products.add(make_product("RC-DH", category="除湿机"))
        await uow.flush()
        contract = await uow.contracts.add(Contract(
            number="HT-20261001-0091", dealer_id=dealer.id or 0, starts_on=date(2026, 10, 1),
            ends_on=date(2026, 10, 31), status=ContractStatus.EXPIRED,
            rebate_tiers=[RebateTier(Decimal("0.8"), Decimal("0.02"))],
            targets=[SalesTarget("2026-10", TargetMetric.AMOUNT, Decimal("10000.00")),
                     SalesTarget("2026-10", TargetMetric.AMOUNT, Decimal("2000.00"), product_group="除湿机")]))
        await uow.orders.add(Order(
            number="SO-20261015-0091", dealer_id=dealer.id or 0, status=OrderStatus.RECEIVED,
            total=Decimal("12000.00"), created_at=datetime(2026, 10, 15, 10, 0, tzinfo=SHANGHAI),
            lines=[OrderLine("RC-AP", "净化器", 5, Decimal("2000.00")), OrderLine("RC-DH", "除湿机", 2, Decimal("1000.00"))]))
        await uow.commit()
    clock = Clock.fixed(datetime(2026, 11, 3, 9, 0, tzinfo=SHANGHAI))

    async def run() -> int:
        try:
            return len(await propose_settlements(SqlAlchemyUnitOfWork(session_factory), Actor.system(),
                                                 contract.id or 0, clock))
        except DomainError:          # the database refused the second writer (SQLite): nothing proposed twice
            return 0

    counts = await asyncio.gather(run(), run())
    async with uow:
        rows = await uow.rebate_settlements.list(contract_id=contract.id, order_by="id")
    assert sorted((r.target_key, r.amount) for r in rows) == [
        ("2026-10|amount|*", Decimal("240.00")), ("2026-10|amount|除湿机", Decimal("40.00"))]
    assert sorted(counts) == [0, 2]
