"""Webhook: Telegram POSTs updates to ``/telegram/webhook`` on the web app.

- The secret (``TELEGRAM_WEBHOOK_SECRET``, registered with ``setWebhook(secret_token=...)``) must come
  back in ``X-Telegram-Bot-Api-Secret-Token``; a wrong or missing one gets 401 and a log line, and
  without a configured secret every request is refused.
- A body that is not JSON or not an update gets 200 and a log line: Telegram would otherwise re-send
  the same garbage forever.
- A good update is handed to the pipeline in the background and answered with 200 at once; a
  re-delivery (Telegram retries when it saw no answer) is dropped by the conversation's delivery
  receipts.
"""

from __future__ import annotations

import hmac
import json
import logging

from aiogram import Bot
from aiogram.types import Update
from fastapi import APIRouter, Request, Response
from pydantic import ValidationError

from bot.telegram.channel import ALLOWED_UPDATES, TelegramChannel

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY_BYTES = 1024 * 1024


def secret_matches(given: str | None, expected: str | None) -> bool:
    if not expected or given is None:
        return False
    return hmac.compare_digest(given.encode(), expected.encode())


def webhook_router(channel: TelegramChannel, secret: str | None) -> APIRouter:
    router = APIRouter()

    @router.post(WEBHOOK_PATH, include_in_schema=False)
    async def telegram_webhook(request: Request) -> Response:
        if not secret_matches(request.headers.get(SECRET_HEADER), secret):
            log.warning("telegram webhook refused: wrong or missing secret",
                        extra={"client": request.client.host if request.client else "",
                               "configured": bool(secret)})
            return Response(status_code=401)
        body = await request.body()
        try:
            if len(body) > MAX_BODY_BYTES:
                raise ValueError("body too large")
            update = Update.model_validate(json.loads(body), context={"bot": channel.bot})
        except (ValueError, ValidationError) as exc:
            log.warning("telegram webhook: malformed update ignored", extra={"error": str(exc)[:300]})
            return Response(status_code=200)
        channel.updates.submit(update)
        return Response(status_code=200)

    return router


async def set_webhook(bot: Bot, url: str, secret: str) -> bool:
    return await bot.set_webhook(url=url, secret_token=secret, allowed_updates=ALLOWED_UPDATES,
                                 drop_pending_updates=False)


async def delete_webhook(bot: Bot) -> bool:
    return await bot.delete_webhook(drop_pending_updates=False)
