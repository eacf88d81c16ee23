"""The terminal chat prints a reply that edits an earlier message (a staff decision rewriting its prompt) as a new
message, in words only: no internal reference such as "(更新 updated c2)" (QA s25 #24)."""

from __future__ import annotations

import io
from typing import Any, cast

from bot.console import ConsoleChat
from core.services.chat_binding import ChatAs
from handlers.messages import Button, Reply


async def test_an_edited_prompt_is_printed_without_the_internal_reference() -> None:
    out = io.StringIO()
    none = cast(Any, None)
    console = ConsoleChat(none, none, none, none, ChatAs("staff", "zhang.orderdesk"), out=out)
    await console.show([Reply(text="✅ 已审核通过 SO-20261207-0010", edit_ref="c2",
                              buttons=[[Button("📦 配货", "1|staff.alloc|SO-20261207-0010")]])])
    printed = out.getvalue()
    assert "✅ 已审核通过 SO-20261207-0010" in printed and "[1] 📦 配货" in printed
    assert "c2" not in printed and "updated" not in printed and "更新" not in printed
