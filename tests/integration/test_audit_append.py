"""An audit entry written in one INSERT (``uow.append_audit``, behind ``core.auditing.record``) on the real
databases: the row as the ORM wrote it (its id set, times aware, Chinese JSON kept), part of the unit's transaction
(a rollback takes it away with the change it records)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.auditing import record
from core.users import Actor
from storage.uow import SqlAlchemyUnitOfWork
from tests.factories import fixed_clock


async def test_an_audit_entry_is_one_insert_in_the_units_transaction(
        session_factory: async_sessionmaker[AsyncSession]) -> None:
    clock = fixed_clock()
    async with SqlAlchemyUnitOfWork(session_factory) as uow:
        kept = await record(uow, Actor.system(), "order.submit", "order", "SO-20261126-0001", clock,
                            after={"备注": "下周三到", "lines": [{"sku": "AP300", "qty": 20}]})
        await uow.commit()
    async with SqlAlchemyUnitOfWork(session_factory) as uow:
        await record(uow, Actor.system(), "order.cancel", "order", "SO-20261126-0001", clock, before={"x": 1})
        await uow.rollback()
    async with SqlAlchemyUnitOfWork(session_factory) as uow:
        rows = await uow.audit.list()
    assert kept.id is not None and [r.id for r in rows] == [kept.id]          # the rolled-back one is gone
    assert (rows[0].action, rows[0].entity_id, rows[0].after) == \
        ("order.submit", "SO-20261126-0001", {"备注": "下周三到", "lines": [{"sku": "AP300", "qty": 20}]})
    assert rows[0].at == clock.now() and rows[0].at.utcoffset() is not None
