"""Chat updates arriving at once on the real databases: a delivery repeated concurrently is handled exactly
once (the unique receipt decides), distinct ones all get their answer, none meets a lock error."""

from __future__ import annotations

import asyncio

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.users import ChatIdentity, Role, User
from handlers.app import build_conversation
from handlers.catalogue import CatalogueCache
from handlers.context import Deps
from handlers.messages import Inbound, InboundKind
from nlu.offline import OfflineParser
from storage.uow import SqlAlchemyUnitOfWork
from tests.factories import fixed_clock, make_dealer


async def test_concurrent_deliveries_once_each_and_no_lock_errors(
        session_factory: async_sessionmaker[AsyncSession]) -> None:
    clock = fixed_clock()

    def uow_factory() -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(session_factory)

    async with uow_factory() as uow:
        dealer = await uow.dealers.add(make_dealer(code="RC1"))
        assert dealer.id is not None
        users = []
        for n in range(6):
            user = await uow.users.add(User(username=f"rc{n}", display_name=f"用户{n}", role=Role.DEALER_OWNER,
                                            dealer_id=dealer.id))
            assert user.id is not None
            await uow.identities.add(ChatIdentity(channel="telegram", external_id=f"rc-{n}", user_id=user.id))
            users.append(user)
        await uow.commit()
    service = build_conversation(Deps(uow_factory=uow_factory, clock=clock, parser=OfflineParser(),
                                      catalogue=CatalogueCache(0)))

    def update(chat: str, update_id: str) -> Inbound:
        return Inbound(channel="telegram", chat_id=chat, user_id=chat, kind=InboundKind.COMMAND, text="/help",
                       command="help", update_id=update_id)

    repeated = [update("rc-0", "rc-same") for _ in range(6)]
    distinct = [update(f"rc-{n}", f"rc-{n}-own") for n in range(6)]
    answers = await asyncio.wait_for(asyncio.gather(*(service.handle(i) for i in repeated + distinct)), 60)
    handled_repeats = [a for a in answers[:6] if a]
    assert len(handled_repeats) == 1                       # one of the six copies, whichever came first
    assert all(answers[6:]), "a distinct update went unanswered"
    texts = [r.text for a in answers for r in a]
    assert not any("出了点问题" in t for t in texts), texts   # no lock error turned into an apology
    async with uow_factory() as uow:
        keys = sorted(r.key for r in await uow.receipts.list(key__contains="rc-"))
    assert keys == sorted(["telegram:rc-same"] + [f"telegram:rc-{n}-own" for n in range(6)])
