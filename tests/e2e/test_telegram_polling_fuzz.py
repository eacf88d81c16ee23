"""Chat fuzzing for Telegram polling: ``getUpdates`` answers carry malformed updates among good ones.

Hypothesis builds batches of updates a buggy Bot API server or a newer one could hand out: wrong types,
missing fields, unknown update kinds, huge texts, odd Unicode (lone surrogates included), unknown and
forged callback data (every registered button action, aimed at another dealer's order). Each batch goes
out in one ``getUpdates`` answer, as Telegram sends them. Polling must never stop, every good update in
the batch is answered exactly once, the offset moves past every update (none served twice, none left
behind), forged data changes no order, and the polling loop itself never fails to fetch.

Found with it: a text that is a lone surrogate made the dialog state unstorable and the user got "something
went wrong"; ``bot.telegram.inbound`` now turns lone surrogates into U+FFFD.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import re
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
import pytest_asyncio
from aiohttp import web
from hypothesis import HealthCheck, example, given, settings
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

pytestmark = pytest.mark.asyncio(loop_scope="module")

OWN_CHAT = 1001            # bound to dealer D0001
JUNK_CHAT = 1002           # where well-formed junk comes from
OTHER_ORDER = "SO-20261126-0002"
HELP = "可用命令"

ACTIONS = ["order.confirm", "order.cancel", "orders.cancel", "orders.cancel_ok", "orders.recv_ok", "orders.detail",
           "order.reorder", "staff.order.approve", "staff.order.reject", "staff.ship", "as.new", "menu", "x"]




malformed = st.one_of(
    st.builds(lambda t: {"message": message(JUNK_CHAT, t)}, odd_text),
    st.builds(lambda t: {"message": message(JUNK_CHAT, t)}, huge_text),
    st.builds(lambda t: {"message": message(JUNK_CHAT, t)}, json_junk),                 # text of a wrong type
    st.builds(lambda c: {"message": message(c, "/help")}, json_junk),                   # chat id of a wrong type
    st.builds(lambda k: {"message": {k: 1}}, st.sampled_from(["chat", "from", "date", "text"])),  # fields missing
    st.builds(lambda t: {"edited_message": message(JUNK_CHAT, t)}, odd_text),           # not asked for
    st.builds(lambda k, v: {k: v}, st.sampled_from(["poll", "brand_new_update_type", "chat_boost", "x"]), json_junk),
    st.builds(lambda d: {"callback_query": callback(OWN_CHAT, d)}, odd_text),           # unknown callback data
    st.builds(lambda d: {"callback_query": callback(OWN_CHAT, d)}, json_junk),
    st.builds(lambda a, x: {"callback_query": callback(OWN_CHAT, f"1|{a}|{x}")},       # forged: another dealer's
              st.sampled_from(ACTIONS), st.sampled_from([OTHER_ORDER, "1", "-1", "9" * 30, "", "%00"])),
    st.dictionaries(st.sampled_from(["message", "callback_query", "edited_message", "x"]), json_junk, max_size=3),
)
# a batch: good updates (None, filled in when the example runs: /help from a chat of its own) among malformed ones
batches = st.lists(st.none() | malformed, min_size=1, max_size=8).map(lambda b: [None, *b] if None not in b else b)


class RecordingStandIn(TelegramStandIn):
    """The stand-in, plus what polling asked for and got: the offset of every getUpdates (when asked) and the
    update ids of every non-empty answer; ``push_batch`` queues several updates for one answer (added here,
    not in the shared stand-in, which other tests change at the same time)."""

    def __init__(self) -> None:
        super().__init__()
        self.offsets: list[int] = []
        self.served: list[list[int]] = []

    async def push_batch(self, updates: list[dict[str, Any]]) -> list[int]:
        async with self._changed:
            batch = [{"update_id": next(self._update_ids), **u} for u in updates]
            for update in batch:        # a press Telegram waits to see answered
                query = update.get("callback_query")
                if isinstance(query, dict) and isinstance(query.get("id"), str):
                    self._pending_callbacks.add(query["id"])
            self._queue.extend(batch)
            self._changed.notify_all()
        return [u["update_id"] for u in batch]

    async def _m_getupdates(self, params: dict[str, Any], files: Any) -> web.Response:
        self.offsets.append(int(params.get("offset") or 0))
        response = await super()._m_getupdates(params, files)
        assert isinstance(response.body, bytes)
        ids = [u["update_id"] for u in json.loads(response.body).get("result") or []]
        if ids:
            self.served.append(ids)
        return response


class PollingLog(logging.Handler):
    """What aiogram and the bot log: the updates done (aiogram's "Update id=N is handled" line, written when
    our pipeline has returned), and failures: a getUpdates answer refused, anything at ERROR."""

    DONE = re.compile(r"^Update id=(\d+) is (?:not )?handled")

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.done: set[int] = set()
        self.failures: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if done := self.DONE.match(message):
            self.done.add(int(done.group(1)))
        elif record.levelno >= logging.ERROR or "Failed to fetch updates" in message:
            self.failures.append(f"{record.name}: {message[:300]}")

    def take(self) -> list[str]:
        taken, self.failures = self.failures, []
        return taken


@dataclass
class Fuzz:
    world: BotWorld
    standin: RecordingStandIn
    log: PollingLog
    chats: Iterator[int]

    async def orders(self) -> list[tuple[str, int, str, int]]:
        async with self.world.uow() as uow:
            return sorted((o.number, o.dealer_id, o.status.value, o.version) for o in await uow.orders.list())

    def polling(self) -> bool:
        return not self.world.tasks[-1].done()


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def fuzz(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Fuzz]:
    standin = RecordingStandIn()
    async with standin:
        world = await start_bot(tmp_path_factory.mktemp("polling_fuzz"), standin, flood_per_minute=100_000)
        log = PollingLog()
        watched = [logging.getLogger(name) for name in ("bot", "handlers", "aiogram")]
        event_log = logging.getLogger("aiogram.event")
        level = event_log.level
        event_log.setLevel(logging.INFO)
        for logger in watched:
            logger.addHandler(log)
        try:
            await seed_catalogue(world)
            await add_dealer(world, "D0001", "杭州华信电器有限公司")
            other = await add_dealer(world, "D0002", "南京宏达商贸有限公司")
            replies = await world.say(OWN_CHAT, f"/start {await invite(world, dealer='D0001')}")
            assert "绑定成功" in replies[0].text
            async with world.uow() as uow:
                await uow.orders.add(Order(
                    number=OTHER_ORDER, dealer_id=other, status=OrderStatus.SUBMITTED, total=Decimal("1999.00"),
                    lines=[OrderLine(sku="AP300", name="AP300", qty=1, unit_price=Decimal("1999.00"))],
                    placed_by="system", created_at=NOW, updated_at=NOW,
                    events=[OrderEvent(status=OrderStatus.SUBMITTED, actor="system", at=NOW)]))
                await uow.commit()
            log.take()
            yield Fuzz(world, standin, log, itertools.count(50_000))
        finally:
            event_log.setLevel(level)
            for logger in watched:
                logger.removeHandler(log)
            await world.stop()


async def _deliver(fuzz: Fuzz, batch: list[dict[str, Any] | None]) -> tuple[list[int], list[int]]:
    """Queue ``batch`` (``None``: a good /help from a new chat) for one getUpdates answer, wait until every good
    update is answered and polling has asked past the whole batch; (the good chats, the batch's update ids)."""
    s = fuzz.standin
    good: list[int] = []
    updates = []
    for item in batch:
        if item is None:
            good.append(next(fuzz.chats))
            updates.append({"message": s._message(good[-1], text="/help",
                                                  entities=[{"type": "bot_command", "offset": 0, "length": 5}])})
        else:
            updates.append(item)
    ids = await s.push_batch(updates)
    await s.wait_for(lambda: max(s.offsets) > ids[-1], 15, f"a getUpdates past {ids[-1]}")
    for _ in range(300):
        if fuzz.log.done >= set(ids):
            break
        await asyncio.sleep(0.02)
    assert fuzz.log.done >= set(ids), f"updates {sorted(set(ids) - fuzz.log.done)} never handled"
    await s.wait_for(lambda: all(HELP in s.texts(chat) for chat in good), 10, f"answers to {good}")
    return good, ids


@given(batch=batches)
@example(batch=[None, {"message": message(JUNK_CHAT, "\ud800")}, {"message": {"chat": 1}},
                {"callback_query": callback(OWN_CHAT, "1|menu|\udfff")}, None])             # lone surrogates
@example(batch=[{"message": message(JUNK_CHAT, "啊" * 20000)}, {"brand_new_update_type": {"x": 1}}, None])
@example(batch=[None, {"callback_query": callback(OWN_CHAT, f"1|orders.cancel_ok|{OTHER_ORDER}|1")},
                {"message": message(JUNK_CHAT, 12345)}])                                 # the last one malformed
@settings(max_examples=30, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
async def test_malformed_updates_among_good_ones(fuzz: Fuzz, batch: list[dict[str, Any] | None]) -> None:
    s = fuzz.standin
    before = await fuzz.orders()
    good, ids = await _deliver(fuzz, batch)
    served = [i for answer in s.served for i in answer if i in ids]
    assert sorted(served) == ids, "every update of the batch served exactly once"
    assert all(sum(HELP in m.text for m in s.sent(chat)) == 1 for chat in good), "each good update answered once"
    assert s.offsets == sorted(s.offsets), "the offset never goes back"
    assert await fuzz.orders() == before
    assert fuzz.polling()
    assert fuzz.log.take() == [], batch


async def test_a_batch_of_only_malformed_updates_is_passed_over(fuzz: Fuzz) -> None:
    """The last update of an answer is malformed: the offset must still move past it, or the same answer
    would come back forever."""
    s = fuzz.standin
    _, ids = await _deliver(fuzz, [{"message": {"text": "no chat"}}, {"message": message("x", 1)},
                                   {"unknown_kind": True}, {"message": message(JUNK_CHAT, None)}])
    await asyncio.sleep(0.3)                          # time for a wrong loop to fetch the batch again
    assert [i for answer in s.served for i in answer if i in ids] == ids
    assert fuzz.polling()
    assert fuzz.log.take() == []


async def test_every_forged_button_action_in_one_batch(fuzz: Fuzz) -> None:
    actions = sorted(fuzz.world.app.conversation().router.buttons)
    s = fuzz.standin
    before = await fuzz.orders()
    since = s.count(OWN_CHAT)
    batch: list[dict[str, Any] | None] = [{"callback_query": {**callback(OWN_CHAT, f"1|{a}|{OTHER_ORDER}"),
                                                              "id": f"forged{n}"}} for n, a in enumerate(actions)]
    _, ids = await _deliver(fuzz, [*batch, None])
    await s.wait_for(lambda: all(f"forged{n}" in s.callback_answers for n in range(len(actions))), 15,
                     "every press answered")
    assert await fuzz.orders() == before
    assert "南京宏达" not in s.texts(OWN_CHAT, since) and "D0002" not in s.texts(OWN_CHAT, since)
    assert fuzz.polling()
    assert fuzz.log.take() == []


async def test_polling_still_answers_the_dealer_afterwards(fuzz: Fuzz) -> None:
    replies = await fuzz.world.say(OWN_CHAT, "/help")
    assert any(HELP in m.text or "Commands:" in m.text for m in replies)
    assert fuzz.polling()
    assert fuzz.log.take() == []
