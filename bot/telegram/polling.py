"""Polling: aiogram's Dispatcher fetches updates (``getUpdates``) and hands every one to our pipeline.

The Dispatcher is used for its robust update loop (back-off on network errors, offsets) only: one
outer middleware on ``update`` takes every update, whatever its type, to ``TelegramUpdates.process``;
no aiogram routers, filters or FSM are involved (dialog state lives in the database, shared with the
other channels).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import Dispatcher
from aiogram.dispatcher.middlewares.base import BaseMiddleware
from aiogram.exceptions import AiogramError
from aiogram.types import TelegramObject, Update

from bot.telegram.channel import ALLOWED_UPDATES, TelegramChannel, set_commands
from bot.telegram.processor import MAX_BACKGROUND, TelegramUpdates

log = logging.getLogger(__name__)


class EveryUpdate(BaseMiddleware):
    """Outer middleware: every update goes to the pipeline; aiogram's own handlers never run."""

    def __init__(self, updates: TelegramUpdates) -> None:
        self.updates = updates

    async def __call__(self, handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
                       event: TelegramObject, data: dict[str, Any]) -> Any:
        if isinstance(event, Update):
            await self.updates.process(event)
        return None


def build_dispatcher(channel: TelegramChannel) -> Dispatcher:
    dp = Dispatcher()
    dp.update.outer_middleware(EveryUpdate(channel.updates))
    return dp


async def run_polling(channel: TelegramChannel, *, polling_timeout: int = 30) -> None:
    """Poll until cancelled. A webhook left over from webhook mode would make ``getUpdates`` fail
    (409), so it is removed first; pending updates are kept."""
    bot = channel.bot
    try:
        await bot.delete_webhook(drop_pending_updates=False)
        await set_commands(bot)
    except AiogramError as exc:   # Telegram unreachable at start: poll anyway, the loop backs off and retries
        log.warning("telegram start-up calls failed", extra={"error": str(exc)})
    dp = build_dispatcher(channel)
    log.info("telegram polling started")
    # at most MAX_BACKGROUND updates at once, as on the webhook (the database pool is not overrun)
    await dp.start_polling(bot, polling_timeout=polling_timeout, handle_signals=False, close_bot_session=False,
                           allowed_updates=ALLOWED_UPDATES, tasks_concurrency_limit=MAX_BACKGROUND)
