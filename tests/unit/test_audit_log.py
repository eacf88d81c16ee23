"""Audit-log query: AUDIT_READ only, filters and paging, no way to change entries."""

from __future__ import annotations

import inspect

import pytest

from core.audit import AuditEntry
from core.errors import PermissionDenied, ValidationFailed
from core.services import audit_log
from core.services.audit_log import count_audit, list_audit
from core.users import Actor, Role
from tests.factories import at, dealer_user, staff
from tests.fakes import FakeUnitOfWork

BOSS = staff(Role.MANAGEMENT, "boss")


@pytest.fixture
async def uow() -> FakeUnitOfWork:
    uow = FakeUnitOfWork()
    for actor, action, entity, entity_id, when in [
        ("staff:wang", "ticket.create", "ticket", "AS-20261120-0001", "2026-11-20 09:00"),
        ("staff:wang", "ticket.accept", "ticket", "AS-20261120-0001", "2026-11-21 09:00"),
        ("dealer:1:li", "order.submit", "order", "SO-20261121-0001", "2026-11-21 10:00"),
        ("staff:mei", "campaign.launch", "campaign", "C2611", "2026-11-22 09:00"),
        ("staff:wang", "ticket.resolve", "ticket", "AS-20261120-0001", "2026-11-23 09:00"),
    ]:
        await uow.audit.add(AuditEntry(actor=actor, action=action, entity=entity, entity_id=entity_id, at=at(when)))
    await uow.commit()
    return uow


async def test_newest_first(uow: FakeUnitOfWork) -> None:
    entries = await list_audit(uow, BOSS)
    assert [e.action for e in entries] == ["ticket.resolve", "campaign.launch", "order.submit", "ticket.accept",
                                           "ticket.create"]


async def test_filters(uow: FakeUnitOfWork) -> None:
    tickets = await list_audit(uow, BOSS, entity="ticket", entity_id="AS-20261120-0001")
    assert [e.action for e in tickets] == ["ticket.resolve", "ticket.accept", "ticket.create"]
    recent = await list_audit(uow, BOSS, since=at("2026-11-21 10:00"))
    assert [e.action for e in recent] == ["ticket.resolve", "campaign.launch", "order.submit"]
    assert [e.action for e in await list_audit(uow, BOSS, by="staff:mei")] == ["campaign.launch"]
    assert await list_audit(uow, BOSS, entity="dealer") == []
    assert await count_audit(uow, BOSS, entity="ticket") == 3
    assert await count_audit(uow, BOSS) == 5


async def test_paging(uow: FakeUnitOfWork) -> None:
    page2 = await list_audit(uow, BOSS, limit=2, offset=2)
    assert [e.action for e in page2] == ["order.submit", "ticket.accept"]
    for limit, offset in [(0, 0), (501, 0), (10, -1)]:
        with pytest.raises(ValidationFailed):
            await list_audit(uow, BOSS, limit=limit, offset=offset)


async def test_naive_since_refused(uow: FakeUnitOfWork) -> None:
    with pytest.raises(ValidationFailed):
        await list_audit(uow, BOSS, since=at().replace(tzinfo=None))


@pytest.mark.parametrize("actor", [
    staff(Role.AFTER_SALES), staff(Role.FINANCE), staff(Role.MARKETING), dealer_user(1), Actor.anonymous(),
])
async def test_only_audit_readers(uow: FakeUnitOfWork, actor: Actor) -> None:
    with pytest.raises(PermissionDenied):
        await list_audit(uow, actor)
    with pytest.raises(PermissionDenied):
        await count_audit(uow, actor)


async def test_admin_and_system_may_read(uow: FakeUnitOfWork) -> None:
    assert len(await list_audit(uow, staff(Role.ADMIN))) == 5
    assert len(await list_audit(uow, Actor.system())) == 5


def test_module_offers_no_way_to_edit_or_delete_entries() -> None:
    public = {name for name, obj in vars(audit_log).items()
              if not name.startswith("_") and inspect.isfunction(obj) and obj.__module__ == audit_log.__name__}
    assert public == {"list_audit", "count_audit"}
    for name, obj in vars(audit_log).items():
        if inspect.isfunction(obj) and obj.__module__ == audit_log.__name__:
            assert not any(word in name for word in ("delete", "remove", "update", "edit", "purge", "add", "write"))
            source = inspect.getsource(obj)
            assert "audit.delete" not in source and "audit.add" not in source
