"""A local OpenAI-compatible chat-completions server for the LLM tests (aiohttp on 127.0.0.1, a random port).

``POST /v1/chat/completions`` answers like the OpenAI API: with a tool call when the request offers
tools (LangChain's ``function_calling``), else with the JSON as message content (``json_mode``).
What it answers is up to the test: ``reply`` is a function of the request body returning the dict
to send as the tool arguments / JSON content; or set ``mode`` to ``"garbage"`` (content that is not
JSON, tool arguments that do not parse), ``"wrong_shape"`` (valid JSON of the wrong shape),
``"http_500"`` or ``"slow"`` (waits ``delay`` seconds first). Every request body is kept in ``requests``.

Nothing here talks to the internet.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from typing import Any

from aiohttp import web


class OpenAIStandIn:
    def __init__(self) -> None:
        self.reply: Callable[[dict[str, Any]], dict[str, Any]] = lambda body: {"intent": "chitchat_other",
                                                                              "confidence": 0.5}
        self.mode = "ok"
        self.delay = 5.0
        self.requests: list[dict[str, Any]] = []
        self._runner: web.AppRunner | None = None
        self.port = 0

    async def start(self) -> OpenAIStandIn:
        app = web.Application()
        app.router.add_post("/v1/chat/completions", self._complete)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def __aenter__(self) -> OpenAIStandIn:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    async def _complete(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.requests.append(body)
        if self.mode == "slow":
            await asyncio.sleep(self.delay)
        if self.mode == "http_500":
            return web.json_response({"error": {"message": "boom", "type": "server_error"}}, status=500)
        tools = body.get("tools") or []
        if self.mode == "garbage":
            payload = "这不是JSON {{{ not json"
        elif self.mode == "wrong_shape":
            payload = json.dumps({"hello": "world", "items": "many"})
        else:
            payload = json.dumps(self.reply(body), ensure_ascii=False)
        message: dict[str, Any] = {"role": "assistant", "content": None if tools else payload}
        if tools:
            message["tool_calls"] = [{"id": "call_1", "type": "function",
                                      "function": {"name": tools[0]["function"]["name"], "arguments": payload}}]
        return web.json_response({
            "id": "chatcmpl-standin", "object": "chat.completion", "created": int(time.time()), "model": body.get("model"),
            "choices": [{"index": 0, "message": message, "finish_reason": "tool_calls" if tools else "stop"}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        })

    def user_text(self, n: int = -1) -> str:
        """The dealer's message in the ``n``-th request."""
        return str([m for m in self.requests[n]["messages"] if m["role"] == "user"][-1]["content"])

    def system_text(self, n: int = -1) -> str:
        return str([m for m in self.requests[n]["messages"] if m["role"] == "system"][0]["content"])
