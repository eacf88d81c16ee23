"""The turns a process takes (setting WORK_CONCURRENCY): at most N chat updates and REST API requests handled at
once, the rest waiting in arrival order; a voice note, a photo or a file (seconds of work) holds no turn; the pages,
the health check and the webhooks never wait for one."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from admin.turns import ApiTurns
from bot.settings import Settings
from core.users import Role
from handlers.messages import Inbound, Reply
from tests.chat import ChatWorld


async def _world(turns: int) -> ChatWorld:
    world = ChatWorld()
    world.service.deps.work_gate = asyncio.Semaphore(turns)
    dealer = await world.dealer()
    for n in range(6):
        await world.user(f"g{n}", Role.DEALER_OWNER, dealer)
    return world


async def test_at_most_n_updates_are_handled_at_once_and_all_are_answered() -> None:
    world = await _world(2)
    inner = world.service._handle
    now, most = 0, 0

    async def counted(inbound: Inbound) -> list[Reply]:
        nonlocal now, most
        now += 1
        most = max(most, now)
        try:
            await asyncio.sleep(0.01)        # an await inside, as every database call is
            return await inner(inbound)
        finally:
            now -= 1

    world.service._handle = counted  # type: ignore[method-assign]
    answers = await asyncio.gather(*(world.say(f"g{n}", "/help") for n in range(6)))
    assert most == 2
    assert all(answers)


async def test_a_photo_holds_no_turn_and_a_text_waits_for_one() -> None:
    world = await _world(1)
    gate = world.service.deps.work_gate
    assert gate is not None
    await gate.acquire()                      # every turn taken (a long update elsewhere)
    try:
        photo = await asyncio.wait_for(world.photo("g0", "file-1"), 10)
        assert photo                          # answered at once
        text = asyncio.create_task(world.say("g1", "/help"))
        await asyncio.sleep(0.2)
        assert not text.done()                # waits for its turn
    finally:
        gate.release()
    assert await asyncio.wait_for(text, 10)


def test_the_setting_sizes_the_gate_and_zero_turns_it_off() -> None:
    assert Settings(_env_file=None).work_concurrency == 16
    assert Settings(_env_file=None, work_concurrency=0).work_concurrency == 0


async def test_the_api_waits_for_a_turn_and_the_rest_does_not() -> None:
    served: list[str] = []

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        served.append(scope["path"])
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    gate = asyncio.Semaphore(1)
    transport = httpx.ASGITransport(app=ApiTurns(app, gate))  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        await gate.acquire()
        api = asyncio.create_task(client.get("/api/v1/orders"))
        for path in ("/healthz", "/telegram/webhook", "/admin/", "/apiary"):
            assert (await asyncio.wait_for(client.get(path), 5)).status_code == 200
        await asyncio.sleep(0.1)
        assert not api.done() and "/api/v1/orders" not in served
        gate.release()
        assert (await asyncio.wait_for(api, 5)).status_code == 200
    assert served[-1] == "/api/v1/orders"
