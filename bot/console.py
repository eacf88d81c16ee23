"""Local chats: the same conversations in the terminal (``dms chat``) and in the browser (the web chat).

``LocalChat`` is the inbound translator of both: a line of text ("/start CODE" is a command) or a
button press becomes ``handlers.messages.Inbound`` on its channel ("console" or "web"), and the
conversation's replies come back unchanged.

``ConsoleChat`` runs ``dms chat --as dealer:CODE`` / ``--as staff:USERNAME``: it binds the console
account ``console:<as>`` to the dealer's first user (one is created through the user use case when the
dealer has none) or to the staff user (``core.services.chat_binding.bind_chat_as``), then reads lines and prints
replies (after them, the pushes nothing could deliver to this person: ``LocalChat.inbox``). Buttons are
printed as numbered choices, ``[1] 🛒 下单``; typing the number presses it;
``/quit`` (or end of input) leaves. ``/file PATH`` sends a file from this machine as a channel would: a voice
note (.ogg .oga .opus .amr .mp3 .m4a .wav ...), a photo (.jpg .png ...) or else a document (an order list in Excel).
Pictures and files in replies are stored in the ``FileStore`` and their path printed; messages for other chats are
printed with where they would go. A reply that edits an earlier message is printed as a new one.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from dataclasses import replace
from pathlib import Path
from typing import Protocol, TextIO

from bot.files import FileStore
from core.clock import Clock
from core.ports import AbstractUnitOfWork
from core.services.chat_binding import ChatAs, bind_chat_as
from core.users import Actor, User
from handlers.messages import Button, Inbound, InboundKind, Reply

CONSOLE_CHANNEL = "console"
QUIT_WORDS = {"/quit", "/exit", "/q"}
FILE_COMMAND = "/file"
AUDIO_SUFFIXES = {".ogg", ".oga", ".opus", ".amr", ".mp3", ".m4a", ".aac", ".wav", ".flac", ".webm"}
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".bmp", ".gif"}
MAX_FILE_BYTES = 20 * 1024 * 1024     # what Telegram lets a bot download


def file_kind(name: str) -> InboundKind:
    """The kind of message a file of this name arrives as on a chat channel."""
    suffix = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if suffix in AUDIO_SUFFIXES:
        return InboundKind.VOICE
    return InboundKind.PHOTO if suffix in IMAGE_SUFFIXES else InboundKind.DOCUMENT


class Conversation(Protocol):
    async def handle(self, inbound: Inbound) -> list[Reply]: ...


Forward = Callable[[list[Reply]], Awaitable[None]]
"""Sends replies addressed to chats on other channels (a staff member's Telegram chat, say)."""
Inbox = Callable[[str, str], Awaitable[list[Reply]]]
"""(channel, chat id) -> the pushes the worker could not deliver to the person of that chat, as replies
(``bot.notify_senders.LocalInbox``)."""


class LocalChat:
    """Text or a button press on a local ``channel`` -> the conversation -> its replies.

    Replies for chats on other channels (approval prompts to staff on Telegram, pushes to a dealer)
    are handed to ``forward`` when one is given (``App.local_chat`` wires the Telegram sender); they
    are returned as well, so the caller can tell how many went elsewhere.
    """

    def __init__(self, conversation: Conversation, channel: str, *, forward: Forward | None = None,
                 inbox: Inbox | None = None) -> None:
        self.conversation = conversation
        self.channel = channel
        self.forward = forward
        self.inbox = inbox

    async def say(self, chat_id: str, text: str = "", *, payload: str = "", message_ref: str = "",
                  language: str = "", display_name: str = "", update_id: str = "") -> list[Reply]:
        common = Inbound(channel=self.channel, chat_id=chat_id, user_id=chat_id, kind=InboundKind.TEXT,
                         language=language, display_name=display_name, update_id=update_id)
        if payload:
            inbound = replace(common, kind=InboundKind.BUTTON, payload=payload, message_ref=message_ref)
        elif text.startswith("/") and len(text) > 1 and not text[1].isspace():
            command, _, args = text[1:].partition(" ")
            inbound = replace(common, kind=InboundKind.COMMAND, text=text, command=command.split("@", 1)[0].lower(),
                              args=args.strip())
        else:
            inbound = replace(common, text=text)
        return await self._handle(inbound, chat_id)

    async def send_file(self, chat_id: str, ref: str, file_name: str, *, display_name: str = "",
                        language: str = "") -> list[Reply]:
        """A stored file (``ref`` in the ``FileStore``) sent as a voice note, photo or document, by its name."""
        inbound = Inbound(channel=self.channel, chat_id=chat_id, user_id=chat_id, kind=file_kind(file_name),
                          file_refs=(ref,), file_name=file_name, language=language, display_name=display_name)
        return await self._handle(inbound, chat_id)

    async def _handle(self, inbound: Inbound, chat_id: str) -> list[Reply]:
        replies = await self.conversation.handle(inbound)
        elsewhere = [r for r in replies if r.channel not in ("", self.channel) and r.chat_id]
        if elsewhere and self.forward is not None:
            await self.forward(elsewhere)
        if self.inbox is not None:          # pushes nothing could deliver to this person: shown here
            replies = replies + await self.inbox(self.channel, chat_id)
        return replies


def _read_local(path: str) -> tuple[str, bytes]:
    """(file name, bytes) of a file on this machine; reads at most one byte past ``MAX_FILE_BYTES``."""
    file = Path(path).expanduser()
    with file.open("rb") as f:
        return file.name, f.read(MAX_FILE_BYTES + 1)


#: the most a terminal in line mode passes of one typed line (Linux: 4095 bytes); the rest never reaches us
TTY_LINE_BYTES = 4095


class ConsoleChat:
    def __init__(self, chat: LocalChat, uow_factory: Callable[[], AbstractUnitOfWork], clock: Clock,
                 files: FileStore, chat_as: ChatAs, *, out: TextIO | None = None, inp: TextIO | None = None) -> None:
        self.chat = chat
        self.uow_factory = uow_factory
        self.clock = clock
        self.files = files
        self.chat_as = chat_as
        self.chat_id = f"console:{chat_as}"
        self.out = out or sys.stdout
        self.inp = inp or sys.stdin
        self._choices: dict[int, tuple[Button, str]] = {}   # number -> (button, the message it belongs to)
        self._messages = 0

    async def bind(self) -> User:
        if self.chat_as.kind not in ("dealer", "staff"):
            from core.errors import ValidationFailed

            raise ValidationFailed(zh="输入有误：--as 须为 dealer:经销商编码 或 staff:用户名",
                                   en="Invalid input: --as must be dealer:CODE or staff:USERNAME", reason="bad --as")
        return await bind_chat_as(self.uow_factory, Actor.system(), CONSOLE_CHANNEL, self.chat_id, self.chat_as,
                                  self.clock)

    def _print(self, line: str = "") -> None:
        self.out.write(line + "\n")
        self.out.flush()

    async def show(self, replies: list[Reply]) -> None:
        """Print replies; number every button from 1 (the numbers of the previous turn are forgotten)."""
        self._choices = {}
        for reply in replies:
            if (reply.chat_id and reply.chat_id != self.chat_id) or reply.channel not in ("", CONSOLE_CHANNEL):
                first = (reply.text.splitlines() or [""])[0]
                self._print(f"  [→ {reply.channel or CONSOLE_CHANNEL}:{reply.chat_id}] {first}")
                continue
            self._messages += 1
            ref = f"c{self._messages}"
            # an edit of an earlier message (``reply.edit_ref``: a decision rewriting its prompt) cannot be shown
            # in place here: the new text is printed as it is, without the internal reference of the message it
            # replaces (was: "(更新 updated c2)", which means nothing to the person)
            if reply.text:
                self._print(reply.text)
            for data, name, what in ((reply.image, reply.image_name or "image.png", "图片 image"),
                                     (reply.file, reply.file_name or "file.bin", "文件 file")):
                if data is not None:
                    key = await self.files.put(data, name)
                    self._print(f"[{what}: {name}] {self.files.path(key)}")
            for row in reply.buttons:
                cells = []
                for button in row:
                    number = len(self._choices) + 1
                    self._choices[number] = (button, ref)
                    cells.append(f"[{number}] {button.label}")
                self._print("  ".join(cells))
            self._print()

    async def turn(self, line: str) -> list[Reply]:
        """One line typed by the user: a number presses that button ("0002", with its zeros, is said), anything else
        is said."""
        text = line.strip()
        if text.isdigit() and not text.startswith("0") and int(text) in self._choices:
            button, ref = self._choices[int(text)]
            return await self.chat.say(self.chat_id, payload=button.payload, message_ref=ref,
                                       display_name=str(self.chat_as))
        command, _, argument = text.partition(" ")
        if command.lower() == FILE_COMMAND and argument.strip():
            return await self.send_file(argument.strip().strip("'\""))
        return await self.chat.say(self.chat_id, text, display_name=str(self.chat_as))

    async def send_file(self, path: str) -> list[Reply]:
        """``/file PATH``: the file as a channel would deliver it; a file that cannot be read is said here."""
        try:
            name, data = await asyncio.to_thread(_read_local, path)
        except OSError as exc:
            self._print(f"读不到文件 {path}：{exc.strerror or exc} (cannot read {path})")
            return []
        if len(data) > MAX_FILE_BYTES:
            self._print(f"文件太大（{len(data) / 1e6:.1f} MB，最多 20 MB） (file too large: {len(data) / 1e6:.1f} MB, "
                        "20 MB at most)")
            return []
        ref = await self.files.put(data, name)
        return await self.chat.send_file(self.chat_id, ref, name, display_name=str(self.chat_as))

    async def run(self) -> None:
        user = await self.bind()
        self._print(f"以 {user.display_name}（{user.username}）的身份对话，输入 /quit 退出 "
                    f"(chatting as {user.username}; /quit to leave)")
        await self.show(await self.chat.say(self.chat_id, "/menu", display_name=str(self.chat_as)))
        while True:
            self.out.write("> ")
            self.out.flush()
            line = await asyncio.to_thread(self.inp.readline)
            if not line or line.strip().lower() in QUIT_WORDS:
                self._print()
                self._print("再见 (bye)")
                return
            if not line.strip():
                continue
            if self._cut_by_terminal(line):
                continue
            await self.show(await self.turn(line))

    def _cut_by_terminal(self, line: str) -> bool:
        """A terminal in line mode passes at most ``TTY_LINE_BYTES`` of one line and drops the rest unseen (QA s27
        P26: an order at the end of a 4,000-character message was lost without a word): such a line is not acted on
        half-read; the person is told where it was cut."""
        said = line.rstrip("\n")
        if not self.inp.isatty() or len(said.encode("utf-8", "replace")) < TTY_LINE_BYTES - 2:
            return False
        self._print(f"这条消息太长，终端只传来了前 {len(said)} 个字（到“…{said[-12:]}”为止），后面的部分没有收到，"
                    "这条没有处理；请分几条发送。 (This message is longer than the terminal passes on: only its first "
                    f"{len(said)} characters arrived, the rest was not received and nothing was done; please send it "
                    "in several messages.)")
        return True
