"""Two runs issuing the same month at the same moment (the scheduled check and a person with ``dms statements
issue``, or two schedulers for a moment) on SQLite and PostgreSQL: one statement per dealer and month, the
other run says it was issued already."""

from __future__ import annotations

import asyncio
from datetime import datetime
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.accounts import AccountKind, EntryKind, LedgerEntry
from core.clock import SHANGHAI, Clock
from core.dealers import DealerStatus
from core.services.statements import IssueStatements, issue_statements
from core.users import Actor
from storage.uow import SqlAlchemyUnitOfWork
from tests.factories import make_dealer


async def test_one_statement_per_dealer_and_month_when_two_runs_race(
        session_factory: async_sessionmaker[AsyncSession]) -> None:
    uow = SqlAlchemyUnitOfWork(session_factory)
    async with uow:
        dealer = await uow.dealers.add(make_dealer(status=DealerStatus.ACTIVE))
        await uow.flush()
        await uow.ledger.add(LedgerEntry(dealer_id=dealer.id or 0, account=AccountKind.PREPAYMENT,
                                         amount=Decimal("1000.00"), kind=EntryKind.PAYMENT, ref="B-1",
                                         created_by="staff:wu", created_at=datetime(2026, 11, 8, tzinfo=SHANGHAI)))
        await uow.commit()
    clock = Clock.fixed(datetime(2026, 12, 3, 9, 20, tzinfo=SHANGHAI))

    def factory() -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(session_factory)

    runs = await asyncio.gather(*(issue_statements(factory, Actor.system(), IssueStatements(period="2026-11"), clock)
                                  for _ in range(2)))
    assert sum(len(r.issued) for r in runs) == 1
    assert [why for r in runs for _, why in r.skipped] == ["exists"]
    async with uow:
        assert len(await uow.statements.list(dealer_id=dealer.id)) == 1
        assert len(await uow.outbox.list(kind="statement.issued")) == 0      # no owner yet: nobody to tell
