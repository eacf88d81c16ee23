"""Lone surrogates in a Telegram update (a JSON "\\ud800" escape decodes to one) leave the translator as
U+FFFD: stored in the dialog state they made the database refuse the row and the user got "something
went wrong" (found by tests/e2e/test_telegram_polling_fuzz.py). No network: nothing here downloads."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from aiogram import Bot
from aiogram.types import Update

from bot.files import FileStore
from bot.telegram.inbound import TelegramInbound
from handlers.messages import InboundKind

SENDER = {"id": 42, "is_bot": False, "first_name": "李\ud800", "language_code": "zh-hans"}
CHAT = {"id": 42, "type": "private"}


def update(**body: Any) -> Update:
    # through JSON with escapes, as the webhook and getUpdates receive it
    raw = json.loads(json.dumps({"update_id": 7, **body}, ensure_ascii=True))
    return Update.model_validate(raw, context={"bot": Bot(token="42:TEST")})


@pytest.mark.parametrize(("body", "kind", "field", "expected"), [
    ({"message": {"message_id": 1, "date": 1, "chat": CHAT, "from": SENDER, "text": "订单\ud800AP300\udfff"}},
     InboundKind.TEXT, "text", "订单\ufffdAP300\ufffd"),
    ({"message": {"message_id": 1, "date": 1, "chat": CHAT, "from": SENDER, "text": "/start \udc00CODE"}},
     InboundKind.COMMAND, "args", "\ufffdCODE"),
    ({"callback_query": {"id": "cb", "from": SENDER, "chat_instance": "ci", "data": "1|orders.detail|\ud800",
                         "message": {"message_id": 1, "date": 1, "chat": CHAT, "text": "-"}}},
     InboundKind.BUTTON, "payload", "1|orders.detail|\ufffd"),
])
async def test_lone_surrogates_become_replacement_characters(tmp_path: Path, body: dict[str, Any],
                                                             kind: InboundKind, field: str, expected: str) -> None:
    translation = await TelegramInbound(Bot(token="42:TEST"), FileStore(tmp_path)).translate(update(**body))
    inbound = translation.inbound
    assert inbound is not None and inbound.kind == kind
    assert getattr(inbound, field) == expected
    assert inbound.display_name == "李\ufffd"
    for value in vars(inbound).values():        # every text can now be stored and sent
        if isinstance(value, str):
            value.encode("utf-8")


async def test_valid_text_and_emoji_pass_unchanged(tmp_path: Path) -> None:
    text = "AP300 来两台 \U0001f600\u202e\u200b"
    body = {"message": {"message_id": 1, "date": 1, "chat": CHAT, "from": {**SENDER, "first_name": "李"},
                        "text": text}}
    translation = await TelegramInbound(Bot(token="42:TEST"), FileStore(tmp_path)).translate(update(**body))
    assert translation.inbound is not None and translation.inbound.text == text
