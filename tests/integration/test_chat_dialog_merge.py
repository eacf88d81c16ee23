"""Two messages of one chat handled at once by two processes (two web processes behind one webhook): the one that
finishes last writes the dialog over the other's only where it changed something itself, so a cart made meanwhile is
not lost (before: last writer wins, and the cart's 确认下单 answered "这个购物车已失效"). On SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.clock import SHANGHAI, Clock
from core.dialogs import DialogState, merged
from core.inventory import StockLevel
from core.users import ChatIdentity, Role, User
from handlers.app import build_conversation
from handlers.catalogue import CatalogueCache
from handlers.context import Deps
from handlers.messages import Inbound, InboundKind
from handlers.service import ConversationService
from nlu.offline import OfflineParser
from storage.uow import SqlAlchemyUnitOfWork
from tests.chat import buttons, texts
from tests.factories import at, make_dealer, make_product, make_valid_documents, make_warehouse, payment


def test_merge_writes_only_what_this_update_changed() -> None:
    before = ("", {"shown": {"a": 1}, "pages": 1, "gone": True}, "", "zh-CN")
    after = DialogState(channel="t", chat_id="c", state="", data={"shown": {"b": 2}, "pages": 1}, language="",
                        written_language="zh-CN")
    stored = DialogState(channel="t", chat_id="c", state="order.cart", data={"cart": [1], "shown": {"x": 0},
                                                                           "pages": 7, "gone": True})
    merged(stored, before, after)
    # its own change (shown) and removal (gone) written; the other's cart, state and page kept
    assert (stored.state, stored.data) == ("order.cart", {"cart": [1], "shown": {"b": 2}, "pages": 7})


async def test_two_processes_one_chat_the_cart_survives(session_factory: async_sessionmaker[AsyncSession]) -> None:
    moments = [at("2026-11-26 10:00")]
    clock = Clock(SHANGHAI, lambda: moments[-1])

    def uow_factory() -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(session_factory)

    async with uow_factory() as uow:
        dealer = await uow.dealers.add(make_dealer(code="DM1"))
        assert dealer.id is not None
        for q in make_valid_documents(dealer.id):
            await uow.qualifications.add(q)
        await uow.ledger.add(payment(dealer.id, "100000.00"))
        user = await uow.users.add(User(username="dm1", display_name="店主", role=Role.DEALER_OWNER,
                                        dealer_id=dealer.id))
        assert user.id is not None
        await uow.identities.add(ChatIdentity(channel="telegram", external_id="dm-1", user_id=user.id))
        wh = await uow.warehouses.add(make_warehouse("WH-SH", region="华东"))
        assert wh.id is not None
        await uow.products.add(make_product("AP300", name="空气净化器AP300", unit="台", list_price=Decimal("1999.00")))
        await uow.stock.add(StockLevel(warehouse_id=wh.id, sku="AP300", on_hand=500))
        await uow.commit()

    def process() -> ConversationService:
        return build_conversation(Deps(uow_factory=uow_factory, clock=clock, parser=OfflineParser(),
                                       catalogue=CatalogueCache(0)))

    updates = iter(range(1, 100))

    def text(words: str) -> Inbound:
        return Inbound(channel="telegram", chat_id="dm-1", user_id="dm-1", kind=InboundKind.TEXT, text=words,
                       update_id=f"dm-{next(updates)}")

    first, second = process(), process()
    earlier = await first.handle(text("AP300 来一台"))      # an order of before: "我的订单" lists it with buttons
    pressed = next(payload for label, payload in buttons(earlier).items() if "确认下单" in label)
    assert "订单已提交" in texts(await first.handle(Inbound(channel="telegram", chat_id="dm-1", user_id="dm-1",
                                                        kind=InboundKind.BUTTON, payload=pressed,
                                                        update_id="dm-earlier")))
    # ten minutes on, the first process reads the dialog for "我的订单" (a message that changes nothing in it, written
    # back to say the chat was seen now), then waits while the second makes a cart
    moments.append(moments[-1] + timedelta(minutes=10))
    held, go_on = asyncio.Event(), asyncio.Event()
    route = first._route

    async def slow_route(ctx: Any) -> Any:
        replies = await route(ctx)
        held.set()
        await go_on.wait()
        return replies

    first._route = slow_route  # type: ignore[method-assign]
    status = asyncio.create_task(first.handle(text("我的订单")))
    await asyncio.wait_for(held.wait(), 30)
    cart = await second.handle(text("AP300 来两台"))
    confirm = next(payload for label, payload in buttons(cart).items() if "确认下单" in label)
    go_on.set()
    assert "订单" in texts(await asyncio.wait_for(status, 30))

    done = await second.handle(Inbound(channel="telegram", chat_id="dm-1", user_id="dm-1", kind=InboundKind.BUTTON,
                                       payload=confirm, update_id="dm-press"))
    assert "订单已提交" in texts(done), texts(done)
    async with uow_factory() as uow:
        orders = await uow.orders.list(dealer_id=dealer.id)
    assert sorted((o.lines[0].sku, o.lines[0].qty) for o in orders) == [("AP300", 1), ("AP300", 2)]
