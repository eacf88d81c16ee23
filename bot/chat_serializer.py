"""One chat's messages handled in turn, many chats at once: the serializer every channel adapter shares.

``submit`` runs work in the background (a webhook answers at once), at most ``max_background`` at a time,
the rest waiting their turn (so the database pool is not overrun); ``chat(key)`` holds a chat's turn, so two
messages of one chat never interleave (a cart is never confirmed while its item is still being added).
A chat's lock is dropped once nobody holds or waits for it, so the map does not grow with every chat seen.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Hashable
from contextlib import asynccontextmanager
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)


class ChatSerializer(Generic[K]):
    def __init__(self, max_background: int) -> None:
        self._locks: dict[K, tuple[asyncio.Lock, int]] = {}
        self._background: set[asyncio.Task[None]] = set()
        self._slots = asyncio.Semaphore(max_background)

    def submit(self, work: Callable[[], Awaitable[None]], name: str) -> None:
        """Run ``work()`` in the background once a slot is free."""
        task = asyncio.create_task(self._in_slot(work), name=name)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def _in_slot(self, work: Callable[[], Awaitable[None]]) -> None:
        async with self._slots:
            await work()

    async def drain(self, seconds: float = 10.0) -> None:
        """Wait (at most ``seconds``) for the work in flight: on shutdown, and in tests."""
        pending = set(self._background)
        if pending:
            await asyncio.wait(pending, timeout=seconds)

    @property
    def busy(self) -> int:
        return len(self._background)

    @property
    def chats_held(self) -> int:
        return len(self._locks)

    @asynccontextmanager
    async def chat(self, key: K) -> AsyncIterator[None]:
        """Hold ``key``'s turn: the next message of that chat waits until this one is done."""
        lock, users = self._locks.get(key, (asyncio.Lock(), 0))
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[key]
            if users <= 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)
