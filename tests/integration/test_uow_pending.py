"""``SqlAlchemyUnitOfWork._pending`` (asked before every statement sent past the session) says what
``session.new or session.dirty or session.deleted`` says, without building the three sets (issue 18: ``dirty``
went through every object the session holds, about 40 times per cart + confirm)."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from storage.uow import SqlAlchemyUnitOfWork
from tests.factories import make_dealer


def _by_sets(uow: SqlAlchemyUnitOfWork) -> bool:
    session = uow.session
    return bool(session.new or session.dirty or session.deleted)


async def test_pending_says_what_the_three_sets_say(uow: SqlAlchemyUnitOfWork) -> None:
    async with uow:
        assert uow._pending() is _by_sets(uow) is False
        dealer = await uow.dealers.add(make_dealer(code="PND1"))          # added and flushed (ids given)
        assert uow._pending() is _by_sets(uow)
        await uow.commit()
    async with uow:
        loaded = await uow.dealers.get(dealer.id)
        assert loaded is not None
        assert uow._pending() is _by_sets(uow) is False                 # loaded, untouched
        loaded.name = "改过的名字"
        assert uow._pending() is _by_sets(uow) is True                  # changed
        await uow.flush()
        assert uow._pending() is _by_sets(uow) is False
        uow.session.add(make_dealer(code="PND2"))
        assert uow._pending() is _by_sets(uow) is True                  # new
        await uow.flush()
        await uow.session.delete(loaded)
        assert uow._pending() is _by_sets(uow) is True                  # deleted
        await uow.rollback()
        assert uow._pending() is _by_sets(uow) is False


async def test_pending_builds_none_of_the_sets(uow: SqlAlchemyUnitOfWork, monkeypatch: pytest.MonkeyPatch) -> None:
    async with uow:
        loaded = await uow.dealers.add(make_dealer(code="PND3"))
        for name in ("new", "dirty", "deleted"):
            monkeypatch.setattr(Session, name, property(lambda s, n=name: pytest.fail(f"session.{n} built")))
        loaded.name = "又改了"
        assert uow._pending() is True
