"""Who speaks in a chat is kept per process (``handlers.service.SpeakerCache``) only while the ``actors`` version it
was read with stands: a change to a user, a chat identity or a dealer alias, made anywhere (another process, the
admin, the CLI), bumps the version in its own transaction, and the next update of every chat reads it with the
dialog. Two conversation services on one database stand for two web processes."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from core.services.aliases import LearnAlias, learn_alias
from core.services.users import deactivate_user
from core.users import Actor
from handlers.app import build_conversation
from handlers.catalogue import CatalogueCache
from handlers.context import Deps
from handlers.messages import InboundKind
from nlu.offline import OfflineParser
from storage.uow import SqlAlchemyUnitOfWork
from tests.chat import texts
from tests.factories import fixed_clock
from tests.hot_paths import DEALER, Chat, hot_scene
from tests.statements import count_statements


async def test_a_deactivated_user_is_a_stranger_at_once_in_every_process(
        engine: AsyncEngine, session_factory: async_sessionmaker[AsyncSession]) -> None:
    clock = fixed_clock()
    first = await hot_scene(engine, session_factory, clock)

    def uow_factory() -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(session_factory)

    second = Chat(build_conversation(Deps(uow_factory=uow_factory, clock=clock, parser=OfflineParser(),
                                          catalogue=CatalogueCache(3600))), engine)
    second.n = 10_000                                   # its own update ids (a repeated id is a re-delivery)
    for chat in (first, second, first, second):       # both processes now keep the dealer's user
        assert "AP300" in texts(await chat.send("stock", DEALER, InboundKind.TEXT, text="AP300 有货吗"))
    with count_statements(engine) as seen:
        await first.send("kept", DEALER, InboundKind.TEXT, text="AP300 有货吗")
    assert not [s for s in seen.sql if "FROM users" in s]          # the copy was used

    async with uow_factory() as uow:
        user = await uow.users.get_by(username=f"sb{DEALER}")
        assert user is not None and user.id is not None
    await deactivate_user(uow_factory(), Actor.system(), user.id, clock)

    for chat in (first, second):
        replies = texts(await chat.send("after", DEALER, InboundKind.TEXT, text="AP300 有货吗"))
        assert "AP300" not in replies and ("绑定" in replies or "邀请码" in replies), replies


async def test_a_word_a_dealer_taught_in_one_process_is_understood_in_the_other(
        engine: AsyncEngine, session_factory: async_sessionmaker[AsyncSession]) -> None:
    clock = fixed_clock()
    chat = await hot_scene(engine, session_factory, clock)

    def uow_factory() -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(session_factory)

    for _ in range(2):                                   # the dealer's words are kept (none yet)
        assert "空气净化器" not in texts(await chat.send("before", DEALER, InboundKind.TEXT, text="小白净 有货吗"))
    async with uow_factory() as uow:
        user = await uow.users.get_by(username=f"sb{DEALER}")
        assert user is not None and user.dealer_id is not None
    learned = await learn_alias(uow_factory(), Actor.system(), LearnAlias(dealer_id=user.dealer_id, word="小白净",
                                                                           sku="AP300"), clock)
    assert learned is not None
    assert "空气净化器" in texts(await chat.send("after", DEALER, InboundKind.TEXT, text="小白净 有货吗"))
