"""The hot paths of a chat update, set up once: a warehouse with two products in stock, a dealer with valid
documents, its owner bound in Telegram chat ``DEALER`` and a channel manager in chat ``MANAGER``; ``Chat`` sends
updates through the real conversation and keeps what each one cost (``tests.statements``).

Used by the statement budget (tests/integration/test_statement_budget.py) and by bench/update_profile.py.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from core.clock import Clock
from core.inventory import StockLevel
from core.users import ChatIdentity, Role, User
from handlers.app import build_conversation
from handlers.catalogue import CatalogueCache
from handlers.context import Deps
from handlers.messages import Inbound, InboundKind, Reply
from handlers.service import ConversationService
from nlu.offline import OfflineParser
from storage.engine import build_session_factory
from storage.uow import SqlAlchemyUnitOfWork
from tests.factories import make_dealer, make_product, make_valid_documents, make_warehouse
from tests.statements import Seen, count_statements

DEALER, MANAGER = "7001", "7002"


class Chat:
    """``counting``: each update's statements kept in ``seen`` (the budget); off, updates go straight to the
    service (bench/update_profile.py: the listeners added and removed per update were 9% of a stock query's CPU,
    a cost no production update pays)."""

    def __init__(self, service: ConversationService, engine: AsyncEngine, *more: AsyncEngine) -> None:
        self.service, self.engine, self.more, self.n = service, engine, more, 0
        self.seen: dict[str, Seen] = {}
        self.counting = True

    async def send(self, name: str, chat: str, kind: InboundKind, **kw: object) -> list[Reply]:
        self.n += 1
        inbound = Inbound(channel="telegram", chat_id=chat, user_id=chat, kind=kind, update_id=f"sb-{self.n}",
                          **kw)  # type: ignore[arg-type]
        if not self.counting:
            return await self.service.handle(inbound)
        with count_statements(self.engine, *self.more) as seen:
            replies = await self.service.handle(inbound)
        self.seen[name] = seen
        return replies


async def hot_scene(engine: AsyncEngine, session_factory: async_sessionmaker[AsyncSession],
                    clock: Clock, counter: AsyncEngine | None = None) -> Chat:
    """``counter``: the pool order numbers are taken on (PostgreSQL: ``storage.engine.build_counter_engine``)."""
    autocommit_factory = build_session_factory(engine, autocommit=True)
    counter_factory = build_session_factory(counter, autocommit=True) if counter is not None else None

    def uow_factory() -> SqlAlchemyUnitOfWork:      # as bot/bootstrap.py builds them
        return SqlAlchemyUnitOfWork(session_factory, autocommit_factory, counter_factory)

    async with uow_factory() as uow:
        wh = await uow.warehouses.add(make_warehouse("WH-SB", region="华东"))
        await uow.flush()
        for sku, name, aliases, unit, price in (("AP300", "空气净化器AP300", ["净化器300"], "台", "1999.00"),
                                                ("DH20", "除湿机DH20", ["除湿机"], "台", "1599.00")):
            await uow.products.add(make_product(sku, name=name, aliases=aliases, unit=unit,
                                                list_price=Decimal(price)))
            await uow.stock.add(StockLevel(warehouse_id=wh.id, sku=sku, on_hand=500))  # type: ignore[arg-type]
        dealer = await uow.dealers.add(make_dealer(code="SB1"))
        await uow.flush()
        for q in make_valid_documents(dealer.id):  # type: ignore[arg-type]
            await uow.qualifications.add(q)
        for chat, role, dealer_id in ((DEALER, Role.DEALER_OWNER, dealer.id), (MANAGER, Role.CHANNEL_MANAGER, None)):
            user = await uow.users.add(User(username=f"sb{chat}", display_name=f"用户{chat}", role=role,
                                            dealer_id=dealer_id))
            await uow.flush()
            await uow.identities.add(ChatIdentity(channel="telegram", external_id=chat, user_id=user.id))  # type: ignore[arg-type]
        await uow.commit()
    # the catalogue cached as in production, where it is read once per 15 s, not per update; here for the whole
    # run, so a slow machine (the first parse trains the classifier) does not see it expire between two updates
    service = build_conversation(Deps(uow_factory=uow_factory, clock=clock, parser=OfflineParser(),
                                      catalogue=CatalogueCache(3600)))
    return Chat(service, engine, *([counter] if counter is not None else []))


