"""The REST API takes turns with the chat: at most ``WORK_CONCURRENCY`` requests and chat updates handled at once in
a process (``bot.bootstrap.App.work_gate``), the rest waiting in arrival order. Under load each is then done in a
few milliseconds of CPU instead of every request sharing the event loop and the database with every other, which
made the slowest wait longest (``bench/load.py``, 300 s: p95 2.8-3.6 s -> 1.5 s, and a fifth more updates per second)."""

from __future__ import annotations

import asyncio

from starlette.types import ASGIApp, Receive, Scope, Send

API_PREFIX = "/api/"


class ApiTurns:
    """ASGI middleware: a request under ``/api/`` holds one of ``gate``'s turns while it is handled; the pages,
    the health check and the webhooks (which answer at once and handle the update in the background, under the
    same gate) pass untouched."""

    def __init__(self, app: ASGIApp, gate: asyncio.Semaphore) -> None:
        self.app = app
        self.gate = gate

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith(API_PREFIX):
            async with self.gate:
                await self.app(scope, receive, send)
            return
        await self.app(scope, receive, send)
