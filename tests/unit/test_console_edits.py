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


class _Said:
    def __init__(self) -> None:
        self.said: list[dict[str, Any]] = []

    async def say(self, chat_id: str, text: str = "", **kw: Any) -> list[Reply]:
        self.said.append({"text": text, **kw})
        return []


async def test_a_number_with_leading_zeros_is_said_not_a_button_pressed() -> None:
    """"0002" (an order's number end) typed under a list is said (was: it pressed button [2])."""
    out = io.StringIO()
    none = cast(Any, None)
    chat = _Said()
    console = ConsoleChat(cast(Any, chat), none, none, none, ChatAs("staff", "zhang.orderdesk"), out=out)
    await console.show([Reply(text="菜单", buttons=[[Button("📋 今日待办", "1|staff.today"), Button("✅ 待审批", "1|staff.approvals")]])])
    await console.turn("0002")
    assert chat.said[-1]["text"] == "0002" and "payload" not in chat.said[-1]
    await console.turn("2")
    assert chat.said[-1]["payload"] == "1|staff.approvals"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


async def test_a_line_cut_by_the_terminal_is_said_so_not_acted_on_half_read() -> None:
    """A 4,000-character message typed in a terminal arrives cut at 4095 bytes: its trailing "AP500 来3台" was
    dropped and the rest answered "没太明白" (QA s27 P26). Now the person is told it was cut, and nothing is done."""
    out = io.StringIO()
    none = cast(Any, None)
    chat = _Said()
    cut = ("我们店最近生意不好，" * 400)[:1365]          # 4095 bytes: what the terminal let through
    console = ConsoleChat(cast(Any, chat), none, none, none, ChatAs("dealer", "D0003"), out=out,
                          inp=_Terminal(cut + "\n短的一句\n/quit\n"))

    async def bound() -> Any:
        return cast(Any, type("U", (), {"display_name": "罗鹏", "username": "d0003.owner"}))

    console.bind = bound  # type: ignore[method-assign]
    await console.run()
    printed = out.getvalue()
    assert "终端只传来了前 1365 个字" in printed and "后面的部分没有收到" in printed
    assert [s["text"] for s in chat.said] == ["/menu", "短的一句"]


async def test_a_long_line_from_a_file_or_pipe_is_passed_on_whole() -> None:
    out = io.StringIO()
    none = cast(Any, None)
    chat = _Said()
    long = "我们店最近生意不好，" * 380 + "AP500 来3台"
    console = ConsoleChat(cast(Any, chat), none, none, none, ChatAs("dealer", "D0003"), out=out,
                          inp=io.StringIO(long + "\n/quit\n"))

    async def bound() -> Any:
        return cast(Any, type("U", (), {"display_name": "罗鹏", "username": "d0003.owner"}))

    console.bind = bound  # type: ignore[method-assign]
    await console.run()
    assert [s["text"] for s in chat.said] == ["/menu", long]
