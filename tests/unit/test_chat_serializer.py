"""bot.chat_serializer: one chat's work in turn, other chats at once, locks dropped when nobody waits."""

from __future__ import annotations

import asyncio

from bot.chat_serializer import ChatSerializer


async def test_one_chats_messages_never_interleave_and_other_chats_run_meanwhile() -> None:
    serial: ChatSerializer[str] = ChatSerializer(max_background=8)
    log: list[str] = []
    release = asyncio.Event()

    async def work(chat: str, name: str, wait: bool) -> None:
        async with serial.chat(chat):
            log.append(f"{name} start")
            if wait:
                await release.wait()
            log.append(f"{name} end")

    serial.submit(lambda: work("a", "a1", True), name="a1")
    serial.submit(lambda: work("a", "a2", False), name="a2")
    serial.submit(lambda: work("b", "b1", False), name="b1")
    await asyncio.sleep(0.01)
    assert log == ["a1 start", "b1 start", "b1 end"]      # a2 waits for a1; b is not held up by a
    assert serial.busy == 2 and serial.chats_held == 1
    release.set()
    await serial.drain(1)
    assert log[3:] == ["a1 end", "a2 start", "a2 end"]
    assert serial.busy == 0 and serial.chats_held == 0


async def test_at_most_max_background_run_at_once() -> None:
    serial: ChatSerializer[int] = ChatSerializer(max_background=2)
    running = peak = 0

    async def work() -> None:
        nonlocal running, peak
        running += 1
        peak = max(peak, running)
        await asyncio.sleep(0.01)
        running -= 1

    for i in range(6):
        serial.submit(work, name=f"w{i}")
    await serial.drain(2)
    assert peak == 2
