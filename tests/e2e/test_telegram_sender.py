"""``TelegramSender`` and ``TelegramInbound`` against the local Bot API stand-in, over real HTTP:
how replies look in Telegram (splitting, plain text, keyboards, photos, files, edits, other chats) and
how errors are survived."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from aiogram import Bot
from aiogram.types import Update

from bot.files import FileStore, file_key
from bot.telegram.channel import create_bot
from bot.telegram.inbound import TelegramInbound
from bot.telegram.sender import TelegramSender, split_text, telegram_length
from handlers.messages import Button, InboundKind, Reply
from tests.e2e.telegram_standin import TelegramStandIn

CHAT = 555
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest_asyncio.fixture
async def standin() -> AsyncIterator[TelegramStandIn]:
    async with TelegramStandIn() as s:
        yield s


@pytest_asyncio.fixture
async def bot(standin: TelegramStandIn) -> AsyncIterator[Bot]:
    b = create_bot(standin.token, standin.base_url)
    yield b
    await b.session.close()


@pytest.fixture
def sender(bot: Bot) -> TelegramSender:
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    s = TelegramSender(bot, sleep=sleep)
    s.slept = slept  # type: ignore[attr-defined]
    return s


def test_split_keeps_lines_whole_and_counts_like_telegram() -> None:
    line = "订单 SO-20261126-0001 · 杭州华信 · ¥1,999.00\n"
    text = line * 200                                                    # ~8,000 characters
    parts = split_text(text)
    assert len(parts) >= 2
    assert all(telegram_length(p) <= 4096 for p in parts)
    assert "".join(p + "\n" for p in parts) == text                    # nothing lost, cut at line ends
    emoji = "😀" * 3000                                                  # 2 UTF-16 units each
    assert [telegram_length(p) for p in split_text(emoji)] == [4096, 1904]


async def test_long_text_goes_out_in_parts_with_the_buttons_on_the_last(standin: TelegramStandIn,
                                                                        sender: TelegramSender) -> None:
    text = "\n".join(f"{n}. 空气净化器AP300 × {n} = ¥{n * 1999:,}.00" for n in range(1, 300))
    ids = await sender.send(CHAT, Reply(text=text, buttons=[[Button("✅ 确认", "1|order.confirm|x")]]))
    sent = standin.sent(CHAT)
    assert len(ids) == len(sent) >= 2
    assert "\n".join(m.text for m in sent) == text
    assert [m.labels for m in sent] == [[]] * (len(sent) - 1) + [["✅ 确认"]]


async def test_text_is_plain_so_markup_characters_arrive_unchanged(standin: TelegramStandIn,
                                                                   sender: TelegramSender) -> None:
    text = "客户 <b>王&李</b> 说：1 < 2 && 3 > 2 <script>"
    await sender.send(CHAT, Reply(text=text))
    [call] = standin.calls_of("sendMessage")
    assert "parse_mode" not in call.params
    assert standin.last(CHAT).text == text


async def test_share_contact_becomes_a_reply_keyboard_next_to_inline_buttons(standin: TelegramStandIn,
                                                                           sender: TelegramSender) -> None:
    await sender.send(CHAT, Reply(text="欢迎", buttons=[[Button("📱 分享手机号", "contact:request")],
                                                        [Button("📝 申请", "1|apply.new")]]))
    first, second = standin.sent(CHAT)
    assert first.text == "欢迎" and first.labels == ["📝 申请"]
    assert second.contact_button == "📱 分享手机号"
    await sender.send(CHAT + 1, Reply(text="请分享", buttons=[[Button("📱 分享手机号", "contact:request")]]))
    [only] = standin.sent(CHAT + 1)
    assert only.text == "请分享" and only.contact_button == "📱 分享手机号"


async def test_buttons_only_reply_still_has_text(standin: TelegramStandIn, sender: TelegramSender) -> None:
    await sender.send(CHAT, Reply(buttons=[[Button("🏠 主菜单", "1|menu")]]))
    assert standin.last(CHAT).labels == ["🏠 主菜单"] and standin.last(CHAT).text


async def test_image_and_file_go_out_as_photo_and_document(standin: TelegramStandIn,
                                                           sender: TelegramSender) -> None:
    await sender.send(CHAT, Reply(text="库存图", image=PNG, image_name="stock.png",
                                  buttons=[[Button("刷新", "1|stock.menu")]]))
    await sender.send(CHAT, Reply(text="模板", file=b"date,sku,qty\n", file_name="sellout_template.csv"))
    photo, document = standin.sent(CHAT)
    assert (photo.kind, photo.text, photo.file, photo.labels) == ("photo", "库存图", PNG, ["刷新"])
    assert (document.kind, document.file_name, document.file) == ("document", "sellout_template.csv",
                                                                  b"date,sku,qty\n")


async def test_an_image_telegram_refuses_falls_back_to_a_document(standin: TelegramStandIn,
                                                                   sender: TelegramSender) -> None:
    await sender.send(CHAT, Reply(text="图表", image=b"not really an image", image_name="chart.png"))
    [message] = standin.sent(CHAT)
    assert message.kind == "document" and message.file == b"not really an image"
    assert [c.status for c in standin.calls if c.method in ("sendPhoto", "sendDocument")] == [400, 200]


async def test_edit_changes_the_message_and_falls_back_to_a_new_one(standin: TelegramStandIn,
                                                                    sender: TelegramSender) -> None:
    [message_id] = await sender.send(CHAT, Reply(text="🧾 待审批订单", buttons=[[Button("✅ 通过", "1|a|b")]]))
    await sender.send(CHAT, Reply(text="✅ 已审核通过", edit_ref=f"{CHAT}:{message_id}"))
    [prompt] = standin.sent(CHAT)
    assert prompt.text == "✅ 已审核通过" and prompt.edits == ["🧾 待审批订单"] and prompt.labels == []
    # the same text again: Telegram says "not modified"; nothing new is sent
    await sender.send(CHAT, Reply(text="✅ 已审核通过", edit_ref=f"{CHAT}:{message_id}"))
    assert len(standin.sent(CHAT)) == 1
    # a message that cannot be edited (gone, too old): the reply is sent as a new message
    await sender.send(CHAT, Reply(text="已由 张三 处理", edit_ref=f"{CHAT}:9999"))
    assert [m.text for m in standin.sent(CHAT)] == ["✅ 已审核通过", "已由 张三 处理"]


async def test_replies_for_other_chats_go_there_and_other_channels_are_left(standin: TelegramStandIn,
                                                                            sender: TelegramSender,
                                                                            caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    await sender.deliver(CHAT, [Reply(text="已提交"), Reply(text="新订单待审核", chat_id="777", channel="telegram"),
                                Reply(text="企业微信", chat_id="zhangsan", channel="wecom")])
    assert [m.text for m in standin.sent(CHAT)] == ["已提交"]
    assert [m.text for m in standin.sent(777)] == ["新订单待审核"]
    assert any("left to the outbox" in r.getMessage() for r in caplog.records)


async def test_flood_wait_is_retried_once_then_given_up(standin: TelegramStandIn, sender: TelegramSender) -> None:
    standin.fail_next(1, status=429, retry_after=3, methods=("sendMessage",))
    assert await sender.send(CHAT, Reply(text="一")) != []
    assert sender.slept == [3.0]  # type: ignore[attr-defined]
    standin.fail_next(2, status=429, retry_after=2, methods=("sendMessage",))
    assert await sender.send(CHAT, Reply(text="二")) == []               # retried once, then logged
    assert await sender.send(CHAT, Reply(text="三")) != []               # and the next one goes out
    assert [m.text for m in standin.sent(CHAT)] == ["一", "三"]


async def test_callback_answers_are_clipped_and_never_raise(standin: TelegramStandIn,
                                                            sender: TelegramSender) -> None:
    assert await sender.answer_callback("unknown-id") is False          # Telegram says 400: logged
    assert await sender.answer_callback("") is False


async def test_inbound_downloads_the_largest_photo_into_the_file_store(standin: TelegramStandIn, bot: Bot,
                                                                       tmp_path: Path) -> None:
    files = FileStore(tmp_path / "files")
    translator = TelegramInbound(bot, files)
    photo = b"\xff\xd8\xff" + b"full size" * 100
    raw = await standin.send_photo(CHAT, photo, caption="机器铭牌")
    translation = await translator.translate(Update.model_validate(raw, context={"bot": bot}))
    inbound = translation.inbound
    assert inbound is not None and inbound.kind == InboundKind.PHOTO and inbound.text == "机器铭牌"
    assert inbound.file_refs == (file_key(photo, "x.jpg"),)
    assert await files.get(inbound.file_refs[0]) == photo
    assert standin.downloads == [p for p in standin.downloads if p.startswith("photos/file_")]

    raw = await standin.send_document(CHAT, b"sku,qty\nAP300,3\n", "销量.csv")
    doc = (await translator.translate(Update.model_validate(raw, context={"bot": bot}))).inbound
    assert doc is not None and doc.kind == InboundKind.DOCUMENT and doc.file_name == "销量.csv"
    assert await files.get(doc.file_refs[0]) == b"sku,qty\nAP300,3\n"


async def test_inbound_commands_buttons_and_refusals(standin: TelegramStandIn, bot: Bot, tmp_path: Path) -> None:
    translator = TelegramInbound(bot, FileStore(tmp_path), max_download_bytes=10)

    async def translate(raw: dict[str, object]):  # type: ignore[no-untyped-def]
        return await translator.translate(Update.model_validate(raw, context={"bot": bot}))

    start = (await translate(await standin.send_text(CHAT, "/start@dms_test_bot  AB12CD34 ",
                                                     language_code="en"))).inbound
    assert start is not None and (start.kind, start.command, start.args, start.language) == (
        InboundKind.COMMAND, "start", "AB12CD34", "en")
    assert start.update_id and start.user_id == str(CHAT)
    big = await translate(await standin.send_photo(CHAT, b"\xff\xd8" + b"x" * 100))
    assert big.notice == "telegram.file_too_big" and big.inbound is None
    located = (await translate(await standin.send_raw({"message": {
        "message_id": 7, "date": 1, "chat": {"id": CHAT, "type": "private"}, "from": standin.user(CHAT),
        "location": {"latitude": 30.27, "longitude": 120.15}}}))).inbound
    assert located is not None and located.kind == InboundKind.LOCATION and located.latitude == 30.27
    group = await translate(await standin.send_text(-42, "hi", user_id=CHAT, chat_type="supergroup"))
    assert group.notice == "telegram.private_only" and group.chat_id == -42
    await TelegramSender(bot).send(CHAT, Reply(text="x", buttons=[[Button("ok", "1|menu")]]))
    pressed = await translate(await standin.press(CHAT, standin.last(CHAT), "1|menu"))
    assert pressed.inbound is not None and pressed.inbound.kind == InboundKind.BUTTON
    assert pressed.inbound.payload == "1|menu"
    assert pressed.inbound.message_ref == f"{CHAT}:{standin.last(CHAT).message_id}"
    assert pressed.callback_id


async def test_evidence_goes_out_as_one_album_and_pdfs_as_files(standin: TelegramStandIn, bot: Bot) -> None:
    strict = TelegramSender(bot, strict=True)
    jpeg = b"\xff\xd8\xff\xe0" + b"\x01" * 64
    pdf = b"%PDF-1.4 scan"
    ids = await strict.send_files(CHAT, [(jpeg, "AS-1-1.jpg"), (PNG, "AS-1-2.png"), (pdf, "AS-1-3.pdf")])
    assert len(ids) == 3 and len(standin.calls_of("sendMediaGroup")) == 1
    shown = standin.sent(CHAT)
    assert [(m.kind, m.file) for m in shown] == [("photo", jpeg), ("photo", PNG), ("document", pdf)]
    assert shown[0].media_group_id == shown[1].media_group_id != ""
    assert shown[2].file_name == "AS-1-3.pdf"

    await strict.send_files(CHAT, [(jpeg, "one.jpg")])                  # one photo: sendPhoto, no album
    assert len(standin.calls_of("sendPhoto")) == 1 and len(standin.calls_of("sendMediaGroup")) == 1


async def test_an_album_telegram_refuses_goes_out_as_files(standin: TelegramStandIn, bot: Bot) -> None:
    gif = b"GIF89a" + b"\x00" * 32           # an image to us, refused by the stand-in (IMAGE_PROCESS_FAILED)
    sent = await TelegramSender(bot, strict=True).send_files(CHAT, [(gif, "a.gif"), (gif + b"1", "b.gif")])
    assert len(sent) == 2
    assert [m.kind for m in standin.sent(CHAT)] == ["document", "document"]
    assert [c.status for c in standin.calls_of("sendMediaGroup")] == [400]
