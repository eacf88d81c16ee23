"""Chat fuzzing over the Telegram webhook (real HTTP, the real secret, the app built by ``bot.bootstrap``).

Hypothesis generates updates a buggy client or an attacker could send: wrong types, missing fields, huge
texts, odd Unicode (RTL marks, zero-width joiners, emoji, lone surrogates), unknown and forged callback data.
The webhook must answer every one without a 5xx, the bot must never act on them (orders unchanged), and a
normal message afterwards must still get an answer. Forged buttons naming another dealer's order are tried
for every button action the handlers register.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest_asyncio
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.orders import Order, OrderEvent, OrderLine, OrderStatus
from tests.e2e.conftest import NOW
from tests.e2e.fuzz_strategies import callback, huge_text, json_junk, message, odd_text
from tests.e2e.telegram_standin import (
    BotWorld,
    TelegramStandIn,
    add_dealer,
    invite,
    seed_catalogue,
    start_bot,
)

OWN_CHAT = 1001
OTHER_ORDER = "SO-20261126-0002"





updates = st.one_of(
    st.builds(lambda t: {"message": message(OWN_CHAT, t)}, odd_text),
    st.builds(lambda t: {"message": message(OWN_CHAT, t)}, huge_text),
    st.builds(lambda t: {"message": message(OWN_CHAT, t)}, json_junk),                  # text of a wrong type
    st.builds(lambda c: {"message": message(c, "/help")}, json_junk),                   # chat id of a wrong type
    st.builds(lambda k: {"message": {k: 1}}, st.sampled_from(["chat", "from", "date", "text"])),  # fields missing
    st.builds(lambda d: {"callback_query": callback(OWN_CHAT, d)}, odd_text),           # unknown callback data
    st.builds(lambda d: {"callback_query": callback(OWN_CHAT, d)}, json_junk),
    st.builds(lambda a, x: {"callback_query": callback(OWN_CHAT, f"1|{a}|{x}")},
              st.sampled_from(["order.confirm", "order.cancel", "order.receive", "order.view", "ticket.view", "x"]),
              st.sampled_from([OTHER_ORDER, "2", "-1", "9" * 30, "", "%00", "../"])),
    st.dictionaries(st.sampled_from(["update_id", "message", "callback_query", "edited_message", "x"]),
                    json_junk, max_size=3),
)


async def _orders(world: BotWorld) -> list[tuple[str, int, str]]:
    async with world.uow() as uow:
        return sorted((o.number, o.dealer_id, o.status.value) for o in await uow.orders.list())


@pytest_asyncio.fixture
async def world(tmp_path: Path) -> AsyncIterator[BotWorld]:
    async with TelegramStandIn() as standin:
        w = await start_bot(tmp_path, standin, mode="webhook", flood_per_minute=100_000)
        try:
            await seed_catalogue(w)
            await add_dealer(w, "D0001", "杭州华信电器有限公司")
            other = await add_dealer(w, "D0002", "南京宏达商贸有限公司")
            replies = await w.say(OWN_CHAT, f"/start {await invite(w, dealer='D0001')}")
            assert "绑定成功" in replies[0].text
            async with w.uow() as uow:
                await uow.orders.add(Order(
                    number=OTHER_ORDER, dealer_id=other, status=OrderStatus.SUBMITTED, total=Decimal("1999.00"),
                    lines=[OrderLine(sku="AP300", name="AP300", qty=1, unit_price=Decimal("1999.00"))],
                    placed_by="system", created_at=NOW, updated_at=NOW,
                    events=[OrderEvent(status=OrderStatus.SUBMITTED, actor="system", at=NOW)]))
                await uow.commit()
            yield w
        finally:
            await w.stop()


async def _still_answers(world: BotWorld) -> None:
    replies = await world.say(OWN_CHAT, "/help")
    assert "可用命令" in replies[-1].text or "可用命令" in world.standin.texts(OWN_CHAT)


@given(update=updates)
@settings(max_examples=60, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
async def test_malformed_updates_never_crash_nor_act(world: BotWorld, update: dict[str, Any]) -> None:
    before = await _orders(world)
    # ensure_ascii: lone surrogates travel as \\ud800 escapes, as a broken client would send them
    status = await world.standin.deliver(json.dumps(update, ensure_ascii=True))
    await world.settle()
    assert status in (200, 400, 413, 422), (status, update)
    assert await _orders(world) == before


async def test_the_bot_answers_after_a_burst_of_garbage(world: BotWorld) -> None:
    garbage = [{"message": message(OWN_CHAT, "\ud800" * 5000)}, {"message": message(OWN_CHAT, None)},
               {"message": message("not-an-id", "/help")}, {"callback_query": callback(OWN_CHAT, "1|nope|x")},
               {"callback_query": callback(OWN_CHAT, {"data": 1})}, {"message": {}}, {"update_id": "x"}]
    for update in garbage:
        assert await world.standin.deliver(json.dumps(update, ensure_ascii=True)) < 500
    await world.settle()
    await _still_answers(world)


async def test_forged_buttons_on_another_dealers_order_do_nothing(world: BotWorld) -> None:
    """Every button action the handlers register, pressed with the other dealer's order as argument."""
    actions = sorted(world.app.conversation().router.buttons)
    assert actions, "no button actions registered"
    async with world.uow() as uow:
        other = await uow.orders.get_by(number=OTHER_ORDER)
        own_dealer = await uow.dealers.get_by(code="D0001")
        audit_before = await uow.audit.count()
    assert other is not None and other.id is not None and own_dealer is not None
    own = own_dealer.id
    before = await _orders(world)
    for action in actions:
        for arg in (OTHER_ORDER, str(other.id)):
            since = world.standin.count(OWN_CHAT)
            status = await world.standin.deliver({"update_id": 10_000 + len(action) * 7 + since,
                                                  "callback_query": callback(OWN_CHAT, f"1|{action}|{arg}")})
            assert status == 200
            await world.settle()
            texts = world.standin.texts(OWN_CHAT, since)
            # the reply may repeat the number the user sent, never anything of the order or its dealer
            assert "南京宏达" not in texts and "D0002" not in texts, (action, texts)
    assert await _orders(world) == before
    async with world.uow() as uow:
        written = await uow.audit.list(order_by="id", offset=audit_before)
    # a button acting on the user's own things may write (privacy.erase opens an erase request for the user
    # itself, ignoring the argument); nothing may be about the other dealer or its order
    for entry in written:
        assert entry.actor.startswith(f"dealer:{own}:"), entry
        assert entry.entity_id not in (OTHER_ORDER, str(other.id)) or entry.entity != "order", entry
        assert "D0002" not in str(entry.after) and "南京宏达" not in str(entry.after), entry
    await _still_answers(world)
