"""The statement budget of a chat update on the real databases (SQLite and PostgreSQL).

Every update of every dealer pays these statements, so a change that adds one to a hot path fails here and
has to say why (raise the budget in the same commit, with the reason). Counted with ``tests.statements``
(``before_cursor_execute``): statements, commits and round trips of one update, seen from the engine.
The budgets are the counts reached (issue 18); the counts before that work are in the README speed section.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from core.clock import Clock
from core.inventory import StockLevel
from core.users import ChatIdentity, Role, User
from handlers.app import build_conversation
from handlers.catalogue import CatalogueCache
from handlers.context import Deps
from handlers.messages import Inbound, InboundKind, Reply
from handlers.router import payload
from handlers.service import ConversationService
from nlu.offline import OfflineParser
from storage.uow import SqlAlchemyUnitOfWork
from tests.chat import buttons, texts
from tests.factories import fixed_clock, make_dealer, make_product, make_valid_documents, make_warehouse
from tests.statements import Seen, count_statements

DEALER, MANAGER = "7001", "7002"

#: (statements, commits, round trips) per update, on either database: the most a hot path may cost.
#: SQLite sends one statement more per writing unit of work (``UPDATE sequences ... WHERE 1 = 0`` takes the
#: write lock first); round trips count the rollback that ends a read-only unit of work.
BUDGET = {
    "stock query": (8, 1, 11),
    "order status": (7, 1, 9),
    "add to cart": (18, 2, 24),
    "confirm": (26, 3, 30),
    "approve": (21, 3, 26),
}


class Chat:
    def __init__(self, service: ConversationService, engine: AsyncEngine) -> None:
        self.service, self.engine, self.n = service, engine, 0
        self.seen: dict[str, Seen] = {}

    async def send(self, name: str, chat: str, kind: InboundKind, **kw: object) -> list[Reply]:
        self.n += 1
        inbound = Inbound(channel="telegram", chat_id=chat, user_id=chat, kind=kind, update_id=f"sb-{self.n}",
                          **kw)  # type: ignore[arg-type]
        with count_statements(self.engine) as seen:
            replies = await self.service.handle(inbound)
        self.seen[name] = seen
        return replies


async def _scene(engine: AsyncEngine, session_factory: async_sessionmaker[AsyncSession],
                 clock: Clock) -> Chat:
    def uow_factory() -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(session_factory)

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
    # the catalogue cache as in production (15 s): reference data is read once per period, not per update
    service = build_conversation(Deps(uow_factory=uow_factory, clock=clock, parser=OfflineParser(),
                                      catalogue=CatalogueCache(15)))
    return Chat(service, engine)


async def test_the_hot_paths_keep_their_statement_budget(
        engine: AsyncEngine, session_factory: async_sessionmaker[AsyncSession]) -> None:
    chat = await _scene(engine, session_factory, fixed_clock())
    # warm up: first dialog row, catalogue cache, classifier
    assert "AP300" in texts(await chat.send("warm", DEALER, InboundKind.TEXT, text="AP300 有货吗"))

    assert "AP300" in texts(await chat.send("stock query", DEALER, InboundKind.TEXT, text="AP300 有货吗"))
    cart = await chat.send("add to cart", DEALER, InboundKind.TEXT, text="AP300 来两台")
    confirm = next(p for p in buttons(cart).values() if "order.confirm" in p)
    done = texts(await chat.send("confirm", DEALER, InboundKind.BUTTON, payload=confirm))
    number = next(w for w in done.replace("：", " ").replace("，", " ").split() if w.startswith("SO"))
    status = texts(await chat.send("order status", DEALER, InboundKind.COMMAND, text="/orders", command="orders",
                                   args=""))
    assert number in status
    approved = texts(await chat.send("approve", MANAGER, InboundKind.BUTTON,
                                     payload=payload("staff.order.approve", number)))
    assert number in approved

    report = "\n".join(f"{name}: {seen.report()}" for name, seen in chat.seen.items())
    print(report)
    for name, (statements, commits, round_trips) in BUDGET.items():
        seen = chat.seen[name]
        assert seen.statements <= statements, f"{name} over budget\n{report}"
        assert seen.commits <= commits, f"{name} over budget\n{report}"
        assert seen.round_trips <= round_trips, f"{name} over budget\n{report}"
        assert seen.commits >= 1                            # every update writes its delivery receipt



async def test_the_counter_sees_statements_commits_and_rollbacks(engine: AsyncEngine) -> None:
    with count_statements(engine) as seen:
        async with engine.begin() as conn:
            await conn.execute(text("SELECT 1"))
            await conn.execute(text("SELECT 2"))
        async with engine.connect() as conn:
            await conn.execute(text("SELECT 3"))
            await conn.rollback()
    assert (seen.statements, seen.commits, seen.rollbacks, seen.round_trips) == (2 + 1, 1, 1, 5)
    assert seen.writes == 0 and "SELECT 3" in seen.report()
    with count_statements(engine) as after:
        pass
    assert after.statements == 0                      # listeners removed with the block
