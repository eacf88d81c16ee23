"""The Telegram channel as one object: the aiogram ``Bot`` (client and parser) and the update pipeline.

``build_telegram_channel(...)`` is called by ``bot.bootstrap`` when ``TELEGRAM_BOT_TOKEN`` is set;
the polling task and the webhook route both use the ``TelegramChannel`` it returns.
``TELEGRAM_API_BASE`` points the client at another Bot API server (a self-hosted one, or the
stand-in the end-to-end tests run).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import ClientDecodeError
from aiogram.methods import (
    AnswerCallbackQuery,
    DeleteWebhook,
    EditMessageReplyMarkup,
    EditMessageText,
    GetFile,
    GetMe,
    GetUpdates,
    Response,
    SendChatAction,
    SendDocument,
    SendMessage,
    SendPhoto,
    SetMyCommands,
    SetWebhook,
    TelegramMethod,
)
from aiogram.methods.base import TelegramType
from aiogram.types import BotCommand, BotCommandScopeDefault, Update
from pydantic import ValidationError

from bot.files import FileStore
from bot.telegram.flood import FloodLimiter
from bot.telegram.inbound import TelegramInbound
from bot.telegram.processor import Conversation, TelegramUpdates
from bot.telegram.sender import TelegramSender

log = logging.getLogger(__name__)

ALLOWED_UPDATES = ["message", "callback_query"]
"""What we ask Telegram for (polling and webhook); anything else that arrives is ignored anyway."""

BOT_COMMANDS: list[tuple[str, str, str]] = [
    ("start", "开始 / 输入绑定码", "Start / send your binding code"),
    ("menu", "主菜单", "Main menu"),
    ("orders", "我的订单", "My orders"),
    ("stock", "查库存", "Stock"),
    ("help", "帮助", "Help"),
    ("cancel", "取消当前操作", "Cancel what you are doing"),
    ("today", "今日待办（员工）", "Today's work (staff)"),
    ("settings", "通知设置", "Notification settings"),
    ("privacy", "隐私政策与个人数据", "Privacy and your data"),
    ("lang", "切换语言 / English", "Switch language / 中文"),
]


class SkipMalformedUpdates(BaseRequestMiddleware):
    """A ``getUpdates`` answer with one update aiogram cannot parse would fail the whole batch, and
    polling would fetch the same batch forever. Parse the updates one by one instead; a malformed one
    is logged and replaced by a bare ``Update(update_id=...)`` (ignored downstream) so the offset
    moves past it."""

    async def __call__(self, make_request: NextRequestMiddlewareType[TelegramType], bot: Bot,
                       method: TelegramMethod[TelegramType]) -> Response[TelegramType]:
        try:
            return await make_request(bot, method)
        except ClientDecodeError as exc:
            if not isinstance(method, GetUpdates) or not isinstance(exc.data, dict) or exc.data.get("ok") is not True:
                raise
            raw = exc.data.get("result")
            if not isinstance(raw, list):
                raise
            updates: list[Update] = []
            for item in raw:
                try:
                    updates.append(Update.model_validate(item, context={"bot": bot}))
                except ValidationError:
                    update_id = item.get("update_id") if isinstance(item, dict) else None
                    log.warning("malformed telegram update skipped", extra={"update_id": update_id})
                    if isinstance(update_id, int):
                        updates.append(Update(update_id=update_id))
            # the chain hands back the call's result (aiogram's own make_request returns ``response.result``)
            result: Any = updates
            return result  # type: ignore[no-any-return]


# aiogram validates every answer with ``Response[method.__returning__]``; pydantic keeps such parametrised
# models only weakly, so without a strong reference each is rebuilt (schema and validator) after every garbage
# collection: about a tenth of a busy bot's CPU went there. Keep the ones the bot uses.
_RESPONSE_MODELS = [Response[method.__returning__]  # type: ignore[name-defined]
                    for method in (SendMessage, EditMessageText, EditMessageReplyMarkup, AnswerCallbackQuery,
                                   SendPhoto, SendDocument, GetFile, GetUpdates, SetWebhook, DeleteWebhook,
                                   SetMyCommands, GetMe, SendChatAction)]


def create_bot(token: str, api_base: str = "https://api.telegram.org") -> Bot:
    session = AiohttpSession(api=TelegramAPIServer.from_base(api_base))
    session.middleware(SkipMalformedUpdates())
    return Bot(token=token, session=session)


async def set_commands(bot: Bot) -> None:
    """The command menu in Telegram's clients: Chinese by default, English for English clients."""
    await bot.set_my_commands([BotCommand(command=c, description=zh) for c, zh, _ in BOT_COMMANDS],
                              scope=BotCommandScopeDefault())
    await bot.set_my_commands([BotCommand(command=c, description=en) for c, _, en in BOT_COMMANDS],
                              scope=BotCommandScopeDefault(), language_code="en")


@dataclass
class TelegramChannel:
    bot: Bot
    updates: TelegramUpdates
    sender: TelegramSender

    async def aclose(self) -> None:
        await self.updates.drain()
        await self.bot.session.close()


def build_telegram_channel(token: str, api_base: str, conversation: Conversation, files: FileStore, *,
                           flood_per_minute: int = 20, default_language: str = "zh-CN") -> TelegramChannel:
    bot = create_bot(token, api_base)
    sender = TelegramSender(bot)
    updates = TelegramUpdates(conversation, TelegramInbound(bot, files), sender, FloodLimiter(flood_per_minute),
                              default_language=default_language)
    return TelegramChannel(bot=bot, updates=updates, sender=sender)
